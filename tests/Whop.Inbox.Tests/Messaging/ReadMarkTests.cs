using Whop.Inbox.TestSupport;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Realtime;

namespace Whop.Inbox.Tests.Messaging;

/// <summary>
/// Marking a conversation read, for members whose row was made before they ever read it: a DM's
/// members and the customer of a chat the company opened. Their read mark starts empty.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReadMarkTests(InboxApp app)
{
    [Fact]
    public async Task A_dm_member_who_never_read_it_reads_it_and_nothing_is_unread_for_them_any_more()
    {
        var ana = await app.NewUserAsync();
        var bo = await app.NewUserAsync();
        var dm = (await ana.Client.CreateDmAsync(bo.Id)).Str("id");
        await ana.Client.SendAsync(dm, "Are you around?");
        await ana.Client.SendAsync(dm, "It is about the launch.");
        (await UnreadAsync(bo, $"{DmScenario.Channels}/{dm}")).ShouldBe(2);

        await bo.Client.PostAsync($"{DmScenario.Channels}/{dm}/mark_read", null).OkJsonAsync();

        (await UnreadAsync(bo, $"{DmScenario.Channels}/{dm}")).ShouldBe(0);
    }

    [Fact]
    public async Task A_customer_whose_chat_the_company_opened_reads_the_teams_replies_and_they_are_read()
    {
        var customer = await app.NewUserAsync("customer");
        var moderator = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        await moderator.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Hello! How can we help?" }).OkJsonAsync();
        (await UnreadAsync(customer, $"/api/v1/support_channels/{chat}")).ShouldBe(1);

        await customer.Client.PostAsync($"/api/v1/support_channels/{chat}/mark_read", null).OkJsonAsync();
        (await UnreadAsync(customer, $"/api/v1/support_channels/{chat}")).ShouldBe(0);

        // Replying reads the conversation too.
        await moderator.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Are you still there?" }).OkJsonAsync();
        await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Yes, sorry!" }).OkJsonAsync();
        (await UnreadAsync(customer, $"/api/v1/support_channels/{chat}")).ShouldBe(0);
    }

    private static async Task<int> UnreadAsync(TestUser user, string path) =>
        (await user.Client.GetAsync(path).OkJsonAsync())["unread_count"]!.GetValue<int>();
}

using System.Text.Json.Nodes;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Identity;

/// <summary>"What may I do here?" over the API: the answer the app's own pages get, from the rights table.</summary>
[Collection(AppCollection.Name)]
public sealed class CapabilitiesApiTests(InboxApp app)
{
    [Fact]
    public async Task A_moderator_may_answer_and_resolve_a_support_chat_and_its_customer_may_only_write()
    {
        var (customer, chatId) = await SupportChatAsync();
        var moderator = await app.NewTeamMemberAsync("moderator");

        var mod = await moderator.Client.GetAsync($"/api/v1/channels/{chatId}/capabilities").OkJsonAsync();
        var own = await customer.Client.GetAsync($"/api/v1/channels/{chatId}/capabilities").OkJsonAsync();

        Flags(mod).ShouldBe(["read", "write", "moderate", "resolve", "reopen", "note", "snooze"], ignoreOrder: true);
        Flags(own).ShouldBe(["read", "write"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_dm_member_may_leave_and_someone_outside_gets_404_as_for_anything_they_cannot_read()
    {
        var (me, other, outsider) = (await app.NewUserAsync(), await app.NewUserAsync(), await app.NewUserAsync());
        var dm = await me.Client.PostJsonAsync("/api/v1/dm_channels", new { with_user_ids = new[] { other.Id } }).OkJsonAsync();

        Flags(await me.Client.GetAsync($"/api/v1/channels/{dm.Id()}/capabilities").OkJsonAsync()).ShouldContain("leave");
        Flags(await me.Client.GetAsync($"/api/v1/channels/{dm.Id()}/capabilities").OkJsonAsync()).ShouldNotContain("resolve");
        await (await outsider.Client.GetAsync($"/api/v1/channels/{dm.Id()}/capabilities")).ShouldBeProblemAsync(404);
    }

    private async Task<(TestUser Customer, string ChatId)> SupportChatAsync()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.Backend().PostJsonAsync("/api/v1/support_channels", new { company_id = await app.CompanyIdAsync(), user_id = customer.Id })
            .OkJsonAsync();
        return (customer, chat.Id());
    }

    /// <summary>The names of the abilities answered true.</summary>
    private static List<string> Flags(JsonNode abilities) =>
        abilities.AsObject().Where(p => p.Value!.GetValue<bool>()).Select(p => p.Key).ToList();
}

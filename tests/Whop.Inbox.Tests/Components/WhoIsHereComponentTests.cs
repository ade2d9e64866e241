using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Support.WhoIsHere;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Components;

/// <summary>The inbox's viewers strip, its rows' viewer avatar and the composer's soft lock, over the real board and typing tracker.</summary>
public sealed class WhoIsHereComponentTests(InboxApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(15);

    private ChatViewers Board => App.Services.GetRequiredService<ChatViewers>();

    [Fact]
    public async Task The_open_chat_and_its_row_show_a_teammate_viewing_it_until_they_leave_and_closing_the_page_drops_its_viewer()
    {
        var (customer, chatId) = await CustomerWithChatAsync("Where is my refund?");
        var sam = await App.NewTeamMemberAsync("moderator");
        var (inbox, me) = await OpenInboxAsync($"inbox?status=all&customer={customer.Username}&chat={chatId}");
        // Having the chat open counts the viewer in; they never see themselves.
        inbox.WaitForAssertion(() => Board.Of(chatId).Select(v => v.Id).ShouldBe([me]), Live);
        inbox.FindAll("[data-testid='viewers-strip']").ShouldBeEmpty();

        var viewing = (await Board.ViewAsync(Person(sam.Id), chatId)).Value!;

        inbox.WaitForAssertion(() =>
        {
            var strip = inbox.Find("[data-testid='viewers-strip']");
            strip.GetAttribute("aria-label").ShouldBe($"{sam.Name} is also viewing");
            strip.QuerySelectorAll("[data-testid='viewer']").Select(v => v.GetAttribute("title")).ShouldBe([$"{sam.Name} is viewing"]);
            inbox.Find("[data-testid='row-viewers']").GetAttribute("aria-label").ShouldBe($"{sam.Name} is viewing");
        }, Live);

        viewing.Dispose();
        inbox.WaitForAssertion(() =>
        {
            inbox.FindAll("[data-testid='viewers-strip']").ShouldBeEmpty();
            inbox.FindAll("[data-testid='row-viewers']").ShouldBeEmpty();
        }, Live);

        await DisposeComponentsAsync();
        Board.Of(chatId).ShouldBeEmpty("a closed page views nothing");
    }

    [Fact]
    public async Task Starting_a_reply_while_a_teammate_types_one_shows_the_soft_lock_and_sending_still_works()
    {
        var (customer, chatId) = await CustomerWithChatAsync("Can someone help?");
        var sam = await App.NewTeamMemberAsync("moderator");
        var (inbox, _) = await OpenInboxAsync($"inbox?status=all&customer={customer.Username}&chat={chatId}");
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='composer']").GetAttribute("data-mode").ShouldBe("reply"), Live);
        var typing = App.Services.GetRequiredService<TypingTracker>();

        (await typing.StartAsync(Person(sam.Id), chatId)).Succeeded.ShouldBeTrue();
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='typing']").TextContent.ShouldBe($"{sam.Name} is typing…"), Live);
        inbox.FindAll("[data-testid='soft-lock']").ShouldBeEmpty("not before the viewer starts a reply of their own");

        // Found and acted on in one dispatch: the live typing line redraws the page in between otherwise.
        await inbox.InvokeAsync(() => inbox.Find("[data-composer-input]").InputAsync(new ChangeEventArgs { Value = "Let me check that for you" }));
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='soft-lock']").TextContent.Trim().ShouldBe($"{sam.Name} is replying…"), Live);

        await inbox.InvokeAsync(() => inbox.Find("[data-testid='composer']").SubmitAsync());
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='history']").TextContent.ShouldContain("Let me check that for you"), Live);
        (await App.Backend().MessagesAsync(chatId)).Select(m => m!.Str("content")).ShouldContain("Let me check that for you");

        // A note being written is told apart, and it is no reason for a soft lock.
        (await typing.StopAsync(Person(sam.Id), chatId)).Value.ShouldBeTrue();
        (await typing.StartAsync(Person(sam.Id), chatId, note: true)).Succeeded.ShouldBeTrue();
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='typing']").TextContent.ShouldBe($"{sam.Name} is writing a note…"), Live);
        await inbox.InvokeAsync(() => inbox.Find("[data-composer-input]").InputAsync(new ChangeEventArgs { Value = "One more thing" }));
        inbox.FindAll("[data-testid='soft-lock']").ShouldBeEmpty();
        await typing.StopAsync(Person(sam.Id), chatId);
    }

    [Fact]
    public async Task A_customer_is_shown_no_viewers_and_is_never_counted_as_one()
    {
        var (customer, chatId) = await CustomerWithChatAsync("Hello there");
        var sam = await App.NewTeamMemberAsync("moderator");
        using var viewing = (await Board.ViewAsync(Person(sam.Id), chatId)).Value!;
        var me = await SignInAsync(customer.Username);

        var strip = Render<ViewersStrip>(p => p.Add(s => s.ChannelId, chatId).Add(s => s.Actor, me.Actor));

        strip.Markup.Trim().ShouldBeEmpty();
        Board.Of(chatId).Select(v => v.Id).ShouldBe([sam.Id]);
    }

    private async Task<(IRenderedComponent<Whop.Inbox.Support.Pages.Inbox> Page, string MeId)> OpenInboxAsync(string address)
    {
        var me = await SignInAsync("maya");
        RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return (Render<Whop.Inbox.Support.Pages.Inbox>(), me.UserId!);
    }

    private async Task<(TestUser Customer, string ChatId)> CustomerWithChatAsync(string firstMessage)
    {
        var customer = await App.NewUserAsync("customer");
        var chat = await App.Backend().PostJsonAsync("/api/v1/support_channels", new { company_id = await App.CompanyIdAsync(), user_id = customer.Id })
            .OkJsonAsync();
        await customer.Client.SendAsync(chat.Id(), firstMessage);
        return (customer, chat.Id());
    }

    private static Actor Person(string userId) => new(userId, Credential.Session, null, null, new HashSet<string>());
}

using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Support;
using Whop.Inbox.Support.Pages;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Components;

/// <summary>The support inbox page over the real services: its filters live in the address, events keep it current, keys act.</summary>
public sealed class InboxPageTests(InboxApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_tab_and_customer_come_from_the_address_and_every_link_keeps_them()
    {
        var (customer, chatId) = await CustomerWithChatAsync("Where is my invoice?");
        var inbox = await OpenInboxAsync($"inbox?status=all&customer={customer.Username}");

        inbox.WaitForAssertion(() => inbox.FindAll("[data-testid='inbox-row']").Count.ShouldBe(1), Live);
        inbox.Find("[data-testid='tab-all']").GetAttribute("aria-selected").ShouldBe("true");
        inbox.Find("[data-testid='tab-open']").GetAttribute("aria-selected").ShouldBe("false");
        inbox.Find("[data-testid='tab-open']").GetAttribute("href")!.ShouldContain($"customer={customer.Username}");
        inbox.Find("[data-testid='inbox-row']").GetAttribute("href")!.ShouldContain($"chat={chatId}");
        inbox.Find("[data-testid='inbox-row-preview']").TextContent.ShouldBe("Where is my invoice?");
        inbox.Find("[data-testid='clear-customer']").GetAttribute("href")!.ShouldNotContain("customer=");
    }

    [Fact]
    public async Task A_new_message_reaches_the_list_live()
    {
        var (customer, chatId) = await CustomerWithChatAsync("First question");
        var inbox = await OpenInboxAsync($"inbox?status=all&customer={customer.Username}");
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='inbox-row-preview']").TextContent.ShouldBe("First question"), Live);

        await customer.Client.SendAsync(chatId, "Second question, sent later");

        inbox.WaitForAssertion(() => inbox.Find("[data-testid='inbox-row-preview']").TextContent.ShouldBe("Second question, sent later"), Live);
    }

    [Fact]
    public async Task The_e_key_resolves_the_open_chat()
    {
        var (customer, chatId) = await CustomerWithChatAsync("Please close this when done");
        var inbox = await OpenInboxAsync($"inbox?status=all&customer={customer.Username}&chat={chatId}");
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='conversation-status']").TextContent.Trim().ShouldBe("Open"), Live);

        await inbox.InvokeAsync(() => inbox.Instance.OnShortcutAsync("e"));

        inbox.WaitForAssertion(() => inbox.Find("[data-testid='conversation-status']").TextContent.Trim().ShouldBe("Resolved"), Live);
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='status-chip']").TextContent.Trim().ShouldBe("Resolved"), Live);
    }

    [Fact]
    public async Task The_customer_panel_counts_messages_as_they_come()
    {
        var (customer, chatId) = await CustomerWithChatAsync("One");
        var inbox = await OpenInboxAsync($"inbox?status=all&customer={customer.Username}&chat={chatId}");
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='customer-messages']").TextContent.Trim().ShouldBe("1"), Live);

        await customer.Client.SendAsync(chatId, "Two");

        inbox.WaitForAssertion(() => inbox.Find("[data-testid='customer-messages']").TextContent.Trim().ShouldBe("2"), Live);
    }

    [Fact]
    public async Task The_customer_panel_counts_every_message_the_pane_shows_not_only_the_customers()
    {
        var (customer, chatId) = await CustomerWithChatAsync("My order has not arrived");
        var agent = await App.NewTeamMemberAsync("moderator");
        await agent.Client.SendAsync(chatId, "Sorry to hear that: which order?");
        await customer.Client.SendAsync(chatId, "Number 1042");
        var inbox = await OpenInboxAsync($"inbox?status=all&customer={customer.Username}&chat={chatId}");

        inbox.WaitForAssertion(() => inbox.Find("[data-testid='customer-messages']").TextContent.Trim().ShouldBe("3"), Live);
        inbox.Find("[data-testid='customer-details']").TextContent.ShouldContain("Messages in this chat");

        // Notes such as "… resolved this chat." and "… replied, so this chat was reopened." are not messages.
        await inbox.InvokeAsync(() => inbox.Instance.OnShortcutAsync("e"));
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='conversation-status']").TextContent.Trim().ShouldBe("Resolved"), Live);
        await customer.Client.SendAsync(chatId, "Found it, thanks!");
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='customer-messages']").TextContent.Trim().ShouldBe("4"), Live);
    }

    [Fact]
    public async Task The_header_stays_open_when_typing_that_began_before_the_customers_reply_stops_after_it()
    {
        var (customer, chatId) = await CustomerWithChatAsync("Thanks, that is all");
        (await App.Backend().PostAsync($"/api/v1/support_channels/{chatId}/resolve", null)).EnsureSuccessStatusCode();
        var inbox = await OpenInboxAsync($"inbox?status=all&customer={customer.Username}&chat={chatId}");
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='conversation-status']").TextContent.Trim().ShouldBe("Resolved"), Live);
        // A second inbox on the same events: when it has the stop, so has the page, give or take a moment.
        var heard = new Received();
        using var beside = (await App.Services.GetRequiredService<ChatNotifier>()
            .SubscribeInboxAsync(await TeamMemberAsync(), await App.CompanyIdAsync(), heard.Handler)).Value!;
        var typing = App.Services.GetRequiredService<TypingTracker>();
        var typist = new Actor(customer.Id, Credential.Session, null, null, new HashSet<string>());

        // Typing begins while the chat is resolved; the customer's message reopens it; the typing stops after.
        (await typing.StartAsync(typist, chatId)).Succeeded.ShouldBeTrue();
        await customer.Client.SendAsync(chatId, "Oh wait, one more thing");
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='conversation-status']").TextContent.Trim().ShouldBe("Open"), Live);
        // The open pane reads the reply, and that read is an event too: let it pass first, so the stop is the last word.
        var reply = await heard.WaitForAsync(e => e.ChannelId == chatId && e.DataAs<MessageEvent>()?.Message.Content == "Oh wait, one more thing");
        await heard.WaitForAsync(e => e.ChannelId == chatId && e.Type == ChatEventTypes.ReadChanged && e.Position > reply.Position);
        await typing.StopAsync(typist, chatId);
        await heard.WaitForAsync(e => e.ChannelId == chatId && e.Type == ChatEventTypes.TypingStopped);
        await Task.Delay(TimeSpan.FromMilliseconds(600));

        inbox.Find("[data-testid='conversation-status']").TextContent.Trim().ShouldBe("Open");
        inbox.FindAll("[data-testid='resolve']").Count.ShouldBe(1);
        inbox.FindAll("[data-testid='reopen']").ShouldBeEmpty();
    }

    [Fact]
    public async Task J_moves_on_in_the_lists_order_even_when_the_open_chats_row_is_not_drawn()
    {
        var (_, older) = await CustomerWithChatAsync("Asked first");
        var (_, newer) = await CustomerWithChatAsync("Asked second");
        var inbox = await OpenInboxAsync($"inbox?status=all&sort=created-desc&chat={newer}");
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='conversation-status']").ShouldNotBeNull(), Live);

        // The script asks the server when the open chat's row is out of the drawn window.
        await inbox.InvokeAsync(() => inbox.Instance.MoveAsync(1));

        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.Uri.ShouldContain($"chat={older}");
        navigation.Uri.ShouldContain("sort=created-desc");
    }

    [Fact]
    public async Task Two_pages_of_rows_are_drawn_whole_and_a_third_makes_the_list_draw_only_the_rows_in_view()
    {
        var companyId = await App.CompanyIdAsync();
        var customers = await Task.WhenAll(Enumerable.Range(0, 41).Select(_ => App.NewUserAsync("customer")));
        foreach (var customer in customers)
            await App.Backend().PostJsonAsync("/api/v1/support_channels", new { company_id = companyId, user_id = customer.Id }).OkJsonAsync();
        var inbox = await OpenInboxAsync("inbox?status=all&sort=created-desc");
        var rows = () => inbox.FindAll("[data-testid='inbox-row']").Count;
        var virtualised = () => inbox.FindComponents<Virtualize<SupportChatView>>().Count > 0;
        inbox.WaitForAssertion(() => rows().ShouldBe(20), Live);
        virtualised().ShouldBeFalse();

        await inbox.InvokeAsync(() => inbox.Instance.LoadMoreAsync());
        inbox.WaitForAssertion(() => rows().ShouldBe(40), Live);
        virtualised().ShouldBeFalse();

        await inbox.InvokeAsync(() => inbox.Instance.LoadMoreAsync());
        inbox.WaitForAssertion(() => virtualised().ShouldBeTrue(), Live);
    }

    private async Task<IRenderedComponent<Whop.Inbox.Support.Pages.Inbox>> OpenInboxAsync(string address)
    {
        await SignInAsync("maya");
        RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return Render<Whop.Inbox.Support.Pages.Inbox>();
    }

    /// <summary>Another team member, as the actor a second inbox page would have.</summary>
    private async Task<Actor> TeamMemberAsync() =>
        new((await App.NewTeamMemberAsync("moderator")).Id, Credential.Session, null, null, new HashSet<string>());

    /// <summary>A new customer whose support chat starts with their first message.</summary>
    private async Task<(TestUser Customer, string ChatId)> CustomerWithChatAsync(string firstMessage)
    {
        var customer = await App.NewUserAsync("customer");
        var companyId = await App.CompanyIdAsync();
        var chat = await App.Backend().PostJsonAsync("/api/v1/support_channels", new { company_id = companyId, user_id = customer.Id }).OkJsonAsync();
        await customer.Client.SendAsync(chat.Id(), firstMessage);
        return (customer, chat.Id());
    }
}

using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Components;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Components;

/// <summary>Working as a team in the inbox page, over the real services: who has a chat, the views, and internal notes.</summary>
public sealed class AssignmentAndNotesTests(InboxApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_assignee_picker_lists_the_team_and_picking_someone_gives_them_the_chat()
    {
        var colleague = await App.NewTeamMemberAsync("moderator");
        var (customer, chatId) = await CustomerWithChatAsync("Who can help me?");
        var inbox = await OpenInboxAsync($"inbox?status=all&customer={customer.Username}&chat={chatId}");
        inbox.WaitForAssertion(() => inbox.FindAll("[data-testid='assignee-picker']").Count.ShouldBe(1), Live);

        var options = inbox.FindAll("[data-testid='assignee-option']");
        options[0].TextContent.ShouldBe("Unassigned");
        options.Select(o => o.GetAttribute("value")).ShouldContain(colleague.Id);
        options.Select(o => o.TextContent).ShouldContain(colleague.Name);
        inbox.Find("[data-testid='assignee-picker']").GetAttribute("value").ShouldBe("");

        // Found and changed in one dispatch: the live list may re-render the header in between otherwise.
        await inbox.InvokeAsync(() => inbox.Find("[data-testid='assignee-picker']").ChangeAsync(new ChangeEventArgs { Value = colleague.Id }));

        (await AssigneeInDatabaseAsync(chatId)).ShouldBe(colleague.Id);
        inbox.WaitForAssertion(() =>
        {
            inbox.Find("[data-testid='assignee-picker']").GetAttribute("value").ShouldBe(colleague.Id);
            inbox.Find("[data-testid='row-assignee']").GetAttribute("aria-label").ShouldBe($"Assigned to {colleague.Name}");
            // The team sees the assignment's note, marked as theirs alone.
            inbox.Find("[data-testid='history']").TextContent.ShouldContain($"assigned this chat to {colleague.Name}");
            inbox.FindAll("[data-testid='system-message'] [data-testid='note-label']").ShouldNotBeEmpty();
        }, Live);

        await inbox.InvokeAsync(() => inbox.Find("[data-testid='assignee-picker']").ChangeAsync(new ChangeEventArgs { Value = "" }));

        (await AssigneeInDatabaseAsync(chatId)).ShouldBeNull();
        inbox.WaitForAssertion(() => inbox.FindAll("[data-testid='row-assignee']").ShouldBeEmpty(), Live);
    }

    [Fact]
    public async Task Assign_to_me_and_the_a_key_give_the_open_chat_to_the_viewer_and_the_button_then_goes()
    {
        var (customer, chatId) = await CustomerWithChatAsync("Anyone there?");
        var (other, otherChatId) = await CustomerWithChatAsync("Me too");
        var inbox = await OpenInboxAsync($"inbox?status=all&customer={customer.Username}&chat={chatId}");
        var me = await MeAsync();
        inbox.WaitForAssertion(() => inbox.FindAll("[data-testid='assign-to-me']").Count.ShouldBe(1), Live);

        await inbox.InvokeAsync(() => inbox.Find("[data-testid='assign-to-me']").ClickAsync(new()));

        (await AssigneeInDatabaseAsync(chatId)).ShouldBe(me);
        inbox.WaitForAssertion(() =>
        {
            inbox.FindAll("[data-testid='assign-to-me']").ShouldBeEmpty();
            inbox.Find("[data-testid='assignee-picker']").GetAttribute("value").ShouldBe(me);
        }, Live);

        Services.GetRequiredService<NavigationManager>().NavigateTo($"inbox?status=all&customer={other.Username}&chat={otherChatId}");
        inbox.WaitForAssertion(() => inbox.FindAll("[data-testid='assign-to-me']").Count.ShouldBe(1), Live);
        await inbox.InvokeAsync(() => inbox.Instance.OnShortcutAsync("a"));
        (await AssigneeInDatabaseAsync(otherChatId)).ShouldBe(me);
    }

    [Fact]
    public async Task The_mine_and_unassigned_views_filter_the_list_and_follow_an_assignment_live()
    {
        var (customer, chatId) = await CustomerWithChatAsync("Please pick me up");
        var inbox = await OpenInboxAsync($"inbox?status=all&customer={customer.Username}&show=unassigned");
        inbox.WaitForAssertion(() => inbox.FindAll("[data-testid='inbox-row']").Count.ShouldBe(1), Live);
        inbox.Find("[data-testid='view-unassigned']").GetAttribute("aria-current").ShouldBe("page");
        inbox.Find("[data-testid='view-mine']").GetAttribute("href")!.ShouldContain("show=mine");
        inbox.Find("[data-testid='view-mine']").GetAttribute("href")!.ShouldContain($"customer={customer.Username}");
        var mineBefore = int.Parse(inbox.Find("[data-testid='view-count-mine']").TextContent);

        // Assigned elsewhere (another window, the API): the row leaves Unassigned, and Mine counts one more.
        (await App.Backend().PatchJsonAsync($"/api/v1/support_channels/{chatId}", new { assignee_id = await MeAsync() })).EnsureSuccessStatusCode();

        inbox.WaitForAssertion(() =>
        {
            inbox.FindAll("[data-testid='inbox-row']").ShouldBeEmpty();
            int.Parse(inbox.Find("[data-testid='view-count-mine']").TextContent).ShouldBe(mineBefore + 1);
        }, Live);

        Services.GetRequiredService<NavigationManager>().NavigateTo($"inbox?status=all&customer={customer.Username}&show=mine");
        inbox.WaitForAssertion(() => inbox.FindAll("[data-testid='inbox-row']").Count.ShouldBe(1), Live);
    }

    [Fact]
    public async Task The_mentions_view_shows_a_chat_once_a_note_mentions_the_viewer_and_its_count_follows()
    {
        var (customer, chatId) = await CustomerWithChatAsync("Can someone senior look at this?");
        var colleague = await App.NewTeamMemberAsync("moderator");
        var inbox = await OpenInboxAsync("inbox?status=all&show=mentions");
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='view-mentions']").GetAttribute("aria-current").ShouldBe("page"), Live);
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='view-count-mentions']").TextContent.ShouldNotBeEmpty(), Live);
        var before = int.Parse(inbox.Find("[data-testid='view-count-mentions']").TextContent);
        inbox.FindAll($"[data-testid='inbox-row'][data-channel-id='{chatId}']").ShouldBeEmpty();

        (await colleague.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chatId, content = "@maya this one is for you", visibility = "team" }))
            .EnsureSuccessStatusCode();

        inbox.WaitForAssertion(() =>
        {
            inbox.FindAll($"[data-testid='inbox-row'][data-channel-id='{chatId}']").Count.ShouldBe(1);
            int.Parse(inbox.Find("[data-testid='view-count-mentions']").TextContent).ShouldBe(before + 1);
        }, Live);
        (await customer.Client.MessagesAsync(chatId)).Select(m => m!.Str("content")).ShouldNotContain("@maya this one is for you");
    }

    [Fact]
    public async Task In_note_mode_the_composer_sends_a_note_only_the_team_sees_and_in_reply_mode_a_reply()
    {
        var (customer, chatId) = await CustomerWithChatAsync("My parcel is late");
        var inbox = await OpenInboxAsync($"inbox?status=all&customer={customer.Username}&chat={chatId}");
        inbox.WaitForAssertion(() => inbox.FindAll("[data-testid='composer-mode-note']").Count.ShouldBe(1), Live);

        // Found and acted on in one dispatch: the history arriving re-renders the composer, and its handlers with it.
        await inbox.InvokeAsync(() => inbox.Find("[data-testid='composer-mode-note']").ClickAsync(new()));
        inbox.Find("[data-testid='composer']").GetAttribute("data-mode").ShouldBe("note");
        inbox.Find("[data-composer-input]").GetAttribute("placeholder").ShouldBe(Composer.NotePlaceholder);
        await inbox.InvokeAsync(() => inbox.Find("[data-composer-input]").InputAsync(new ChangeEventArgs { Value = "Carrier says Tuesday, do not promise Monday" }));
        await inbox.InvokeAsync(() => inbox.Find("[data-testid='composer']").SubmitAsync());

        inbox.WaitForAssertion(() =>
        {
            var note = inbox.FindAll("[data-testid='message']").Single(m => m.TextContent.Contains("Carrier says Tuesday"));
            note.ClassList.ShouldContain("message-note");
            note.QuerySelector("[data-testid='note-label']").ShouldNotBeNull();
        }, Live);
        (await VisibilityInDatabaseAsync(chatId, "Carrier says Tuesday, do not promise Monday")).ShouldBe(MessageVisibility.Team);

        await inbox.InvokeAsync(() => inbox.Find("[data-testid='composer-mode-reply']").ClickAsync(new()));
        inbox.Find("[data-testid='composer']").GetAttribute("data-mode").ShouldBe("reply");
        await inbox.InvokeAsync(() => inbox.Find("[data-composer-input]").InputAsync(new ChangeEventArgs { Value = "It should arrive on Tuesday" }));
        await inbox.InvokeAsync(() => inbox.Find("[data-testid='composer']").SubmitAsync());

        inbox.WaitForAssertion(() => inbox.Find("[data-testid='history']").TextContent.ShouldContain("It should arrive on Tuesday"), Live);
        (await VisibilityInDatabaseAsync(chatId, "It should arrive on Tuesday")).ShouldBe(MessageVisibility.Everyone);
        var seenByCustomer = (await customer.Client.MessagesAsync(chatId)).Select(m => m!.Str("content")).ToList();
        seenByCustomer.ShouldContain("It should arrive on Tuesday");
        seenByCustomer.ShouldNotContain("Carrier says Tuesday, do not promise Monday");
    }

    [Fact]
    public async Task A_customer_has_no_note_switch_and_does_not_see_the_teams_notes()
    {
        var (customer, chatId) = await CustomerWithChatAsync("Hello?");
        var agent = await App.NewTeamMemberAsync("moderator");
        (await agent.Client.PostJsonAsync($"/api/v1/messages", new { channel_id = chatId, content = "Team only: VIP customer", visibility = "team" }))
            .EnsureSuccessStatusCode();
        var viewer = await SignInAsync(customer.Username);
        var abilities = await App.Services.GetRequiredService<ChannelCapabilities>().ForAsync(viewer.Actor, chatId);
        abilities.Write.ShouldBeTrue();
        abilities.Note.ShouldBeFalse();
        RenderProviders();

        var pane = Render<Conversation>(p => p
            .Add(c => c.ChannelId, chatId)
            .Add(c => c.Viewer, viewer)
            .Add(c => c.Title, "Support")
            .Add(c => c.AllowNotes, abilities.Note));

        pane.WaitForAssertion(() => pane.Find("[data-testid='history']").TextContent.ShouldContain("Hello?"), Live);
        pane.FindAll("[data-testid='composer']").Count.ShouldBe(1);
        pane.FindAll("[data-testid='composer-mode-note']").ShouldBeEmpty();
        pane.FindAll("[data-testid='composer-mode-reply']").ShouldBeEmpty();
        pane.Find("[data-testid='history']").TextContent.ShouldNotContain("VIP customer");
    }

    private async Task<IRenderedComponent<Whop.Inbox.Support.Pages.Inbox>> OpenInboxAsync(string address)
    {
        await SignInAsync("maya");
        RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return Render<Whop.Inbox.Support.Pages.Inbox>();
    }

    private async Task<string> MeAsync() => (await Services.GetRequiredService<Whop.Inbox.Identity.Viewer>().GetAsync()).UserId!;

    private async Task<string?> AssigneeInDatabaseAsync(string chatId)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Channels.Where(c => c.Id == chatId).Select(c => c.AssigneeId).SingleAsync();
    }

    private async Task<MessageVisibility> VisibilityInDatabaseAsync(string chatId, string content)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Messages.Where(m => m.ChannelId == chatId && m.Content == content).Select(m => m.Visibility).SingleAsync();
    }

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

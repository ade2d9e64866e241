using Bunit;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Components;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Components;

/// <summary>The conversation pane over the real services and database: what a person does in it, and what arrives live.</summary>
public sealed class ConversationPaneTests(InboxApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Sending_shows_the_message_stores_it_and_empties_the_box()
    {
        var (pane, me, dm, _) = await OpenDmAsync();

        pane.Find("[data-composer-input]").Input("Hello from the pane");
        await pane.Find("[data-testid='composer']").SubmitAsync();

        pane.WaitForAssertion(() => pane.Find("[data-testid='history']").TextContent.ShouldContain("Hello from the pane"), Live);
        pane.Find("[data-composer-input]").GetAttribute("value").ShouldBe("");
        (await me.Client.MessagesAsync(dm)).Select(m => m!.Str("content")).ShouldContain("Hello from the pane");
    }

    [Fact]
    public async Task A_refused_send_keeps_the_draft_and_says_why()
    {
        var (pane, me, dm, _) = await OpenDmAsync();
        var tooLong = new string('x', Message.MaxContentLength + 1);

        pane.Find("[data-composer-input]").Input(tooLong);
        await pane.Find("[data-testid='composer']").SubmitAsync();

        pane.WaitForAssertion(() => pane.Find("[data-testid='send-error']").TextContent.ShouldNotBeNullOrWhiteSpace(), Live);
        pane.Find("[data-composer-input]").GetAttribute("value").ShouldBe(tooLong);
        pane.Find("[data-composer-input]").GetAttribute("aria-invalid").ShouldBe("true");
        (await me.Client.MessagesAsync(dm)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Own_messages_are_edited_and_deleted_in_place()
    {
        var (pane, me, dm, _) = await OpenDmAsync(first: "Frist draft");
        var dialogs = RenderProvidersOnce();

        pane.WaitForAssertion(() => pane.FindAll("[data-testid='edit-message']").Count.ShouldBe(1), Live);
        await pane.Find("[data-testid='edit-message']").ClickAsync(new());
        pane.Find("[data-testid='edit-draft']").Input("First draft");
        await pane.Find(".edit-form").SubmitAsync();
        pane.WaitForAssertion(() => pane.Find("[data-testid='message-content']").TextContent.ShouldContain("First draft"), Live);
        (await me.Client.MessagesAsync(dm)).Single()!.Str("content").ShouldBe("First draft");

        // The click's handler waits for the answer to its question: answer it, then let the click finish.
        var deleting = pane.Find("[data-testid='delete-message']").ClickAsync(new());
        AngleSharp.Dom.IElement? delete = null;
        dialogs.WaitForAssertion(() => (delete = dialogs.FindAll("button").FirstOrDefault(b => b.TextContent.Trim() == "Delete")).ShouldNotBeNull(), Live);
        await delete!.ClickAsync(new());
        await deleting.WaitAsync(Live);
        pane.WaitForAssertion(() => pane.FindAll("[data-testid='message']").ShouldBeEmpty(), Live);
        (await me.Client.MessagesAsync(dm)).Where(m => m!.Str("message_type") != "system").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_reaction_is_added_and_shown_as_mine()
    {
        var (pane, _, _, _) = await OpenDmAsync(first: "React to me");

        pane.WaitForAssertion(() => pane.FindAll("button[aria-label='React']").Count.ShouldBe(1), Live);
        await pane.Find("button[aria-label='React']").ClickAsync(new());
        await pane.Find("button[aria-label='👍']").ClickAsync(new());

        pane.WaitForAssertion(() =>
        {
            var mine = pane.Find("button[aria-label='👍 1']");
            mine.GetAttribute("aria-pressed").ShouldBe("true");
        }, Live);
    }

    [Fact]
    public async Task A_message_from_someone_else_arrives_live()
    {
        var (pane, _, dm, other) = await OpenDmAsync();

        await other.Client.SendAsync(dm, "Are you there?");

        pane.WaitForAssertion(() => pane.Find("[data-testid='history']").TextContent.ShouldContain("Are you there?"), Live);
    }

    [Fact]
    public async Task A_poll_is_written_in_the_composer_kept_while_wrong_and_sent_with_its_options()
    {
        var (pane, me, dm, _) = await OpenDmAsync();

        await pane.InvokeAsync(() => pane.Find("[data-testid='composer-poll']").ClickAsync(new()));
        await pane.InvokeAsync(() => pane.Find("[data-testid='poll-add-option']").ClickAsync(new()));
        pane.WaitForAssertion(() => pane.FindAll("[data-testid='poll-option-input']").Count.ShouldBe(3), Live);
        await pane.InvokeAsync(() => pane.FindAll("[data-testid='poll-option-input']")[0].Input("Office"));
        await pane.InvokeAsync(() => pane.FindAll("[data-testid='poll-option-input']")[2].Input("Café"));
        await pane.InvokeAsync(() => pane.Find("[data-composer-input]").Input("Where do we meet?"));
        await pane.InvokeAsync(() => pane.Find("[data-testid='composer']").SubmitAsync());

        pane.WaitForAssertion(() =>
        {
            pane.Find("[data-testid='poll-error']").TextContent.ShouldContain("1 to 200 characters");
            pane.FindAll("[data-testid='poll-option-input']").Select(i => i.GetAttribute("value")).ShouldBe(["Office", "", "Café"]);
            pane.FindAll("[data-testid='poll-option-input']").Select(i => i.GetAttribute("aria-invalid"))
                .ShouldBe([null, "true", null], "the empty second option is the one named");
        }, Live);
        pane.Find("[data-composer-input]").GetAttribute("value").ShouldBe("Where do we meet?");
        (await me.Client.MessagesAsync(dm)).ShouldBeEmpty();

        await pane.InvokeAsync(() => pane.FindAll("[data-testid='poll-option-input']")[1].Input("Online"));
        await pane.InvokeAsync(() => pane.Find("[data-testid='composer']").SubmitAsync());

        pane.WaitForAssertion(() => pane.FindAll("[data-testid='poll-option']").Select(b => b.TextContent.Trim()[..^1].Trim())
            .ShouldBe(["Office", "Online", "Café"]), Live);
        pane.FindAll("[data-testid='poll-editor']").ShouldBeEmpty();
        var sent = (await me.Client.MessagesAsync(dm)).Single()!;
        sent.Str("content").ShouldBe("Where do we meet?");
        sent["poll"]!["options"]!.AsArray().Select(o => o!.Str("text")).ShouldBe(["Office", "Online", "Café"]);
    }

    [Fact]
    public async Task One_click_votes_a_second_withdraws_and_others_votes_move_the_counts_live()
    {
        var (pane, me, dm, other) = await OpenDmAsync();
        var poll = await other.Client.PostJsonAsync(DmScenario.Messages, new
        {
            channel_id = dm, content = "Pizza?", poll = new { options = new[] { new { id = "1", text = "Yes" }, new { id = "2", text = "No" } } },
        }).OkJsonAsync();
        pane.WaitForAssertion(() => pane.FindAll("[data-testid='poll-option']").Count.ShouldBe(2), Live);

        await pane.InvokeAsync(() => pane.Find("[data-option-id='1']").ClickAsync(new()));
        pane.WaitForAssertion(() =>
        {
            pane.Find("[data-option-id='1']").GetAttribute("aria-pressed").ShouldBe("true");
            pane.Find("[data-option-id='1']").GetAttribute("data-votes").ShouldBe("1");
        }, Live);

        await other.Client.PostJsonAsync(DmScenario.Reactions, new { resource_id = poll.Id(), poll_option_id = "2" }).OkJsonAsync();
        pane.WaitForAssertion(() => pane.Find("[data-option-id='2']").GetAttribute("data-votes").ShouldBe("1"), Live);

        await pane.InvokeAsync(() => pane.Find("[data-option-id='1']").ClickAsync(new()));
        pane.WaitForAssertion(() =>
        {
            pane.Find("[data-option-id='1']").GetAttribute("aria-pressed").ShouldBe("false");
            pane.Find("[data-option-id='1']").GetAttribute("data-votes").ShouldBe("0");
        }, Live);
        (await me.Client.GetAsync($"{DmScenario.Messages}/{poll.Id()}").OkJsonAsync())["poll_votes"]!.ToJsonString()
            .ShouldBe("""[{"count":0,"option_id":"1"},{"count":1,"option_id":"2"}]""");
    }

    private IRenderedComponent<MudBlazor.MudDialogProvider>? providers;

    private IRenderedComponent<MudBlazor.MudDialogProvider> RenderProvidersOnce() => providers ??= RenderProviders();

    /// <summary>Two new people and a DM between them; the pane opened as the first, after an optional first message of theirs.</summary>
    private async Task<(IRenderedComponent<Conversation> Pane, TestUser Me, string DmId, TestUser Other)> OpenDmAsync(string? first = null)
    {
        var me = await App.NewUserAsync("pane");
        var other = await App.NewUserAsync("other");
        var dm = (await me.Client.CreateDmAsync(other.Id)).Id();
        if (first is not null) await me.Client.SendAsync(dm, first);
        var viewer = await SignInAsync(me.Username);
        RenderProvidersOnce();
        var pane = Render<Conversation>(p => p
            .Add(c => c.ChannelId, dm)
            .Add(c => c.Viewer, viewer)
            .Add(c => c.Title, other.Name));
        pane.WaitForAssertion(() => pane.FindAll("[data-testid='composer']").Count.ShouldBe(1), Live);
        pane.WaitForAssertion(() => pane.Markup.ShouldNotContain("Loading messages"), Live);
        return (pane, me, dm, other);
    }
}

using Bunit;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Components;
using Whop.Inbox.Messaging.Polls;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Components;

/// <summary>A poll as a message shows it, and the form that writes one.</summary>
public sealed class PollComponentsTests(InboxApp app) : ComponentTest(app)
{
    private static readonly PollView Lunch = new([new("1", "Tacos", 3), new("2", "Ramen", 1), new("3", "Salad", 0)]);

    [Fact]
    public void Each_option_shows_its_count_and_share_and_the_viewers_vote_is_pressed()
    {
        var card = Render<PollCard>(p => p.Add(c => c.Poll, Lunch).Add(c => c.MyVote, "2").Add(c => c.CanVote, true));

        var options = card.FindAll("[data-testid='poll-option']");
        options.Select(o => o.GetAttribute("aria-label")).ShouldBe(["Tacos: 3 votes", "Ramen: 1 vote, your vote", "Salad: 0 votes"]);
        options.Select(o => o.GetAttribute("aria-pressed")).ShouldBe(["false", "true", "false"]);
        card.FindAll(".poll-bar").Select(b => b.GetAttribute("style")).ShouldBe(["width: 75%", "width: 25%", "width: 0%"]);
        card.Find("[data-testid='poll-total']").TextContent.ShouldStartWith("4 votes");
    }

    [Fact]
    public async Task A_click_raises_the_option_and_nothing_is_clickable_for_who_cannot_vote()
    {
        string? picked = null;
        var card = Render<PollCard>(p => p.Add(c => c.Poll, Lunch).Add(c => c.CanVote, true).Add(c => c.OnVote, (string id) => picked = id));

        await card.Find("[data-option-id='3']").ClickAsync(new());
        picked.ShouldBe("3");

        var readOnly = Render<PollCard>(p => p.Add(c => c.Poll, Lunch).Add(c => c.CanVote, false));
        readOnly.FindAll("[data-testid='poll-option']").ShouldAllBe(o => o.HasAttribute("disabled"));
    }

    [Fact]
    public async Task The_form_adds_up_to_ten_options_removes_down_to_two_and_names_the_wrong_one()
    {
        var draft = new PollDraft();
        var editor = Render<PollEditor>(p => p.Add(c => c.Draft, draft).Add(c => c.IdPrefix, "poll-test"));

        editor.FindAll("[data-testid='poll-remove-option']").ShouldAllBe(b => b.HasAttribute("disabled"), "two is the fewest");
        for (var i = 0; i < 9; i++) await editor.Find("[data-testid='poll-add-option']").ClickAsync(new());
        editor.FindAll("[data-testid='poll-option-input']").Count.ShouldBe(PollDraft.MaxOptions);
        editor.Find("[data-testid='poll-add-option']").HasAttribute("disabled").ShouldBeTrue();
        await editor.FindAll("[data-testid='poll-remove-option']")[0].ClickAsync(new());
        editor.FindAll("[data-testid='poll-option-input']").Count.ShouldBe(9);

        for (var i = 0; i < 9; i++) editor.FindAll("[data-testid='poll-option-input']")[i].Input(i == 4 ? "  " : $"Option {i}");
        var failure = draft.Check().Failure!;
        failure.Field.ShouldBe("poll.options[4].text");
        editor.Render(p => p.Add(c => c.Error, failure));

        editor.Find("[data-testid='poll-error']").GetAttribute("role").ShouldBe("alert");
        editor.FindAll("[data-testid='poll-option-input']").Select(o => o.GetAttribute("aria-invalid"))
            .ShouldBe([null, null, null, null, "true", null, null, null, null]);
        editor.FindAll("[data-testid='poll-option-input']")[4].GetAttribute("aria-describedby").ShouldBe("poll-test-error");
    }
}

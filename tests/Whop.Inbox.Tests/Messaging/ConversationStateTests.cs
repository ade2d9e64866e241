using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Components;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Tests.Messaging;

public sealed class ConversationStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private const string Me = "user_me";
    private const string Other = "user_other";

    [Fact]
    public void Events_during_the_load_are_held_and_applied_on_top_of_the_history()
    {
        var state = new ConversationState(Me);
        state.Apply(Created(Message("m3", Other, minutes: 3))).ShouldBe(ConversationChange.None);
        state.Messages.ShouldBeNull();

        var changes = state.Load([Message("m2", Other, minutes: 2), Message("m1", Me, minutes: 1)]);

        changes.ShouldBe([ConversationChange.MessageFromOthers]);
        state.Messages!.Select(m => m.Id).ShouldBe(["m1", "m2", "m3"]);
    }

    [Fact]
    public void Messages_stay_in_the_order_they_were_written_whatever_order_their_events_come_in()
    {
        var state = Loaded(Message("m1", Other, minutes: 1));

        state.Apply(Created(Message("m3", Other, minutes: 3)));
        state.Apply(Created(Message("m2", Me, minutes: 2))).ShouldBe(ConversationChange.OwnMessage);

        state.Messages!.Select(m => m.Id).ShouldBe(["m1", "m2", "m3"]);
    }

    [Fact]
    public void A_message_seen_twice_is_shown_once()
    {
        var state = Loaded(Message("m1", Me, minutes: 1));

        state.Apply(Created(Message("m1", Me, minutes: 1))).ShouldBe(ConversationChange.Redraw);
        state.Add(Message("m1", Me, minutes: 1)).ShouldBeFalse();

        state.Messages!.Count.ShouldBe(1);
    }

    [Fact]
    public void Edits_and_deletions_apply_to_the_message_they_name()
    {
        var state = Loaded(Message("m1", Other, minutes: 1), Message("m2", Other, minutes: 2));

        state.Apply(Event(ChatEventTypes.MessageEdited, MessageEventOf(Message("m1", Other, minutes: 1) with { Content = "fixed", IsEdited = true })));
        state.Apply(Event(ChatEventTypes.MessageDeleted, new MessageDeleted("m2", Other, T0, Other))).ShouldBe(ConversationChange.Redraw);

        state.Messages!.Single().Content.ShouldBe("fixed");
        state.Apply(Event(ChatEventTypes.MessageDeleted, new MessageDeleted("gone", Other, T0, Other))).ShouldBe(ConversationChange.None);
    }

    [Fact]
    public void My_reactions_follow_my_events_and_counts_follow_everyones()
    {
        var state = Loaded(Message("m1", Other, minutes: 1));

        state.Apply(Event(ChatEventTypes.ReactionChanged, new ReactionChanged("m1", "👍", Me, true, [new("👍", 2)])));
        state.Apply(Event(ChatEventTypes.ReactionChanged, new ReactionChanged("m1", "🎉", Other, true, [new("👍", 2), new("🎉", 1)])));

        state.MyReactionsOn("m1").ShouldBe(["👍"]);
        state.Messages!.Single().ReactionCounts.Select(r => (r.Emoji, r.Count)).ShouldBe([("👍", 2), ("🎉", 1)]);

        state.Apply(Event(ChatEventTypes.ReactionChanged, new ReactionChanged("m1", "👍", Me, false, [new("👍", 1), new("🎉", 1)])));
        state.MyReactionsOn("m1").ShouldBeEmpty();
    }

    [Fact]
    public void A_votes_event_moves_the_polls_counts_and_mine_follows_my_votes_only()
    {
        var poll = new PollView([new("1", "Yes", 0), new("2", "No", 0)]);
        var state = Loaded(Message("m1", Other, minutes: 1) with { Poll = poll });

        state.Apply(Event(ChatEventTypes.ReactionChanged, new ReactionChanged("m1", null, Me, true, [], "1", [new("1", 1), new("2", 0)])));
        state.Apply(Event(ChatEventTypes.ReactionChanged, new ReactionChanged("m1", null, Other, true, [], "2", [new("1", 1), new("2", 1)])));

        state.MyVoteOn("m1").ShouldBe("1");
        state.MyReactionsOn("m1").ShouldBeEmpty("a vote is not an emoji");
        state.Messages!.Single().Poll!.Options.Select(o => (o.Text, o.Votes)).ShouldBe([("Yes", 1), ("No", 1)]);

        state.Apply(Event(ChatEventTypes.ReactionChanged, new ReactionChanged("m1", null, Me, false, [], "1", [new("1", 0), new("2", 1)])));
        state.MyVoteOn("m1").ShouldBeNull();
        state.Messages!.Single().Poll!.Options.Select(o => o.Votes).ShouldBe([0, 1]);
    }

    [Fact]
    public void The_newest_page_read_again_is_the_truth_within_its_window()
    {
        var state = Loaded(Message("m1", Other, minutes: 1), Message("m2", Other, minutes: 2), Message("m3", Other, minutes: 3));

        // m3 was deleted meanwhile, m2 edited, m4 is new; m1 is older than the fresh page and stays.
        state.MergeNewest([Message("m4", Me, minutes: 4), Message("m2", Other, minutes: 2) with { Content = "edited" }]);

        state.Messages!.Select(m => m.Id).ShouldBe(["m1", "m2", "m4"]);
        state.Find("m2")!.Content.ShouldBe("edited");
    }

    [Fact]
    public void Older_pages_go_above_without_repeating_what_is_shown()
    {
        var state = Loaded(Message("m3", Other, minutes: 3));

        var added = state.PrependOlder([Message("m3", Other, minutes: 3), Message("m2", Other, minutes: 2), Message("m1", Other, minutes: 1)]);

        added.Select(m => m.Id).ShouldBe(["m1", "m2"]);
        state.Messages!.Select(m => m.Id).ShouldBe(["m1", "m2", "m3"]);
    }

    [Theory]
    [InlineData(ChatEventTypes.Resync, ConversationChange.Resync)]
    [InlineData(ChatEventTypes.DmDeleted, ConversationChange.Deleted)]
    [InlineData(ChatEventTypes.AccessRevoked, ConversationChange.AccessRevoked)]
    [InlineData(ChatEventTypes.TypingStarted, ConversationChange.None)]
    public void Notices_say_what_the_pane_must_do(string type, ConversationChange expected) =>
        Loaded().Apply(ChatEvent.Notice(type, "feed_1", T0)).ShouldBe(expected);

    private static ConversationState Loaded(params MessageView[] oldestFirst)
    {
        var state = new ConversationState(Me);
        state.Load(oldestFirst.Reverse());
        return state;
    }

    private static MessageView Message(string id, string userId, int minutes) => new(
        id, "feed_1", $"text of {id}", T0.AddMinutes(minutes), T0.AddMinutes(minutes), false, false, MessageType.Regular, null,
        new UserSummary(userId, userId, userId), [], [], false);

    private static MessageEvent MessageEventOf(MessageView view) => new(view, null);

    private static ChatEvent Created(MessageView view) => Event(ChatEventTypes.MessageCreated, MessageEventOf(view));

    private static ChatEvent Event(string type, object data) => new(type, "feed_1", 1, T0, null, data);
}

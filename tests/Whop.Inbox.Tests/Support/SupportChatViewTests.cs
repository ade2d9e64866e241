using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Support;

namespace Whop.Inbox.Tests.Support;

/// <summary>A chat as a page shows it follows the chat's events by position: never back to an older state.</summary>
public sealed class SupportChatViewTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_newer_event_moves_the_status_and_the_activity()
    {
        var reopened = Shown(SupportStatus.Resolved, position: 5).After(Event(SupportStatus.Open, position: 6, minutes: 3));

        (reopened.Status, reopened.EventPosition, reopened.LastActivityAt).ShouldBe((SupportStatus.Open, 6L, T0.AddMinutes(3)));
    }

    [Fact]
    public void An_event_the_view_already_includes_changes_nothing()
    {
        // Resolved from the header (position 7 read back) after the customer's reply had reopened it at 6.
        var shown = Shown(SupportStatus.Open, position: 7);

        shown.After(Event(SupportStatus.Resolved, position: 6, minutes: 1)).ShouldBeSameAs(shown);
        shown.After(Event(SupportStatus.Resolved, position: 7, minutes: 1)).ShouldBeSameAs(shown);
    }

    [Fact]
    public void Typing_changes_nothing_even_if_it_carried_a_status()
    {
        var shown = Shown(SupportStatus.Open, position: 7);
        var typing = new ChatEvent(ChatEventTypes.TypingStopped, "feed_1", null, T0,
            new ChannelSnapshot(ChannelKind.Support, "biz_1", "user_alice", SupportStatus.Resolved, null, 0, T0, T0), null);

        shown.After(typing).ShouldBeSameAs(shown);
    }

    [Fact]
    public void A_read_that_answers_after_a_newer_event_is_not_kept()
    {
        var shown = Shown(SupportStatus.Open, position: 9);

        SupportChatView.Newer(shown, Shown(SupportStatus.Resolved, position: 8)).ShouldBeSameAs(shown);
        SupportChatView.Newer(shown, Shown(SupportStatus.Resolved, position: 10)).Status.ShouldBe(SupportStatus.Resolved);
        SupportChatView.Newer(null, shown).ShouldBeSameAs(shown);
    }

    private static SupportChatView Shown(SupportStatus status, long position) => new()
    {
        Id = "feed_1", CompanyId = "biz_1", Customer = new UserSummary("user_alice", "Alice Moreau", "alice"), CreatedAt = T0.AddDays(-1),
        LastMessageAt = T0, LastActivityAt = T0, Status = status, LastMessagePreview = "Hello", EventPosition = position,
    };

    private static ChatEvent Event(SupportStatus status, long position, int minutes) =>
        new(ChatEventTypes.MessageCreated, "feed_1", position, T0.AddMinutes(minutes),
            new ChannelSnapshot(ChannelKind.Support, "biz_1", "user_alice", status, null, 0, T0.AddMinutes(minutes), T0.AddMinutes(minutes)), null);
}

using Bunit;
using Whop.Inbox.TestSupport;
using Whop.Inbox.Components.Shared;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Support;
using Whop.Inbox.Support.Components;

namespace Whop.Inbox.Tests.Components;

public sealed class InboxComponentsTests(InboxApp app) : ComponentTest(app)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_inbox_row_shows_the_customer_preview_time_unread_count_and_status()
    {
        var html = Render<InboxRow>(p => p
            .Add(r => r.Chat, Chat(unread: 3, SupportStatus.Open, "Where is my <b>invoice</b>?"))
            .Add(r => r.Href, "inbox?chat=feed_1")
            .Add(r => r.Now, Now)).Markup;
        html.ShouldContain("Alice Moreau");
        html.ShouldContain("@alice");
        html.ShouldContain(">AM<");
        html.ShouldContain("Where is my &lt;b&gt;invoice&lt;/b&gt;?");
        html.ShouldContain("aria-label=\"3 unread\"");
        html.ShouldContain(">Open<");
        html.ShouldContain("15 min ago");
        html.ShouldContain("href=\"inbox?chat=feed_1\"");
    }

    [Fact]
    public void A_read_resolved_row_has_no_badge_and_says_resolved()
    {
        var html = Render<InboxRow>(p => p
            .Add(r => r.Chat, Chat(unread: 0, SupportStatus.Resolved, null))
            .Add(r => r.Href, "inbox?chat=feed_1")
            .Add(r => r.Selected, true)
            .Add(r => r.Now, Now)).Markup;
        html.ShouldNotContain("unread-badge");
        html.ShouldContain(">Resolved<");
        html.ShouldContain("No messages yet");
        html.ShouldContain("aria-current=\"true\"");
    }

    [Fact]
    public void An_empty_state_announces_itself_with_its_title()
    {
        var html = Render<EmptyState>(p => p.Add(e => e.Title, "Nothing awaits the team.").Add(e => e.TestId, "inbox-empty")).Markup;
        html.ShouldContain("role=\"status\"");
        html.ShouldContain("Nothing awaits the team.");
        html.ShouldContain("data-testid=\"inbox-empty\"");
    }

    [Theory]
    [InlineData(0.5, "just now")]
    [InlineData(42, "42 min ago")]
    [InlineData(60 * 5, "5 h ago")]
    [InlineData(60 * 24 * 3, "3 d ago")]
    [InlineData(60 * 24 * 30, "22 Oct")]
    public void Relative_times_read_naturally(double minutesAgo, string expected) =>
        RelativeTime.Format(Now.AddMinutes(-minutesAgo), Now).ShouldBe(expected);

    private static SupportChatView Chat(int unread, SupportStatus status, string? preview) => new()
    {
        Id = "feed_1", CompanyId = "biz_1", Customer = new UserSummary("user_alice", "Alice Moreau", "alice"), CreatedAt = Now.AddDays(-2),
        LastMessageAt = Now.AddMinutes(-15), LastActivityAt = Now.AddMinutes(-15), Status = status, UnreadCount = unread,
        LastMessagePreview = preview, EventPosition = 4,
    };
}

using Bunit;
using Whop.Inbox.TestSupport;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Components;

namespace Whop.Inbox.Tests.Components;

public sealed class MessageRenderingTests(InboxApp app) : ComponentTest(app)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Markdown_is_rendered()
    {
        var html = RenderMarkup("**Bold**, *italic*, `code` and a list:\n\n- one\n- two");
        html.ShouldContain("<strong>Bold</strong>");
        html.ShouldContain("<em>italic</em>");
        html.ShouldContain("<code>code</code>");
        html.ShouldContain("<li>one</li>");
    }

    [Fact]
    public void A_script_tag_shows_as_text_and_never_runs()
    {
        var html = RenderMarkup("Hi <script>alert('x')</script> there");
        html.ShouldNotContain("<script");
        html.ShouldContain("&lt;script&gt;");
    }

    [Fact]
    public void An_image_with_onerror_shows_as_text()
    {
        var html = RenderMarkup("<img src=x onerror=alert(1)>");
        html.ShouldNotContain("<img");
        html.ShouldContain("&lt;img src=x onerror=alert(1)&gt;");
    }

    [Fact]
    public void Links_open_safely_in_a_new_tab_and_script_urls_are_dropped()
    {
        var html = RenderMarkup("[docs](https://example.com/docs) and [trap](javascript:alert(1)) and https://example.org");
        html.ShouldContain("href=\"https://example.com/docs\"");
        html.ShouldContain("target=\"_blank\"");
        html.ShouldContain("rel=\"noopener noreferrer nofollow ugc\"");
        html.ShouldNotContain("javascript:");
        html.ShouldContain("href=\"https://example.org\"");
    }

    [Fact]
    public void A_script_link_shows_as_plain_text_not_as_a_link()
    {
        var html = RenderMarkup("[click me](javascript:alert(1)) and <javascript:alert(2)>");
        html.ShouldNotContain("href=\"#\"");
        html.ShouldNotContain("javascript:alert(1)");
        html.ShouldContain("click me");
        html.ShouldNotContain("<a ");
    }

    [Theory]
    [InlineData("**Bold** and [docs](https://example.com)", "Bold and docs")]
    [InlineData("Line one\n\n- item", "Line one item")]
    [InlineData("`code` <b>raw</b>", "code <b>raw</b>")]
    public void A_preview_is_the_plain_words_on_one_line(string markdown, string expected) =>
        MessageMarkdown.ToPreview(markdown).ShouldBe(expected);

    [Fact]
    public void A_long_preview_is_cut_with_an_ellipsis() =>
        MessageMarkdown.ToPreview(new string('a', 300), 100).ShouldBe(new string('a', 99) + "…");

    [Fact]
    public void Markdown_images_become_links_so_nothing_loads_from_elsewhere()
    {
        var html = RenderMarkup("![pixel](https://tracker.example/p.gif)");
        html.ShouldNotContain("<img");
        html.ShouldContain("href=\"https://tracker.example/p.gif\"");
    }

    [Fact]
    public void The_author_name_is_escaped_too()
    {
        var message = Message("hello") with { User = new UserSummary("user_x", "<b>Mallory</b>", "mallory") };
        var item = Render<MessageItem>(p => p.Add(m => m.Message, message).Add(m => m.Now, Now));
        item.Find(".message-author").TextContent.ShouldBe("<b>Mallory</b>");
        item.FindAll("b").ShouldBeEmpty();
    }

    [Fact]
    public void A_system_message_is_a_note_without_an_author()
    {
        var message = Message("Maya Chen resolved this chat.") with { MessageType = MessageType.System };
        var html = Render<MessageItem>(p => p.Add(m => m.Message, message).Add(m => m.Now, Now)).Markup;
        html.ShouldContain("role=\"note\"");
        html.ShouldContain("Maya Chen resolved this chat.");
        html.ShouldNotContain("message-author");
    }

    [Fact]
    public void Edits_pins_and_reactions_are_shown()
    {
        var message = Message("Pinned and edited") with
        {
            IsEdited = true,
            IsPinned = true,
            ReactionCounts = [new ReactionCount("👍", 3)],
        };
        var html = Render<MessageItem>(p => p
            .Add(m => m.Message, message).Add(m => m.Now, Now).Add(m => m.CanReact, true)
            .Add(m => m.MyReactions, new HashSet<string> { "👍" })).Markup;
        html.ShouldContain("(edited)");
        html.ShouldContain("pinned");
        html.ShouldContain("aria-pressed=\"true\"");
        // The renderer may write the emoji as a character reference; what a browser shows is what counts.
        System.Net.WebUtility.HtmlDecode(html).ShouldContain("aria-label=\"👍 3\"");
    }

    private string RenderMarkup(string content) =>
        Render<MessageItem>(p => p.Add(m => m.Message, Message(content)).Add(m => m.Now, Now)).Markup;

    private static MessageView Message(string content) => new(
        "post_test", "feed_test", content, Now.AddMinutes(-5), Now.AddMinutes(-5), false, false, MessageType.Regular, null,
        new UserSummary("user_alice", "Alice Moreau", "alice"), [], [], false);
}

using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Components;

namespace Whop.Inbox.Tests.Components;

public sealed class MessageRenderingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Markdown_is_rendered()
    {
        var html = await RenderAsync("**Bold**, *italic*, `code` and a list:\n\n- one\n- two");
        html.ShouldContain("<strong>Bold</strong>");
        html.ShouldContain("<em>italic</em>");
        html.ShouldContain("<code>code</code>");
        html.ShouldContain("<li>one</li>");
    }

    [Fact]
    public async Task A_script_tag_shows_as_text_and_never_runs()
    {
        var html = await RenderAsync("Hi <script>alert('x')</script> there");
        html.ShouldNotContain("<script");
        html.ShouldContain("&lt;script&gt;");
    }

    [Fact]
    public async Task An_image_with_onerror_shows_as_text()
    {
        var html = await RenderAsync("<img src=x onerror=alert(1)>");
        html.ShouldNotContain("<img");
        html.ShouldContain("&lt;img src=x onerror=alert(1)&gt;");
    }

    [Fact]
    public async Task Links_open_safely_in_a_new_tab_and_script_urls_are_dropped()
    {
        var html = await RenderAsync("[docs](https://example.com/docs) and [trap](javascript:alert(1)) and https://example.org");
        html.ShouldContain("href=\"https://example.com/docs\"");
        html.ShouldContain("target=\"_blank\"");
        html.ShouldContain("rel=\"noopener noreferrer nofollow ugc\"");
        html.ShouldNotContain("javascript:");
        html.ShouldContain("href=\"https://example.org\"");
    }

    [Fact]
    public async Task Markdown_images_become_links_so_nothing_loads_from_elsewhere()
    {
        var html = await RenderAsync("![pixel](https://tracker.example/p.gif)");
        html.ShouldNotContain("<img");
        html.ShouldContain("href=\"https://tracker.example/p.gif\"");
    }

    [Fact]
    public async Task The_author_name_is_escaped_too()
    {
        var message = Message("hello") with { User = new UserSummary("user_x", "<b>Mallory</b>", "mallory") };
        var html = await ComponentRendering.RenderAsync<MessageItem>(new() { ["Message"] = message, ["Now"] = Now });
        html.ShouldNotContain("<b>Mallory</b>");
        html.ShouldContain("&lt;b&gt;Mallory&lt;/b&gt;");
    }

    [Fact]
    public async Task A_system_message_is_a_note_without_an_author()
    {
        var message = Message("Maya Chen resolved this chat.") with { Type = MessageType.System };
        var html = await ComponentRendering.RenderAsync<MessageItem>(new() { ["Message"] = message, ["Now"] = Now });
        html.ShouldContain("role=\"note\"");
        html.ShouldContain("Maya Chen resolved this chat.");
        html.ShouldNotContain("message-author");
    }

    [Fact]
    public async Task Edits_pins_and_reactions_are_shown()
    {
        var message = Message("Pinned and edited") with
        {
            IsEdited = true,
            IsPinned = true,
            ReactionCounts = [new ReactionCount("👍", 3)],
        };
        var html = await ComponentRendering.RenderAsync<MessageItem>(new()
        {
            ["Message"] = message, ["Now"] = Now, ["CanReact"] = true, ["MyReactions"] = new HashSet<string> { "👍" },
        });
        html.ShouldContain("(edited)");
        html.ShouldContain("pinned");
        html.ShouldContain("aria-pressed=\"true\"");
        // The renderer may write the emoji as a character reference; what a browser shows is what counts.
        System.Net.WebUtility.HtmlDecode(html).ShouldContain("aria-label=\"👍 3\"");
    }

    private static Task<string> RenderAsync(string content) =>
        ComponentRendering.RenderAsync<MessageItem>(new() { ["Message"] = Message(content), ["Now"] = Now });

    private static MessageView Message(string content) => new(
        "post_test", "feed_test", content, Now.AddMinutes(-5), Now.AddMinutes(-5), false, false, MessageType.Regular, null,
        new UserSummary("user_alice", "Alice Moreau", "alice"), [], [], false);
}

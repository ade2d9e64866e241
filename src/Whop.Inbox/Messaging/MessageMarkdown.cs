using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Markdig.Renderers.Html;

namespace Whop.Inbox.Messaging;

/// <summary>
/// Renders message Markdown to HTML that is safe to show: raw HTML in a message is escaped and
/// shown as text, links open in a new tab without handing over the page (rel=noopener), only
/// http(s) and mailto links are kept (any other, such as <c>javascript:</c>, shows as its plain text), and
/// images are shown as links (no tracking pixels). Lists show <see cref="ToPreview"/>: plain text, one line.
/// </summary>
public static class MessageMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    private static readonly string[] SafeSchemes = ["http", "https", "mailto"];

    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        // A link the app will not open is no link at all: its text stays, as text.
        foreach (var link in document.Descendants<LinkInline>().Where(l => !IsSafe(l.Url)).ToList())
        {
            link.ReplaceBy(new LiteralInline(PlainText(link)));
        }
        foreach (var link in document.Descendants<AutolinkInline>().Where(l => !l.IsEmail && !IsSafe(l.Url)).ToList())
        {
            link.ReplaceBy(new LiteralInline(link.Url));
        }
        foreach (var link in document.Descendants<LinkInline>())
        {
            link.IsImage = false;
            var attributes = link.GetAttributes();
            attributes.AddPropertyIfNotExist("target", "_blank");
            attributes.AddPropertyIfNotExist("rel", "noopener noreferrer nofollow ugc");
        }
        foreach (var link in document.Descendants<AutolinkInline>())
        {
            var attributes = link.GetAttributes();
            attributes.AddPropertyIfNotExist("target", "_blank");
            attributes.AddPropertyIfNotExist("rel", "noopener noreferrer nofollow ugc");
        }
        return document.ToHtml(Pipeline);
    }

    /// <summary>A message as a list shows it: the words without Markdown's marks, on one line, cut at <paramref name="max"/> characters.</summary>
    public static string ToPreview(string markdown, int max = 100)
    {
        var text = string.Join(' ', Markdown.ToPlainText(markdown, Pipeline)
            .Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }

    private static string PlainText(ContainerInline container) =>
        string.Concat(container.Descendants<LiteralInline>().Select(l => l.Content.ToString()));

    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return false;
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)) return url.StartsWith('/') && !url.StartsWith("//");
        return SafeSchemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase);
    }
}

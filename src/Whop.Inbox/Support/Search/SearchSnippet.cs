using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Whop.Inbox.Messaging;

namespace Whop.Inbox.Support.Search;

/// <summary>
/// A found message's text around its first match, as HTML: the text encoded, the words the query asked for in
/// <c>&lt;mark&gt;</c>. Words are compared as the indexes split them (letters and digits, case and accents folded),
/// so what is marked is what was found.
/// </summary>
public static partial class SearchSnippet
{
    public const int Before = 60;
    public const int Length = 180;

    public static string Html(string content, IReadOnlyList<SearchTerm> wanted)
    {
        var text = MessageMarkdown.ToPreview(content, Message.MaxContentLength + 1);
        var words = wanted.SelectMany(t => Word().Matches(t.Text).Select(m => (Fold(m.Value), t.Prefix))).ToList();
        var marks = Word().Matches(text).Where(m => words.Any(w => w.Prefix ? Fold(m.Value).StartsWith(w.Item1, StringComparison.Ordinal) : Fold(m.Value) == w.Item1)).ToList();

        var start = marks.Count == 0 ? 0 : Math.Max(0, marks[0].Index - Before);
        // Start at a word's beginning, not in the middle of one.
        if (start > 0 && text.LastIndexOf(' ', start) is var space and >= 0 && marks[0].Index - space <= Before + 20) start = space + 1;
        var end = Math.Min(text.Length, start + Length);
        var html = new StringBuilder();
        if (start > 0) html.Append('…');
        var at = start;
        foreach (var mark in marks.Where(m => m.Index >= start && m.Index + m.Length <= end))
        {
            html.Append(WebUtility.HtmlEncode(text[at..mark.Index])).Append("<mark>").Append(WebUtility.HtmlEncode(mark.Value)).Append("</mark>");
            at = mark.Index + mark.Length;
        }
        html.Append(WebUtility.HtmlEncode(text[at..end]));
        if (end < text.Length) html.Append('…');
        return html.ToString();
    }

    private static string Fold(string word)
    {
        var decomposed = word.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark) folded.Append(c);
        }
        return folded.ToString();
    }

    [GeneratedRegex(@"[\p{L}\p{N}\p{Mn}]+")]
    private static partial Regex Word();
}

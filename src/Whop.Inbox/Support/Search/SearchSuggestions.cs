using Whop.Inbox.Identity;

namespace Whop.Inbox.Support.Search;

/// <summary>One line under the search box: what it puts in the box (<see cref="Completion"/>), or the customer filter it opens.</summary>
public sealed record SearchSuggestion(string Label, string Hint, string? Completion, UserSummary? Customer = null);

/// <summary>
/// What the search box suggests for what is typed, without a renderer: the operators the last word starts, and for a
/// name, each matching customer twice: <c>from:</c> them (their messages) or the customer filter (their chats).
/// </summary>
public static class SearchSuggestions
{
    public const int MinNameLength = 2;

    /// <summary>The word being typed: after the last space (the whole text when there is none).</summary>
    public static string LastWord(string text) => text.Length == 0 || char.IsWhiteSpace(text[^1]) ? "" : text[(text.LastIndexOf(' ') + 1)..];

    /// <summary>The text with its last word replaced, ready for the next one.</summary>
    public static string Complete(string text, string completion)
    {
        var head = text[..^LastWord(text).Length];
        return head + completion + (completion.EndsWith(':') ? "" : " ");
    }

    /// <summary>Operators that start with the last word, and the choices an operator already typed takes.</summary>
    public static IReadOnlyList<SearchSuggestion> Operators(string text)
    {
        var word = LastWord(text).TrimStart('-').ToLowerInvariant();
        if (word.Length == 0) return [];
        var choices = SearchQuery.Operators.Select(o => o.Syntax)
            .Concat(SearchQuery.Statuses.Select(s => $"status:{s.Name}"))
            .Where(syntax => syntax.StartsWith(word, StringComparison.Ordinal) && syntax != word && syntax != "status:")
            .Take(6);
        var negated = LastWord(text).StartsWith('-') ? "-" : "";
        return [.. choices.Select(syntax => new SearchSuggestion(negated + syntax,
            SearchQuery.Operators.FirstOrDefault(o => o.Syntax == syntax).Meaning ?? "chats with this status", negated + syntax))];
    }

    /// <summary>Whether the last word is a name worth asking for customers.</summary>
    public static string? NameToLookUp(string text)
    {
        var word = LastWord(text);
        if (word.StartsWith("from:", StringComparison.OrdinalIgnoreCase)) word = word[5..];
        return word.Length >= MinNameLength && !word.Contains(':') && !word.StartsWith('-') && !word.StartsWith('"') ? word : null;
    }

    /// <summary>For each customer found: their messages (<c>from:</c>), and their chats (the customer filter).</summary>
    public static IEnumerable<SearchSuggestion> Customers(IEnumerable<UserSummary> customers) => customers.SelectMany(c => new[]
    {
        new SearchSuggestion($"from:{c.Username}", $"messages from {c.Name}", $"from:{c.Username}"),
        new SearchSuggestion($"Chats with {c.Name}", $"@{c.Username}: the customer filter", null, c),
    });
}

using System.Globalization;
using System.Text;
using Whop.Inbox.Common;
using Whop.Inbox.Messaging;

namespace Whop.Inbox.Support.Search;

/// <summary>The operators a search knows, as Zulip has them (each may be negated with a leading <c>-</c>).</summary>
public enum SearchOperator
{
    /// <summary><c>from:</c> a person (customer or team member), by username, id, email or name.</summary>
    From,
    /// <summary><c>is:unread</c>: chats with messages the searcher has not read.</summary>
    IsUnread,
    /// <summary><c>is:mine</c>: chats assigned to the searcher.</summary>
    IsMine,
    /// <summary><c>has:attachment</c>: messages with a file.</summary>
    HasAttachment,
    /// <summary><c>label:</c> a label's name.</summary>
    Label,
    /// <summary><c>status:</c> open, waiting, snoozed or resolved.</summary>
    Status,
    /// <summary><c>before:</c> YYYY-MM-DD: messages sent before that day (UTC).</summary>
    Before,
    /// <summary><c>after:</c> YYYY-MM-DD: messages sent on that day or later (UTC).</summary>
    After,
}

/// <summary>A word or a quoted phrase to find in messages (and, unnegated, in customers' names, usernames and emails).</summary>
/// <param name="Prefix">Written with a <c>*</c> after it: it also finds longer words that start with it (<c>refu*</c> finds <c>refund</c>).</param>
public sealed record SearchTerm(string Text, bool Negated, bool Phrase, bool Prefix = false);

/// <summary>An operator with its value: <see cref="Value"/> is the text after the colon, <see cref="Status"/> and <see cref="Day"/> parsed.</summary>
public sealed record SearchFilter(SearchOperator Operator, string Value, bool Negated, SupportStatus? Status = null, DateOnly? Day = null)
{
    /// <summary>The first moment the filter's day names (midnight UTC).</summary>
    public DateTimeOffset DayStart => new(Day!.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}

/// <summary>
/// A search as typed in the inbox's box or given as the API's <c>query</c>: free words, <c>"quoted phrases"</c>,
/// operators (<c>from:</c>, <c>is:unread</c>, <c>is:mine</c>, <c>has:attachment</c>, <c>label:</c>, <c>status:</c>,
/// <c>before:</c>, <c>after:</c>), <c>-</c> to negate any of them and <c>*</c> after a word to find the words it begins. Parsed here once, for the API and the page; the
/// text is never handed to a full-text engine's own syntax: <see cref="SearchIndex"/> quotes each term.
/// </summary>
public sealed record SearchQuery(IReadOnlyList<SearchTerm> Terms, IReadOnlyList<SearchFilter> Filters)
{
    public const string Field = "query";
    public const int MaxLength = 500;
    public const int MaxParts = 20;

    /// <summary>
    /// The fewest letters or digits a prefix (<c>word*</c>) has: a shorter one begins most words, and the index reads every
    /// match of every word it begins before it can order them.
    /// </summary>
    public const int MinPrefixLength = 3;

    /// <summary>The operators as typed, with what each takes: the search box's suggestions and the error messages read them.</summary>
    public static readonly IReadOnlyList<(string Syntax, string Meaning)> Operators =
    [
        ("from:", "messages by a customer or teammate (username, name or email)"),
        ("is:unread", "chats with messages you have not read"),
        ("is:mine", "chats assigned to you"),
        ("has:attachment", "messages with a file"),
        ("label:", "chats with a label"),
        ("status:", "open, waiting, snoozed or resolved chats"),
        ("before:", "messages sent before a day (YYYY-MM-DD)"),
        ("after:", "messages sent on or after a day (YYYY-MM-DD)"),
    ];

    public static readonly IReadOnlyList<(string Name, SupportStatus Status)> Statuses =
    [
        ("open", SupportStatus.Open), ("waiting", SupportStatus.Waiting), ("snoozed", SupportStatus.Snoozed), ("resolved", SupportStatus.Resolved),
    ];

    public IEnumerable<SearchTerm> Wanted => Terms.Where(t => !t.Negated);
    public IEnumerable<SearchTerm> Unwanted => Terms.Where(t => t.Negated);
    public IEnumerable<SearchFilter> Of(SearchOperator op) => Filters.Where(f => f.Operator == op);

    /// <summary>Whether it asks anything of the messages (words, an author, a file, a time), not only of the chats.</summary>
    public bool AsksOfMessages => Terms.Count > 0
        || Filters.Any(f => f.Operator is SearchOperator.From or SearchOperator.HasAttachment or SearchOperator.Before or SearchOperator.After);

    /// <summary>Reads a query; a failure naming <see cref="Field"/> says what is wrong with it.</summary>
    public static Outcome<SearchQuery> Parse(string? text)
    {
        text = (text ?? "").Trim();
        if (text.Length == 0) return Failure.Invalid(Field, "query is empty: type a word, a \"phrase\" or an operator such as from:alice.");
        if (text.Length > MaxLength) return Failure.Invalid(Field, $"query can be at most {MaxLength} characters (it has {text.Length}).");

        var parts = Split(text);
        if (parts.Count > MaxParts) return Failure.Invalid(Field, $"query can have at most {MaxParts} words and operators (it has {parts.Count}).");
        var terms = new List<SearchTerm>();
        var filters = new List<SearchFilter>();
        foreach (var part in parts)
        {
            if (part.Operator is { } name)
            {
                var filter = ParseFilter(name, part.Text, part.Negated);
                if (filter.Failure is { } invalid) return invalid;
                filters.Add(filter.Value!);
            }
            // Only symbols find nothing in any index: such a word is dropped rather than sent.
            else if (part.Text.Any(char.IsLetterOrDigit))
            {
                if (part.Prefix && part.Text.Count(char.IsLetterOrDigit) < MinPrefixLength)
                    return Failure.Invalid(Field, $"{part.Text}* is too short to find the words it begins: give it at least {MinPrefixLength} letters or digits.");
                terms.Add(new SearchTerm(part.Text, part.Negated, part.Quoted, part.Prefix));
            }
        }
        if (terms.Count == 0 && filters.Count == 0)
            return Failure.Invalid(Field, "query has nothing to search for: use letters or digits, a \"phrase\" or an operator such as from:alice.");
        if (!terms.Any(t => !t.Negated) && filters.Count == 0)
            return Failure.Invalid(Field, "query only excludes words (-word): add a word to find or an operator such as status:open.");
        return new SearchQuery(terms, filters);
    }

    private static Outcome<SearchFilter> ParseFilter(string name, string value, bool negated)
    {
        var lower = value.ToLowerInvariant();
        if (value.Length == 0) return Failure.Invalid(Field, $"{name}: needs a value, as in {Example(name)}.");
        switch (name)
        {
            case "from":
                return new SearchFilter(SearchOperator.From, value, negated);
            case "label":
                return new SearchFilter(SearchOperator.Label, value, negated);
            case "is":
                return lower switch
                {
                    "unread" => new SearchFilter(SearchOperator.IsUnread, lower, negated),
                    "mine" => new SearchFilter(SearchOperator.IsMine, lower, negated),
                    _ => Failure.Invalid(Field, $"is:{value} is not known: use is:unread or is:mine."),
                };
            case "has":
                return lower is "attachment" or "attachments" or "file" or "files"
                    ? new SearchFilter(SearchOperator.HasAttachment, "attachment", negated)
                    : Failure.Invalid(Field, $"has:{value} is not known: use has:attachment.");
            case "status":
                var status = Statuses.FirstOrDefault(s => s.Name == lower);
                return status.Name is null
                    ? Failure.Invalid(Field, $"status:{value} is not known: use {string.Join(", ", Statuses.Select(s => "status:" + s.Name))}.")
                    : new SearchFilter(SearchOperator.Status, lower, negated, Status: status.Status);
            case "before" or "after":
                if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                    return Failure.Invalid(Field, $"{name}:{value} is not a date: write it as YYYY-MM-DD, as in {name}:2026-01-31.");
                return new SearchFilter(name == "before" ? SearchOperator.Before : SearchOperator.After, value, negated, Day: day);
            default:
                return Failure.Invalid(Field,
                    $"{name}: is not an operator: use {string.Join(", ", Operators.Select(o => o.Syntax.Split(':')[0] + ":").Distinct())}, or put the word in quotes.");
        }
    }

    private static string Example(string name) => name switch
    {
        "from" => "from:alice",
        "label" => "label:billing",
        "is" => "is:unread",
        "has" => "has:attachment",
        "status" => "status:open",
        _ => $"{name}:2026-01-31",
    };

    /// <summary>One piece of the query: a word, a quoted phrase, or <c>name:value</c> (the value may be quoted); <see cref="Prefix"/> when a <c>*</c> ends it.</summary>
    private sealed record Part(string Text, bool Negated, bool Quoted, string? Operator, bool Prefix = false);

    /// <summary>
    /// Splits on spaces, keeping quoted phrases whole (an unclosed quote runs to the end). A leading <c>-</c> negates;
    /// <c>name:</c> before a value makes an operator when the name is letters only (so times and links stay words); a
    /// <c>*</c> after a word or a closing quote makes a prefix.
    /// </summary>
    private static List<Part> Split(string text)
    {
        var parts = new List<Part>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            var negated = text[i] == '-' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]);
            if (negated) i++;
            if (text[i] == '"')
            {
                var (phrase, next) = Quoted(text, i);
                var starred = next < text.Length && text[next] == '*';
                while (next < text.Length && text[next] == '*') next++;
                parts.Add(new Part(phrase, negated, true, null, starred));
                i = next;
                continue;
            }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != ':') i++;
            var head = text[start..i];
            if (i < text.Length && text[i] == ':' && head.Length > 0 && head.All(char.IsAsciiLetter))
            {
                i++;
                string value;
                if (i < text.Length && text[i] == '"') (value, i) = Quoted(text, i);
                else
                {
                    var valueStart = i;
                    while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
                    value = text[valueStart..i];
                }
                // "https://…" and "10:30" are text, not operators.
                if (!value.StartsWith("//", StringComparison.Ordinal))
                {
                    parts.Add(new Part(value.Trim(), negated, false, head.ToLowerInvariant()));
                    continue;
                }
                parts.Add(new Part($"{head}:{value}", negated, false, null));
                continue;
            }
            while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
            var word = text[start..i].TrimEnd('*');
            // A star after letters or digits asks for a prefix; anywhere else it is one more symbol the index never sees.
            var prefix = word.Length < i - start && word.Length > 0 && char.IsLetterOrDigit(word[^1]);
            parts.Add(new Part(prefix ? word : text[start..i], negated, false, null, prefix));
        }
        return parts;
    }

    private static (string Text, int Next) Quoted(string text, int openingQuote)
    {
        var close = text.IndexOf('"', openingQuote + 1);
        return close < 0 ? (text[(openingQuote + 1)..].Trim(), text.Length) : (text[(openingQuote + 1)..close].Trim(), close + 1);
    }

    /// <summary>The query written back out (normalised): what the address keeps.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var f in Filters) text.Append(f.Negated ? "-" : "").Append(Name(f.Operator)).Append(':').Append(Quote(f.Value)).Append(' ');
        foreach (var t in Terms) text.Append(t.Negated ? "-" : "").Append(t.Phrase ? $"\"{t.Text}\"" : t.Text).Append(t.Prefix ? "*" : "").Append(' ');
        return text.ToString().TrimEnd();
    }

    private static string Quote(string value) => value.Any(char.IsWhiteSpace) ? $"\"{value}\"" : value;

    private static string Name(SearchOperator op) => op switch
    {
        SearchOperator.From => "from",
        SearchOperator.IsUnread or SearchOperator.IsMine => "is",
        SearchOperator.HasAttachment => "has",
        SearchOperator.Label => "label",
        SearchOperator.Status => "status",
        SearchOperator.Before => "before",
        _ => "after",
    };
}

using System.Globalization;
using Whop.Inbox.Common;

namespace Whop.Inbox.Messaging.Polls;

/// <summary>
/// A poll being written: its options in order, as the composer's form edits them and as the API hands them in.
/// <see cref="Check"/> is the one rule for what a poll may be (both the API and the form ask it).
/// </summary>
public sealed class PollDraft
{
    public const int MinOptions = 2;
    public const int MaxOptions = 10;
    public const int MaxOptionLength = 200;

    private readonly List<string> _options = ["", ""];

    public IReadOnlyList<string> Options => _options;

    public bool CanAdd => _options.Count < MaxOptions;

    public bool CanRemove => _options.Count > MinOptions;

    public void Set(int index, string text) => _options[index] = text;

    public void Add()
    {
        if (CanAdd) _options.Add("");
    }

    public void RemoveAt(int index)
    {
        if (CanRemove) _options.RemoveAt(index);
    }

    /// <summary>What the form holds, as the API hands a poll in: ids from "1".</summary>
    public IReadOnlyList<(string? Id, string? Text)> AsInput() => _options.Select((text, i) => ((string?)IdOf(i), (string?)text)).ToList();

    /// <summary>What the form holds, checked as the service will check it: the trimmed texts, or the first thing wrong.</summary>
    public Outcome<string[]> Check() => Check(AsInput());

    /// <summary>
    /// Whop's rule: 2 to 10 options, ids sequential from "1", each text 1 to 200 characters after trimming.
    /// The answer is the trimmed texts in order (an option's id is its position); a failure names the field.
    /// </summary>
    public static Outcome<string[]> Check(IReadOnlyList<(string? Id, string? Text)>? options)
    {
        if (options is null || options.Count < MinOptions || options.Count > MaxOptions)
            return Failure.Rejected($"A poll has {MinOptions} to {MaxOptions} options.", "poll.options");
        var texts = new string[options.Count];
        for (var i = 0; i < options.Count; i++)
        {
            var (id, text) = options[i];
            if (id != IdOf(i))
                return Failure.Rejected($"Poll option ids are sequential from \"1\": this one must be \"{IdOf(i)}\".", $"poll.options[{i}].id");
            var trimmed = text?.Trim();
            var field = $"poll.options[{i}].text";
            if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxOptionLength)
                return Failure.Rejected($"Each poll option is 1 to {MaxOptionLength} characters.", field);
            if (StoredText.Check(field, trimmed) is { } unreadable) return unreadable;
            texts[i] = trimmed;
        }
        return texts;
    }

    /// <summary>Which option a failure's field names (<c>poll.options[2].text</c>: 2); null for the poll as a whole.</summary>
    public static int? OptionIndexOf(string? field)
    {
        const string prefix = "poll.options[";
        if (field is null || !field.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var end = field.IndexOf(']', prefix.Length);
        return end > 0 && int.TryParse(field.AsSpan(prefix.Length, end - prefix.Length), CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    /// <summary>The id of the option at <paramref name="index"/>: "1" for the first.</summary>
    public static string IdOf(int index) => (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>Where the option <paramref name="optionId"/> sits among <paramref name="count"/>; null when there is no such option.</summary>
    public static int? IndexOf(string optionId, int count) =>
        int.TryParse(optionId, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= count && optionId == IdOf(n - 1)
            ? n - 1 : null;
}

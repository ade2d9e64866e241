using System.Globalization;
using Whop.Inbox.Common;

namespace Whop.Inbox.Support.Reports;

/// <summary>The days a report covers, both included, as calendar days where the team works.</summary>
public sealed record ReportRange(DateOnly From, DateOnly To)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    public int Days => To.DayNumber - From.DayNumber + 1;

    public IEnumerable<DateOnly> Each() => Enumerable.Range(0, Days).Select(From.AddDays);

    /// <summary>The last <see cref="DefaultDays"/> days, today included.</summary>
    public static ReportRange LastDays(DateOnly today) => new(today.AddDays(-(DefaultDays - 1)), today);

    /// <summary>
    /// A range from the API's <c>from</c> and <c>to</c> (ISO dates, <c>2026-12-01</c>): a missing <c>to</c> is today, a
    /// missing <c>from</c> the 30 days up to <c>to</c>. Not a date, reversed, or longer than a year: a failure naming the field.
    /// </summary>
    public static Outcome<ReportRange> Parse(string? from, string? to, DateOnly today)
    {
        DateOnly? toDay = null, fromDay = null;
        if (to is not null)
        {
            if (!TryDate(to, out var parsed)) return Failure.Invalid("to", "to must be a date (YYYY-MM-DD).");
            toDay = parsed;
        }
        if (from is not null)
        {
            if (!TryDate(from, out var parsed)) return Failure.Invalid("from", "from must be a date (YYYY-MM-DD).");
            fromDay = parsed;
        }
        var end = toDay ?? today;
        var start = fromDay ?? end.AddDays(-(DefaultDays - 1));
        return Check(start, end, blame: to is null ? "from" : "to");
    }

    /// <summary>Checks a chosen range; <paramref name="blame"/> is the field named when it is longer than a year.</summary>
    public static Outcome<ReportRange> Check(DateOnly from, DateOnly to, string blame = "to")
    {
        if (from > to) return Failure.Invalid("from", "from must be on or before to.");
        var range = new ReportRange(from, to);
        if (range.Days > MaxDays) return Failure.Invalid(blame, $"A report covers at most a year ({MaxDays} days); this range has {range.Days}.");
        return range;
    }

    private static bool TryDate(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}

using System.Globalization;

namespace Whop.Inbox.Support.Reports.Components;

/// <summary>A duration in seconds as people read it: "45s", "12m 5s", "3h 20m", "2d 4h"; "—" for none.</summary>
public static class Durations
{
    public static string Format(double? seconds)
    {
        if (seconds is not { } s) return "—";
        var t = TimeSpan.FromSeconds(Math.Round(s));
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d {t.Hours}h"
            : t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes}m"
            : t.TotalMinutes >= 1 ? $"{t.Minutes}m {t.Seconds}s"
            : string.Create(CultureInfo.InvariantCulture, $"{t.Seconds}s");
    }

    /// <summary>Minutes, for a chart's axis (null stays a gap).</summary>
    public static double? Minutes(double? seconds) => seconds is { } s ? Math.Round(s / 60, 1) : null;
}

namespace Whop.Inbox.Support.Reports;

/// <summary>How many durations, and their median and 90th percentile in seconds (null when there are none).</summary>
public sealed record DurationFigures(int Count, double? MedianSeconds, double? P90Seconds)
{
    public static DurationFigures None { get; } = new(0, null, null);

    /// <summary>
    /// One sort, then both percentiles by nearest rank (the smallest value with at least p% of them at or below it):
    /// always a duration that really happened, never an average of two.
    /// </summary>
    public static DurationFigures Of(IEnumerable<double> seconds)
    {
        var sorted = seconds.ToArray();
        if (sorted.Length == 0) return None;
        Array.Sort(sorted);
        return new(sorted.Length, NearestRank(sorted, 50), NearestRank(sorted, 90));
    }

    private static double NearestRank(double[] sorted, int percent) =>
        sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];
}

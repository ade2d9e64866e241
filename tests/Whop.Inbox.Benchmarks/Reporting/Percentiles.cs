namespace Whop.Inbox.Benchmarks.Reporting;

/// <summary>Latency percentiles in milliseconds, nearest-rank over every sample (no histogram buckets).</summary>
public sealed record Percentiles(int Count, double P50, double P95, double P99, double P999, double Max, double Mean)
{
    public static Percentiles Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.ToArray();
        Array.Sort(sorted);
        if (sorted.Length == 0) return new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(sorted.Length, At(0.50), At(0.95), At(0.99), At(0.999), sorted[^1], sorted.Average());
    }
}

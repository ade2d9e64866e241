using Whop.Inbox.Support.Reports;

namespace Whop.Inbox.Tests.Support.Reports;

/// <summary>The report's arithmetic and its range rules, without a database.</summary>
public sealed class ReportFiguresTests
{
    private static readonly DateOnly Today = new(2026, 12, 7);

    [Fact]
    public void Median_and_90th_percentile_are_durations_that_happened_by_nearest_rank()
    {
        var figures = DurationFigures.Of([50, 10, 40, 30, 20, 100, 90, 80, 70, 60]);
        figures.Count.ShouldBe(10);
        figures.MedianSeconds.ShouldBe(50);
        figures.P90Seconds.ShouldBe(90);
        DurationFigures.Of([7]).ShouldBe(new DurationFigures(1, 7, 7));
        DurationFigures.Of([]).ShouldBe(DurationFigures.None);
    }

    [Fact]
    public void The_default_range_is_the_last_30_days_up_to_today()
    {
        var range = ReportRange.Parse(null, null, Today).Value!;
        range.ShouldBe(new ReportRange(new DateOnly(2026, 11, 8), Today));
        range.Days.ShouldBe(30);
        ReportRange.Parse(null, "2026-06-30", Today).Value!.From.ShouldBe(new DateOnly(2026, 6, 1));
        ReportRange.Parse("2026-12-01", null, Today).Value!.ShouldBe(new ReportRange(new DateOnly(2026, 12, 1), Today));
    }

    [Theory]
    [InlineData("yesterday", null, "from")]
    [InlineData("2026-13-01", null, "from")]
    [InlineData("2026-12-01T00:00:00Z", null, "from")]
    [InlineData(null, "7 Dec", "to")]
    [InlineData("2026-12-07", "2026-12-01", "from")]
    [InlineData("2025-01-01", "2026-12-01", "to")]
    [InlineData("2025-01-01", null, "from")]
    public void Bad_ranges_are_refused_naming_the_field(string? from, string? to, string field)
    {
        ReportRange.Parse(from, to, Today).Failure!.Field.ShouldBe(field);
    }

    [Fact]
    public void A_year_is_the_longest_range()
    {
        ReportRange.Parse("2025-12-07", "2026-12-07", Today).Succeeded.ShouldBeTrue();
        ReportRange.Parse("2025-12-06", "2026-12-07", Today).Succeeded.ShouldBeFalse();
    }

    [Fact]
    public void Csv_cells_are_quoted_and_never_formulas()
    {
        ReportCsv.Cell("plain").ShouldBe("plain");
        ReportCsv.Cell("a, b").ShouldBe("\"a, b\"");
        ReportCsv.Cell("say \"hi\"").ShouldBe("\"say \"\"hi\"\"\"");
        ReportCsv.Cell("=SUM(A1)").ShouldBe("'=SUM(A1)");
    }
}

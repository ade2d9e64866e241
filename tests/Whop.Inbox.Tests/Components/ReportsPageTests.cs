using Bunit;
using MudBlazor;
using Whop.Inbox.Components.Layout;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Support.Labels;
using Whop.Inbox.Support.Reports;
using Whop.Inbox.Support.Reports.Components;
using Whop.Inbox.Support.Reports.Pages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Components;

/// <summary>The Reports page and its charts: figures drawn from a known report, the page over the real service, empty and bad ranges.</summary>
public sealed class ReportsPageTests(InboxApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    /// <summary>Three days: two chats opened on the first, one answered in 90 s and one in 10 min, one resolved in 2 h.</summary>
    private static SupportReport KnownReport()
    {
        var range = new ReportRange(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 3));
        var maya = new UserSummary("user_maya", "Maya Chen", "maya");
        var firstResponse = DurationFigures.Of([90, 600]);
        var resolution = DurationFigures.Of([7200]);
        return new SupportReport("biz_test", range, BusinessHours.AllDay, 2, firstResponse, resolution,
            [
                new ReportDay(range.From, 2, firstResponse, DurationFigures.None),
                new ReportDay(range.From.AddDays(1), 0, DurationFigures.None, resolution),
                new ReportDay(range.To, 0, DurationFigures.None, DurationFigures.None),
            ],
            [new AgentFigures(maya, firstResponse, resolution)],
            [new LabelFigures(new LabelView("label_billing", "billing", "#2e7d32"), 1, DurationFigures.Of([90]), DurationFigures.None)]);
    }

    [Fact]
    public void The_figures_charts_and_tables_show_the_report()
    {
        var report = KnownReport();
        var figures = Render<ReportFigures>(p => p.Add(c => c.Report, report));
        figures.Find("[data-testid='report-opened']").TextContent.ShouldContain("2");
        figures.Find("[data-testid='report-resolved']").TextContent.ShouldContain("1");
        // Nearest rank: of 90 s and 10 min, the median is 90 s and the 90th percentile 10 min.
        figures.Find("[data-testid='report-first-response']").TextContent.ShouldContain("1m 30s");
        figures.Find("[data-testid='report-first-response']").TextContent.ShouldContain("90th percentile 10m 0s");
        figures.Find("[data-testid='report-resolution']").TextContent.ShouldContain("2h 0m");

        var charts = Render<ReportCharts>(p => p.Add(c => c.Report, report));
        foreach (var chart in new[] { "chart-volume", "chart-speed", "chart-daily-speed" })
            charts.Find($"[data-testid='{chart}'] svg").ShouldNotBeNull();
        charts.Find("[data-testid='chart-volume']").TextContent.ShouldContain("Opened");
        charts.Find("[data-testid='chart-volume']").TextContent.ShouldContain("Resolved");
        charts.Find("[data-testid='chart-volume']").TextContent.ShouldContain("Dec 1");
        charts.Find("[data-testid='chart-speed']").TextContent.ShouldContain("90th percentile");
        charts.Find("[data-testid='chart-speed']").TextContent.ShouldContain("First response");

        var tables = Render<ReportTables>(p => p.Add(c => c.Report, report));
        var agent = tables.Find("[data-testid='report-agents'] tr[data-agent='maya']");
        agent.TextContent.ShouldContain("Maya Chen");
        agent.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).Skip(1).ShouldBe(["2", "1m 30s", "10m 0s", "1", "2h 0m", "2h 0m"]);
        var label = tables.Find("[data-testid='report-labels'] tr[data-label='label_billing']");
        label.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ShouldBe(["billing", "1", "1", "1m 30s", "1m 30s", "0", "—", "—"]);
    }

    [Fact]
    public void A_report_with_no_agents_or_labels_says_so()
    {
        var empty = KnownReport() with { Agents = [], Labels = [] };
        var tables = Render<ReportTables>(p => p.Add(c => c.Report, empty));
        tables.Find("[data-testid='report-agents-empty']").ShouldNotBeNull();
        tables.Find("[data-testid='report-labels-empty']").ShouldNotBeNull();
    }

    [Fact]
    public void The_csv_has_a_row_per_total_day_agent_and_label()
    {
        var csv = ReportCsv.Write(KnownReport()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        csv[0].ShouldBe(ReportCsv.Header);
        csv[1].ShouldBe("total,2026-12-01/2026-12-03,,2,1,2,90,600,7200,7200");
        csv[2].ShouldBe("day,2026-12-01,,2,0,2,90,600,,");
        csv[3].ShouldBe("day,2026-12-02,,0,1,0,,,7200,7200");
        csv[5].ShouldBe("agent,maya,Maya Chen,,1,2,90,600,7200,7200");
        csv[6].ShouldBe("label,label_billing,billing,1,0,1,90,90,,");
        csv.Length.ShouldBe(7);
    }

    [Fact]
    public async Task An_admin_sees_the_last_30_days_with_a_csv_and_an_empty_range_says_so()
    {
        (await SignInAsync(DemoData.AdminUserName)).CanReadReports.ShouldBeTrue();
        RenderProviders();
        var page = Render<ReportsPage>();
        // The demo company's resolved chats are in the last 30 days (worked out when it was seeded).
        page.WaitForAssertion(() => page.Find("[data-testid='report-figures']"), Soon);
        page.Find("[data-testid='reports-hours']").TextContent.ShouldContain("Around the clock");
        var csv = page.Find("[data-testid='reports-csv']");
        csv.GetAttribute("href")!.ShouldStartWith("data:text/csv;charset=utf-8," + Uri.EscapeDataString(ReportCsv.Header));
        csv.GetAttribute("download")!.ShouldEndWith(".csv");
        page.FindAll("[data-testid='chart-volume'] svg").ShouldNotBeEmpty();

        var picker = page.FindComponent<MudDateRangePicker>();
        await page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(new DateTime(2020, 1, 1), new DateTime(2020, 1, 7))));
        page.WaitForAssertion(() => page.Find("[data-testid='reports-empty']").TextContent.ShouldContain("2020-01-01"), Soon);
        page.FindAll("[data-testid='reports-csv']").ShouldBeEmpty();

        // Longer than a year: the reason shows, and the last report stays.
        await page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(new DateTime(2020, 1, 1), new DateTime(2022, 1, 1))));
        page.WaitForAssertion(() => page.Find("[data-testid='reports-error']").TextContent.ShouldContain("at most a year"), Soon);
        page.Find("[data-testid='reports-empty']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Only_admins_have_the_Reports_link()
    {
        var moderator = await SignInAsync("maya");
        moderator.CanReadReports.ShouldBeFalse();
        Render<NavMenu>(p => p.Add(c => c.Info, moderator)).FindAll("[data-testid='nav-reports']").ShouldBeEmpty();
        var admin = moderator with { CanReadReports = true };
        Render<NavMenu>(p => p.Add(c => c.Info, admin)).Find("[data-testid='nav-reports']").GetAttribute("href").ShouldBe("reports");
    }
}

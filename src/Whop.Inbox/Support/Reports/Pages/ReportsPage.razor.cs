using Microsoft.AspNetCore.Components;
using MudBlazor;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Support.Reports;

namespace Whop.Inbox.Support.Reports.Pages;

/// <summary>The admins' report: the last 30 days unless a range is picked; figures, charts, tables and the CSV of the same.</summary>
public partial class ReportsPage
{
    [Inject] private Viewer Viewer { get; set; } = null!;
    [Inject] private SupportReports Reports { get; set; } = null!;
    [Inject] private BusinessHoursSettings Hours { get; set; } = null!;

    private ViewerInfo viewer = null!;
    private DateRange? range;
    private DateTime today;
    private SupportReport? report;
    private BusinessHours? hours;
    private bool loading = true;
    private string? error;

    protected override async Task OnInitializedAsync()
    {
        viewer = await Viewer.GetAsync();
        try
        {
            var day = await Reports.TodayAsync(viewer.CompanyId);
            today = day.ToDateTime(TimeOnly.MinValue);
            var last = ReportRange.LastDays(day);
            range = new DateRange(last.From.ToDateTime(TimeOnly.MinValue), today);
            hours = (await Hours.GetAsync(viewer.Actor, viewer.CompanyId)).Value;
        }
        catch (Exception e) when (DatabaseFaults.IsUnavailable(e))
        {
            loading = false;
            error = "The database is unavailable for a moment. Reload the page to try again.";
            return;
        }
        await LoadAsync();
    }

    private async Task OnRangeChangedAsync(DateRange picked)
    {
        range = picked;
        if (picked.Start is null || picked.End is null) return;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        loading = true;
        error = null;
        try
        {
            var chosen = ReportRange.Check(DateOnly.FromDateTime(range!.Start!.Value), DateOnly.FromDateTime(range.End!.Value));
            var outcome = chosen.Failure is { } bad ? bad : await Reports.ReadAsync(viewer.Actor, viewer.CompanyId, chosen.Value!);
            if (outcome.Failure is { } failure) error = failure.Message;
            else report = outcome.Value;
        }
        catch (Exception e) when (DatabaseFaults.IsUnavailable(e))
        {
            error = "The database is unavailable for a moment. Try again shortly.";
        }
        finally
        {
            loading = false;
        }
    }

    private string CsvHref => "data:text/csv;charset=utf-8," + Uri.EscapeDataString(ReportCsv.Write(report!));

    private static string Day(DateOnly day) => ReportsApi.Iso(day);
}

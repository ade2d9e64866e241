using System.Globalization;
using System.Text;

namespace Whop.Inbox.Support.Reports;

/// <summary>
/// The report as one CSV table (RFC 4180): a row for the whole range, one per day, per agent and per label, with the
/// same columns, durations in seconds. The columns are listed in docs/reports.md.
/// </summary>
public static class ReportCsv
{
    public const string Header =
        "section,key,name,opened,resolved,first_responses,first_response_median_seconds,first_response_p90_seconds,resolution_median_seconds,resolution_p90_seconds";

    public static string FileName(SupportReport report) => $"support-report-{ReportsApi.Iso(report.Range.From)}-to-{ReportsApi.Iso(report.Range.To)}.csv";

    public static string Write(SupportReport report)
    {
        var csv = new StringBuilder(Header).Append("\r\n");
        Row(csv, "total", $"{ReportsApi.Iso(report.Range.From)}/{ReportsApi.Iso(report.Range.To)}", "", report.Opened, report.FirstResponse, report.Resolution);
        foreach (var day in report.Days) Row(csv, "day", ReportsApi.Iso(day.Date), "", day.Opened, day.FirstResponse, day.Resolution);
        foreach (var agent in report.Agents) Row(csv, "agent", agent.Agent.Username, agent.Agent.Name, null, agent.FirstResponse, agent.Resolution);
        foreach (var label in report.Labels) Row(csv, "label", label.Label.Id, label.Label.Name, label.Opened, label.FirstResponse, label.Resolution);
        return csv.ToString();
    }

    private static void Row(StringBuilder csv, string section, string key, string name, int? opened, DurationFigures firstResponse, DurationFigures resolution)
    {
        string[] cells = [section, key, name, Number(opened), Number(resolution.Count), Number(firstResponse.Count),
            Seconds(firstResponse.MedianSeconds), Seconds(firstResponse.P90Seconds), Seconds(resolution.MedianSeconds), Seconds(resolution.P90Seconds)];
        csv.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
    }

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Seconds(double? value) => value is { } s ? Math.Round(s, 3).ToString("0.###", CultureInfo.InvariantCulture) : "";

    /// <summary>Quoted when needed; a leading =, +, - or @ is neutralised so a spreadsheet never runs a name as a formula.</summary>
    internal static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}

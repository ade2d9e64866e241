using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Team;

namespace Whop.Inbox.Support.Reports;

/// <summary>Ours: <c>/reports/support</c>, how fast the team answers and resolves (admins' API keys).</summary>
public static class ReportsApi
{
    public sealed record DurationResponse(int Count, double? MedianSeconds, double? P90Seconds)
    {
        public static DurationResponse From(DurationFigures f) => new(f.Count, f.MedianSeconds, f.P90Seconds);
    }

    public sealed record BusinessHoursResponse(string TimeZone, IReadOnlyList<string> Days, string Start, string End)
    {
        public static BusinessHoursResponse From(BusinessHours h) => new(h.TimeZoneId,
            Enum.GetValues<DayOfWeek>().Where(d => h.Days.HasFlag(BusinessHours.WorkingDaysOf(d))).Select(d => d.ToString().ToLowerInvariant()).ToList(),
            h.Start.ToString("HH:mm"), h.End.ToString("HH:mm"));
    }

    public sealed record TotalsResponse(int Opened, int Resolved, DurationResponse FirstResponse, DurationResponse Resolution);

    public sealed record DayResponse(string Date, int Opened, int Resolved, DurationResponse FirstResponse, DurationResponse Resolution);

    public sealed record AgentResponse(ApiWire.UserResponse User, DurationResponse FirstResponse, DurationResponse Resolution);

    public sealed record LabelResponse(string Id, string Name, string Color, int Opened, int Resolved, DurationResponse FirstResponse,
        DurationResponse Resolution);

    public sealed record SupportReportResponse(string CompanyId, string From, string To, BusinessHoursResponse BusinessHours, TotalsResponse Totals,
        IReadOnlyList<DayResponse> Days, IReadOnlyList<AgentResponse> Agents, IReadOnlyList<LabelResponse> Labels)
    {
        public static SupportReportResponse Of(SupportReport r) => new(r.CompanyId, Iso(r.Range.From), Iso(r.Range.To),
            BusinessHoursResponse.From(r.Hours),
            new TotalsResponse(r.Opened, r.Resolved, DurationResponse.From(r.FirstResponse), DurationResponse.From(r.Resolution)),
            r.Days.Select(d => new DayResponse(Iso(d.Date), d.Opened, d.Resolved, DurationResponse.From(d.FirstResponse), DurationResponse.From(d.Resolution))).ToList(),
            r.Agents.Select(a => new AgentResponse(ApiWire.UserResponse.From(a.Agent), DurationResponse.From(a.FirstResponse), DurationResponse.From(a.Resolution))).ToList(),
            r.Labels.Select(l => new LabelResponse(l.Label.Id, l.Label.Name, l.Label.Color, l.Opened, l.Resolution.Count,
                DurationResponse.From(l.FirstResponse), DurationResponse.From(l.Resolution))).ToList());
    }

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static RouteGroupBuilder MapReportsApi(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports");
        reports.MapGet("/support", SupportAsync)
            .WithSummary("Ours: chats opened and resolved, first response and resolution times (median, 90th percentile) per day, agent and label.");
        return api;
    }

    public static async Task<Results<Ok<SupportReportResponse>, ApiProblem>> SupportAsync(Actor actor, SupportReports reports, DefaultCompany defaultCompany,
        CancellationToken ct, string? from = null, string? to = null, [FromQuery(Name = "company_id")] string? companyId = null) =>
        await reports.ReadAsync(actor, companyId ?? actor.CompanyId ?? await defaultCompany.IdAsync(ct), from, to, ct)
            .ToResultAsync(SupportReportResponse.Of);
}

using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Support.Labels;

namespace Whop.Inbox.Support.Reports;

/// <summary>A day of the report: chats opened and resolved that day, and the times of the first responses and resolves made that day.</summary>
public sealed record ReportDay(DateOnly Date, int Opened, DurationFigures FirstResponse, DurationFigures Resolution)
{
    public int Resolved => Resolution.Count;
}

/// <summary>A team member's first responses and resolves in the range.</summary>
public sealed record AgentFigures(UserSummary Agent, DurationFigures FirstResponse, DurationFigures Resolution);

/// <summary>The chats that carry a label now: opened, first responses and resolves in the range.</summary>
public sealed record LabelFigures(LabelView Label, int Opened, DurationFigures FirstResponse, DurationFigures Resolution);

/// <summary>The support report of a company over a range of days (see docs/reports.md for what each figure means).</summary>
public sealed record SupportReport(
    string CompanyId, ReportRange Range, BusinessHours Hours, int Opened, DurationFigures FirstResponse, DurationFigures Resolution,
    IReadOnlyList<ReportDay> Days, IReadOnlyList<AgentFigures> Agents, IReadOnlyList<LabelFigures> Labels)
{
    public int Resolved => Resolution.Count;
    public bool IsEmpty => Opened == 0 && FirstResponse.Count == 0 && Resolution.Count == 0;
}

/// <summary>
/// Reads the support report: the chats of a company opened, first answered or resolved in the range, in one query
/// over the indexes on each of those times, reading only the columns the figures need; names in one query each.
/// </summary>
public sealed class SupportReports(IDbContextFactory<InboxDbContext> contexts, InboxRights rights, TimeProvider clock)
{
    public static readonly Failure NotAllowed = Failure.Forbidden("Only the company's admins (and its API keys) read its reports.");

    /// <summary>The report for the API's <c>from</c> and <c>to</c> (see <see cref="ReportRange.Parse"/>).</summary>
    public async Task<Outcome<SupportReport>> ReadAsync(Actor actor, string companyId, string? from, string? to, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ReadReports, companyId, ct)) return NotAllowed;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var hours = await ResponseTimes.HoursAsync(db, companyId, ct);
        var range = ReportRange.Parse(from, to, hours.DayOf(clock.GetUtcNow()));
        if (range.Failure is { } invalid) return invalid;
        return await ReadAsync(db, companyId, hours, range.Value!, ct);
    }

    /// <summary>The report over a chosen range (the page's date picker).</summary>
    public async Task<Outcome<SupportReport>> ReadAsync(Actor actor, string companyId, ReportRange range, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ReadReports, companyId, ct)) return NotAllowed;
        if (ReportRange.Check(range.From, range.To).Failure is { } invalid) return invalid;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await ReadAsync(db, companyId, await ResponseTimes.HoursAsync(db, companyId, ct), range, ct);
    }

    /// <summary>Today where the company's team works: the end of the default range.</summary>
    public async Task<DateOnly> TodayAsync(string companyId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await ResponseTimes.HoursAsync(db, companyId, ct)).DayOf(clock.GetUtcNow());
    }

    private static async Task<SupportReport> ReadAsync(InboxDbContext db, string companyId, BusinessHours hours, ReportRange range, CancellationToken ct)
    {
        var start = hours.StartOf(range.From);
        var end = hours.StartOf(range.To.AddDays(1));
        var chats = db.Channels.AsNoTracking().Where(c => c.CompanyId == companyId && c.Kind == ChannelKind.Support);
        // Three ranges, each on its own index, as one statement (a chat in more than one comes once).
        var rows = await Select(chats.Where(c => c.CreatedAt >= start && c.CreatedAt < end))
            .Union(Select(chats.Where(c => c.FirstResponseAt >= start && c.FirstResponseAt < end)))
            .Union(Select(chats.Where(c => c.ResolvedAt >= start && c.ResolvedAt < end && c.ResolutionSeconds != null)))
            .ToListAsync(ct);

        bool In(DateTimeOffset? at) => at >= start && at < end;
        var opened = rows.Where(r => In(r.CreatedAt)).ToList();
        var answered = rows.Where(r => In(r.FirstResponseAt) && r.FirstResponseSeconds is not null).ToList();
        var resolved = rows.Where(r => In(r.ResolvedAt) && r.ResolutionSeconds is not null).ToList();

        var openedByDay = opened.GroupBy(r => hours.DayOf(r.CreatedAt)).ToDictionary(g => g.Key, g => g.Count());
        var answeredByDay = answered.ToLookup(r => hours.DayOf(r.FirstResponseAt!.Value), r => r.FirstResponseSeconds!.Value);
        var resolvedByDay = resolved.ToLookup(r => hours.DayOf(r.ResolvedAt!.Value), r => r.ResolutionSeconds!.Value);
        var days = range.Each().Select(d => new ReportDay(d, openedByDay.GetValueOrDefault(d),
            DurationFigures.Of(answeredByDay[d]), DurationFigures.Of(resolvedByDay[d]))).ToList();

        var answeredBy = answered.ToLookup(r => r.FirstResponderId!, r => r.FirstResponseSeconds!.Value);
        var resolvedBy = resolved.Where(r => r.ResolvedById is not null).ToLookup(r => r.ResolvedById!, r => r.ResolutionSeconds!.Value);
        var people = await db.SummariesAsync(answeredBy.Select(g => g.Key).Concat(resolvedBy.Select(g => g.Key)), ct);
        var agents = people.Values
            .Select(p => new AgentFigures(p, DurationFigures.Of(answeredBy[p.Id]), DurationFigures.Of(resolvedBy[p.Id])))
            .OrderByDescending(a => a.FirstResponse.Count + a.Resolution.Count).ThenBy(a => a.Agent.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

        static IEnumerable<string> LabelsOf(Row r) => r.LabelIdList.Length == 0 ? [] : r.LabelIdList.Split(' ');
        var labelIds = rows.SelectMany(LabelsOf).ToHashSet();
        var labelViews = labelIds.Count == 0 ? []
            : await db.Labels.AsNoTracking().Where(l => l.CompanyId == companyId && labelIds.Contains(l.Id))
                .Select(l => new LabelView(l.Id, l.Name, l.Color)).ToListAsync(ct);
        var labels = labelViews
            .Select(l => new LabelFigures(l,
                opened.Count(r => LabelsOf(r).Contains(l.Id)),
                DurationFigures.Of(answered.Where(r => LabelsOf(r).Contains(l.Id)).Select(r => r.FirstResponseSeconds!.Value)),
                DurationFigures.Of(resolved.Where(r => LabelsOf(r).Contains(l.Id)).Select(r => r.ResolutionSeconds!.Value))))
            .OrderBy(l => l.Label.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

        return new SupportReport(companyId, range, hours, opened.Count,
            DurationFigures.Of(answered.Select(r => r.FirstResponseSeconds!.Value)), DurationFigures.Of(resolved.Select(r => r.ResolutionSeconds!.Value)),
            days, agents, labels);
    }

    /// <summary>The columns the figures need (set by member, so the database can union the three ranges).</summary>
    private static IQueryable<Row> Select(IQueryable<Channel> chats) => chats.Select(c => new Row
    {
        Id = c.Id, CreatedAt = c.CreatedAt, FirstResponseAt = c.FirstResponseAt, FirstResponderId = c.FirstResponderId,
        FirstResponseSeconds = c.FirstResponseSeconds, ResolvedAt = c.ResolvedAt, ResolvedById = c.ResolvedById,
        ResolutionSeconds = c.ResolutionSeconds, LabelIdList = c.LabelIdList,
    });

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? FirstResponseAt { get; init; }
        public string? FirstResponderId { get; init; }
        public double? FirstResponseSeconds { get; init; }
        public DateTimeOffset? ResolvedAt { get; init; }
        public string? ResolvedById { get; init; }
        public double? ResolutionSeconds { get; init; }
        public string LabelIdList { get; init; } = "";
    }
}

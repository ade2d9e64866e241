using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Support.Reports;

/// <summary>The company's business hours: read by those who read its reports, set by its admins (and API keys), audited.</summary>
public sealed class BusinessHoursSettings(IDbContextFactory<InboxDbContext> contexts, InboxRights rights, TimeProvider clock)
{
    public async Task<Outcome<BusinessHours>> GetAsync(Actor actor, string companyId, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ReadReports, companyId, ct)) return SupportReports.NotAllowed;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var company = await db.Companies.AsNoTracking().SingleOrDefaultAsync(c => c.Id == companyId, ct);
        return company is null ? Failure.NotFound($"No company {companyId}.") : company.BusinessHours;
    }

    /// <summary>Sets the hours; what was measured before keeps its figures, what is measured from now on uses these.</summary>
    public async Task<Outcome<BusinessHours>> SetAsync(Actor actor, string companyId, string? timeZoneId, WorkingDays days, TimeOnly start, TimeOnly end,
        CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ManageInboxSettings, companyId, ct))
            return Failure.Forbidden("Only the company's admins (or its API keys) set its business hours.");
        var checkedHours = BusinessHours.Check(timeZoneId, days, start, end);
        if (checkedHours.Failure is { } invalid) return invalid;
        var hours = checkedHours.Value!;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var company = await db.Companies.SingleOrDefaultAsync(c => c.Id == companyId, ct);
        if (company is null) return Failure.NotFound($"No company {companyId}.");
        if (company.BusinessHours != hours)
        {
            company.SetBusinessHours(hours);
            db.Record(actor, AuditActions.BusinessHoursChanged, companyId, clock.UtcNowMicros(), detail: hours.Describe());
            await db.SaveChangesAsync(ct);
        }
        return hours;
    }
}

using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Support.Assignment;

public sealed record AssignmentSettingsView(string CompanyId, bool AutoAssign);

/// <summary>The company's assignment setting: automatic assignment on or off, by its admins (and API keys), audited.</summary>
public sealed class AssignmentSettings(IDbContextFactory<InboxDbContext> contexts, InboxRights rights, TimeProvider clock)
{
    private static readonly Failure NotAllowed = Failure.Forbidden("Only the company's admins (or its API keys) change how chats are assigned.");

    public async Task<Outcome<AssignmentSettingsView>> GetAsync(Actor actor, string companyId, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ListInbox, companyId, ct)) return Failure.Forbidden();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var on = await db.Companies.Where(c => c.Id == companyId).Select(c => (bool?)c.AutoAssign).SingleOrDefaultAsync(ct);
        return on is null ? Failure.NotFound($"No company {companyId}.") : new AssignmentSettingsView(companyId, on.Value);
    }

    public async Task<Outcome<AssignmentSettingsView>> SetAsync(Actor actor, string companyId, bool? autoAssign, CancellationToken ct = default)
    {
        if (autoAssign is not { } on) return Failure.Invalid("auto_assign", "auto_assign is required: true or false.");
        if (!await rights.CanAsync(actor, InboxAction.ManageInboxSettings, companyId, ct)) return NotAllowed;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var company = await db.Companies.SingleOrDefaultAsync(c => c.Id == companyId, ct);
        if (company is null) return Failure.NotFound($"No company {companyId}.");
        if (company.AutoAssign != on)
        {
            company.SetAutoAssign(on);
            db.Record(actor, AuditActions.AutoAssignChanged, companyId, clock.UtcNowMicros(), detail: on ? "on" : "off");
            await db.SaveChangesAsync(ct);
        }
        return new AssignmentSettingsView(companyId, company.AutoAssign);
    }
}

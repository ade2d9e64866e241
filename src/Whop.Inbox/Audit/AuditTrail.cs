using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Audit;

/// <summary>Adds audit entries to the unit of work that makes the change, so both commit or neither.</summary>
public static class AuditTrail
{
    public static void Record(this InboxDbContext db, Actor actor, string action, string? companyId, DateTimeOffset at,
        string? channelId = null, string? targetUserId = null, string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry(companyId, actor.UserId, actor.ApiKeyId, action, channelId, targetUserId, detail, at));
}

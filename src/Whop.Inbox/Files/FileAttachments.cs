using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;

namespace Whop.Inbox.Files;

/// <summary>
/// A message's <c>attachments</c>, written in the message's own transaction (the caller's
/// <see cref="Messaging.Writes.ConversationWrite"/>): checked, then attached, replaced or removed with it.
/// </summary>
public sealed class FileAttachments(IOptions<FilesOptions> options)
{
    /// <summary>
    /// Whether the caller uploaded the file: the same person, or for an API key (no person) its company.
    /// What may be attached and what an unattached upload shows are both this.
    /// </summary>
    public static bool Owns(Actor actor, string? companyId, string? uploaderId) =>
        actor.UserId is not null ? uploaderId == actor.UserId : actor.ApiKeyId is not null && uploaderId is null && companyId == actor.CompanyId;

    /// <summary>
    /// The ids of <paramref name="requested"/>, or the first one that may not go on this message (naming
    /// <c>attachments[i].id</c>): each must be the caller's upload, of the conversation's company, not on
    /// another message (<paramref name="messageId"/> is the message being edited, whose own stay allowed).
    /// </summary>
    public async Task<Outcome<IReadOnlyList<string>>> CheckAsync(InboxDbContext db, Actor actor, Channel channel,
        IReadOnlyList<string?> requested, string? messageId, CancellationToken ct)
    {
        var max = options.Value.MaxPerMessage;
        if (requested.Count > max) return Failure.Rejected($"A message can carry at most {max} files (this one has {requested.Count}).", "attachments");
        // Most messages carry none: no query for them, on the send's hot path.
        if (requested.Count == 0) return Array.Empty<string>();
        var ids = requested.OfType<string>().Distinct().ToList();
        var found = await db.Files.AsNoTracking().Where(f => ids.Contains(f.Id) && f.IsComplete)
            .Select(f => new { f.Id, f.CompanyId, f.UploaderId, f.MessageId }).ToDictionaryAsync(f => f.Id, ct);
        for (var i = 0; i < requested.Count; i++)
        {
            var field = $"attachments[{i}].id";
            var id = requested[i];
            if (string.IsNullOrWhiteSpace(id)) return Failure.Invalid(field, $"{field} is required.");
            if (requested.Take(i).Contains(id)) return Failure.Invalid(field, $"{id} is attached twice.");
            // Unknown, someone else's and another company's read the same: nothing says which files exist.
            if (!found.TryGetValue(id, out var file) || !Owns(actor, file.CompanyId, file.UploaderId)
                || (file.CompanyId is not null && channel.CompanyId is not null && file.CompanyId != channel.CompanyId))
            {
                return Failure.Rejected($"No file {id} of yours to attach.", field);
            }
            if (file.MessageId is not null && file.MessageId != messageId) return Failure.Rejected($"{id} is already attached to another message.", field);
        }
        return ids;
    }

    /// <summary>
    /// Attaches the files (checked by <see cref="CheckAsync"/>) to the message. Conditional on each still
    /// being free, so of two messages racing for one file only one gets it; false for the other.
    /// </summary>
    public static async Task<bool> AttachAsync(InboxDbContext db, string messageId, IReadOnlyList<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return true;
        var attached = await db.Files.Where(f => ids.Contains(f.Id) && (f.MessageId == null || f.MessageId == messageId))
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.MessageId, messageId), ct);
        return attached == ids.Count;
    }

    /// <summary>Makes <paramref name="ids"/> the message's files: the ones left out are deleted. Whether anything changed.</summary>
    public static async Task<bool> ReplaceAsync(InboxDbContext db, string messageId, IReadOnlyList<string> ids, CancellationToken ct)
    {
        var before = await db.Files.Where(f => f.MessageId == messageId).Select(f => f.Id).ToListAsync(ct);
        if (before.Order().SequenceEqual(ids.Order())) return false;
        var removed = before.Except(ids).ToList();
        if (removed.Count > 0) await db.Files.Where(f => removed.Contains(f.Id)).ExecuteDeleteAsync(ct);
        return true;
    }

    /// <summary>A deleted message's files go with it (their chunks by cascade).</summary>
    public static Task<int> RemoveAsync(InboxDbContext db, string messageId, CancellationToken ct) =>
        db.Files.Where(f => f.MessageId == messageId).ExecuteDeleteAsync(ct);
}

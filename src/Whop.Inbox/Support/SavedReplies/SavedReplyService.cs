using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Team;

namespace Whop.Inbox.Support.SavedReplies;

public sealed record SavedReplyView(string Id, string CompanyId, string Name, string Content, bool Shared, string? OwnerId,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static SavedReplyView Of(SavedReply r) => new(r.Id, r.CompanyId, r.Name, r.Content, r.Shared, r.OwnerId, r.CreatedAt, r.UpdatedAt);
}

/// <summary>What the caller may do with a company's saved replies, from the rights table (the manage page draws from it).</summary>
public sealed record SavedReplyAbilities(bool Use, bool KeepPersonal, bool ManageShared)
{
    public static SavedReplyAbilities None { get; } = new(false, false, false);
}

/// <summary>
/// A company's saved replies: the shared ones (its admins and API keys keep them) and each team member's
/// personal ones (seen by their owner alone). The API and the pages both come here; every call asks the
/// rights table. A reply the caller may not see (another company's, a colleague's personal one) is not found.
/// </summary>
public sealed class SavedReplyService(IDbContextFactory<InboxDbContext> contexts, InboxRights rights, DefaultCompany defaultCompany, TimeProvider clock)
{
    public const int MaxQueryLength = 100;

    private static readonly Failure NotTeam = Failure.Forbidden("Saved replies are the team's: only the company's team members and API keys use them.");
    private static readonly Failure NotAdmin = Failure.Forbidden("Only the company's admins (or its API keys) keep its shared saved replies.");
    private static readonly Failure NoPerson = Failure.Rejected(
        "An API key keeps only shared saved replies: a personal one belongs to a team member, and a key is none.", "shared");

    /// <summary>The caller's abilities in <paramref name="companyId"/> (the default company when null).</summary>
    public async Task<SavedReplyAbilities> AbilitiesAsync(Actor actor, string? companyId = null, CancellationToken ct = default)
    {
        if (!actor.IsAuthenticated) return SavedReplyAbilities.None;
        var standing = await rights.CompanyStandingAsync(actor, companyId ?? await CompanyOfAsync(actor, ct), ct);
        return AbilitiesFrom(actor, standing);
    }

    /// <summary>
    /// The shared replies and the caller's own, by name, a page at a time; <paramref name="query"/> (optional) keeps
    /// those whose name or content contains it, ignoring case.
    /// </summary>
    public async Task<Outcome<Page<SavedReplyView>>> ListAsync(Actor actor, string? companyId, string? query, PageRequest page, CancellationToken ct = default)
    {
        companyId ??= await CompanyOfAsync(actor, ct);
        if (!(await AbilitiesAsync(actor, companyId, ct)).Use) return NotTeam;
        if (page.ValidateByText() is { } badPage) return badPage;
        var needle = query?.Trim();
        if (needle is { Length: > MaxQueryLength }) return Failure.Invalid("query", $"query can be at most {MaxQueryLength} characters.");

        await using var db = await contexts.CreateDbContextAsync(ct);
        var replies = Visible(db.SavedReplies.AsNoTracking().Where(r => r.CompanyId == companyId), actor);
        if (!string.IsNullOrEmpty(needle))
        {
            var lower = needle.ToLowerInvariant();
            replies = replies.Where(r => r.SortKey.Contains(lower) || r.Content.ToLower().Contains(lower));
        }
        var found = await replies.PageByTextAsync(r => r.SortKey, r => r.Id, page, ct);
        return found.Map(SavedReplyView.Of);
    }

    public async Task<Outcome<SavedReplyView>> GetAsync(Actor actor, string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await FindAsync(db, actor, id, ct);
        if (found.Failure is { } failure) return failure;
        return SavedReplyView.Of(found.Value!.Reply);
    }

    /// <param name="shared">Null: a person's reply is personal, an API key's shared (the only kind a key may keep).</param>
    public async Task<Outcome<SavedReplyView>> CreateAsync(Actor actor, string? companyId, string? name, string? content, bool? shared,
        CancellationToken ct = default)
    {
        companyId ??= await CompanyOfAsync(actor, ct);
        var may = await AbilitiesAsync(actor, companyId, ct);
        if (!may.Use) return NotTeam;
        var toShare = shared ?? actor.UserId is null;
        if (toShare && !may.ManageShared) return NotAdmin;
        if (!toShare && actor.UserId is null) return NoPerson;
        if (!toShare && !may.KeepPersonal) return NotTeam;
        var checkedName = CheckName(name, required: true);
        if (checkedName.Failure is { } badName) return badName;
        var checkedContent = CheckContent(content, required: true);
        if (checkedContent.Failure is { } badContent) return badContent;

        await using var db = await contexts.CreateDbContextAsync(ct);
        var at = clock.UtcNowMicros();
        var reply = new SavedReply(companyId, toShare ? null : actor.UserId, checkedName.Value!, checkedContent.Value!, actor.UserId, at);
        db.SavedReplies.Add(reply);
        if (reply.Shared) db.Record(actor, AuditActions.SavedReplyCreated, companyId, at, detail: Describe(reply));
        await db.SaveChangesAsync(ct);
        return SavedReplyView.Of(reply);
    }

    /// <summary>
    /// Changes what is given. Turning a personal reply into a shared one (or back into the caller's own) is
    /// the admins' (shared replies are theirs to keep); a key cannot make one personal.
    /// </summary>
    public async Task<Outcome<SavedReplyView>> UpdateAsync(Actor actor, string id, string? name, string? content, bool? shared,
        CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await FindAsync(db, actor, id, ct);
        if (found.Failure is { } failure) return failure;
        var (reply, may) = found.Value!;
        var wasShared = reply.Shared;
        if (MayNotChange(reply, may) is { } refused) return refused;
        if (shared is { } toShare && toShare != wasShared)
        {
            if (!may.ManageShared) return NotAdmin;
            if (!toShare && actor.UserId is null) return NoPerson;
        }
        var checkedName = CheckName(name, required: false);
        if (checkedName.Failure is { } badName) return badName;
        var checkedContent = CheckContent(content, required: false);
        if (checkedContent.Failure is { } badContent) return badContent;

        var at = clock.UtcNowMicros();
        if (reply.Change(checkedName.Value, checkedContent.Value, shared, actor.UserId, at))
        {
            if (wasShared || reply.Shared) db.Record(actor, AuditActions.SavedReplyChanged, reply.CompanyId, at, detail: Describe(reply));
            await db.SaveChangesAsync(ct);
        }
        return SavedReplyView.Of(reply);
    }

    public async Task<Outcome<bool>> DeleteAsync(Actor actor, string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await FindAsync(db, actor, id, ct);
        if (found.Failure is { } failure) return failure;
        var (reply, may) = found.Value!;
        if (MayNotChange(reply, may) is { } refused) return refused;
        db.SavedReplies.Remove(reply);
        if (reply.Shared) db.Record(actor, AuditActions.SavedReplyDeleted, reply.CompanyId, clock.UtcNowMicros(), detail: Describe(reply));
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static SavedReplyAbilities AbilitiesFrom(Actor actor, Standing standing) => new(
        InboxRights.Allows(actor, InboxAction.UseSavedReplies, standing),
        InboxRights.Allows(actor, InboxAction.KeepPersonalReplies, standing),
        InboxRights.Allows(actor, InboxAction.ManageSharedReplies, standing));

    /// <summary>The company's shared replies and the caller's own: the one rule for what a caller sees.</summary>
    private static IQueryable<SavedReply> Visible(IQueryable<SavedReply> replies, Actor actor) =>
        actor.UserId is { } userId ? replies.Where(r => r.OwnerId == null || r.OwnerId == userId) : replies.Where(r => r.OwnerId == null);

    private static Failure? MayNotChange(SavedReply reply, SavedReplyAbilities may) =>
        reply.Shared ? (may.ManageShared ? null : NotAdmin) : (may.KeepPersonal ? null : NotTeam);

    /// <summary>
    /// A reply the caller may see, with what they may do in its company. Someone outside every team (a customer)
    /// is refused outright; a reply of another company, or a colleague's personal one, is not there for them.
    /// </summary>
    private async Task<Outcome<(SavedReply Reply, SavedReplyAbilities May)>> FindAsync(InboxDbContext db, Actor actor, string id, CancellationToken ct)
    {
        var home = await AbilitiesAsync(actor, null, ct);
        if (!home.Use) return NotTeam;
        var notFound = Failure.NotFound($"No saved reply {id}.");
        var reply = await db.SavedReplies.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (reply is null || !(reply.Shared || reply.OwnerId == actor.UserId)) return notFound;
        var may = AbilitiesFrom(actor, await rights.CompanyStandingAsync(actor, reply.CompanyId, ct, on: db));
        if (!may.Use) return notFound;
        return (reply, may);
    }

    /// <summary>The company the caller acts for: an API key's or a token's own, otherwise the installation's.</summary>
    private async Task<string> CompanyOfAsync(Actor actor, CancellationToken ct) => actor.CompanyId ?? await defaultCompany.IdAsync(ct);

    private static string Describe(SavedReply reply) => $"{reply.Id} {reply.Name}";

    private static Outcome<string?> CheckName(string? name, bool required)
    {
        if (name is null && !required) return new Outcome<string?>(null, null);
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > SavedReply.MaxNameLength)
            return Failure.Rejected($"name must be 1 to {SavedReply.MaxNameLength} characters.", "name");
        if (StoredText.Check("name", trimmed) is { } unreadable) return unreadable;
        return trimmed;
    }

    private static Outcome<string?> CheckContent(string? content, bool required)
    {
        if (content is null && !required) return new Outcome<string?>(null, null);
        var trimmed = content?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return Failure.Rejected("content must not be empty.", "content");
        if (trimmed.Length >= SavedReply.ContentLimit)
            return Failure.Rejected($"content can be at most {SavedReply.ContentLimit - 1} characters (it has {trimmed.Length}).", "content");
        if (StoredText.Check("content", trimmed) is { } unreadable) return unreadable;
        return trimmed;
    }
}

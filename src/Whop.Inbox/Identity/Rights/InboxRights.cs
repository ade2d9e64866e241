using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging;
using Whop.Inbox.Team;
using static Whop.Inbox.Identity.Rights.Standing;

namespace Whop.Inbox.Identity.Rights;

/// <summary>
/// The one place that answers "may this caller do this?". It works out the caller's standing
/// towards a company or a channel from the database and asks <see cref="RightsTable"/>.
/// </summary>
public sealed class InboxRights(IDbContextFactory<InboxDbContext> contexts)
{
    /// <summary>Company-level actions: listing the inbox, managing the team, API keys, starting a DM.</summary>
    public async Task<bool> CanAsync(Actor actor, InboxAction action, string companyId, CancellationToken ct = default) =>
        Allows(actor, action, await CompanyStandingAsync(actor, companyId, ct));

    /// <summary>Actions on one support chat or DM.</summary>
    public async Task<bool> CanAsync(Actor actor, InboxAction action, Channel channel, CancellationToken ct = default) =>
        Allows(actor, action, await ChannelStandingAsync(actor, channel, ct));

    /// <summary>Opening the support chat of <paramref name="customerId"/> with a company: the team, or that customer.</summary>
    public async Task<bool> CanOpenSupportChatAsync(Actor actor, string companyId, string customerId, CancellationToken ct = default)
    {
        var standing = await CompanyStandingAsync(actor, companyId, ct);
        if (actor.UserId == customerId && IsWithinBinding(actor, companyId)) standing |= Customer;
        return Allows(actor, InboxAction.OpenSupportChat, standing);
    }

    public static bool Allows(Actor actor, InboxAction action, Standing standing) =>
        actor.IsAuthenticated && RightsTable.Allows(action, standing, actor.Credential, actor.Scopes);

    /// <summary>
    /// Whether the actor's credential is scoped for <paramref name="action"/>, for lists whose rows
    /// already come filtered by standing (the caller's own conversations) and only need the token's say.
    /// </summary>
    public static bool ScopeAllows(Actor actor, InboxAction action) =>
        actor.IsAuthenticated && RightsTable.ScopeAllows(action, actor.Credential, actor.Scopes);

    /// <param name="on">
    /// The context to ask on: a change that holds a connection (and a lock) asks on its own, never waiting
    /// for a second connection while it holds the first.
    /// </param>
    public async Task<Standing> CompanyStandingAsync(Actor actor, string companyId, CancellationToken ct = default, InboxDbContext? on = null)
    {
        if (!actor.IsAuthenticated || !IsWithinBinding(actor, companyId) || actor.UserId is null || actor.Credential == Credential.ApiKey)
            return CompanyStanding(actor, companyId, role: null);
        var role = await AskAsync(on, db => db.TeamMembers
            .Where(m => m.CompanyId == companyId && m.UserId == actor.UserId)
            .Select(m => (TeamRole?)m.Role)
            .SingleOrDefaultAsync(ct), ct);
        return CompanyStanding(actor, companyId, role);
    }

    /// <param name="on">The context to ask on (see <see cref="CompanyStandingAsync"/>).</param>
    public async Task<Standing> ChannelStandingAsync(Actor actor, Channel channel, CancellationToken ct = default, InboxDbContext? on = null) =>
        (await ChannelStandingAndNameAsync(actor, channel, ct, on)).Standing;

    /// <summary>
    /// The actor's standing towards a channel and, for a person, their name: what a change needs before it
    /// writes (may they, and who is the author), from one query (their role in the channel's company,
    /// whether they are among its members, their name).
    /// </summary>
    public async Task<(Standing Standing, UserSummary? Person)> ChannelStandingAndNameAsync(Actor actor, Channel channel,
        CancellationToken ct = default, InboxDbContext? on = null)
    {
        if (!actor.IsAuthenticated || actor.UserId is not { } userId) return (ChannelStanding(actor, channel, role: null, isMember: false), null);
        var person = await AskAsync(on, db => db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                Role = db.TeamMembers.Where(m => m.CompanyId == channel.CompanyId && m.UserId == userId).Select(m => (TeamRole?)m.Role).FirstOrDefault(),
                IsMember = db.ChannelMembers.Any(m => m.ChannelId == channel.Id && m.UserId == userId),
                Summary = new UserSummary(u.Id, u.Name, u.UserName!),
            })
            .SingleOrDefaultAsync(ct), ct);
        return person is null
            ? (ChannelStanding(actor, channel, role: null, isMember: false), null)
            : (ChannelStanding(actor, channel, person.Role, person.IsMember), person.Summary);
    }

    /// <summary>
    /// A company's say when the person's role on its team is already known (read with their name, as the
    /// <see cref="Viewer"/> does): the same answer as <see cref="CompanyStandingAsync"/> without its query.
    /// </summary>
    public static Standing CompanyStandingOf(Actor actor, string companyId, TeamRole? role) => CompanyStanding(actor, companyId, role);

    /// <summary>A company's say: an API key acts as its company's backend; a person by their role on its team.</summary>
    private static Standing CompanyStanding(Actor actor, string? companyId, TeamRole? role)
    {
        if (!actor.IsAuthenticated || companyId is null || !IsWithinBinding(actor, companyId)) return None;
        // An API key is bound to its company (checked above) and acts as that company's backend.
        if (actor.Credential == Credential.ApiKey) return CompanyAdmin | Integration;
        if (actor.UserId is null) return None;
        return SignedIn | role switch
        {
            TeamRole.Admin => CompanyAdmin,
            TeamRole.Moderator => Moderator,
            _ => None,
        };
    }

    /// <summary>Standing towards one channel, from the person's role in its company and whether they are among its members.</summary>
    private static Standing ChannelStanding(Actor actor, Channel channel, TeamRole? role, bool isMember)
    {
        if (!actor.IsAuthenticated) return None;
        if (channel.IsSupport)
        {
            var standing = CompanyStanding(actor, channel.CompanyId, role);
            if (actor.UserId == channel.CustomerId && IsWithinBinding(actor, channel.CompanyId)) standing |= Customer;
            return standing & ~SignedIn;
        }

        if (!IsWithinBinding(actor, channel.CompanyId)) return None;
        // Moderators have no say over DMs: only admin-level standing carries over.
        var dm = CompanyStanding(actor, channel.CompanyId, role) & (CompanyAdmin | Integration);
        if (actor.UserId is not null && isMember) dm |= DmMember | (channel.CreatedById == actor.UserId ? DmAdmin : None);
        return dm;
    }

    private async Task<T> AskAsync<T>(InboxDbContext? on, Func<InboxDbContext, Task<T>> query, CancellationToken ct)
    {
        if (on is not null) return await query(on);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await query(db);
    }

    /// <summary>API keys and company-bound access tokens never reach beyond their company.</summary>
    private static bool IsWithinBinding(Actor actor, string? companyId) =>
        actor.CompanyId is null || actor.CompanyId == companyId;
}

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
        if (!actor.IsAuthenticated || !IsWithinBinding(actor, companyId)) return None;
        // An API key is bound to its company (checked above) and acts as that company's backend.
        if (actor.Credential == Credential.ApiKey) return CompanyAdmin | Integration;

        var role = await AskAsync(on, db => db.TeamMembers
            .Where(m => m.CompanyId == companyId && m.UserId == actor.UserId)
            .Select(m => (TeamRole?)m.Role)
            .SingleOrDefaultAsync(ct), ct);
        return SignedIn | role switch
        {
            TeamRole.Admin => CompanyAdmin,
            TeamRole.Moderator => Moderator,
            _ => None,
        };
    }

    /// <param name="on">The context to ask on (see <see cref="CompanyStandingAsync"/>).</param>
    public async Task<Standing> ChannelStandingAsync(Actor actor, Channel channel, CancellationToken ct = default, InboxDbContext? on = null)
    {
        if (!actor.IsAuthenticated) return None;
        if (channel.IsSupport)
        {
            var standing = await CompanyStandingAsync(actor, channel.CompanyId!, ct, on);
            if (actor.UserId == channel.CustomerId && IsWithinBinding(actor, channel.CompanyId)) standing |= Customer;
            return standing & ~SignedIn;
        }

        if (!IsWithinBinding(actor, channel.CompanyId)) return None;
        var dm = None;
        if (channel.CompanyId is not null)
        {
            // Moderators have no say over DMs: only admin-level standing carries over.
            dm |= await CompanyStandingAsync(actor, channel.CompanyId, ct, on) & (CompanyAdmin | Integration);
        }
        if (actor.UserId is not null)
        {
            var isMember = await AskAsync(on, db => db.ChannelMembers.AnyAsync(m => m.ChannelId == channel.Id && m.UserId == actor.UserId, ct), ct);
            if (isMember) dm |= DmMember | (channel.CreatedById == actor.UserId ? DmAdmin : None);
        }
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

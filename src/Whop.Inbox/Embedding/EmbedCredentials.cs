using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.AccessTokens;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Embedding;

/// <summary>Who an embedded element acts for, and until when.</summary>
public sealed record EmbedCredential(Actor Actor, string UserId, string CompanyId, DateTimeOffset ExpiresAt);

/// <summary>
/// Reads the access token a host page hands to an embedded element. The token is the API's own
/// bearer token (<c>POST /api/v1/access_tokens</c>) and is read the way the API's handler reads it:
/// the same Data Protection protector, the same expiry. It is never logged.
/// </summary>
public sealed class EmbedCredentials(
    IOptionsMonitor<BearerTokenOptions> bearerOptions,
    IDbContextFactory<InboxDbContext> contexts,
    TimeProvider clock)
{
    public async Task<Outcome<EmbedCredential>> ReadAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(token)) return Failure.Invalid("token", "No access token was given.");
        var ticket = bearerOptions.Get(AccessTokenService.Scheme).BearerTokenProtector.Unprotect(token.Trim());
        if (ticket is null) return Failure.Invalid("token", "The access token is not valid.");
        if (ticket.Properties.ExpiresUtc is not { } expiresAt || expiresAt <= clock.GetUtcNow())
            return Failure.Invalid("token", "The access token has expired.");

        var actor = Actor.From(ticket.Principal);
        if (actor.Credential != Credential.AccessToken || actor.UserId is null || actor.CompanyId is null)
            return Failure.Invalid("token", "The access token is not valid.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Users.AnyAsync(u => u.Id == actor.UserId, ct)) return Failure.Invalid("token", "The access token's user no longer exists.");
        return new EmbedCredential(actor, actor.UserId, actor.CompanyId, expiresAt);
    }
}

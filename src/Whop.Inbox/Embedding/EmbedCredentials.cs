using Whop.Inbox.Common;
using Whop.Inbox.Identity.AccessTokens;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Embedding;

/// <summary>Who an embedded element acts for, and until when.</summary>
public sealed record EmbedCredential(Actor Actor, string UserId, string CompanyId, DateTimeOffset ExpiresAt)
{
    /// <summary>The same person, company and scopes: a renewal that changes nothing the elements act on.</summary>
    public bool ActsAsSameAs(EmbedCredential other) =>
        UserId == other.UserId && CompanyId == other.CompanyId && Actor.Scopes.SetEquals(other.Actor.Scopes);
}

/// <summary>
/// Reads the access token a host page hands to an embedded element. The token is the API's own
/// bearer token (<c>POST /api/v1/access_tokens</c>), checked by the very method the API's bearer
/// scheme uses (<see cref="AccessTokenService.ValidateAsync"/>). It is never logged.
/// </summary>
public sealed class EmbedCredentials(AccessTokenService tokens)
{
    public async Task<Outcome<EmbedCredential>> ReadAsync(string? token, CancellationToken ct = default)
    {
        var valid = await tokens.ValidateAsync(token, ct);
        if (valid.Failure is { } failure) return failure;
        var t = valid.Value!;
        return new EmbedCredential(t.Actor, t.UserId, t.CompanyId, t.ExpiresAt);
    }
}

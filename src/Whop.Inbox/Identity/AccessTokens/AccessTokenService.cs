using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.Options;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Identity.AccessTokens;

public sealed record IssuedAccessToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>A token that passed <see cref="AccessTokenService.ValidateAsync"/>: whom it acts for, and until when.</summary>
public sealed record ValidAccessToken(AuthenticationTicket Ticket, Actor Actor, string UserId, string CompanyId, DateTimeOffset ExpiresAt);

/// <summary>
/// Short-lived tokens that act as one user with a subset of scopes, for an embedding app to hand to
/// its browser. They are the framework's bearer tokens (Data Protection, whose key ring is shared
/// through the database), so every instance can read them and none can forge them.
/// </summary>
public sealed class AccessTokenService(
    InboxRights rights,
    KnownUsers users,
    IOptionsMonitor<BearerTokenOptions> bearerOptions,
    TimeProvider clock)
{
    public const string Scheme = "AccessToken";
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(3);

    // Tokens read before, by their text: a token's every request after the first is recognised without
    // decrypting it again (a flood of one token's requests is refused for the cost of a lookup). Past
    // this many the memory starts over; expired ones are dropped as they are met.
    private const int MaxRemembered = 20_000;
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _read = new(StringComparer.Ordinal);

    public async Task<Outcome<IssuedAccessToken>> IssueAsync(Actor caller, string? companyId, string? userId,
        IReadOnlyList<string>? scopedActions, DateTimeOffset? expiresAt, CancellationToken ct = default)
    {
        // A token is bound to the caller's company; naming another is refused rather than ignored.
        var boundCompany = caller.CompanyId;
        if (companyId is not null && boundCompany is not null && companyId != boundCompany)
            return Failure.Forbidden("An API key can only issue tokens for its own company.");
        boundCompany ??= companyId;
        if (boundCompany is null) return Failure.Invalid("company_id", "company_id is required.");
        if (!await rights.CanAsync(caller, InboxAction.IssueAccessTokens, boundCompany, ct))
            return Failure.Forbidden("Only an API key of the company can issue access tokens.");

        if (string.IsNullOrWhiteSpace(userId)) return Failure.Invalid("user_id", "user_id is required: the user the token acts as.");
        if (!await users.ExistsAsync(userId, ct)) return Failure.NotFound($"No user {userId}.");

        var scopes = scopedActions ?? Scopes.All.ToList();
        var unknown = scopes.Where(s => !Scopes.All.Contains(s)).ToList();
        if (unknown.Count > 0)
            return Failure.Invalid("scoped_actions", $"Unknown scope(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", Scopes.All)}.");

        var now = clock.GetUtcNow();
        var expiry = expiresAt ?? now + DefaultLifetime;
        if (expiry <= now) return Failure.Invalid("expires_at", "expires_at must be in the future.");
        if (expiry > now + MaxLifetime) return Failure.Invalid("expires_at", "expires_at can be at most 3 hours from now.");

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, userId),
                new Claim(InboxClaims.Credential, InboxClaims.AccessTokenCredential),
                new Claim(InboxClaims.CompanyId, boundCompany),
                .. scopes.Distinct().Select(s => new Claim(InboxClaims.Scope, s)),
            ],
            Scheme);
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = expiry };
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), properties, Scheme);
        var token = bearerOptions.Get(Scheme).BearerTokenProtector.Protect(ticket);
        return new IssuedAccessToken(token, expiry);
    }

    /// <summary>
    /// The one reading of a presented token, for the API's bearer scheme and the embedded elements
    /// alike: it must unprotect, be live (expired at its expiry instant, as the framework counts),
    /// carry a user and a company, and its user must exist (from memory after the first time,
    /// <see cref="KnownUsers"/>). Failures name the field
    /// <c>token</c> and never echo the token.
    /// </summary>
    public async Task<Outcome<ValidAccessToken>> ValidateAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token)) return Failure.Invalid("token", "No access token was given.");
        var ticket = Read(token);
        if (ticket is null) return Failure.Invalid("token", "The access token is not valid.");
        if (ticket.Properties.ExpiresUtc is not { } expiresAt || expiresAt <= clock.GetUtcNow())
        {
            _read.TryRemove(token, out _);
            return Failure.Invalid("token", "The access token has expired.");
        }

        var actor = Actor.From(ticket.Principal);
        if (actor.Credential != Credential.AccessToken || actor.UserId is null || actor.CompanyId is null)
            return Failure.Invalid("token", "The access token is not valid.");
        if (!await users.ExistsAsync(actor.UserId, ct))
            return Failure.Invalid("token", "The access token's user no longer exists.");
        return new ValidAccessToken(ticket, actor, actor.UserId, actor.CompanyId, expiresAt);
    }

    private AuthenticationTicket? Read(string token)
    {
        if (_read.TryGetValue(token, out var known)) return known;
        var ticket = bearerOptions.Get(Scheme).BearerTokenProtector.Unprotect(token);
        if (ticket is null) return null;
        if (_read.Count >= MaxRemembered) _read.Clear();
        _read.TryAdd(token, ticket);
        return ticket;
    }
}

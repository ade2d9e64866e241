using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Identity.ApiKeys;

/// <summary>Authenticates <c>Authorization: Bearer whk_…</c> (or the bootstrap key) as the key's company backend.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyDirectory keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = BearerCredential.From(Request);
        if (presented is null) return AuthenticateResult.NoResult();

        var key = await keys.AuthenticateAsync(presented, Context.RequestAborted);
        if (key is null) return AuthenticateResult.Fail("Unknown or revoked API key.");

        var identity = new ClaimsIdentity(
        [
            new Claim(InboxClaims.Credential, InboxClaims.ApiKeyCredential),
            new Claim(InboxClaims.ApiKeyId, key.KeyId),
            new Claim(InboxClaims.CompanyId, key.CompanyId),
        ], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}

internal static class BearerCredential
{
    /// <summary>The credential after <c>Bearer </c> in the Authorization header, or on <c>/hubs</c> the <c>access_token</c> query parameter.</summary>
    public static string? From(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && header.Length > prefix.Length
            ? header[prefix.Length..].Trim()
            : FromHubQuery(request);
    }

    /// <summary>
    /// SignalR clients put the credential in the query string where they cannot set a header
    /// (browsers' WebSockets, server-sent events). Only the hub accepts it there: URLs end up in logs.
    /// </summary>
    public static string? FromHubQuery(HttpRequest request) =>
        request.Path.StartsWithSegments("/hubs") && request.Query["access_token"].ToString() is { Length: > 0 } token ? token : null;
}

using Microsoft.AspNetCore.Authorization;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Identity;

/// <summary>
/// The hub's rule for the browser's sign-in cookie: only a page of the app's own origin may use it.
/// Browsers send the <c>SameSite=Lax</c> cookie on WebSockets from any same-site origin (another
/// port, a sibling subdomain) and SignalR checks no origin, so without this such a page could act as
/// whoever is signed in. A request without an <c>Origin</c> header comes from no web page and is
/// let through; API keys and access tokens are credentials a page must hold, so any origin may use them.
/// </summary>
public sealed class CookieFromOwnOrigin : IAuthorizationRequirement;

internal sealed class CookieFromOwnOriginHandler : AuthorizationHandler<CookieFromOwnOrigin>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CookieFromOwnOrigin requirement)
    {
        var http = context.Resource as HttpContext;
        if (Actor.From(context.User).Credential != Credential.Session || http is null || IsOwnOrigin(http.Request))
            context.Succeed(requirement);
        else
            context.Fail(new AuthorizationFailureReason(this, "The sign-in cookie is accepted only from the app's own origin."));
        return Task.CompletedTask;
    }

    /// <summary>
    /// The Origin's host and port against the Host the request came to (the port a proxy leaves out
    /// is the origin scheme's default). No Origin: not from a web page.
    /// </summary>
    internal static bool IsOwnOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin)) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return false;
        var host = request.Host;
        return host.HasValue
               && string.Equals(uri.IdnHost, host.Host, StringComparison.OrdinalIgnoreCase)
               && (host.Port is { } port ? uri.Port == port : uri.IsDefaultPort);
    }
}

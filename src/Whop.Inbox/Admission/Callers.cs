using System.Security.Claims;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Admission;

/// <summary>Who a request is, for the allowances: one API key, one person (whatever token or cookie they use), else the fallback.</summary>
public static class Callers
{
    public static Caller Of(ClaimsPrincipal user, string fallback) => new(
        user.FindFirstValue(InboxClaims.ApiKeyId) is { } key ? $"key:{key}"
        : user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id ? $"user:{id}"
        : fallback,
        user.FindFirstValue(InboxClaims.CompanyId));

    /// <summary>A request's caller; those without a credential are told apart by address (the forwarded one behind a known proxy).</summary>
    public static Caller Of(HttpContext context) => Of(context.User, $"ip:{context.Connection.RemoteIpAddress}");
}

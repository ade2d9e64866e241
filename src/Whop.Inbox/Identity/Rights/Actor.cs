using System.Reflection;
using System.Security.Claims;

namespace Whop.Inbox.Identity.Rights;

/// <summary>
/// The caller, as the rights table sees them: which user (if any), how they signed in, which
/// company an API key or access token is bound to, and a token's scopes. API handlers take it as a
/// parameter (bound from the request's user), so none of them reads claims itself.
/// </summary>
public sealed record Actor(string? UserId, Credential Credential, string? CompanyId, string? ApiKeyId, IReadOnlySet<string> Scopes)
    : IBindableFromHttpContext<Actor>
{
    public static Actor Anonymous { get; } = new(null, Credential.Session, null, null, new HashSet<string>());

    public bool IsAuthenticated => UserId is not null || ApiKeyId is not null;

    public static ValueTask<Actor?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<Actor?>(From(context.User));

    public static Actor From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return Anonymous;
        var credential = principal.FindFirstValue(InboxClaims.Credential) switch
        {
            InboxClaims.ApiKeyCredential => Credential.ApiKey,
            InboxClaims.AccessTokenCredential => Credential.AccessToken,
            _ => Credential.Session,
        };
        return new Actor(
            principal.FindFirstValue(ClaimTypes.NameIdentifier),
            credential,
            principal.FindFirstValue(InboxClaims.CompanyId),
            principal.FindFirstValue(InboxClaims.ApiKeyId),
            principal.FindAll(InboxClaims.Scope).Select(c => c.Value).ToHashSet());
    }
}

/// <summary>Claim names our API keys and access tokens carry (cookies carry Identity's own).</summary>
public static class InboxClaims
{
    public const string Credential = "inbox:credential";
    public const string ApiKeyCredential = "api_key";
    public const string AccessTokenCredential = "access_token";
    public const string CompanyId = "inbox:company_id";
    public const string ApiKeyId = "inbox:api_key_id";
    public const string Scope = "scope";
}

namespace Whop.Inbox.Common;

/// <summary>
/// What every response says to browsers: a Content-Security-Policy that allows the app's own
/// scripts, styles, images, fonts and connections only (inline styles too, which component
/// libraries set; no inline or evaluated script), no referrer beyond the origin to other sites, no
/// content-type sniffing, and none of the powerful browser features. Who may frame a page is the one
/// part that differs: <see cref="Embedding.EmbedFraming"/> adds <c>frame-ancestors</c>.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The policy without <c>frame-ancestors</c>.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>
    /// For an uploaded file's bytes (<see cref="ServeAsDownload"/>): opened on its own, it runs nothing and
    /// loads nothing, as if from an origin of its own, whatever a crafted file holds.
    /// </summary>
    public const string DownloadPolicy = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

    /// <summary>This response is a user's file: it gets <see cref="DownloadPolicy"/> instead of the app's.</summary>
    public static void ServeAsDownload(HttpContext context) => context.Items[DownloadPolicy] = true;

    public const string ReferrerPolicy = "strict-origin-when-cross-origin";

    public const string PermissionsPolicy =
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), midi=(), browsing-topics=()";

    /// <summary>The whole Content-Security-Policy for a response framed as <paramref name="frameAncestors"/> allows.</summary>
    public static string ContentSecurityPolicyWith(string frameAncestors) => $"{ContentSecurityPolicy}; {frameAncestors}";

    /// <summary>
    /// The policy for <paramref name="context"/>'s response: the API reference page (<see cref="ApiReference"/>)
    /// starts its script inline, so its response also allows the one-use nonce it put on its script tags.
    /// </summary>
    public static string ContentSecurityPolicyFor(HttpContext context, string frameAncestors) =>
        context.Items.ContainsKey(DownloadPolicy) ? $"{DownloadPolicy}; {frameAncestors}"
        : ApiReference.ScriptNonce(context) is { } nonce
            ? ContentSecurityPolicyWith(frameAncestors).Replace("script-src 'self'", $"script-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal)
            : ContentSecurityPolicyWith(frameAncestors);

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers["Referrer-Policy"] = ReferrerPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Permissions-Policy"] = PermissionsPolicy;
            return Task.CompletedTask;
        });
        await next(context);
    });
}

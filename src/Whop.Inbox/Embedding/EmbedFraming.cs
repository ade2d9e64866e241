using Microsoft.Extensions.Primitives;
using Whop.Inbox.Common;

namespace Whop.Inbox.Embedding;

/// <summary>
/// Who may put the app in a frame. The two element pages may be framed by the origins their company
/// allows (<c>Content-Security-Policy: frame-ancestors</c>, <c>'none'</c> when it allows none or the
/// company is unknown); every other response may not be framed at all. The rest of the
/// Content-Security-Policy is the same everywhere (<see cref="SecurityHeaders"/>).
/// </summary>
public static class EmbedFraming
{
    public const string ChatPath = "/embed/chat";
    public const string DmsPath = "/embed/dms";

    public static IApplicationBuilder UseEmbedFraming(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        string policy;
        if (HttpMethods.IsGet(context.Request.Method) && (path.Equals(ChatPath, StringComparison.OrdinalIgnoreCase) || path.Equals(DmsPath, StringComparison.OrdinalIgnoreCase)))
        {
            var origins = await AllowedOriginsAsync(context);
            policy = EmbedOrigin.FrameAncestors(origins);
            // frame-ancestors is the whole rule here. X-Frame-Options (which the antiforgery token adds as
            // SAMEORIGIN) cannot name other sites, and browsers that only know it would refuse the allowed ones.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.XFrameOptions);
                return Task.CompletedTask;
            });
        }
        else
        {
            policy = "frame-ancestors 'none'";
            // For browsers that predate frame-ancestors.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.XFrameOptions = "DENY";
                return Task.CompletedTask;
            });
        }
        // Set as the response starts: interactive pages add their own frame-ancestors 'self' on the
        // way, and this one policy (with the company's origins for the elements) must be the only one.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.ContentSecurityPolicy = SecurityHeaders.ContentSecurityPolicyFor(context, policy);
            return Task.CompletedTask;
        });
        await next(context);
    });

    /// <summary>The company comes from <c>?company=</c>, or from the conversation in <c>?channel=</c>.</summary>
    private static Task<IReadOnlyList<string>> AllowedOriginsAsync(HttpContext context) =>
        context.RequestServices.GetRequiredService<EmbedSettings>().FramingOriginsAsync(
            Single(context.Request.Query["company"]), Single(context.Request.Query["channel"]), context.RequestAborted);

    private static string? Single(StringValues values) =>
        values.Count == 1 && values[0] is { Length: > 0 and <= 64 } value ? value : null;
}

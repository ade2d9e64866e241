using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.AccessTokens;
using Whop.Inbox.Identity.ApiKeys;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Identity;

public static class IdentitySetup
{
    /// <summary>Picks the API key or access-token scheme from the shape of the bearer credential.</summary>
    public const string ApiScheme = "Api";
    public const string ApiKeyScheme = "ApiKey";

    /// <summary>The real-time hub's: a bearer credential when one is presented, else the browser's cookie.</summary>
    public const string HubScheme = "Hub";

    /// <summary>The policy of the whole <c>/api/v1</c> group: any valid API key or access token.</summary>
    public const string ApiCaller = nameof(ApiCaller);

    /// <summary>The policy of <c>/hubs</c>: a signed-in person (cookie, from the app's own origin only), an API key or an access token.</summary>
    public const string HubCaller = nameof(HubCaller);

    public static IHostApplicationBuilder AddInboxIdentity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // The key ring lives in the database, so every instance reads the cookies and tokens the others issue.
        services.AddDataProtection().SetApplicationName("Whop.Inbox").PersistKeysToDbContext<InboxDbContext>();

        services.AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddEntityFrameworkStores<InboxDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/account/login";
                o.LogoutPath = "/account/logout";
                o.AccessDeniedPath = "/account/access-denied";
                o.Cookie.Name = "whop_inbox";
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
            }));
        services.AddAuthentication()
            .AddBearerToken(AccessTokenService.Scheme, o => o.Events.OnMessageReceived = async context =>
            {
                // WebSocket and server-sent-event clients cannot set headers: on /hubs the token may come in the query.
                var token = context.Token ?? BearerCredential.From(context.Request);
                if (token is null) return;
                // The service's reading, not the handler's own: the embedded elements use the same one.
                var tokens = context.HttpContext.RequestServices.GetRequiredService<AccessTokenService>();
                var valid = await tokens.ValidateAsync(token, context.HttpContext.RequestAborted);
                if (valid.Value is { } accepted)
                {
                    context.Principal = accepted.Ticket.Principal;
                    context.Properties = accepted.Ticket.Properties;
                    context.Success();
                }
                else context.Fail(valid.Failure!.Message);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, null)
            .AddPolicyScheme(ApiScheme, "API key or access token", o => o.ForwardDefaultSelector = context =>
            {
                var presented = BearerCredential.From(context.Request);
                var keys = context.RequestServices.GetRequiredService<ApiKeyDirectory>();
                return presented is not null && keys.LooksLikeApiKey(presented) ? ApiKeyScheme : AccessTokenService.Scheme;
            })
            .AddPolicyScheme(HubScheme, "Cookie, API key or access token", o =>
            {
                o.ForwardDefaultSelector = context =>
                    BearerCredential.From(context.Request) is null ? IdentityConstants.ApplicationScheme : ApiScheme;
                // A client without a valid credential gets 401 and 403, not a redirect to the sign-in page.
                o.ForwardChallenge = ApiScheme;
                o.ForwardForbid = ApiScheme;
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(ApiCaller, p => p.AddAuthenticationSchemes(ApiScheme).RequireAuthenticatedUser())
            .AddPolicy(HubCaller, p => p.AddAuthenticationSchemes(HubScheme).RequireAuthenticatedUser().AddRequirements(new CookieFromOwnOrigin()));
        services.Configure<AuthorizationOptions>(o => o.AddInboxPolicies());
        services.AddScoped<IAuthorizationHandler, InboxActionHandler>();
        services.AddSingleton<IAuthorizationHandler, CookieFromOwnOriginHandler>();
        services.AddCascadingAuthenticationState();

        services.AddSingleton<InboxRights>();
        services.AddSingleton<ChannelCapabilities>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<ApiKeyDirectory>();
        services.AddHostedService<ApiKeyUpkeep>();
        services.AddSingleton<KnownUsers>();
        services.AddSingleton<AccessTokenService>();
        services.AddSingleton<UserSync>();
        services.AddOptions<Account.SignInLimitOptions>().BindConfiguration(Account.SignInLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Account.SignInThrottle>();
        return builder;
    }

    /// <summary>
    /// Tells who an API or hub request is before its allowance is taken and before anything waits for
    /// the database: the bearer credential is checked from memory (<see cref="ApiKeyDirectory"/>, and
    /// access tokens are signed), so a flood of bad or over-allowance credentials is refused without a
    /// round trip. A credential that fails leaves the request anonymous: its address's allowance pays.
    /// </summary>
    public static IApplicationBuilder UseApiCredentials(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if ((path.StartsWithSegments(Common.ApiSetup.BasePath) || path.StartsWithSegments("/hubs")) && BearerCredential.From(context.Request) is not null)
        {
            var result = await context.AuthenticateAsync(ApiScheme);
            if (result.Succeeded) context.User = result.Principal;
        }
        await next(context);
    });
}

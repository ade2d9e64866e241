using Whop.Inbox.Identity.Rights;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Whop.Inbox.DirectMessages;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.AccessTokens;
using Whop.Inbox.Identity.ApiKeys;
using Whop.Inbox.Messaging;
using Whop.Inbox.Notifications;
using Whop.Inbox.Embedding;
using Whop.Inbox.Support;
using Whop.Inbox.Support.SavedReplies;
using Whop.Inbox.Team;
using Whop.Inbox.Webhooks;

namespace Whop.Inbox.Common;

/// <summary>The REST API's shared conventions: snake_case JSON, problem-details errors, OpenAPI.</summary>
public static class ApiSetup
{
    public const string BasePath = "/api/v1";

    public static IHostApplicationBuilder AddInboxApi(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        // Malformed bodies throw so ApiExceptionHandler can name the field; by default they are a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblems.AddErrorObject);
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        // Kestrel refuses a request line over 8 KB with a bare 414; a long query (a search of 10,000 encoded
        // characters, say) should reach the API and hear which field is too long.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestLineSize = 64 * 1024);
        builder.Services.AddSingleton<DatabaseStatus>();
        builder.Services.AddApiReference();
        builder.AddInboxRateLimiting();
        return builder;
    }

    public static void Configure(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        // Names only: a number would bind to any value of the enum, named or not.
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }

    /// <summary>
    /// The one <c>/api/v1</c> group and what every endpoint in it shares: an API key or access token,
    /// the per-credential rate limit, no control characters in any string argument, and the errors
    /// any call may get. Each feature maps its own endpoints into it.
    /// </summary>
    public static IEndpointRouteBuilder MapInboxApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(BasePath)
            .RequireAuthorization(IdentitySetup.ApiCaller)
            .RequireRateLimiting(RateLimiting.ApiPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable, ApiProblems.ContentType);
        api.AddEndpointFilterFactory(StoredText.RefuseControlCharacters);
        api.MapAccessTokensApi();
        api.MapApiKeysApi();
        api.MapUsersApi();
        api.MapTeamApi();
        api.MapSupportChannelsApi();
        api.MapSavedRepliesApi();
        api.MapDmChannelsApi();
        api.MapMessagesApi();
        api.MapEmbeddingApi();
        api.MapCapabilitiesApi();
        api.MapWebhooksApi();
        api.MapNotificationPreferencesApi();
        app.MapApiReference();
        return app;
    }

    /// <summary>API paths answer errors with problem details; pages keep their own error UI.</summary>
    public static IApplicationBuilder UseInboxErrorHandling(this WebApplication app)
    {
        // An outage is a 503 (pages too); anything else a 500.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => Data.DatabaseFaults.IsUnavailable(e) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
        });
        app.UseWhen(c => c.Request.Path.StartsWithSegments(BasePath), api => api.UseStatusCodePages());
        return app;
    }
}

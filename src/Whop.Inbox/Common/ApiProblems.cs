using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Whop.Inbox.Common;

/// <summary>
/// Every API error is an RFC 7807 problem with an <c>error</c> object ({type, message, param}) the
/// SDK can show. Nothing else leaks: no stack traces, no ids of other companies.
/// </summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    public static ApiProblem From(Failure failure) => Problem(StatusOf(failure.Kind), failure.Message, failure.Field);

    /// <summary>The HTTP status of a kind of failure (also each item's <c>status</c> in a bulk answer).</summary>
    public static int StatusOf(FailureKind kind) => kind switch
    {
        FailureKind.Invalid => StatusCodes.Status400BadRequest,
        FailureKind.NotFound => StatusCodes.Status404NotFound,
        FailureKind.Forbidden => StatusCodes.Status403Forbidden,
        FailureKind.Conflict => StatusCodes.Status409Conflict,
        FailureKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    /// <summary>The <c>error</c> object of a problem (<c>{type, message, param}</c>) for a failure: what a bulk answer's failed items carry.</summary>
    public static ApiError ErrorOf(Failure failure)
    {
        var status = StatusOf(failure.Kind);
        return new ApiError(ErrorTypes.GetValueOrDefault(status, ServerError), failure.Message, failure.Field);
    }

    public static ApiProblem Problem(int status, string message, string? field = null)
    {
        var extensions = new Dictionary<string, object?> { ["error"] = Error(status, message, field) };
        if (field is not null) extensions["errors"] = FieldErrors(field, message);
        return new ApiProblem(TypedResults.Problem(detail: message, statusCode: status, extensions: extensions));
    }

    /// <summary>An outcome as 200 with its value mapped to the wire shape, or the problem its failure describes.</summary>
    public static Results<Ok<TOut>, ApiProblem> ToResult<T, TOut>(this Outcome<T> outcome, Func<T, TOut> map) =>
        outcome.Failure is { } failure ? From(failure) : TypedResults.Ok(map(outcome.Value!));

    /// <inheritdoc cref="ToResult{T, TOut}(Outcome{T}, Func{T, TOut})"/>
    public static async Task<Results<Ok<TOut>, ApiProblem>> ToResultAsync<T, TOut>(this Task<Outcome<T>> outcome, Func<T, TOut> map) =>
        (await outcome).ToResult(map);

    /// <summary>Gives framework-made problems (401, 403, 404, 429, 500) the same <c>error</c> object.</summary>
    internal static void AddErrorObject(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        // A query value the framework could not bind answers a bare 400: name the value.
        var bound = status == StatusCodes.Status400BadRequest && problem.Detail is null ? BindingFailure.Find(context.HttpContext) : null;
        if (bound is not null)
        {
            problem.Detail = bound.Message;
            problem.Extensions.TryAdd("errors", FieldErrors(bound.Field, bound.Message));
        }
        problem.Detail ??= status switch
        {
            StatusCodes.Status401Unauthorized => "A valid API key or access token is required.",
            StatusCodes.Status403Forbidden => "This credential does not allow this action.",
            StatusCodes.Status404NotFound => "Not found.",
            StatusCodes.Status429TooManyRequests => "Too many requests; retry after the time in the Retry-After header.",
            StatusCodes.Status503ServiceUnavailable => "The service is unavailable for a moment; retry after the time in the Retry-After header.",
            >= 500 => "Something went wrong on our side. It has been logged.",
            _ => problem.Title,
        };
        problem.Extensions.TryAdd("error", Error(status, problem.Detail!, bound?.Field));
        problem.Extensions.Remove("exception");
    }

    /// <summary>The <c>error.type</c> for each status; any other is <see cref="ServerError"/>.</summary>
    public static IReadOnlyDictionary<int, string> ErrorTypes { get; } = new Dictionary<int, string>
    {
        [400] = "invalid_request",
        [401] = "unauthorized",
        [403] = "forbidden",
        [404] = "not_found",
        [409] = "conflict",
        [422] = "unprocessable",
        [429] = "rate_limited",
        [503] = "unavailable",
    };

    public const string ServerError = "server_error";

    /// <summary>The <c>errors</c> member (validation problems' shape): the field the problem names, and why.</summary>
    private static Dictionary<string, string[]> FieldErrors(string field, string message) => new() { [field] = [message] };

    private static object Error(int status, string message, string? field) => new Dictionary<string, object?>
    {
        ["type"] = ErrorTypes.GetValueOrDefault(status, ServerError),
        ["message"] = message,
        ["param"] = field,
    };
}

/// <summary>The <c>error</c> member of every problem body, as a type: <c>type</c> (see <see cref="ApiProblems.ErrorTypes"/>), the message, the field it names.</summary>
public sealed record ApiError(string Type, string Message, string? Param);

/// <summary>
/// The typed result for a refused call (a service's <see cref="Failure"/>, or a body the handler will
/// not take). Returning it tells the OpenAPI document that the operation may answer 400, 403, 404 or
/// 422 with a problem body; the errors every call may get (401, 429, 503) the API group declares.
/// </summary>
public sealed class ApiProblem(ProblemHttpResult problem) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private static readonly int[] Statuses =
    [
        StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity,
    ];

    public ProblemDetails ProblemDetails => problem.ProblemDetails;

    public int StatusCode => problem.StatusCode;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public Task ExecuteAsync(HttpContext httpContext) => problem.ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        foreach (var status in Statuses)
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [ApiProblems.ContentType]));
    }
}

/// <summary>
/// Turns malformed bodies and query values into a 400 that names the offending field, and the
/// database being unavailable into a 503 with <c>Retry-After</c> (API and hub paths), so clients
/// can tell an outage from a bug.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, DatabaseStatus database) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (database.Report(exception))
        {
            if (!context.Request.Path.StartsWithSegments(ApiSetup.BasePath) && !context.Request.Path.StartsWithSegments("/hubs")) return false;
            var busy = Data.DatabaseFaults.Busy(exception);
            var retryAfter = busy?.RetryAfterSeconds ?? DatabaseStatus.RetryAfterSeconds;
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var unavailable = ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable,
                busy?.Message ?? $"The database is not available right now; retry in {retryAfter} s.");
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = unavailable.ProblemDetails,
                Exception = exception,
            });
        }
        if (exception is not BadHttpRequestException bad) return false;
        string? field = null;
        string message;
        if (bad.InnerException is JsonException json)
        {
            field = json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
            message = field is null ? "The request body is not valid JSON." : $"The field {field} has the wrong type or format.";
        }
        else if (BindingFailure.Find(context) is { } unbound)
        {
            (field, message) = (unbound.Field, unbound.Message);
        }
        else
        {
            message = bad.Message;
        }

        context.Response.StatusCode = bad.StatusCode;
        var result = ApiProblems.Problem(bad.StatusCode, message, field);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = result.ProblemDetails,
            Exception = exception,
        });
    }
}

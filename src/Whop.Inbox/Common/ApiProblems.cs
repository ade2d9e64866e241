using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Whop.Inbox.Common;

/// <summary>
/// Every API error is an RFC 7807 problem with an <c>error</c> object ({type, message, param}) the
/// SDK can show. Nothing else leaks: no stack traces, no ids of other companies.
/// </summary>
public static class ApiProblems
{
    public static ProblemHttpResult From(Failure failure)
    {
        var status = failure.Kind switch
        {
            FailureKind.Invalid => StatusCodes.Status400BadRequest,
            FailureKind.NotFound => StatusCodes.Status404NotFound,
            FailureKind.Forbidden => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        return Problem(status, failure.Message, failure.Field);
    }

    public static ProblemHttpResult Problem(int status, string message, string? field = null)
    {
        var extensions = new Dictionary<string, object?> { ["error"] = Error(status, message, field) };
        if (field is not null) extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
        return TypedResults.Problem(detail: message, statusCode: status, extensions: extensions);
    }

    /// <summary>Gives framework-made problems (401, 403, 404, 429, 500) the same <c>error</c> object.</summary>
    internal static void AddErrorObject(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
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
        problem.Extensions.TryAdd("error", Error(status, problem.Detail!, null));
        problem.Extensions.Remove("exception");
    }

    private static object Error(int status, string message, string? field) => new Dictionary<string, object?>
    {
        ["type"] = status switch
        {
            400 => "invalid_request",
            401 => "unauthorized",
            403 => "forbidden",
            404 => "not_found",
            409 => "conflict",
            422 => "unprocessable",
            429 => "rate_limited",
            503 => "unavailable",
            _ => "server_error",
        },
        ["message"] = message,
        ["param"] = field,
    };

    /// <summary>Resolves an outcome to 200 with its value, or the problem its failure describes.</summary>
    public static IResult ToResult<T>(this Outcome<T> outcome, Func<T, IResult>? onSuccess = null) =>
        outcome.Failure is { } failure ? From(failure)
        : onSuccess is not null ? onSuccess(outcome.Value!)
        : TypedResults.Ok(outcome.Value);
}

/// <summary>
/// Turns malformed bodies and query values into a 400 that names the offending field, and the
/// database being unavailable into a 503 with <c>Retry-After</c> (API and hub paths), so clients
/// can tell an outage from a bug.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, DatabaseStatus database) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (database.Report(exception))
        {
            if (!context.Request.Path.StartsWithSegments(ApiSetup.BasePath) && !context.Request.Path.StartsWithSegments("/hubs")) return false;
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = DatabaseStatus.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var unavailable = ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable,
                $"The database is not available right now; retry in {DatabaseStatus.RetryAfterSeconds} s.");
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
        else if (QueryBindingFailure().Match(bad.Message) is { Success: true } query)
        {
            field = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(query.Groups["name"].Value);
            var type = query.Groups["type"].Value;
            var expected = type.Contains("Int") ? "a whole number" : type.Contains("Boolean") ? "true or false" : "a valid value";
            message = $"{field} must be {expected} (got \"{query.Groups["value"].Value}\").";
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

    // The framework's wording: Failed to bind parameter "Nullable<int> first" from "abc".
    [System.Text.RegularExpressions.GeneratedRegex("""Failed to bind parameter "(?<type>.+) (?<name>\w+)" from "(?<value>.*)"\.""")]
    private static partial System.Text.RegularExpressions.Regex QueryBindingFailure();
}

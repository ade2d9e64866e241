using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Whop.Inbox.Common;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Files;

/// <summary><c>/files</c>: uploads (Whop's <c>file_</c> objects) and their bytes.</summary>
public static class FilesApi
{
    public const string Path = ApiSetup.BasePath + "/files";

    /// <summary>
    /// Ours and Whop's file object: <c>url</c> is where its bytes are read (with the same credential),
    /// <c>thumbnail_url</c> (ours) is an image's small copy; width and height are an image's, null otherwise.
    /// </summary>
    public sealed record FileResponse(string Id, string Filename, string ContentType, long Size, string Url, string? ThumbnailUrl,
        int? Width, int? Height)
    {
        public static FileResponse From(FileView f) => new(f.Id, f.Filename, f.ContentType, f.Size, FilesApi.ContentUrl(f.Id),
            f.IsImage ? FilesApi.ThumbnailUrl(f.Id) : null, f.Width, f.Height);
    }

    public static string ContentUrl(string id) => $"{Path}/{id}/content";

    public static string ThumbnailUrl(string id) => $"{Path}/{id}/content?variant=thumbnail";

    /// <summary>
    /// Mapped beside the <c>/api/v1</c> group rather than in it: the pages upload and show files with the
    /// sign-in cookie, so these take it (from the app's own origin only, as the hub does) as well as API
    /// keys and access tokens.
    /// </summary>
    public static IEndpointRouteBuilder MapFiles(this IEndpointRouteBuilder app)
    {
        var files = app.MapGroup(Path).WithTags("Files")
            .RequireAuthorization(IdentitySetup.HubCaller)
            .RequireRateLimiting(RateLimiting.ApiPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable, ApiProblems.ContentType);
        files.MapPost("/", UploadAsync).DisableAntiforgery().WithSummary(
            "Upload a file: multipart/form-data with the file in a part named file. Images are stored upright and without their " +
            "metadata, with a thumbnail. Attach it to a message within a day (attachments: [{id}]), or it is removed.");
        files.MapGet("/{id}", GetAsync).WithSummary("A file's object, for whoever may read it.");
        // The bytes are written straight to the response (not a typed result), so the document is told their shape here.
        files.MapGet("/{id}/content", ContentAsync)
            .Produces(StatusCodes.Status200OK, typeof(byte[]), "application/octet-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status403Forbidden, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType)
            .WithSummary(
            "A file's bytes (variant=thumbnail: an image's thumbnail), for those who read the conversation it is in or, until it is " +
            "attached, its uploader. Only images are shown inline; everything else is a download.");
        return app;
    }

    public static Task<Results<Ok<FileResponse>, ApiProblem>> UploadAsync(HttpRequest request, Actor actor, FileService files, CancellationToken ct) =>
        files.UploadAsync(actor, request, ct).ToResultAsync(FileResponse.From);

    public static Task<Results<Ok<FileResponse>, ApiProblem>> GetAsync(string id, Actor actor, FileService files, CancellationToken ct) =>
        files.ReadableAsync(actor, id, ct).ToResultAsync(FileResponse.From);

    public static async Task<IResult> ContentAsync(string id, Actor actor, FileService files, HttpContext context, CancellationToken ct,
        string? variant = null)
    {
        if (variant is not (null or "original" or "thumbnail")) return ApiProblems.From(Failure.Invalid("variant", "variant must be original or thumbnail."));
        var readable = await files.ReadableAsync(actor, id, ct);
        if (readable.Value is not { } file) return ApiProblems.From(readable.Failure!);
        var thumbnail = variant == "thumbnail";
        if (thumbnail && !file.IsImage) return ApiProblems.From(Failure.NotFound($"{id} is not an image: it has no thumbnail."));

        var response = context.Response;
        SecurityHeaders.ServeAsDownload(context);
        // Private: a file is for those who may read its conversation, and no shared cache may answer for them.
        response.Headers.CacheControl = "private, max-age=3600";
        var disposition = new ContentDispositionHeaderValue(file.IsImage ? "inline" : "attachment");
        disposition.SetHttpFileName(thumbnail ? $"thumbnail-{file.Filename}.webp" : file.Filename);
        response.Headers.ContentDisposition = disposition.ToString();
        if (thumbnail)
        {
            var small = await files.ThumbnailAsync(file.Id, ct) ?? [];
            return TypedResults.Bytes(small, "image/webp");
        }
        // Whatever was allowed in, a type a browser would run (HTML, SVG, XML) never goes out as one.
        response.ContentType = file.IsImage || !IsActive(file.ContentType) ? file.ContentType : "application/octet-stream";
        response.ContentLength = file.Size;
        await foreach (var chunk in files.ContentAsync(file.Id, ct)) await response.Body.WriteAsync(chunk, ct);
        return TypedResults.Empty;
    }

    private static bool IsActive(string contentType) =>
        contentType.Contains("html", StringComparison.Ordinal) || contentType.Contains("xml", StringComparison.Ordinal)
        || contentType.Contains("svg", StringComparison.Ordinal) || contentType.Contains("script", StringComparison.Ordinal);
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;

namespace Whop.Inbox.Files;

/// <summary>A file as every client sees it: never its bytes or thumbnail, which are read on their own.</summary>
public sealed record FileView(string Id, string? MessageId, string Filename, string ContentType, long Size, int? Width, int? Height)
{
    /// <summary>A raster image whose bytes decoded as one: the only files shown inline, and the only ones with a thumbnail.</summary>
    public bool IsImage => Width is not null;
}

/// <summary>Uploading files, and reading one's bytes through the same rights as the conversation it is in.</summary>
public sealed class FileService(
    IDbContextFactory<InboxDbContext> contexts,
    ChannelAccess access,
    FileInspector inspector,
    IOptions<FilesOptions> options,
    TimeProvider clock)
{
    private static readonly string SpoolFolder = Path.Combine(Path.GetTempPath(), "whop-inbox-uploads");

    /// <summary>
    /// Takes the part named <c>file</c> of a multipart body. It is streamed to a spool file (never held in
    /// memory), checked there, and only then written to the database (<see cref="StoreAsync"/>): a refusal
    /// stores nothing, and an upload cut off at any point leaves nothing behind.
    /// </summary>
    public async Task<Outcome<FileView>> UploadAsync(Actor actor, HttpRequest request, CancellationToken ct)
    {
        if (!InboxRights.Allows(actor, InboxAction.UploadFile, actor.UserId is not null ? Standing.SignedIn : Standing.Integration))
            return Failure.Forbidden();
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return Failure.Invalid("file", "Send the file as multipart/form-data, in a part named file.");
        }
        var limits = options.Value;
        // The server's own cap on a body (30 MB) must not refuse a file the configured limit allows; this
        // method stops reading at the limit itself.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } cap)
            cap.MaxRequestBodySize = limits.MaxFileBytes + 1024 * 1024;
        var reader = new MultipartReader(boundary, request.Body);
        Directory.CreateDirectory(SpoolFolder);
        var spool = Path.Combine(SpoolFolder, Guid.NewGuid().ToString("N"));
        string? stored = null;
        try
        {
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFileDisposition() || !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, "file", StringComparison.Ordinal))
                {
                    continue;
                }
                var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                if (FileInspector.CheckFilename(name) is { } badName) return badName;
                var size = await SpoolAsync(section.Body, spool, limits.MaxFileBytes, ct);
                if (size < 0) return Failure.Rejected($"The file is larger than the {limits.MaxFileBytes} bytes taken.", "file");
                if (size == 0) return Failure.Invalid("file", "The file is empty.");
                var inspected = inspector.Inspect(spool, FileInspector.Normalize(section.ContentType));
                if (inspected.Failure is { } refused) return refused;
                stored = inspected.Value!.StoredPath;
                return await StoreAsync(actor, name!, inspected.Value, ct);
            }
            return Failure.Invalid("file", "The body has no part named file with a filename.");
        }
        catch (IOException)
        {
            // The client went away or the body ended early: nothing was written to the database.
            return Failure.Invalid("file", "The upload ended before the file did.");
        }
        finally
        {
            File.Delete(spool);
            if (stored is not null) File.Delete(stored);
        }
    }

    /// <summary>Copies the part to disk; -1 as soon as it passes <paramref name="max"/> bytes (the rest is not read).</summary>
    private static async Task<long> SpoolAsync(Stream body, string path, long max, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > max) return -1;
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        return total;
    }

    private async Task<Outcome<FileView>> StoreAsync(Actor actor, string name, InspectedFile inspected, CancellationToken ct)
    {
        await using var source = new FileStream(inspected.StoredPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(source, ct));
        source.Position = 0;
        var file = new StoredFile(actor.CompanyId, actor.UserId, name, inspected.ContentType, source.Length, sha,
            inspected.Width, inspected.Height, inspected.Thumbnail, clock.UtcNowMicros());

        // Each chunk in a write of its own, the file marked complete at the end: SQLite has one writer, and
        // a 25 MB file in one transaction would hold everyone else's messages (and the other uploads) for as
        // long as it takes. A failure deletes what was written; a crash leaves an incomplete file the sweeper removes.
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Files.Add(file);
        await PatientlyAsync(() => db.SaveChangesAsync(ct), ct);
        db.ChangeTracker.Clear();
        try
        {
            var chunk = new byte[FileChunk.Size];
            for (var seq = 0; ; seq++)
            {
                var read = await source.ReadAtLeastAsync(chunk, chunk.Length, throwOnEndOfStream: false, ct);
                if (read == 0) break;
                // One chunk at a time, and the same buffer for every full one (the save has sent it and the
                // context forgets it before the next): an upload holds 256 KB whatever its size.
                db.FileChunks.Add(new FileChunk(file.Id, seq, read == chunk.Length ? chunk : chunk[..read]));
                await PatientlyAsync(() => db.SaveChangesAsync(ct), ct);
                db.ChangeTracker.Clear();
            }
            await PatientlyAsync(() => db.Files.Where(f => f.Id == file.Id).ExecuteUpdateAsync(s => s.SetProperty(f => f.IsComplete, true), ct), ct);
        }
        catch
        {
            await DeleteQuietlyAsync(file.Id);
            throw;
        }
        return ViewOf(file);
    }

    /// <summary>
    /// One write of an upload whose bytes are all here. Past the bound on database work it waits for a place
    /// (a short, growing pause, holding none) for up to <see cref="StorePatience"/> instead of failing at once:
    /// refusing now would make the client send every byte again. Then it gives up with the bound's 503.
    /// </summary>
    private static async Task PatientlyAsync(Func<Task> write, CancellationToken ct)
    {
        var giveUpAt = Stopwatch.GetTimestamp() + (long)(StorePatience.TotalSeconds * Stopwatch.Frequency);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write();
                return;
            }
            catch (Exception e) when (DatabaseFaults.Busy(e) is not null && Stopwatch.GetTimestamp() < giveUpAt)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * Math.Min(attempt, 8)), ct);
            }
        }
    }

    private static readonly TimeSpan StorePatience = TimeSpan.FromSeconds(10);

    /// <summary>Removes a file that could not be finished; if even that fails, the sweeper will.</summary>
    private async Task DeleteQuietlyAsync(string id)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            await db.Files.Where(f => f.Id == id).ExecuteDeleteAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Left for the sweeper: an incomplete file is never served nor attached.
        }
    }

    /// <summary>
    /// A file the caller may read: one attached to a message they may read (so never a note's to a
    /// customer), or their own upload not yet attached. Anything else is "not found".
    /// </summary>
    public async Task<Outcome<FileView>> ReadableAsync(Actor actor, string? id, CancellationToken ct = default)
    {
        var notFound = Failure.NotFound($"No file {id}.");
        if (!PublicId.HasPrefix(id, PublicId.File) || !actor.IsAuthenticated) return notFound;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var owned = await db.Files.AsNoTracking().Where(f => f.Id == id && f.IsComplete)
            .Select(f => new { View = new FileView(f.Id, f.MessageId, f.Filename, f.ContentType, f.Size, f.Width, f.Height), f.CompanyId, f.UploaderId })
            .SingleOrDefaultAsync(ct);
        if (owned is null) return notFound;
        if (owned.View.MessageId is null) return FileAttachments.Owns(actor, owned.CompanyId, owned.UploaderId) ? owned.View : notFound;
        return (await access.ReadableMessageAsync(actor, owned.View.MessageId, ct)).Succeeded ? owned.View : notFound;
    }

    /// <summary>
    /// The bytes of a file already allowed (<see cref="ReadableAsync"/>), read <see cref="ChunksPerRead"/> chunks
    /// (1 MB) per query: the connection (and its place in the database's bound) is back in the pool while
    /// they go to the client, however slowly it reads, and a big file is still only a few round trips.
    /// </summary>
    public async IAsyncEnumerable<byte[]> ContentAsync(string id, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        for (var from = 0; ; from += ChunksPerRead)
        {
            var end = from + ChunksPerRead;
            var chunks = await db.FileChunks.AsNoTracking().Where(c => c.FileId == id && c.Seq >= from && c.Seq < end).OrderBy(c => c.Seq)
                .Select(c => c.Data).ToListAsync(ct);
            foreach (var data in chunks) yield return data;
            if (chunks.Count < ChunksPerRead) yield break;
        }
    }

    private const int ChunksPerRead = 4;

    public async Task<byte[]?> ThumbnailAsync(string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Files.AsNoTracking().Where(f => f.Id == id).Select(f => f.Thumbnail).SingleOrDefaultAsync(ct);
    }

    private static FileView ViewOf(StoredFile f) => new(f.Id, f.MessageId, f.Filename, f.ContentType, f.Size, f.Width, f.Height);
}

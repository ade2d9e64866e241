using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Whop.Inbox.Benchmarks.Reporting;
using Whop.Inbox.Benchmarks.Running;

namespace Whop.Inbox.Benchmarks.Phases;

/// <summary>
/// Files: how fast a file goes in (<c>POST /api/v1/files</c>, multipart) and comes back out
/// (<c>GET /api/v1/files/{id}/content</c>), for a 1 MB and a 10 MB document, one at a time, beside the
/// machine's floor (writing the same bytes to a file on the same disk and syncing it); what an image
/// adds to an upload (its check, upright turn, metadata strip and thumbnail: an image upload minus a
/// document upload of the same size); and the app's resident memory while 20 uploads of 24 MiB run at
/// once (20 customers, one upload each: one credential may run only a few requests at once), which stays flat when uploads are streamed to the database instead of held in memory.
/// </summary>
public sealed class FilesPhase(AppProcess app, BenchApi api, Action<string> say) : IDisposable
{
    public sealed record Transfer(string Name, long Bytes, int Count, Percentiles Upload, double UploadMegabytesPerSecond, Percentiles Download,
        double DownloadMegabytesPerSecond, Percentiles Floor, double FloorMegabytesPerSecond, int Errors, string? FirstError);

    /// <summary><paramref name="ImageUpload"/> minus <paramref name="SameSizeDocumentUpload"/> at the median is what the image work costs.</summary>
    public sealed record Images(int Width, int Height, long Bytes, int Count, Percentiles ImageUpload, Percentiles SameSizeDocumentUpload,
        double ImageWorkP50Ms, bool SeenAsImage, int Errors, string? FirstError);

    public sealed record Concurrent(int Uploads, long BytesEach, double Seconds, double MegabytesPerSecond, long ResidentBefore, long ResidentPeak,
        long ResidentGrowth, int Errors, string? FirstError);

    public sealed record Figures(List<Transfer> Transfers, Images Images, Concurrent Concurrent);

    private const int Megabyte = 1_000_000;

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 32 })
    {
        BaseAddress = api.BaseAddress,
        Timeout = TimeSpan.FromMinutes(5),
    };

    public async Task<Figures> RunAsync(string accessToken, IReadOnlyList<string> concurrentTokens, int repetitions)
    {
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var transfers = new List<Transfer>();
        foreach (var (name, size, count) in new[] { ("1 MB document", 1 * Megabyte, repetitions), ("10 MB document", 10 * Megabyte, Math.Max(3, repetitions / 2)) })
        {
            var figures = await TransferAsync(name, Document(size), count);
            transfers.Add(figures);
            say($"  {name}: upload p50 {Results.Ms(figures.Upload.P50)} ms ({figures.UploadMegabytesPerSecond:F0} MB/s), download p50 " +
                $"{Results.Ms(figures.Download.P50)} ms ({figures.DownloadMegabytesPerSecond:F0} MB/s), disk floor p50 {Results.Ms(figures.Floor.P50)} ms " +
                $"({figures.FloorMegabytesPerSecond:F0} MB/s)" + (figures.Errors > 0 ? $"; {figures.Errors} errors ({figures.FirstError})" : ""));
        }

        var images = await ImagesAsync(repetitions);
        say($"  {images.Width}×{images.Height} PNG ({Results.Mb(images.Bytes)}): upload p50 {Results.Ms(images.ImageUpload.P50)} ms, a document of the same " +
            $"size {Results.Ms(images.SameSizeDocumentUpload.P50)} ms: image work ≈ {Results.Ms(images.ImageWorkP50Ms)} ms" +
            (images.SeenAsImage ? "" : "; the app did not answer its width: not read as an image") +
            (images.Errors > 0 ? $"; {images.Errors} errors ({images.FirstError})" : ""));

        var concurrent = await ConcurrentAsync(concurrentTokens, 24 << 20);
        say($"  {concurrent.Uploads} uploads of {Results.Mb(concurrent.BytesEach)} at once: {concurrent.Seconds:F1} s ({concurrent.MegabytesPerSecond:F0} MB/s); " +
            $"app RSS {Results.Mb(concurrent.ResidentBefore)} before, {Results.Mb(concurrent.ResidentPeak)} at its peak (+{Results.Mb(concurrent.ResidentGrowth)})" +
            (concurrent.Errors > 0 ? $"; {concurrent.Errors} errors ({concurrent.FirstError})" : ""));
        return new Figures(transfers, images, concurrent);
    }

    private async Task<Transfer> TransferAsync(string name, byte[] bytes, int count)
    {
        // One of each first, not counted: the JIT and the connection.
        await UploadAsync(bytes, "warm.pdf", "application/pdf");
        var upload = new List<double>();
        var download = new List<double>();
        var floor = new List<double>();
        var errors = 0;
        string? firstError = null;
        for (var i = 0; i < count; i++)
        {
            var (uploaded, _, error) = await UploadAsync(bytes, $"bench-{i}.pdf", "application/pdf");
            if (uploaded is null)
            {
                if (errors++ == 0) firstError = error;
                continue;
            }
            upload.Add(uploaded.Value.Ms);
            var started = Stopwatch.GetTimestamp();
            using (var response = await _http.GetAsync($"/api/v1/files/{uploaded.Value.Id}/content", HttpCompletionOption.ResponseHeadersRead))
            {
                if (!response.IsSuccessStatusCode)
                {
                    if (errors++ == 0) firstError = $"download {(int)response.StatusCode}";
                    continue;
                }
                await response.Content.CopyToAsync(Stream.Null);
            }
            download.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            floor.Add(DiskCopyMs(bytes));
        }
        double Rate(List<double> ms) => ms.Count == 0 ? double.NaN : bytes.Length / (double)Megabyte / (Percentiles.Of(ms).P50 / 1000);
        return new Transfer(name, bytes.Length, count, Percentiles.Of(upload), Rate(upload), Percentiles.Of(download), Rate(download), Percentiles.Of(floor),
            Rate(floor), errors, firstError);
    }

    private async Task<Images> ImagesAsync(int count)
    {
        const int width = 4000, height = 3000;
        var png = Png(width, height);
        var document = Document(png.Length);
        await UploadAsync(png, "warm.png", "image/png");
        var image = new List<double>();
        var same = new List<double>();
        var errors = 0;
        string? firstError = null;
        var seenAsImage = false;
        for (var i = 0; i < count; i++)
        {
            var (uploaded, json, error) = await UploadAsync(png, $"screenshot-{i}.png", "image/png");
            if (uploaded is null)
            {
                if (errors++ == 0) firstError = error;
            }
            else
            {
                image.Add(uploaded.Value.Ms);
                // The answer names the image's size only when the app read it as an image.
                seenAsImage |= json is not null && json.RootElement.TryGetProperty("width", out var w) && w.ValueKind == JsonValueKind.Number && w.GetInt32() == width;
            }
            var (plain, _, plainError) = await UploadAsync(document, $"same-size-{i}.pdf", "application/pdf");
            if (plain is null)
            {
                if (errors++ == 0) firstError = plainError;
            }
            else same.Add(plain.Value.Ms);
        }
        var imageP = Percentiles.Of(image);
        var sameP = Percentiles.Of(same);
        return new Images(width, height, png.Length, count, imageP, sameP, imageP.P50 - sameP.P50, seenAsImage, errors, firstError);
    }

    private async Task<Concurrent> ConcurrentAsync(IReadOnlyList<string> tokens, int bytesEach)
    {
        var bytes = Document(bytesEach);
        await app.SampleMemoryAsync(api.Http);
        var before = app.ResidentBytes();
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, app.ResidentBytes());
                try
                {
                    await Task.Delay(20, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var errors = 0;
        string? firstError = null;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(tokens.Select((token, i) => Task.Run(async () =>
        {
            var (uploaded, _, error) = await UploadAsync(bytes, $"big-{i}.pdf", "application/pdf", token);
            if (uploaded is null && Interlocked.Increment(ref errors) == 1) firstError = error;
        })));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        return new Concurrent(tokens.Count, bytesEach, seconds, (double)tokens.Count * bytesEach / Megabyte / seconds, before, peak, peak - before, errors, firstError);
    }

    /// <summary>
    /// One upload, streamed from the array as a client sends a file, with the phase's token or <paramref name="token"/>;
    /// its id and time, or why it failed.
    /// </summary>
    private async Task<((string Id, double Ms)? Uploaded, JsonDocument? Json, string? Error)> UploadAsync(byte[] bytes, string fileName, string contentType,
        string? token = null)
    {
        using var form = new MultipartFormDataContent();
        var part = new StreamContent(new MemoryStream(bytes, writable: false), 81920);
        part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(part, "file", fileName);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/files") { Content = form };
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode) return (null, null, $"{(int)response.StatusCode}: {text[..Math.Min(200, text.Length)]}");
            var json = JsonDocument.Parse(text);
            return ((json.RootElement.GetProperty("id").GetString()!, ms), json, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (null, null, e.GetBaseException().Message);
        }
    }

    /// <summary>The floor: the same bytes written to a new file on the benchmark's disk and synced, as a store that keeps files on disk would.</summary>
    private static double DiskCopyMs(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bench-floor-{Guid.NewGuid():N}");
        var started = Stopwatch.GetTimestamp();
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        File.Delete(path);
        return ms;
    }

    /// <summary>A PDF-shaped document of <paramref name="size"/> bytes: a real header and trailer around random bytes that do not compress.</summary>
    private static byte[] Document(int size)
    {
        var head = "%PDF-1.4\n"u8;
        var tail = "\n%%EOF\n"u8;
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        head.CopyTo(bytes);
        tail.CopyTo(bytes.AsSpan(size - tail.Length));
        return bytes;
    }

    /// <summary>
    /// A screenshot-like PNG: flat bands with some noise, so it compresses as screenshots do (a few MB at 4000×3000),
    /// written by hand (signature, IHDR, one IDAT of zlib-compressed scanlines, IEND) so the benchmark needs no image library.
    /// </summary>
    private static byte[] Png(int width, int height)
    {
        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + width * 3];
            var random = new Random(42);
            for (var y = 0; y < height; y++)
            {
                row[0] = 0; // filter: none
                for (var x = 0; x < width; x++)
                {
                    var band = (byte)(x / 250 * 16 + y / 300 * 8);
                    var noise = (byte)(random.Next(8) == 0 ? random.Next(256) : 0);
                    row[1 + x * 3] = (byte)(band ^ noise);
                    row[2 + x * 3] = (byte)(255 - band);
                    row[3 + x * 3] = (byte)(band / 2 + 64);
                }
                zlib.Write(row);
            }
        }
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per channel
        header[9] = 2; // colour type: RGB
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        var crc = Crc32(Crc32(0xFFFFFFFF, typeBytes), data) ^ 0xFFFFFFFF;
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        png.Write(crcBytes);
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    private static uint Crc32(uint crc, byte[] data)
    {
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    public void Dispose() => _http.Dispose();
}

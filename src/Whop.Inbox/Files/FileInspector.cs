using System.Globalization;
using Microsoft.Extensions.Options;
using NetVips;
using Whop.Inbox.Common;

namespace Whop.Inbox.Files;

/// <summary>What an upload turned out to be: the type stored, an image's size and thumbnail, and the bytes to store.</summary>
public sealed record InspectedFile(string ContentType, int? Width, int? Height, byte[]? Thumbnail, string StoredPath);

/// <summary>
/// Decides what an upload is from its bytes, never its name: the declared type must be allowed, a
/// declared image must decode as one, and an image is stored re-encoded (upright, without its EXIF,
/// GPS, XMP or comments), after its header has been read and its size checked (a decompression bomb
/// is refused before a pixel is decoded). libvips, see docs/files.md for the measurement that chose it.
/// </summary>
public sealed class FileInspector(IOptions<FilesOptions> options)
{
    private static readonly Dictionary<string, string> RasterSuffixes = new()
    {
        ["image/png"] = ".png", ["image/jpeg"] = ".jpg", ["image/gif"] = ".gif", ["image/webp"] = ".webp",
    };

    public static bool IsRaster(string contentType) => RasterSuffixes.ContainsKey(contentType);

    /// <summary>
    /// A name as the user gave it, or why not. Refused rather than cleaned up: a name with a path or a
    /// control character is a client bug or an attack, and a name changed behind the sender's back would
    /// show as something they did not send. Bidirectional overrides count as control characters here
    /// ("invoice‮fdp.exe" displays as "invoiceexe.pdf").
    /// </summary>
    public static Failure? CheckFilename(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return Failure.Invalid("file", "The file part needs a filename.");
        if (name.Length > StoredFile.MaxFilenameLength)
            return Failure.Invalid("file", $"The filename can be at most {StoredFile.MaxFilenameLength} characters.");
        if (name is "." or ".." || name.Any(c => c is '/' or '\\' || char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'))
            return Failure.Invalid("file", "The filename must be a plain name: no path separators and no control characters.");
        return null;
    }

    /// <summary>The declared type without parameters, lowercase (<c>text/plain; charset=utf-8</c> is <c>text/plain</c>).</summary>
    public static string Normalize(string? contentType) =>
        (contentType ?? "").Split(';', 2)[0].Trim().ToLowerInvariant() is { Length: > 0 } type ? type : "application/octet-stream";

    /// <summary>
    /// Checks the spooled upload at <paramref name="path"/>; an image is written re-encoded beside it
    /// (<see cref="InspectedFile.StoredPath"/>, which the caller deletes), anything else is stored as it came.
    /// </summary>
    public Outcome<InspectedFile> Inspect(string path, string declaredType)
    {
        var limits = options.Value;
        if (!limits.ContentTypes.Contains(declaredType))
            return Failure.Rejected($"Files of type {declaredType} are not taken here.", "file");
        var head = new byte[16];
        int read;
        using (var file = File.OpenRead(path)) read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var sniffed = SniffRaster(head.AsSpan(0, read));
        if (IsRaster(declaredType))
        {
            // The bytes decide the type: a JPEG named .png is stored as the JPEG it is.
            if (sniffed is null || !limits.ContentTypes.Contains(sniffed))
                return Failure.Rejected($"The file is not a {declaredType["image/".Length..].ToUpperInvariant()} image: its bytes are not an image of a type taken here.", "file");
            return Image(path, sniffed, limits);
        }
        if (declaredType == "application/pdf" && !head.AsSpan(0, read).StartsWith("%PDF-"u8))
            return Failure.Rejected("The file is not a PDF: it does not begin as one.", "file");
        return new InspectedFile(declaredType, null, null, null, path);
    }

    private static Outcome<InspectedFile> Image(string path, string type, FilesOptions limits)
    {
        var animated = type is "image/gif" or "image/webp";
        var load = animated ? new VOption { { "n", -1 } } : null;
        try
        {
            // Opening reads the header only: the size is known before anything is decoded.
            using var image = NetVips.Image.NewFromFile(path, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error, kwargs: load);
            var pages = image.Contains("n-pages") ? Math.Max(1, (int)image.Get("n-pages")) : 1;
            var frameHeight = pages > 1 ? image.PageHeight : image.Height;
            if ((long)image.Width * frameHeight * pages > limits.MaxImagePixels)
            {
                return Failure.Rejected(string.Create(CultureInfo.InvariantCulture,
                    $"The image declares {image.Width}×{frameHeight} pixels{(pages > 1 ? $" in {pages} frames" : "")}, more than the {limits.MaxImagePixels} taken."), "file");
            }
            var stored = path + ".stored" + RasterSuffixes[type];
            // Upright from the orientation tag, then saved with nothing but the colour profile: no EXIF (GPS,
            // camera, the tag itself), no XMP, no comments.
            int width, height;
            using (var upright = image.Autorot())
            {
                upright.WriteToFile(stored, new VOption { { "keep", Enums.ForeignKeep.Icc } });
                (width, height) = (upright.Width, pages > 1 ? upright.PageHeight : upright.Height);
            }
            using var thumbnail = NetVips.Image.Thumbnail(stored, limits.ThumbnailSize, height: limits.ThumbnailSize, size: Enums.Size.Down,
                failOn: Enums.FailOn.Error);
            var small = thumbnail.WriteToBuffer(".webp", new VOption { { "Q", 75 }, { "keep", Enums.ForeignKeep.None } });
            return new InspectedFile(type, width, height, small, stored);
        }
        catch (VipsException)
        {
            return Failure.Rejected($"The file is not a readable {type["image/".Length..].ToUpperInvariant()} image.", "file");
        }
    }

    /// <summary>PNG, JPEG, GIF and WebP by their magic numbers; null for anything else (SVG and HTML included: text is never an image here).</summary>
    public static string? SniffRaster(ReadOnlySpan<byte> head) =>
        head.StartsWith((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : head.StartsWith((byte[])[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8) ? "image/gif"
        : head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : null;
}

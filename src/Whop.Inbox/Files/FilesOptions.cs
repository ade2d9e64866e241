using System.ComponentModel.DataAnnotations;

namespace Whop.Inbox.Files;

/// <summary>The <c>Inbox:Files</c> section: what an upload may be. Validated at start-up.</summary>
public sealed class FilesOptions : IValidatableObject
{
    public const string Section = "Inbox:Files";

    /// <summary>The largest file taken, in bytes (25 MB unless configured).</summary>
    [Range(1, 2L * 1024 * 1024 * 1024)] public long MaxFileBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>How many files one message may carry.</summary>
    [Range(1, 100)] public int MaxPerMessage { get; set; } = 10;

    /// <summary>
    /// The most pixels (width × height, from the header) an image may declare: a small file can
    /// declare gigapixels and ask for gigabytes to decode, so anything larger is refused unread.
    /// </summary>
    [Range(1_000_000, 1_000_000_000)] public long MaxImagePixels { get; set; } = 100_000_000;

    /// <summary>The longest side of a thumbnail, in pixels.</summary>
    [Range(32, 2048)] public int ThumbnailSize { get; set; } = 400;

    /// <summary>How long an upload waits to be attached to a message before it is removed.</summary>
    public TimeSpan UnattachedLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The content types taken (lowercase, no parameters); null or empty means <see cref="DefaultContentTypes"/>.
    /// SVG and HTML are not among them: configured in, they are still only ever served as downloads.
    /// </summary>
    public string[]? AllowedContentTypes { get; set; }

    public static readonly IReadOnlyList<string> DefaultContentTypes =
    [
        "image/png", "image/jpeg", "image/gif", "image/webp",
        "application/pdf", "text/plain", "text/csv", "application/zip",
        "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-powerpoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    ];

    public IReadOnlySet<string> ContentTypes => _contentTypes ??=
        (AllowedContentTypes is { Length: > 0 } configured ? configured : DefaultContentTypes)
        .Select(t => t.Trim().ToLowerInvariant()).ToHashSet();

    private IReadOnlySet<string>? _contentTypes;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UnattachedLifetime < TimeSpan.FromMinutes(1))
            yield return new ValidationResult("Inbox:Files:UnattachedLifetime must be at least a minute.", [nameof(UnattachedLifetime)]);
        foreach (var type in AllowedContentTypes ?? [])
        {
            if (!type.Contains('/') || type.Contains(';'))
                yield return new ValidationResult($"Inbox:Files:AllowedContentTypes has \"{type}\": a type is type/subtype, without parameters.",
                    [nameof(AllowedContentTypes)]);
        }
    }
}

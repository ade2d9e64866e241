using Whop.Inbox.Data;

namespace Whop.Inbox.Files;

/// <summary>
/// An uploaded file (<c>file_</c>): its name, type and size, what an image's header said, its
/// thumbnail, and the message it is attached to (null until then). The bytes are in
/// <see cref="FileChunk"/> rows, so the database holds everything (one backup, every instance).
/// </summary>
public sealed class StoredFile
{
    public const int MaxFilenameLength = 255;
    public const int MaxContentTypeLength = 128;

    private StoredFile() { }

    public StoredFile(string? companyId, string? uploaderId, string filename, string contentType, long size, string sha256,
        int? width, int? height, byte[]? thumbnail, DateTimeOffset at)
    {
        Id = PublicId.New(PublicId.File);
        CompanyId = companyId;
        UploaderId = uploaderId;
        Filename = filename;
        ContentType = contentType;
        Size = size;
        Sha256 = sha256;
        Width = width;
        Height = height;
        Thumbnail = thumbnail;
        CreatedAt = at;
    }

    public string Id { get; private set; } = "";

    /// <summary>The company of the API key or token that uploaded it; null for a person signed in with the cookie.</summary>
    public string? CompanyId { get; private set; }

    /// <summary>The person who uploaded it; null for an API key (its company's backend).</summary>
    public string? UploaderId { get; private set; }

    public string Filename { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public long Size { get; private set; }

    /// <summary>Of the bytes stored (for an image, the re-encoded ones), lowercase hex.</summary>
    public string Sha256 { get; private set; } = "";

    /// <summary>Set for a raster image whose bytes were decoded as one: only these are ever shown inline.</summary>
    public int? Width { get; private set; }
    public int? Height { get; private set; }

    /// <summary>A small WebP of an image, made on upload.</summary>
    public byte[]? Thumbnail { get; private set; }

    public string? MessageId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// Every chunk is written. Until then the file is invisible (never served, never attached), and one
    /// left incomplete (its instance stopped mid-write) is removed by the sweeper.
    /// </summary>
    public bool IsComplete { get; private set; }

    public bool IsImage => Width is not null;
}

/// <summary>A piece of a file's bytes, in order (<see cref="Seq"/> from 0); every chunk but the last is full.</summary>
public sealed class FileChunk
{
    /// <summary>Small enough that a reader or writer holds one at a time without noticing, large enough that a 25 MB file is 100 rows.</summary>
    public const int Size = 256 * 1024;

    private FileChunk() { }

    public FileChunk(string fileId, int seq, byte[] data) => (FileId, Seq, Data) = (fileId, seq, data);

    public string FileId { get; private set; } = "";
    public int Seq { get; private set; }
    public byte[] Data { get; private set; } = [];
}

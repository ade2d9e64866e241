using System.Globalization;

namespace Whop.Inbox.Files.Components;

/// <summary>
/// The files a composer is uploading or has uploaded for the next message: each with its progress, its
/// <c>file_</c> id once stored, or why it failed. The browser uploads; this keeps the count.
/// </summary>
public sealed class PendingUploads
{
    public sealed class Upload(string localId, string name, long size, string contentType)
    {
        public string LocalId { get; } = localId;
        public string Name { get; } = name;
        public long Size { get; } = size;
        public string ContentType { get; } = contentType;
        public long Sent { get; internal set; }
        public string? FileId { get; internal set; }
        public string? Error { get; internal set; }
        public bool IsDone => FileId is not null;
        public bool IsUploading => FileId is null && Error is null;
        public int Percent => Size <= 0 ? 100 : (int)Math.Clamp(Sent * 100 / Size, 0, 100);
    }

    private readonly List<Upload> _uploads = [];

    public IReadOnlyList<Upload> All => _uploads;

    /// <summary>Something is still on its way: the message waits for it.</summary>
    public bool IsBusy => _uploads.Any(u => u.IsUploading);

    /// <summary>The stored files, in the order they were picked.</summary>
    public IReadOnlyList<string> FileIds => _uploads.Where(u => u.IsDone).Select(u => u.FileId!).ToList();

    public void Started(string localId, string name, long size, string contentType) =>
        _uploads.Add(new Upload(localId, name, size, contentType));

    public void Progressed(string localId, long sent)
    {
        if (Find(localId) is { IsUploading: true } upload) upload.Sent = sent;
    }

    public void Finished(string localId, string fileId)
    {
        if (Find(localId) is not { } upload) return;
        (upload.FileId, upload.Sent) = (fileId, upload.Size);
    }

    public void Failed(string localId, string error)
    {
        if (Find(localId) is { IsUploading: true } upload) upload.Error = error;
    }

    /// <summary>Takes an upload off the message (cancelled, failed or no longer wanted).</summary>
    public bool Remove(string localId) => _uploads.RemoveAll(u => u.LocalId == localId) > 0;

    /// <summary>The message went out with them.</summary>
    public void Clear() => _uploads.Clear();

    /// <summary>A message may go: nothing still uploading, and text or at least one file.</summary>
    public bool CanSend(string? text) => !IsBusy && (!string.IsNullOrWhiteSpace(text) || FileIds.Count > 0);

    private Upload? Find(string localId) => _uploads.Find(u => u.LocalId == localId);

    /// <summary>"2.4 MB", "820 KB", "12 bytes".</summary>
    public static string FormatSize(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024d * 1024):0.#} MB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024d:0} KB"),
        1 => "1 byte",
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}

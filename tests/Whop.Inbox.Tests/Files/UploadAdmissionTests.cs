using System.Net.Http.Headers;
using Whop.Inbox.Admission;
using Whop.Inbox.Tests.Admission;

namespace Whop.Inbox.Tests.Files;

/// <summary>
/// An upload arrives at the client's pace. While its bytes are on their way it holds no place in the
/// database's bound (a slow phone would otherwise keep one for minutes); only its writes take places,
/// each as it opens a connection, as a page's do; and once its bytes are all here, a write that finds the
/// bound full waits a little for a place rather than make the client send everything again.
/// </summary>
public sealed class UploadAdmissionTests(SmallBoundApp app) : IClassFixture<SmallBoundApp>
{
    [Fact]
    public async Task An_upload_whose_bytes_are_still_arriving_holds_no_place_and_is_stored_once_they_have()
    {
        var customer = await app.NewUserAsync("customer");
        var bytes = new byte[512 * 1024];
        Random.Shared.NextBytes(bytes);
        "%PDF-1.4\n"u8.CopyTo(bytes);
        var body = new StalledStream(bytes, stallAt: bytes.Length / 2);
        var file = new StreamContent(body);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var form = new MultipartFormDataContent { { file, "file", "slow.pdf" } };

        var upload = customer.Client.PostAsync(TestFiles.Path, form);
        await body.Stalled.WaitAsync(TimeSpan.FromSeconds(30));
        // Half the body is on the server: admitted whole, the request would hold a place from its headers on.
        for (var i = 0; i < 10; i++)
        {
            app.Admission.Held.ShouldBe(0, "the upload's bytes are still arriving");
            await Task.Delay(30);
        }
        body.Resume();

        var stored = await upload.OkJsonAsync();
        stored["size"]!.GetValue<long>().ShouldBe(bytes.Length);
        var content = await customer.Client.GetByteArrayAsync($"{TestFiles.Path}/{stored.Id()}/content");
        content.ShouldBe(bytes);
        app.Admission.Held.ShouldBe(0, "every place came back");
    }

    [Fact]
    public async Task An_upload_received_while_the_bound_is_full_waits_for_a_place_instead_of_being_refused()
    {
        var customer = await app.NewUserAsync("customer");
        var held = Enumerable.Range(0, SmallBoundApp.Bound).Select(i => app.Admission.TryAdmit(new Caller($"test:{i}", $"other-company-{i}"))).ToList();
        held.ShouldAllBe(place => place != null, "the whole bound is held by others");

        var upload = customer.Client.UploadAsync("receipt.pdf", "application/pdf", TestFiles.Pdf());
        await Task.Delay(300);
        upload.IsCompleted.ShouldBeFalse("its writes wait for a place");
        foreach (var place in held) place!.Dispose();

        var stored = await upload.OkJsonAsync();
        (await customer.Client.GetByteArrayAsync($"{TestFiles.Path}/{stored.Id()}/content")).ShouldBe(TestFiles.Pdf());
        app.Admission.Held.ShouldBe(0, "every place came back");
    }

    /// <summary>A body that stops at <c>stallAt</c> until <see cref="Resume"/>, as a slow connection's would.</summary>
    private sealed class StalledStream(byte[] bytes, int stallAt) : Stream
    {
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        public Task Stalled => _stalled.Task;

        public void Resume() => _resumed.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (_position == stallAt)
            {
                _stalled.TrySetResult();
                await _resumed.Task.WaitAsync(ct);
            }
            var end = _position < stallAt ? stallAt : bytes.Length;
            var count = Math.Min(buffer.Length, end - _position);
            bytes.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Files;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Files;

[Collection(AppCollection.Name)]
public sealed class FilesApiTests(InboxApp app)
{
    private const string Messages = "/api/v1/messages";

    [Theory]
    [InlineData(4 * FileChunk.Size)]
    [InlineData(9 * FileChunk.Size + 17)]
    public async Task A_file_of_many_chunks_comes_back_byte_for_byte(int size)
    {
        var customer = await app.NewUserAsync("customer");
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        "%PDF-1.4\n"u8.CopyTo(bytes);

        var file = await customer.Client.UploadOkAsync("statement.pdf", "application/pdf", bytes);

        file["size"]!.GetValue<long>().ShouldBe(size);
        (await customer.Client.GetByteArrayAsync($"{TestFiles.Path}/{file.Id()}/content")).ShouldBe(bytes);
    }

    [Fact]
    public async Task An_upload_answers_a_file_object_and_its_uploader_reads_it_back()
    {
        var customer = await app.NewUserAsync("customer");
        var pdf = TestFiles.Pdf();
        var file = await customer.Client.UploadOkAsync("invoice.pdf", "application/pdf", pdf);

        file.Id().ShouldStartWith("file_");
        file["filename"]!.GetValue<string>().ShouldBe("invoice.pdf");
        file["content_type"]!.GetValue<string>().ShouldBe("application/pdf");
        file["size"]!.GetValue<long>().ShouldBe(pdf.Length);
        file["url"]!.GetValue<string>().ShouldBe($"/api/v1/files/{file.Id()}/content");
        file["width"].ShouldBeNull();
        file["height"].ShouldBeNull();

        var content = await customer.Client.GetAsync(file["url"]!.GetValue<string>());
        content.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await content.Content.ReadAsByteArrayAsync()).ShouldBe(pdf);
        content.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        content.Content.Headers.ContentDisposition.FileNameStar.ShouldBe("invoice.pdf");
        content.Headers.GetValues("X-Content-Type-Options").ShouldContain("nosniff");
        content.Headers.GetValues("Content-Security-Policy").Single().ShouldStartWith("sandbox");
        content.Headers.CacheControl!.Private.ShouldBeTrue();
    }

    [Fact]
    public async Task A_file_larger_than_a_chunk_comes_back_byte_for_byte()
    {
        var customer = await app.NewUserAsync("customer");
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 40_000).Select(i => $"line {i}\n")));
        text.Length.ShouldBeGreaterThan(FileChunk.Size);
        var file = await customer.Client.UploadOkAsync("log.txt", "text/plain; charset=utf-8", text);
        file["content_type"]!.GetValue<string>().ShouldBe("text/plain");
        (await customer.Client.GetByteArrayAsync(file["url"]!.GetValue<string>())).ShouldBe(text);
    }

    [Fact]
    public async Task An_image_gets_its_size_a_thumbnail_and_is_shown_inline()
    {
        var customer = await app.NewUserAsync("customer");
        var file = await customer.Client.UploadOkAsync("screenshot.png", "image/png", TestFiles.Png(640, 480));
        file["width"]!.GetValue<int>().ShouldBe(640);
        file["height"]!.GetValue<int>().ShouldBe(480);

        var content = await customer.Client.GetAsync(file["url"]!.GetValue<string>());
        content.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        content.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("inline");

        var thumbnail = await customer.Client.GetAsync(file["thumbnail_url"]!.GetValue<string>());
        thumbnail.Content.Headers.ContentType!.MediaType.ShouldBe("image/webp");
        using var small = NetVips.Image.NewFromBuffer(await thumbnail.Content.ReadAsByteArrayAsync());
        Math.Max(small.Width, small.Height).ShouldBeLessThanOrEqualTo(400);
    }

    [Fact]
    public async Task A_photo_is_stored_upright_without_its_location_or_camera_metadata()
    {
        var customer = await app.NewUserAsync("customer");
        var photo = TestFiles.JpegWithGpsAndOrientation6(width: 60, height: 40);
        photo.AsSpan().IndexOf(TestFiles.GpsMarker).ShouldBeGreaterThan(0);

        var file = await customer.Client.UploadOkAsync("holiday.jpg", "image/jpeg", photo);
        // Orientation 6 turns it a quarter: what was 60 wide is 60 high.
        file["width"]!.GetValue<int>().ShouldBe(40);
        file["height"]!.GetValue<int>().ShouldBe(60);

        var stored = await customer.Client.GetByteArrayAsync(file["url"]!.GetValue<string>());
        stored.AsSpan().IndexOf(TestFiles.GpsMarker).ShouldBe(-1);
        stored.AsSpan().IndexOf("Exif\0\0"u8).ShouldBe(-1);
        using var image = NetVips.Image.NewFromBuffer(stored);
        (image.Width, image.Height).ShouldBe((40, 60));
        image.GetFields().ShouldNotContain(f => f.StartsWith("exif-ifd3", StringComparison.Ordinal));
        (image.Contains("orientation") ? (int)image.Get("orientation") : 1).ShouldBe(1);
    }

    [Fact]
    public async Task Hostile_and_malformed_uploads_are_refused_naming_the_field_and_nothing_is_stored()
    {
        var customer = await app.NewUserAsync("customer");
        var marker = Guid.NewGuid().ToString("N")[..8];
        await (await customer.Client.UploadAsync($"{marker}-empty.txt", "text/plain", [])).ShouldBeProblemAsync(400, "file");
        await (await customer.Client.UploadAsync($"{marker}.exe", "application/x-msdownload", [0x4D, 0x5A, 1, 2])).ShouldBeProblemAsync(422, "file");
        await (await customer.Client.UploadAsync($"{marker}.png", "image/png", Encoding.ASCII.GetBytes("not an image at all")))
            .ShouldBeProblemAsync(422, "file");
        await (await customer.Client.UploadAsync($"{marker}.svg", "image/svg+xml",
            Encoding.ASCII.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"))).ShouldBeProblemAsync(422, "file");
        // An SVG declared as a PNG is not an image either: text is never an image here.
        await (await customer.Client.UploadAsync($"{marker}-svg.png", "image/png",
            Encoding.ASCII.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"))).ShouldBeProblemAsync(422, "file");
        await (await customer.Client.UploadAsync($"{marker}.html", "text/html", Encoding.ASCII.GetBytes("<script>alert(1)</script>")))
            .ShouldBeProblemAsync(422, "file");
        await (await customer.Client.UploadAsync($"{marker}.pdf", "application/pdf", Encoding.ASCII.GetBytes("<html>not a pdf</html>")))
            .ShouldBeProblemAsync(422, "file");
        var bomb = await (await customer.Client.UploadAsync($"{marker}-bomb.png", "image/png", TestFiles.PngBomb())).ShouldBeProblemAsync(422, "file");
        bomb["error"]!["message"]!.GetValue<string>().ShouldContain("100000×100000");
        await (await customer.Client.UploadAsync($"../{marker}.txt", "text/plain", [1])).ShouldBeProblemAsync(400, "file");
        await (await customer.Client.UploadAsync($"a\\{marker}.txt", "text/plain", [1])).ShouldBeProblemAsync(400, "file");
        await (await customer.Client.UploadAsync($"{marker}\u202Etxt.exe", "text/plain", [1])).ShouldBeProblemAsync(400, "file");
        await (await customer.Client.PostAsync(TestFiles.Path, TestFiles.Multipart($"{marker}.txt", "text/plain", [1], part: "other")))
            .ShouldBeProblemAsync(400, "file");
        await (await customer.Client.PostJsonAsync(TestFiles.Path, new { file = "x" })).ShouldBeProblemAsync(400, "file");

        (await StoredAsync(f => f.Filename.Contains(marker))).ShouldBe(0);
    }

    [Fact]
    public async Task An_upload_cut_off_midway_leaves_nothing_behind()
    {
        var customer = await app.NewUserAsync("customer");
        var marker = Guid.NewGuid().ToString("N");
        var body = new CutOffStream(FileChunk.Size * 2);
        var part = new StreamContent(body);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var form = new MultipartFormDataContent { { part, "file", $"{marker}.txt" } };
        await Should.ThrowAsync<Exception>(() => customer.Client.PostAsync(TestFiles.Path, form));

        // The server notices the cut when it next reads; give it a moment.
        await Task.Delay(500);
        (await StoredAsync(f => f.Filename == $"{marker}.txt")).ShouldBe(0);
    }

    [Fact]
    public async Task A_message_carries_its_attachments_in_every_read_and_an_edit_replaces_them()
    {
        var (customer, agent, chat) = await SupportChatAsync();
        var shot = await customer.Client.UploadOkAsync("shot.png", "image/png", TestFiles.Png());
        var log = await customer.Client.UploadOkAsync("log.txt", "text/plain", [65, 66]);

        var sent = await customer.Client.PostJsonAsync(Messages,
            new { channel_id = chat, content = "It broke", attachments = new[] { new { id = shot.Id() }, new { id = log.Id() } } }).OkJsonAsync();
        sent["attachments"]!.AsArray().Select(a => a!.Id()).ShouldBe([shot.Id(), log.Id()]);
        sent["attachments"]![0]!["width"]!.GetValue<int>().ShouldBe(40);

        (await agent.Client.GetAsync($"{Messages}/{sent.Id()}").OkJsonAsync())["attachments"]!.AsArray().Count.ShouldBe(2);
        var page = await agent.Client.GetAsync($"{Messages}?channel_id={chat}").OkJsonAsync();
        page["data"]!.AsArray().Single(m => m!.Id() == sent.Id())!["attachments"]!.AsArray().Count.ShouldBe(2);
        // The team reads the customer's files in the chat.
        (await agent.Client.GetByteArrayAsync(log["url"]!.GetValue<string>())).ShouldBe([65, 66]);

        // A file with no text is a message too.
        var more = await customer.Client.UploadOkAsync("more.txt", "text/plain", [67]);
        var edited = await customer.Client.PatchJsonAsync($"{Messages}/{sent.Id()}", new { attachments = new[] { new { id = more.Id() } } }).OkJsonAsync();
        edited["attachments"]!.AsArray().Select(a => a!.Id()).ShouldBe([more.Id()]);
        edited["is_edited"]!.GetValue<bool>().ShouldBeTrue();
        // The files left out are gone.
        (await agent.Client.GetAsync(shot["url"]!.GetValue<string>())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await StoredAsync(f => f.Id == log.Id())).ShouldBe(0);

        var onlyFile = await customer.Client.UploadOkAsync("only.txt", "text/plain", [68]);
        var bare = await customer.Client.PostJsonAsync(Messages, new { channel_id = chat, attachments = new[] { new { id = onlyFile.Id() } } }).OkJsonAsync();
        bare["content"]!.GetValue<string>().ShouldBe("");

        // Deleting the message deletes its files.
        (await customer.Client.DeleteAsync($"{Messages}/{bare.Id()}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await StoredAsync(f => f.Id == onlyFile.Id())).ShouldBe(0);
    }

    [Fact]
    public async Task A_customer_cannot_fetch_another_customers_file_nor_a_team_note_s()
    {
        var (customer, agent, chat) = await SupportChatAsync();
        var (stranger, _, _) = await SupportChatAsync();
        var file = await customer.Client.UploadOkAsync("passport.png", "image/png", TestFiles.Png());
        var url = file["url"]!.GetValue<string>();
        // Unattached: the uploader's alone.
        (await agent.Client.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await customer.Client.PostJsonAsync(Messages, new { channel_id = chat, content = "My passport", attachments = new[] { new { id = file.Id() } } })
            .OkJsonAsync();

        (await stranger.Client.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.Client.GetAsync($"{url}?variant=thumbnail")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.Client.GetAsync($"{TestFiles.Path}/{file.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await agent.Client.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await agent.Client.GetAsync($"{url}?variant=thumbnail")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var internalFile = await agent.Client.UploadOkAsync("refund-policy.pdf", "application/pdf", TestFiles.Pdf());
        var note = await agent.Client.PostJsonAsync(Messages, new
        {
            channel_id = chat, content = "Internal policy", visibility = "team", attachments = new[] { new { id = internalFile.Id() } },
        }).OkJsonAsync();
        note["attachments"]!.AsArray().Count.ShouldBe(1);
        (await customer.Client.GetAsync(internalFile["url"]!.GetValue<string>())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Backend().GetAsync(internalFile["url"]!.GetValue<string>())).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await new HttpClient { BaseAddress = agent.Client.BaseAddress }.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Attachments_that_are_not_the_senders_to_attach_are_refused_naming_the_entry()
    {
        var (customer, _, chat) = await SupportChatAsync();
        var (other, _, _) = await SupportChatAsync();
        var second = await app.SecondCompanyAsync();
        var mine = await customer.Client.UploadOkAsync("a.txt", "text/plain", [1]);
        var theirs = await other.Client.UploadOkAsync("b.txt", "text/plain", [2]);
        var otherCompanys = await second.Backend.UploadOkAsync("c.txt", "text/plain", [3]);

        async Task RefusedAsync(object attachments, int status, string field) =>
            await (await customer.Client.PostJsonAsync(Messages, new { channel_id = chat, content = "x", attachments })).ShouldBeProblemAsync(status, field);
        await RefusedAsync(new[] { new { id = mine.Id() }, new { id = theirs.Id() } }, 422, "attachments[1].id");
        await RefusedAsync(new[] { new { id = otherCompanys.Id() } }, 422, "attachments[0].id");
        await RefusedAsync(new[] { new { id = "file_doesnotexist00000" } }, 422, "attachments[0].id");
        await RefusedAsync(new[] { new { id = mine.Id() }, new { id = mine.Id() } }, 400, "attachments[1].id");
        await RefusedAsync(new[] { new { id = (string?)null } }, 400, "attachments[0].id");
        await RefusedAsync(Enumerable.Range(0, 11).Select(_ => new { id = mine.Id() }).ToArray(), 422, "attachments");
        // The key of the other company may not put its file in our chat either.
        await (await second.Backend.PostJsonAsync(Messages, new { channel_id = chat, content = "x", attachments = new[] { new { id = otherCompanys.Id() } } }))
            .ShouldBeProblemAsync(404);

        // Refused sends stored nothing: the file is still free, and once used it is not again.
        await customer.Client.PostJsonAsync(Messages, new { channel_id = chat, content = "first", attachments = new[] { new { id = mine.Id() } } }).OkJsonAsync();
        await RefusedAsync(new[] { new { id = mine.Id() } }, 422, "attachments[0].id");
    }

    [Fact]
    public async Task The_sweeper_removes_uploads_left_unattached_for_a_day_and_keeps_attached_ones()
    {
        var (customer, _, chat) = await SupportChatAsync();
        var left = await customer.Client.UploadOkAsync("left.txt", "text/plain", [1]);
        var fresh = await customer.Client.UploadOkAsync("fresh.txt", "text/plain", [1]);
        var used = await customer.Client.UploadOkAsync("used.txt", "text/plain", [1]);
        await customer.Client.PostJsonAsync(Messages, new { channel_id = chat, content = "x", attachments = new[] { new { id = used.Id() } } }).OkJsonAsync();
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            var old = DateTimeOffset.UtcNow.AddDays(-2);
            await db.Files.Where(f => f.Id == left.Id() || f.Id == used.Id()).ExecuteUpdateAsync(s => s.SetProperty(f => f.CreatedAt, old));
        }

        // An upload its instance never finished writing (it stopped): invisible, and removed after an hour.
        var unfinished = await customer.Client.UploadOkAsync("unfinished.txt", "text/plain", [1]);
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            await db.Files.Where(f => f.Id == unfinished.Id())
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.IsComplete, false).SetProperty(f => f.CreatedAt, DateTimeOffset.UtcNow.AddHours(-2)));
        }
        (await customer.Client.GetAsync(unfinished["url"]!.GetValue<string>())).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await app.Services.GetRequiredService<FileSweeper>().SweepAsync();

        (await StoredAsync(f => f.Id == unfinished.Id())).ShouldBe(0);
        (await StoredAsync(f => f.Id == left.Id())).ShouldBe(0);
        (await StoredAsync(f => f.Id == fresh.Id())).ShouldBe(1);
        (await StoredAsync(f => f.Id == used.Id())).ShouldBe(1);
        await using var check = await Contexts.CreateDbContextAsync();
        (await check.FileChunks.CountAsync(c => c.FileId == left.Id())).ShouldBe(0);
    }

    private IDbContextFactory<InboxDbContext> Contexts => app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>();

    private async Task<int> StoredAsync(System.Linq.Expressions.Expression<Func<StoredFile, bool>> which)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Files.CountAsync(which);
    }

    private async Task<(TestUser Customer, TestUser Agent, string Chat)> SupportChatAsync()
    {
        var customer = await app.NewUserAsync("customer");
        return (customer, await app.NewTeamMemberAsync("moderator"), await app.SupportChatForAsync(customer));
    }

    /// <summary>A body that gives <paramref name="length"/> bytes and then fails, as a connection that drops.</summary>
    private sealed class CutOffStream(int length) : Stream
    {
        private int _given;
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_given >= length) throw new IOException("The connection dropped.");
            var n = Math.Min(count, length - _given);
            Array.Fill(buffer, (byte)'x', offset, n);
            _given += n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _given; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

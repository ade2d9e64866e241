using Bunit;
using Microsoft.AspNetCore.Components;
using Whop.Inbox.Files;
using Whop.Inbox.Files.Components;
using Whop.Inbox.Tests.Components;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Files;

public sealed class AttachmentComponentsTests(InboxApp app) : ComponentTest(app)
{
    private static readonly FileView Screenshot = new("file_shot000000000000", "post_1", "screenshot.png", "image/png", 48_213, 1280, 800);
    private static readonly FileView Invoice = new("file_invoice0000000000", "post_1", "invoice.pdf", "application/pdf", 2_516_582, null, null);

    [Fact]
    public void Images_show_as_thumbnails_and_other_files_as_downloads_with_name_type_and_size()
    {
        var cut = Render<AttachmentList>(p => p.Add(c => c.Files, [Screenshot, Invoice]).Add(c => c.MessageId, "post_1"));

        var image = cut.Find("[data-testid='attachment-image'] img");
        image.GetAttribute("src").ShouldBe($"/api/v1/files/{Screenshot.Id}/content?variant=thumbnail");
        image.GetAttribute("alt").ShouldBe("screenshot.png");
        // Scaled into the thumbnail's box, keeping its shape, so the list does not jump when it loads.
        (image.GetAttribute("width"), image.GetAttribute("height")).ShouldBe(("240", "150"));

        var file = cut.Find("[data-testid='attachment-file']");
        file.GetAttribute("href").ShouldBe($"/api/v1/files/{Invoice.Id}/content");
        file.GetAttribute("download").ShouldBe("invoice.pdf");
        file.TextContent.ShouldContain("invoice.pdf");
        file.TextContent.ShouldContain("PDF · 2.4 MB");
    }

    [Fact]
    public void An_image_opens_full_size_in_the_viewer_and_Escape_closes_it()
    {
        var cut = Render<AttachmentList>(p => p.Add(c => c.Files, [Screenshot]));
        cut.FindAll("[data-testid='image-viewer']").ShouldBeEmpty();

        cut.Find("[data-testid='attachment-image']").Click();
        var viewer = cut.Find("[data-testid='image-viewer']");
        viewer.GetAttribute("role").ShouldBe("dialog");
        viewer.QuerySelector("img")!.GetAttribute("src").ShouldBe($"/api/v1/files/{Screenshot.Id}/content");

        viewer.KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Escape" });
        cut.FindAll("[data-testid='image-viewer']").ShouldBeEmpty();
    }

    [Fact]
    public void With_a_click_handler_from_the_host_a_file_goes_to_it_instead_of_the_viewer()
    {
        (string MessageId, IReadOnlyList<FileView> Files)? clicked = null;
        Func<string, IReadOnlyList<FileView>, Task> handler = (id, files) =>
        {
            clicked = (id, files);
            return Task.CompletedTask;
        };
        var cut = Render<CascadingValue<Func<string, IReadOnlyList<FileView>, Task>>>(p => p
            .Add(c => c.Name, AttachmentList.AttachmentClickName)
            .Add(c => c.Value, handler)
            .AddChildContent<AttachmentList>(list => list.Add(c => c.Files, [Screenshot, Invoice]).Add(c => c.MessageId, "post_1")));

        cut.Find("[data-testid='attachment-image']").Click();
        cut.FindAll("[data-testid='image-viewer']").ShouldBeEmpty();
        clicked!.Value.MessageId.ShouldBe("post_1");
        clicked.Value.Files.Select(f => f.Id).ShouldBe([Screenshot.Id, Invoice.Id]);
    }

    [Fact]
    public void Pending_uploads_show_progress_and_cancel_and_once_stored_a_remove_button()
    {
        var uploads = new PendingUploads();
        uploads.Started("a", "photo.jpg", 1000, "image/jpeg");
        uploads.Progressed("a", 250);
        uploads.Started("b", "notes.txt", 12, "text/plain");
        uploads.Finished("b", "file_b");
        string? removed = null;
        var cut = Render<UploadChips>(p => p.Add(c => c.Uploads, uploads).Add(c => c.OnRemove, (string id) => removed = id));

        var chips = cut.FindAll("[data-testid='upload-chip']");
        chips.Select(c => c.GetAttribute("data-state")).ShouldBe(["uploading", "done"]);
        chips[0].QuerySelector("[data-testid='upload-progress']").ShouldNotBeNull();
        chips[0].QuerySelector("[data-testid='upload-remove']")!.GetAttribute("aria-label").ShouldBe("Cancel uploading photo.jpg");
        chips[1].QuerySelector("[data-testid='upload-remove']")!.GetAttribute("aria-label").ShouldBe("Remove notes.txt");
        chips[1].TextContent.ShouldContain("12 bytes");

        chips[0].QuerySelector("[data-testid='upload-remove']")!.Click();
        removed.ShouldBe("a");
    }

    [Fact]
    public void A_message_waits_for_its_uploads_and_may_be_files_alone()
    {
        var uploads = new PendingUploads();
        uploads.CanSend("").ShouldBeFalse();
        uploads.Started("a", "a.png", 10, "image/png");
        uploads.CanSend("hello").ShouldBeFalse();
        uploads.Finished("a", "file_a");
        uploads.CanSend("").ShouldBeTrue();
        uploads.Started("b", "b.png", 10, "image/png");
        uploads.Failed("b", "Too large");
        // A failed upload does not hold the message back; it is left out.
        uploads.CanSend("").ShouldBeTrue();
        uploads.FileIds.ShouldBe(["file_a"]);
        uploads.Remove("a").ShouldBeTrue();
        uploads.CanSend("").ShouldBeFalse();
    }
}

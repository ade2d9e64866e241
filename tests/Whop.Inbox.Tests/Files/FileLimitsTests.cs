using Microsoft.AspNetCore.Hosting;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Files;

/// <summary>The app with small file limits, so tests reach them with small files.</summary>
public sealed class SmallFilesApp : InboxApp
{
    public const int MaxFileBytes = 4096;
    public const int MaxPerMessage = 2;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Inbox:Files:MaxFileBytes", $"{MaxFileBytes}");
        builder.UseSetting("Inbox:Files:MaxPerMessage", $"{MaxPerMessage}");
        builder.UseSetting("Inbox:Files:AllowedContentTypes:0", "text/plain");
    }
}

public sealed class FileLimitsTests(SmallFilesApp app) : IClassFixture<SmallFilesApp>
{
    [Fact]
    public async Task Configured_limits_refuse_a_file_too_large_a_type_left_out_and_too_many_files_naming_the_field()
    {
        var customer = await app.NewUserAsync("customer");
        await customer.Client.UploadOkAsync("fits.txt", "text/plain", new byte[SmallFilesApp.MaxFileBytes]);
        var tooLarge = await (await customer.Client.UploadAsync("big.txt", "text/plain", new byte[SmallFilesApp.MaxFileBytes + 1]))
            .ShouldBeProblemAsync(422, "file");
        tooLarge["error"]!["message"]!.GetValue<string>().ShouldContain($"{SmallFilesApp.MaxFileBytes}");
        // Only text/plain is configured: a PDF, allowed by default, is not taken here.
        await (await customer.Client.UploadAsync("a.pdf", "application/pdf", TestFiles.Pdf())).ShouldBeProblemAsync(422, "file");

        var chat = await app.SupportChatForAsync(customer);
        var ids = new List<string>();
        for (var i = 0; i <= SmallFilesApp.MaxPerMessage; i++) ids.Add((await customer.Client.UploadOkAsync($"{i}.txt", "text/plain", [1])).Id());
        await (await customer.Client.PostJsonAsync("/api/v1/messages",
            new { channel_id = chat, content = "x", attachments = ids.Select(id => new { id }).ToArray() })).ShouldBeProblemAsync(422, "attachments");
    }
}

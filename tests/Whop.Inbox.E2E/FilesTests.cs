using System.Text;
using Whop.Inbox.E2E.Pages;

namespace Whop.Inbox.E2E;

/// <summary>Files in a support chat, in two browsers: a pasted screenshot one way, a PDF the other.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FilesTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_customer_pastes_a_screenshot_the_agent_opens_it_and_answers_with_a_pdf()
    {
        // Hugo (a resolved chat in the demo data; no other test uses him), on a phone.
        var customerPage = await Fixture.NewPageAsync(width: 390, height: 844);
        await new SignInPage(customerPage).SignInAndWaitAsync("hugo");
        var customer = new MessagesPage(customerPage);
        await customer.Row("Lumen Courses support").ClickAsync();
        await Assertions.Expect(customer.Composer).ToBeVisibleAsync();

        var agentPage = await Fixture.NewPageAsync();
        await new SignInPage(agentPage).SignInAndWaitAsync("omar");
        var inbox = new InboxPage(agentPage);
        await agentPage.GotoAsync("/inbox?status=all&customer=hugo");
        await new Shell(agentPage).WaitUntilInteractiveAsync();
        await inbox.Row("Hugo Martins").ClickAsync();
        await Assertions.Expect(inbox.ConversationTitle).ToHaveTextAsync("Hugo Martins");

        // A screenshot from the clipboard: a PNG drawn in the page, pasted into the message box.
        await customer.Composer.ClickAsync();
        await customer.Composer.EvaluateAsync("""
            async (box) => {
              const canvas = Object.assign(document.createElement("canvas"), { width: 320, height: 200 });
              const g = canvas.getContext("2d");
              g.fillStyle = "#c0392b"; g.fillRect(0, 0, 320, 200);
              g.fillStyle = "#fff"; g.fillRect(40, 40, 120, 60);
              const blob = await new Promise((done) => canvas.toBlob(done, "image/png"));
              const clipboard = new DataTransfer();
              clipboard.items.add(new File([blob], "image.png", { type: "image/png" }));
              box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: clipboard, bubbles: true, cancelable: true }));
            }
            """);
        var chip = customerPage.GetByTestId("upload-chip");
        await Assertions.Expect(chip).ToHaveAttributeAsync("data-state", "done");
        await Assertions.Expect(chip).ToContainTextAsync("screenshot-");
        await customer.Composer.FillAsync("The player shows this error");
        await customer.Composer.PressAsync("Enter");
        await Assertions.Expect(chip).ToHaveCountAsync(0);

        // The agent sees the thumbnail arrive live, and opens it full size.
        var shot = inbox.Message("The player shows this error").GetByTestId("attachment-image");
        await Assertions.Expect(shot).ToBeVisibleAsync();
        await Assertions.Expect(shot.Locator("img")).ToHaveJSPropertyAsync("naturalWidth", 320);
        await shot.ClickAsync();
        var viewer = agentPage.GetByTestId("image-viewer");
        await Assertions.Expect(viewer).ToBeVisibleAsync();
        await Assertions.Expect(viewer.Locator("img")).ToHaveJSPropertyAsync("naturalWidth", 320);
        await agentPage.Keyboard.PressAsync("Escape");
        await Assertions.Expect(viewer).ToHaveCountAsync(0);

        // The answer: a PDF through the attach button's file picker.
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
        await agentPage.GetByTestId("composer-file").SetInputFilesAsync(new FilePayload { Name = "invoice-LC-20931.pdf", MimeType = "application/pdf", Buffer = pdf });
        await Assertions.Expect(agentPage.GetByTestId("upload-chip")).ToHaveAttributeAsync("data-state", "done");
        await inbox.SendAsync("Here is your invoice, and the fix is on its way.");

        // The customer sees the PDF's name, type and size, as a download.
        var file = customer.History.GetByTestId("message").Filter(new() { HasText = "Here is your invoice" }).GetByTestId("attachment-file");
        await Assertions.Expect(file).ToContainTextAsync("invoice-LC-20931.pdf");
        await Assertions.Expect(file).ToContainTextAsync($"PDF · {pdf.Length} bytes");
        var download = await customerPage.RunAndWaitForDownloadAsync(() => file.ClickAsync());
        download.SuggestedFilename.ShouldBe("invoice-LC-20931.pdf");
    }
}

using System.Text.Json;

namespace Whop.Inbox.E2E.Pages;

/// <summary>A host app's page with the two embedded elements, seen from outside their frames.</summary>
public sealed class EmbedHostPage(IPage page)
{
    public IPage Page => page;
    public IFrameLocator DmsFrame => page.FrameLocator("#dms iframe");
    public IFrameLocator ChatFrame => page.FrameLocator("#chat iframe");
    public ILocator Rows => DmsFrame.GetByTestId("conversation-row");
    public ILocator Row(string title) => Rows.Filter(new() { HasText = title });
    public ILocator ChatTitle => ChatFrame.GetByTestId("conversation-title");
    public ILocator ChatHistory => ChatFrame.GetByTestId("history");
    public ILocator Composer => ChatFrame.GetByTestId("composer-input");

    /// <summary>Waits until the element (<c>chat</c> or <c>dms</c>) has told the host <c>ready</c>.</summary>
    public Task WaitForReadyAsync(string element) => WaitForEventAsync(element, "ready");

    /// <summary>Waits for an event the host received, and returns its data.</summary>
    public async Task<JsonElement> WaitForEventAsync(string element, string name, string? dataContains = null)
    {
        var handle = await page.WaitForFunctionAsync(
            "([element, name, text]) => window.events.find(e => e.element === element && e.name === name && (!text || JSON.stringify(e.data).includes(text)))",
            new object?[] { element, name, dataContains });
        return JsonSerializer.Deserialize<JsonElement>(await handle.EvaluateAsync<string>("e => JSON.stringify(e.data)"));
    }

    public Task<string[]> EventNamesAsync(string element) =>
        page.EvaluateAsync<string[]>("element => window.events.filter(e => e.element === element).map(e => e.name)", element);
}

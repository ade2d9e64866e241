namespace Whop.Inbox.E2E.Pages;

/// <summary>Webhooks settings: the add-an-endpoint form and the endpoints, as an admin sees them.</summary>
public sealed class WebhooksPage(IPage page)
{
    public ILocator Link => page.GetByTestId("nav-webhooks");
    public ILocator Url => page.GetByLabel("URL", new() { Exact = true });
    public ILocator Secret => page.GetByTestId("webhook-secret");
    public ILocator Rows => page.GetByTestId("webhook-row");

    public async Task OpenAsync()
    {
        await Link.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhooks", Exact = true })).ToBeVisibleAsync();
    }

    public async Task ChooseTopicAsync(string topic) => await page.GetByTestId($"webhook-topic-{topic}").CheckAsync();

    public async Task IncludeTeamNotesAsync() => await page.GetByTestId("webhook-include-notes").CheckAsync();

    public async Task AddAsync() => await page.GetByTestId("webhook-create").ClickAsync();

    public ILocator Row(string url) => Rows.Filter(new() { HasText = url });
}

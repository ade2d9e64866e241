using Whop.Inbox.E2E.Pages;

namespace Whop.Inbox.E2E;

/// <summary>An agent resolves several chats at once; a colleague's inbox follows live.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BulkActionsTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    // Five customers no other test uses, written in this order: the last is the newest, at the top of Open.
    private static readonly (string Username, string Name)[] Customers =
    [
        ("ines-bulk", "Ines Marlowe"), ("jonas-bulk", "Jonas Ferreira"), ("keiko-bulk", "Keiko Tanabe"),
        ("luca-bulk", "Luca Moretti"), ("mira-bulk", "Mira Adeyemi"),
    ];

    [Fact]
    public async Task An_agent_selects_five_chats_and_resolves_them_at_once_while_a_colleagues_inbox_sees_them_leave_open()
    {
        foreach (var (username, name) in Customers)
        {
            await Fixture.NewCustomerAsync(username, name);
            await Fixture.CustomerWritesInAsync(username, $"Hello, this is {name}: my order has not arrived.");
        }

        // Omar, the colleague, in a browser of his own.
        var omarPage = await Fixture.NewPageAsync();
        await new SignInPage(omarPage).SignInAndWaitAsync("omar");
        var omars = new InboxPage(omarPage);
        await omarPage.GotoAsync("/inbox?status=open");
        await new Shell(omarPage).WaitUntilInteractiveAsync();
        foreach (var (_, name) in Customers) await Assertions.Expect(omars.Row(name)).ToBeVisibleAsync();
        var open = int.Parse(await omars.TabCount("open").InnerTextAsync());

        var mayaPage = await Fixture.NewPageAsync();
        await new SignInPage(mayaPage).SignInAndWaitAsync("maya");
        var mayas = new InboxPage(mayaPage);
        await mayaPage.GotoAsync("/inbox?status=open");
        await new Shell(mayaPage).WaitUntilInteractiveAsync();
        await mayas.WaitUntilKeyboardReadyAsync();
        var bar = mayaPage.GetByRole(AriaRole.Toolbar, new() { Name = "Bulk actions" });
        await Assertions.Expect(bar).ToContainTextAsync("Select all on this page");

        // The newest, then shift and the fourth newest: the four between them. Then x on the fifth's row.
        await Check(mayaPage, "Mira Adeyemi").ClickAsync();
        await Check(mayaPage, "Jonas Ferreira").ClickAsync(new() { Modifiers = [KeyboardModifier.Shift] });
        await Assertions.Expect(bar).ToContainTextAsync("4 selected");
        foreach (var name in new[] { "Mira Adeyemi", "Luca Moretti", "Keiko Tanabe", "Jonas Ferreira" })
            await Assertions.Expect(Check(mayaPage, name)).ToBeCheckedAsync();
        await mayas.Row("Ines Marlowe").FocusAsync();
        await mayaPage.Keyboard.PressAsync("x");
        await Assertions.Expect(Check(mayaPage, "Ines Marlowe")).ToBeCheckedAsync();
        await Assertions.Expect(bar).ToContainTextAsync("5 selected");

        await bar.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();

        await Assertions.Expect(mayaPage.GetByTestId("bulk-summary")).ToHaveTextAsync("Resolved 5 chats.");
        foreach (var (_, name) in Customers)
        {
            await Assertions.Expect(mayas.Row(name)).ToHaveCountAsync(0);
            await Assertions.Expect(omars.Row(name)).ToHaveCountAsync(0);
        }
        await Assertions.Expect(omars.TabCount("open")).ToHaveTextAsync($"{open - 5}");
        await Assertions.Expect(bar).ToContainTextAsync("Select all on this page");
    }

    private static ILocator Check(IPage page, string customerName) =>
        page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {customerName}", Exact = true });
}

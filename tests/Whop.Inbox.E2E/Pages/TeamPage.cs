namespace Whop.Inbox.E2E.Pages;

/// <summary>Team settings: the add-to-team form and the members grid, as an admin sees them.</summary>
public sealed class TeamPage(IPage page)
{
    public ILocator Grid => page.GetByTestId("team-grid");
    public ILocator Person => page.GetByRole(AriaRole.Combobox, new() { Name = "Person" });
    public ILocator AddError => page.GetByTestId("team-add-error");
    public ILocator Error => page.GetByTestId("team-error");
    public ILocator Notice => page.GetByTestId("team-notice");

    /// <summary>The admins' switch for automatic (round robin) assignment; its checkbox says whether it is on.</summary>
    public ILocator AutoAssign => page.GetByTestId("auto-assign").Locator("input[type='checkbox']");

    public async Task SetAutoAssignAsync(bool on)
    {
        await AutoAssign.SetCheckedAsync(on);
        await Assertions.Expect(Notice).ToBeVisibleAsync();
    }

    public async Task OpenAsync()
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" }).GetByRole(AriaRole.Link, new() { Name = "Team" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Team", Exact = true })).ToBeVisibleAsync();
        await Grid.WaitForAsync();
    }

    public async Task PickPersonAsync(string typed, string name)
    {
        await page.PickSuggestionAsync(Person, typed, name);
        await Assertions.Expect(Person).ToHaveValueAsync(name);
    }

    public async Task ChooseNewMemberRoleAsync(string role) =>
        await page.ChooseAsync(NewMemberRole, role);

    public async Task AddAsync() => await page.GetByRole(AriaRole.Button, new() { Name = "Add to team" }).ClickAsync();

    public ILocator Row(string name) => Grid.GetByRole(AriaRole.Row).Filter(new() { HasText = name });

    public ILocator RoleOf(string name) => page.GetByRole(AriaRole.Combobox, new() { Name = $"Role of {name}" });

    /// <summary>The role a member's picker shows (its value, not the choices in its closed list).</summary>
    public ILocator RoleShown(string name) => RoleOf(name);

    /// <summary>The members' role cells saying "Admin", one per admin.</summary>
    public ILocator Admins => Grid.Locator("[data-member-role='Admin']");

    public ILocator NewMemberRole => page.GetByRole(AriaRole.Combobox, new() { Name = "Role", Exact = true });

    public async Task ChangeRoleAsync(string name, string role) => await page.ChooseAsync(RoleOf(name), role);

    public async Task RemoveAsync(string name) =>
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {name} from the team" }).ClickAsync();

    /// <summary>The confirm dialog's button, e.g. "Remove" or "Cancel".</summary>
    public async Task ConfirmAsync(string button) =>
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
}

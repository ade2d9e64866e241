using Whop.Inbox.E2E.Pages;

namespace Whop.Inbox.E2E;

[Collection(BrowserCollection.Name)]
public sealed class TeamPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_admin_adds_a_customer_as_moderator_makes_them_admin_and_removes_them()
    {
        var page = await fixture.NewPageAsync();
        await using var browser = page.Context; // closed at the end: no idle circuit left for the tests after
        await new SignInPage(page).SignInAndWaitAsync("admin");
        var team = new TeamPage(page);
        await team.OpenAsync();

        await team.PickPersonAsync("quin", "Quinn Foster");
        await team.AddAsync();
        await Assertions.Expect(team.Notice).ToContainTextAsync("Quinn Foster joined the team as moderator.");
        await Assertions.Expect(team.Row("Quinn Foster")).ToContainTextAsync("@quinn");
        await Assertions.Expect(team.RoleShown("Quinn Foster")).ToHaveValueAsync("Moderator");
        await Assertions.Expect(team.Person).ToHaveValueAsync("");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("team.png") });

        await team.ChangeRoleAsync("Quinn Foster", "Admin");
        await Assertions.Expect(team.Notice).ToContainTextAsync("Quinn Foster is now admin.");
        await page.ReloadAsync();
        await new Shell(page).WaitUntilInteractiveAsync();
        await Assertions.Expect(team.RoleShown("Quinn Foster")).ToHaveValueAsync("Admin");

        await team.RemoveAsync("Quinn Foster");
        await team.ConfirmAsync("Remove");
        await Assertions.Expect(team.Notice).ToContainTextAsync("Quinn Foster is no longer on the team.");
        await Assertions.Expect(team.Row("Quinn Foster")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_last_admin_cannot_step_down_or_leave_and_is_told_why()
    {
        var page = await fixture.NewPageAsync();
        await using var browser = page.Context; // closed at the end: no idle circuit left for the tests after
        await new SignInPage(page).SignInAndWaitAsync("admin");
        var team = new TeamPage(page);
        await team.OpenAsync();
        // Jordan is the only admin (otherwise this test would really demote them).
        await Assertions.Expect(team.Admins).ToHaveCountAsync(1);

        await team.ChangeRoleAsync("Jordan Blake", "Moderator");
        await team.ConfirmAsync("Change my role");
        await Assertions.Expect(team.Error).ToContainTextAsync("This is the company's last admin; make someone else admin first.");
        await Assertions.Expect(team.RoleShown("Jordan Blake")).ToHaveValueAsync("Admin");

        await team.RemoveAsync("Jordan Blake");
        await team.ConfirmAsync("Remove");
        await Assertions.Expect(team.Error).ToContainTextAsync("This is the company's last admin");
        await Assertions.Expect(team.Row("Jordan Blake")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Adding_nobody_or_an_unknown_username_is_explained_and_what_was_typed_stays()
    {
        var page = await fixture.NewPageAsync();
        await using var browser = page.Context; // closed at the end: no idle circuit left for the tests after
        await new SignInPage(page).SignInAndWaitAsync("admin");
        var team = new TeamPage(page);
        await team.OpenAsync();

        await team.AddAsync();
        await Assertions.Expect(team.AddError).ToContainTextAsync("Type a name or username, then pick the person to add.");

        await page.TypeIntoAsync(team.Person, "nobody-here");
        await team.ChooseNewMemberRoleAsync("Admin");
        await team.AddAsync();
        await Assertions.Expect(team.AddError).ToContainTextAsync("No user nobody-here.");
        await Assertions.Expect(team.Person).ToHaveValueAsync("nobody-here");
        await Assertions.Expect(team.NewMemberRole).ToHaveValueAsync("Admin");
    }

    [Fact]
    public async Task The_team_is_managed_from_the_keyboard_alone()
    {
        var page = await fixture.NewPageAsync();
        await using var browser = page.Context; // closed at the end: no idle circuit left for the tests after
        await new SignInPage(page).SignInAndWaitAsync("admin");
        var team = new TeamPage(page);
        await team.OpenAsync();

        await page.TypeUntilSuggestedAsync(team.Person, "sam", "Sam Keller");
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Selected = true })).ToContainTextAsync("Sam Keller");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(team.Person).ToHaveValueAsync("Sam Keller");
        await page.Keyboard.PressAsync("Tab"); // the role: moderator is already chosen
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add to team" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(team.Notice).ToContainTextAsync("Sam Keller joined the team as moderator.");
        // Ready for the next person: the focus goes back to the empty Person box (so it is not taken from under the next step).
        await Assertions.Expect(team.Person).ToBeFocusedAsync();
        await Assertions.Expect(team.Person).ToHaveValueAsync("");

        var remove = page.GetByRole(AriaRole.Button, new() { Name = "Remove Sam Keller from the team" });
        await remove.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        // The confirm dialog takes the focus onto its own button.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(team.Row("Sam Keller")).ToHaveCountAsync(0);
    }
}

using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Whop.Inbox.Components.Layout;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Support;
using Whop.Inbox.Support.Labels;
using Whop.Inbox.Support.Labels.Pages;
using Whop.Inbox.Support.Priority;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Components;

/// <summary>The Labels settings page and the inbox rows' menu, over the real services.</summary>
// Each find-and-act runs in one dispatch: the page reloads its list when any label of the company changes
// (other tests make labels in the same company), which would otherwise redraw the row between the two.
public sealed class LabelsPageTests(InboxApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_admin_renames_and_recolours_a_label_in_place()
    {
        var admin = await SignInAsync(DemoData.AdminUserName);
        var label = await NewLabelAsync(admin, "#2e7d32");
        var renamed = UniqueName();
        var page = OpenPage();
        page.WaitForAssertion(() => Row(page, label.Id), Soon);

        await page.InvokeAsync(() => Row(page, label.Id).QuerySelector("[data-testid='label-edit']")!.ClickAsync(new()));
        await page.InvokeAsync(() => page.Find($"#label-name-{label.Id}").InputAsync(new ChangeEventArgs { Value = renamed }));
        await page.InvokeAsync(() => page.Find($"[data-label-id='{label.Id}'] [data-testid='label-swatch'][data-color='#1565c0']").ClickAsync(new()));
        await page.InvokeAsync(() => page.Find($"form[aria-label='Edit the label {label.Name}']").SubmitAsync());

        // Saved: the row leaves its form and shows the label as it now is.
        page.WaitForAssertion(() => Row(page, label.Id).QuerySelector("[data-testid='label-row-color']")!.TextContent.ShouldBe("#1565c0"), Soon);
        Row(page, label.Id).QuerySelector("[data-testid='label-chip']")!.TextContent.ShouldBe(renamed);
        Row(page, label.Id).QuerySelector("[data-testid='label-chip']")!.GetAttribute("style").ShouldBe("--label-color: #1565c0");
        page.Find("[data-testid='label-notice']").TextContent.ShouldContain($"Renamed {label.Name} to {renamed}");
        var saved = (await Labels.ListAsync(admin.Actor, admin.CompanyId)).Value!.Single(l => l.Id == label.Id);
        (saved.Name, saved.Color).ShouldBe((renamed, "#1565c0"));
        await Labels.DeleteAsync(admin.Actor, label.Id);
    }

    [Fact]
    public async Task A_name_another_label_has_is_refused_on_the_name_field_and_the_draft_stays()
    {
        var admin = await SignInAsync(DemoData.AdminUserName);
        var taken = await NewLabelAsync(admin, "#2e7d32");
        var label = await NewLabelAsync(admin, "#6a1b9a");
        var page = OpenPage();
        page.WaitForAssertion(() => Row(page, label.Id), Soon);

        await page.InvokeAsync(() => Row(page, label.Id).QuerySelector("[data-testid='label-edit']")!.ClickAsync(new()));
        await page.InvokeAsync(() => page.Find($"#label-name-{label.Id}").InputAsync(new ChangeEventArgs { Value = taken.Name.ToUpperInvariant() }));
        await page.InvokeAsync(() => page.Find($"form[aria-label='Edit the label {label.Name}']").SubmitAsync());

        page.WaitForAssertion(() => page.Find($"#label-name-{label.Id}").GetAttribute("aria-invalid").ShouldBe("true"), Soon);
        page.Find($"#label-name-{label.Id}").Closest(".mud-input-control")!.TextContent.ShouldContain($"There is already a label named {taken.Name.ToUpperInvariant()}");
        page.Find($"#label-name-{label.Id}").GetAttribute("value").ShouldBe(taken.Name.ToUpperInvariant());
        (await Labels.ListAsync(admin.Actor, admin.CompanyId)).Value!.Single(l => l.Id == label.Id).Name.ShouldBe(label.Name);
        await Labels.DeleteAsync(admin.Actor, label.Id);
        await Labels.DeleteAsync(admin.Actor, taken.Id);
    }

    [Fact]
    public async Task A_new_label_is_added_with_a_colour_typed_as_hex()
    {
        var admin = await SignInAsync(DemoData.AdminUserName);
        var name = UniqueName();
        var page = OpenPage();
        page.WaitForAssertion(() => page.Find("#new-label-name"), Soon);

        await page.InvokeAsync(() => page.Find("#new-label-name").InputAsync(new ChangeEventArgs { Value = name }));
        await page.InvokeAsync(() => page.Find("#new-label-color").InputAsync(new ChangeEventArgs { Value = "#ABCDEF" }));
        await page.InvokeAsync(() => page.Find("form[aria-label='Add a label']").SubmitAsync());

        page.WaitForAssertion(() => page.FindAll("[data-testid='label-row']").ShouldContain(r => r.TextContent.Contains(name)), Soon);
        var created = (await Labels.ListAsync(admin.Actor, admin.CompanyId)).Value!.Single(l => l.Name == name);
        created.Color.ShouldBe("#abcdef");
        // Added: the form is ready for the next one.
        page.WaitForAssertion(() => page.Find("#new-label-name").GetAttribute("value").ShouldBeNullOrEmpty(), Soon);
        await Labels.DeleteAsync(admin.Actor, created.Id);
    }

    [Fact]
    public async Task Deleting_a_label_says_how_many_chats_carry_it_and_takes_it_off_them()
    {
        var admin = await SignInAsync(DemoData.AdminUserName);
        var label = await NewLabelAsync(admin, "#c62828");
        var customer = await App.NewUserAsync("customer");
        var chatId = await App.SupportChatForAsync(customer);
        (await Labels.AddAsync(admin.Actor, chatId, [label.Id])).Succeeded.ShouldBeTrue();
        var dialogs = RenderProviders();
        _providers = true;
        var page = OpenPage();
        page.WaitForAssertion(() => Row(page, label.Id), Soon);

        Row(page, label.Id).QuerySelector("[data-testid='label-delete']")!.Click();

        dialogs.WaitForAssertion(() => dialogs.Find(".mud-message-box").TextContent.ShouldContain("It leaves the one chat that carries it."), Soon);
        dialogs.Find(".mud-message-box__yes-button").Click();
        page.WaitForAssertion(() => page.FindAll($"[data-label-id='{label.Id}']").ShouldBeEmpty(), Soon);
        page.WaitForAssertion(() => page.Find("[data-testid='label-notice']").TextContent.ShouldContain($"Deleted the label {label.Name}"), Soon);
        var chat = (await App.Services.GetRequiredService<SupportChats>().GetAsync(admin.Actor, chatId)).Value!;
        chat.Labels.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_page_follows_a_change_made_elsewhere()
    {
        var admin = await SignInAsync(DemoData.AdminUserName);
        var label = await NewLabelAsync(admin, "#00838f");
        var page = OpenPage();
        page.WaitForAssertion(() => Row(page, label.Id), Soon);

        var renamed = UniqueName();
        await Labels.UpdateAsync(admin.Actor, label.Id, new(renamed), default);

        page.WaitForAssertion(() => Row(page, label.Id).QuerySelector("[data-testid='label-chip']")!.TextContent.ShouldBe(renamed), Soon);
        await Labels.DeleteAsync(admin.Actor, label.Id);
        page.WaitForAssertion(() => page.FindAll($"[data-label-id='{label.Id}']").ShouldBeEmpty(), Soon);
    }

    [Fact]
    public async Task Only_admins_have_the_Labels_link()
    {
        var moderator = await SignInAsync("maya");
        moderator.CanManageLabels.ShouldBeFalse();
        Render<NavMenu>(p => p.Add(c => c.Info, moderator)).FindAll("[data-testid='nav-labels']").ShouldBeEmpty();

        var admin = moderator with { CanManageLabels = true };
        Render<NavMenu>(p => p.Add(c => c.Info, admin)).Find("[data-testid='nav-labels']").GetAttribute("href").ShouldBe("settings/labels");
    }

    [Fact]
    public async Task A_rows_menu_sets_the_chats_priority_without_opening_it()
    {
        var agent = await SignInAsync("maya");
        var customer = await App.NewUserAsync("customer");
        var chatId = await App.SupportChatForAsync(customer);
        var popovers = Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"inbox?status=all&customer={customer.Username}");
        var inbox = Render<Whop.Inbox.Support.Pages.Inbox>();
        inbox.WaitForAssertion(() => inbox.FindAll("[data-testid='inbox-row']").Count.ShouldBe(1), Soon);

        var button = inbox.Find($"button[aria-label='More actions for {customer.Name}']");
        button.Closest("[data-testid='inbox-row']").ShouldBeNull("the menu is beside the row's link, not inside it");
        button.Click();
        popovers.WaitForAssertion(() => popovers.Find("[data-testid='row-priority-urgent']"), Soon);
        popovers.Find("[data-testid='row-priority-none']").GetAttribute("aria-checked").ShouldBe("true");
        popovers.Find("[data-testid='row-priority-urgent']").Click();

        inbox.WaitForAssertion(() => inbox.Find("[data-testid='priority-flag']").GetAttribute("data-priority").ShouldBe("urgent"), Soon);
        (await App.Services.GetRequiredService<SupportChats>().GetAsync(agent.Actor, chatId)).Value!.Priority.ShouldBe(ChatPriority.Urgent);
        navigation.Uri.ShouldNotContain("chat=");
    }

    private Labels Labels => App.Services.GetRequiredService<Labels>();

    private static string UniqueName() => $"page-{Guid.NewGuid():N}"[..16];

    private async Task<Label> NewLabelAsync(ViewerInfo admin, string color) =>
        (await Labels.CreateAsync(admin.Actor, admin.CompanyId, UniqueName(), color)).Value!;

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<LabelsPage> page, string labelId) =>
        page.Find($"[data-testid='label-row'][data-label-id='{labelId}']");

    private bool _providers;

    /// <summary>The page as a navigation to it renders it (MudBlazor's providers once per test).</summary>
    private IRenderedComponent<LabelsPage> OpenPage()
    {
        if (!_providers) RenderProviders();
        _providers = true;
        return Render<LabelsPage>();
    }
}

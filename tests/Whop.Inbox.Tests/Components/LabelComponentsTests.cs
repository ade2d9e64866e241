using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Support;
using Whop.Inbox.Support.Labels;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Components;

/// <summary>Label chips and the header's label menu, over the real services.</summary>
public sealed class LabelComponentsTests(InboxApp app) : ComponentTest(app)
{
    [Fact]
    public void Chips_show_each_label_by_name_in_its_colour()
    {
        var chips = Render<LabelChips>(p => p.Add(c => c.Labels, [new LabelView("label_a", "billing", "#2e7d32"), new LabelView("label_b", "vip", "#6a1b9a")]));

        var each = chips.FindAll("[data-testid='label-chip']");
        each.Select(c => c.TextContent).ShouldBe(["billing", "vip"]);
        each[0].GetAttribute("style").ShouldBe("--label-color: #2e7d32");
        each[1].GetAttribute("data-label-id").ShouldBe("label_b");
    }

    [Fact]
    public async Task The_menu_searches_the_labels_ticks_one_onto_the_chat_and_offers_an_admin_to_create_one()
    {
        var viewer = await SignInAsync("admin");
        var customer = await App.NewUserAsync("customer");
        var chatId = await App.SupportChatForAsync(customer);
        var labels = App.Services.GetRequiredService<Labels>();
        var name = $"bunit-{Guid.NewGuid():N}"[..14];
        var billing = (await labels.CreateAsync(viewer.Actor, viewer.CompanyId, name, "#2e7d32")).Value!;
        var other = (await labels.CreateAsync(viewer.Actor, viewer.CompanyId, name + "x", "#1565c0")).Value!;
        var chat = (await App.Services.GetRequiredService<SupportChats>().GetAsync(viewer.Actor, chatId)).Value!;
        SupportChatView? changed = null;

        var picker = Render<LabelPicker>(p => p
            .Add(c => c.Actor, viewer.Actor).Add(c => c.Chat, chat).Add(c => c.CanManage, true)
            .Add(c => c.Catalogue, [billing.View, other.View])
            .Add(c => c.OnChanged, EventCallback.Factory.Create<SupportChatView>(this, v => changed = v)));

        picker.Find("[data-testid='label-menu-button']").Click();
        picker.Find("[data-testid='label-search']").Input(name + "x");
        picker.FindAll("[data-testid='label-option']").Select(o => o.TextContent.Trim()).ShouldBe([other.Name]);
        picker.FindAll("[data-testid='create-label']").ShouldBeEmpty("a label of that name exists");

        await picker.Find("[data-testid='label-option'] input").ChangeAsync(new ChangeEventArgs { Value = true });
        picker.WaitForAssertion(() => changed.ShouldNotBeNull());
        changed!.Labels.Select(l => l.Id).ShouldBe([other.Id]);

        picker.Find("[data-testid='label-search']").Input(name + "-new");
        picker.Find("[data-testid='create-label']").TextContent.ShouldContain(name + "-new");
    }
}

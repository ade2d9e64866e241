using Bunit;
using Whop.Inbox.DirectMessages.Components;
using Whop.Inbox.DirectMessages.Pages;
using Whop.Inbox.Messaging;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Components;

/// <summary>The DM list and the members panel over the real services and database.</summary>
public sealed class DmComponentsTests(InboxApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_dm_list_shows_a_new_message_with_its_unread_badge_live()
    {
        var me = await App.NewUserAsync("dmlist");
        var other = await App.NewUserAsync("friend");
        var dm = (await other.Client.CreateDmAsync(me.Id)).Id();
        await SignInAsync(me.Username);
        RenderProviders();
        var list = Render<Messages>();
        // A customer also has the row that starts their support chat; the DM is the other one.
        list.WaitForAssertion(() => list.FindAll("[data-testid='conversation-row'][data-kind='dm']").Count.ShouldBe(1), Live);
        list.FindAll("[data-testid='unread-badge']").ShouldBeEmpty();

        await other.Client.SendAsync(dm, "**Lunch** at [noon](https://example.com)?");

        list.WaitForAssertion(() =>
        {
            var row = list.Find("[data-testid='conversation-row'][data-kind='dm']");
            row.QuerySelector("[data-testid='unread-badge']")!.TextContent.Trim().ShouldBe("1");
            // Previews read as text: no Markdown marks, no links.
            row.TextContent.ShouldContain("Lunch at noon?");
        }, Live);
    }

    [Fact]
    public async Task The_members_panel_shows_the_cap_and_offers_no_more_adding()
    {
        var owner = await App.NewUserAsync("owner");
        var others = await App.NewUserIdsAsync(Channel.MaxDmMembers - 1);
        var dm = (await owner.Client.CreateDmAsync([.. others])).Id();
        var viewer = await SignInAsync(owner.Username);
        RenderProviders();

        var panel = Render<MembersPanel>(p => p.Add(m => m.ChannelId, dm).Add(m => m.Viewer, viewer));

        panel.WaitForAssertion(() => panel.Find("[data-testid='member-count']").TextContent.ShouldBe($"{Channel.MaxDmMembers} / {Channel.MaxDmMembers}"), Live);
        panel.FindAll("[data-testid='member']").Count.ShouldBe(Channel.MaxDmMembers);
        panel.Find("[data-testid='member-cap']").TextContent.ShouldContain("the most it can have");
        panel.FindAll("#add-member").ShouldBeEmpty();
    }

    [Fact]
    public async Task The_members_panel_follows_a_member_added_elsewhere()
    {
        var owner = await App.NewUserAsync("owner");
        var first = await App.NewUserAsync("first");
        var later = await App.NewUserAsync("later");
        var dm = (await owner.Client.CreateDmAsync(first.Id)).Id();
        var viewer = await SignInAsync(owner.Username);
        RenderProviders();
        var panel = Render<MembersPanel>(p => p.Add(m => m.ChannelId, dm).Add(m => m.Viewer, viewer));
        panel.WaitForAssertion(() => panel.FindAll("[data-testid='member']").Count.ShouldBe(2), Live);

        await owner.Client.PostJsonAsync(DmScenario.Members, new { channel_id = dm, user_id = later.Id }).OkJsonAsync();

        panel.WaitForAssertion(() => panel.FindAll("[data-testid='member']").Count.ShouldBe(3), Live);
        panel.Find("[data-testid='member-list']").TextContent.ShouldContain(later.Name);
    }

    [Fact]
    public async Task The_dm_header_follows_members_added_and_removed_elsewhere()
    {
        var owner = await App.NewUserAsync("owner");
        var first = await App.NewUserAsync("first");
        var later = await App.NewUserAsync("later");
        var dm = (await owner.Client.CreateDmAsync(first.Id)).Id();
        await SignInAsync(owner.Username);
        RenderProviders();
        var page = Render<Messages>(p => p.Add(m => m.ChannelId, dm));
        page.WaitForAssertion(() => page.Find("[data-testid='conversation-subtitle']").TextContent.Trim().ShouldBe("2 members"), Live);

        // Through the API, not through this page: another window, another admin, an integration.
        await owner.Client.PostJsonAsync(DmScenario.Members, new { channel_id = dm, user_id = later.Id }).OkJsonAsync();
        page.WaitForAssertion(() => page.Find("[data-testid='conversation-subtitle']").TextContent.Trim().ShouldBe("3 members"), Live);

        var firstsMembership = await owner.Client.MemberIdAsync(dm, first.Id);
        (await owner.Client.DeleteAsync($"{DmScenario.Members}/{firstsMembership}")).EnsureSuccessStatusCode();
        page.WaitForAssertion(() => page.Find("[data-testid='conversation-subtitle']").TextContent.Trim().ShouldBe("2 members"), Live);
    }
}

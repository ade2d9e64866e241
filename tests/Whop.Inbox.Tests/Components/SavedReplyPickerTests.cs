using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Components;
using Whop.Inbox.Messaging.Polls;
using Whop.Inbox.Support.SavedReplies;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Components;

/// <summary>The saved replies' list in the team's composer: opened with /, filtered, keyboard and mouse, and nowhere else.</summary>
public sealed class SavedReplyPickerTests(InboxApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(15);
    private static readonly ReplyPlaceholders.Values Here = new("Ada Lovelace", "ada", "Maya Agent");

    [Fact]
    public async Task Typing_a_slash_at_the_start_opens_the_list_and_what_follows_filters_it()
    {
        var (composer, tag) = await ComposerWithRepliesAsync();
        var input = composer.Find("[data-testid='composer-input']");
        input.GetAttribute("data-reply-picker").ShouldBe("closed");

        await input.InputAsync(new ChangeEventArgs { Value = "/" });
        composer.WaitForAssertion(() =>
        {
            composer.FindAll("[data-testid='reply-picker']").Count.ShouldBe(1);
            composer.Find("[data-testid='composer-input']").GetAttribute("data-reply-picker").ShouldBe("open");
        }, Live);

        await TypeAsync(composer, $"/{tag}");
        composer.WaitForAssertion(() => OptionNames(composer).ShouldBe([$"{tag} Refund", $"{tag} Shipping"]), Live);
        composer.Find("[data-testid='composer-input']").GetAttribute("aria-activedescendant").ShouldNotBeNull("the first is chosen");

        await TypeAsync(composer, $"/{tag} SHIP");
        composer.WaitForAssertion(() => OptionNames(composer).ShouldBe([$"{tag} Shipping"]), Live);

        await TypeAsync(composer, $"/{tag} nothing like it");
        composer.WaitForAssertion(() =>
        {
            composer.Find("[data-testid='reply-picker-empty']").TextContent.ShouldContain("No saved reply matches");
            composer.Find("[data-testid='reply-picker-manage']").GetAttribute("href").ShouldBe("saved-replies");
        }, Live);

        await TypeAsync(composer, $"Hello /{tag}");
        composer.WaitForAssertion(() => composer.FindAll("[data-testid='reply-picker']").ShouldBeEmpty("only a slash at the very start opens it"), Live);
    }

    [Fact]
    public async Task Arrow_keys_and_enter_insert_the_chosen_reply_with_the_customers_name_filled_in_and_nothing_is_sent()
    {
        var sent = new List<string>();
        var (composer, tag) = await ComposerWithRepliesAsync(sent);
        await TypeAsync(composer, $"/{tag}");
        composer.WaitForAssertion(() => OptionNames(composer).Count.ShouldBe(2), Live);

        await KeyAsync(composer, "ArrowDown");
        await KeyAsync(composer, "ArrowDown");
        await KeyAsync(composer, "ArrowUp");
        composer.WaitForAssertion(() => composer.Find("[role='option'][aria-selected='true']").TextContent.ShouldContain($"{tag} Shipping"), Live);
        await KeyAsync(composer, "ArrowUp");
        composer.WaitForAssertion(() => composer.Find("[role='option'][aria-selected='true']").TextContent.ShouldContain($"{tag} Refund"), Live);
        await KeyAsync(composer, "Enter");

        composer.WaitForAssertion(() =>
        {
            composer.FindAll("[data-testid='reply-picker']").ShouldBeEmpty();
            composer.Find("[data-testid='composer-input']").GetAttribute("value")
                .ShouldBe("Hi Ada Lovelace (@ada), your refund is on its way. {order.id} — Maya Agent");
            composer.Find("[data-testid='composer-input']").GetAttribute("data-reply-picker").ShouldBe("closed");
        }, Live);
        sent.ShouldBeEmpty("inserting is not sending: the text stays editable");
    }

    [Fact]
    public async Task Escape_closes_the_list_and_keeps_the_text_until_the_slash_is_typed_again()
    {
        var (composer, tag) = await ComposerWithRepliesAsync();
        await TypeAsync(composer, $"/{tag}");
        composer.WaitForAssertion(() => OptionNames(composer).Count.ShouldBe(2), Live);

        await KeyAsync(composer, "Escape");
        composer.WaitForAssertion(() => composer.FindAll("[data-testid='reply-picker']").ShouldBeEmpty(), Live);
        composer.Find("[data-testid='composer-input']").GetAttribute("value").ShouldBe($"/{tag}");

        await TypeAsync(composer, $"/{tag} s");
        composer.FindAll("[data-testid='reply-picker']").ShouldBeEmpty("closed with Esc, it stays closed while the slash stays");

        await TypeAsync(composer, "");
        await TypeAsync(composer, $"/{tag}");
        composer.WaitForAssertion(() => OptionNames(composer).Count.ShouldBe(2), Live);
    }

    [Fact]
    public async Task A_click_inserts_a_reply_too()
    {
        var (composer, tag) = await ComposerWithRepliesAsync();
        await TypeAsync(composer, $"/{tag} ship");
        composer.WaitForAssertion(() => OptionNames(composer).ShouldBe([$"{tag} Shipping"]), Live);

        await composer.Find("[data-testid='reply-option']").MouseDownAsync(new MouseEventArgs());

        composer.WaitForAssertion(() =>
            composer.Find("[data-testid='composer-input']").GetAttribute("value").ShouldBe("Your parcel ships today, Ada Lovelace."), Live);
    }

    [Fact]
    public async Task A_composer_without_saved_replies_offers_none_and_a_slash_is_just_text()
    {
        var agent = await App.NewTeamMemberAsync("moderator");
        var viewer = await SignInAsync(agent.Username);
        var composer = Render<Composer>(p => p
            .Add(c => c.ChannelId, "feed_nothing")
            .Add(c => c.Actor, viewer.Actor)
            .Add(c => c.Ready, true)
            .Add(c => c.Send, (_, _, _, _) => Task.FromResult<string?>(null)));

        await TypeAsync(composer, "/refund");

        composer.FindAll("[data-testid='reply-picker']").ShouldBeEmpty();
        composer.Find("[data-testid='composer-input']").HasAttribute("data-reply-picker").ShouldBeFalse();
        composer.Find("[data-testid='composer-input']").GetAttribute("value").ShouldBe("/refund");
    }

    [Fact]
    public async Task The_inbox_offers_saved_replies_in_the_teams_composer_of_a_support_chat()
    {
        var customer = await App.NewUserAsync("customer");
        var companyId = await App.CompanyIdAsync();
        var chat = (await App.Backend().PostJsonAsync("/api/v1/support_channels", new { company_id = companyId, user_id = customer.Id }).OkJsonAsync()).Id();
        await customer.Client.SendAsync(chat, "Where is my parcel?");
        await SignInAsync("maya");
        RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"inbox?status=all&customer={customer.Username}&chat={chat}");

        var inbox = Render<Whop.Inbox.Support.Pages.Inbox>();

        inbox.WaitForAssertion(() => inbox.Find("[data-testid='composer-input']").GetAttribute("data-reply-picker").ShouldBe("closed"), Live);
        inbox.Find("[data-testid='composer']").TextContent.ShouldContain("/ inserts a saved reply");
    }

    /// <summary>A new agent with two personal replies named after a tag no other test uses, and their composer offering them.</summary>
    private async Task<(IRenderedComponent<Composer> Composer, string Tag)> ComposerWithRepliesAsync(List<string>? sent = null)
    {
        var agent = await App.NewTeamMemberAsync("moderator");
        var tag = $"t{Guid.NewGuid():N}"[..10];
        await agent.Client.PostJsonAsync("/api/v1/saved_replies",
            new { name = $"{tag} Shipping", content = "Your parcel ships today, {customer.name}." }).OkJsonAsync();
        await agent.Client.PostJsonAsync("/api/v1/saved_replies",
            new { name = $"{tag} Refund", content = "Hi {customer.name} (@{customer.username}), your refund is on its way. {order.id} — {agent.name}" }).OkJsonAsync();
        var viewer = await SignInAsync(agent.Username);
        var companyId = await App.CompanyIdAsync();
        var composer = Render<Composer>(p => p
            .Add(c => c.ChannelId, "feed_picker")
            .Add(c => c.Actor, viewer.Actor)
            .Add(c => c.Ready, true)
            .Add(c => c.AllowNotes, true)
            .Add(c => c.SavedReplies, new SavedReplyTarget(companyId, Here))
            .Add(c => c.Send, (Func<string, MessageVisibility, PollDraft?, IReadOnlyList<string>, Task<string?>>)((text, _, _, _) =>
            {
                sent?.Add(text);
                return Task.FromResult<string?>(null);
            })));
        return (composer, tag);
    }

    private static Task TypeAsync(IRenderedComponent<Composer> composer, string text) =>
        composer.Find("[data-testid='composer-input']").InputAsync(new ChangeEventArgs { Value = text });

    private static Task KeyAsync(IRenderedComponent<Composer> composer, string key) =>
        composer.Find("[data-testid='composer-input']").KeyDownAsync(new KeyboardEventArgs { Key = key });

    private static List<string> OptionNames(IRenderedComponent<Composer> composer) =>
        composer.FindAll("[data-testid='reply-option'] .reply-option-name").Select(o => o.TextContent).ToList();
}

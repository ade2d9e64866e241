using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Admission;
using Whop.Inbox.Components.Shared;
using Whop.Inbox.E2E.Pages;

namespace Whop.Inbox.E2E;

/// <summary>
/// While the instance is at its bound on database work, the pages refuse what they cannot do with a
/// notice and keep what was typed; the same page carries on once the bound has room again.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BusyInboxTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_busy_inbox_keeps_the_draft_and_refuses_a_resolve_with_a_notice_and_both_work_once_it_has_room()
    {
        // Tomás's chat, opened by the company just now: no other test touches it.
        var backend = new Whop.Inbox.Identity.Rights.Actor(null, Whop.Inbox.Identity.Rights.Credential.ApiKey,
            await Fixture.App.Services.GetRequiredService<Whop.Inbox.Team.DefaultCompany>().IdAsync(), "key_test", new HashSet<string>());
        (await Fixture.App.Services.GetRequiredService<Whop.Inbox.Support.SupportChats>().OpenAsync(backend, null, "tomas", null))
            .Failure.ShouldBeNull();

        var page = await Fixture.NewPageAsync();
        await new SignInPage(page).SignInAndWaitAsync("omar");
        var inbox = new InboxPage(page);
        await page.GotoAsync("/inbox?status=all&customer=tomas");
        await new Shell(page).WaitUntilInteractiveAsync();
        await inbox.Row("Tomás Novak").ClickAsync();
        await Assertions.Expect(inbox.ConversationTitle).ToHaveTextAsync("Tomás Novak");
        await inbox.Composer.FillAsync("Sent once there is room");

        var admission = Fixture.App.Services.GetRequiredService<DatabaseAdmission>();
        var held = new List<DatabaseAdmission.Admitted>();
        using var done = new CancellationTokenSource();
        // Everything the instance admits, held by others (requests in flight, as far as it can tell), and kept
        // so: a place that other work (an earlier story's page) gives back meanwhile is taken again at once.
        var holding = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                lock (held)
                {
                    while (admission.TryAdmit(new Caller($"elsewhere:{held.Count}", null)) is { } place) held.Add(place);
                }
                await Task.Delay(1);
            }
        });
        try
        {
            while (admission.Held < admission.Capacity) await Task.Delay(10);

            await inbox.Composer.PressAsync("Enter");
            await Assertions.Expect(inbox.SendError).ToContainTextAsync("The inbox is busy right now. Your text is still here");
            await Assertions.Expect(inbox.Composer).ToHaveValueAsync("Sent once there is room");

            await page.GetByTestId("resolve").ClickAsync();
            await Assertions.Expect(page.GetByText(InboxComponent.BusyNotice)).ToBeVisibleAsync();
            await Assertions.Expect(inbox.ConversationStatus).Not.ToContainTextAsync("Resolved");
        }
        finally
        {
            await done.CancelAsync();
            await holding;
            foreach (var place in held) place.Dispose();
        }

        // The same page, no reload: both go through now.
        await inbox.Composer.PressAsync("Enter");
        await Assertions.Expect(inbox.Message("Sent once there is room")).ToBeVisibleAsync();
        await Assertions.Expect(inbox.Composer).ToHaveValueAsync("");
        await page.GetByTestId("resolve").ClickAsync();
        await Assertions.Expect(inbox.History.GetByTestId("system-message").Last).ToContainTextAsync("Omar Haddad resolved this chat");
    }
}

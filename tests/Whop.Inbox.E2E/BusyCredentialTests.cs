using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Common;
using Whop.Inbox.E2E.Pages;
using Whop.Inbox.Identity;

namespace Whop.Inbox.E2E;

[Collection(BrowserCollection.Name)]
public sealed class BusyCredentialTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    /// <summary>
    /// The REST API and the chat hub share one allowance per person. The pages' own connection does not
    /// draw on it: its clicks and script replies were once refused as "rate_limited" whenever the person's
    /// allowance ran out, and the page silently ignored them.
    /// </summary>
    [Fact]
    public async Task The_pages_answer_while_the_same_person_has_used_up_their_API_allowance()
    {
        var page = await Fixture.NewPageAsync();
        await new SignInPage(page).SignInAndWaitAsync("maya");
        var inbox = new InboxPage(page);
        await Assertions.Expect(inbox.Rows.First).ToBeVisibleAsync();

        // Maya's allowance, spent all along by something else acting as her (an integration, another tab's script).
        var maya = await UserIdAsync("maya");
        using var stop = new CancellationTokenSource();
        var refusals = Task.Run(async () =>
        {
            var buckets = Fixture.App.Services.GetRequiredService<CredentialBuckets>();
            var refused = 0;
            while (!stop.IsCancellationRequested)
            {
                using var lease = buckets.Take($"user:{maya}");
                if (lease.IsAcquired) continue;
                refused++;
                await Task.Delay(5);
            }
            return refused;
        });

        // Read-only steps (the seeded resolved and waiting chats stay as the other tests expect them).
        await inbox.Tab("resolved").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("status=resolved"));
        await inbox.Row("Ben Okafor").ClickAsync();
        await Assertions.Expect(inbox.ConversationTitle).ToHaveTextAsync("Ben Okafor");
        await inbox.Tab("waiting").ClickAsync();
        await Assertions.Expect(inbox.Row("Chloe Park")).ToBeVisibleAsync();

        await stop.CancelAsync();
        (await refusals).ShouldBeGreaterThan(0, "the allowance was spent while the page was used");
    }

    private async Task<string> UserIdAsync(string username)
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        return (await users.FindByNameAsync(username))!.Id;
    }
}

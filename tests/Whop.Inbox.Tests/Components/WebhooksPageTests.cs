using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.TestSupport;
using Whop.Inbox.Webhooks;
using Whop.Inbox.Webhooks.Pages;

namespace Whop.Inbox.Tests.Components;

/// <summary>The webhooks settings page over the real services, as the demo company's admin sees it.</summary>
public sealed class WebhooksPageTests(InboxApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Adding_an_endpoint_shows_its_secret_once_and_registers_it()
    {
        var admin = await SignInAsync(DemoData.AdminUserName);
        var url = $"https://192.0.2.10/hooks/{Guid.NewGuid():N}";
        var page = OpenPage();

        page.Find("[data-testid='webhook-url']").Input(url);
        page.Find("[data-testid='webhook-topic-message.created']").Change(true);
        page.Find("[data-testid='webhook-topic-support_chat.resolved']").Change(true);
        page.Find("[data-testid='webhook-include-notes']").Change(true);
        page.Find("form[aria-label='Add a webhook endpoint']").Submit();

        page.WaitForAssertion(() => page.Find("[data-testid='webhook-secret']").TextContent.Trim().ShouldStartWith(WebhookIds.Secret), Soon);
        var secret = page.Find("[data-testid='webhook-secret']").TextContent.Trim();
        var row = page.FindAll("[data-testid='webhook-row']").Single(r => r.TextContent.Contains(url));
        row.TextContent.ShouldContain("message.created");
        row.TextContent.ShouldContain("support_chat.resolved");
        row.TextContent.ShouldContain("Team notes");
        page.Find("[data-testid='webhook-url']").GetAttribute("value").ShouldBeNullOrEmpty();

        var listed = (await Hooks.ListAsync(admin.Actor, admin.CompanyId)).Value!.Single(e => e.Url == url);
        listed.Events.ShouldBe(["message.created", "support_chat.resolved"]);
        listed.IncludeTeamNotes.ShouldBeTrue();
        listed.Enabled.ShouldBeTrue();

        // Shown once: the page opened again lists the endpoint, never the secret.
        var again = OpenPage();
        again.WaitForAssertion(() => again.FindAll("[data-testid='webhook-row']").ShouldContain(r => r.TextContent.Contains(url)), Soon);
        again.FindAll("[data-testid='webhook-secret']").ShouldBeEmpty();
        again.Markup.ShouldNotContain(secret);
        await Hooks.DeleteAsync(admin.Actor, listed.Id);
    }

    [Fact]
    public async Task A_plain_http_url_is_refused_at_the_url_field_and_what_was_typed_stays()
    {
        var admin = await SignInAsync(DemoData.AdminUserName);
        var before = (await Hooks.ListAsync(admin.Actor, admin.CompanyId)).Value!.Count;
        var page = OpenPage();

        page.Find("[data-testid='webhook-url']").Input("http://example.com/hook");
        page.Find("[data-testid='webhook-topic-message.created']").Change(true);
        page.Find("form[aria-label='Add a webhook endpoint']").Submit();

        // The service's reason, under the field it names.
        page.WaitForAssertion(() => page.Find("[data-testid='webhook-url']").Closest(".mud-input-control")!.TextContent.ShouldContain("url must use https://"), Soon);
        page.Find("[data-testid='webhook-url']").GetAttribute("aria-invalid").ShouldBe("true");
        page.Find("[data-testid='webhook-url']").GetAttribute("value").ShouldBe("http://example.com/hook");
        page.Find("[data-testid='webhook-topic-message.created']").HasAttribute("checked").ShouldBeTrue();
        page.FindAll("[data-testid='webhook-secret']").ShouldBeEmpty();
        page.FindAll("[data-testid='webhook-form-error']").ShouldBeEmpty();
        (await Hooks.ListAsync(admin.Actor, admin.CompanyId)).Value!.Count.ShouldBe(before);
    }

    [Fact]
    public async Task An_endpoint_the_app_turned_off_after_days_of_failures_is_announced_at_the_top()
    {
        var admin = await SignInAsync(DemoData.AdminUserName);
        var url = $"https://192.0.2.11/hooks/{Guid.NewGuid():N}";
        var created = (await Hooks.CreateAsync(admin.Actor, admin.CompanyId, url, ["message.created"], includeTeamNotes: false, secret: null)).Value!;
        try
        {
            await FailForThreeDaysAsync(created.Endpoint.Id);

            var page = OpenPage();

            page.WaitForAssertion(() => page.Find("[data-testid='webhook-disabled-alert']").TextContent.ShouldContain("turned off"), Soon);
            var row = page.FindAll("[data-testid='webhook-row']").Single(r => r.TextContent.Contains(url));
            row.QuerySelector("[data-testid='webhook-row-disabled']")!.TextContent.ShouldContain("Every delivery failed for 3 days.");
            (await Services.GetRequiredService<WebhookWarnings>().CountAsync(admin)).ShouldBeGreaterThan(0);

            // Turned on again: the warning goes, and the nav link is told.
            var told = new List<int>();
            Services.GetRequiredService<WebhookWarnings>().Changed += told.Add;
            page.FindAll("[data-testid='webhook-row']").Single(r => r.TextContent.Contains(url)).QuerySelector("[data-testid='webhook-toggle']")!.Change(true);
            page.WaitForAssertion(() => page.FindAll("[data-testid='webhook-disabled-alert']").ShouldBeEmpty(), Soon);
            told.ShouldBe([0]);
            (await Hooks.GetAsync(admin.Actor, created.Endpoint.Id)).Value!.Enabled.ShouldBeTrue();
        }
        finally
        {
            await Hooks.DeleteAsync(admin.Actor, created.Endpoint.Id);
        }
    }

    [Fact]
    public async Task The_delivery_log_lists_attempts_newest_first_and_sends_one_again()
    {
        var admin = await SignInAsync(DemoData.AdminUserName);
        var url = $"https://192.0.2.12/hooks/{Guid.NewGuid():N}";
        var created = (await Hooks.CreateAsync(admin.Actor, admin.CompanyId, url, ["message.created"], includeTeamNotes: false, secret: null)).Value!;
        // (Sent again, the delivery is pending: the sender may take it up at once, and it stays pending while it fails.)
        try
        {
            var deliveryId = await TwoAttemptsAsync(created.Endpoint.Id);
            var page = OpenPage();
            page.WaitForAssertion(() => page.FindAll("[data-testid='webhook-row']").ShouldContain(r => r.TextContent.Contains(url)), Soon);

            // Found and clicked in one turn of the renderer: the page redraws as deliveries change, which would retire a button found earlier.
            await page.InvokeAsync(() => page.FindAll("[data-testid='webhook-row']").Single(r => r.TextContent.Contains(url))
                .QuerySelector("[data-testid='webhook-log']")!.Click());

            page.WaitForAssertion(() => page.FindAll("[data-testid='webhook-attempt']").Count.ShouldBe(2), Soon);
            var attempts = page.FindAll("[data-testid='webhook-attempt']");
            attempts[0].TextContent.ShouldContain("HTTP 503");
            attempts[0].TextContent.ShouldContain("try later");
            attempts[1].TextContent.ShouldContain("connection refused");
            page.FindAll("[data-testid='webhook-log-more']").ShouldBeEmpty();

            await page.InvokeAsync(() => page.FindAll("[data-testid='webhook-attempt']")[0].QuerySelector("[data-testid='webhook-send-again']")!.Click());

            page.WaitForAssertion(() => page.Find("[data-testid='webhook-notice']").TextContent.ShouldContain("again"), Soon);
            await using var db = await App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
            (await db.WebhookDeliveries.SingleAsync(d => d.Id == deliveryId)).State.ShouldBe(DeliveryState.Pending);
        }
        finally
        {
            await Hooks.DeleteAsync(admin.Actor, created.Endpoint.Id);
        }
    }

    private WebhookService Hooks => App.Services.GetRequiredService<WebhookService>();

    private bool _providers;

    /// <summary>The page as a navigation to it renders it: from its start (MudBlazor's providers once per test).</summary>
    private IRenderedComponent<WebhooksPage> OpenPage()
    {
        if (!_providers) RenderProviders();
        _providers = true;
        return Render<WebhooksPage>();
    }

    /// <summary>A delivery given up after two failed attempts, a minute apart: no answer, then a 503.</summary>
    private async Task<string> TwoAttemptsAsync(string endpointId)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var delivery = new WebhookDelivery(endpointId, "message.created", "{}", now.AddMinutes(-2));
        db.WebhookDeliveries.Add(delivery);
        db.WebhookAttempts.Add(new WebhookAttempt(delivery, now.AddMinutes(-2), status: null, latencyMs: 3, error: "connection refused", excerpt: null));
        db.WebhookAttempts.Add(new WebhookAttempt(delivery, now.AddMinutes(-1), status: 503, latencyMs: 41, error: null, excerpt: "try later"));
        delivery.Failed(now, giveUp: true);
        await db.SaveChangesAsync();
        return delivery.Id;
    }

    /// <summary>As the sender does it: every attempt fails, the first three days ago and the last now, so the endpoint is turned off.</summary>
    private async Task FailForThreeDaysAsync(string endpointId)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var endpoint = await db.WebhookEndpoints.SingleAsync(e => e.Id == endpointId);
        var limit = TimeSpan.FromDays(3);
        var now = DateTimeOffset.UtcNow;
        endpoint.Failing(now - limit, limit).ShouldBeFalse();
        endpoint.Failing(now, limit).ShouldBeTrue();
        await db.SaveChangesAsync();
    }
}

using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Admission;
using Whop.Inbox.TestSupport;
using Whop.Inbox.Tests.Realtime;

namespace Whop.Inbox.Tests.Admission;

/// <summary>The app with a bound of 4 pieces of database work at once: a caller's share is 2, a company's 3 (past it, 1 must stay free).</summary>
public sealed class SmallBoundApp : InboxApp
{
    public const int Bound = 4;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Inbox:Admission:MaxConcurrent", $"{Bound}");
        builder.UseSetting("Inbox:RateLimit:RequestsPerSecond", "0");
    }

    public DatabaseAdmission Admission => Services.GetRequiredService<DatabaseAdmission>();
}

/// <summary>
/// Work over the bound is refused at once (REST 503 with Retry-After, the hub <c>busy</c>), and accepted
/// again as soon as it drains; one caller cannot take the whole bound. Places are held here directly
/// (as requests in flight would hold them), so the tests count answers instead of racing timings.
/// </summary>
public sealed class BoundedWorkTests(SmallBoundApp app) : IClassFixture<SmallBoundApp>
{
    [Fact]
    public async Task Over_the_bound_REST_answers_503_with_Retry_After_and_the_hub_busy_and_both_accept_again_once_it_drains()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        using var hub = await RawHubConnection.OpenAsync(app, customer.Token());

        var held = HoldAll();
        var refused = await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "While full", client_message_id = "full-1" });
        await hub.InvokeAsync("1", "Subscribe", chat, null);
        var hubAnswer = (await hub.CompletionErrorsAsync(1)).Values.Single();
        foreach (var place in held) place.Dispose();

        var problem = await refused.ShouldBeProblemAsync(503);
        refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        problem["error"]!["type"]!.GetValue<string>().ShouldBe("unavailable");
        problem["error"]!["message"]!.GetValue<string>().ShouldContain("busy");
        hubAnswer.ShouldNotBeNull().ShouldContain("busy: The inbox is busy right now; retry in 1 s.");

        // Drained: the same send (its retry key) is accepted once, and the hub call goes through.
        (await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "While full", client_message_id = "full-1" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        await hub.InvokeAsync("2", "Subscribe", chat, null);
        (await hub.CompletionErrorsAsync(1)).Values.Single().ShouldBeNull();
        var messages = await customer.Client.GetAsync($"/api/v1/messages?channel_id={chat}").OkJsonAsync();
        messages["data"]!.AsArray().Count(m => m!["content"]!.GetValue<string>() == "While full").ShouldBe(1);
        app.Admission.Held.ShouldBe(0, "every place came back");
    }

    [Fact]
    public async Task A_caller_at_its_share_is_refused_while_another_caller_of_the_same_company_is_still_admitted()
    {
        var flooder = await app.NewUserAsync("customer");
        var other = await app.NewUserAsync("customer");
        var company = await app.CompanyIdAsync();

        // The flooder's requests in flight: its share, half the bound.
        var flood = Enumerable.Range(0, 2).Select(_ => app.Admission.TryAdmit(new Caller($"user:{flooder.Id}", company))).ToList();
        flood.ShouldAllBe(place => place != null);
        try
        {
            await (await flooder.Client.GetAsync("/api/v1/dm_channels")).ShouldBeProblemAsync(503);
            (await other.Client.GetAsync("/api/v1/dm_channels")).StatusCode.ShouldBe(HttpStatusCode.OK, "the rest of the bound is the others'");
        }
        finally
        {
            foreach (var place in flood) place!.Dispose();
        }
        (await flooder.Client.GetAsync("/api/v1/dm_channels")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public void A_company_past_its_share_leaves_the_last_quarter_to_the_others()
    {
        // Three quarters of 4 held by three callers of one company (each within its own share).
        var held = Enumerable.Range(0, 3).Select(i => app.Admission.TryAdmit(new Caller($"user:many-{i}", "biz_busy"))).ToList();
        try
        {
            held.ShouldAllBe(place => place != null);
            app.Admission.TryAdmit(new Caller("user:one-more", "biz_busy")).ShouldBeNull("the company is past its share and only the reserve is free");
            using var otherCompany = app.Admission.TryAdmit(new Caller("key:elsewhere", "biz_other"));
            otherCompany.ShouldNotBeNull("another company takes the last place");
        }
        finally
        {
            foreach (var place in held) place?.Dispose();
        }
    }

    private List<DatabaseAdmission.Admitted> HoldAll()
    {
        var held = new List<DatabaseAdmission.Admitted>();
        for (var i = 0; i < SmallBoundApp.Bound; i++) held.Add(app.Admission.TryAdmit(new Caller($"holder:{i}", null))!);
        held.ShouldAllBe(place => place != null);
        app.Admission.TryAdmit(new Caller("one-more", null)).ShouldBeNull("the bound is full");
        return held;
    }
}

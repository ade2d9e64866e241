using System.Net;
using Whop.Inbox.Tests.Realtime;

namespace Whop.Inbox.Tests.Common;

/// <summary>REST calls and hub calls draw on one bucket per credential.</summary>
public sealed class SharedRateLimitTests(StrictLimitsApp app) : IClassFixture<StrictLimitsApp>
{
    [Fact]
    public async Task A_credential_whose_REST_allowance_is_used_up_is_refused_on_the_hub_too()
    {
        var customer = await app.NewUserAsync("customer");
        using var hub = await RawHubConnection.OpenAsync(app, customer.Token());

        var statuses = await Task.WhenAll(Enumerable.Range(0, StrictLimitsApp.Burst + 3).Select(_ => customer.Client.GetAsync("/api/v1/dm_channels")));
        statuses.ShouldContain(r => r.StatusCode == HttpStatusCode.TooManyRequests);

        for (var i = 1; i <= 3; i++) await hub.InvokeAsync($"{i}", "UnsubscribeInbox");
        var errors = await hub.CompletionErrorsAsync(3);
        // At most one token can come back (one a second) while the calls are on their way.
        errors.Values.Count(e => e?.Contains("rate_limited:") == true).ShouldBeGreaterThanOrEqualTo(2, string.Join(" | ", errors.Values));
    }

    [Fact]
    public async Task Hub_calls_use_up_the_allowance_of_the_REST_API()
    {
        var customer = await app.NewUserAsync("customer");
        using var hub = await RawHubConnection.OpenAsync(app, customer.Token());

        for (var i = 1; i <= StrictLimitsApp.Burst + 3; i++) await hub.InvokeAsync($"{i}", "UnsubscribeInbox");
        var errors = await hub.CompletionErrorsAsync(StrictLimitsApp.Burst + 3);
        errors.Values.ShouldContain(e => e != null && e.Contains("rate_limited:"));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => customer.Client.GetAsync("/api/v1/dm_channels")));
        statuses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests).ShouldBeGreaterThanOrEqualTo(2);
        statuses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests).Headers.RetryAfter.ShouldNotBeNull();
    }
}

using System.Text.Json.Nodes;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Realtime;

/// <summary>A refused hub call is the caller's answer, not an error of the server: it is answered and not logged.</summary>
[Collection(AppCollection.Name)]
public sealed class HubFailureLogTests(InboxApp app)
{
    [Fact]
    public async Task A_refused_send_is_answered_with_its_reason_and_leaves_no_error_in_the_servers_log()
    {
        var customer = await app.NewUserAsync("customer");
        var missing = $"chn_{Guid.NewGuid():N}";
        using var hub = await RawHubConnection.OpenAsync(app, customer.Token());

        await hub.InvokeAsync("1", "SendMessage", new JsonObject { ["channel_id"] = missing, ["content"] = "to nowhere" });
        var error = (await hub.CompletionErrorsAsync(1))["1"];

        error.ShouldNotBeNull();
        error.ShouldContain(missing);
        // The server logs its warnings and errors as it goes: the refusal, answered already, would be there.
        var log = File.Exists(app.LogPath) ? await File.ReadAllTextAsync(app.LogPath) : "";
        log.ShouldNotContain(missing);
    }
}

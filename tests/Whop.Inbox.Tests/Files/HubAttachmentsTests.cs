using System.Text.Json.Nodes;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Files;

[Collection(AppCollection.Name)]
public sealed class HubAttachmentsTests(InboxApp app)
{
    [Fact]
    public async Task The_hubs_send_takes_attachments_and_the_event_carries_them()
    {
        var customer = await app.NewUserAsync("customer");
        var agent = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var shot = await customer.Client.UploadOkAsync("shot.png", "image/png", TestFiles.Png());

        using var teamHub = await RawHubConnection.OpenAsync(app, agent.Token());
        await teamHub.InvokeAsync("1", "Subscribe", chat, null);
        (await teamHub.CompletionErrorsAsync(1)).Values.ShouldAllBe(error => error == null);
        using var customerHub = await RawHubConnection.OpenAsync(app, customer.Token());
        await customerHub.InvokeAsync("1", "SendMessage", new JsonObject
        {
            ["channel_id"] = chat, ["content"] = "From the hub", ["attachments"] = new JsonArray(new JsonObject { ["id"] = shot.Id() }),
        });
        (await customerHub.CompletionErrorsAsync(1)).Values.ShouldAllBe(error => error == null);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonNode? created = null;
        while (created is null && DateTime.UtcNow < deadline)
        {
            created = (await teamHub.ReadAsync(deadline - DateTime.UtcNow))
                .Where(m => m["type"]?.GetValue<int>() == 1 && m["target"]?.GetValue<string>() == "event")
                .Select(m => m["arguments"]![0]!["data"]?["message"])
                .FirstOrDefault(m => m?["content"]?.GetValue<string>() == "From the hub");
        }
        created.ShouldNotBeNull();
        var attachment = created["attachments"]!.AsArray().Single()!;
        attachment.Id().ShouldBe(shot.Id());
        attachment["url"]!.GetValue<string>().ShouldBe($"/api/v1/files/{shot.Id()}/content");
        attachment["width"]!.GetValue<int>().ShouldBe(40);
    }
}

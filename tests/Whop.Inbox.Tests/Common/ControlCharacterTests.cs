using System.Text.Json.Nodes;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Common;

/// <summary>
/// NUL and the other C0 control characters (but tab, newline and carriage return) in any string a
/// client sends: a 400 naming the field, never a 500 from the database, and nothing stored.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ControlCharacterTests(InboxApp app)
{
    [Fact]
    public async Task NUL_in_a_message_its_edit_its_client_id_or_a_reaction_is_a_400_naming_the_field()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);

        await (await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "hello\u0000world" }))
            .ShouldBeProblemAsync(400, "content");
        await (await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "hello", client_message_id = "c-\u0000" }))
            .ShouldBeProblemAsync(400, "client_message_id");
        await (await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "bell \u0007" }))
            .ShouldBeProblemAsync(400, "content");

        // Tab, newline and carriage return are text.
        var sent = await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "line one\r\n\tline two" }).OkJsonAsync();
        await (await customer.Client.PatchJsonAsync($"/api/v1/messages/{sent.Id()}", new { content = "edited\u0000" }))
            .ShouldBeProblemAsync(400, "content");
        await (await customer.Client.PostJsonAsync("/api/v1/reactions", new { resource_id = sent.Id(), emoji = "\u0000" }))
            .ShouldBeProblemAsync(400, "emoji");
        await (await customer.Client.DeleteAsync($"/api/v1/reactions/{sent.Id()}?emoji=%00")).ShouldBeProblemAsync(400, "emoji");
        // In the path, the server refuses it before any endpoint runs.
        ((int)(await customer.Client.GetAsync($"/api/v1/messages/{sent.Id()}%00")).StatusCode).ShouldBe(400);
        await (await customer.Client.GetAsync($"/api/v1/messages?channel_id={chat}%00")).ShouldBeProblemAsync(400, "channel_id");

        var history = await customer.Client.GetAsync($"/api/v1/messages?channel_id={chat}").OkJsonAsync();
        history["data"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()).ShouldBe(["line one\r\n\tline two"]);
    }

    [Fact]
    public async Task NUL_in_a_DM_name_a_user_sync_or_an_API_key_name_is_a_400_naming_the_field()
    {
        var person = await app.NewUserAsync("customer");
        await (await app.Backend().PostJsonAsync("/api/v1/dm_channels", new { with_user_ids = new[] { person.Id, "alice" }, custom_name = "a\u0000b" }))
            .ShouldBeProblemAsync(400, "custom_name");
        await (await app.Backend().PostJsonAsync("/api/v1/dm_channels", new { with_user_ids = new[] { person.Id, "alice\u0000" } }))
            .ShouldBeProblemAsync(400, "with_user_ids");
        var dm = await app.Backend().PostJsonAsync("/api/v1/dm_channels", new { with_user_ids = new[] { person.Id, "alice" } }).OkJsonAsync();
        await (await app.Backend().PatchJsonAsync($"/api/v1/dm_channels/{dm.Id()}", new { custom_name = "\u0000" }))
            .ShouldBeProblemAsync(400, "custom_name");

        var username = $"nul-{Guid.NewGuid():N}"[..20];
        await (await app.Backend().PostJsonAsync("/api/v1/users", new { username, name = "Nul\u0000Name" })).ShouldBeProblemAsync(400, "name");
        await (await app.Backend().PostJsonAsync("/api/v1/users", new { username, email = "a\u0000@example.com" })).ShouldBeProblemAsync(400, "email");
        await (await app.Backend().PostJsonAsync("/api/v1/users", new { username, external_id = "x\u0000" })).ShouldBeProblemAsync(400, "external_id");
        await (await app.Backend().GetAsync($"/api/v1/users/{username}")).ShouldBeProblemAsync(404);

        await (await app.Backend().PostJsonAsync("/api/v1/api_keys", new { name = "key\u0000" })).ShouldBeProblemAsync(400, "name");
        await (await app.Backend().PostJsonAsync("/api/v1/support_channels", new { company_id = await app.CompanyIdAsync(), user_id = person.Id, custom_name = "\u001b[31m" }))
            .ShouldBeProblemAsync(400, "custom_name");
    }

    [Fact]
    public async Task NUL_sent_through_the_hub_is_an_invalid_request_naming_the_field()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        using var hub = await RawHubConnection.OpenAsync(app, customer.Token());

        await hub.InvokeAsync("1", "SendMessage", new JsonObject { ["channel_id"] = chat, ["content"] = "hi\u0000" });
        await hub.InvokeAsync("2", "SendMessage", new JsonObject { ["channel_id"] = chat, ["content"] = "hi", ["client_message_id"] = "\u0000" });
        await hub.InvokeAsync("3", "Subscribe", chat + "\u0000", null);
        await hub.InvokeAsync("4", "SendMessage", new JsonObject { ["channel_id"] = chat, ["content"] = "fine" });
        var errors = await hub.CompletionErrorsAsync(4);

        errors["1"].ShouldNotBeNull().ShouldContain("invalid_request: content must not contain control characters");
        errors["2"].ShouldNotBeNull().ShouldContain("invalid_request: client_message_id must not contain control characters");
        errors["3"].ShouldNotBeNull().ShouldContain("invalid_request: channel_id must not contain control characters");
        errors["4"].ShouldBeNull();
    }
}

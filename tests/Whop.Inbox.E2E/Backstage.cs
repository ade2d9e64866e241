using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Support;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.E2E;

/// <summary>What happens outside the browser under test: customers writing in, through the app's own services and API.</summary>
public static class Backstage
{
    /// <summary>The demo company's id.</summary>
    public static async Task<string> CompanyIdAsync(this BrowserFixture fixture)
    {
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Companies.OrderBy(c => c.CreatedAt).Select(c => c.Id).FirstAsync();
    }

    /// <summary>The demo company's support chat with this customer (by username), read from the database.</summary>
    public static async Task<string> SupportChatIdAsync(this BrowserFixture fixture, string username)
    {
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var customer = await db.Users.Where(u => u.UserName == username).Select(u => u.Id).SingleAsync();
        var companyId = await db.Companies.OrderBy(c => c.CreatedAt).Select(c => c.Id).FirstAsync();
        return await db.Channels.Where(c => c.CompanyId == companyId && c.CustomerId == customer).Select(c => c.Id).SingleAsync();
    }

    /// <summary>A new customer of the demo company, made through the REST API; returns their id.</summary>
    public static async Task<string> NewCustomerAsync(this BrowserFixture fixture, string username, string name)
    {
        using var api = fixture.App.CreateHttpClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InboxApp.BootstrapApiKey);
        var created = await api.PostAsJsonAsync("/api/v1/users", new { username, name });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>The customer's support chat, with a new message from them in it; returns the chat's id.</summary>
    public static async Task<string> CustomerWritesInAsync(this BrowserFixture fixture, string username, string text)
    {
        using var scope = fixture.App.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var customer = await db.Users.Where(u => u.UserName == username).Select(u => u.Id).SingleAsync();
        var companyId = await db.Companies.OrderBy(c => c.CreatedAt).Select(c => c.Id).FirstAsync();
        var asCustomer = new Actor(customer, Credential.Session, null, null, new HashSet<string>());
        var chat = await scope.ServiceProvider.GetRequiredService<SupportChats>().OpenAsync(asCustomer, companyId, customer, null);
        chat.Failure.ShouldBeNull();
        var sent = await scope.ServiceProvider.GetRequiredService<MessageService>().CreateAsync(asCustomer, chat.Value!.Id, text, null);
        sent.Failure.ShouldBeNull();
        return chat.Value.Id;
    }

    /// <summary>Gives a support chat to a team member (by user id), or to nobody (null), through the REST API.</summary>
    public static async Task AssignThroughTheApiAsync(this BrowserFixture fixture, string chatId, string? assigneeId)
    {
        using var api = fixture.App.CreateHttpClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InboxApp.BootstrapApiKey);
        (await api.PatchAsJsonAsync($"/api/v1/support_channels/{chatId}", new { assignee_id = assigneeId })).EnsureSuccessStatusCode();
    }

    /// <summary>Turns the demo company's automatic assignment on or off through the REST API.</summary>
    public static async Task SetAutoAssignThroughTheApiAsync(this BrowserFixture fixture, bool on)
    {
        using var api = fixture.App.CreateHttpClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InboxApp.BootstrapApiKey);
        (await api.PatchAsJsonAsync("/api/v1/support_channels/settings", new { auto_assign = on })).EnsureSuccessStatusCode();
    }

    /// <summary>Resolves a support chat through the REST API, as another app would.</summary>
    public static async Task ResolveThroughTheApiAsync(this BrowserFixture fixture, string chatId)
    {
        using var api = fixture.App.CreateHttpClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InboxApp.BootstrapApiKey);
        (await api.PostAsync($"/api/v1/support_channels/{chatId}/resolve", null)).EnsureSuccessStatusCode();
    }
}

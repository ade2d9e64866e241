using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests;

/// <summary>Small helpers for calling the API the way an SDK would: bearer credential, snake_case JSON.</summary>
internal static class ApiClient
{
    public static HttpClient WithBearer(this InboxApp app, string? credential)
    {
        var client = app.CreateHttpClient();
        if (credential is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        return client;
    }

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("Empty body");
    }

    /// <summary>
    /// Sends as a well-behaved client does: a 503 (the app's bound on database work reached, which
    /// refuses before doing anything) is sent again after its <c>Retry-After</c>. For tests that send
    /// more at once than the bound admits while testing something else.
    /// </summary>
    public static async Task<HttpResponseMessage> RetryingBusyAsync(Func<Task<HttpResponseMessage>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await send();
            if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable || attempt == 20) return response;
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });

    public static Task<HttpResponseMessage> PostRawJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Asserts an API error: the status, a problem-details body with our error object, and nothing that leaks internals.</summary>
    public static async Task<JsonNode> ShouldBeProblemAsync(this HttpResponseMessage response, int status, string? field = null)
    {
        ((int)response.StatusCode).ShouldBe(status, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain("   at ");
        text.ShouldNotContain("Exception");
        var body = JsonNode.Parse(text)!;
        body["status"]!.GetValue<int>().ShouldBe(status);
        body["error"]!["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        if (field is not null) body["error"]!["param"]!.GetValue<string>().ShouldBe(field);
        return body;
    }
}

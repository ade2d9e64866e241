using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Common;

/// <summary>The OpenAPI document describes every answer, and the browsable reference works with nothing but the app.</summary>
[Collection(AppCollection.Name)]
public sealed partial class ApiReferenceTests(InboxApp app)
{
    [Fact]
    public async Task Every_operation_documents_its_success_body_and_its_problems()
    {
        var document = await app.CreateHttpClient().GetAsync("/openapi/v1.json").OkJsonAsync();
        var operations = (from path in document["paths"]!.AsObject()
                          from operation in path.Value!.AsObject()
                          select (Name: $"{operation.Key.ToUpperInvariant()} {path.Key}", Operation: operation.Value!)).ToList();
        operations.Count.ShouldBeGreaterThan(30);

        var missing = new List<string>();
        foreach (var (name, operation) in operations)
        {
            var responses = operation["responses"]!.AsObject();
            var successes = responses.Where(r => r.Key.StartsWith('2')).ToList();
            if (successes.Count == 0) missing.Add($"{name}: no 2xx response");
            foreach (var (status, response) in successes.Where(r => r.Key != "204"))
            {
                // A file's bytes are the one body that is not JSON.
                if (response!["content"]?["application/json"]?["schema"] is null && response["content"]?["application/octet-stream"]?["schema"] is null)
                    missing.Add($"{name}: {status} has no JSON schema");
            }
            foreach (var status in new[] { "400", "401", "403", "404", "422", "429", "503" })
            {
                if (responses[status]?["content"]?["application/problem+json"]?["schema"] is null) missing.Add($"{name}: no {status} problem");
            }
            // The caller is bound from the credential, not sent as a parameter.
            if (operation["parameters"]?.AsArray().Any(p => p!["name"]!.GetValue<string>() == "actor") == true) missing.Add($"{name}: actor parameter");
        }
        missing.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_team_extensions_are_described_assignee_visibility_and_the_assignment_calls()
    {
        var document = await app.CreateHttpClient().GetAsync("/openapi/v1.json").OkJsonAsync();
        var schemas = document["components"]!["schemas"]!;
        schemas["SupportChannelResponse"]!["properties"]!["assignee_id"].ShouldNotBeNull();
        JsonNode Resolve(JsonNode schema) =>
            schema["$ref"]?.GetValue<string>() is { } reference ? schemas[reference.Split('/')[^1]]! : schema;
        Resolve(schemas["MessageResponse"]!["properties"]!["visibility"]!)["enum"]!.AsArray().Select(v => v!.GetValue<string>())
            .ShouldBe(["everyone", "team"]);
        schemas["CreateMessageRequest"]!["properties"]!["visibility"].ShouldNotBeNull();
        var assignee = Resolve(schemas["UpdateSupportChannelRequest"]!["properties"]!["assignee_id"]!);
        assignee["type"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["null", "string"], ignoreOrder: true, "a user id or null");

        var paths = document["paths"]!;
        paths["/api/v1/support_channels/{id}"]!["patch"].ShouldNotBeNull();
        paths["/api/v1/support_channels/settings"]!["patch"].ShouldNotBeNull();
        paths["/api/v1/support_channels"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ShouldContain("assignee_id");
    }

    [Fact]
    public async Task Problems_document_the_error_object()
    {
        var document = await app.CreateHttpClient().GetAsync("/openapi/v1.json").OkJsonAsync();
        var error = document["components"]!["schemas"]!["ProblemDetails"]!["properties"]!["error"]!;
        error["properties"]!.AsObject().Select(p => p.Key).ShouldBe(["type", "message", "param"]);
        error["properties"]!["type"]!["enum"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldContain("rate_limited");
    }

    [Fact]
    public async Task The_reference_page_points_at_the_document_and_serves_its_scripts_itself()
    {
        var client = app.CreateHttpClient();
        var page = await client.GetAsync("/api/docs");
        var html = await page.Content.ReadAsStringAsync();
        page.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");

        // The page resolves the document's address against the app's base path.
        var source = DocumentSource().Match(html);
        source.Success.ShouldBeTrue(html);
        source.Groups["url"].Value.ShouldBe("openapi/v1.json");
        (await client.GetAsync(new Uri(app.BaseAddress, source.Groups["url"].Value)).OkJsonAsync())["openapi"].ShouldNotBeNull();

        var scripts = ScriptTag().Matches(html).Select(tag => ScriptAttributes(tag.Value)).ToList();
        scripts.Count.ShouldBeGreaterThanOrEqualTo(2);
        var sources = scripts.Select(tag => tag.Src).OfType<string>().ToList();
        sources.ShouldNotBeEmpty();
        foreach (var src in sources)
        {
            var url = new Uri(page.RequestMessage!.RequestUri!, src);
            url.Authority.ShouldBe(app.BaseAddress.Authority, src); // no CDN: the reference works offline
            var script = await client.GetAsync(url);
            script.StatusCode.ShouldBe(HttpStatusCode.OK, src);
            (await script.Content.ReadAsByteArrayAsync()).Length.ShouldBeGreaterThan(1000, src);
        }

        // The inline start-up script runs by its nonce; every other page keeps refusing inline script.
        var nonce = scripts.Select(tag => tag.Nonce).Distinct().ShouldHaveSingleItem();
        nonce.ShouldNotBeNullOrEmpty();
        var scriptSrc = ScriptSrc(page);
        scriptSrc.ShouldContain($"'nonce-{nonce}'");
        scriptSrc.ShouldNotContain("unsafe-inline");
        ScriptSrc(await client.GetAsync("/account/login")).ShouldNotContain("nonce-");
    }

    private static string ScriptSrc(HttpResponseMessage response) =>
        response.Headers.GetValues("Content-Security-Policy").Single().Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith("script-src "));

    private static (string? Src, string? Nonce) ScriptAttributes(string tag)
    {
        var attributes = Attribute().Matches(tag).ToDictionary(a => a.Groups["name"].Value, a => a.Groups["value"].Value);
        return (attributes.GetValueOrDefault("src"), attributes.GetValueOrDefault("nonce"));
    }

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"\s(?<name>[a-z-]+)=""(?<value>[^""]*)""")]
    private static partial Regex Attribute();

    [GeneratedRegex(@"""sources"":\[\{[^}]*""url"":""(?<url>[^""]+)""")]
    private static partial Regex DocumentSource();
}

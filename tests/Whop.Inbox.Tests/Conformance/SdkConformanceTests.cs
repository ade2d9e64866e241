using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.TestSupport;
using Whop.Inbox.Tests.Realtime;
using Xunit.Abstractions;

namespace Whop.Inbox.Tests.Conformance;

/// <summary>
/// Wire compatibility with Whop's v1 API, proven with Whop's own client: sdk-conformance.mjs drives a
/// fresh app with the official TypeScript SDK (@whop/sdk, pinned in package.json next to it) and
/// checks every object it gets back against the SDK's types. Needs Node.js and the SDK installed
/// in .tools/node: <c>bash .ci/test</c> does that, or <c>source .ci/lib/node.sh &amp;&amp; ensure_sdk</c>.
/// </summary>
public sealed class SdkConformanceTests(InboxApp app, ITestOutputHelper output) : IClassFixture<InboxApp>
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);

    private static string ConformanceFolder => Path.Combine(RepositoryPaths.Root, "tests", "Whop.Inbox.Tests", "Conformance");

    [Fact]
    public async Task The_official_Whop_SDK_works_against_the_API_unchanged()
    {
        await NodeScript.RunFileAsync(Path.Combine(ConformanceFolder, "sdk-conformance.mjs"), new Dictionary<string, string>
        {
            ["BASE_URL"] = app.BaseAddress.ToString().TrimEnd('/') + "/api/v1",
            ["API_KEY"] = InboxApp.BootstrapApiKey,
            ["COMPANY_ID"] = await CompanyIdAsync(),
        }, output, Path.Combine("@whop", "sdk"), ScriptTimeout);
    }

    /// <summary>The demo company, which the bootstrap API key administers.</summary>
    private async Task<string> CompanyIdAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Companies.OrderBy(c => c.CreatedAt).Select(c => c.Id).FirstAsync();
    }
}

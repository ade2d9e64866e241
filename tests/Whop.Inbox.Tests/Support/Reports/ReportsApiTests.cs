using System.Text.Json.Nodes;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Support.Reports;

/// <summary>
/// <c>GET /api/v1/reports/support</c> over a company of its own (so other tests' chats never count): the figures of a
/// small known set of chats, a reopened one among them, per agent and per label; bad ranges; who may read it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReportsApiTests(InboxApp app)
{
    private const string Report = "/api/v1/reports/support";
    private const string Chats = "/api/v1/support_channels";
    private const string Messages = "/api/v1/messages";

    private sealed record Person(string Id, string Username, HttpClient Client);

    private async Task<Person> PersonAsync(OtherCompany company, string role)
    {
        var username = $"{role}-{Guid.NewGuid():N}"[..24];
        var id = (await company.Backend.PostJsonAsync("/api/v1/users", new { username, name = $"{role} {username[^4..]}" }).OkJsonAsync()).Id();
        if (role is "moderator" or "admin")
            await company.Backend.PostJsonAsync("/api/v1/team_members", new { company_id = company.Id, user_id = id, role }).OkJsonAsync();
        var token = (await company.Backend.PostJsonAsync("/api/v1/access_tokens", new { user_id = id }).OkJsonAsync())["token"]!.GetValue<string>();
        return new Person(id, username, app.WithBearer(token));
    }

    private async Task<(OtherCompany Company, Person Maya, Person Omar, Person Admin, Person Customer)> CompanyAsync()
    {
        var company = await app.NewCompanyAsync("Reports");
        return (company, await PersonAsync(company, "moderator"), await PersonAsync(company, "moderator"), await PersonAsync(company, "admin"),
            await PersonAsync(company, "customer"));
    }

    private static async Task<string> OpenChatAsync(OtherCompany company, Person customer) =>
        (await company.Backend.PostJsonAsync(Chats, new { company_id = company.Id, user_id = customer.Id }).OkJsonAsync()).Id();

    private static DateTimeOffset At(JsonNode node, string field) => node[field]!.GetValue<DateTimeOffset>();

    private static double Seconds(DateTimeOffset from, DateTimeOffset to) => (to - from).TotalSeconds;

    private static void ShouldBeFigures(JsonNode? figures, int count, double? median, double? p90)
    {
        figures!["count"]!.GetValue<int>().ShouldBe(count);
        if (median is null) figures["median_seconds"].ShouldBeNull();
        else figures["median_seconds"]!.GetValue<double>().ShouldBe(median.Value, 0.001);
        if (p90 is null) figures["p90_seconds"].ShouldBeNull();
        else figures["p90_seconds"]!.GetValue<double>().ShouldBe(p90.Value, 0.001);
    }

    [Fact]
    public async Task First_responses_count_once_and_resolutions_at_the_latest_resolve_in_total_per_day_per_agent_and_per_label()
    {
        var (company, maya, omar, _, _) = await CompanyAsync();
        var billing = (await company.Backend.PostJsonAsync("/api/v1/labels", new { company_id = company.Id, name = "billing", color = "#2e7d32" })
            .OkJsonAsync()).Id();

        // Chat A: a note and a system note do not answer the customer; Maya's reply does; she resolves it.
        var alice = await PersonAsync(company, "customer");
        var a = await OpenChatAsync(company, alice);
        var aAsked = At(await alice.Client.SendAsync(a, "My invoice is wrong."), "created_at");
        await maya.Client.PostJsonAsync(Messages, new { channel_id = a, content = "Checking with finance.", visibility = "team" }).OkJsonAsync();
        var aAnswered = At(await maya.Client.SendAsync(a, "Fixed it, sorry!"), "created_at");
        await omar.Client.SendAsync(a, "Anything else?");
        await maya.Client.PatchJsonAsync($"{Chats}/{a}", new { label_ids = new[] { billing } }).OkJsonAsync();
        var aResolved = await maya.Client.PostAsync($"{Chats}/{a}/resolve", null).OkJsonAsync();

        // Chat B: answered by Omar, resolved by Omar, reopened by the customer, resolved again by Maya.
        var ben = await PersonAsync(company, "customer");
        var b = await OpenChatAsync(company, ben);
        var bAsked = At(await ben.Client.SendAsync(b, "Can't log in."), "created_at");
        await ben.Client.SendAsync(b, "Still can't.");
        var bAnswered = At(await omar.Client.SendAsync(b, "Try resetting your password."), "created_at");
        await omar.Client.PostAsync($"{Chats}/{b}/resolve", null).OkJsonAsync();
        await ben.Client.SendAsync(b, "The reset mail never came.");
        await maya.Client.SendAsync(b, "Sent it again.");
        var bResolved = await maya.Client.PostAsync($"{Chats}/{b}/resolve", null).OkJsonAsync();

        // Chat C: the customer waits; labelled, not answered.
        var chloe = await PersonAsync(company, "customer");
        var c = await OpenChatAsync(company, chloe);
        await chloe.Client.SendAsync(c, "Where is my refund?");
        await maya.Client.PatchJsonAsync($"{Chats}/{c}", new { label_ids = new[] { billing } }).OkJsonAsync();

        var report = await company.Backend.GetAsync(Report).OkJsonAsync();

        var aFirst = Seconds(aAsked, aAnswered);
        var bFirst = Seconds(bAsked, bAnswered);
        var aResolution = Seconds(At(aResolved, "created_at"), At(aResolved, "resolved_at"));
        var bResolution = Seconds(At(bResolved, "created_at"), At(bResolved, "resolved_at"));
        var today = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd");

        report["company_id"]!.GetValue<string>().ShouldBe(company.Id);
        report["to"]!.GetValue<string>().ShouldBe(today);
        report["days"]!.AsArray().Count.ShouldBe(30);
        report["business_hours"]!["time_zone"]!.GetValue<string>().ShouldBe("UTC");
        var totals = report["totals"]!;
        totals["opened"]!.GetValue<int>().ShouldBe(3);
        totals["resolved"]!.GetValue<int>().ShouldBe(2, "chat B counts once, at its latest resolve");
        ShouldBeFigures(totals["first_response"], 2, Math.Min(aFirst, bFirst), Math.Max(aFirst, bFirst));
        ShouldBeFigures(totals["resolution"], 2, Math.Min(aResolution, bResolution), Math.Max(aResolution, bResolution));

        var day = report["days"]!.AsArray().Single(d => d!["date"]!.GetValue<string>() == today)!;
        day["opened"]!.GetValue<int>().ShouldBe(3);
        day["resolved"]!.GetValue<int>().ShouldBe(2);
        report["days"]!.AsArray().Where(d => d!["date"]!.GetValue<string>() != today).ShouldAllBe(d => d!["opened"]!.GetValue<int>() == 0);

        var agents = report["agents"]!.AsArray().ToDictionary(x => x!["user"]!["id"]!.GetValue<string>(), x => x!);
        agents.Keys.ShouldBe([maya.Id, omar.Id], ignoreOrder: true);
        ShouldBeFigures(agents[maya.Id]["first_response"], 1, aFirst, aFirst);
        ShouldBeFigures(agents[maya.Id]["resolution"], 2, Math.Min(aResolution, bResolution), Math.Max(aResolution, bResolution));
        ShouldBeFigures(agents[omar.Id]["first_response"], 1, bFirst, bFirst);
        ShouldBeFigures(agents[omar.Id]["resolution"], 0, null, null);
        agents[maya.Id]["user"]!["username"]!.GetValue<string>().ShouldBe(maya.Username);

        var label = report["labels"]!.AsArray().Single()!;
        label["id"]!.GetValue<string>().ShouldBe(billing);
        label["name"]!.GetValue<string>().ShouldBe("billing");
        label["opened"]!.GetValue<int>().ShouldBe(2);
        label["resolved"]!.GetValue<int>().ShouldBe(1);
        ShouldBeFigures(label["first_response"], 1, aFirst, aFirst);
        ShouldBeFigures(label["resolution"], 1, aResolution, aResolution);

        // The reopen cleared the first resolve and counted: the chat holds its latest figures.
        (await maya.Client.GetAsync($"{Chats}/{b}").OkJsonAsync())["status"]!.GetValue<string>().ShouldBe("resolved");
    }

    [Fact]
    public async Task A_range_with_nothing_in_it_has_empty_figures_and_days()
    {
        var (company, _, _, _, _) = await CompanyAsync();
        var report = await company.Backend.GetAsync($"{Report}?from=2026-01-01&to=2026-01-07").OkJsonAsync();
        report["from"]!.GetValue<string>().ShouldBe("2026-01-01");
        report["days"]!.AsArray().Count.ShouldBe(7);
        report["totals"]!["opened"]!.GetValue<int>().ShouldBe(0);
        ShouldBeFigures(report["totals"]!["first_response"], 0, null, null);
        report["agents"]!.AsArray().ShouldBeEmpty();
        report["labels"]!.AsArray().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("from=2026-12-07&to=2026-12-01", "from")]
    [InlineData("from=2024-01-01&to=2026-01-01", "to")]
    [InlineData("from=2020-01-01", "from")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-02-30", "to")]
    [InlineData("from=2026-12-01T00:00:00Z", "from")]
    [InlineData("from=%27%3B%20DROP%20TABLE%20channels", "from")]
    public async Task A_bad_range_is_400_naming_the_field(string query, string field)
    {
        await (await app.Backend().GetAsync($"{Report}?{query}")).ShouldBeProblemAsync(400, field);
    }

    [Fact]
    public async Task Only_the_companys_api_keys_read_it_through_the_api_and_every_token_is_refused()
    {
        var (company, maya, _, admin, customer) = await CompanyAsync();
        (await company.Backend.GetAsync(Report)).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        // Tokens act for a person and carry no reports scope: admins read reports on the Reports page.
        await (await maya.Client.GetAsync(Report)).ShouldBeProblemAsync(403);
        await (await customer.Client.GetAsync(Report)).ShouldBeProblemAsync(403);
        await (await admin.Client.GetAsync(Report)).ShouldBeProblemAsync(403);
        // Another company's key cannot read this one's.
        await (await app.Backend().GetAsync($"{Report}?company_id={company.Id}")).ShouldBeProblemAsync(403);
        (await app.CreateHttpClient().GetAsync(Report)).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
    }
}

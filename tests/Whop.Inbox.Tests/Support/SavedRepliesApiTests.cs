using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Support;

/// <summary>Saved replies through the API: who keeps which, what each caller sees, and every refusal.</summary>
[Collection(AppCollection.Name)]
public sealed class SavedRepliesApiTests(InboxApp app)
{
    private const string Replies = "/api/v1/saved_replies";

    [Fact]
    public async Task The_list_is_the_shared_replies_and_the_callers_own_by_name_and_a_colleagues_personal_one_is_not_there()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var omar = await app.NewTeamMemberAsync("moderator");
        var tag = Unique();
        var shared = await app.Backend().PostJsonAsync(Replies, new { name = $"{tag} refund policy", content = "Refunds take 5 days.", shared = true })
            .OkJsonAsync();
        shared["shared"]!.GetValue<bool>().ShouldBeTrue();
        shared["owner_id"].ShouldBeNull();
        shared.Id().ShouldStartWith("reply_");
        var mine = await maya.Client.PostJsonAsync(Replies, new { name = $"{tag} Apology", content = "Sorry, {customer.name}!" }).OkJsonAsync();
        mine["shared"]!.GetValue<bool>().ShouldBeFalse("a person's reply is their own unless they say otherwise");
        mine["owner_id"]!.GetValue<string>().ShouldBe(maya.Id);
        var omars = await omar.Client.PostJsonAsync(Replies, new { name = $"{tag} Omar's", content = "Only mine." }).OkJsonAsync();

        (await NamesAsync(maya.Client, tag)).ShouldBe([$"{tag} Apology", $"{tag} refund policy"], "shared and her own, by name whatever the case");
        (await NamesAsync(omar.Client, tag)).ShouldBe([$"{tag} Omar's", $"{tag} refund policy"]);
        (await NamesAsync(app.Backend(), tag)).ShouldBe([$"{tag} refund policy"], "an API key sees the shared ones");
        (await NamesAsync(maya.Client, $"{tag} apol")).ShouldBe([$"{tag} Apology"], "the query matches the name, ignoring case");

        await (await maya.Client.GetAsync($"{Replies}/{omars.Id()}")).ShouldBeProblemAsync(404);
        await (await maya.Client.PatchJsonAsync($"{Replies}/{omars.Id()}", new { content = "mine now" })).ShouldBeProblemAsync(404);
        await (await maya.Client.DeleteAsync($"{Replies}/{omars.Id()}")).ShouldBeProblemAsync(404);
        (await maya.Client.GetAsync($"{Replies}/{shared.Id()}").OkJsonAsync())["content"]!.GetValue<string>().ShouldBe("Refunds take 5 days.");
    }

    [Fact]
    public async Task The_query_matches_content_and_the_list_pages_by_name_both_ways()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var tag = Unique();
        foreach (var letter in new[] { "e", "b", "D", "a", "c" })
            await maya.Client.PostJsonAsync(Replies, new { name = $"{tag} {letter}", content = $"Body {letter} {tag}-word" }).OkJsonAsync();

        var first = await maya.Client.GetAsync($"{Replies}?query={tag}-WORD&first=2").OkJsonAsync();
        Names(first).ShouldBe([$"{tag} a", $"{tag} b"], "the query matches the content too");
        var cursor = first["page_info"]!["end_cursor"]!.GetValue<string>();
        var second = await maya.Client.GetAsync($"{Replies}?query={tag}-word&first=2&after={cursor}").OkJsonAsync();
        Names(second).ShouldBe([$"{tag} c", $"{tag} D"]);
        var third = await maya.Client.GetAsync($"{Replies}?query={tag}-word&first=2&after={second["page_info"]!["end_cursor"]!.GetValue<string>()}").OkJsonAsync();
        Names(third).ShouldBe([$"{tag} e"]);
        third["page_info"]!["has_next_page"]!.GetValue<bool>().ShouldBeFalse();
        var back = await maya.Client.GetAsync($"{Replies}?query={tag}-word&last=2&before={third["page_info"]!["start_cursor"]!.GetValue<string>()}").OkJsonAsync();
        Names(back).ShouldBe([$"{tag} c", $"{tag} D"]);

        await (await maya.Client.GetAsync($"{Replies}?after=not-a-cursor")).ShouldBeProblemAsync(400, "after");
    }

    [Fact]
    public async Task A_moderator_keeps_personal_replies_only_and_an_admin_and_an_api_key_keep_the_shared_ones()
    {
        var admin = await app.NewTeamMemberAsync("admin");
        var moderator = await app.NewTeamMemberAsync("moderator");
        var tag = Unique();
        var shared = await admin.Client.PostJsonAsync(Replies, new { name = $"{tag} hours", content = "We answer 9-5.", shared = true }).OkJsonAsync();

        await (await moderator.Client.PostJsonAsync(Replies, new { name = $"{tag} x", content = "y", shared = true })).ShouldBeProblemAsync(403);
        await (await moderator.Client.PatchJsonAsync($"{Replies}/{shared.Id()}", new { content = "We never answer." })).ShouldBeProblemAsync(403);
        await (await moderator.Client.DeleteAsync($"{Replies}/{shared.Id()}")).ShouldBeProblemAsync(403);
        var own = await moderator.Client.PostJsonAsync(Replies, new { name = $"{tag} mine", content = "Mine." }).OkJsonAsync();
        await (await moderator.Client.PatchJsonAsync($"{Replies}/{own.Id()}", new { shared = true })).ShouldBeProblemAsync(403);
        (await moderator.Client.PatchJsonAsync($"{Replies}/{own.Id()}", new { name = $"{tag} still mine", content = "Still mine." }).OkJsonAsync())
            ["content"]!.GetValue<string>().ShouldBe("Still mine.");

        var changed = await admin.Client.PatchJsonAsync($"{Replies}/{shared.Id()}", new { content = "We answer 8-6." }).OkJsonAsync();
        changed["content"]!.GetValue<string>().ShouldBe("We answer 8-6.");
        var key = await app.Backend().PatchJsonAsync($"{Replies}/{shared.Id()}", new { name = $"{tag} opening hours" }).OkJsonAsync();
        key["name"]!.GetValue<string>().ShouldBe($"{tag} opening hours");
        // An API key has no person to own a reply.
        await (await app.Backend().PostJsonAsync(Replies, new { name = $"{tag} k", content = "k", shared = false })).ShouldBeProblemAsync(422, "shared");
        await (await app.Backend().PatchJsonAsync($"{Replies}/{shared.Id()}", new { shared = false })).ShouldBeProblemAsync(422, "shared");
        (await app.Backend().PostJsonAsync(Replies, new { name = $"{tag} from the backend", content = "k" }).OkJsonAsync())
            ["shared"]!.GetValue<bool>().ShouldBeTrue("a key's reply is shared unless it says otherwise (and then it is refused)");

        (await admin.Client.DeleteAsync($"{Replies}/{shared.Id()}").OkJsonAsync()).GetValue<bool>().ShouldBeTrue();
        await (await admin.Client.GetAsync($"{Replies}/{shared.Id()}")).ShouldBeProblemAsync(404);
        (await moderator.Client.DeleteAsync($"{Replies}/{own.Id()}").OkJsonAsync()).GetValue<bool>().ShouldBeTrue();

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var trail = await db.AuditEntries.Where(e => e.Detail!.StartsWith(shared.Id())).OrderBy(e => e.CreatedAt).Select(e => e.Action).ToListAsync();
        trail.ShouldBe(["saved_reply.created", "saved_reply.changed", "saved_reply.changed", "saved_reply.deleted"]);
        (await db.AuditEntries.CountAsync(e => e.Detail!.StartsWith(own.Id()))).ShouldBe(0, "a personal reply is its owner's alone");
    }

    [Fact]
    public async Task A_customers_credential_is_refused_everything()
    {
        var customer = await app.NewUserAsync("customer");
        var shared = await app.Backend().PostJsonAsync(Replies, new { name = $"{Unique()} shared", content = "Hello!" }).OkJsonAsync();

        await (await customer.Client.GetAsync(Replies)).ShouldBeProblemAsync(403);
        await (await customer.Client.PostJsonAsync(Replies, new { name = "mine", content = "mine" })).ShouldBeProblemAsync(403);
        await (await customer.Client.GetAsync($"{Replies}/{shared.Id()}")).ShouldBeProblemAsync(403);
        await (await customer.Client.PatchJsonAsync($"{Replies}/{shared.Id()}", new { content = "hacked" })).ShouldBeProblemAsync(403);
        await (await customer.Client.DeleteAsync($"{Replies}/{shared.Id()}")).ShouldBeProblemAsync(403);
        (await app.Backend().GetAsync($"{Replies}/{shared.Id()}").OkJsonAsync())["content"]!.GetValue<string>().ShouldBe("Hello!");
    }

    [Fact]
    public async Task Another_companys_reply_is_not_found_and_left_as_it_was()
    {
        var other = await app.SecondCompanyAsync();
        var admin = await app.NewTeamMemberAsync("admin");
        var theirs = await other.Backend.PostJsonAsync(Replies, new { name = $"{Unique()} theirs", content = "Their words." }).OkJsonAsync();
        theirs["company_id"]!.GetValue<string>().ShouldBe(other.Id);

        await (await admin.Client.GetAsync($"{Replies}/{theirs.Id()}")).ShouldBeProblemAsync(404);
        await (await admin.Client.PatchJsonAsync($"{Replies}/{theirs.Id()}", new { content = "Ours now." })).ShouldBeProblemAsync(404);
        await (await admin.Client.DeleteAsync($"{Replies}/{theirs.Id()}")).ShouldBeProblemAsync(404);
        await (await app.Backend().DeleteAsync($"{Replies}/{theirs.Id()}")).ShouldBeProblemAsync(404);
        (await NamesAsync(admin.Client, theirs["name"]!.GetValue<string>())).ShouldBeEmpty();
        (await other.Backend.GetAsync($"{Replies}/{theirs.Id()}").OkJsonAsync())["content"]!.GetValue<string>().ShouldBe("Their words.");
    }

    [Fact]
    public async Task Empty_or_over_long_content_and_an_empty_or_over_long_name_are_refused_naming_the_field()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var tag = Unique();

        await (await maya.Client.PostJsonAsync(Replies, new { name = tag, content = "" })).ShouldBeProblemAsync(422, "content");
        await (await maya.Client.PostJsonAsync(Replies, new { name = tag, content = "  \n " })).ShouldBeProblemAsync(422, "content");
        await (await maya.Client.PostJsonAsync(Replies, new { name = tag })).ShouldBeProblemAsync(422, "content");
        await (await maya.Client.PostJsonAsync(Replies, new { name = tag, content = new string('x', 10_000) })).ShouldBeProblemAsync(422, "content");
        await (await maya.Client.PostJsonAsync(Replies, new { name = "", content = "Hi" })).ShouldBeProblemAsync(422, "name");
        await (await maya.Client.PostJsonAsync(Replies, new { name = "   ", content = "Hi" })).ShouldBeProblemAsync(422, "name");
        await (await maya.Client.PostJsonAsync(Replies, new { name = new string('n', 81), content = "Hi" })).ShouldBeProblemAsync(422, "name");
        (await NamesAsync(maya.Client, tag)).ShouldBeEmpty("nothing was saved");

        var longest = await maya.Client.PostJsonAsync(Replies, new { name = tag, content = new string('x', 9_999) }).OkJsonAsync();
        await (await maya.Client.PatchJsonAsync($"{Replies}/{longest.Id()}", new { content = "" })).ShouldBeProblemAsync(422, "content");
        await (await maya.Client.PatchJsonAsync($"{Replies}/{longest.Id()}", new { content = new string('y', 10_001) })).ShouldBeProblemAsync(422, "content");
        await (await maya.Client.PatchJsonAsync($"{Replies}/{longest.Id()}", new { name = "" })).ShouldBeProblemAsync(422, "name");
        var unchanged = await maya.Client.GetAsync($"{Replies}/{longest.Id()}").OkJsonAsync();
        unchanged["name"]!.GetValue<string>().ShouldBe(tag);
        unchanged["content"]!.GetValue<string>().Length.ShouldBe(9_999);
        await (await maya.Client.PostRawJsonAsync(Replies, "{\"name\": \"x\", \"content\": \"y\", \"shared\": \"yes\"}")).ShouldBeProblemAsync(400, "shared");
    }

    private static string Unique() => $"r{Guid.NewGuid():N}"[..12];

    private static List<string> Names(JsonNode page) => page["data"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();

    private static async Task<List<string>> NamesAsync(HttpClient client, string query) =>
        Names(await client.GetAsync($"{Replies}?query={Uri.EscapeDataString(query)}&first=100").OkJsonAsync());
}

using System.Text;
using System.Text.Json.Nodes;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Notifications;

/// <summary>A person's notification preferences through the API: their own only, and every value that is not a listed one refused by name.</summary>
[Collection(AppCollection.Name)]
public sealed class NotificationPreferencesApiTests(InboxApp app)
{
    private const string Preferences = "/api/v1/me/notification_preferences";

    [Fact]
    public async Task A_person_reads_the_defaults_changes_their_own_and_never_anyone_elses()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var ben = await app.NewUserAsync("customer");

        var defaults = await maya.Client.GetAsync(Preferences).OkJsonAsync();
        defaults["user_id"]!.GetValue<string>().ShouldBe(maya.Id);
        Events(defaults).ShouldBe(["customer_messages", "mentions", "assignments", "direct_messages"]);
        defaults["desktop"]!.GetValue<bool>().ShouldBeFalse("desktop notifications are opt-in");
        defaults["sound"]!.GetValue<bool>().ShouldBeFalse();
        defaults["quiet_hours"].ShouldBeNull();

        var changed = await maya.Client.PatchJsonAsync(Preferences, new
        {
            events = new[] { "mentions", "assignments" },
            desktop = true,
            quiet_hours = new { start = "22:00", end = "07:30", time_zone = "Europe/Berlin" },
        }).OkJsonAsync();
        Events(changed).ShouldBe(["mentions", "assignments"]);
        changed["desktop"]!.GetValue<bool>().ShouldBeTrue();
        changed["sound"]!.GetValue<bool>().ShouldBeFalse("a field not sent stays as it was");
        changed["quiet_hours"]!["start"]!.GetValue<string>().ShouldBe("22:00");
        changed["quiet_hours"]!["end"]!.GetValue<string>().ShouldBe("07:30");
        changed["quiet_hours"]!["time_zone"]!.GetValue<string>().ShouldBe("Europe/Berlin");
        (await maya.Client.GetAsync(Preferences).OkJsonAsync()).ToJsonString().ShouldBe(changed.ToJsonString());

        var bens = await ben.Client.GetAsync(Preferences).OkJsonAsync();
        bens["user_id"]!.GetValue<string>().ShouldBe(ben.Id, "the caller's own, whoever else changed theirs");
        Events(bens).Count.ShouldBe(4);
        bens["desktop"]!.GetValue<bool>().ShouldBeFalse();
        await (await ben.Client.GetAsync($"/api/v1/users/{maya.Id}/notification_preferences")).ShouldBeProblemAsync(404);

        var cleared = await maya.Client.PatchJsonAsync(Preferences, new { quiet_hours = (object?)null, sound = true }).OkJsonAsync();
        cleared["quiet_hours"].ShouldBeNull();
        cleared["sound"]!.GetValue<bool>().ShouldBeTrue();
        Events(cleared).ShouldBe(["mentions", "assignments"]);
    }

    public static TheoryData<string, string?> InvalidBodies() => new()
    {
        { """{"events": ["mentions", "everything"]}""", "events" },
        { """{"events": [null]}""", "events" },
        { """{"events": "mentions"}""", "events" },
        { """{"events": null}""", "events" },
        { """{"desktop": "yes"}""", "desktop" },
        { """{"desktop": null}""", "desktop" },
        { """{"sound": 1}""", "sound" },
        { """{"quiet_hours": {"start": "25:00", "end": "07:00", "time_zone": "UTC"}}""", "quiet_hours.start" },
        { """{"quiet_hours": {"start": "9:00", "end": "07:00", "time_zone": "UTC"}}""", "quiet_hours.start" },
        { """{"quiet_hours": {"end": "07:00", "time_zone": "UTC"}}""", "quiet_hours.start" },
        { """{"quiet_hours": {"start": "22:00", "end": "7pm", "time_zone": "UTC"}}""", "quiet_hours.end" },
        { """{"quiet_hours": {"start": "22:00", "end": "22:00", "time_zone": "UTC"}}""", "quiet_hours.end" },
        { """{"quiet_hours": {"start": "22:00", "end": "07:00", "time_zone": "Mars/Olympus_Mons"}}""", "quiet_hours.time_zone" },
        { """{"quiet_hours": {"start": "22:00", "end": "07:00"}}""", "quiet_hours.time_zone" },
        { """{"quiet_hours": "always"}""", "quiet_hours" },
        { """{}""", null },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task A_value_that_is_not_a_listed_one_is_a_400_naming_its_field_and_changes_nothing(string body, string? field)
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var before = await maya.Client.GetAsync(Preferences).OkJsonAsync();

        var refused = await maya.Client.PatchAsync(Preferences, new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await refused.ShouldBeProblemAsync(400, field);
        if (field is null) problem["error"]!["param"].ShouldBeNull();

        (await maya.Client.GetAsync(Preferences).OkJsonAsync()).ToJsonString().ShouldBe(before.ToJsonString());
    }

    [Fact]
    public async Task An_API_key_has_no_person_to_keep_preferences_and_a_token_without_the_scope_is_refused()
    {
        var keyProblem = await (await app.Backend().GetAsync(Preferences)).ShouldBeProblemAsync(422);
        keyProblem["error"]!["message"]!.GetValue<string>().ShouldContain("API key");
        await (await app.Backend().PatchJsonAsync(Preferences, new { desktop = true })).ShouldBeProblemAsync(422);

        var readOnly = await app.NewUserAsync("customer", Scopes.DmsRead);
        await (await readOnly.Client.GetAsync(Preferences)).ShouldBeProblemAsync(403);
        await (await readOnly.Client.PatchJsonAsync(Preferences, new { desktop = true })).ShouldBeProblemAsync(403);

        var scoped = await app.NewUserAsync("customer", Scopes.NotificationsManage);
        (await scoped.Client.PatchJsonAsync(Preferences, new { sound = true }).OkJsonAsync())["sound"]!.GetValue<bool>().ShouldBeTrue();
    }

    private static List<string> Events(JsonNode preferences) =>
        preferences["events"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
}

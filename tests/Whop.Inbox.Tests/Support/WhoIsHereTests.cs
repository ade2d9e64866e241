using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Support.WhoIsHere;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Support;

/// <summary>
/// Who is here: the team's viewers of a support chat and who types a reply or a note, through the real board,
/// notifier and hub, on whichever database the run uses; across two instances on PostgreSQL.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WhoIsHereTests(InboxApp app)
{
    private ChatViewers Board => app.Services.GetRequiredService<ChatViewers>();
    private ChatNotifier Notifier => app.Services.GetRequiredService<ChatNotifier>();

    [Fact]
    public async Task A_teammate_who_opens_a_chat_appears_to_the_team_and_disappears_when_they_leave_and_the_customer_is_never_told()
    {
        var customer = await app.NewUserAsync("customer");
        var (sam, maya) = (await app.NewTeamMemberAsync("moderator"), await app.NewTeamMemberAsync("moderator"));
        var chat = await app.SupportChatForAsync(customer);
        var (team, theCustomer) = (new Received(), new Received());
        using var teamFeed = (await Notifier.SubscribeChannelAsync(Person(maya.Id), chat, null, team.Handler)).Value!;
        using var customerFeed = (await Notifier.SubscribeChannelAsync(Person(customer.Id), chat, null, theCustomer.Handler)).Value!;

        var viewing = (await Board.ViewAsync(Person(sam.Id), chat)).Value!;
        var came = await team.WaitForAsync(e => e.Type == ChatEventTypes.ViewersChanged);
        came.DataAs<ViewersChanged>()!.Viewers.Select(v => (v.Id, v.Name)).ShouldBe([(sam.Id, sam.Name)]);
        came.Position.ShouldBeNull("presence is not in the log");
        (await Board.ViewersAsync(Person(maya.Id), chat)).Value!.Select(v => v.Id).ShouldBe([sam.Id]);

        viewing.Dispose();
        var went = await team.WaitForAsync(e => e.Type == ChatEventTypes.ViewersChanged && e.DataAs<ViewersChanged>()!.Viewers.Count == 0);
        went.Reach.ShouldBe(EventReach.Team);
        Board.Of(chat).ShouldBeEmpty();

        // Events reach a subscription in order: the customer has the message after both, and neither before it.
        await app.Backend().SendAsync(chat, "We are looking into it.");
        await theCustomer.WaitForAsync(e => e.Type == ChatEventTypes.MessageCreated);
        theCustomer.All.ShouldNotContain(e => e.Type == ChatEventTypes.ViewersChanged);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        (await db.ChannelEvents.CountAsync(e => e.ChannelId == chat && e.Type == ChatEventTypes.ViewersChanged)).ShouldBe(0, "never stored");
    }

    [Fact]
    public async Task Two_pages_of_one_person_count_once_and_the_person_stays_until_both_are_gone()
    {
        var customer = await app.NewUserAsync("customer");
        var sam = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);

        var first = (await Board.ViewAsync(Person(sam.Id), chat)).Value!;
        var second = (await Board.ViewAsync(Person(sam.Id), chat)).Value!;
        Board.Of(chat).Select(v => v.Id).ShouldBe([sam.Id]);
        first.Dispose();
        first.Dispose();
        Board.Of(chat).Select(v => v.Id).ShouldBe([sam.Id], "the second page still has it open");

        // A page whose connection is down is not viewing; back up, it is again.
        second.Suspend();
        Board.Of(chat).ShouldBeEmpty();
        second.Resume();
        Board.Of(chat).Select(v => v.Id).ShouldBe([sam.Id]);
        second.Dispose();
        Board.Of(chat).ShouldBeEmpty();
        second.Resume();
        Board.Of(chat).ShouldBeEmpty("a disposed viewing never comes back");
    }

    [Fact]
    public async Task A_customer_another_customer_another_company_and_an_API_key_can_neither_see_nor_announce_viewers()
    {
        var customer = await app.NewUserAsync("customer");
        var other = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        var stranger = await OtherCompanysModeratorAsync();
        var key = new Actor(null, Credential.ApiKey, await app.CompanyIdAsync(), "key_test", new HashSet<string>());

        (await Board.ViewAsync(Person(customer.Id), chat)).Failure!.Kind.ShouldBe(FailureKind.Forbidden);
        (await Board.ViewersAsync(Person(customer.Id), chat)).Failure!.Kind.ShouldBe(FailureKind.Forbidden);
        (await Board.WatchChatAsync(Person(customer.Id), chat, () => { })).Failure!.Kind.ShouldBe(FailureKind.Forbidden);
        (await Board.WatchInboxAsync(Person(customer.Id), await app.CompanyIdAsync(), () => { })).Failure!.Kind.ShouldBe(FailureKind.Forbidden);
        foreach (var outsider in new[] { other.Id, stranger })
        {
            (await Board.ViewAsync(Person(outsider), chat)).Failure!.Kind.ShouldBe(FailureKind.NotFound);
            (await Board.ViewersAsync(Person(outsider), chat)).Failure!.Kind.ShouldBe(FailureKind.NotFound);
        }
        (await Board.WatchInboxAsync(Person(stranger), await app.CompanyIdAsync(), () => { })).Failure!.Kind.ShouldBe(FailureKind.Forbidden);
        (await Board.ViewAsync(key, chat)).Failure!.Kind.ShouldBe(FailureKind.Rejected);
        Board.Of(chat).ShouldBeEmpty();
    }

    [Fact]
    public async Task Typing_a_note_reaches_the_team_alone_and_a_customer_cannot_type_one()
    {
        var customer = await app.NewUserAsync("customer");
        var (sam, maya) = (await app.NewTeamMemberAsync("moderator"), await app.NewTeamMemberAsync("moderator"));
        var chat = await app.SupportChatForAsync(customer);
        var (team, theCustomer) = (new Received(), new Received());
        using var teamFeed = (await Notifier.SubscribeChannelAsync(Person(maya.Id), chat, null, team.Handler)).Value!;
        using var customerFeed = (await Notifier.SubscribeChannelAsync(Person(customer.Id), chat, null, theCustomer.Handler)).Value!;
        var typing = app.Services.GetRequiredService<TypingTracker>();

        (await typing.StartAsync(Person(sam.Id), chat, note: true)).Succeeded.ShouldBeTrue();
        (await typing.StartAsync(Person(sam.Id), chat)).Succeeded.ShouldBeTrue();
        var note = await team.WaitForAsync(e => e.Type == ChatEventTypes.TypingStarted && e.DataAs<Typing>()!.Note);
        await team.WaitForAsync(e => e.Type == ChatEventTypes.TypingStarted && !e.DataAs<Typing>()!.Note);
        note.Reach.ShouldBe(EventReach.Team);
        var reply = await theCustomer.WaitForAsync(e => e.Type == ChatEventTypes.TypingStarted);
        reply.DataAs<Typing>()!.Note.ShouldBeFalse("the reply's typing, which the customer may see as before");
        theCustomer.All.ShouldNotContain(e => e.DataAs<Typing>() != null && e.DataAs<Typing>()!.Note);

        (await typing.StopAsync(Person(sam.Id), chat)).Value.ShouldBeTrue();
        await team.WaitForAsync(e => e.Type == ChatEventTypes.TypingStopped && e.DataAs<Typing>()!.Note);
        await team.WaitForAsync(e => e.Type == ChatEventTypes.TypingStopped && !e.DataAs<Typing>()!.Note);
        (await typing.StartAsync(Person(customer.Id), chat, note: true)).Failure!.Kind.ShouldBe(FailureKind.Forbidden);
    }

    [Fact]
    public async Task Another_instances_viewers_lapse_when_it_stops_saying_so_and_go_at_once_when_it_says_they_left()
    {
        var customer = await app.NewUserAsync("customer");
        var sam = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var companyId = await app.CompanyIdAsync();
        // A board of its own on the app's services with a clock the test moves: what it hears is what PostgreSQL would bring.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var board = new ChatViewers(app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>(),
            app.Services.GetRequiredService<ChannelAccess>(), app.Services.GetRequiredService<InboxRights>(),
            app.Services.GetRequiredService<ChatEventQueue>(), clock, NullLogger<ChatViewers>.Instance);
        var samHere = new UserSummary(sam.Id, sam.Name, sam.Username);
        string Word(params UserSummary[] viewers) => JsonSerializer.Serialize(new ChatViewers.Announcement("crashing",
            [new ChatViewers.AnnouncedChat(chat, companyId, customer.Id, viewers)]), ChatJson.Options);

        board.Heard(Word(samHere));
        board.Of(chat).ShouldBe([samHere]);
        board.InCompany(companyId)[chat].ShouldBe([samHere]);
        clock.Advance(ChatViewers.Expiry - TimeSpan.FromSeconds(1));
        board.Sweep();
        board.Of(chat).ShouldBe([samHere], "said within the expiry");

        // The instance said nothing more (it crashed): gone within ten seconds of its last word.
        clock.Advance(TimeSpan.FromSeconds(1));
        board.Sweep();
        await board.FlushAsync();
        ChatViewers.Expiry.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        board.Of(chat).ShouldBeEmpty();
        board.ChatsHeld.ShouldBe(0, "nothing is kept about a chat nobody views");

        board.Heard(Word(samHere));
        board.Of(chat).ShouldBe([samHere]);
        board.Heard(Word());
        board.Of(chat).ShouldBeEmpty("a leave said is a leave at once");
        board.Heard("not json");
        board.Heard("""{"instance":"x","chats":null}""");
    }

    [Fact]
    public async Task A_hub_client_of_the_team_announces_viewing_and_the_team_is_told_until_its_connection_ends()
    {
        var customer = await app.NewUserAsync("customer");
        var (sam, maya) = (await app.NewTeamMemberAsync("moderator"), await app.NewTeamMemberAsync("moderator"));
        var chat = await app.SupportChatForAsync(customer);
        using var watcher = await RawHubConnection.OpenAsync(app, maya.Token());
        await watcher.InvokeAsync("1", "Subscribe", chat, null);
        (await watcher.CompletionErrorsAsync(1))["1"].ShouldBeNull();

        using (var viewer = await RawHubConnection.OpenAsync(app, sam.Token()))
        {
            await viewer.InvokeAsync("1", "ViewChannel", chat);
            (await viewer.CompletionErrorsAsync(1))["1"].ShouldBeNull();
            var came = await watcher.EventsUntilAsync(Told(sam.Id, present: true), TimeSpan.FromSeconds(10));
            Told(sam.Id, present: true)(came).ShouldBeTrue();
            came.Last().Event["data"]!["viewers"]![0]!["name"]!.GetValue<string>().ShouldBe(sam.Name);
        }

        var went = await watcher.EventsUntilAsync(Told(sam.Id, present: false), TimeSpan.FromSeconds(10));
        Told(sam.Id, present: false)(went).ShouldBeTrue("a closed connection views nothing");

        // The customer may neither announce nor ask.
        using var theCustomer = await RawHubConnection.OpenAsync(app, customer.Token());
        await theCustomer.InvokeAsync("1", "ViewChannel", chat);
        await theCustomer.InvokeAsync("2", "Viewers", chat);
        await theCustomer.InvokeAsync("3", "StartTypingNote", chat);
        var refused = await theCustomer.CompletionErrorsAsync(3);
        refused.Values.ShouldAllBe(error => error != null && error.Contains("forbidden:"));
    }

    [Fact, Trait(DatabaseTrait.Name, DatabaseTrait.Postgres)]
    public async Task A_viewer_on_one_instance_shows_on_another_and_leaves_it_when_they_close_the_chat()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var first = InboxApp.Over(database);
        await using var second = InboxApp.Over(database);
        await Task.WhenAll(first.InitializeAsync(), second.InitializeAsync());
        var customer = await first.NewUserAsync("customer");
        var (sam, maya) = (await first.NewTeamMemberAsync("moderator"), await first.NewTeamMemberAsync("moderator"));
        var chat = await first.SupportChatForAsync(customer);
        var overThere = new Received();
        using var feed = (await second.Services.GetRequiredService<ChatNotifier>()
            .SubscribeChannelAsync(Person(maya.Id), chat, null, overThere.Handler)).Value!;

        var viewing = (await first.Services.GetRequiredService<ChatViewers>().ViewAsync(Person(sam.Id), chat)).Value!;
        await overThere.WaitForAsync(e => e.DataAs<ViewersChanged>()?.Viewers.Any(v => v.Id == sam.Id) == true);
        second.Services.GetRequiredService<ChatViewers>().Of(chat).Select(v => v.Id).ShouldBe([sam.Id]);

        viewing.Dispose();
        await overThere.WaitForAsync(e => e.DataAs<ViewersChanged>() is { Viewers.Count: 0 });
        second.Services.GetRequiredService<ChatViewers>().Of(chat).ShouldBeEmpty();
    }

    private static Func<List<(JsonNode Event, string Subscription)>, bool> Told(string userId, bool present) => events =>
        events.Count > 0 && events.Last().Event["type"]!.GetValue<string>() == ChatEventTypes.ViewersChanged
        && events.Last().Event["data"]!["viewers"]!.AsArray().Any(v => v!["id"]!.GetValue<string>() == userId) == present;

    private async Task<string> OtherCompanysModeratorAsync()
    {
        var second = await app.SecondCompanyAsync();
        var username = $"elsewhere-{Guid.NewGuid():N}"[..24];
        var user = await second.Backend.PostJsonAsync("/api/v1/users", new { username, name = "Elsewhere Moderator" }).OkJsonAsync();
        await second.Backend.PostJsonAsync("/api/v1/team_members", new { user_id = user.Id(), role = "moderator" }).OkJsonAsync();
        return user.Id();
    }

    private static Actor Person(string userId) => new(userId, Credential.Session, null, null, new HashSet<string>());
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Support;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Realtime;

/// <summary>
/// What Blazor pages get: <see cref="ChatNotifier"/> subscriptions, filtered by the rights table, fed
/// by the services' events through PostgreSQL (the same path as other instances' events).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ChatNotifierTests(InboxApp app)
{
    private ChatNotifier Notifier => app.Services.GetRequiredService<ChatNotifier>();

    [Fact]
    public async Task A_customer_following_their_chat_receives_the_teams_reply_with_the_next_position()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        var received = new Received();
        using var subscription = (await Notifier.SubscribeChannelAsync(Person(customer.Id), chat, null, received.Handler)).Value!;

        var reply = await app.Backend().SendAsync(chat, "We are on it.");

        var evt = await received.WaitForAsync(e => e.Type == ChatEventTypes.MessageCreated);
        evt.Position.ShouldBe(subscription.StartPosition + 1);
        var message = evt.DataAs<MessageEvent>()!.Message;
        (message.Id, message.Content, message.MessageType).ShouldBe((reply.Id(), "We are on it.", MessageType.Automated));
        evt.Channel!.Status.ShouldBe(SupportStatus.Waiting, "the team spoke last");
        subscription.Position.ShouldBe(evt.Position!.Value);
    }

    [Fact]
    public async Task Every_event_of_a_support_chat_says_the_status_the_previous_event_left_it_in()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "Hello?");
        await app.Backend().SendAsync(chat, "Hi! How can we help?");
        (await app.Backend().PostAsync($"/api/v1/support_channels/{chat}/resolve", null)).EnsureSuccessStatusCode();
        await customer.Client.SendAsync(chat, "One more thing.");

        var received = new Received();
        using var subscription = (await Notifier.SubscribeChannelAsync(Person(customer.Id), chat, 0, received.Handler)).Value!;
        var last = await received.WaitForAsync(e => e.DataAs<MessageEvent>()?.Message.Content == "One more thing.");

        var steps = received.All.TakeWhile(e => e.Position <= last.Position)
            .Select(e => (e.Type, e.Channel!.StatusBefore, e.Channel.Status)).ToList();
        steps.ShouldBe([
            (ChatEventTypes.SupportChatCreated, null, SupportStatus.Waiting),
            (ChatEventTypes.MessageCreated, SupportStatus.Waiting, SupportStatus.Open),
            (ChatEventTypes.MessageCreated, SupportStatus.Open, SupportStatus.Waiting),
            (ChatEventTypes.SupportChatResolved, SupportStatus.Waiting, SupportStatus.Resolved),
            (ChatEventTypes.MessageCreated, SupportStatus.Resolved, SupportStatus.Resolved), // "… resolved this chat."
            (ChatEventTypes.SupportChatReopened, SupportStatus.Resolved, SupportStatus.Open),
            (ChatEventTypes.MessageCreated, SupportStatus.Open, SupportStatus.Open), // "… reopened this chat."
            (ChatEventTypes.MessageCreated, SupportStatus.Open, SupportStatus.Open),
        ]);
    }

    [Fact]
    public async Task A_customer_cannot_follow_another_customers_chat_and_it_does_not_exist_for_them()
    {
        var owner = await app.NewUserAsync("customer");
        var other = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(owner);

        var refused = await Notifier.SubscribeChannelAsync(Person(other.Id), chat, null, new Received().Handler);

        refused.Failure!.Kind.ShouldBe(FailureKind.NotFound);
        (await Notifier.SubscribeInboxAsync(Person(other.Id), await app.CompanyIdAsync(), new Received().Handler)).Failure!.Kind
            .ShouldBe(FailureKind.Forbidden);
    }

    [Fact]
    public async Task Catching_up_from_a_position_delivers_every_later_event_once_and_in_order_then_continues_live()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        for (var i = 1; i <= 5; i++) await customer.Client.SendAsync(chat, $"Message {i}");

        var received = new Received();
        using var subscription = (await Notifier.SubscribeChannelAsync(Person(customer.Id), chat, 0, received.Handler)).Value!;
        await received.WaitForAsync(e => e.Position == 6);
        await app.Backend().SendAsync(chat, "Live");
        await received.WaitForAsync(e => e.Position == 7);
        await Task.Delay(300);

        received.All.Select(e => e.Position).ShouldBe([1, 2, 3, 4, 5, 6, 7]);
        received.All[0].Type.ShouldBe(ChatEventTypes.SupportChatCreated);
        received.All.Skip(1).Select(e => e.DataAs<MessageEvent>()!.Message.Content)
            .ShouldBe(["Message 1", "Message 2", "Message 3", "Message 4", "Message 5", "Live"]);
    }

    [Fact]
    public async Task Catching_up_from_before_the_pruned_part_of_the_log_says_resync_then_goes_on_from_the_oldest_kept_event()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        for (var i = 1; i <= 5; i++) await customer.Client.SendAsync(chat, $"Old message {i}");
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync())
            await db.Database.ExecuteSqlAsync($"UPDATE channel_events SET created_at = {db.Dialect.Time(DateTimeOffset.UtcNow.AddDays(-30))} WHERE channel_id = {chat}");

        var pruned = await app.Services.GetRequiredService<ChatEventLog>().PruneAsync(DateTimeOffset.UtcNow.AddDays(-7));

        pruned.ShouldBeGreaterThanOrEqualTo(5, "positions 1 to 5 of this chat are past the retention period; its latest (6) stays");
        var received = new Received();
        using var subscription = (await Notifier.SubscribeChannelAsync(Person(customer.Id), chat, 0, received.Handler)).Value!;
        await received.WaitForAsync(e => e.Position == 6);
        await app.Backend().SendAsync(chat, "New");
        await received.WaitForAsync(e => e.Position == 7);

        received.All.Select(e => (e.Type, e.ChannelId, e.Position)).ShouldBe([
            (ChatEventTypes.Resync, chat, null), (ChatEventTypes.MessageCreated, chat, 6), (ChatEventTypes.MessageCreated, chat, 7)]);
    }

    [Fact]
    public async Task A_refused_send_writes_no_event_and_takes_no_position()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        var before = await PositionAsync(chat);

        var refused = await customer.Client.PostJsonAsync(DmScenario.Messages,
            new { channel_id = chat, content = "Hi", replying_to_message_id = "post_doesnotexist000000" });

        await refused.ShouldBeProblemAsync(400, "replying_to_message_id");
        (await PositionAsync(chat)).ShouldBe(before);
    }

    [Fact]
    public async Task The_inbox_hears_a_chat_open_resolve_and_reopen_by_the_customers_reply_each_with_its_system_message()
    {
        var moderator = await app.NewTeamMemberAsync("moderator");
        var inbox = new Received();
        using var subscription = (await Notifier.SubscribeInboxAsync(Person(moderator.Id), await app.CompanyIdAsync(), inbox.Handler)).Value!;
        var customer = await app.NewUserAsync("customer");

        var chat = await app.SupportChatForAsync(customer);
        (await inbox.WaitForAsync(e => e.ChannelId == chat)).Type.ShouldBe(ChatEventTypes.SupportChatCreated);
        await moderator.Client.PostAsync($"/api/v1/support_channels/{chat}/resolve", null).OkJsonAsync();
        await customer.Client.SendAsync(chat, "Actually, one more thing");
        await inbox.WaitForAsync(e => e.ChannelId == chat && e.DataAs<MessageEvent>()?.Message.Content == "Actually, one more thing");

        var events = inbox.All.Where(e => e.ChannelId == chat).ToList();
        events.Select(e => (e.Type, e.Channel!.Status)).ShouldBe([
            (ChatEventTypes.SupportChatCreated, SupportStatus.Waiting),
            (ChatEventTypes.SupportChatResolved, SupportStatus.Resolved),
            (ChatEventTypes.MessageCreated, SupportStatus.Resolved),
            (ChatEventTypes.SupportChatReopened, SupportStatus.Open),
            (ChatEventTypes.MessageCreated, SupportStatus.Open),
            (ChatEventTypes.MessageCreated, SupportStatus.Open),
        ]);
        events[2].DataAs<MessageEvent>()!.Message.MessageType.ShouldBe(MessageType.System);
        events[0].DataAs<SupportChatChanged>()!.Customer.Id.ShouldBe(customer.Id);
        events.Select(e => e.Position).ShouldBe([1, 2, 3, 4, 5, 6]);
    }

    [Fact]
    public async Task Sending_marking_read_and_reacting_at_once_in_one_chat_all_succeed_each_with_its_own_position()
    {
        var customer = await app.NewUserAsync("customer");
        var moderator = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var first = (await customer.Client.SendAsync(chat, "Start")).Id();
        var start = await PositionAsync(chat);

        // Each takes the channel's lock before any member row, so none can deadlock another.
        // (More at once than one caller's share of the bound on database work: the refused are sent again, as clients do.)
        await Task.WhenAll(Enumerable.Range(0, 10).SelectMany(i => new[]
        {
            ApiClient.RetryingBusyAsync(() => customer.Client.PostJsonAsync(DmScenario.Messages, new { channel_id = chat, content = $"Customer {i}" })).OkJsonAsync(),
            ApiClient.RetryingBusyAsync(() => customer.Client.PostAsync($"/api/v1/support_channels/{chat}/mark_read", null)).OkJsonAsync(),
            ApiClient.RetryingBusyAsync(() => moderator.Client.PostJsonAsync(DmScenario.Messages, new { channel_id = chat, content = $"Team {i}" })).OkJsonAsync(),
            ApiClient.RetryingBusyAsync(() => moderator.Client.PostAsync($"/api/v1/support_channels/{chat}/mark_read", null)).OkJsonAsync(),
            ApiClient.RetryingBusyAsync(() => moderator.Client.PostJsonAsync(DmScenario.Reactions, new { resource_id = first, emoji = $"e{i}" })).OkJsonAsync(),
        }));

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var positions = await db.ChannelEvents.Where(e => e.ChannelId == chat && e.Position > start).OrderBy(e => e.Position)
            .Select(e => e.Position).ToListAsync();
        positions.ShouldBe(Enumerable.Range(1, positions.Count).Select(p => start + p).ToList(), "no gaps, no repeats");
        positions.Count.ShouldBeGreaterThanOrEqualTo(30, "20 messages and 10 reactions, and read marks where something was unread");
    }

    [Fact]
    public async Task A_member_removed_while_they_send_gets_answers_not_server_errors()
    {
        var (alice, bob, carol) = (await app.NewUserAsync("alice"), await app.NewUserAsync("bob"), await app.NewUserAsync("carol"));
        var dm = (await alice.Client.CreateDmAsync(bob.Id, carol.Id)).Id();
        var membership = await alice.Client.MemberIdAsync(dm, bob.Id);

        var sends = Enumerable.Range(0, 8).Select(i => bob.Client.PostJsonAsync(DmScenario.Messages, new { channel_id = dm, content = $"Bob {i}" })).ToList();
        var removal = alice.Client.DeleteAsync($"{DmScenario.Members}/{membership}");
        var answers = await Task.WhenAll([.. sends, removal]);

        answers.Select(a => (int)a.StatusCode).ShouldAllBe(status => status == 200 || status == 403 || status == 404);
        ((int)(await removal).StatusCode).ShouldBe(200);
    }

    [Fact]
    public async Task A_DM_member_who_is_removed_is_told_and_then_hears_nothing_more()
    {
        var (alice, bob) = (await app.NewUserAsync("alice"), await app.NewUserAsync("bob"));
        var dm = (await alice.Client.CreateDmAsync(bob.Id)).Id();
        var heard = new Received();
        using var subscription = (await Notifier.SubscribeChannelAsync(Person(bob.Id), dm, null, heard.Handler)).Value!;

        await alice.Client.DeleteAsync($"{DmScenario.Members}/{await alice.Client.MemberIdAsync(dm, bob.Id)}");
        await heard.WaitForAsync(e => e.Type == ChatEventTypes.AccessRevoked);
        await alice.Client.SendAsync(dm, "Bob can't read this");
        await Task.Delay(500);

        heard.All.Select(e => e.Type).ShouldBe([ChatEventTypes.MemberRemoved, ChatEventTypes.AccessRevoked]);
        heard.All[0].DataAs<MemberRemoved>()!.UserId.ShouldBe(bob.Id);
        subscription.IsActive.ShouldBeFalse();
    }

    [Fact]
    public async Task A_persons_conversations_feed_follows_the_DMs_they_are_added_to_and_removed_from()
    {
        var (alice, bob, carol) = (await app.NewUserAsync("alice"), await app.NewUserAsync("bob"), await app.NewUserAsync("carol"));
        var feed = new Received();
        using var subscription = (await Notifier.SubscribeConversationsAsync(Person(bob.Id), feed.Handler)).Value!;

        var dm = (await alice.Client.CreateDmAsync(bob.Id, carol.Id)).Id();
        await alice.Client.SendAsync(dm, "Welcome");
        await alice.Client.PatchJsonAsync($"{DmScenario.Channels}/{dm}", new { custom_name = "Book club" }).OkJsonAsync();
        var bobsMembership = await alice.Client.MemberIdAsync(dm, bob.Id);
        await alice.Client.DeleteAsync($"{DmScenario.Members}/{bobsMembership}");
        await alice.Client.SendAsync(dm, "Not for Bob");
        await alice.Client.PostJsonAsync(DmScenario.Members, new { channel_id = dm, user_id = bob.Id }).OkJsonAsync();
        await alice.Client.DeleteAsync($"{DmScenario.Channels}/{dm}");
        await feed.WaitForAsync(e => e.Type == ChatEventTypes.DmDeleted);

        feed.All.Where(e => e.Type != ChatEventTypes.MessageCreated).Select(e => e.Type).ShouldBe([
            ChatEventTypes.DmCreated, ChatEventTypes.DmRenamed, ChatEventTypes.MemberRemoved, ChatEventTypes.MemberAdded, ChatEventTypes.DmDeleted,
        ]);
        var contents = feed.All.Select(e => e.DataAs<MessageEvent>()?.Message.Content).OfType<string>().ToList();
        contents.ShouldContain("Welcome");
        contents.ShouldNotContain("Not for Bob");
        feed.All.Single(e => e.Type == ChatEventTypes.DmDeleted).DataAs<DmDeleted>()!.MemberIds.ShouldContain(bob.Id);
    }

    [Fact]
    public async Task Someone_added_to_a_DM_hears_the_messages_that_follow_at_once()
    {
        var (alice, bob, carol) = (await app.NewUserAsync("alice"), await app.NewUserAsync("bob"), await app.NewUserAsync("carol"));
        var dm = (await alice.Client.CreateDmAsync(bob.Id)).Id();
        var feed = new Received();
        using var subscription = (await Notifier.SubscribeConversationsAsync(Person(carol.Id), feed.Handler)).Value!;

        await alice.Client.PostJsonAsync(DmScenario.Members, new { channel_id = dm, user_id = carol.Id }).OkJsonAsync();
        await Task.WhenAll(Enumerable.Range(1, 5).Select(i => alice.Client.SendAsync(dm, $"Hi Carol {i}")));
        await feed.WaitForAsync(e => feed.All.Count(x => x.DataAs<MessageEvent>()?.Message.Content.StartsWith("Hi Carol") == true) == 5);

        feed.All[0].Type.ShouldBe(ChatEventTypes.MemberAdded);
        feed.All.Select(e => e.Position).ShouldBe(feed.All.Select(e => e.Position).Order(), "in order");
    }

    [Fact]
    public async Task Reactions_edits_and_deletes_are_announced_with_what_changed()
    {
        var (alice, bob) = (await app.NewUserAsync("alice"), await app.NewUserAsync("bob"));
        var dm = (await alice.Client.CreateDmAsync(bob.Id)).Id();
        var message = (await alice.Client.SendAsync(dm, "First draft")).Id();
        var heard = new Received();
        using var subscription = (await Notifier.SubscribeChannelAsync(Person(bob.Id), dm, null, heard.Handler)).Value!;

        await bob.Client.PostJsonAsync(DmScenario.Reactions, new { resource_id = message, emoji = "👍" }).OkJsonAsync();
        await alice.Client.PostJsonAsync(DmScenario.Reactions, new { resource_id = message, emoji = "👍" }).OkJsonAsync();
        await bob.Client.DeleteAsync($"{DmScenario.Reactions}/{message}?emoji=👍");
        await alice.Client.PatchJsonAsync($"{DmScenario.Messages}/{message}", new { content = "Final draft" }).OkJsonAsync();
        await alice.Client.DeleteAsync($"{DmScenario.Messages}/{message}");
        await heard.WaitForAsync(e => e.Type == ChatEventTypes.MessageDeleted);

        var reactions = heard.All.Select(e => e.DataAs<ReactionChanged>()).OfType<ReactionChanged>().ToList();
        reactions.Select(r => (r.UserId, r.Added, r.ReactionCounts.Single().Count)).ShouldBe([(bob.Id, true, 1), (alice.Id, true, 2), (bob.Id, false, 1)]);
        var edited = heard.All.Single(e => e.Type == ChatEventTypes.MessageEdited).DataAs<MessageEvent>()!.Message;
        (edited.Content, edited.IsEdited).ShouldBe(("Final draft", true));
        var deleted = heard.All.Single(e => e.Type == ChatEventTypes.MessageDeleted).DataAs<MessageDeleted>()!;
        (deleted.MessageId, deleted.AuthorId).ShouldBe((message, alice.Id));
    }

    [Fact]
    public async Task Typing_is_shown_to_the_others_and_lapses_by_itself()
    {
        var customer = await app.NewUserAsync("customer");
        var moderator = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var (seenByTeam, seenByTypist) = (new Received(), new Received());
        using var team = (await Notifier.SubscribeChannelAsync(Person(moderator.Id), chat, null, seenByTeam.Handler)).Value!;
        using var typist = (await Notifier.SubscribeChannelAsync(Person(customer.Id), chat, null, seenByTypist.Handler)).Value!;

        var typing = app.Services.GetRequiredService<TypingTracker>();
        (await typing.StartAsync(Person(customer.Id), chat)).Succeeded.ShouldBeTrue();
        var started = await seenByTeam.WaitForAsync(e => e.Type == ChatEventTypes.TypingStarted);
        var stopped = await seenByTeam.WaitForAsync(e => e.Type == ChatEventTypes.TypingStopped, TypingTracker.Lifetime * 2);

        started.Position.ShouldBeNull("typing is not in the log");
        started.DataAs<Typing>()!.User.Id.ShouldBe(customer.Id);
        (stopped.At - started.At).ShouldBeGreaterThanOrEqualTo(TypingTracker.Lifetime - TimeSpan.FromMilliseconds(100));
        seenByTypist.All.ShouldBeEmpty("nobody needs to be told they are typing");
        (await typing.StartAsync(Person(moderator.Id), "feed_doesnotexist000000")).Failure!.Kind.ShouldBe(FailureKind.NotFound);
    }

    [Fact]
    public async Task Typing_tells_whose_chat_it_is_but_not_where_it_stands_so_a_stop_after_a_reopen_brings_back_no_old_status()
    {
        var customer = await app.NewUserAsync("customer");
        var moderator = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "Hello?");
        (await app.Backend().PostAsync($"/api/v1/support_channels/{chat}/resolve", null)).EnsureSuccessStatusCode();
        var inbox = new Received();
        using var subscription = (await Notifier.SubscribeInboxAsync(Person(moderator.Id), await app.CompanyIdAsync(), inbox.Handler)).Value!;
        var typing = app.Services.GetRequiredService<TypingTracker>();

        // The customer starts typing while the chat is resolved, their message reopens it, then the typing stops.
        (await typing.StartAsync(Person(customer.Id), chat)).Succeeded.ShouldBeTrue();
        await customer.Client.SendAsync(chat, "Actually, one more thing.");
        (await typing.StopAsync(Person(customer.Id), chat)).Value.ShouldBeTrue();

        var started = await inbox.WaitForAsync(e => e.ChannelId == chat && e.Type == ChatEventTypes.TypingStarted);
        var reopened = await inbox.WaitForAsync(e => e.ChannelId == chat && e.Type == ChatEventTypes.SupportChatReopened);
        var stopped = await inbox.WaitForAsync(e => e.ChannelId == chat && e.Type == ChatEventTypes.TypingStopped);
        reopened.Channel!.Status.ShouldBe(SupportStatus.Open);
        // Enough to reach the right people (the company's inbox, the customer), and nothing of the chat's
        // state, which typing does not change: what it knew was from before the reopen.
        var whose = new ChannelSnapshot(ChannelKind.Support, await app.CompanyIdAsync(), customer.Id, null, null, null, null, null);
        started.Channel.ShouldBe(whose);
        stopped.Channel.ShouldBe(whose);
    }

    [Fact]
    public async Task Inbox_badges_follow_events_and_a_burst_makes_one_read_and_one_notification()
    {
        var moderator = await app.NewTeamMemberAsync("moderator");
        var companyId = await app.CompanyIdAsync();
        var notifications = 0;
        using var counts = (await Notifier.WatchInboxBadgesAsync(Person(moderator.Id), companyId,
            () => { Interlocked.Increment(ref notifications); return Task.CompletedTask; }, TimeSpan.FromMilliseconds(400))).Value!;
        await AgreesWithTheApiAsync(counts, moderator);
        var unreadAtStart = counts.Total;

        var allAtStart = counts.ViewsIn(null).All;
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        await Task.Delay(600);
        counts.Total.ShouldBe(unreadAtStart, "a chat with nothing in it has nothing to read");
        counts.ViewsIn(null).All.ShouldBe(allAtStart + 1, "the views count every chat");
        notifications.ShouldBe(1, "one more chat in the views is news");
        await customer.Client.SendAsync(chat, "Hello?");
        await Eventually(() => counts.Total == unreadAtStart + 1 && notifications == 2);
        await Task.Delay(500);
        var before = notifications;
        await Task.WhenAll(Enumerable.Range(1, 5).Select(i => customer.Client.SendAsync(chat, $"Again {i}")));
        await Task.Delay(1_000);
        notifications.ShouldBe(before, "more messages in a chat already unread move no count");

        var others = await Task.WhenAll(Enumerable.Range(1, 8).Select(_ => app.NewUserAsync("customer")));
        var otherChats = await Task.WhenAll(others.Select(app.SupportChatForAsync));
        await Task.Delay(1_000);
        before = notifications;
        await Task.WhenAll(others.Select((other, i) => other.Client.SendAsync(otherChats[i], "Burst")));
        // The first notification, however long a busy machine takes to deliver the events; then time for a stray second.
        await Eventually(() => notifications > before, 10_000);
        await Task.Delay(1_000);

        (notifications - before).ShouldBeInRange(1, 2, "eight new unread chats in a burst make one notification (two if it straddles the window)");
        counts.Total.ShouldBe(unreadAtStart + 9);
        await AgreesWithTheApiAsync(counts, moderator);
        var total = counts.Total;

        await moderator.Client.PostAsync($"/api/v1/support_channels/{chat}/mark_read", null).OkJsonAsync();
        await Eventually(() => counts.Total == total - 1);
        await AgreesWithTheApiAsync(counts, moderator);
    }

    private static async Task AgreesWithTheApiAsync(InboxBadges counts, TestUser moderator)
    {
        var api = await moderator.Client.GetAsync("/api/v1/support_channels/unread_counts").OkJsonAsync();
        await Eventually(() => counts.Counts[SupportStatus.Open] == api["open"]!.GetValue<int>()
            && counts.Counts[SupportStatus.Waiting] == api["waiting"]!.GetValue<int>()
            && counts.Counts[SupportStatus.Resolved] == api["resolved"]!.GetValue<int>());
    }

    private async Task<long> PositionAsync(string channelId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Channels.Where(c => c.Id == channelId).Select(c => c.EventPosition).SingleAsync();
    }

    private static Actor Person(string userId) => new(userId, Credential.Session, null, null, new HashSet<string>());

    private static async Task Eventually(Func<bool> condition, int timeoutMs = 5_000)
    {
        for (var waited = 0; !condition(); waited += 50)
        {
            if (waited > timeoutMs) condition().ShouldBeTrue($"not true within {timeoutMs} ms");
            await Task.Delay(50);
        }
    }
}

/// <summary>What a subscriber has received, in order, and a way to wait for what should come.</summary>
internal sealed class Received
{
    private readonly List<ChatEvent> _events = [];
    private readonly SemaphoreSlim _arrived = new(0);

    public Func<ChatEvent, Task> Handler => evt =>
    {
        lock (_events) _events.Add(evt);
        _arrived.Release();
        return Task.CompletedTask;
    };

    public IReadOnlyList<ChatEvent> All
    {
        get { lock (_events) return [.. _events]; }
    }

    public async Task<ChatEvent> WaitForAsync(Func<ChatEvent, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (All.FirstOrDefault(predicate) is { } found) return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
                throw new ShouldAssertException($"The awaited event did not come. Received: {string.Join(", ", All.Select(e => $"{e.Type}@{e.Position}"))}");
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Admission;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Writes;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Observability;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Messaging;

/// <summary>
/// Group commit: sends that arrive together written in one transaction and one commit. Most tests hand
/// <see cref="MessageService.SendTogether"/> a batch of their choosing, so what is in one batch is known,
/// not a matter of timing; the last ones send through the queue as callers do.
/// </summary>
public sealed class GroupCommitTests(InboxApp app) : IClassFixture<InboxApp>
{
    private MessageService Messages => app.Services.GetRequiredService<MessageService>();

    [Fact]
    public async Task Sends_to_one_conversation_in_one_batch_keep_the_order_they_came_in()
    {
        var first = await app.NewUserAsync("customer");
        var second = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(first);
        var other = await app.SupportChatForAsync(second);

        var answers = await Task.WhenAll(Messages.SendTogether([
            new Send(Person(first), chat, "one"),
            new Send(Person(second), other, "elsewhere"),
            new Send(Person(first), chat, "two"),
            new Send(Person(first), chat, "three"),
        ]));

        answers.ShouldAllBe(a => a.Failure == null);
        (await first.Client.MessagesAsync(chat)).Select(m => m!.Str("content")).ShouldBe(["one", "two", "three"]);
        // Their events too: message.created at rising positions, in the same order.
        var ids = answers.Where(a => a.Value!.ChannelId == chat).Select(a => a.Value!.Id).ToList();
        (await EventsAsync(chat, ChatEventTypes.MessageCreated)).Select(payload => ids.Single(payload.Contains)).ShouldBe(ids);
        (await second.Client.MessagesAsync(other)).Select(m => m!.Str("content")).ShouldBe(["elsewhere"]);
    }

    [Fact]
    public async Task A_client_message_id_retried_inside_a_batch_and_in_a_later_one_writes_one_message()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        var actor = Person(customer);

        var together = await Task.WhenAll(Messages.SendTogether([
            new Send(actor, chat, "Only once", ClientMessageId: "gc-1"),
            new Send(actor, chat, "Only once", ClientMessageId: "gc-1"),
            new Send(actor, chat, "Another", ClientMessageId: "gc-2"),
        ]));
        var later = await Task.WhenAll(Messages.SendTogether([
            new Send(actor, chat, "Only once", ClientMessageId: "gc-1"),
            new Send(actor, chat, "Another", ClientMessageId: "gc-2"),
            new Send(actor, chat, "Only once", ClientMessageId: "gc-1"),
        ]));

        together.Concat(later).ShouldAllBe(a => a.Failure == null);
        var firstId = together[0].Value!.Id;
        new[] { together[1], later[0], later[2] }.ShouldAllBe(a => a.Value!.Id == firstId);
        later[1].Value!.Id.ShouldBe(together[2].Value!.Id);
        (await customer.Client.MessagesAsync(chat)).Select(m => m!.Str("content")).ShouldBe(["Only once", "Another"]);
        (await EventsAsync(chat, ChatEventTypes.MessageCreated)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_send_to_a_deleted_conversation_or_by_someone_who_lost_their_rights_is_refused_alone_and_the_others_commit()
    {
        var owner = await app.NewUserAsync("owner");
        var member = await app.NewUserAsync("member");
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        var gone = (await owner.Client.CreateDmAsync(member.Id)).Id();
        var kept = (await owner.Client.CreateDmAsync(member.Id, customer.Id)).Id();
        (await owner.Client.DeleteAsync($"{DmScenario.Channels}/{gone}")).IsSuccessStatusCode.ShouldBeTrue();
        var membership = await owner.Client.MemberIdAsync(kept, member.Id);
        (await owner.Client.DeleteAsync($"{DmScenario.Members}/{membership}")).IsSuccessStatusCode.ShouldBeTrue();

        var answers = await Task.WhenAll(Messages.SendTogether([
            new Send(Person(customer), chat, "before"),
            new Send(Person(owner), gone, "to a DM deleted a moment ago"),
            new Send(Person(member), kept, "from someone no longer in it"),
            new Send(Person(owner), kept, "from its owner"),
            new Send(Person(customer), chat, "after"),
        ]));

        answers[1].Failure.ShouldNotBeNull().Kind.ShouldBe(FailureKind.NotFound);
        answers[2].Failure.ShouldNotBeNull().Kind.ShouldBeOneOf(FailureKind.NotFound, FailureKind.Forbidden);
        new[] { answers[0], answers[3], answers[4] }.ShouldAllBe(a => a.Failure == null);
        (await customer.Client.MessagesAsync(chat)).Select(m => m!.Str("content")).ShouldBe(["before", "after"]);
        (await owner.Client.MessagesAsync(kept)).Where(m => m!.Str("message_type") != "system").Select(m => m!.Str("content"))
            .ShouldBe(["from its owner"]);
        await using var db = Database();
        (await db.Messages.CountAsync(m => m.ChannelId == gone)).ShouldBe(0);
    }

    [Fact]
    public async Task A_refused_send_in_a_batch_leaves_the_conversations_unread_counts_as_the_others_make_them()
    {
        var customer = await app.NewUserAsync("customer");
        var agent = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var stranger = await app.NewUserAsync("customer");

        var answers = await Task.WhenAll(Messages.SendTogether([
            new Send(Person(customer), chat, "first"),
            new Send(Person(stranger), chat, "not my chat"),
            new Send(Person(customer), chat, "second"),
        ]));

        answers[1].Failure.ShouldNotBeNull();
        await using var db = Database();
        (await db.Messages.CountAsync(m => m.ChannelId == chat)).ShouldBe(2);
        // What the agent's inbox counts comes from the same bookkeeping a send alone does: two unread.
        var unread = await agent.Client.GetAsync($"/api/v1/support_channels/{chat}").OkJsonAsync();
        unread["unread_count"]!.GetValue<int>().ShouldBe(2);
        await UnreadCountsTests.KeptCountsMatchAsync(app, "a batch with a refused send");
    }

    [Fact]
    public async Task Resolves_and_batched_sends_to_the_same_chats_at_once_all_finish_and_every_message_lands_once()
    {
        var customers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.NewUserAsync("customer")));
        var chats = await Task.WhenAll(customers.Select(c => app.SupportChatForAsync(c)));
        var backend = app.Backend();
        const int Rounds = 6;

        // Batches that touch every chat (and, as a customer writes to a resolved chat, reopen it), while
        // the team resolves the same chats one by one: each takes a chat's lock and then its company's tallies.
        var sending = Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                var answers = await Task.WhenAll(Messages.SendTogether(customers.Select((c, i) =>
                    new Send(Person(c), chats[i], $"round {round}", ClientMessageId: $"round-{round}")).Reverse().ToList()));
                answers.ShouldAllBe(a => a.Failure == null);
            }
        });
        var resolving = Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
                foreach (var chat in chats)
                    ((int)(await ApiClient.RetryingBusyAsync(() => backend.PostAsync($"/api/v1/support_channels/{chat}/resolve", null))).StatusCode)
                        .ShouldBe(200);
        });
        // A bound on a hang, not a measure of speed: a deadlock the database did not break would stop here.
        await Task.WhenAll(sending, resolving).WaitAsync(TimeSpan.FromMinutes(2));

        await UnreadCountsTests.KeptCountsMatchAsync(app, "batches and resolves at once");
        await using var db = Database();
        foreach (var chat in chats)
        {
            var contents = await db.Messages.Where(m => m.ChannelId == chat && m.Type != MessageType.System).Select(m => m.Content).ToListAsync();
            contents.Order().ShouldBe(Enumerable.Range(0, Rounds).Select(r => $"round {r}").Order());
        }
    }

    [Fact]
    public async Task The_batch_size_is_measured_once_per_commit_with_the_messages_it_wrote()
    {
        using var sizes = app.Collect<int>("inbox.writes.batch.size");
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        var stranger = await app.NewUserAsync("customer");

        await Task.WhenAll(Messages.SendTogether([
            new Send(Person(customer), chat, "a", ClientMessageId: "size-a"),
            new Send(Person(customer), chat, "b"),
            new Send(Person(stranger), chat, "refused"),
            new Send(Person(customer), chat, "a again", ClientMessageId: "size-a"),
            new Send(Person(customer), chat, "c"),
        ]));
        await Messages.CreateAsync(Person(customer), chat, "alone", replyingToMessageId: null);

        // Three written by the batch (the refusal and the retry wrote nothing), then one alone.
        sizes.GetMeasurementSnapshot().Select(m => m.Value).ShouldBe([3, 1]);
    }

    [Fact]
    public async Task Sends_through_the_queue_each_commit_once_and_every_message_is_counted_in_one_batch()
    {
        using var sizes = app.Collect<int>("inbox.writes.batch.size");
        var customers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.NewUserAsync("customer")));
        var chats = await Task.WhenAll(customers.Select(c => app.SupportChatForAsync(c)));

        var sent = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => Messages.CreateAsync(Person(customers[i % 4]), chats[i % 4], $"queued {i}", replyingToMessageId: null))));

        sent.ShouldAllBe(s => s.Failure == null);
        var measured = sizes.GetMeasurementSnapshot().Select(m => m.Value).ToList();
        measured.Sum().ShouldBe(40);
        measured.ShouldAllBe(size => size >= 1 && size <= 64);
        await using var db = Database();
        for (var c = 0; c < 4; c++)
        {
            var contents = await db.Messages.Where(m => m.ChannelId == chats[c]).Select(m => m.Content).ToListAsync();
            contents.Order().ShouldBe(Enumerable.Range(0, 40).Where(i => i % 4 == c).Select(i => $"queued {i}").Order());
        }
    }

    [Fact]
    public async Task A_page_send_that_would_wait_for_another_callers_batch_is_admitted_for_its_own_caller_and_refused_at_once_past_its_share()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        var admission = app.Services.GetRequiredService<DatabaseAdmission>();
        var page = new Caller($"page:{customer.Id}", null);
        var held = await Task.Run(() => Enumerable.Range(0, admission.CallerShare).Select(_ => admission.TryAdmit(page)!).ToList());
        try
        {
            List<Task<Outcome<MessageView>>> waiting;
            Task<Outcome<MessageView>> fromThePage;
            // The chat locked as a change in progress holds it: the writers' batches wait for it.
            var locked = await app.Services.GetRequiredService<ConversationWrites>().BeginAsync(Person(customer), chat, CancellationToken.None);
            await using (locked)
            {
                // The app's own sends (no caller) take every writer's place and wait on the lock.
                waiting = Enumerable.Range(0, 3).Select(i =>
                    Task.Run(() => Messages.CreateAsync(Person(customer), chat, $"waiting {i}", replyingToMessageId: null))).ToList();
                await Task.Delay(300);
                fromThePage = FromThePage();
                // Refused before it queues, while the batches still wait: not written later by another caller's batch.
                var refusal = await Should.ThrowAsync<DatabaseBusyException>(fromThePage.WaitAsync(TimeSpan.FromSeconds(2)));
                refusal.RetryAfterSeconds.ShouldBe(admission.RetryAfterSeconds);
                waiting.ShouldAllBe(w => !w.IsCompleted);
            }
            (await Task.WhenAll(waiting)).ShouldAllBe(w => w.Failure == null);
        }
        finally
        {
            foreach (var place in held) place.Dispose();
        }
        admission.Held.ShouldBe(0);
        await using var db = Database();
        (await db.Messages.CountAsync(m => m.ChannelId == chat && m.Content == "from the page")).ShouldBe(0);

        // With room again, the page's send goes through and gives its place back once answered.
        var sent = await FromThePage();
        sent.Failure.ShouldBeNull();
        admission.Held.ShouldBe(0);

        // As a page's click sends: in a flow whose connections are admitted for the page's caller.
        Task<Outcome<MessageView>> FromThePage() => Task.Run(() =>
        {
            DatabaseAdmission.ActFor(page);
            return Messages.CreateAsync(Person(customer), chat, "from the page", replyingToMessageId: null);
        });
    }

    private static Actor Person(TestUser user) => new(user.Id, Credential.Session, null, null, new HashSet<string>());

    private InboxDbContext Database() => app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContext();

    /// <summary>The stored events of a type, in the order of their positions: each one's JSON.</summary>
    private async Task<List<string>> EventsAsync(string channelId, string type)
    {
        await using var db = Database();
        return await db.ChannelEvents.Where(e => e.ChannelId == channelId && e.Type == type).OrderBy(e => e.Position)
            .Select(e => e.Payload).ToListAsync();
    }
}

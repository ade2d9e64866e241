using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Unread;
using Whop.Inbox.Support;
using Whop.Inbox.TestSupport;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Realtime;

namespace Whop.Inbox.Tests.Messaging;

/// <summary>
/// Unread counts are kept on write. Every kind of change goes through the API here, and after each the
/// kept counts must equal what the definition gives counted from the messages themselves: a message is
/// unread for a person when it is not a system note, not deleted, not theirs, theirs to read (a note is not the
/// customer's) and newer than their mark; and each assignee's tally is the chats they have per status.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class UnreadCountsTests(InboxApp app)
{
    private const string Chats = "/api/v1/support_channels";

    [Fact]
    public async Task Every_change_to_a_support_chat_keeps_the_counts_equal_to_counting_the_messages()
    {
        var customer = await app.NewUserAsync("customer");
        var reader = await app.NewTeamMemberAsync("moderator");
        var newcomer = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        await KeptCountsMatchTheMessagesAsync("an empty chat");
        (await UnreadAsync(newcomer, chat)).ShouldBe(0, "an empty chat has nothing to read");

        await customer.Client.SendAsync(chat, "My order has not arrived.");
        var hello = (await customer.Client.SendAsync(chat, "It was due on Monday.")).Str("id");
        await KeptCountsMatchTheMessagesAsync("the customer's first messages");
        (await UnreadAsync(reader, chat)).ShouldBe(2, "a team member who never opened it has everything unread");

        await reader.Client.PostAsync($"{Chats}/{chat}/mark_read", null).OkJsonAsync();
        await KeptCountsMatchTheMessagesAsync("a team member's first read");
        (await UnreadAsync(reader, chat)).ShouldBe(0);

        await customer.Client.SendAsync(chat, "Hello?");
        (await UnreadAsync(reader, chat)).ShouldBe(1);
        await reader.Client.SendAsync(chat, "Sorry for the wait: it ships today.");
        await KeptCountsMatchTheMessagesAsync("a reply");
        (await UnreadAsync(reader, chat)).ShouldBe(0, "replying reads the chat");
        (await UnreadAsync(customer, chat)).ShouldBe(1);
        (await UnreadAsync(newcomer, chat)).ShouldBe(4);

        await app.Backend().PostAsync($"{Chats}/{chat}/resolve", null).OkJsonAsync();
        await KeptCountsMatchTheMessagesAsync("resolving");
        (await UnreadAsync(customer, chat)).ShouldBe(1, "the note that the chat was resolved asks nothing of anyone");

        await customer.Client.SendAsync(chat, "Thanks! One more question.");
        await KeptCountsMatchTheMessagesAsync("the customer's reply reopening it");
        (await UnreadAsync(reader, chat)).ShouldBe(1);

        await reader.Client.DeleteAsync($"/api/v1/messages/{hello}");
        await KeptCountsMatchTheMessagesAsync("a moderator deleting a message");
        (await UnreadAsync(newcomer, chat)).ShouldBe(4, "a deleted message is not unread");
        (await UnreadAsync(reader, chat)).ShouldBe(1, "they had read the deleted one already");

        await app.Backend().PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Automated: your parcel is out for delivery." })
            .OkJsonAsync();
        await customer.Client.PostAsync($"{Chats}/{chat}/mark_read", null).OkJsonAsync();
        await app.Backend().PostAsync($"{Chats}/{chat}/reopen", null).OkJsonAsync();
        await KeptCountsMatchTheMessagesAsync("an integration's message, a read and a reopen");
        (await UnreadAsync(customer, chat)).ShouldBe(0);
        (await UnreadAsync(reader, chat)).ShouldBe(2);

        // Notes: unread for the team, never for the customer.
        await newcomer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Internal: refund approved?", visibility = "team" })
            .OkJsonAsync();
        await KeptCountsMatchTheMessagesAsync("a note");
        var label = await app.Backend().PostJsonAsync("/api/v1/labels", new { name = $"counts-{Guid.NewGuid():N}"[..20], color = "#1565c0" })
            .OkJsonAsync();
        await reader.Client.PatchJsonAsync($"{Chats}/{chat}", new { label_ids = new[] { label.Id() }, priority = "high" }).OkJsonAsync();
        await KeptCountsMatchTheMessagesAsync("labelling a chat and setting its priority (team notes, not messages)");
        await app.Backend().DeleteAsync($"/api/v1/labels/{label.Id()}");
        await KeptCountsMatchTheMessagesAsync("deleting a label a chat carried");
        (await UnreadAsync(customer, chat)).ShouldBe(0, "a note is never the customer's to read");
        (await UnreadAsync(reader, chat)).ShouldBe(3, "a teammate has the note unread");
        await reader.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = $"@{newcomer.Username} yes", visibility = "team" })
            .OkJsonAsync();
        await customer.Client.PostAsync($"{Chats}/{chat}/mark_read", null).OkJsonAsync();
        await KeptCountsMatchTheMessagesAsync("a note mentioning a teammate, and the customer reading");
        (await UnreadAsync(customer, chat)).ShouldBe(0);
        (await UnreadAsync(newcomer, chat)).ShouldBe(1, "the reply to their note");

        // Assignment moves the views' tallies with the chat's status.
        await reader.Client.PatchJsonAsync($"{Chats}/{chat}", new { assignee_id = reader.Id }).OkJsonAsync();
        await KeptCountsMatchTheMessagesAsync("assigning");
        await app.Backend().PostAsync($"{Chats}/{chat}/resolve", null).OkJsonAsync();
        await KeptCountsMatchTheMessagesAsync("resolving an assigned chat");
        await reader.Client.PatchJsonAsync($"{Chats}/{chat}", new { assignee_id = newcomer.Id }).OkJsonAsync();
        await customer.Client.SendAsync(chat, "Reopening with a question.");
        await KeptCountsMatchTheMessagesAsync("reassigning, and the customer reopening it");
        await reader.Client.PatchJsonAsync($"{Chats}/{chat}", new Dictionary<string, object?> { ["assignee_id"] = null }).OkJsonAsync();
        await KeptCountsMatchTheMessagesAsync("unassigning");
    }

    [Fact]
    public async Task A_team_members_badges_count_the_chats_with_something_they_have_not_read_in_each_status()
    {
        var moderator = await app.NewTeamMemberAsync("moderator");
        var before = await BadgesAsync(moderator);
        var empty = await app.SupportChatForAsync(await app.NewUserAsync("customer"));
        var asking = await app.SupportChatForAsync(await app.NewUserAsync("customer"));
        var answered = await app.SupportChatForAsync(await app.NewUserAsync("customer"));
        await app.Backend().PostJsonAsync("/api/v1/messages", new { channel_id = asking, content = "Checking in" }).OkJsonAsync();
        await moderator.Client.SendAsync(answered, "We have refunded you.");
        await app.Backend().PostAsync($"{Chats}/{answered}/resolve", null).OkJsonAsync();
        await app.Backend().PostAsync($"{Chats}/{empty}/resolve", null).OkJsonAsync();

        var after = await BadgesAsync(moderator);
        after[SupportStatus.Waiting].ShouldBe(before[SupportStatus.Waiting] + 1, "the integration's message is unread for them");
        after[SupportStatus.Resolved].ShouldBe(before[SupportStatus.Resolved], "what they wrote is read, and an empty chat has nothing");
        after[SupportStatus.Open].ShouldBe(before[SupportStatus.Open]);
        await KeptCountsMatchTheMessagesAsync("badges");
    }

    [Fact]
    public async Task The_inbox_tabs_count_every_chat_in_each_status_as_chats_open_resolve_and_reopen()
    {
        var before = await TabsAsync();
        var quiet = await app.SupportChatForAsync(await app.NewUserAsync("customer"));
        var asking = await app.SupportChatForAsync(await app.NewUserAsync("customer"));
        await app.Backend().PostJsonAsync("/api/v1/messages", new { channel_id = asking, content = "How can we help?" }).OkJsonAsync();
        (await TabsAsync())[SupportStatus.Waiting].ShouldBe(before[SupportStatus.Waiting] + 2, "a new chat waits for its customer, empty or not");

        await app.Backend().PostAsync($"{Chats}/{quiet}/resolve", null).OkJsonAsync();
        await app.Backend().PostAsync($"{Chats}/{asking}/resolve", null).OkJsonAsync();
        await app.Backend().PostAsync($"{Chats}/{quiet}/reopen", null).OkJsonAsync();
        var after = await TabsAsync();
        after[SupportStatus.Waiting].ShouldBe(before[SupportStatus.Waiting]);
        after[SupportStatus.Resolved].ShouldBe(before[SupportStatus.Resolved] + 1);
        after[SupportStatus.Open].ShouldBe(before[SupportStatus.Open] + 1);
        await KeptCountsMatchTheMessagesAsync("opening, resolving and reopening chats");
    }

    [Fact]
    public async Task A_dms_members_counts_follow_messages_reads_and_a_member_who_joins_later()
    {
        var ana = await app.NewUserAsync();
        var bo = await app.NewUserAsync();
        var cy = await app.NewUserAsync();
        var dm = (await ana.Client.CreateDmAsync(bo.Id)).Str("id");
        await ana.Client.SendAsync(dm, "Lunch?");
        await bo.Client.SendAsync(dm, "Sure, where?");
        await ana.Client.SendAsync(dm, "The usual.");
        await KeptCountsMatchTheMessagesAsync("a DM's messages");
        (await DmUnreadAsync(bo, dm)).ShouldBe(1);

        await ana.Client.PostJsonAsync(DmScenario.Members, new { channel_id = dm, user_id = cy.Id }).OkJsonAsync();
        await KeptCountsMatchTheMessagesAsync("a member joining");
        (await DmUnreadAsync(cy, dm)).ShouldBe(3, "everything said before they joined is new to them; the note that they were added is not");

        await bo.Client.PostAsync($"{DmScenario.Channels}/{dm}/mark_read", null).OkJsonAsync();
        await cy.Client.SendAsync(dm, "Count me in.");
        await KeptCountsMatchTheMessagesAsync("a read and a newcomer's message");
        (await DmUnreadAsync(bo, dm)).ShouldBe(1);
        (await DmUnreadAsync(cy, dm)).ShouldBe(0);
        (await DmUnreadAsync(ana, dm)).ShouldBe(1, "Bo's message came before Ana's last; only Cy's is new to her");
    }

    [Fact]
    public async Task Chats_of_one_company_changing_status_at_once_all_commit_and_the_tallies_add_up()
    {
        // Every reply and every resolve moves a chat between two of the company's tally rows, and the
        // moderator's read tallies with it: at once, in opposite directions, from many connections.
        var moderator = await app.NewTeamMemberAsync("moderator");
        var customers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => app.NewUserAsync("customer")));
        var chats = await Task.WhenAll(customers.Select(app.SupportChatForAsync));
        await Task.WhenAll(customers.Select((customer, i) => customer.Client.SendAsync(chats[i], "Hello")));
        foreach (var chat in chats) await moderator.Client.PostAsync($"{Chats}/{chat}/mark_read", null).OkJsonAsync();

        for (var round = 0; round < 3; round++)
        {
            var answers = await Task.WhenAll(chats.SelectMany((chat, i) => new[]
            {
                Task.Run(async () => (await ApiClient.RetryingBusyAsync(() => moderator.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "On it" }))).StatusCode),
                Task.Run(async () => (await ApiClient.RetryingBusyAsync(() => customers[i].Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Thanks" }))).StatusCode),
                Task.Run(async () => (await ApiClient.RetryingBusyAsync(() => moderator.Client.PostAsync($"{Chats}/{chat}/{((i + round) % 2 == 0 ? "resolve" : "reopen")}", null))).StatusCode),
            }));
            answers.ShouldAllBe(status => status == System.Net.HttpStatusCode.OK, $"round {round + 1}");
        }
        await KeptCountsMatchTheMessagesAsync("changes to one company's chats at once");
    }

    [Fact]
    public async Task A_bulk_resolve_assign_and_reopen_keep_the_counts_equal_to_counting_the_messages()
    {
        var moderator = await app.NewTeamMemberAsync("moderator");
        var colleague = await app.NewTeamMemberAsync("moderator");
        var customers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.NewUserAsync("customer")));
        var chats = new List<string>();
        foreach (var customer in customers)
        {
            var chat = await app.SupportChatForAsync(customer);
            await customer.Client.SendAsync(chat, "Still waiting on my order");
            chats.Add(chat);
        }
        await moderator.Client.PostAsync($"{Chats}/{chats[0]}/mark_read", null).OkJsonAsync();
        await colleague.Client.PostAsync($"{Chats}/{chats[3]}/resolve", null).OkJsonAsync();

        await Bulk(new { ids = chats, action = "assign", assignee_id = colleague.Id });
        await KeptCountsMatchTheMessagesAsync("a bulk assign");
        await Bulk(new { ids = chats, action = "resolve" });
        await KeptCountsMatchTheMessagesAsync("a bulk resolve (one already resolved)");
        await Bulk(new { ids = chats.Take(2), action = "reopen" });
        await KeptCountsMatchTheMessagesAsync("a bulk reopen");

        Task Bulk(object body) => moderator.Client.PostJsonAsync($"{Chats}/bulk", body).OkJsonAsync();
    }

    [Fact]
    public async Task Rows_written_behind_the_apps_back_are_counted_by_the_recount_and_an_author_without_a_row_gets_one()
    {
        var customer = await app.NewUserAsync("customer");
        var moderator = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "Is anyone there?");
        var contexts = app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            // An import: the moderator's answer written straight into the table, no member row for them.
            db.Messages.Add(new Message(chat, moderator.Id, "Yes, we are here.", MessageType.Regular, null, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
            await UnreadCounts.RecountAsync(db);
        }

        await KeptCountsMatchTheMessagesAsync("a recount");
        (await UnreadAsync(customer, chat)).ShouldBe(1);
        (await UnreadAsync(moderator, chat)).ShouldBe(0, "the recount gave the author the row sending would have: read up to their message");
    }

    [Fact]
    public async Task Snoozing_and_every_way_of_waking_keep_the_counts_equal_to_counting_the_chats()
    {
        var customer = await app.NewUserAsync("customer");
        var reader = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "Can we talk next week?");
        await reader.Client.PatchJsonAsync($"{Chats}/{chat}", new { assignee_id = reader.Id }).OkJsonAsync();

        await reader.Client.PatchJsonAsync($"{Chats}/{chat}", new { snooze = new { until = DateTimeOffset.UtcNow.AddDays(7).ToString("O") } }).OkJsonAsync();
        await KeptCountsMatchTheMessagesAsync("a snooze until a time");
        await customer.Client.SendAsync(chat, "Actually, now works.");
        await KeptCountsMatchTheMessagesAsync("the customer's reply waking it");

        await reader.Client.PatchJsonAsync($"{Chats}/{chat}", new { snooze = new { until_customer_replies = true } }).OkJsonAsync();
        await reader.Client.SendAsync(chat, "Send me the screenshot when you can.");
        await KeptCountsMatchTheMessagesAsync("a snooze until the customer replies, and a team reply to it");
        await reader.Client.PatchJsonAsync($"{Chats}/{chat}", new Dictionary<string, object?> { ["snooze"] = null }).OkJsonAsync();
        await KeptCountsMatchTheMessagesAsync("waking it by hand");

        var until = DateTimeOffset.UtcNow.AddSeconds(1);
        await reader.Client.PatchJsonAsync($"{Chats}/{chat}", new { snooze = new { until = until.ToString("O") } }).OkJsonAsync();
        var snoozes = app.Services.GetRequiredService<Whop.Inbox.Support.Snooze.Snoozes>();
        while ((await snoozes.DueAsync(1000)).All(d => d.ChatId != chat)) await Task.Delay(100);
        var due = (await snoozes.DueAsync(1000)).Single(d => d.ChatId == chat);
        await snoozes.WakeIfDueAsync(chat, due.Until);
        (await reader.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["status"]!.GetValue<string>().ShouldBe("open");
        await KeptCountsMatchTheMessagesAsync("waking when its time came");

        await reader.Client.PatchJsonAsync($"{Chats}/{chat}", new { snooze = new { until_customer_replies = true } }).OkJsonAsync();
        await reader.Client.PostAsync($"{Chats}/{chat}/resolve", null).OkJsonAsync();
        await KeptCountsMatchTheMessagesAsync("resolving a snoozed chat");
    }

    /// <summary>
    /// Every kept count in the database against the definition, counted from the messages in LINQ (not the
    /// app's SQL), in one snapshot so other tests' writes cannot tear it.
    /// </summary>
    private Task KeptCountsMatchTheMessagesAsync(string after) => KeptCountsMatchAsync(app, after);

    /// <summary>Every kept count of <paramref name="app"/>'s database equals counting its messages again, in one snapshot.</summary>
    internal static async Task KeptCountsMatchAsync(InboxApp app, string after)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        var counted = db.Messages.Where(m => m.Type != MessageType.System && m.DeletedAt == null);

        var wrongMembers = await db.ChannelMembers
            .Select(r => new
            {
                r.ChannelId, r.UserId, Kept = r.UnreadCount,
                Counted = counted.Count(m => m.ChannelId == r.ChannelId && m.AuthorId != r.UserId
                    && (m.Visibility == MessageVisibility.Everyone || db.Channels.Any(c => c.Id == r.ChannelId && c.CustomerId != r.UserId))
                    && (r.LastViewedAt == null || m.CreatedAt > r.LastViewedAt)),
            })
            .Where(x => x.Kept != x.Counted).ToListAsync();
        wrongMembers.ShouldBeEmpty($"each member's unread count after {after}");

        var wrongChannels = await db.Channels
            .Select(c => new { c.Id, Kept = c.MessageCount, Counted = counted.Count(m => m.ChannelId == c.Id) })
            .Where(x => x.Kept != x.Counted).ToListAsync();
        wrongChannels.ShouldBeEmpty($"each conversation's message count after {after}");

        var withMessages = db.Channels.Where(c => c.Kind == ChannelKind.Support && counted.Any(m => m.ChannelId == c.Id));
        var statuses = await withMessages.GroupBy(c => new { c.CompanyId, c.Status })
            .Select(g => new { g.Key.CompanyId, Status = g.Key.Status!.Value, Chats = g.Count() }).ToListAsync();
        var keptStatuses = await db.SupportStatusTallies.Where(t => t.Chats != 0)
            .Select(t => new { CompanyId = (string?)t.CompanyId, t.Status, t.Chats }).ToListAsync();
        keptStatuses.OrderBy(t => t.CompanyId).ThenBy(t => t.Status)
            .ShouldBe(statuses.OrderBy(t => t.CompanyId).ThenBy(t => t.Status), $"the chats with messages per status after {after}");

        var allChats = await db.Channels.Where(c => c.Kind == ChannelKind.Support).GroupBy(c => new { c.CompanyId, c.Status })
            .Select(g => new { g.Key.CompanyId, Status = g.Key.Status!.Value, Chats = g.Count() }).ToListAsync();
        var keptAll = await db.SupportStatusTallies.Where(t => t.AllChats != 0)
            .Select(t => new { CompanyId = (string?)t.CompanyId, t.Status, Chats = t.AllChats }).ToListAsync();
        keptAll.OrderBy(t => t.CompanyId).ThenBy(t => t.Status)
            .ShouldBe(allChats.OrderBy(t => t.CompanyId).ThenBy(t => t.Status), $"the chats per status (the inbox tabs) after {after}");

        var assigned = await db.Channels.Where(c => c.Kind == ChannelKind.Support && c.AssigneeId != null)
            .GroupBy(c => new { c.CompanyId, c.AssigneeId, c.Status })
            .Select(g => new { CompanyId = g.Key.CompanyId!, AssigneeId = g.Key.AssigneeId!, Status = g.Key.Status!.Value, Chats = g.Count() }).ToListAsync();
        var keptAssigned = await db.SupportAssigneeTallies.Where(t => t.Chats != 0)
            .Select(t => new { t.CompanyId, t.AssigneeId, t.Status, t.Chats }).ToListAsync();
        keptAssigned.OrderBy(t => t.AssigneeId).ThenBy(t => t.Status)
            .ShouldBe(assigned.OrderBy(t => t.AssigneeId).ThenBy(t => t.Status), $"each assignee's chats per status (the views) after {after}");

        var reads = await (from r in db.ChannelMembers
                           join c in withMessages on r.ChannelId equals c.Id
                           where r.UnreadCount == 0
                           group c by new { r.UserId, c.CompanyId, c.Status } into g
                           select new { g.Key.UserId, CompanyId = g.Key.CompanyId!, Status = g.Key.Status!.Value, Chats = g.Count() })
            .ToListAsync();
        var keptReads = await db.SupportReadTallies.Where(t => t.Chats != 0)
            .Select(t => new { t.UserId, t.CompanyId, t.Status, t.Chats }).ToListAsync();
        keptReads.OrderBy(t => t.UserId).ThenBy(t => t.CompanyId).ThenBy(t => t.Status)
            .ShouldBe(reads.OrderBy(t => t.UserId).ThenBy(t => t.CompanyId).ThenBy(t => t.Status), $"each person's chats read to the end after {after}");
    }

    /// <summary>The inbox tabs' counts, as the inbox page reads them.</summary>
    private async Task<IReadOnlyDictionary<SupportStatus, int>> TabsAsync()
    {
        var admin = await app.NewTeamMemberAsync("admin");
        var actor = new Actor(admin.Id, Credential.Session, null, null, new HashSet<string>());
        return (await app.Services.GetRequiredService<InboxQueries>().StatusCountsAsync(actor, await app.CompanyIdAsync())).Value!;
    }

    private async Task<Dictionary<SupportStatus, int>> BadgesAsync(TestUser member)
    {
        var counts = await member.Client.GetAsync($"{Chats}/unread_counts").OkJsonAsync();
        return Enum.GetValues<SupportStatus>().ToDictionary(s => s, s => counts[s.ToString().ToLowerInvariant()]!.GetValue<int>());
    }

    private static async Task<int> UnreadAsync(TestUser user, string chat) =>
        (await user.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["unread_count"]!.GetValue<int>();

    private static async Task<int> DmUnreadAsync(TestUser user, string dm) =>
        (await user.Client.GetAsync($"{DmScenario.Channels}/{dm}").OkJsonAsync())["unread_count"]!.GetValue<int>();
}

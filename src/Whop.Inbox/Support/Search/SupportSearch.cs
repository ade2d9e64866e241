using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Support.Labels;
using Whop.Inbox.Team;

namespace Whop.Inbox.Support.Search;

/// <summary>The message a chat was found by: its id, when it was sent, and its text around the match (<see cref="SearchSnippet"/>).</summary>
public sealed record MessageMatch(string Id, DateTimeOffset CreatedAt, string Snippet);

/// <summary>A chat a search found; <see cref="Message"/> is null when its customer (name, username, email) or only its operators matched.</summary>
public sealed record ChatMatch(SupportChatView Chat, MessageMatch? Message);

/// <summary>A message a search of one conversation found, with its text around the match.</summary>
public sealed record FoundMessage(MessageView Message, string Snippet);

/// <summary>
/// Search over the support chats a caller may read: message text (the team's notes for the team only) and the
/// customers' names, usernames and emails, over the whole history, narrowed by the query's operators.
/// <para>
/// A caller's reach is the inbox's own filter (<see cref="InboxFilter"/>): the team searches the company's chats, anyone
/// else their own chats; whether notes are read is the rights table's <see cref="InboxAction.ReadNotes"/>. Every operator
/// narrows within that reach, never widens it.
/// </para>
/// <para>
/// Ranked: chats whose customer matches every word first (by latest activity), then chats by their newest matching
/// message. A word that matches millions of messages is bounded: the team's search weighs the newest
/// <see cref="Window"/> messages that hold the words (the index gives them newest first), so its cost does not grow
/// with the history; a rare word (a receipt number) is found however old.
/// </para>
/// </summary>
public sealed class SupportSearch(
    IDbContextFactory<InboxDbContext> contexts,
    InboxRights rights,
    ChannelAccess access,
    DefaultCompany defaultCompany,
    SupportChats chats)
{
    /// <summary>How many of the newest messages a search without words (operators, excluded words) weighs.</summary>
    public const int Window = 2_000;

    /// <summary>
    /// How many matches a page reads at most before it answers with the chats found so far: the bound on a query whose
    /// operators keep few of a common word's matches.
    /// </summary>
    private const int MaxScanned = 50_000;

    /// <summary>The most chats a caller outside the team is searched across (a customer has one per company).</summary>
    private const int OwnChatsLimit = 100;

    public async Task<Outcome<Page<ChatMatch>>> ChatsAsync(Actor actor, string? companyId, string? text, PageRequest page, CancellationToken ct = default)
    {
        if (page.Validate() is { } invalid) return invalid;
        if (page.Backwards) return Failure.Invalid(page.Before is not null ? "before" : "last", "Search results page forwards: use first and after.");
        var parsed = SearchQuery.Parse(text);
        if (parsed.Failure is { } unreadable) return unreadable;
        var query = parsed.Value!;

        companyId ??= actor.CompanyId ?? await defaultCompany.IdAsync(ct);
        var team = await rights.CanAsync(actor, InboxAction.ListInbox, companyId, ct);
        if (!team && actor.UserId is null) return Failure.Forbidden("Only the company's team can search its support inbox.");
        var seesNotes = team && await rights.CanAsync(actor, InboxAction.ReadNotes, companyId, ct);
        var reach = await chats.FilterAsync(actor, new SupportChatQuery(companyId, View: team ? SupportView.Admin : SupportView.Customer), ct);
        if (reach.Failure is { } failure) return failure;
        if (reach.Value is not { } filter) return Page<ChatMatch>.Empty;

        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var planned = await db.Dialect.PlanForValuesAsync(db, ct);
        var conditions = await SearchConditions.ForAsync(db, actor, companyId, team, query, ct);
        if (conditions.Failure is { } refused) return refused;
        if (conditions.Value is not { } asked) return Page<ChatMatch>.Empty;

        var reachable = asked.OnChats(filter.Apply(db.Channels.AsNoTracking().Where(c => c.Kind == ChannelKind.Support)));
        var wanted = query.Wanted.ToList();
        var unwanted = query.Unwanted.ToList();

        // Chats found by themselves: by their customer when only words are asked, or by operators alone.
        IQueryable<Channel>? byChat = null;
        if (!query.AsksOfMessages) byChat = reachable;
        else if (wanted.Count > 0 && unwanted.Count == 0 && query.Terms.Count == wanted.Count
                 && !query.Filters.Any(f => f.Operator is SearchOperator.From or SearchOperator.HasAttachment or SearchOperator.Before or SearchOperator.After))
        {
            // Read first, then passed as a list: composed in, SQLite may plan the index of people as a subquery run once per chat.
            var customers = await CustomersMatching(db, wanted).ToListAsync(ct);
            // No customer named so: nothing to rank first, and nothing for each message read to be checked against.
            if (customers.Count > 0) byChat = reachable.Where(c => customers.Contains(c.CustomerId!));
        }

        // The page: chats found by themselves first, then chats found by a message, each by its newest match.
        var cursor = Cursor.Decode(page.After);
        var rows = new List<Hit>();
        if (byChat is not null && cursor is not { Rank: 0 })
        {
            var chatRows = byChat.Select(c => new Hit { ChannelId = c.Id, At = c.LastActivityAt, Rank = 1 });
            rows.AddRange(await After(chatRows, cursor).OrderByDescending(h => h.At).ThenByDescending(h => h.ChannelId).Take(page.Size + 1).ToListAsync(ct));
        }
        var found = new Dictionary<string, string>();
        if (query.AsksOfMessages && rows.Count <= page.Size)
        {
            var inReach = byChat is null ? reachable : reachable.Where(c => !byChat.Any(b => b.Id == c.Id));
            var readable = asked.OnMessages(Readable(db, seesNotes));
            var messages = readable.Where(m => inReach.Any(c => c.Id == m.ChannelId));
            var messageCursor = cursor is { Rank: 0 } ? cursor : null;
            var need = page.Size + 1 - rows.Count;
            if (wanted.Count > 0)
            {
                var own = team ? null : await reachable.Select(c => c.Id).Take(OwnChatsLimit).ToListAsync(ct);
                // Four matches a chat; sixteen when an operator keeps only some chats (status:open keeps a fifth of them), so
                // that a page is mostly read in one window rather than two.
                var perChat = asked.NarrowsChats ? 16 : 4;
                foreach (var (hit, messageId) in await NewestMatchesAsync(db, readable, inReach, own, wanted, unwanted, messageCursor, need, perChat, ct))
                {
                    rows.Add(hit);
                    found[hit.ChannelId] = messageId;
                }
            }
            else
            {
                // Operators or excluded words only: no index to read in order, so the newest messages the conditions keep.
                if (unwanted.Count > 0)
                {
                    var excluded = SearchIndex.Any(db, unwanted);
                    messages = messages.Where(m => !excluded.Contains(m.Id));
                }
                var candidates = messages.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(Window);
                var messageRows = candidates.GroupBy(m => m.ChannelId).Select(g => new Hit { ChannelId = g.Key, At = g.Max(m => m.CreatedAt), Rank = 0 });
                var chatsFound = await After(messageRows, messageCursor)
                    .OrderByDescending(h => h.At).ThenByDescending(h => h.ChannelId).Take(need).ToListAsync(ct);
                rows.AddRange(chatsFound);
                var foundIn = chatsFound.Select(h => h.ChannelId).ToList();
                var newest = await candidates.Where(m => foundIn.Contains(m.ChannelId)).Select(m => new { m.Id, m.ChannelId, m.CreatedAt }).ToListAsync(ct);
                foreach (var m in newest.GroupBy(m => m.ChannelId).Select(g => g.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).First()))
                    found[m.ChannelId] = m.Id;
            }
        }
        var more = rows.Count > page.Size;
        if (more) rows.RemoveRange(page.Size, rows.Count - page.Size);

        var matchIds = rows.Where(r => r.Rank == 0).Select(r => found[r.ChannelId]).ToList();
        var matches = await db.Messages.AsNoTracking().Where(m => matchIds.Contains(m.Id))
            .Select(m => new { m.Id, m.ChannelId, m.CreatedAt, m.Content }).ToDictionaryAsync(m => m.ChannelId, ct);
        var ids2 = rows.Select(r => r.ChannelId).ToList();
        var channels = await db.Channels.AsNoTracking().Where(c => ids2.Contains(c.Id)).ToListAsync(ct);
        var views = (await SupportChats.ViewsAsync(db, actor, channels, c => team && c.CompanyId == companyId, ct)).ToDictionary(v => v.Id);
        var items = rows.Select(r => new ChatMatch(views[r.ChannelId], r.Rank == 0 && matches.TryGetValue(r.ChannelId, out var m)
            ? new MessageMatch(m.Id, m.CreatedAt, SearchSnippet.Html(m.Content, wanted))
            : null)).ToList();
        var last = rows.LastOrDefault();
        return new Page<ChatMatch>(items, new PageInfo(
            EndCursor: more && last is not null ? new Cursor(last.At, last.ChannelId, last.Rank).Encode() : null,
            StartCursor: cursor is not null && rows.Count > 0 ? new Cursor(rows[0].At, rows[0].ChannelId, rows[0].Rank).Encode() : null,
            HasNextPage: more,
            HasPreviousPage: cursor is not null));
    }

    /// <summary>
    /// The next <paramref name="need"/> chats of <paramref name="inReach"/> (or fewer, when the matches run out) by their
    /// newest message holding the words that <paramref name="readable"/> keeps, after <paramref name="cursor"/>, each
    /// with that message's id. The
    /// index is read newest first a window at a time, each window four times the last, until the chats are found: a
    /// common word is answered from its newest matches, a rare one from all of them, and neither costs the history.
    /// </summary>
    private static async Task<List<(Hit Chat, string MessageId)>> NewestMatchesAsync(InboxDbContext db, IQueryable<Message> readable, IQueryable<Channel> inReach,
        IReadOnlyList<string>? channels, IReadOnlyList<SearchTerm> wanted, IReadOnlyList<SearchTerm> unwanted, Cursor? cursor, int need,
        int perChat, CancellationToken ct)
    {
        // The messages of these ids that the query keeps: first the messages, then their few chats by id. Asked as one
        // query, PostgreSQL hashed every chat the conditions keep (20,000 open chats: 17 ms) to check 336 messages.
        async Task<List<(string Id, string ChannelId, DateTimeOffset CreatedAt)>> KeptAsync(List<string> ids)
        {
            if (ids.Count == 0) return [];
            var found = await readable.Where(m => ids.Contains(m.Id)).Select(m => new { m.Id, m.ChannelId, m.CreatedAt }).ToListAsync(ct);
            var chatIds = found.Select(m => m.ChannelId).Distinct().ToList();
            var reached = (await inReach.Where(c => chatIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct)).ToHashSet();
            return [.. found.Where(m => reached.Contains(m.ChannelId)).Select(m => (m.Id, m.ChannelId, m.CreatedAt))];
        }

        var chats = new List<(Hit Chat, string MessageId)>();
        var seenChats = new HashSet<string>();
        var seenHits = new HashSet<string>();
        var from = cursor is { } c ? IndexPosition.From(c.Key) : IndexPosition.Newest;
        var scanned = 0;
        for (var size = need * perChat; ; size *= 4)
        {
            var hits = await SearchIndex.NewestAsync(db, wanted, unwanted, channels, from, size, ct);
            var fresh = hits.Where(h => seenHits.Add(h.Id)).Select(h => h.Id).ToList();
            scanned += hits.Count;
            var kept = await KeptAsync(fresh);
            var newChats = new List<(Hit Chat, string MessageId)>();
            foreach (var m in kept.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id))
            {
                if (!seenChats.Add(m.ChannelId)) continue;
                // A chat whose newest match is at the cursor's time and sorts before it was on an earlier page.
                if (cursor is { } at && m.CreatedAt == at.Key && string.CompareOrdinal(m.ChannelId, at.Id) >= 0) continue;
                newChats.Add((new Hit { ChannelId = m.ChannelId, At = m.CreatedAt, Rank = 0 }, m.Id));
            }
            if (cursor is { } shown && newChats.Count > 0)
            {
                // A chat with a match newer than the cursor was on an earlier page, by that match.
                var ids = newChats.Select(n => n.Chat.ChannelId).ToList();
                var newer = await SearchIndex.InChannels(db, ids, wanted, unwanted, after: shown.Key).ToListAsync(ct);
                var earlier = (await KeptAsync(newer)).Select(m => m.ChannelId).ToHashSet();
                newChats.RemoveAll(n => earlier.Contains(n.Chat.ChannelId));
            }
            chats.AddRange(newChats);
            if (chats.Count >= need || hits.Count < size || fresh.Count == 0 || scanned >= MaxScanned) break;
            from = from.After(hits[^1]);
        }
        return [.. chats.OrderByDescending(n => n.Chat.At).ThenByDescending(n => n.Chat.ChannelId, StringComparer.Ordinal).Take(need)];
    }

    /// <summary>The messages of one conversation the query finds, newest first, in keyset pages.</summary>
    public async Task<Outcome<Page<FoundMessage>>> MessagesAsync(Actor actor, string? channelId, string? text, PageRequest page,
        CancellationToken ct = default)
    {
        if (page.Validate() is { } invalid) return invalid;
        var parsed = SearchQuery.Parse(text);
        if (parsed.Failure is { } unreadable) return unreadable;
        var query = parsed.Value!;
        var reader = await access.ReaderAsync(actor, channelId, ct);
        if (reader.Failure is { } failure) return failure;
        var (channel, seesNotes) = reader.Value!;
        var team = channel.CompanyId is { } company && await rights.CanAsync(actor, InboxAction.ListInbox, company, ct);

        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var planned = await db.Dialect.PlanForValuesAsync(db, ct);
        var conditions = await SearchConditions.ForAsync(db, actor, channel.CompanyId ?? "", team, query, ct);
        if (conditions.Failure is { } refused) return refused;
        if (conditions.Value is not { } asked || !await asked.OnChats(db.Channels.Where(c => c.Id == channel.Id)).AnyAsync(ct))
            return Page<FoundMessage>.Empty;

        var messages = asked.OnMessages(Readable(db, seesNotes)).Where(m => m.ChannelId == channel.Id);
        var wanted = query.Wanted.ToList();
        var unwanted = query.Unwanted.ToList();
        Page<Message> found;
        if (wanted.Count > 0 && !page.Backwards)
        {
            // The chat's matches newest first, a window at a time, until the page is full or they run out.
            var window = new List<string>();
            var from = Cursor.Decode(page.After) is { } cursor ? IndexPosition.From(cursor.Key) : IndexPosition.Newest;
            for (var size = page.Size + 1; ; size *= 4)
            {
                var hits = await SearchIndex.NewestAsync(db, wanted, unwanted, [channel.Id], from, size, ct);
                var fresh = hits.Select(h => h.Id).Except(window).ToList();
                window.AddRange(fresh);
                found = await messages.Where(m => window.Contains(m.Id)).PageAsync(m => m.CreatedAt, m => m.Id, descending: true, page, ct);
                if (found.PageInfo.HasNextPage || hits.Count < size || fresh.Count == 0 || window.Count >= MaxScanned) break;
                from = from.After(hits[^1]);
            }
        }
        else
        {
            if (wanted.Count > 0)
            {
                // Backwards from a cursor: the whole chat's matches (a rare request; the UI pages forwards).
                var ids = SearchIndex.InChannels(db, [channel.Id], wanted, unwanted);
                messages = messages.Where(m => ids.Contains(m.Id));
            }
            else if (unwanted.Count > 0)
            {
                var excluded = SearchIndex.Any(db, unwanted);
                messages = messages.Where(m => !excluded.Contains(m.Id));
            }
            found = await messages.PageAsync(m => m.CreatedAt, m => m.Id, descending: true, page, ct);
        }
        var views = await MessageViews.ForAsync(db, found.Items, ct);
        return found.Map(m => new FoundMessage(views[m.Id], SearchSnippet.Html(m.Content, wanted)));
    }

    /// <summary>Messages a reader of this kind reads: live, not the app's own notes, and notes only for the team.</summary>
    private static IQueryable<Message> Readable(InboxDbContext db, bool seesNotes) =>
        db.Messages.AsNoTracking().Where(m => m.DeletedAt == null && m.Type != MessageType.System
            && (seesNotes || m.Visibility == MessageVisibility.Everyone));

    /// <summary>Customers whose name, username or email has every word, each at the start of a word of the name (as the type-ahead matches).</summary>
    private static IQueryable<string> CustomersMatching(InboxDbContext db, IReadOnlyList<SearchTerm> words)
    {
        // SQLite folds case in any script only through a function of ours, row by row: its own index of people answers instead.
        if (db.Dialect.Provider == DatabaseProvider.Sqlite) return SearchIndex.People(db, words);
        var users = db.Users.AsNoTracking();
        foreach (var word in words)
        {
            var escaped = UserTypeAhead.Escape(word.Text);
            var email = word.Text.ToUpperInvariant();
            var byName = db.Dialect.NameLike(escaped + "%", "% " + escaped + "%");
            var byNameOrEmail = Expression.Lambda<Func<User, bool>>(
                Expression.OrElse(byName.Body, ((Expression<Func<User, bool>>)(u => u.NormalizedEmail != null && u.NormalizedEmail.StartsWith(email)))
                    .Body.Replace(byName.Parameters[0])), byName.Parameters);
            users = users.Where(byNameOrEmail);
        }
        return users.Select(u => u.Id);
    }

    /// <summary>Rows after the cursor: older, or as old with a lower id.</summary>
    private static IQueryable<Hit> After(IQueryable<Hit> rows, Cursor? cursor)
    {
        if (cursor is not { } c) return rows;
        var (at, id) = (c.Key, c.Id);
        return rows.Where(h => h.At < at || (h.At == at && string.Compare(h.ChannelId, id) < 0));
    }

    /// <summary>A chat in the results: the time it sorts by and its rank (1: found by its customer or operators, 0: by a message).</summary>
    private sealed class Hit
    {
        public string ChannelId { get; init; } = "";
        public DateTimeOffset At { get; init; }
        public int Rank { get; init; }
    }
}

internal static class ExpressionParameters
{
    /// <summary>The body of a one-parameter lambda with its parameter replaced (to join two lambdas over the same row).</summary>
    public static Expression Replace(this Expression body, ParameterExpression to) => new ToParameter(to).Visit(body);

    private sealed class ToParameter(ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node.Type == to.Type ? to : node;
    }
}

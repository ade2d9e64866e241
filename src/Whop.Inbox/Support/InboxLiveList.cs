using System.Collections.ObjectModel;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Unread;

namespace Whop.Inbox.Support;

/// <summary>What the page must do after an event, beyond showing the list again.</summary>
/// <param name="Changed">The rows or the tab totals changed: render.</param>
/// <param name="FetchChatId">A chat the event cannot describe on its own (not loaded yet, or its preview is unknown): read that one row and <see cref="InboxLiveList.Place"/> it.</param>
/// <param name="RecountTotals">The totals cannot follow this event (it does not say the status before): count them again.</param>
/// <param name="Reload">Events may have been missed: load the list and the totals again.</param>
public readonly record struct InboxUpdate(bool Changed, string? FetchChatId = null, bool RecountTotals = false, bool Reload = false)
{
    public static InboxUpdate None => default;
}

/// <summary>
/// The inbox list and its status tab totals for one team member, kept current from the inbox's
/// events without asking the database: each event moves its chat between tab totals, updates its row
/// (status, activity, preview, unread badge) and moves the row to where the sort puts it, or out of
/// the list when it no longer matches the filters (the same <see cref="InboxFilter"/> the query ran; null
/// when nothing can match). Only what an event cannot say is read again, one chat at a time. Not thread-safe: the page applies events one at a time on its own dispatcher.
/// </summary>
public sealed class InboxLiveList(string? me, SupportChatQuery query, InboxFilter? filter)
{
    private readonly List<SupportChatView> _rows = [];
    private readonly Dictionary<SupportStatus, int> _totals = [];

    public SupportChatQuery Query => query;

    /// <summary>The loaded rows, in order: a read-only view (a collection, as Blazor's Virtualize takes).</summary>
    public ReadOnlyCollection<SupportChatView> Rows => field ??= _rows.AsReadOnly();

    /// <summary>Support chats per status, across the whole company (what the tabs show).</summary>
    public IReadOnlyDictionary<SupportStatus, int> Totals => _totals;

    /// <summary>More rows follow the loaded ones in the database; a row sorted past the last one belongs there.</summary>
    public bool HasMore { get; private set; }

    public void Load(IEnumerable<SupportChatView> rows, bool hasMore)
    {
        _rows.Clear();
        _rows.AddRange(rows);
        HasMore = hasMore;
    }

    /// <summary>The next page. Rows that moved up since are not shown twice.</summary>
    public void Append(IEnumerable<SupportChatView> more, bool hasMore)
    {
        _rows.AddRange(more.Where(row => _rows.All(existing => existing.Id != row.Id)));
        HasMore = hasMore;
    }

    public void SetTotals(IReadOnlyDictionary<SupportStatus, int> totals)
    {
        _totals.Clear();
        foreach (var status in Enum.GetValues<SupportStatus>()) _totals[status] = totals.GetValueOrDefault(status);
    }

    /// <summary>The person opened this chat: its badge goes at once, before the read is even stored.</summary>
    public void MarkRead(string chatId) => Update(chatId, row => row with { UnreadCount = 0 });

    public InboxUpdate Apply(ChatEvent evt)
    {
        if (evt.Type == ChatEventTypes.Resync) return new(Changed: false, Reload: true);
        if (evt.Channel is not { Kind: ChannelKind.Support, Status: { } status } chat) return InboxUpdate.None;

        var (totalsChanged, recount) = ApplyToTotals(evt, chat, status);
        var index = _rows.FindIndex(r => r.Id == evt.ChannelId);
        if (index < 0)
        {
            // Not shown: the event may bring it in (a new chat, a status that now matches, activity that
            // sorts it into the loaded part). The event lacks the customer and preview: read the row.
            var mayEnter = evt.Type is ChatEventTypes.SupportChatCreated or ChatEventTypes.SupportChatReopened
                or ChatEventTypes.SupportChatResolved or ChatEventTypes.SupportChatAssigned or ChatEventTypes.SupportChatLabeled
                or ChatEventTypes.SupportChatPrioritized or ChatEventTypes.SupportChatSnoozed or ChatEventTypes.SupportChatWoke
                or ChatEventTypes.MessageCreated;
            var fetch = mayEnter && Matches(chat.Placement) ? evt.ChannelId : null;
            return new(totalsChanged, fetch, recount);
        }

        var row = _rows[index];
        if (!Matches(chat.Placement))
        {
            _rows.RemoveAt(index);
            return new(Changed: true, RecountTotals: recount);
        }

        string? fetchAgain = null;
        row = row.After(evt);
        switch (evt.Data)
        {
            case MessageEvent sent when evt.Type == ChatEventTypes.MessageCreated:
                row = row with { UnreadCount = UnreadCounts.AfterNewMessage(row.UnreadCount, sent, me) };
                if (sent.Message.MessageType != MessageType.System) row = row with { LastMessagePreview = UnreadCounts.Preview(sent.Message.Content) };
                break;
            case ReadChanged read when read.UserId == me:
                row = row with { UnreadCount = 0 };
                break;
            case MessageEvent or MessageDeleted:
                // An edit or a delete may change the preview and the unread count: the row says which.
                fetchAgain = evt.ChannelId;
                break;
        }
        _rows.RemoveAt(index);
        Insert(row);
        return new(Changed: true, fetchAgain, recount);
    }

    /// <summary>A row read after <see cref="InboxUpdate.FetchChatId"/>: shown where the sort puts it, or not at all when it does not match.</summary>
    public bool Place(SupportChatView row)
    {
        var removed = _rows.RemoveAll(r => r.Id == row.Id) > 0;
        if (!Matches(row.Placement)) return removed;
        return Insert(row) || removed;
    }

    private (bool Changed, bool Recount) ApplyToTotals(ChatEvent evt, ChannelSnapshot chat, SupportStatus status)
    {
        if (_totals.Count == 0 || chat.CompanyId != query.CompanyId) return (false, false);
        if (evt.Type == ChatEventTypes.SupportChatCreated)
        {
            _totals[status] = _totals.GetValueOrDefault(status) + 1;
            return (true, false);
        }
        if (chat.StatusBefore is not { } before)
        {
            // A chat written before events told the status before (bulk-loaded data): count again.
            var mayChangeStatus = evt.Type is ChatEventTypes.MessageCreated or ChatEventTypes.SupportChatResolved
                or ChatEventTypes.SupportChatReopened or ChatEventTypes.SupportChatSnoozed or ChatEventTypes.SupportChatWoke;
            return (false, mayChangeStatus);
        }
        if (before == status) return (false, false);
        _totals[before] = Math.Max(0, _totals.GetValueOrDefault(before) - 1);
        _totals[status] = _totals.GetValueOrDefault(status) + 1;
        return (true, false);
    }

    /// <summary>Adds the row where the sort puts it, unless that is past the loaded rows while more are to come.</summary>
    private bool Insert(SupportChatView row)
    {
        var at = _rows.FindIndex(existing => Compare(row, existing) < 0);
        if (at < 0)
        {
            if (HasMore) return false;
            at = _rows.Count;
        }
        _rows.Insert(at, row);
        return true;
    }

    private void Update(string chatId, Func<SupportChatView, SupportChatView> change)
    {
        var index = _rows.FindIndex(r => r.Id == chatId);
        if (index >= 0) _rows[index] = change(_rows[index]);
    }

    private bool Matches(ChatPlacement placement) => filter?.Matches(placement) == true;

    /// <summary>
    /// The list's order: the most urgent first when sorted by priority, then the sort key, then the id, both in the
    /// chosen direction (as the keyset pages).
    /// </summary>
    private int Compare(SupportChatView a, SupportChatView b)
    {
        if (query.ByPriority && a.Priority != b.Priority) return b.Priority.CompareTo(a.Priority);
        var byKey = query.Order == SupportOrder.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : a.LastActivityAt.CompareTo(b.LastActivityAt);
        var result = byKey != 0 ? byKey : string.CompareOrdinal(a.Id, b.Id);
        return query.Descending ? -result : result;
    }
}

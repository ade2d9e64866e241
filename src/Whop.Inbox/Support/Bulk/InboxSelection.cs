namespace Whop.Inbox.Support.Bulk;

/// <summary>
/// The chats picked in the inbox for a bulk change, by id: rows moving as events reorder the list keep
/// their place in it, and rows that leave the list leave it (<see cref="KeepListed"/>). A shift-click
/// picks the range from the last row clicked, as mail clients do. Not thread-safe: the page uses it on
/// its own dispatcher.
/// </summary>
public sealed class InboxSelection
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private string? _anchor;

    public int Count => _ids.Count;

    public bool Contains(string chatId) => _ids.Contains(chatId);

    /// <summary>
    /// A row's checkbox clicked: the row flips. With <paramref name="range"/> (shift held) every row from
    /// the last one clicked to this one takes this one's new state; without a last one in the list, only this one.
    /// </summary>
    public void Toggle(IReadOnlyList<SupportChatView> rows, string chatId, bool range = false)
    {
        var check = !_ids.Contains(chatId);
        var from = range && _anchor is { } anchor ? IndexOf(rows, anchor) : -1;
        var to = IndexOf(rows, chatId);
        if (from < 0 || to < 0) Set(chatId, check);
        else
        {
            for (var i = Math.Min(from, to); i <= Math.Max(from, to); i++) Set(rows[i].Id, check);
        }
        _anchor = chatId;
    }

    /// <summary>Every loaded row (<paramref name="check"/>), or none.</summary>
    public void SetAll(IEnumerable<SupportChatView> rows, bool check)
    {
        if (!check)
        {
            Clear();
            return;
        }
        foreach (var row in rows) _ids.Add(row.Id);
    }

    /// <summary>Whether every one of <paramref name="rows"/> is picked (and there is at least one).</summary>
    public bool HasAll(IReadOnlyCollection<SupportChatView> rows) => rows.Count > 0 && rows.All(r => _ids.Contains(r.Id));

    public void Clear()
    {
        _ids.Clear();
        _anchor = null;
    }

    /// <summary>After a bulk change: only these stay picked (the chats it could not change), to try again or act on otherwise.</summary>
    public void KeepOnly(IEnumerable<string> chatIds)
    {
        var keep = chatIds.ToHashSet(StringComparer.Ordinal);
        _ids.IntersectWith(keep);
        if (_anchor is not null && !keep.Contains(_anchor)) _anchor = null;
    }

    /// <summary>Rows that left the list (resolved away from Open, say) leave the selection: it never holds what the page does not show.</summary>
    public bool KeepListed(IReadOnlyCollection<SupportChatView> rows)
    {
        if (_ids.Count == 0) return false;
        var before = _ids.Count;
        _ids.IntersectWith(rows.Select(r => r.Id));
        return _ids.Count != before;
    }

    /// <summary>The picked rows, in the list's order.</summary>
    public IReadOnlyList<SupportChatView> In(IEnumerable<SupportChatView> rows) => rows.Where(r => _ids.Contains(r.Id)).ToList();

    private void Set(string chatId, bool check)
    {
        if (check) _ids.Add(chatId);
        else _ids.Remove(chatId);
    }

    private static int IndexOf(IReadOnlyList<SupportChatView> rows, string chatId)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Id == chatId) return i;
        }
        return -1;
    }
}

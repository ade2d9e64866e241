using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Messaging.Components;

/// <summary>What a live event did to a conversation, for the pane to act on (scroll, mark read, tell the reader).</summary>
public enum ConversationChange
{
    None,
    /// <summary>Something shown changed: an edit, a deletion, a reaction, a message already there.</summary>
    Redraw,
    /// <summary>Someone else's new message was added.</summary>
    MessageFromOthers,
    /// <summary>The viewer's own new message (sent elsewhere: another window, the API) was added.</summary>
    OwnMessage,
    /// <summary>Away longer than the event log keeps: the history must be read again.</summary>
    Resync,
    /// <summary>The DM was deleted.</summary>
    Deleted,
    /// <summary>The viewer may no longer read the conversation.</summary>
    AccessRevoked,
}

/// <summary>
/// The messages one conversation pane shows, merged from what was loaded and what happens live: in
/// the order they were written whatever order their events arrive in, each once, with the viewer's
/// own reactions. Events that come while the history is being read are held and applied on top of
/// it. No renderer and no database: the pane feeds it and draws what it holds.
/// </summary>
public sealed class ConversationState(string? viewerId)
{
    private readonly List<MessageView> _messages = [];
    private readonly Dictionary<string, HashSet<string>> _mine = [];
    private readonly Dictionary<string, string> _myVotes = [];
    private List<ChatEvent>? _held = [];

    /// <summary>The messages, oldest first; null until the history is loaded.</summary>
    public IReadOnlyList<MessageView>? Messages => _held is null ? _messages : null;

    public bool IsLoaded => _held is null;

    /// <summary>The history's newest page (newest first, as the service returns it); returns the events held meanwhile, applied.</summary>
    public IReadOnlyList<ConversationChange> Load(IEnumerable<MessageView> newestFirst)
    {
        _messages.Clear();
        _messages.AddRange(newestFirst.Reverse().DistinctBy(m => m.Id));
        var held = _held ?? [];
        _held = null;
        return held.Select(Apply).ToList();
    }

    /// <summary>An older page (newest first), put above what is shown.</summary>
    public IReadOnlyList<MessageView> PrependOlder(IEnumerable<MessageView> newestFirst)
    {
        var earlier = newestFirst.Reverse().Where(m => Find(m.Id) is null).ToList();
        _messages.InsertRange(0, earlier);
        return earlier;
    }

    /// <summary>
    /// The newest page read again: within the window it covers it is the truth (edits replace, deletions
    /// drop out, new ones come in); older history stays as loaded.
    /// </summary>
    public void MergeNewest(IEnumerable<MessageView> newestFirst)
    {
        var fresh = newestFirst.Reverse().ToList();
        if (fresh.FirstOrDefault() is { } oldestFresh)
        {
            _messages.RemoveAll(m => Compare(m, oldestFresh) >= 0 && fresh.All(f => f.Id != m.Id));
        }
        foreach (var message in fresh)
        {
            if (!Replace(message)) Add(message);
        }
    }

    /// <summary>Adds a message in its place in time; false when it is already there.</summary>
    public bool Add(MessageView message)
    {
        if (Find(message.Id) is not null) return false;
        var index = _messages.FindLastIndex(m => Compare(m, message) <= 0);
        _messages.Insert(index + 1, message);
        return true;
    }

    public bool Replace(MessageView updated)
    {
        var index = _messages.FindIndex(m => m.Id == updated.Id);
        if (index < 0) return false;
        _messages[index] = updated;
        return true;
    }

    public bool Remove(string messageId) => _messages.RemoveAll(m => m.Id == messageId) > 0;

    public MessageView? Find(string? messageId) => messageId is null ? null : _messages.FirstOrDefault(m => m.Id == messageId);

    /// <summary>The emoji the viewer put on a message.</summary>
    public IReadOnlySet<string> MyReactionsOn(string messageId) => _mine.GetValueOrDefault(messageId) ?? [];

    public void SetMyReactions(string messageId, IEnumerable<string> emoji) => _mine[messageId] = [.. emoji];

    /// <summary>The poll option the viewer voted for in a message; null when they have not.</summary>
    public string? MyVoteOn(string messageId) => _myVotes.GetValueOrDefault(messageId);

    public void SetMyVote(string messageId, string? optionId)
    {
        if (optionId is null) _myVotes.Remove(messageId);
        else _myVotes[messageId] = optionId;
    }

    /// <summary>One event from the conversation, as it happened anywhere; held while the history loads.</summary>
    public ConversationChange Apply(ChatEvent evt)
    {
        if (_held is not null)
        {
            _held.Add(evt);
            return ConversationChange.None;
        }
        switch (evt.Type)
        {
            case ChatEventTypes.MessageCreated when evt.DataAs<MessageEvent>() is { } created:
                if (!Add(created.Message)) return ConversationChange.Redraw;
                return created.IsFrom(viewerId) ? ConversationChange.OwnMessage : ConversationChange.MessageFromOthers;
            case ChatEventTypes.MessageEdited when evt.DataAs<MessageEvent>() is { } edited:
                return Replace(edited.Message) ? ConversationChange.Redraw : ConversationChange.None;
            case ChatEventTypes.MessageDeleted when evt.DataAs<MessageDeleted>() is { } deleted:
                return Remove(deleted.MessageId) ? ConversationChange.Redraw : ConversationChange.None;
            case ChatEventTypes.ReactionChanged when evt.DataAs<ReactionChanged>() is { } reaction:
                if (Find(reaction.MessageId) is { } message)
                {
                    Replace(message with
                    {
                        ReactionCounts = reaction.ReactionCounts.Select(r => new ReactionCount(r.Emoji, r.Count)).ToList(),
                        Poll = reaction.PollVotes is { } votes ? message.Poll?.WithVotes(votes) : message.Poll,
                    });
                }
                if (reaction.UserId == viewerId && reaction.Emoji is null)
                {
                    SetMyVote(reaction.MessageId, reaction.Added ? reaction.PollOptionId : null);
                }
                else if (reaction.UserId == viewerId && reaction.Emoji is { } emoji)
                {
                    var mine = _mine.GetValueOrDefault(reaction.MessageId) ?? [];
                    if (reaction.Added) mine.Add(emoji);
                    else mine.Remove(emoji);
                    _mine[reaction.MessageId] = mine;
                }
                return ConversationChange.Redraw;
            case ChatEventTypes.Resync:
                return ConversationChange.Resync;
            case ChatEventTypes.DmDeleted:
                return ConversationChange.Deleted;
            case ChatEventTypes.AccessRevoked:
                return ConversationChange.AccessRevoked;
            default:
                return ConversationChange.None;
        }
    }

    private static int Compare(MessageView a, MessageView b) =>
        a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : string.CompareOrdinal(a.Id, b.Id);
}

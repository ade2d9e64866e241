using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Messaging.Components;

/// <summary>
/// One conversation's data for a pane: follows its events, reads its history a page at a time, and
/// carries out the viewer's actions through the same services as the API, keeping a
/// <see cref="ConversationState"/> current. The pane is left with drawing, scrolling and dialogs.
/// One per pane (transient).
/// </summary>
public sealed class ConversationFeed(
    MessageService messages,
    ReactionService reactions,
    OwnReactions ownReactions,
    ReadMarker readMarker,
    ChannelCapabilities capabilities,
    ChatNotifier notifier)
{
    public const int PageSize = 30;

    private Actor _actor = Actor.Anonymous;
    private string _channelId = "";
    private Func<ChatEvent, Task> _onEvent = _ => Task.CompletedTask;
    private ChatSubscription? _subscription;
    private long? _lastPosition;
    private string? _olderCursor;
    /// <summary>Which open is the newest: one superseded while it waited (j, j quickly) keeps nothing.</summary>
    private int _generation;

    public ConversationState State { get; private set; } = new(null);
    public ChannelAbilities Abilities { get; private set; } = ChannelAbilities.None;
    public bool HasOlder { get; private set; }

    /// <summary>
    /// Opens a conversation for <paramref name="actor"/>: follows first, then loads, so whatever
    /// happens in between arrives as an event and is merged by id. Answers why it cannot be read, or
    /// the changes held while it loaded; null when another open came meanwhile (that one answers).
    /// </summary>
    public async Task<Outcome<IReadOnlyList<ConversationChange>>?> OpenAsync(Actor actor, string channelId, Func<ChatEvent, Task> onEvent)
    {
        var generation = ++_generation;
        var state = new ConversationState(actor.UserId);
        (_actor, _channelId, _onEvent, _lastPosition, _olderCursor) = (actor, channelId, onEvent, null, null);
        (State, Abilities, HasOlder) = (state, ChannelAbilities.None, false);
        _subscription?.Dispose();
        _subscription = null;
        var subscription = (await notifier.SubscribeChannelAsync(actor, channelId, afterPosition: null, OnEventAsync)).Value;
        if (generation != _generation)
        {
            subscription?.Dispose();
            return null;
        }
        _subscription = subscription;

        var abilities = await capabilities.AskAsync(actor, channelId);
        if (generation != _generation) return null;
        if (abilities.Failure is { } failure) return failure;
        Abilities = abilities.Value!;

        var page = await messages.ListAsync(actor, channelId, "desc", new PageRequest(First: PageSize));
        if (generation != _generation) return null;
        if (page.Failure is { } pageFailure) return pageFailure;
        // Events that came while the history was read are applied on top of it.
        var held = state.Load(page.Value!.Items);
        (_olderCursor, HasOlder) = (page.Value.PageInfo.EndCursor, page.Value.PageInfo.HasNextPage);
        await LoadMyReactionsAsync(state.Messages!);
        await MarkReadAsync();
        return new Outcome<IReadOnlyList<ConversationChange>>(held, null);
    }

    /// <summary>
    /// Another credential for the same person (a renewed or lapsed embedded token). A lapsed one stops
    /// the live stream; a fresh one resumes it where it stopped (missed events are replayed from the
    /// log) and asks the rights table again. Answers why the conversation can no longer be read.
    /// </summary>
    public async Task<Failure?> ReauthorizeAsync(Actor actor)
    {
        _actor = actor;
        var resumeAfter = _subscription?.Position ?? _lastPosition;
        _subscription?.Dispose();
        (_subscription, _lastPosition) = (null, resumeAfter);
        if (!actor.IsAuthenticated || !State.IsLoaded) return null;

        var abilities = await capabilities.AskAsync(actor, _channelId);
        Abilities = abilities.Value ?? ChannelAbilities.None;
        if (abilities.Failure is { } failure) return failure;
        var subscribed = await notifier.SubscribeChannelAsync(actor, _channelId, resumeAfter, OnEventAsync);
        _subscription = subscribed.Value;
        if (subscribed.Failure is not null) await RefreshAsync();
        return null;
    }

    private Task OnEventAsync(ChatEvent evt)
    {
        // A superseded subscription's events may still be queued: they are not this conversation's.
        if (evt.ChannelId != _channelId) return Task.CompletedTask;
        if (evt.Position is { } position) _lastPosition = Math.Max(_lastPosition ?? 0, position);
        return _onEvent(evt);
    }

    /// <summary>Merges the newest page in (after a change made elsewhere): edits replace, deletions drop out.</summary>
    public async Task<bool> RefreshAsync()
    {
        if (!State.IsLoaded) return false;
        var page = await messages.ListAsync(_actor, _channelId, "desc", new PageRequest(First: PageSize));
        if (page.Value is not { } newest) return false;
        State.MergeNewest(newest.Items);
        await LoadMyReactionsAsync(newest.Items);
        return true;
    }

    /// <summary>The page before the earliest shown.</summary>
    public async Task LoadOlderAsync()
    {
        if (!HasOlder || !State.IsLoaded) return;
        var page = await messages.ListAsync(_actor, _channelId, "desc", new PageRequest(First: PageSize, After: _olderCursor));
        if (page.Value is not { } older) return;
        var earlier = State.PrependOlder(older.Items);
        (_olderCursor, HasOlder) = (older.PageInfo.EndCursor, older.PageInfo.HasNextPage);
        await LoadMyReactionsAsync(earlier);
    }

    public async Task<Outcome<MessageView>> SendAsync(string text, string? replyingToId, MessageVisibility visibility = MessageVisibility.Everyone,
        Polls.PollDraft? poll = null, IReadOnlyList<string>? fileIds = null)
    {
        var sent = await messages.CreateAsync(_actor, _channelId, text, replyingToId, clientMessageId: null, visibility, poll?.AsInput(), fileIds);
        if (sent.Value is { } message) State.Add(message);
        return sent;
    }

    public async Task<Failure?> DeleteAsync(string messageId)
    {
        var deleted = await messages.DeleteAsync(_actor, messageId);
        if (deleted.Failure is null) State.Remove(messageId);
        return deleted.Failure;
    }

    /// <summary>Adds the viewer's reaction, or takes it back when it is there.</summary>
    public async Task<Failure?> ToggleReactionAsync(string messageId, string emoji)
    {
        var failure = State.MyReactionsOn(messageId).Contains(emoji)
            ? (await reactions.RemoveAsync(_actor, messageId, emoji)).Failure
            : (await reactions.AddAsync(_actor, messageId, emoji)).Failure;
        return failure ?? await RefreshAsync(messageId);
    }

    /// <summary>Votes for the option, or withdraws the vote when the viewer's vote is already there.</summary>
    public async Task<Failure?> ToggleVoteAsync(string messageId, string optionId)
    {
        var failure = State.MyVoteOn(messageId) == optionId
            ? (await reactions.WithdrawVoteAsync(_actor, messageId)).Failure
            : (await reactions.VoteAsync(_actor, messageId, optionId)).Failure;
        return failure ?? await RefreshAsync(messageId);
    }

    /// <summary>The message read again after the viewer's own change, so it shows at once whatever the events do.</summary>
    private async Task<Failure?> RefreshAsync(string messageId)
    {
        if ((await messages.GetAsync(_actor, messageId)).Value is { } updated)
        {
            State.Replace(updated);
            await LoadMyReactionsAsync([updated]);
        }
        return null;
    }

    public async Task MarkReadAsync()
    {
        if (_actor.UserId is not null) await readMarker.MarkReadAsync(_actor, _channelId);
    }

    private async Task LoadMyReactionsAsync(IEnumerable<MessageView> page)
    {
        if (_actor.UserId is not { } me) return;
        var list = page.ToList();
        var found = await ownReactions.ForAsync(me, list.Select(m => m.Id));
        foreach (var message in list) State.SetMyReactions(message.Id, found.GetValueOrDefault(message.Id) ?? []);
        var votes = await ownReactions.VotesAsync(me, list);
        foreach (var message in list.Where(m => m.Poll is not null)) State.SetMyVote(message.Id, votes.GetValueOrDefault(message.Id));
    }

    /// <summary>
    /// Stops following. (Not <c>IDisposable</c> on purpose: the container would keep every transient
    /// disposable until the circuit ends; the pane closes its feed itself.)
    /// </summary>
    public void Close() => _subscription?.Dispose();
}

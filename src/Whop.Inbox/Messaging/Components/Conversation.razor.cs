using Whop.Inbox.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Whop.Inbox.Common;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Messaging.Components;

/// <summary>
/// One conversation: history (newest at the bottom, older pages on scroll-up), the composer,
/// edit, delete, reactions and replies. Every action goes through the same services as the API.
/// </summary>
public sealed partial class Conversation : IAsyncDisposable
{
    private const int PageSize = 30;
    private static readonly string[] QuickReactions = ["👍", "❤️", "😂", "🎉", "😮", "🙏"];

    [Inject] private MessageService Messages { get; set; } = null!;
    [Inject] private ReactionService Reactions { get; set; } = null!;
    [Inject] private OwnReactions OwnReactions { get; set; } = null!;
    [Inject] private ReadMarker ReadMarker { get; set; } = null!;
    [Inject] private ChannelAccess Access { get; set; } = null!;
    [Inject] private ChannelCapabilities Capabilities { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private ChatNotifier Notifier { get; set; } = null!;
    [Inject] private DatabaseStatus Database { get; set; } = null!;

    [Parameter, EditorRequired] public string ChannelId { get; set; } = "";
    [Parameter, EditorRequired] public ViewerInfo Viewer { get; set; } = null!;
    [Parameter, EditorRequired] public string Title { get; set; } = "";
    [Parameter] public string? Subtitle { get; set; }
    [Parameter] public RenderFragment? HeaderActions { get; set; }
    [Parameter] public string ComposerPlaceholder { get; set; } = "Write a message…";
    [Parameter] public string? ReadOnlyNote { get; set; }

    /// <summary>Raised after the viewer sends, edits or deletes, so lists beside the pane can refresh.</summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    /// <summary>Raised with each message the viewer sent from this pane (an embedding page tells its host).</summary>
    [Parameter] public EventCallback<MessageView> OnMessageSent { get; set; }

    /// <summary>Raised with the id of each message the viewer deleted from this pane.</summary>
    [Parameter] public EventCallback<string> OnMessageDeleted { get; set; }

    /// <summary>When set, authors' names are buttons that raise this with the author's user id.</summary>
    [Parameter] public EventCallback<string> OnProfileClick { get; set; }

    private ElementReference history;
    private JsModule? script;
    private bool started;
    private IJSObjectReference? behaviour;
    private DotNetObjectReference<Conversation>? self;

    private string? loadedChannelId;
    /// <summary>The messages shown, loaded and live (see <see cref="ConversationState"/>).</summary>
    private ConversationState state = new(null);
    private IReadOnlyList<MessageView>? messages => state.Messages;
    private string? olderCursor;
    private bool hasOlder;
    private bool loadingOlder;
    private string? loadError;
    private bool canWrite;
    private bool canModerate;
    private bool scrollToBottom;

    private MessageView? replyingTo;
    private string? reactingTo;
    private string? editingId;
    /// <summary>A delete or a reaction the server refused: shown above the composer.</summary>
    private string? actionError;

    private ChatSubscription? subscription;
    private Actor? authorizedAs;
    private long? lastPosition;
    private bool suspended;
    private TypingNames typing = new(null);
    private string? notice;

    protected override async Task OnParametersSetAsync()
    {
        if (loadedChannelId == ChannelId)
        {
            // Same conversation, another credential for the same person (a renewed or lapsed token).
            if (!Equals(authorizedAs, Viewer.Actor)) await ReauthorizeAsync();
            return;
        }
        loadedChannelId = ChannelId;
        authorizedAs = Viewer.Actor;
        suspended = !Viewer.Actor.IsAuthenticated;
        (loadError, replyingTo, editingId, actionError, notice) = (null, null, null, null, null);
        (lastPosition, reactingTo, state, typing) = (null, null, new ConversationState(Viewer.UserId), new TypingNames(Viewer.UserId));
        subscription?.Dispose();
        // Follow first, then load: whatever happens in between arrives as an event and is merged by id.
        var subscribed = await Notifier.SubscribeChannelAsync(Viewer.Actor, ChannelId, afterPosition: null,
            evt => InvokeAsync(() => ApplyAsync(evt)));
        subscription = subscribed.Value;

        var channel = await Access.ReadableAsync(Viewer.Actor, ChannelId);
        if (channel.Failure is { } failure)
        {
            loadError = failure.Message;
            return;
        }
        var abilities = await Capabilities.ForAsync(Viewer.Actor, channel.Value!);
        (canWrite, canModerate) = (abilities.Write, abilities.Moderate);

        var page = await Messages.ListAsync(Viewer.Actor, ChannelId, "desc", new PageRequest(First: PageSize));
        if (page.Failure is { } pageFailure)
        {
            loadError = pageFailure.Message;
            return;
        }
        // Events that came while the history was read are applied on top of it.
        var heldChanges = state.Load(page.Value!.Items);
        (olderCursor, hasOlder) = (page.Value.PageInfo.EndCursor, page.Value.PageInfo.HasNextPage);
        await LoadMyReactionsAsync(state.Messages!);
        scrollToBottom = true;
        await MarkReadAsync();
        foreach (var change in heldChanges) await ActOnAsync(change, atBottom: true);
    }

    /// <summary>
    /// A lapsed credential stops the live stream and any action; a fresh one resumes the stream where
    /// it stopped (missed events are replayed from the log) and asks the rights table again. The
    /// draft, the reply and the history stay as they are.
    /// </summary>
    private async Task ReauthorizeAsync()
    {
        authorizedAs = Viewer.Actor;
        var resumeAfter = subscription?.Position ?? lastPosition;
        subscription?.Dispose();
        subscription = null;
        lastPosition = resumeAfter;
        suspended = !Viewer.Actor.IsAuthenticated;
        if (suspended || messages is null) return;

        var channel = await Access.ReadableAsync(Viewer.Actor, ChannelId);
        if (channel.Failure is { } failure)
        {
            (notice, canWrite) = (failure.Message, false);
            return;
        }
        var abilities = await Capabilities.ForAsync(Viewer.Actor, channel.Value!);
        (canWrite, canModerate) = (abilities.Write, abilities.Moderate);
        var subscribed = await Notifier.SubscribeChannelAsync(Viewer.Actor, ChannelId, resumeAfter,
            evt => InvokeAsync(() => ApplyAsync(evt)));
        subscription = subscribed.Value;
        if (subscribed.Failure is not null) await RefreshAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            // The pane's script (JsModule: calls after the pane closed are skipped, never fatal).
            script = new JsModule(JS, "./Messaging/Components/Conversation.razor.js");
            self = DotNetObjectReference.Create(this);
        }
        if (script is null) return;
        if (!started)
        {
            // From the first render: Enter typed before the history arrives is kept and sent once it has.
            started = true;
            behaviour = await script.StartAsync("init", history, self);
        }
        if (scrollToBottom && messages is not null)
        {
            scrollToBottom = false;
            await script.InvokeVoidAsync("scrollToBottom", history);
        }
    }

    /// <summary>
    /// Brings the history up to date (after a change made elsewhere, such as resolving from the
    /// header): the newest page is merged in, edits replace what they change, deletions drop out.
    /// </summary>
    public async Task RefreshAsync()
    {
        if (messages is null) return;
        var page = await Messages.ListAsync(Viewer.Actor, ChannelId, "desc", new PageRequest(First: PageSize));
        if (page.Value is not { } newest) return;
        state.MergeNewest(newest.Items);
        await LoadMyReactionsAsync(newest.Items);
        scrollToBottom = true;
        StateHasChanged();
    }

    /// <summary>Called from the browser when the top of the history scrolls into view.</summary>
    [JSInvokable]
    public async Task LoadOlderAsync()
    {
        if (!hasOlder || loadingOlder || messages is null || script is not { IsDisposed: false } js) return;
        loadingOlder = true;
        StateHasChanged();
        var distance = await js.InvokeAsync("distanceFromBottom", 0d, history);
        var page = await Messages.ListAsync(Viewer.Actor, ChannelId, "desc", new PageRequest(First: PageSize, After: olderCursor));
        if (page.Value is { } older)
        {
            var earlier = state.PrependOlder(older.Items);
            (olderCursor, hasOlder) = (older.PageInfo.EndCursor, older.PageInfo.HasNextPage);
            await LoadMyReactionsAsync(earlier);
        }
        loadingOlder = false;
        StateHasChanged();
        await Task.Yield();
        await js.InvokeVoidAsync("restoreDistanceFromBottom", history, distance);
    }

    /// <summary>The composer's send: stores the message and shows it, or answers why not (the composer keeps the text).</summary>
    private async Task<string?> SendAsync(string text)
    {
        actionError = null;
        MessageView sent;
        try
        {
            var outcome = await Messages.CreateAsync(Viewer.Actor, ChannelId, text, replyingTo?.Id);
            if (outcome.Failure is { } failure) return failure.Message;
            sent = outcome.Value!;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Database.Report(e)
                ? "The database is not available right now. Your text is still here; send it again once it is back."
                : "The message could not be sent. Your text is still here; try again.";
        }
        state.Add(sent);
        (replyingTo, scrollToBottom) = (null, true);
        StateHasChanged();
        await OnChanged.InvokeAsync();
        await OnMessageSent.InvokeAsync(sent);
        if (script is not null) await script.InvokeVoidAsync("focusComposer", history);
        return null;
    }

    /// <summary>An event from the conversation, as it happened anywhere (another window, the API, another instance).</summary>
    private async Task ApplyAsync(ChatEvent evt)
    {
        if (evt.Position is { } position) lastPosition = Math.Max(lastPosition ?? 0, position);
        typing.Apply(evt);
        // Ask the browser first: whether the reader is at the bottom decides whether a new message scrolls into view.
        var atBottom = evt.Type != ChatEventTypes.MessageCreated || !state.IsLoaded || await IsNearBottomAsync();
        await ActOnAsync(state.Apply(evt), atBottom);
        StateHasChanged();
    }

    /// <summary>What an applied event asks of the pane.</summary>
    private async Task ActOnAsync(ConversationChange change, bool atBottom)
    {
        switch (change)
        {
            case ConversationChange.MessageFromOthers:
                scrollToBottom |= atBottom;
                await MarkReadAsync();
                break;
            case ConversationChange.OwnMessage:
                scrollToBottom = true;
                break;
            case ConversationChange.Resync:
                // Away longer than the event log keeps: the history is read again.
                await RefreshAsync();
                break;
            case ConversationChange.Deleted:
                (notice, canWrite) = ("This conversation was deleted.", false);
                break;
            case ConversationChange.AccessRevoked:
                (notice, canWrite) = ("You are no longer in this conversation.", false);
                break;
        }
    }

    private async Task<bool> IsNearBottomAsync() => script is null || await script.InvokeAsync("isNearBottom", true, history);

    private void StartReply(MessageView message)
    {
        replyingTo = message;
        reactingTo = null;
    }

    private async Task EditDoneAsync(MessageView? edited)
    {
        editingId = null;
        if (edited is null) return;
        state.Replace(edited);
        await OnChanged.InvokeAsync();
    }

    private async Task DeleteAsync(MessageView message)
    {
        if (suspended) return;
        if (!await Dialogs.ConfirmAsync("Delete message", "Delete this message? Everyone in the conversation will stop seeing it.", "Delete")) return;
        var deleted = await Messages.DeleteAsync(Viewer.Actor, message.Id);
        if (deleted.Failure is { } failure)
        {
            actionError = failure.Message;
            return;
        }
        state.Remove(message.Id);
        await OnChanged.InvokeAsync();
        await OnMessageDeleted.InvokeAsync(message.Id);
    }

    private async Task ToggleReactionAsync(MessageView message, string emoji)
    {
        reactingTo = null;
        if (suspended) return;
        var mine = MyReactionsOn(message.Id).Contains(emoji);
        var outcome = mine
            ? (await Reactions.RemoveAsync(Viewer.Actor, message.Id, emoji)).Failure
            : (await Reactions.AddAsync(Viewer.Actor, message.Id, emoji)).Failure;
        if (outcome is { } failure)
        {
            actionError = failure.Message;
            return;
        }
        var refreshed = await Messages.GetAsync(Viewer.Actor, message.Id);
        if (refreshed.Value is { } updated) state.Replace(updated);
        await LoadMyReactionsAsync([message]);
    }

    private async Task MarkReadAsync()
    {
        if (Viewer.UserId is not null) await ReadMarker.MarkReadAsync(Viewer.Actor, ChannelId);
    }

    private async Task LoadMyReactionsAsync(IEnumerable<MessageView> page)
    {
        if (Viewer.UserId is null) return;
        var list = page.ToList();
        var found = await OwnReactions.ForAsync(Viewer.UserId, list.Select(m => m.Id));
        foreach (var message in list) state.SetMyReactions(message.Id, found.GetValueOrDefault(message.Id) ?? []);
    }

    /// <summary>Replies, reactions, edits and deletes: only while the viewer may write and has a credential (an embedded token may lapse).</summary>
    private bool CanAct => canWrite && !suspended;

    private IReadOnlySet<string> MyReactionsOn(string messageId) => state.MyReactionsOn(messageId);

    private MessageView? ReplyTarget(MessageView message) =>
        state.Find(message.ReplyingToMessageId);

    public async ValueTask DisposeAsync()
    {
        subscription?.Dispose();
        await JsModule.StopAsync(behaviour);
        if (script is not null) await script.DisposeAsync();
        self?.Dispose();
    }
}

using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Components.Shared;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Messaging.Components;

/// <summary>
/// One conversation: history (newest at the bottom, older pages on scroll-up), the composer,
/// edit, delete, reactions and replies. The data and the actions are <see cref="ConversationFeed"/>'s;
/// this is the drawing, the scrolling and the dialogs.
/// </summary>
public sealed partial class Conversation : IAsyncDisposable
{
    private static readonly string[] QuickReactions = ["👍", "❤️", "😂", "🎉", "😮", "🙏"];

    [Inject] private ConversationFeed Feed { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private DatabaseStatus Database { get; set; } = null!;

    [Parameter, EditorRequired] public string ChannelId { get; set; } = "";
    [Parameter, EditorRequired] public ViewerInfo Viewer { get; set; } = null!;
    [Parameter, EditorRequired] public string Title { get; set; } = "";
    [Parameter] public string? Subtitle { get; set; }
    [Parameter] public RenderFragment? HeaderActions { get; set; }
    [Parameter] public string ComposerPlaceholder { get; set; } = "Write a message…";
    [Parameter] public string? ReadOnlyNote { get; set; }

    /// <summary>
    /// The composer offers Reply / Note: a team member's internal notes in a support chat. The page says so
    /// from the viewer's abilities; the server checks again (a customer's "note" is refused).
    /// </summary>
    [Parameter] public bool AllowNotes { get; set; }

    /// <summary>Offers saved replies in the composer (the team in a support chat; see <see cref="Composer.SavedReplies"/>).</summary>
    [Parameter] public Support.SavedReplies.SavedReplyTarget? SavedReplies { get; set; }

    /// <summary>Raised after the viewer sends, edits or deletes, so lists beside the pane can refresh.</summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    /// <summary>Raised with each message the viewer sent from this pane (an embedding page tells its host).</summary>
    [Parameter] public EventCallback<MessageView> OnMessageSent { get; set; }

    /// <summary>Raised with the id of each message the viewer deleted from this pane.</summary>
    [Parameter] public EventCallback<string> OnMessageDeleted { get; set; }

    /// <summary>
    /// Raised, in order, with each event that changed the conversation itself rather than its messages
    /// (members added or removed, a rename, a support chat resolved or reopened), from wherever it was
    /// made: a header beside the pane (a member count, a title) follows it.
    /// </summary>
    [Parameter] public EventCallback<ChatEvent> OnConversationChanged { get; set; }

    /// <summary>
    /// A message to show (the one a search found the chat by): older pages load until it is there (at most
    /// <see cref="MaxPagesToFocus"/>), then it is scrolled to and marked.
    /// </summary>
    [Parameter] public string? FocusMessageId { get; set; }

    private const int MaxPagesToFocus = 50;
    private string? focusedId;
    private bool focusPending;

    /// <summary>When set, authors' names are buttons that raise this with the author's user id.</summary>
    [Parameter] public EventCallback<string> OnProfileClick { get; set; }

    private ElementReference history;
    private JsModule? script;
    private IJSObjectReference? behaviour;
    private DotNetObjectReference<Conversation>? self;

    private string? loadedChannelId;
    private Actor? authorizedAs;
    private IReadOnlyList<MessageView>? messages => Feed.State.Messages;
    private bool loadingOlder;
    private string? loadError;
    private bool scrollToBottom;
    private MessageView? replyingTo;
    private string? reactingTo;
    private string? editingId;
    /// <summary>A delete or a reaction the server refused: shown above the composer.</summary>
    private string? actionError;
    /// <summary>Why the viewer can no longer write here (the conversation was deleted, they were removed).</summary>
    private string? notice;
    private TypingNames typing = new(null);

    private bool suspended => !Viewer.Actor.IsAuthenticated;
    private bool canWrite => Feed.Abilities.Write && notice is null;
    private bool canModerate => Feed.Abilities.Moderate;
    /// <summary>Replies, reactions, edits and deletes: only while the viewer may write and has a credential (an embedded token may lapse).</summary>
    private bool CanAct => canWrite && !suspended;

    protected override async Task OnParametersSetAsync()
    {
        if (loadedChannelId == ChannelId)
        {
            if (FocusMessageId != focusedId) await FocusAsync();
            // Same conversation, another credential for the same person (a renewed or lapsed token).
            if (Equals(authorizedAs, Viewer.Actor)) return;
            authorizedAs = Viewer.Actor;
            notice = (await Feed.ReauthorizeAsync(Viewer.Actor))?.Message;
            return;
        }
        (loadedChannelId, authorizedAs) = (ChannelId, Viewer.Actor);
        (loadError, replyingTo, editingId, actionError, notice, reactingTo) = (null, null, null, null, null, null);
        typing = new TypingNames(Viewer.UserId);
        if (await Feed.OpenAsync(Viewer.Actor, ChannelId, evt => InvokeAsync(() => ApplyAsync(evt))) is not { } opened) return;
        loadError = opened.Failure?.Message;
        if (opened.Value is not { } held) return;
        scrollToBottom = true;
        foreach (var change in held) await ActOnAsync(change, atBottom: true);
        focusedId = null;
        await FocusAsync();
    }

    /// <summary>Loads back to <see cref="FocusMessageId"/> and asks for it to be shown once drawn.</summary>
    private async Task FocusAsync()
    {
        focusedId = FocusMessageId;
        if (FocusMessageId is not { } id || !Feed.State.IsLoaded) return;
        for (var pages = 0; Feed.State.Find(id) is null && Feed.HasOlder && pages < MaxPagesToFocus; pages++) await Feed.LoadOlderAsync();
        if (Feed.State.Find(id) is null) return;
        (focusPending, scrollToBottom) = (true, false);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            // From the first render: Enter typed before the history arrives is kept and sent once it has.
            script = new JsModule(JS, "./Messaging/Components/Conversation.razor.js");
            self = DotNetObjectReference.Create(this);
            behaviour = await script.StartAsync("init", history, self);
        }
        if (focusPending && messages is not null && script is not null)
        {
            focusPending = false;
            await script.InvokeVoidAsync("showMessage", history, focusedId);
        }
        else if (scrollToBottom && messages is not null && script is not null)
        {
            scrollToBottom = false;
            await script.InvokeVoidAsync("scrollToBottom", history);
        }
    }

    /// <summary>Brings the history up to date after a change made elsewhere (such as resolving from the header).</summary>
    public async Task RefreshAsync()
    {
        if (!await Feed.RefreshAsync()) return;
        scrollToBottom = true;
        StateHasChanged();
    }

    /// <summary>Called from the browser when the top of the history scrolls into view; the reading position stays put.</summary>
    [JSInvokable]
    public async Task LoadOlderAsync()
    {
        if (!Feed.HasOlder || loadingOlder || messages is null || script is not { IsDisposed: false } js) return;
        loadingOlder = true;
        StateHasChanged();
        var distance = await js.InvokeAsync("distanceFromBottom", 0d, history);
        await Feed.LoadOlderAsync();
        loadingOlder = false;
        StateHasChanged();
        await Task.Yield();
        await js.InvokeVoidAsync("restoreDistanceFromBottom", history, distance);
    }

    /// <summary>The composer's send: stores the message and shows it, or answers why not (the composer keeps the text).</summary>
    private async Task<string?> SendAsync(string text, MessageVisibility visibility, Polls.PollDraft? poll, IReadOnlyList<string> fileIds)
    {
        actionError = null;
        Outcome<MessageView> sent;
        try
        {
            sent = await Feed.SendAsync(text, replyingTo?.Id, visibility, poll, fileIds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return !Database.Report(e) ? "The message could not be sent. Your text is still here; try again."
                : DatabaseFaults.Busy(e) is not null ? "The inbox is busy right now. Your text is still here; send it again in a moment."
                : "The database is not available right now. Your text is still here; send it again once it is back.";
        }
        if (sent.Failure is { } failure) return failure.Message;
        (replyingTo, scrollToBottom) = (null, true);
        StateHasChanged();
        await OnChanged.InvokeAsync();
        await OnMessageSent.InvokeAsync(sent.Value!);
        if (script is not null) await script.InvokeVoidAsync("focusComposer", history);
        return null;
    }

    /// <summary>An event from the conversation, as it happened anywhere (another window, the API, another instance).</summary>
    private async Task ApplyAsync(ChatEvent evt)
    {
        // Queued before another conversation opened here: not this one's.
        if (evt.ChannelId != loadedChannelId) return;
        typing.Apply(evt);
        // Ask the browser first: whether the reader is at the bottom decides whether a new message scrolls into view.
        var atBottom = evt.Type != ChatEventTypes.MessageCreated || !Feed.State.IsLoaded ||
            script is null || await script.InvokeAsync("isNearBottom", true, history);
        await ActOnAsync(Feed.State.Apply(evt), atBottom);
        StateHasChanged();
        if (evt.Type is ChatEventTypes.MemberAdded or ChatEventTypes.MemberRemoved or ChatEventTypes.DmRenamed
            or ChatEventTypes.SupportChatResolved or ChatEventTypes.SupportChatReopened)
        {
            await OnConversationChanged.InvokeAsync(evt);
        }
    }

    /// <summary>What an applied event asks of the pane.</summary>
    private async Task ActOnAsync(ConversationChange change, bool atBottom)
    {
        switch (change)
        {
            case ConversationChange.MessageFromOthers:
                scrollToBottom |= atBottom;
                await Feed.MarkReadAsync();
                break;
            case ConversationChange.OwnMessage:
                scrollToBottom = true;
                break;
            case ConversationChange.Resync:
                // Away longer than the event log keeps: the history is read again.
                await RefreshAsync();
                break;
            case ConversationChange.Deleted:
                notice = "This conversation was deleted.";
                break;
            case ConversationChange.AccessRevoked:
                notice = "You are no longer in this conversation.";
                break;
        }
    }

    private void StartReply(MessageView message) => (replyingTo, reactingTo) = (message, null);

    private async Task EditDoneAsync(MessageView? edited)
    {
        editingId = null;
        if (edited is null) return;
        Feed.State.Replace(edited);
        await OnChanged.InvokeAsync();
    }

    private async Task DeleteAsync(MessageView message)
    {
        if (suspended) return;
        if (!await Dialogs.ConfirmAsync("Delete message", "Delete this message? Everyone in the conversation will stop seeing it.", "Delete")) return;
        actionError = (await Feed.DeleteAsync(message.Id))?.Message;
        if (actionError is not null) return;
        await OnChanged.InvokeAsync();
        await OnMessageDeleted.InvokeAsync(message.Id);
    }

    private async Task ToggleReactionAsync(MessageView message, string emoji)
    {
        reactingTo = null;
        if (!suspended) actionError = (await Feed.ToggleReactionAsync(message.Id, emoji))?.Message;
    }

    private async Task ToggleVoteAsync(MessageView message, string optionId)
    {
        if (!suspended) actionError = (await Feed.ToggleVoteAsync(message.Id, optionId))?.Message;
    }

    public async ValueTask DisposeAsync()
    {
        Feed.Close();
        JsModule.Stop(behaviour);
        if (script is not null) await script.DisposeAsync();
        self?.Dispose();
    }
}

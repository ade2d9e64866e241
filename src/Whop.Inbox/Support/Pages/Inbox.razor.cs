using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Whop.Inbox.Common;
using Whop.Inbox.Components.Shared;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Microsoft.AspNetCore.Components.Web;
using Whop.Inbox.Support.Assignment;
using Whop.Inbox.Support.Snooze;
using Whop.Inbox.Support.Labels;
using Whop.Inbox.Support.Priority;
using Whop.Inbox.Support.Bulk;
using Whop.Inbox.Support.Components;

namespace Whop.Inbox.Support.Pages;

/// <summary>
/// The team's inbox. Every filter lives in the URL (shareable, and the back button works): the
/// page reads its state from the query string (<see cref="InboxAddress"/>) and changes it only by navigating.
/// </summary>
public sealed partial class Inbox : IAsyncDisposable
{
    /// <summary>
    /// The rows a page of the list brings: a tall screen's worth. An idle circuit keeps every drawn row in its render
    /// tree; thirty took the page's tree past 2,048 frames, and its buffer doubled to 160 KB.
    /// </summary>
    private const int PageSize = 20;
    /// <summary>A row's height in pixels, as drawn: the virtualised list places rows by it.</summary>
    private const int RowHeight = 61;
    /// <summary>The rows a prerendered page shows (the mentions view has no pages): a tall screen's worth, as a page.</summary>
    private const int PrerenderedRows = PageSize;
    /// <summary>A list longer than this (a third page loaded) is virtualised; one this short is cheaper drawn whole than blanked and measured.</summary>
    private const int PlainRowsAtMost = 2 * PageSize;
    private bool drawn;
    private InboxLiveList? virtualisedList;

    /// <summary>
    /// Whether the list draws only the rows in view: from when it grows past <see cref="PlainRowsAtMost"/> until another
    /// list is loaded. Each switch to it blanks the list until the browser has measured it, so it does not switch back and forth.
    /// </summary>
    private bool DrawsRowsInViewOnly()
    {
        if (drawn && live!.Rows.Count > PlainRowsAtMost) virtualisedList = live;
        return ReferenceEquals(virtualisedList, live);
    }

    private static readonly (string Key, string Label)[] Views = [("team", "Team inbox"), ("mine", "My own chats"), ("all", "All")];

    private static readonly (string Key, string Label)[] Sorts =
        [("activity-desc", "Latest activity"), ("activity-asc", "Oldest activity"), ("created-desc", "Newest first"), ("created-asc", "Oldest first"),
         ("priority", "Urgent first")];

    private static readonly (string Key, string Label)[] PriorityFilters =
        [("", "Any priority"), .. ChatPriorities.MostUrgentFirst.Select(p => (p.WireName(), p.Describe()))];

    [Inject] private SupportChats SupportChats { get; set; } = null!;
    [Inject] private InboxQueries Queries { get; set; } = null!;
    [Inject] private ChannelCapabilities Capabilities { get; set; } = null!;
    [Inject] private Viewer Viewer { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private ChatNotifier Notifier { get; set; } = null!;
    [Inject] private Assignments Assignments { get; set; } = null!;
    [Inject] private Snoozes Snoozes { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private Labels.Labels LabelService { get; set; } = null!;
    [Inject] private LabelChanges LabelChanges { get; set; } = null!;
    [Inject] private Priorities PriorityService { get; set; } = null!;
    [Inject] private BulkActions Bulk { get; set; } = null!;
    [Inject] private WhoIsHere.ChatViewers ChatViewers { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "status")] public string? Status { get; set; }
    [SupplyParameterFromQuery(Name = "customer")] public string? Customer { get; set; }
    [SupplyParameterFromQuery(Name = "view")] public string? View { get; set; }
    [SupplyParameterFromQuery(Name = "sort")] public string? Sort { get; set; }
    [SupplyParameterFromQuery(Name = "chat")] public string? ChatId { get; set; }
    [SupplyParameterFromQuery(Name = "show")] public string? Show { get; set; }
    [SupplyParameterFromQuery(Name = "label")] public string? Label { get; set; }
    [SupplyParameterFromQuery(Name = "priority")] public string? Priority { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? Q { get; set; }
    [SupplyParameterFromQuery(Name = "msg")] public string? Msg { get; set; }

    private InboxAddress address = new();
    private ViewerInfo? viewer;
    private ElementReference listPane;
    private JsModule? script;
    private IJSObjectReference? behaviour;
    private DotNetObjectReference<Inbox>? self;

    // The list and tab totals, kept current from events (InboxLiveList) through the shared cycle.
    private LiveListCycle? cycle;
    private InboxLiveList? live;
    private string? loadedListKey;
    private string? listError;
    private string? nextCursor;
    private bool loadingMore;
    private readonly HashSet<string> rowsToFetch = [];
    private bool totalsToRecount;

    private SupportChatView? selected;
    private Messaging.Components.Conversation? conversation;
    private string? chatError;
    private int detailsRevision;
    private bool showDetails = true;
    private ChannelAbilities abilities = ChannelAbilities.None;

    /// <summary>The team's composer offers saved replies, filled in for the open chat's customer and the viewer.</summary>
    private SavedReplies.SavedReplyTarget? SavedRepliesHere => selected is not null && viewer is not null && abilities.Note
        ? new(selected.CompanyId, new(selected.Customer.Name, selected.Customer.Username, viewer.Name))
        : null;

    // The tabs' unread badges, the views' counts and the unread mentions, read again after each burst of events.
    private InboxBadges? badges;

    // Giving the open chat to someone: whether the viewer may, and to whom (the company's team).
    private bool canAssign;
    private bool assigning;
    private string? assignError;
    private IReadOnlyList<UserSummary> team = [];

    // Snoozing the open chat: the header's menu, in the viewer's time zone (the browser's, read once).
    private SnoozeMenu? snoozeMenu;
    private bool snoozing;
    private string? snoozeError;
    private TimeZoneInfo zone = TimeZoneInfo.Utc;
    // Labels and priority: the company's labels (kept current), and what the viewer may do with them.
    private IReadOnlyList<LabelView> labels = [];
    private bool canLabel;
    private bool canManageLabels;
    private bool canPrioritize;
    private IDisposable? labelChanges;
    // Changing picked chats at once: whether the viewer may, what is picked, and what the last change did.
    private bool canBulk;
    private bool canSnooze;
    private readonly InboxSelection selection = new();
    private bool bulkRunning;
    private BulkReport? bulkReport;
    // Each row's "more actions" menu (priority, labels, snooze) for whoever may do any of them: a button on every
    // row, and the menu itself for the row whose button was pressed last.
    private string? rowMenuChatId;
    // Who else of the team has each row's chat open.
    private WhoIsHere.InboxViewers? rowViewers;
    private bool HasRowMenu => canPrioritize || canSnooze || labels.Count > 0;

    private IReadOnlyList<SupportChatView>? Chats => live?.Rows;

    protected override async Task OnInitializedAsync()
    {
        viewer = await Viewer.GetAsync();
        cycle = new LiveListCycle(InvokeAsync, LoadListAsync, Apply, SettleAsync);
        await cycle.FollowAsync(async handler =>
            (await Notifier.SubscribeInboxAsync(viewer.Actor, viewer.CompanyId, evt => { Observe(evt); return handler(evt); })).Value);
        badges = (await Notifier.WatchInboxBadgesAsync(viewer.Actor, viewer.CompanyId, () => InvokeAsync(StateHasChanged))).Value;
        // What the viewer may do here comes with the viewer (one standing, read once per circuit); each change is checked again.
        (canAssign, canLabel, canManageLabels, canPrioritize, canSnooze, canBulk) =
            (viewer.CanAssign, viewer.CanLabel, viewer.CanManageLabels, viewer.CanPrioritize, viewer.CanSnooze, viewer.CanBulkChange);
        await LoadLabelsAsync();
        // A label renamed, recoloured, created or deleted: the menus, filters and rows show it.
        labelChanges = LabelChanges.Subscribe(companyId =>
        {
            if (companyId == viewer.CompanyId) _ = InvokeAsync(async () => { await LoadLabelsAsync(); await cycle!.ReloadAsync(); await RefreshAsync(); StateHasChanged(); });
        });
        if (canAssign) team = (await Assignments.AssigneesAsync(viewer.Actor, viewer.CompanyId)).Value ?? [];
        rowViewers = await WhoIsHere.InboxViewers.FollowAsync(ChatViewers, viewer.Actor, viewer.CompanyId, () => cycle?.RedrawSoon());
    }

    protected override async Task OnParametersSetAsync()
    {
        address = new InboxAddress(Status, Customer, View, Sort, ChatId, Show, Label, Priority, Q, Msg);
        if (address.ListKey != loadedListKey) await cycle!.ReloadAsync();
        await SelectAsync(ChatId);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        // From now on the list draws every loaded row (see the markup); a prerender never gets here.
        drawn = true;
        if (live?.Rows.Count > PrerenderedRows) StateHasChanged();
        script = new JsModule(JS, "./Support/Pages/Inbox.razor.js");
        self = DotNetObjectReference.Create(this);
        behaviour = await script.StartAsync("init", listPane, self);
        zone = SnoozePresets.Zone(await script.InvokeAsync<string?>("timeZone", null));
        if (zone != TimeZoneInfo.Utc) StateHasChanged();
    }

    /// <summary>
    /// Every event of the company's chats, loaded or not: the open chat's header and customer panel
    /// follow it. Only an event newer than what the header shows moves it (typing never does).
    /// </summary>
    private void Observe(ChatEvent evt) => _ = InvokeAsync(() =>
    {
        if (evt.Data is SupportChatWoke { AssigneeId: { } assignee } woke && assignee == viewer?.UserId) TellWoke(evt.ChannelId, woke);
        if (selected is null || evt.ChannelId != selected.Id) return;
        selected = selected.After(evt);
        // The customer panel counts the chat's messages.
        if (evt.Type is ChatEventTypes.MessageCreated or ChatEventTypes.MessageDeleted) detailsRevision++;
        cycle?.RedrawSoon();
    });

    /// <summary>
    /// The list and the tab totals follow the event itself (no query); what it cannot tell is read one
    /// chat at a time when the list is next drawn (<see cref="SettleAsync"/>).
    /// </summary>
    private bool Apply(ChatEvent evt)
    {
        if (live is null) return true;
        if (address.IsMentions) return MentionsChangedBy(evt);
        var update = live.Apply(evt);
        if (update.FetchChatId is { } chatId) rowsToFetch.Add(chatId);
        totalsToRecount |= update.RecountTotals;
        if (selected is not null && evt.ChannelId == selected.Id) live.MarkRead(selected.Id);
        return update.Reload;
    }

    /// <summary>
    /// The Mentions view is read whole (it is short): again when a message mentions the viewer, when they
    /// read (their unread mentions go), or when a listed chat moves on.
    /// </summary>
    private bool MentionsChangedBy(ChatEvent evt) => evt switch
    {
        { Type: ChatEventTypes.Resync } => true,
        { Data: MessageEvent sent, Type: ChatEventTypes.MessageCreated } when sent.Message.MentionsEveryone || sent.Message.Mentions.Contains(viewer!.UserId!) => true,
        { Data: ReadChanged read } when read.UserId == viewer!.UserId => true,
        { Position: not null } when live!.Rows.Any(r => r.Id == evt.ChannelId) && evt.Type is ChatEventTypes.MessageCreated
            or ChatEventTypes.SupportChatResolved or ChatEventTypes.SupportChatReopened or ChatEventTypes.SupportChatAssigned
            or ChatEventTypes.SupportChatSnoozed or ChatEventTypes.SupportChatWoke => true,
        _ => false,
    };

    /// <summary>Reads what the events of the last moments could not tell, then draws once.</summary>
    private async Task SettleAsync()
    {
        if (live is { } list)
        {
            // Taken before the reads: what events ask for meanwhile waits for the next round, not lost.
            var fetch = rowsToFetch.ToList();
            var recount = totalsToRecount;
            totalsToRecount = false;
            rowsToFetch.Clear();
            foreach (var chatId in fetch)
            {
                if ((await SupportChats.GetAsync(viewer!.Actor, chatId)).Value is { } row) list.Place(row);
            }
            if (recount && (await Queries.StatusCountsAsync(viewer!.Actor, viewer.CompanyId)).Value is { } totals) list.SetTotals(totals);
            if (selected is not null) list.MarkRead(selected.Id);
            // A picked row that left the list (resolved away from Open) leaves the selection.
            selection.KeepListed(list.Rows);
        }
        StateHasChanged();
    }

    /// <summary>The first page and the tab totals for the address's filters; only the newest load is kept.</summary>
    private async Task LoadListAsync(Func<bool> isNewest)
    {
        // Another list (a tab, a filter): what was picked in the last one is not in view to act on.
        if (loadedListKey != address.ListKey && !bulkRunning)
        {
            bulkReport = null;
            selection.Clear();
        }
        loadedListKey = address.ListKey;
        if (address.IsMentions)
        {
            await LoadMentionsAsync(isNewest);
            return;
        }
        var query = address.Query(viewer!.CompanyId);
        var filter = await SupportChats.FilterAsync(viewer.Actor, query);
        var list = new InboxLiveList(viewer.Actor.UserId, query, filter.Value);
        var page = await SupportChats.ListAsync(viewer.Actor, query, new PageRequest(First: PageSize));
        var counts = page.Failure is null ? (await Queries.StatusCountsAsync(viewer.Actor, viewer.CompanyId)).Value : null;
        if (!isNewest()) return;
        listError = page.Failure?.Message;
        if (page.Value is { } first)
        {
            list.Load(first.Items, first.PageInfo.HasNextPage);
            nextCursor = first.PageInfo.EndCursor;
            if (counts is not null) list.SetTotals(counts);
        }
        (live, totalsToRecount) = (list, false);
        rowsToFetch.Clear();
        if (selected is not null) live.MarkRead(selected.Id);
    }

    /// <summary>The chats that mention the viewer, unread mentions first: one read, no pages, no filter to follow events by.</summary>
    private async Task LoadMentionsAsync(Func<bool> isNewest)
    {
        var query = address.Query(viewer!.CompanyId);
        var mentioned = await SupportChats.MentionedAsync(viewer.Actor, viewer.CompanyId);
        var counts = mentioned.Failure is null ? (await Queries.StatusCountsAsync(viewer.Actor, viewer.CompanyId)).Value : null;
        if (!isNewest()) return;
        listError = mentioned.Failure?.Message;
        var list = new InboxLiveList(viewer.UserId, query, filter: null);
        list.Load(mentioned.Value ?? [], hasMore: false);
        if (counts is not null) list.SetTotals(counts);
        (live, totalsToRecount, nextCursor) = (list, false, null);
        rowsToFetch.Clear();
        if (selected is not null) live.MarkRead(selected.Id);
    }

    /// <summary>The next page, when the end of the list scrolls into view (or the button is pressed).</summary>
    [JSInvokable]
    public async Task LoadMoreAsync()
    {
        if (live is not { HasMore: true } list || loadingMore) return;
        loadingMore = true;
        StateHasChanged();
        var page = await SupportChats.ListAsync(viewer!.Actor, list.Query, new PageRequest(First: PageSize, After: nextCursor));
        // The list may have been replaced (filters changed) while this page was read.
        if (page.Value is { } more && ReferenceEquals(list, live))
        {
            list.Append(more.Items, more.PageInfo.HasNextPage);
            nextCursor = more.PageInfo.EndCursor;
        }
        loadingMore = false;
        StateHasChanged();
    }

    private async Task SelectAsync(string? chatId)
    {
        if (chatId is null) (selected, chatError) = (null, null);
        if (chatId is null || selected?.Id == chatId) return;
        var chat = await SupportChats.GetAsync(viewer!.Actor, chatId);
        // What the viewer may do comes with the chat, so a shortcut pressed the moment it shows works.
        var can = chat.Value is null ? ChannelAbilities.None : await Capabilities.ForAsync(viewer.Actor, chatId);
        // Keys pressed quickly (j then k) navigate again before this one is read: the newest wins.
        if (chatId != ChatId) return;
        (selected, chatError, abilities) = (chat.Value, chat.Failure?.Message, can);
        if (selected is null) return;
        // Opening a chat reads it (the conversation marks it read): its badge goes at once.
        live?.MarkRead(chatId);
    }

    private async Task LoadLabelsAsync() =>
        labels = canLabel ? [.. ((await LabelService.ListAsync(viewer!.Actor, viewer.CompanyId)).Value ?? []).Select(l => l.View)] : [];

    /// <summary>The open chat's labels changed from the header's menu: its note is in the history.</summary>
    private async Task LabelsChangedAsync(SupportChatView chat)
    {
        selected = SupportChatView.Newer(selected, chat);
        if (conversation is not null) await conversation.RefreshAsync();
    }

    /// <summary>Sets the open chat's priority (the header's menu, the keys 1–4 and 0).</summary>
    private async Task PrioritizeAsync(ChatPriority priority)
    {
        if (selected is null || !canPrioritize || selected.Priority == priority) return;
        var outcome = await PriorityService.SetAsync(viewer!.Actor, selected.Id, priority);
        if (outcome.Failure is { } failure)
        {
            assignError = failure.Message;
            return;
        }
        selected = SupportChatView.Newer(selected, outcome.Value!);
        if (conversation is not null) await conversation.RefreshAsync();
    }

    /// <summary>A row's menu set its chat's priority: the list follows from the event; a refusal is said in a notice.</summary>
    private Task RowPrioritizeAsync(SupportChatView chat, ChatPriority priority) =>
        chat.Priority == priority ? Task.CompletedTask : RowChangeAsync(chat, PriorityService.SetAsync(viewer!.Actor, chat.Id, priority));

    /// <summary>A row's menu put a label on its chat or took one off.</summary>
    private Task RowLabelAsync(SupportChatView chat, LabelView label, bool on) => RowChangeAsync(chat, on
        ? LabelService.AddAsync(viewer!.Actor, chat.Id, [label.Id])
        : LabelService.RemoveAsync(viewer!.Actor, chat.Id, [label.Id]));

    /// <summary>A row's menu snoozed its chat (or woke it).</summary>
    private Task RowSnoozeAsync(SupportChatView chat, SnoozeRequest request) => RowChangeAsync(chat, Snoozes.SnoozeAsync(viewer!.Actor, chat.Id, request));

    /// <summary>
    /// A change from a row's menu. Its event moves the row (and the header, when it is the open chat); the open
    /// chat's history is read again for the change's note. A refusal is said in a notice: a row has no room for it.
    /// </summary>
    private async Task RowChangeAsync(SupportChatView chat, Task<Outcome<SupportChatView>> change)
    {
        var outcome = await change;
        if (outcome.Failure is { } failure)
        {
            Snackbar.Add($"{chat.Customer.Name}: {failure.Message}", Severity.Error);
            return;
        }
        if (selected?.Id != chat.Id) return;
        selected = SupportChatView.Newer(selected, outcome.Value!);
        if (conversation is not null) await conversation.RefreshAsync();
    }

    private IEnumerable<(string Key, string Label)> LabelFilterChoices =>
        labels.Where(l => !address.LabelIds.Contains(l.Id)).Select(l => (l.Id, l.Name)).Prepend(("", "Add a label filter"));

    private string WithLabel(string labelId) => string.Join(',', address.LabelIds.Append(labelId));

    private string WithoutLabel(string labelId) => string.Join(',', address.LabelIds.Where(id => id != labelId));

    private Task AssignToMeAsync() => AssignAsync(viewer!.UserId);

    /// <summary>Gives the open chat to a team member, or to nobody (null or empty); a refusal is shown in the header.</summary>
    private async Task AssignAsync(string? assigneeId)
    {
        if (selected is null || assigning) return;
        (assigning, assignError) = (true, null);
        try
        {
            var outcome = await Assignments.AssignAsync(viewer!.Actor, selected.Id, string.IsNullOrEmpty(assigneeId) ? null : assigneeId);
            if (outcome.Failure is { } failure) assignError = failure.Message;
            else selected = SupportChatView.Newer(selected, outcome.Value!);
        }
        finally
        {
            assigning = false;
        }
        // The assignment left a note (for the team) in the history.
        if (assignError is null && conversation is not null) await conversation.RefreshAsync();
    }

    /// <summary>Snoozes the open chat as the header's menu says (or wakes it); a refusal is shown in the header.</summary>
    private async Task SnoozeAsync(SnoozeRequest request)
    {
        if (selected is null || snoozing) return;
        (snoozing, snoozeError) = (true, null);
        try
        {
            var outcome = await Snoozes.SnoozeAsync(viewer!.Actor, selected.Id, request);
            if (outcome.Failure is { } failure) snoozeError = failure.Message;
            else selected = SupportChatView.Newer(selected, outcome.Value!);
        }
        finally
        {
            snoozing = false;
        }
        // The snooze left a note (for the team) in the history.
        if (snoozeError is null && conversation is not null) await conversation.RefreshAsync();
    }

    /// <summary>
    /// One of the viewer's chats woke (its time came, or the customer wrote): a notice with a link to it, so
    /// it is not missed wherever the inbox is scrolled or filtered.
    /// </summary>
    private void TellWoke(string chatId, SupportChatWoke woke)
    {
        if (woke.Reason == WakeReason.Hand && woke.ByUserId == viewer?.UserId) return;
        var who = live?.Rows.FirstOrDefault(r => r.Id == chatId)?.Customer.Name ?? (selected?.Id == chatId ? selected.Customer.Name : null);
        var chat = who is null ? "A chat assigned to you" : $"Your chat with {who}";
        var why = woke.Reason == WakeReason.CustomerReplied ? "woke up: the customer replied" : "woke up and is open again";
        Snackbar.Add($"{chat} {why}.", Severity.Info, options =>
        {
            options.Action = "Open";
            options.OnClick = _ =>
            {
                Go(UrlWith(chat: chatId));
                return Task.CompletedTask;
            };
        }, key: $"woke-{chatId}");
    }

    /// <summary>The team, and whoever has the chat even if they are no longer on it (the picker must show them).</summary>
    private IEnumerable<UserSummary> AssigneeChoices(SupportChatView chat) =>
        chat.Assignee is { } has && team.All(p => p.Id != has.Id) ? team.Append(has) : team;

    private async Task ResolveAsync() => await ChangeStatusAsync((actor, id, ct) => SupportChats.ResolveAsync(actor, id, ct));

    private async Task ReopenAsync() => await ChangeStatusAsync((actor, id, ct) => SupportChats.ReopenAsync(actor, id, ct));

    private async Task ChangeStatusAsync(Func<Actor, string, CancellationToken, Task<Outcome<SupportChatView>>> change)
    {
        if (selected is null) return;
        var outcome = await change(viewer!.Actor, selected.Id, default);
        if (outcome.Failure is { } failure)
        {
            chatError = failure.Message;
            return;
        }
        // Events that came while it was written may already have moved the chat on (the customer's reply reopened it).
        selected = SupportChatView.Newer(selected, outcome.Value!);
        // The status change left a system message in the history.
        if (conversation is not null) await conversation.RefreshAsync();
    }

    /// <summary>After a change in the open conversation: the list follows from its events; the header is read again.</summary>
    private async Task RefreshAsync()
    {
        if (selected is null) return;
        if ((await SupportChats.GetAsync(viewer!.Actor, selected.Id)).Value is { } chat) selected = SupportChatView.Newer(selected, chat);
    }

    /// <summary>The picked rows the list shows, in its order: what a bulk change acts on.</summary>
    private IReadOnlyList<SupportChatView> SelectedRows => selection.In(Chats ?? []);

    /// <summary>A row's checkbox, for those who may change chats in bulk.</summary>
    private InboxRow.RowCheck? CheckFor(SupportChatView chat) => canBulk
        ? new(selection.Contains(chat.Id), EventCallback.Factory.Create<MouseEventArgs>(this, e => ToggleRow(chat.Id, e.ShiftKey)))
        : null;

    private void ToggleRow(string chatId, bool range)
    {
        if (Chats is { } rows && !bulkRunning) selection.Toggle(rows, chatId, range);
    }

    /// <summary>The key <c>x</c> on a row (the focused one, else the open chat's): picks it or puts it back.</summary>
    [JSInvokable]
    public void ToggleRowFromKey(string chatId)
    {
        if (!canBulk || Chats?.Any(r => r.Id == chatId) != true) return;
        ToggleRow(chatId, range: false);
        StateHasChanged();
    }

    private void SelectAll(bool check)
    {
        if (Chats is { } rows && !bulkRunning) selection.SetAll(rows, check);
    }

    private void ClearSelection()
    {
        if (!bulkRunning) selection.Clear();
    }

    /// <summary>
    /// One action on every picked chat, each changed on its own (<see cref="BulkActions"/>). The list follows
    /// from each chat's events as they come; afterwards the page says how many changed and names the ones that
    /// did not, and why, and only those stay picked.
    /// </summary>
    private async Task RunBulkAsync(BulkAction action)
    {
        var chosen = SelectedRows;
        if (chosen.Count == 0 || bulkRunning) return;
        (bulkRunning, bulkReport) = (true, null);
        StateHasChanged();
        try
        {
            var outcome = await Bulk.RunAsync(viewer!.Actor, viewer.CompanyId, chosen.Select(c => c.Id).ToList(), action);
            if (outcome.Failure is { } refused)
            {
                bulkReport = BulkReport.Refused(refused);
                return;
            }
            bulkReport = BulkReport.Of(action, outcome.Value!, chosen);
            selection.KeepOnly(bulkReport.Misses.Select(m => m.ChatId));
        }
        finally
        {
            bulkRunning = false;
        }
        // The open chat may be among them: its history has a new system note.
        if (selected is not null && conversation is not null && chosen.Any(c => c.Id == selected.Id)) await conversation.RefreshAsync();
    }

    /// <summary>j/k when the open chat's row is not drawn (scrolled far away): the next or previous chat in the list's order.</summary>
    [JSInvokable]
    public async Task MoveAsync(int step)
    {
        if (Chats is not { Count: > 0 } rows) return;
        var index = rows.Select(r => r.Id).ToList().IndexOf(ChatId ?? "");
        var next = index < 0 ? (step > 0 ? 0 : rows.Count - 1) : Math.Clamp(index + step, 0, rows.Count - 1);
        if (next == index) return;
        Go(UrlWith(chat: rows[next].Id));
        if (script is not null) await script.InvokeVoidAsync("revealRow", next, RowHeight);
    }

    [JSInvokable]
    public async Task OnShortcutAsync(string key)
    {
        switch (key)
        {
            case "e" when selected is { Status: not SupportStatus.Resolved } && abilities.Resolve:
                await ResolveAsync();
                StateHasChanged();
                break;
            case "z" when selected is { Status: not SupportStatus.Resolved } && abilities.Snooze && snoozeMenu is not null:
                snoozeMenu.Toggle();
                break;
            case "a" when selected is not null && canAssign && selected.Assignee?.Id != viewer!.UserId:
                await AssignToMeAsync();
                StateHasChanged();
                break;
            case "0" or "1" or "2" or "3" or "4" when selected is not null && canPrioritize:
                await PrioritizeAsync((ChatPriority)(key[0] - '0'));
                StateHasChanged();
                break;
            case "/" when script is not null:
                await script.InvokeVoidAsync("focusSelector", "#" + Search.SearchBox.InputId);
                break;
            case "?":
                await ShowShortcutsAsync();
                break;
            case "Escape" when selection.Count > 0 || bulkReport is not null:
                bulkReport = null;
                ClearSelection();
                StateHasChanged();
                break;
        }
    }

    private async Task ShowShortcutsAsync() =>
        await Dialogs.ShowAsync<Components.ShortcutsDialog>("Keyboard shortcuts",
            new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, CloseOnEscapeKey = true, BackdropClick = true, CloseButton = true, DefaultFocus = DefaultFocus.LastChild });

    private async Task<IEnumerable<UserSummary>> SearchCustomersAsync(string text, CancellationToken ct) =>
        (await Queries.SearchCustomersAsync(viewer!.Actor, viewer.CompanyId, text, ct)).Value ?? [];

    private void OnCustomerPicked(UserSummary person) => Go(UrlWith(customer: person.Username, chat: "", q: ""));

    /// <summary>A search puts its query in the address (reload and back keep it); clearing it returns to the list.</summary>
    private void OnSearch(string query) => Go(UrlWith(chat: "", q: query.Length == 0 ? "" : query));

    /// <summary>A result opens its chat in place, at the message it was found by.</summary>
    private string LinkForResult(string chatId, string? messageId) => UrlWith(chat: chatId, msg: messageId ?? "");

    private int? CountFor(SupportStatus? status) =>
        live is not { Totals.Count: > 0 } list ? null : status is { } s ? list.Totals.GetValueOrDefault(s) : list.Totals.Values.Sum();

    private int UnreadFor(SupportStatus? status) =>
        badges is null ? 0 : status is { } s ? badges.Counts.GetValueOrDefault(s) : badges.Total;

    /// <summary>A view's count in the current status tab (all of them on the All tab); Mentions counts the chats with unread mentions.</summary>
    private int? ViewCount(string show)
    {
        if (badges is null) return null;
        var here = badges.ViewsIn(InboxAddress.Tabs.First(t => t.Key == address.StatusKey).Status);
        return show switch
        {
            "mine" => here.Mine,
            "unassigned" => here.Unassigned,
            "mentions" => badges.UnreadMentions,
            _ => here.All,
        };
    }

    private void Go(string url) => Navigation.NavigateTo(url);

    /// <summary>This page's URL with some parts changed; an empty string removes one.</summary>
    private string UrlWith(string? status = null, string? customer = null, string? view = null, string? sort = null, string? chat = null,
        string? show = null, string? label = null, string? priority = null, string? q = null, string? msg = null) =>
        address.With(status, customer, view, sort, chat, show, label, priority, q, msg).Url;

    public async ValueTask DisposeAsync()
    {
        cycle?.Dispose();
        badges?.Dispose();
        labelChanges?.Dispose();
        rowViewers?.Dispose();
        JsModule.Stop(behaviour);
        if (script is not null) await script.DisposeAsync();
        self?.Dispose();
    }
}

using Whop.Inbox.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Whop.Inbox.Common;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Support.Pages;

/// <summary>
/// The team's inbox. Every filter lives in the URL (shareable, and the back button works): the
/// page reads its state from the query string and changes it only by navigating.
/// </summary>
public sealed partial class Inbox : IAsyncDisposable
{
    private const int PageSize = 30;

    private static readonly (string Key, string Label, SupportStatus? Status)[] Tabs =
    [
        ("open", "Open", SupportStatus.Open),
        ("waiting", "Waiting", SupportStatus.Waiting),
        ("resolved", "Resolved", SupportStatus.Resolved),
        ("all", "All", null),
    ];

    [Inject] private SupportChats SupportChats { get; set; } = null!;
    [Inject] private InboxQueries Queries { get; set; } = null!;
    [Inject] private ChannelCapabilities Capabilities { get; set; } = null!;
    [Inject] private Viewer Viewer { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private ChatNotifier Notifier { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "status")] public string? Status { get; set; }
    [SupplyParameterFromQuery(Name = "customer")] public string? Customer { get; set; }
    [SupplyParameterFromQuery(Name = "view")] public string? View { get; set; }
    [SupplyParameterFromQuery(Name = "sort")] public string? Sort { get; set; }
    [SupplyParameterFromQuery(Name = "chat")] public string? ChatId { get; set; }

    private ViewerInfo? viewer;
    private ElementReference listPane;
    private MudAutocomplete<UserSummary>? customerBox;
    private JsModule? script;
    private IJSObjectReference? behaviour;
    private DotNetObjectReference<Inbox>? self;

    // The list and tab totals, kept current from events (see InboxLiveList); null until the first load.
    private InboxLiveList? live;
    private string? listError;
    private string? nextCursor;
    private bool loadingMore;
    private string? loadedQuery;
    private int loadsInFlight;
    private bool eventsDuringLoad;
    private readonly HashSet<string> rowsToFetch = [];
    private bool totalsToRecount;

    private SupportChatView? selected;
    private Messaging.Components.Conversation? conversation;
    private string? chatError;
    private CustomerDetails? details;
    private bool showDetails = true;
    private bool detailsStale;
    private bool canResolve;
    private bool canReopen;

    private ChatSubscription? inboxEvents;
    private Whop.Inbox.Components.Shared.Coalescer? flusher;


    private IReadOnlyList<SupportChatView>? Chats => live?.Rows;

    private string StatusKey => Tabs.Any(t => t.Key == Status) ? Status! : "open";
    private string ViewKey => View is "mine" or "all" ? View : "team";
    private string SortKey => Sort is "activity-asc" or "created-desc" or "created-asc" ? Sort : "activity-desc";

    private string EmptyTitle => Customer is not null
        ? $"No {(StatusKey == "all" ? "" : StatusKey + " ")}chats with @{Customer}"
        : StatusKey switch
        {
            "open" => "Nothing awaits the team. Well done!",
            "waiting" => "No chats are waiting on a customer.",
            "resolved" => "No resolved chats yet.",
            _ => "No support chats yet. When customers write in, they show up here.",
        };

    protected override async Task OnInitializedAsync()
    {
        viewer = await Viewer.GetAsync();
        flusher = new(LiveListCycle.RedrawInterval, () => InvokeAsync(FlushAsync));
        var subscribed = await Notifier.SubscribeInboxAsync(viewer.Actor, viewer.CompanyId, evt => InvokeAsync(() => OnInboxEventAsync(evt)));
        inboxEvents = subscribed.Value;
    }

    /// <summary>
    /// Something changed in one of the company's chats. The list and the tab totals follow the event
    /// itself (no query); what it cannot tell is read one chat at a time. The screen is redrawn a few
    /// times a second at most, so a flood of messages does not mean a render per message.
    /// </summary>
    private Task OnInboxEventAsync(ChatEvent evt)
    {
        if (evt.Type is ChatEventTypes.TypingStarted or ChatEventTypes.TypingStopped) return Task.CompletedTask;
        if (selected is not null && evt.ChannelId == selected.Id && evt.Channel?.Status is { } status)
        {
            selected = selected with { Status = status, LastActivityAt = evt.Channel.LastActivityAt };
            StateHasChanged();
        }
        if (selected is not null && evt.ChannelId == selected.Id && evt.Type is ChatEventTypes.MessageCreated or ChatEventTypes.MessageDeleted)
        {
            // The customer panel counts the chat's messages.
            detailsStale = true;
            flusher?.Poke();
        }
        if (loadsInFlight > 0)
        {
            // The load may or may not include this event; it runs again rather than guess.
            eventsDuringLoad = true;
            return Task.CompletedTask;
        }
        if (live is null) return Task.CompletedTask;
        var update = live.Apply(evt);
        if (update.Reload) loadedQuery = null;
        if (update.FetchChatId is { } chatId) rowsToFetch.Add(chatId);
        totalsToRecount |= update.RecountTotals;
        if (selected is not null && evt.ChannelId == selected.Id) live.MarkRead(selected.Id);
        if (update.Changed || update.Reload || update.FetchChatId is not null || update.RecountTotals) flusher?.Poke();
        return Task.CompletedTask;
    }

    /// <summary>Does what the events of the last moments left to do, then draws the list once.</summary>
    private async Task FlushAsync()
    {
        if (detailsStale && selected is { } open)
        {
            detailsStale = false;
            var fresh = (await Queries.CustomerDetailsAsync(viewer!.Actor, open.Id)).Value;
            if (fresh is not null && selected?.Id == open.Id) details = fresh;
        }
        if (live is null)
        {
            StateHasChanged();
            return;
        }
        if (loadedQuery is null)
        {
            loadedQuery = CurrentQueryKey;
            await LoadListAsync();
        }
        else
        {
            var ids = rowsToFetch.ToList();
            rowsToFetch.Clear();
            foreach (var chatId in ids)
            {
                if ((await SupportChats.GetAsync(viewer!.Actor, chatId)).Value is { } row) live.Place(row);
            }
            if (totalsToRecount)
            {
                totalsToRecount = false;
                if ((await Queries.StatusCountsAsync(viewer!.Actor, viewer.CompanyId)).Value is { } totals) live.SetTotals(totals);
            }
            if (selected is not null) live.MarkRead(selected.Id);
        }
        StateHasChanged();
    }

    protected override async Task OnParametersSetAsync()
    {
        viewer ??= await Viewer.GetAsync();
        var query = CurrentQueryKey;
        if (query != loadedQuery)
        {
            loadedQuery = query;
            await LoadListAsync();
        }
        await SelectAsync(ChatId);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        script = new JsModule(JS, "./Support/Pages/Inbox.razor.js");
        self = DotNetObjectReference.Create(this);
        behaviour = await script.StartAsync("init", listPane, self);
    }

    private string CurrentQueryKey => $"{StatusKey}|{Customer}|{ViewKey}|{SortKey}";

    private SupportChatQuery Query() => new(
        CompanyId: viewer!.CompanyId,
        Status: Tabs.First(t => t.Key == StatusKey).Status,
        View: ViewKey switch { "mine" => SupportView.Customer, "all" => SupportView.All, _ => SupportView.Admin },
        Order: SortKey.StartsWith("created") ? SupportOrder.CreatedAt : SupportOrder.LastPostSentAt,
        Descending: SortKey.EndsWith("desc"),
        Customer: Customer);

    /// <summary>
    /// The first page and the tab totals, from the database. Events that arrive meanwhile may or may
    /// not be in what was read, so the load runs again after them (a few times at most, then events
    /// apply as usual).
    /// </summary>
    private async Task LoadListAsync()
    {
        loadsInFlight++;
        try
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                eventsDuringLoad = false;
                if (!await LoadListOnceAsync() || !eventsDuringLoad) break;
            }
        }
        finally
        {
            loadsInFlight--;
        }
        rowsToFetch.Clear();
        totalsToRecount = false;
        if (selected is not null) live?.MarkRead(selected.Id);
        // Still changing after three loads (a flood): load once more when it has passed, not never.
        if (eventsDuringLoad)
        {
            loadedQuery = null;
            flusher?.Poke();
        }
    }

    private async Task<bool> LoadListOnceAsync()
    {
        listError = null;
        var query = Query();
        var page = await SupportChats.ListAsync(viewer!.Actor, query, new PageRequest(First: PageSize));
        if (page.Failure is { } failure)
        {
            listError = failure.Message;
            live = new InboxLiveList(viewer.Actor.UserId, query);
            return false;
        }
        var totals = await Queries.StatusCountsAsync(viewer.Actor, viewer.CompanyId);
        var list = new InboxLiveList(viewer.Actor.UserId, query);
        list.Load(page.Value!.Items, page.Value.PageInfo.HasNextPage);
        if (totals.Value is { } counts) list.SetTotals(counts);
        nextCursor = page.Value.PageInfo.EndCursor;
        live = list;
        return true;
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
        if (chatId is null)
        {
            (selected, details, chatError) = (null, null, null);
            return;
        }
        if (selected?.Id == chatId) return;
        var chat = await SupportChats.GetAsync(viewer!.Actor, chatId);
        // Keys pressed quickly (j then k) navigate again before this one is read: the newest wins.
        if (chatId != ChatId) return;
        if (chat.Failure is { } failure)
        {
            (selected, details, chatError) = (null, null, failure.Message);
            return;
        }
        selected = chat.Value!;
        chatError = null;
        details = null;
        var abilities = await Capabilities.ForAsync(viewer.Actor, chatId);
        if (chatId != ChatId) return;
        (canResolve, canReopen) = (abilities.Resolve, abilities.Reopen);
        // Opening a chat reads it (the conversation marks it read): its badge goes at once.
        live?.MarkRead(chatId);
        var read = (await Queries.CustomerDetailsAsync(viewer.Actor, chatId)).Value;
        if (chatId == ChatId) details = read;
    }

    private async Task ResolveAsync()
    {
        if (selected is null) return;
        var outcome = await SupportChats.ResolveAsync(viewer!.Actor, selected.Id);
        await AfterStatusChangeAsync(outcome);
    }

    private async Task ReopenAsync()
    {
        if (selected is null) return;
        var outcome = await SupportChats.ReopenAsync(viewer!.Actor, selected.Id);
        await AfterStatusChangeAsync(outcome);
    }

    private async Task AfterStatusChangeAsync(Outcome<SupportChatView> outcome)
    {
        if (outcome.Failure is { } failure)
        {
            chatError = failure.Message;
            return;
        }
        selected = outcome.Value!;
        await RefreshAsync();
        // The status change left a system message in the history.
        if (conversation is not null) await conversation.RefreshAsync();
    }

    /// <summary>After a change in the open conversation: the list follows from its events; the header is read again.</summary>
    private async Task RefreshAsync()
    {
        if (selected is null) return;
        var fresh = await SupportChats.GetAsync(viewer!.Actor, selected.Id);
        if (fresh.Value is { } chat) selected = chat;
    }

    [JSInvokable]
    public async Task OnShortcutAsync(string key)
    {
        switch (key)
        {
            case "e":
                if (selected is { Status: not SupportStatus.Resolved } && canResolve) await ResolveAsync();
                StateHasChanged();
                break;
            case "/":
                if (script is not null) await script.InvokeVoidAsync("focusSelector", "#customer-filter");
                break;
            case "?":
                await ShowShortcutsAsync();
                break;
        }
    }

    private async Task ShowShortcutsAsync() =>
        await Dialogs.ShowAsync<Components.ShortcutsDialog>("Keyboard shortcuts",
            new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, CloseOnEscapeKey = true, BackdropClick = true, CloseButton = true, DefaultFocus = DefaultFocus.LastChild });

    private async Task<IEnumerable<UserSummary>> SearchCustomersAsync(string? text, CancellationToken ct) =>
        (await Queries.SearchCustomersAsync(viewer!.Actor, viewer.CompanyId, text, ct)).Value ?? [];

    private async Task OnCustomerPickedAsync(UserSummary? person)
    {
        if (person is null) return;
        if (customerBox is not null) await customerBox.ClearAsync();
        Go(UrlWith(customer: person.Username, chat: ""));
    }

    private int? CountFor(SupportStatus? status) =>
        live is not { Totals.Count: > 0 } list ? null : status is { } s ? list.Totals.GetValueOrDefault(s) : list.Totals.Values.Sum();

    private void Go(string url) => Navigation.NavigateTo(url);

    /// <summary>This page's URL with some parameters changed; an empty string removes one.</summary>
    private string UrlWith(string? status = null, string? customer = null, string? view = null, string? sort = null, string? chat = null)
    {
        var parameters = new Dictionary<string, object?>
        {
            ["status"] = Pick(status, Status),
            ["customer"] = Pick(customer, Customer),
            ["view"] = Pick(view, View),
            ["sort"] = Pick(sort, Sort),
            ["chat"] = Pick(chat, ChatId),
        };
        return Navigation.GetUriWithQueryParameters(Navigation.ToAbsoluteUri("inbox").ToString(), parameters);
    }

    private static string? Pick(string? changed, string? current) => changed is null ? current : changed.Length == 0 ? null : changed;

    public async ValueTask DisposeAsync()
    {
        inboxEvents?.Dispose();
        flusher?.Dispose();
        await JsModule.StopAsync(behaviour);
        if (script is not null) await script.DisposeAsync();
        self?.Dispose();
    }
}

using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Radzen;
using Radzen.Blazor;
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
    [Inject] private InboxRights Rights { get; set; } = null!;
    [Inject] private Viewer Viewer { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private DialogService Dialogs { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private ChatNotifier Notifier { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "status")] public string? Status { get; set; }
    [SupplyParameterFromQuery(Name = "customer")] public string? Customer { get; set; }
    [SupplyParameterFromQuery(Name = "view")] public string? View { get; set; }
    [SupplyParameterFromQuery(Name = "sort")] public string? Sort { get; set; }
    [SupplyParameterFromQuery(Name = "chat")] public string? ChatId { get; set; }

    private ViewerInfo? viewer;
    private ElementReference listPane;
    private RadzenAutoComplete? customerBox;
    private IJSObjectReference? module;
    private IJSObjectReference? behaviour;
    private DotNetObjectReference<Inbox>? self;

    private List<SupportChatView>? chats;
    private IReadOnlyDictionary<SupportStatus, int>? counts;
    private string? listError;
    private string? nextCursor;
    private bool hasMore;
    private bool loadingMore;
    private string? loadedQuery;

    private SupportChatView? selected;
    private Messaging.Components.Conversation? conversation;
    private string? cursorChatId;
    private string? chatError;
    private CustomerDetails? details;
    private bool showDetails = true;
    private bool canResolve;
    private bool canReopen;

    private ChatSubscription? inboxEvents;
    private Whop.Inbox.Components.Shared.Coalescer? refresher;

    private IEnumerable<CustomerOption> customerMatches = [];
    private string? customerText;

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
        refresher = new(TimeSpan.FromMilliseconds(250), () => InvokeAsync(async () => { await RefreshListAsync(); StateHasChanged(); }));
        var subscribed = await Notifier.SubscribeInboxAsync(viewer.Actor, viewer.CompanyId, evt => InvokeAsync(() => OnInboxEventAsync(evt)));
        inboxEvents = subscribed.Value;
    }

    /// <summary>
    /// Something changed in one of the company's chats. The open chat's status follows at once; the
    /// list and its counts are reloaded once per burst (a quarter second after the last event), so a
    /// flood of messages costs one query, not one per message.
    /// </summary>
    private Task OnInboxEventAsync(ChatEvent evt)
    {
        if (evt.Type is ChatEventTypes.TypingStarted or ChatEventTypes.TypingStopped) return Task.CompletedTask;
        if (selected is not null && evt.ChannelId == selected.Id && evt.Channel?.Status is { } status)
        {
            selected = selected with { Status = status, LastActivityAt = evt.Channel.LastActivityAt };
            StateHasChanged();
        }
        refresher?.Poke();
        return Task.CompletedTask;
    }

    private async Task RefreshListAsync()
    {
        await LoadListAsync();
        if (selected is not null) MarkRowRead(selected.Id);
    }

    protected override async Task OnParametersSetAsync()
    {
        viewer ??= await Viewer.GetAsync();
        customerText = Customer is null ? null : $"@{Customer}";
        cursorChatId = ChatId;
        var query = $"{StatusKey}|{Customer}|{ViewKey}|{SortKey}";
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
        module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/inbox.js");
        self = DotNetObjectReference.Create(this);
        behaviour = await module.InvokeAsync<IJSObjectReference>("init", listPane, self);
    }

    private SupportChatQuery Query() => new(
        CompanyId: viewer!.CompanyId,
        Status: Tabs.First(t => t.Key == StatusKey).Status,
        View: ViewKey switch { "mine" => SupportView.Customer, "all" => SupportView.All, _ => SupportView.Admin },
        Order: SortKey.StartsWith("created") ? SupportOrder.CreatedAt : SupportOrder.LastPostSentAt,
        Descending: SortKey.EndsWith("desc"),
        Customer: Customer);

    private async Task LoadListAsync()
    {
        listError = null;
        var page = await SupportChats.ListAsync(viewer!.Actor, Query(), new PageRequest(First: PageSize));
        if (page.Failure is { } failure)
        {
            (listError, chats) = (failure.Message, []);
            return;
        }
        chats = page.Value!.Items.ToList();
        (nextCursor, hasMore) = (page.Value.PageInfo.EndCursor, page.Value.PageInfo.HasNextPage);
        counts = (await Queries.StatusCountsAsync(viewer.Actor, viewer.CompanyId)).Value;
    }

    /// <summary>The next page, when the end of the list scrolls into view (or the button is pressed).</summary>
    [JSInvokable]
    public async Task LoadMoreAsync()
    {
        if (!hasMore || loadingMore || chats is null) return;
        loadingMore = true;
        StateHasChanged();
        var page = await SupportChats.ListAsync(viewer!.Actor, Query(), new PageRequest(First: PageSize, After: nextCursor));
        if (page.Value is { } more)
        {
            chats.AddRange(more.Items.Where(c => chats.All(existing => existing.Id != c.Id)));
            (nextCursor, hasMore) = (more.PageInfo.EndCursor, more.PageInfo.HasNextPage);
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
        if (chat.Failure is { } failure)
        {
            (selected, details, chatError) = (null, null, failure.Message);
            return;
        }
        selected = chat.Value!;
        chatError = null;
        canResolve = await Rights.CanAsync(viewer.Actor, InboxAction.ResolveSupportChat, selected.CompanyId);
        canReopen = await Rights.CanAsync(viewer.Actor, InboxAction.ReopenSupportChat, selected.CompanyId);
        // Opening a chat reads it (the conversation marks it read): its badge goes at once.
        MarkRowRead(chatId);
        details = (await Queries.CustomerDetailsAsync(viewer.Actor, chatId)).Value;
    }

    private void MarkRowRead(string chatId)
    {
        var index = chats?.FindIndex(c => c.Id == chatId) ?? -1;
        if (index >= 0) chats![index] = chats[index] with { UnreadCount = 0 };
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

    /// <summary>After a change in the open conversation: reload the list and counts, keep the selection.</summary>
    private async Task RefreshAsync()
    {
        await LoadListAsync();
        if (selected is not null)
        {
            var fresh = await SupportChats.GetAsync(viewer!.Actor, selected.Id);
            if (fresh.Value is { } chat) selected = chat;
            MarkRowRead(selected.Id);
        }
    }

    [JSInvokable]
    public async Task OnShortcutAsync(string key)
    {
        switch (key)
        {
            case "j" or "ArrowDown":
                await MoveAsync(+1);
                break;
            case "k" or "ArrowUp":
                await MoveAsync(-1);
                break;
            case "e":
                if (selected is { Status: not SupportStatus.Resolved } && canResolve) await ResolveAsync();
                StateHasChanged();
                break;
            case "/":
                if (module is not null) await module.InvokeVoidAsync("focusSelector", "#customer-filter input, input#customer-filter, [data-testid='customer-filter'] input");
                break;
            case "?":
                await ShowShortcutsAsync();
                break;
        }
    }

    private async Task MoveAsync(int step)
    {
        if (chats is not { Count: > 0 }) return;
        var index = chats.FindIndex(c => c.Id == cursorChatId);
        var next = index < 0 ? (step > 0 ? 0 : chats.Count - 1) : Math.Clamp(index + step, 0, chats.Count - 1);
        if (next == index) return;
        // The address changes only after a round trip through the browser; a second key pressed
        // meanwhile must move on from here, not from the old address.
        cursorChatId = chats[next].Id;
        Go(UrlWith(chat: cursorChatId));
        if (module is not null) await module.InvokeVoidAsync("focusSelector", $"[data-channel-id='{chats[next].Id}']");
    }

    private async Task ShowShortcutsAsync() =>
        await Dialogs.OpenAsync("Keyboard shortcuts", _ => builder =>
        {
            builder.AddMarkupContent(0, """
                <dl class="shortcuts" data-testid="shortcuts">
                  <dt><kbd>j</kbd> / <kbd>↓</kbd></dt><dd>Next chat</dd>
                  <dt><kbd>k</kbd> / <kbd>↑</kbd></dt><dd>Previous chat</dd>
                  <dt><kbd>e</kbd></dt><dd>Resolve the open chat</dd>
                  <dt><kbd>/</kbd></dt><dd>Search customers</dd>
                  <dt><kbd>?</kbd></dt><dd>This list</dd>
                  <dt><kbd>Enter</kbd></dt><dd>Send (Shift+Enter: new line)</dd>
                </dl>
                """);
        }, new DialogOptions { Width = "360px", CloseDialogOnEsc = true, CloseDialogOnOverlayClick = true });

    private async Task SearchCustomersAsync(LoadDataArgs args)
    {
        var found = await Queries.SearchCustomersAsync(viewer!.Actor, viewer.CompanyId, args.Filter);
        customerMatches = (found.Value ?? []).Select(u => new CustomerOption(u.Username, $"{u.Name} (@{u.Username})")).ToList();
    }

    private void OnCustomerPicked(object? value)
    {
        var text = value as string;
        var match = customerMatches.FirstOrDefault(c => c.Label == text);
        if (match is not null) Go(UrlWith(customer: match.Username, chat: ""));
    }

    private int? CountFor(SupportStatus? status) =>
        counts is null ? null : status is { } s ? counts.GetValueOrDefault(s) : counts.Values.Sum();

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
        refresher?.Dispose();
        try
        {
            if (behaviour is not null)
            {
                await behaviour.InvokeVoidAsync("dispose");
                await behaviour.DisposeAsync();
            }
            if (module is not null) await module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; so is the page.
        }
        self?.Dispose();
    }

    private sealed record CustomerOption(string Username, string Label);
}

using Microsoft.AspNetCore.WebUtilities;
using Whop.Inbox.Messaging;
using Whop.Inbox.Support.Priority;

namespace Whop.Inbox.Support.Pages;

/// <summary>
/// Everything the inbox shows, as its address says it (<c>/inbox?status=waiting&amp;customer=ines&amp;chat=…</c>):
/// shareable, and the back button restores it. Unknown values read as the defaults.
/// </summary>
/// <param name="Label">The label filter: label ids, comma-separated (chats with every one).</param>
/// <param name="Priority">The priority filter: none, low, medium, high or urgent.</param>
/// <param name="Q">A search (<c>q=</c>): the list shows what it finds instead (see <see cref="Search.SearchQuery"/>).</param>
/// <param name="Msg">The message the open chat scrolls to and marks: the one a search found it by.</param>
public sealed record InboxAddress(string? Status = null, string? Customer = null, string? View = null, string? Sort = null, string? ChatId = null,
    string? Show = null, string? Label = null, string? Priority = null, string? Q = null, string? Msg = null)
{
    public static readonly IReadOnlyList<(string Key, string Label, SupportStatus? Status)> Tabs =
    [
        ("open", "Open", SupportStatus.Open),
        ("waiting", "Waiting", SupportStatus.Waiting),
        ("snoozed", "Snoozed", SupportStatus.Snoozed),
        ("resolved", "Resolved", SupportStatus.Resolved),
        ("all", "All", null),
    ];

    /// <summary>The views beside the status tabs: who has the chats (all, mine, nobody), or the chats that mention me.</summary>
    public static readonly IReadOnlyList<(string Key, string Label)> Shows =
    [
        ("all", "All"),
        ("mine", "Mine"),
        ("unassigned", "Unassigned"),
        ("mentions", "Mentions"),
    ];

    public string StatusKey => Tabs.Any(t => t.Key == Status) ? Status! : "open";
    public string ViewKey => View is "mine" or "all" ? View : "team";
    public string ShowKey => Show is "mine" or "unassigned" or "mentions" ? Show : "all";

    /// <summary>The Mentions view lists the chats that mention the viewer, whatever the other filters say.</summary>
    public bool IsMentions => ShowKey == "mentions";

    /// <summary><c>priority</c>: the most urgent first, then the latest activity.</summary>
    public string SortKey => Sort is "activity-asc" or "created-desc" or "created-asc" or "priority" ? Sort : "activity-desc";

    /// <summary>The labels filtered by, in the order given.</summary>
    public IReadOnlyList<string> LabelIds => Label is null ? [] : [.. Label.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct()];

    public ChatPriority? PriorityFilter => Priority is null ? null : ChatPriorities.Parse(Priority).Failure is null ? ChatPriorities.Parse(Priority).Value : null;

    /// <summary>What decides the list (the open chat does not): a new key means a new list.</summary>
    public string ListKey => $"{StatusKey}|{Customer}|{ViewKey}|{SortKey}|{ShowKey}|{string.Join(',', LabelIds)}|{PriorityFilter}";

    /// <summary>The list's query in the services' terms.</summary>
    public SupportChatQuery Query(string companyId) => new(
        CompanyId: companyId,
        Status: Tabs.First(t => t.Key == StatusKey).Status,
        View: ViewKey switch { "mine" => SupportView.Customer, "all" => SupportView.All, _ => SupportView.Admin },
        Order: SortKey.StartsWith("created", StringComparison.Ordinal) ? SupportOrder.CreatedAt : SupportOrder.LastPostSentAt,
        Descending: SortKey.EndsWith("desc", StringComparison.Ordinal),
        Customer: Customer,
        Assignee: ShowKey switch { "mine" => new AssigneeFilter.Me(), "unassigned" => new AssigneeFilter.Nobody(), _ => null },
        Labels: LabelIds.Count > 0 ? LabelIds : null,
        Priority: PriorityFilter,
        ByPriority: SortKey == "priority");

    public string EmptyTitle => ShowKey switch
    {
        "mentions" => "Nobody has mentioned you in a support chat yet.",
        "mine" => $"No {(StatusKey == "all" ? "" : StatusKey + " ")}chats{(Customer is null ? "" : $" with @{Customer}")} are assigned to you.",
        "unassigned" => $"Every {(StatusKey == "all" ? "" : StatusKey + " ")}chat{(Customer is null ? "" : $" with @{Customer}")} has someone on it.",
        _ => AllEmptyTitle,
    };

    private string AllEmptyTitle => Customer is not null
        ? $"No {(StatusKey == "all" ? "" : StatusKey + " ")}chats with @{Customer}"
        : StatusKey switch
        {
            "open" => "Nothing awaits the team. Well done!",
            "waiting" => "No chats are waiting on a customer.",
            "resolved" => "No resolved chats yet.",
            "snoozed" => "No snoozed chats. Snooze a chat to set it aside until later.",
            _ => "No support chats yet. When customers write in, they show up here.",
        };

    /// <summary>This address with some parts changed: null keeps a part, an empty string removes it.</summary>
    /// <remarks>Another chat forgets the message: it was the old chat's.</remarks>
    public InboxAddress With(string? status = null, string? customer = null, string? view = null, string? sort = null, string? chat = null,
        string? show = null, string? label = null, string? priority = null, string? q = null, string? msg = null) =>
        new(Pick(status, Status), Pick(customer, Customer), Pick(view, View), Pick(sort, Sort), Pick(chat, ChatId), Pick(show, Show),
            Pick(label, Label), Pick(priority, Priority), Pick(q, Q), Pick(msg, chat is null ? Msg : null));

    /// <summary>The relative URL, parts in a fixed order and defaults left out only when absent.</summary>
    public string Url
    {
        get
        {
            var parts = new List<KeyValuePair<string, string?>>();
            void Add(string name, string? value)
            {
                if (value is not null) parts.Add(new(name, value));
            }
            Add("status", Status);
            Add("customer", Customer);
            Add("view", View);
            Add("sort", Sort);
            Add("show", Show);
            Add("label", Label);
            Add("priority", Priority);
            Add("q", Q);
            Add("chat", ChatId);
            Add("msg", Msg);
            return QueryHelpers.AddQueryString("inbox", parts);
        }
    }

    private static string? Pick(string? changed, string? current) => changed is null ? current : changed.Length == 0 ? null : changed;
}

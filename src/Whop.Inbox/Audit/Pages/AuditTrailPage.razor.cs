using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using MudBlazor.Extensions;
using Whop.Inbox.Common;
using Whop.Inbox.Identity;

namespace Whop.Inbox.Audit.Pages;

/// <summary>
/// The company's audit trail, a page at a time. The filters live in the address (<c>?chat=&amp;actor=&amp;action=</c>),
/// so a filtered trail can be linked to; a filter the query service refuses is shown and left in the form
/// to correct, and the list stays as it was.
/// </summary>
public partial class AuditTrailPage
{
    private const int PageSize = 25;

    [Inject] private AuditTrailQuery Trail { get; set; } = null!;
    [Inject] private Viewer Viewer { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "chat")] public string? Chat { get; set; }
    [SupplyParameterFromQuery(Name = "actor")] public string? Actor { get; set; }
    [SupplyParameterFromQuery(Name = "action")] public string? Action { get; set; }

    private static readonly IReadOnlyList<AuditActionNames.Choice> actionChoices =
        [new("", "Any action"), .. AuditActionNames.All];

    private AuditFilter? applied;
    private IReadOnlyList<AuditRow>? rows;
    private string? nextCursor;
    private string? error;
    private bool loadingMore;

    private string? chatDraft;
    private string? actorDraft;
    private string? actorFromAddress;
    private MudAutocomplete<UserSummary>? actorBox;
    private string actionDraft = "";

    private bool IsFiltered => applied is { } f && (f.Chat ?? f.Actor ?? f.Action) is not null;

    protected override async Task OnParametersSetAsync()
    {
        var fromAddress = new AuditFilter(Chat, Actor, Action);
        if (fromAddress == applied) return;
        (chatDraft, actorDraft, actionDraft, actorFromAddress) = (Chat, Actor, Action ?? "", Actor);
        if (!await ShowFirstPageAsync(fromAddress)) rows = [];
    }

    /// <summary>Applies the form: shows the first page for it and puts it in the address, or says what is wrong.</summary>
    private async Task ApplyAsync()
    {
        if (actorBox is not null) actorDraft = actorBox.GetState(x => x.Text);
        var draft = new AuditFilter(Trimmed(chatDraft), Trimmed(actorDraft), Trimmed(actionDraft));
        if (!await ShowFirstPageAsync(draft)) return;
        Navigation.NavigateTo(FilterUrl(draft));
    }

    private async Task ClearAsync()
    {
        (chatDraft, actorDraft, actionDraft) = (null, null, "");
        if (actorBox is not null) await actorBox.ClearAsync();
        await ApplyAsync();
    }

    private async Task OnActorPickedAsync(UserSummary? person)
    {
        if (person is null) return;
        actorDraft = person.Username;
        var draft = new AuditFilter(Trimmed(chatDraft), person.Username, Trimmed(actionDraft));
        if (await ShowFirstPageAsync(draft)) Navigation.NavigateTo(FilterUrl(draft));
    }

    private async Task OnActionPickedAsync(string? action)
    {
        actionDraft = action ?? "";
        await ApplyAsync();
    }

    /// <summary>Enter in the chat box applies the filters (the box is not in a form: see the markup).</summary>
    private async Task OnChatKeyAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter") await ApplyAsync();
    }

    private async Task ApplyIfChangedAsync(FocusEventArgs _)
    {
        if (Trimmed(chatDraft) != applied?.Chat) await ApplyAsync();
    }

    private async Task<IEnumerable<UserSummary>> SearchPeopleAsync(string? typed, CancellationToken ct)
    {
        var viewer = await Viewer.GetAsync(ct);
        return (await Trail.SearchPeopleAsync(viewer.Actor, viewer.CompanyId, typed, ct)).Value ?? [];
    }

    private async Task<bool> ShowFirstPageAsync(AuditFilter filter)
    {
        var viewer = await Viewer.GetAsync();
        var outcome = await Trail.ListAsync(viewer.Actor, viewer.CompanyId, filter, new PageRequest(First: PageSize));
        error = outcome.Failure?.Message;
        if (outcome.Value is not { } page) return false;
        applied = filter;
        rows = [.. page.Items];
        nextCursor = page.PageInfo.EndCursor;
        return true;
    }

    private async Task LoadMoreAsync()
    {
        if (applied is null || nextCursor is null || loadingMore) return;
        loadingMore = true;
        try
        {
            var viewer = await Viewer.GetAsync();
            var outcome = await Trail.ListAsync(viewer.Actor, viewer.CompanyId, applied, new PageRequest(First: PageSize, After: nextCursor));
            error = outcome.Failure?.Message;
            if (outcome.Value is not { } page) return;
            rows = [.. rows ?? [], .. page.Items];
            nextCursor = page.PageInfo.EndCursor;
        }
        finally
        {
            loadingMore = false;
        }
    }

    private string FilterUrl(AuditFilter filter) =>
        Navigation.GetUriWithQueryParameters(Navigation.ToAbsoluteUri("settings/audit").ToString(), new Dictionary<string, object?>
        {
            ["chat"] = filter.Chat,
            ["actor"] = filter.Actor,
            ["action"] = filter.Action,
        });

    /// <summary>The trail as shown, narrowed to one chat.</summary>
    private string OnlyChatUrl(string chatId) => FilterUrl((applied ?? new AuditFilter()) with { Chat = chatId });

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

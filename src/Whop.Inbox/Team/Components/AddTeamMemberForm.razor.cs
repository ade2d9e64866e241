using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Extensions;
using Whop.Inbox.Identity;

namespace Whop.Inbox.Team.Components;

/// <summary>
/// "Add to team": a type-ahead over people not on the team yet, and the role to give them. What was
/// typed and chosen stays when the team service says no, so the admin can correct it.
/// </summary>
public partial class AddTeamMemberForm
{
    [Inject] private TeamService Team { get; set; } = null!;
    [Inject] private Viewer Viewer { get; set; } = null!;

    /// <summary>Called with the member the service added (or found already on the team).</summary>
    [Parameter, EditorRequired] public EventCallback<TeamMemberView> Added { get; set; }

    private MudAutocomplete<UserSummary>? personInput;
    private string? text;
    private UserSummary? picked;
    private TeamRole role = TeamRole.Moderator;
    private string? error;
    private bool busy;

    private async Task<IEnumerable<UserSummary>> SearchAsync(string? typed, CancellationToken ct)
    {
        var viewer = await Viewer.GetAsync(ct);
        var outcome = await Team.SearchCandidatesAsync(viewer.Actor, viewer.CompanyId, typed, ct);
        return outcome.Value ?? [];
    }

    private static string PersonText(UserSummary? person) => person?.Name ?? "";

    private void OnPicked(UserSummary? item)
    {
        picked = item;
        if (picked is not null) text = picked.Name;
        error = null;
    }

    private async Task AddAsync()
    {
        if (busy) return;
        // A picked person is added by id; otherwise what was typed is taken as a username or email.
        text = personInput?.GetState(x => x.Text);
        if (picked is not null && picked.Name != text) picked = null;
        var reference = picked?.Id ?? text?.Trim();
        if (string.IsNullOrEmpty(reference))
        {
            error = "Type a name or username, then pick the person to add.";
            return;
        }

        busy = true;
        try
        {
            var viewer = await Viewer.GetAsync();
            var outcome = await Team.AddAsync(viewer.Actor, viewer.CompanyId, reference, role);
            error = outcome.Failure?.Message;
            if (outcome.Value is not { } member) return;
            text = null;
            picked = null;
            if (personInput is not null) await personInput.ClearAsync();
            await Added.InvokeAsync(member);
        }
        finally
        {
            busy = false;
        }
        if (error is null && personInput is not null) await personInput.FocusAsync();
    }
}

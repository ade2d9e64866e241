using Microsoft.AspNetCore.Components;
using Radzen;
using Radzen.Blazor;
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

    private RadzenAutoComplete? personInput;
    private IReadOnlyList<UserSummary> candidates = [];
    private string? text;
    private UserSummary? picked;
    private TeamRole role = TeamRole.Moderator;
    private string? error;
    private bool busy;

    private async Task SearchAsync(LoadDataArgs args)
    {
        var viewer = await Viewer.GetAsync();
        var outcome = await Team.SearchCandidatesAsync(viewer.Actor, viewer.CompanyId, args.Filter);
        candidates = outcome.Value ?? [];
    }

    private void OnTextChanged(string? value)
    {
        text = value;
        // Typing over a picked person means looking for someone else (or giving a username as is).
        if (picked is not null && picked.Name != value) picked = null;
    }

    private void OnPicked(object? item)
    {
        picked = item as UserSummary;
        if (picked is not null) text = picked.Name;
        error = null;
    }

    private async Task AddAsync()
    {
        if (busy) return;
        // A picked person is added by id; otherwise what was typed is taken as a username or email.
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
            candidates = [];
            await Added.InvokeAsync(member);
        }
        finally
        {
            busy = false;
        }
        if (error is null && personInput is not null) await personInput.FocusAsync();
    }
}

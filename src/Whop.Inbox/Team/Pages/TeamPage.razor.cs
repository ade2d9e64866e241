using Whop.Inbox.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Whop.Inbox.Common;
using Whop.Inbox.Identity;
using Whop.Inbox.Support.Assignment;

namespace Whop.Inbox.Team.Pages;

/// <summary>
/// The company's team: who is on it, with which role. Every change goes through <see cref="TeamService"/>,
/// the same service the API uses, and its refusals (the last admin stays) are shown as they come.
/// </summary>
public partial class TeamPage
{
    [Inject] private TeamService Team { get; set; } = null!;
    [Inject] private Viewer Viewer { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private AssignmentSettings AssignmentSettings { get; set; } = null!;

    private IReadOnlyList<TeamMemberView>? members;
    private string? viewerId;
    private string? error;
    private string? notice;
    private bool busy;
    private int loads;
    /// <summary>Automatic assignment on or off; null until read (or when it cannot be).</summary>
    private bool? autoAssign;

    protected override async Task OnInitializedAsync()
    {
        var viewer = await Viewer.GetAsync();
        viewerId = viewer.UserId;
        autoAssign = (await AssignmentSettings.GetAsync(viewer.Actor, viewer.CompanyId)).Value?.AutoAssign;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var viewer = await Viewer.GetAsync();
        var outcome = await Team.ListAsync(viewer.Actor, viewer.CompanyId);
        members = outcome.Value ?? [];
        loads++;
        if (outcome.Failure is { } failure) error = failure.Message;
    }

    private async Task OnAddedAsync(TeamMemberView added)
    {
        var before = members?.FirstOrDefault(m => m.Id == added.Id);
        var role = TeamRoles.Label(added.Role).ToLowerInvariant();
        error = null;
        notice = before is null ? $"{added.User.Name} joined the team as {role}."
            : before.Role == added.Role ? $"{added.User.Name} is already on the team as {role}."
            : $"{added.User.Name} is now {role}.";
        await LoadAsync();
    }

    private async Task SetAutoAssignAsync(bool on)
    {
        busy = true;
        var viewer = await Viewer.GetAsync();
        var outcome = await AssignmentSettings.SetAsync(viewer.Actor, viewer.CompanyId, on);
        busy = false;
        error = outcome.Failure?.Message;
        notice = outcome.Value is { } set ? (set.AutoAssign ? "New chats now go to who is online, in turn." : "New chats are no longer assigned automatically.") : null;
        // After a refusal the switch shows the setting as it is.
        autoAssign = outcome.Value?.AutoAssign ?? autoAssign;
    }

    private async Task ChangeRoleAsync(TeamMemberView member, TeamRole role)
    {
        var self = member.User.Id == viewerId;
        if (self && role != TeamRole.Admin && !await ConfirmAsync(
                "You will lose access to the team, API keys and the audit trail at once.", "Stop being an admin?", "Change my role"))
        {
            await LoadAsync();
            return;
        }
        busy = true;
        var viewer = await Viewer.GetAsync();
        var outcome = await Team.ChangeRoleAsync(viewer.Actor, member.Id, role);
        await ShowOutcomeAsync(outcome.Failure, $"{member.User.Name} is now {TeamRoles.Label(role).ToLowerInvariant()}.", leftTheTeamSettings: self);
    }

    private async Task RemoveAsync(TeamMemberView member)
    {
        var self = member.User.Id == viewerId;
        var question = self
            ? "Remove yourself from the team? You will lose access to the inbox and settings at once."
            : $"Remove {member.User.Name} from the team? They keep their account but lose access to the inbox.";
        if (!await ConfirmAsync(question, "Remove from team", "Remove")) return;
        busy = true;
        var viewer = await Viewer.GetAsync();
        var outcome = await Team.RemoveAsync(viewer.Actor, member.Id);
        await ShowOutcomeAsync(outcome.Failure, $"{member.User.Name} is no longer on the team.", leftTheTeamSettings: self);
    }

    /// <summary>After a change: what happened (or why not), and the team as it now is.</summary>
    private async Task ShowOutcomeAsync(Failure? failure, string done, bool leftTheTeamSettings)
    {
        busy = false;
        if (failure is null && leftTheTeamSettings)
        {
            // This page is no longer theirs: start afresh, so navigation and rights are worked out again.
            Navigation.NavigateTo("/", forceLoad: true);
            return;
        }
        error = failure?.Message;
        notice = failure is null ? done : null;
        // Also after a refusal: the role picker goes back to the role the member really has.
        await LoadAsync();
    }

    private async Task<bool> ConfirmAsync(string question, string title, string ok) =>
        await Dialogs.ConfirmAsync(title, question, ok);
}

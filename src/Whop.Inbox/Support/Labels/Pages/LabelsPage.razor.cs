using Microsoft.AspNetCore.Components;
using MudBlazor;
using Whop.Inbox.Common;
using Whop.Inbox.Components.Shared;
using Whop.Inbox.Identity;

namespace Whop.Inbox.Support.Labels.Pages;

/// <summary>
/// The company's labels, for its admins: add one, rename or recolour it in place, delete it (after saying how
/// many chats it leaves). Every change goes through <see cref="Labels"/>, which checks the rights again; the
/// list follows changes made anywhere (another admin, the API, a chat's label menu) through <see cref="LabelChanges"/>.
/// </summary>
public sealed partial class LabelsPage
{
    [Inject] private Labels LabelService { get; set; } = null!;
    [Inject] private LabelChanges Changes { get; set; } = null!;
    [Inject] private Viewer Viewer { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;

    private ViewerInfo? viewer;
    private IReadOnlyList<LabelView>? labels;
    private IDisposable? subscription;

    private string newName = "";
    private string newColor = LabelPicker.Palette[0];
    // A refusal of the add form: under the field it names, or above the list when it names none.
    private Failure? createFailure;

    // The labels being edited, by id: each keeps what was typed until saved or cancelled, whatever else changes.
    private readonly Dictionary<string, Draft> drafts = [];
    private string? notice;
    private string? listError;
    private bool busy;

    protected override async Task OnInitializedAsync()
    {
        viewer = await Viewer.GetAsync();
        subscription = Changes.Subscribe(companyId =>
        {
            if (companyId == viewer.CompanyId) _ = InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); });
        });
        await LoadAsync();
        newColor = NextColor();
    }

    private async Task LoadAsync()
    {
        var listed = await LabelService.ListAsync(viewer!.Actor, viewer.CompanyId);
        listError = listed.Failure?.Message;
        labels = [.. (listed.Value ?? []).Select(l => l.View)];
        // A label deleted meanwhile (by someone else) has nothing left to edit.
        foreach (var gone in drafts.Keys.Where(id => labels.All(l => l.Id != id)).ToList()) drafts.Remove(gone);
    }

    /// <summary>The palette's colours in turn, so labels added one after another do not all look alike.</summary>
    private string NextColor() => LabelPicker.Palette[(labels?.Count ?? 0) % LabelPicker.Palette.Length];

    private static string? ErrorOf(Failure? failure, string field) => failure?.Field == field ? failure.Message : null;

    private static string? OtherError(Failure? failure) => failure is { Field: not ("name" or "color") } other ? other.Message : null;

    private async Task CreateAsync()
    {
        if (busy) return;
        busy = true;
        try
        {
            var created = await LabelService.CreateAsync(viewer!.Actor, viewer.CompanyId, newName, newColor);
            // A refusal shows beside the field it names; the form keeps what was typed.
            createFailure = created.Failure;
            if (created.Value is { } label)
            {
                notice = $"Added the label {label.Name}.";
                await LoadAsync();
                (newName, newColor) = ("", NextColor());
            }
        }
        finally
        {
            busy = false;
        }
    }

    private void Edit(LabelView label) => drafts[label.Id] = new Draft { Name = label.Name, Color = label.Color };

    private async Task SaveAsync(LabelView label, Draft draft)
    {
        if (busy) return;
        busy = true;
        try
        {
            Optional<string?> name = draft.Name.Trim() == label.Name ? default : new(draft.Name);
            Optional<string?> color = string.Equals(draft.Color, label.Color, StringComparison.OrdinalIgnoreCase) ? default : new(draft.Color);
            if (!name.IsPresent && !color.IsPresent)
            {
                drafts.Remove(label.Id);
                return;
            }
            var updated = await LabelService.UpdateAsync(viewer!.Actor, label.Id, name, color);
            draft.Failure = updated.Failure;
            if (updated.Value is { } saved)
            {
                drafts.Remove(label.Id);
                notice = saved.Name == label.Name ? $"Recoloured {saved.Name}." : $"Renamed {label.Name} to {saved.Name}.";
                await LoadAsync();
            }
        }
        finally
        {
            busy = false;
        }
    }

    private async Task DeleteAsync(LabelView label)
    {
        var carried = await LabelService.CountChatsAsync(viewer!.Actor, label.Id);
        var leaves = !carried.Succeeded ? "It leaves every chat that carries it." : carried.Value switch
        {
            0 => "No chat carries it.",
            1 => "It leaves the one chat that carries it.",
            var many => $"It leaves the {many} chats that carry it.",
        };
        if (!await Dialogs.ConfirmAsync("Delete the label", $"Delete the label {label.Name}? {leaves} This cannot be undone.", "Delete")) return;
        busy = true;
        try
        {
            var deleted = await LabelService.DeleteAsync(viewer.Actor, label.Id);
            listError = deleted.Failure?.Message;
            if (deleted.Succeeded) notice = $"Deleted the label {label.Name}.";
            drafts.Remove(label.Id);
            await LoadAsync();
        }
        finally
        {
            busy = false;
        }
    }

    public void Dispose() => subscription?.Dispose();

    /// <summary>What an admin has typed for a label, and why the service refused it (if it did).</summary>
    private sealed class Draft
    {
        public string Name { get; set; } = "";
        public string Color { get; set; } = "";
        public Failure? Failure { get; set; }
    }
}

using Microsoft.AspNetCore.Components;
using MudBlazor;
using Whop.Inbox.Common;
using Whop.Inbox.Components.Shared;
using Whop.Inbox.Identity;

namespace Whop.Inbox.Support.SavedReplies.Pages;

/// <summary>
/// The team's saved replies: the company's shared ones (its admins add, change and delete them) and the viewer's
/// own. The list is read again after each change made here; the composer's list reads them each time it opens.
/// Every change goes through <see cref="SavedReplyService"/>, which checks the rights again.
/// </summary>
public partial class SavedRepliesPage
{
    /// <summary>The page's address (the composer's list links to it).</summary>
    public const string Address = "saved-replies";

    [Inject] private SavedReplyService Replies { get; set; } = null!;
    [Inject] private Viewer Viewer { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;

    private ViewerInfo? viewer;
    private SavedReplyAbilities may = SavedReplyAbilities.None;
    private List<SavedReplyView>? replies;
    private string? nextPage;
    private string filter = "";
    private string? listError;

    private SavedReplyView? editing;
    private string name = "";
    private string content = "";
    private bool shared;
    private Failure? formFailure;
    private string? formError;
    private bool busy;

    protected override async Task OnInitializedAsync()
    {
        viewer = await Viewer.GetAsync();
        may = await Replies.AbilitiesAsync(viewer.Actor, viewer.CompanyId);
        await LoadAsync();
    }

    private string? ErrorFor(string field) => formFailure?.Field == field ? formFailure.Message : null;

    private bool MayChange(SavedReplyView reply) => reply.Shared ? may.ManageShared : reply.OwnerId == viewer?.UserId && may.KeepPersonal;

    private async Task LoadAsync()
    {
        var page = await Replies.ListAsync(viewer!.Actor, viewer.CompanyId, filter, new PageRequest(First: PageRequest.MaxSize));
        listError = page.Failure?.Message;
        replies = page.Value?.Items.ToList() ?? [];
        nextPage = page.Value?.PageInfo.EndCursor;
    }

    private async Task LoadMoreAsync()
    {
        var page = await Replies.ListAsync(viewer!.Actor, viewer.CompanyId, filter, new PageRequest(First: PageRequest.MaxSize, After: nextPage));
        listError = page.Failure?.Message;
        replies?.AddRange(page.Value?.Items ?? []);
        nextPage = page.Value?.PageInfo.EndCursor;
    }

    private async Task FilterAsync(string? value)
    {
        filter = value?.Trim() ?? "";
        await LoadAsync();
    }

    private void Edit(SavedReplyView reply)
    {
        (editing, name, content, shared, formFailure, formError) = (reply, reply.Name, reply.Content, reply.Shared, null, null);
    }

    private void StopEditing() => (editing, name, content, shared, formFailure, formError) = (null, "", "", false, null, null);

    private async Task SaveAsync()
    {
        if (busy) return;
        busy = true;
        try
        {
            // Only admins see the switch: anyone else keeps personal replies.
            var outcome = editing is null
                ? await Replies.CreateAsync(viewer!.Actor, viewer.CompanyId, name, content, may.ManageShared && shared)
                : await Replies.UpdateAsync(viewer!.Actor, editing.Id, name, content, may.ManageShared ? shared : null);
            if (outcome.Failure is { } failure)
            {
                // Under the field it names, or above the buttons; what was typed stays.
                (formFailure, formError) = (failure, failure.Field is "name" or "content" ? null : failure.Message);
                return;
            }
            StopEditing();
            await LoadAsync();
        }
        finally
        {
            busy = false;
        }
    }

    private async Task DeleteAsync(SavedReplyView reply)
    {
        var whose = reply.Shared ? "the whole team" : "you";
        if (!await Dialogs.ConfirmAsync("Delete saved reply", $"Delete “{reply.Name}”? It is gone for {whose}.", "Delete")) return;
        var deleted = await Replies.DeleteAsync(viewer!.Actor, reply.Id);
        listError = deleted.Failure?.Message;
        if (editing?.Id == reply.Id) StopEditing();
        await LoadAsync();
    }
}

using Whop.Inbox.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Whop.Inbox.DirectMessages.Components;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Support;
using Whop.Inbox.Team;

namespace Whop.Inbox.DirectMessages.Pages;

/// <summary>
/// Everyone's conversations: DMs, and for customers their support chat as a DM-style conversation
/// (admins work support chats from the inbox instead, as the seeds ask).
/// </summary>
public sealed partial class Messages : IDisposable
{
    /// <summary>The address of a customer's not-yet-started support chat.</summary>
    private const string StartSupport = "support";

    [Inject] private ConversationList Conversations { get; set; } = null!;
    [Inject] private DirectMessageService Dms { get; set; } = null!;
    [Inject] private SupportChats SupportChats { get; set; } = null!;
    [Inject] private ChannelCapabilities Capabilities { get; set; } = null!;
    [Inject] private ChannelAccess Access { get; set; } = null!;
    [Inject] private Viewer Viewer { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private Microsoft.EntityFrameworkCore.IDbContextFactory<Data.InboxDbContext> Contexts { get; set; } = null!;

    [Inject] private Messaging.Realtime.ChatNotifier Notifier { get; set; } = null!;

    [Parameter] public string? ChannelId { get; set; }

    private LiveListCycle? list;
    private bool firstParameters = true;

    private ViewerInfo? viewer;
    private string companyName = "";
    private IReadOnlyList<ConversationRow>? rows;
    private ConversationRow? current;
    private Messaging.Components.Conversation? conversation;
    private DmView? currentDm;
    private string? pageError;
    private bool canRename;
    private bool isMember;
    private bool showMembers;

    private string Heading => viewer?.IsCustomer == true ? "Messages" : "Direct messages";

    protected override async Task OnInitializedAsync()
    {
        viewer = await Viewer.GetAsync();
        // New messages and reads update the list in place; what an event cannot describe (a DM one is
        // added to, a rename) reads the list again, once per burst.
        list = new LiveListCycle(InvokeAsync, LoadListAsync, evt =>
        {
            if (rows is null) return true;
            var (updated, reload) = ConversationListUpdates.Apply(rows, evt, viewer.UserId);
            rows = updated;
            return reload;
        }, StateHasChanged);
        await list.StartAsync(async handler => (await Notifier.SubscribeConversationsAsync(viewer.Actor, handler)).Value);
        await using var db = await Contexts.CreateDbContextAsync();
        companyName = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Companies.Where(c => c.Id == viewer.CompanyId).Select(c => c.Name));
    }

    protected override async Task OnParametersSetAsync()
    {
        // The first time, the cycle has just loaded the list; after that, opening another conversation reads it again.
        if (!firstParameters) await ReloadListAsync();
        firstParameters = false;
        await OpenAsync(ChannelId);
    }

    private Task ReloadListAsync() => list?.ReloadAsync() ?? Task.CompletedTask;

    private async Task LoadListAsync(Func<bool> isNewest)
    {
        var read = await Conversations.ForAsync(viewer!.Actor, viewer.CompanyId);
        if (isNewest()) rows = read;
    }

    private async Task OpenAsync(string? channelId)
    {
        (current, currentDm, pageError, canRename, isMember) = (null, null, null, false, false);
        if (channelId is null or StartSupport) return;

        current = rows?.FirstOrDefault(r => r.ChannelId == channelId);
        var channel = await Access.ReadableAsync(viewer!.Actor, channelId);
        if (channel.Failure is { } failure)
        {
            (current, pageError) = (null, failure.Message);
            return;
        }
        var kind = channel.Value!.Kind;
        if (kind == ChannelKind.Dm)
        {
            currentDm = (await Dms.GetAsync(viewer.Actor, channelId)).Value;
            var abilities = await Capabilities.ForAsync(viewer.Actor, channel.Value);
            (canRename, isMember) = (abilities.Rename, abilities.Leave);
            current ??= new ConversationRow(channelId, kind, currentDm?.Name ?? "Conversation", null, channel.Value.LastActivityAt, 0,
                channel.Value.MemberCount);
            current = current with { Title = currentDm?.Name ?? current.Title };
        }
        else
        {
            current ??= new ConversationRow(channelId, kind, $"{companyName} support", null, channel.Value.LastActivityAt, 0, 0);
        }
    }

    private async Task StartDmAsync()
    {
        var dialog = await Dialogs.ShowAsync<NewDmDialog>("New message", new DialogParameters<NewDmDialog> { { d => d.Viewer, viewer } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: string id }) Navigation.NavigateTo($"messages/{id}");
    }

    private async Task RenameAsync()
    {
        if (currentDm is null) return;
        var dialog = await Dialogs.ShowAsync<RenameDmDialog>("Rename conversation",
            new DialogParameters<RenameDmDialog> { { d => d.Viewer, viewer }, { d => d.Dm, currentDm } },
            new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: DmView dm })
        {
            currentDm = DmView.Newer(currentDm, dm);
            current = current! with { Title = currentDm.Name };
            await ReloadListAsync();
            if (conversation is not null) await conversation.RefreshAsync();
        }
    }

    private async Task LeaveAsync()
    {
        if (currentDm is null || viewer?.UserId is null) return;
        if (!await Dialogs.ConfirmAsync("Leave conversation",
                "Leave this conversation? You will no longer see it unless someone adds you again.", "Leave")) return;
        var members = await Dms.ListMembersAsync(viewer.Actor, currentDm.Id, new Common.PageRequest(First: 100));
        var mine = members.Value?.Items.FirstOrDefault(m => m.UserId == viewer.UserId);
        if (mine is null) return;
        var left = await Dms.RemoveMemberAsync(viewer.Actor, mine.Id);
        if (left.Failure is { } failure)
        {
            pageError = failure.Message;
            return;
        }
        Navigation.NavigateTo("messages");
    }

    private async Task OnMembersChangedAsync()
    {
        await ReadDmAgainAsync();
        await ReloadListAsync();
        // Membership changes leave a system message in the history.
        if (conversation is not null) await conversation.RefreshAsync();
    }

    /// <summary>
    /// Members or the name changed, here or anywhere else (another admin, the API): the header's count
    /// and title follow. The list follows from its own events.
    /// </summary>
    private async Task OnDmChangedAsync(Messaging.Realtime.ChatEvent evt)
    {
        if (currentDm is null || evt.ChannelId != currentDm.Id) return;
        await ReadDmAgainAsync();
    }

    /// <summary>The open DM as it now stands (its name may come from its members); never an older read over a newer one.</summary>
    private async Task ReadDmAgainAsync()
    {
        if (currentDm is not { } shown || (await Dms.GetAsync(viewer!.Actor, shown.Id)).Value is not { } read) return;
        // Another DM may have been opened while this one was read.
        if (currentDm?.Id != read.Id) return;
        currentDm = DmView.Newer(currentDm, read);
        if (current is not null && current.ChannelId == currentDm.Id) current = current with { Title = currentDm.Name };
    }

    public void Dispose() => list?.Dispose();

    private Task OnSupportChatStartedAsync(string channelId)
    {
        Navigation.NavigateTo($"messages/{channelId}");
        return Task.CompletedTask;
    }
}

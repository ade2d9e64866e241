using Microsoft.AspNetCore.Components;
using Whop.Inbox.Components.Shared;
using Whop.Inbox.DirectMessages;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Embedding.Components;

public sealed partial class EmbedDmsList : IDisposable
{
    [Inject] private ConversationList Conversations { get; set; } = null!;
    [Inject] private ChatNotifier Notifier { get; set; } = null!;

    [Parameter, EditorRequired] public EmbedContext Embed { get; set; } = null!;
    [CascadingParameter] public EmbedFrame Frame { get; set; } = null!;

    private IReadOnlyList<ConversationRow>? rows;
    private Actor? followingAs;
    private LiveListCycle? cycle;
    private string? picked;
    private string? hostSelection;

    /// <summary>The host's <c>selectedChannel</c> when it sets one, else the row picked here last.</summary>
    private string? Selected => picked ?? hostSelection;

    protected override async Task OnParametersSetAsync()
    {
        if (Embed.Options.SelectedChannel != hostSelection)
        {
            hostSelection = Embed.Options.SelectedChannel;
            picked = null;
        }
        if (Equals(followingAs, Embed.Viewer.Actor)) return;

        // First time, another credential, or a lapsed one: follow again as whoever the frame says.
        // (A renewal for the same person and scopes keeps the same actor, so it does not come here.)
        followingAs = Embed.Viewer.Actor;
        cycle?.Dispose();
        cycle = null;
        if (!followingAs.IsAuthenticated) return;
        // New messages and reads update the list in place; what an event cannot describe reads the
        // list again, once per burst (the same cycle as the app's own Messages page).
        var following = followingAs;
        cycle = new LiveListCycle(InvokeAsync, LoadAsync, evt =>
        {
            if (!ReferenceEquals(following, followingAs)) return false;
            if (rows is null) return true;
            var (updated, reload) = ConversationListUpdates.Apply(rows, evt, following.UserId);
            rows = updated;
            return reload;
        }, StateHasChanged);
        await cycle.StartAsync(async handler => (await Notifier.SubscribeConversationsAsync(following, handler)).Value);
    }

    /// <summary>
    /// The seeds' rule: customers see their support chat among their DMs, the team does not (the
    /// list holds support chats only where the person is the customer). Those rows are the person's
    /// own; a token shows the kinds its scopes let it read.
    /// </summary>
    private async Task LoadAsync(Func<bool> isNewest)
    {
        var actor = Embed.Viewer.Actor;
        if (!actor.IsAuthenticated) return;
        var all = await Conversations.ForAsync(actor, Embed.Viewer.CompanyId);
        if (!isNewest()) return;
        rows = all.Where(r => InboxRights.ScopeAllows(actor, r.Kind == ChannelKind.Dm ? InboxAction.ReadDm : InboxAction.ReadSupportChat))
            .ToList();
    }

    private async Task PickAsync(ConversationRow row)
    {
        picked = row.ChannelId;
        await Frame.EmitAsync("channelSelected", new { id = row.ChannelId });
    }

    public void Dispose() => cycle?.Dispose();
}

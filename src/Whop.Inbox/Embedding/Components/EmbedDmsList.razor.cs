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
    private ChatSubscription? events;
    private Coalescer? reloader;
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

        // First time, a renewed token, or a lapsed one: follow again as whoever the frame says.
        followingAs = Embed.Viewer.Actor;
        events?.Dispose();
        events = null;
        if (!followingAs.IsAuthenticated) return;
        reloader ??= new(TimeSpan.FromMilliseconds(250), () => InvokeAsync(async () => { await ReloadAsync(); StateHasChanged(); }));
        var subscribed = await Notifier.SubscribeConversationsAsync(followingAs, evt =>
        {
            if (evt.Type is not (ChatEventTypes.TypingStarted or ChatEventTypes.TypingStopped)) reloader.Poke();
            return Task.CompletedTask;
        });
        events = subscribed.Value;
        await ReloadAsync();
    }

    /// <summary>
    /// The seeds' rule: customers see their support chat among their DMs, the team does not (the
    /// list holds support chats only where the person is the customer). A token sees what its
    /// scopes let it read, as the rights table says.
    /// </summary>
    private async Task ReloadAsync()
    {
        var actor = Embed.Viewer.Actor;
        if (!actor.IsAuthenticated) return;
        var all = await Conversations.ForAsync(actor, Embed.Viewer.CompanyId);
        rows = all.Where(r => r.Kind == ChannelKind.Dm
                ? InboxRights.Allows(actor, InboxAction.ReadDm, Standing.DmMember)
                : InboxRights.Allows(actor, InboxAction.ReadSupportChat, Standing.Customer))
            .ToList();
    }

    private async Task PickAsync(ConversationRow row)
    {
        picked = row.ChannelId;
        await Frame.EmitAsync("channelSelected", new { id = row.ChannelId });
    }

    public void Dispose()
    {
        events?.Dispose();
        reloader?.Dispose();
    }
}

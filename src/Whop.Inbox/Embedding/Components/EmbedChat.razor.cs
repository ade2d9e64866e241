using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.DirectMessages;
using Whop.Inbox.Messaging;

namespace Whop.Inbox.Embedding.Components;

public sealed partial class EmbedChat
{
    [Inject] private ChannelAccess Access { get; set; } = null!;
    [Inject] private DirectMessageService Dms { get; set; } = null!;
    [Inject] private IDbContextFactory<InboxDbContext> Contexts { get; set; } = null!;

    [Parameter, EditorRequired] public EmbedContext Embed { get; set; } = null!;
    [CascadingParameter] public EmbedFrame Frame { get; set; } = null!;

    private string? loadedChannelId;
    private string? title;
    private string? subtitle;
    private string? loadError;

    protected override async Task OnParametersSetAsync()
    {
        var channelId = Embed.Options.ChannelId;
        if (channelId == loadedChannelId || channelId is not { Length: > 0 } || Embed.Suspended) return;
        loadedChannelId = channelId;
        (title, subtitle, loadError) = (null, null, null);
        // The host may switch again while this one loads: after each wait, a newer pick wins.
        bool Superseded() => loadedChannelId != channelId;

        var actor = Embed.Viewer.Actor;
        var channel = await Access.ReadableAsync(actor, channelId);
        if (Superseded()) return;
        if (channel.Failure is { } failure)
        {
            loadError = failure.Message;
            return;
        }
        var c = channel.Value!;
        if (c.Kind == ChannelKind.Dm)
        {
            var dm = (await Dms.GetAsync(actor, channelId)).Value;
            if (Superseded()) return;
            (title, subtitle) = (dm?.Name ?? "Conversation", dm is null ? null : $"{dm.MemberCount} members");
            return;
        }
        await using var db = await Contexts.CreateDbContextAsync();
        // The customer talks to the company; the team sees whom they are helping.
        var supportTitle = c.CustomerId == Embed.Viewer.UserId
            ? $"{await db.Companies.Where(co => co.Id == c.CompanyId).Select(co => co.Name).SingleAsync()} support"
            : await db.Users.Where(u => u.Id == c.CustomerId).Select(u => u.Name).SingleOrDefaultAsync() ?? "Support chat";
        if (!Superseded()) title = supportTitle;
    }

    /// <summary>Whether what was loaded is the conversation the host asks for now.</summary>
    private bool IsLoaded(string channelId) => loadedChannelId == channelId;

    private Task MessageSentAsync(MessageView message) =>
        Frame.EmitAsync("messageSent", new { id = message.Id, content = message.Content, channelId = message.ChannelId });

    private Task MessageDeletedAsync(string messageId) => Frame.EmitAsync("messageDeleted", new { id = messageId });

    private Task ProfileClickAsync(string userId) => Frame.EmitAsync("profileClick", new { id = userId });

    private Func<string, IReadOnlyList<Files.FileView>, Task> AttachmentClick => (messageId, files) =>
        Frame.EmitAsync("attachmentClick", new { messageId, attachments = files.Select(Files.FilesApi.FileResponse.From).ToList() });
}

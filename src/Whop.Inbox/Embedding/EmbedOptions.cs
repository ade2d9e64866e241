using Whop.Inbox.Identity;

namespace Whop.Inbox.Embedding;

/// <summary>What the host asked for: the seeds' element options.</summary>
public sealed record EmbedOptions(
    string? ChannelId = null,
    string? CompanyId = null,
    string? SelectedChannel = null,
    string? Style = null,
    EmbedEmptyState? EmptyState = null,
    bool HandleLinks = false,
    bool PreviewAttachments = true);

/// <summary>What an element shows when it has nothing to show.</summary>
public sealed record EmbedEmptyState(string? Title, string? Description);

/// <summary>What an element inside the frame works with. <c>Suspended</c>: it acts for no one (the token lapsed, or the site is no longer allowed).</summary>
public sealed record EmbedContext(ViewerInfo Viewer, EmbedOptions Options, bool Suspended);

/// <summary>The frame's answer to the host, relayed as the <c>ready</c> or <c>error</c> event.</summary>
public sealed record EmbedReply(bool Ok, string? Error = null)
{
    public static EmbedReply Refused(string error) => new(false, error);
}

using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Support.WhoIsHere;

/// <summary>
/// The inbox's rows' viewers: who else of the team has each chat open, kept current from the board while the
/// inbox is open. <see cref="Of"/> is cheap (a lookup), so each row asks as it is drawn.
/// </summary>
public sealed class InboxViewers : IDisposable
{
    private readonly ChatViewers _board;
    private readonly string _companyId;
    private readonly string? _me;
    private IDisposable? _watch;
    private IReadOnlyDictionary<string, IReadOnlyList<UserSummary>> _byChat = new Dictionary<string, IReadOnlyList<UserSummary>>();

    private InboxViewers(ChatViewers board, string companyId, string? me) => (_board, _companyId, _me) = (board, companyId, me);

    /// <summary>Follows the company's chats for <paramref name="viewer"/>; null when they may not see who is in them.</summary>
    /// <param name="changed">Called (on any thread) when someone came or went: redraw soon.</param>
    public static async Task<InboxViewers?> FollowAsync(ChatViewers board, Actor viewer, string companyId, Action changed)
    {
        var rows = new InboxViewers(board, companyId, viewer.UserId);
        var watched = await board.WatchInboxAsync(viewer, companyId, () => { rows.Read(); changed(); });
        if (watched.Value is not { } watch) return null;
        rows._watch = watch;
        rows.Read();
        return rows;
    }

    /// <summary>Who else is viewing the chat now (never the viewer themselves); null when nobody.</summary>
    public IReadOnlyList<UserSummary>? Of(string chatId) =>
        Volatile.Read(ref _byChat).TryGetValue(chatId, out var all) && all.Where(u => u.Id != _me).ToList() is { Count: > 0 } others
            ? others : null;

    private void Read() => Volatile.Write(ref _byChat, _board.InCompany(_companyId));

    public void Dispose() => _watch?.Dispose();
}

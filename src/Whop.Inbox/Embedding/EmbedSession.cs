using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Embedding;

/// <summary>
/// An embedded element's hold on its host's token: whom it acts for and until when, asking for a
/// fresh token a little before expiry (again and again until one comes), and at expiry acting for
/// no one while keeping what it shows. Time is the <see cref="TimeProvider"/>'s; the timers' work
/// runs through <c>dispatch</c> (the component's <c>InvokeAsync</c>), so state changes on one thread.
/// </summary>
public sealed class EmbedSession(TimeProvider clock, Func<Action, Task> dispatch) : IDisposable
{
    /// <summary>How long before expiry the element asks the host for a fresh token, at most; short tokens are renewed at four fifths of their life.</summary>
    public static readonly TimeSpan RenewalLead = TimeSpan.FromSeconds(60);

    /// <summary>
    /// While no fresh token has come, the element asks again this often; and it never asks sooner than
    /// this after a token was accepted, whatever the token's life (a host handing out tokens of a few
    /// seconds gets a short gap, not a stream of requests).
    /// </summary>
    public static readonly TimeSpan RenewalRetry = TimeSpan.FromSeconds(5);

    private ITimer? _renewTimer;
    private ITimer? _expiryTimer;

    public EmbedCredential? Credential { get; private set; }

    /// <summary>Acting for no one: the token lapsed, or the site is no longer allowed.</summary>
    public bool Suspended { get; private set; }

    /// <summary>Why the session stopped acting when it was not simply its token lapsing.</summary>
    public string? SuspendedBecause { get; private set; }

    /// <summary>Time to ask the host for a fresh token.</summary>
    public event Action? RenewalDue;

    /// <summary>The session stopped acting (its token lapsed).</summary>
    public event Action? Expired;

    /// <summary>A token for someone else than the person shown is refused: the host mounts the element again for another person.</summary>
    public Failure? Refuses(EmbedCredential fresh) =>
        Credential is not null && (fresh.UserId != Credential.UserId || fresh.CompanyId != Credential.CompanyId)
            ? Failure.Invalid("token", "The token is for someone else: mount the element again for another person.")
            : null;

    /// <summary>
    /// Whether a fresh token changes anything. A host that hands back the token it already gave (or
    /// another ending no later, acting the same) does not: the renewal timer keeps asking until a later one comes.
    /// </summary>
    public bool IsNews(EmbedCredential fresh) =>
        Credential is null || Suspended || fresh.ExpiresAt > Credential.ExpiresAt || !fresh.ActsAsSameAs(Credential);

    /// <summary>
    /// Takes a checked token. For the same person, company and scopes the very actor stays, so a
    /// renewal neither re-subscribes a conversation nor reloads a list. Returns the credential held now.
    /// </summary>
    public EmbedCredential Accept(EmbedCredential fresh)
    {
        if (Credential is not null && fresh.ActsAsSameAs(Credential)) fresh = fresh with { Actor = Credential.Actor };
        Credential = fresh;
        (Suspended, SuspendedBecause) = (false, null);
        Schedule(fresh.ExpiresAt);
        return fresh;
    }

    /// <summary>
    /// Stops acting for anyone. A lapsed token (no reason) keeps asking for a fresh one; a refused site
    /// does not: the host starts again once it is allowed.
    /// </summary>
    public void Suspend(string? reason)
    {
        if (Credential is null) return;
        if (reason is not null) StopTimers();
        (Suspended, SuspendedBecause) = (true, reason);
    }

    /// <summary>The actor to act as now: nobody while suspended.</summary>
    public Actor Actor => Suspended || Credential is null ? Actor.Anonymous : Credential.Actor;

    private void Schedule(DateTimeOffset expiresAt)
    {
        StopTimers();
        var left = expiresAt - clock.GetUtcNow();
        if (left < TimeSpan.Zero) left = TimeSpan.Zero;
        var lead = TimeSpan.FromTicks(Math.Min(RenewalLead.Ticks, left.Ticks / 5));
        var ask = left - lead < RenewalRetry ? RenewalRetry : left - lead;
        _renewTimer = clock.CreateTimer(_ => _ = dispatch(() => RenewalDue?.Invoke()), null, ask, RenewalRetry);
        _expiryTimer = clock.CreateTimer(_ => _ = dispatch(ExpireIfDue), null, left, Timeout.InfiniteTimeSpan);
    }

    private void ExpireIfDue()
    {
        if (Credential is null || Suspended) return;
        var left = Credential.ExpiresAt - clock.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            // A timer may fire a hair early; expiry is when the token says.
            _expiryTimer?.Dispose();
            _expiryTimer = clock.CreateTimer(_ => _ = dispatch(ExpireIfDue), null, left, Timeout.InfiniteTimeSpan);
            return;
        }
        Suspend(null);
        Expired?.Invoke();
    }

    /// <summary>The host is gone (the frame closed): no more asking.</summary>
    public void StopAsking() => _renewTimer?.Dispose();

    private void StopTimers()
    {
        _renewTimer?.Dispose();
        _expiryTimer?.Dispose();
    }

    public void Dispose() => StopTimers();
}

namespace Whop.Inbox.Support.Snooze;

/// <summary>What to do with a chat's snooze: sleep until a time, sleep until the customer replies, or wake now.</summary>
public abstract record SnoozeRequest
{
    /// <summary>Asleep until <paramref name="At"/> (between now and <see cref="Snoozes.Longest"/> ahead).</summary>
    public sealed record Until(DateTimeOffset At) : SnoozeRequest;

    /// <summary>Asleep until the customer writes, however long that takes.</summary>
    public sealed record UntilCustomerReplies : SnoozeRequest;

    /// <summary>Awake now (nothing changes for a chat that is not asleep).</summary>
    public sealed record WakeNow : SnoozeRequest;
}

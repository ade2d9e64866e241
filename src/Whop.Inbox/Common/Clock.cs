namespace Whop.Inbox.Common;

public static class Clock
{
    /// <summary>
    /// Now, cut to whole microseconds: PostgreSQL stores no finer, and a timestamp that differs
    /// in memory from the stored one would make cursors and comparisons disagree.
    /// </summary>
    public static DateTimeOffset UtcNowMicros(this TimeProvider clock) => ToMicros(clock.GetUtcNow());

    public static DateTimeOffset ToMicros(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    public static readonly TimeSpan OneMicrosecond = TimeSpan.FromTicks(10);
}

using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Whop.Inbox.Data;

/// <summary>
/// Stores a time as microseconds since 1970 UTC: an integer SQLite sorts and compares, at the
/// precision PostgreSQL keeps. Raw SQL on SQLite passes <see cref="ToMicros"/> of a time, not the time.
/// </summary>
public sealed class UnixMicrosecondsConverter() : ValueConverter<DateTimeOffset, long>(v => ToMicros(v), v => FromMicros(v))
{
    public static long ToMicros(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset FromMicros(long micros) =>
        new(DateTimeOffset.UnixEpoch.Ticks + micros * TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);
}

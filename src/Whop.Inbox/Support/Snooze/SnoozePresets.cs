using System.Globalization;

namespace Whop.Inbox.Support.Snooze;

/// <summary>One of the Snooze menu's choices: its name and the moment it stands for.</summary>
public sealed record SnoozePreset(string Key, string Label, DateTimeOffset At);

/// <summary>
/// The Snooze menu's times, worked out in the agent's time zone (the browser's): in an hour, tomorrow at
/// 9:00, next Monday at 9:00; and how a wake-up time reads to them.
/// </summary>
public static class SnoozePresets
{
    private static readonly TimeSpan Morning = TimeSpan.FromHours(9);

    public static IReadOnlyList<SnoozePreset> For(DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        var daysToMonday = ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7;
        return
        [
            new("hour", "In an hour", now.AddHours(1)),
            new("tomorrow", "Tomorrow", FromLocal(today.AddDays(1) + Morning, zone)),
            new("next-week", "Next week", FromLocal(today.AddDays(daysToMonday == 0 ? 7 : daysToMonday) + Morning, zone)),
        ];
    }

    /// <summary>
    /// A wall-clock time in the zone as a moment. A time the clocks skip (the spring change) is taken an hour
    /// later; an ambiguous one (the autumn change), the first time it happens.
    /// </summary>
    public static DateTimeOffset FromLocal(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>"15:04", "tomorrow 09:00", "Mon 14 Dec, 09:00" or "14 Dec 2027, 09:00", in the agent's zone.</summary>
    public static string Describe(DateTimeOffset at, DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        var time = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        return (local.Date - today).Days switch
        {
            0 => $"today {time}",
            1 => $"tomorrow {time}",
            > 1 and < 7 => local.ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture),
            _ when local.Year == today.Year => local.ToString("d MMM, HH:mm", CultureInfo.InvariantCulture),
            _ => local.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The browser's IANA zone (<c>Intl.DateTimeFormat().resolvedOptions().timeZone</c>), or UTC when it is unknown here.</summary>
    public static TimeZoneInfo Zone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}

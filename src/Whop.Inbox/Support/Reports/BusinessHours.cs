using Whop.Inbox.Common;

namespace Whop.Inbox.Support.Reports;

/// <summary>
/// When the team works, in the company's time zone: the working days and, on each, from <see cref="Start"/> to
/// <see cref="End"/>. Start equal to end means the whole day; an end before the start is a shift that runs past
/// midnight into the next day (it belongs to the day it starts). The default, every day all day in UTC, makes
/// business time plain wall-clock time.
/// </summary>
public sealed record BusinessHours(string TimeZoneId, WorkingDays Days, TimeOnly Start, TimeOnly End)
{
    public static BusinessHours AllDay { get; } = new("UTC", WorkingDays.Every, TimeOnly.MinValue, TimeOnly.MinValue);

    /// <summary>Every day, all day: business time is wall-clock time (and the time zone only decides where days begin).</summary>
    public bool IsAlways => Days == WorkingDays.Every && Start == End;

    public TimeZoneInfo Zone => Zones.Find(TimeZoneId) ?? TimeZoneInfo.Utc;

    /// <summary>
    /// The business time between two instants: the parts of [<paramref name="from"/>, <paramref name="to"/>) that fall in
    /// working hours. Zero when <paramref name="to"/> is not after <paramref name="from"/>. Local times that a clock change
    /// skips or repeats count as the instants they really are, so a shift on the day of a change is an hour shorter or longer.
    /// </summary>
    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from) return TimeSpan.Zero;
        if (IsAlways) return to - from;
        var zone = Zone;
        var total = TimeSpan.Zero;
        // From the day before (a shift past midnight may have started then) to the last day.
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime).AddDays(-1);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, zone).DateTime);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (!Days.HasFlag(WorkingDaysOf(day.DayOfWeek))) continue;
            var shiftEnd = End > Start ? day.ToDateTime(End) : day.AddDays(1).ToDateTime(End);
            var start = Instant(day.ToDateTime(Start), zone);
            var end = Instant(shiftEnd, zone);
            var overlapStart = start > from ? start : from;
            var overlapEnd = end < to ? end : to;
            if (overlapEnd > overlapStart) total += overlapEnd - overlapStart;
        }
        return total;
    }

    /// <summary>The instant a local wall-clock time names; a time the clocks pass twice, its first pass.</summary>
    private static DateTimeOffset Instant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // Skipped by the clocks: read with the offset from before the jump (02:30 on Berlin's spring change is 03:30 summer time).
        if (zone.IsInvalidTime(local)) return new DateTimeOffset(local, zone.GetUtcOffset(local.AddHours(-3)));
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    public static WorkingDays WorkingDaysOf(DayOfWeek day) => (WorkingDays)(1 << (int)day);

    /// <summary>The local calendar day an instant falls on, where the team works.</summary>
    public DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    /// <summary>The instant a local day begins, where the team works.</summary>
    public DateTimeOffset StartOf(DateOnly day) => Instant(day.ToDateTime(TimeOnly.MinValue), Zone);

    /// <summary>Checks an admin's choice; the failure names the field at fault.</summary>
    public static Outcome<BusinessHours> Check(string? timeZoneId, WorkingDays days, TimeOnly start, TimeOnly end)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId) || Zones.Find(timeZoneId) is null)
            return Failure.Invalid("time_zone", "time_zone must be a time zone name such as Europe/Berlin or UTC.");
        if (days == WorkingDays.None || (days & ~WorkingDays.Every) != 0)
            return Failure.Invalid("days", "Pick at least one working day.");
        if (start.Second != 0 || end.Second != 0 || start.Millisecond != 0 || end.Millisecond != 0)
            return Failure.Invalid("start", "Working hours are whole minutes.");
        return new BusinessHours(timeZoneId.Trim(), days, start, end);
    }

    /// <summary>The days and hours in a few words, as the settings and the report say them ("Mon–Fri 09:00–17:00, Europe/Berlin").</summary>
    public string Describe()
    {
        if (IsAlways && TimeZoneId == "UTC") return "Around the clock (wall-clock time)";
        var days = Days == WorkingDays.Every ? "Every day"
            : Days == WorkingDays.Weekdays ? "Mon–Fri"
            : string.Join(", ", Enum.GetValues<DayOfWeek>().Where(d => Days.HasFlag(WorkingDaysOf(d))).Select(d => d.ToString()[..3]));
        var hours = Start == End ? "all day" : $"{Start:HH\\:mm}–{End:HH\\:mm}";
        return $"{days} {hours}, {TimeZoneId}";
    }
}

/// <summary>Working days as flags, Sunday first as <see cref="DayOfWeek"/> counts them.</summary>
[Flags]
public enum WorkingDays
{
    None = 0,
    Sunday = 1 << 0,
    Monday = 1 << 1,
    Tuesday = 1 << 2,
    Wednesday = 1 << 3,
    Thursday = 1 << 4,
    Friday = 1 << 5,
    Saturday = 1 << 6,
    Weekdays = Monday | Tuesday | Wednesday | Thursday | Friday,
    Every = Weekdays | Saturday | Sunday,
}

/// <summary>Time zones by their IANA names (what the server's zone database knows).</summary>
public static class Zones
{
    public static TimeZoneInfo? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        try { return TimeZoneInfo.FindSystemTimeZoneById(id.Trim()); }
        catch (TimeZoneNotFoundException) { return null; }
        catch (InvalidTimeZoneException) { return null; }
    }
}

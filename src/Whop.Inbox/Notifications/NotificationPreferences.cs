using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Team;

namespace Whop.Inbox.Notifications;

/// <summary>Quiet hours as a client sends them: <c>HH:mm</c> times and an IANA time zone.</summary>
public sealed record QuietHoursInput(string? Start, string? End, string? TimeZone);

/// <summary>
/// A change to a person's preferences: each part null (or, for quiet hours, absent) leaves it as it is;
/// quiet hours present and null turn them off.
/// </summary>
public sealed record PreferencesChange(
    IReadOnlyList<string?>? Events = null, bool? Desktop = null, bool? Sound = null, Optional<QuietHoursInput?> QuietHours = default);

/// <summary>A change whose every value is one of the listed ones.</summary>
internal sealed record CheckedChange(IReadOnlyList<NotificationEvent>? Events, bool? Desktop, bool? Sound, Optional<QuietHours?> QuietHours);

/// <summary>
/// Reading and changing one's own notification preferences, for the profile page and the API alike: the
/// rights table says who may, and <see cref="Check"/> is the one place that says what is a valid value.
/// </summary>
public sealed class NotificationPreferences(IDbContextFactory<InboxDbContext> contexts, InboxRights rights, DefaultCompany defaultCompany)
{
    public const int MaxTimeZoneLength = 64;

    /// <summary>The names of the events, as the API and the page list them.</summary>
    public static IReadOnlyList<string> EventNames { get; } =
        Enum.GetValues<NotificationEvent>().Select(e => SnakeCaseNames.Convert(e.ToString())).ToList();

    /// <summary>A person's preferences changed on this instance: their watchers here read them again at once.</summary>
    public event Action<string>? Changed;

    public async Task<Outcome<NotificationSettings>> GetAsync(Actor actor, CancellationToken ct = default)
    {
        if (await RefusalAsync(actor, ct) is { } refused) return refused;
        return await ReadAsync(actor.UserId!, ct);
    }

    public async Task<Outcome<NotificationSettings>> UpdateAsync(Actor actor, PreferencesChange change, CancellationToken ct = default)
    {
        if (await RefusalAsync(actor, ct) is { } refused) return refused;
        var valid = Check(change);
        if (valid.Failure is { } invalid) return invalid;

        await using var db = await contexts.CreateDbContextAsync(ct);
        var settings = await db.Set<NotificationSettings>().SingleOrDefaultAsync(s => s.UserId == actor.UserId, ct);
        if (settings is null)
        {
            settings = new NotificationSettings(actor.UserId!);
            db.Add(settings);
        }
        settings.Apply(valid.Value!);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (db.Entry(settings).State == EntityState.Added)
        {
            // Two first saves at once (two tabs): the other made the row; apply this change to it.
            await using var again = await contexts.CreateDbContextAsync(ct);
            settings = await again.Set<NotificationSettings>().SingleAsync(s => s.UserId == actor.UserId, ct);
            settings.Apply(valid.Value!);
            await again.SaveChangesAsync(ct);
        }
        Changed?.Invoke(actor.UserId!);
        return settings;
    }

    /// <summary>A person's preferences, or the defaults when they never saved any (no rights asked: for their own watcher).</summary>
    internal async Task<NotificationSettings> ReadAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<NotificationSettings>().AsNoTracking().SingleOrDefaultAsync(s => s.UserId == userId, ct)
            ?? NotificationSettings.Defaults(userId);
    }

    private async Task<Failure?> RefusalAsync(Actor actor, CancellationToken ct)
    {
        if (actor.UserId is null) return Failure.Rejected("Notification preferences belong to a person; an API key has none. Use the person's access token.");
        var companyId = actor.CompanyId ?? await defaultCompany.IdAsync(ct);
        return await rights.CanAsync(actor, InboxAction.KeepNotificationPreferences, companyId, ct)
            ? null
            : Failure.Forbidden("This credential may not read or change notification preferences.");
    }

    /// <summary>Every value one of the listed ones, or a failure naming the field that is not.</summary>
    internal static Outcome<CheckedChange> Check(PreferencesChange change)
    {
        List<NotificationEvent>? events = null;
        if (change.Events is { } names)
        {
            events = [];
            foreach (var name in names)
            {
                var index = name is null ? -1 : EventNames.ToList().IndexOf(name);
                if (index < 0)
                    return Failure.Invalid("events", $"Each of events must be one of {string.Join(", ", EventNames)} (got \"{name}\").");
                if (!events.Contains((NotificationEvent)index)) events.Add((NotificationEvent)index);
            }
        }

        var quiet = default(Optional<QuietHours?>);
        if (change.QuietHours.IsPresent)
        {
            if (change.QuietHours.Value is not { } input)
            {
                quiet = new Optional<QuietHours?>(null);
            }
            else
            {
                if (Minute(input.Start) is not { } start)
                    return Failure.Invalid("quiet_hours.start", "quiet_hours.start must be a time of day as HH:mm, from 00:00 to 23:59.");
                if (Minute(input.End) is not { } end)
                    return Failure.Invalid("quiet_hours.end", "quiet_hours.end must be a time of day as HH:mm, from 00:00 to 23:59.");
                if (start == end)
                    return Failure.Invalid("quiet_hours.end", "quiet_hours.end must differ from quiet_hours.start.");
                if (input.TimeZone is not { Length: > 0 and <= MaxTimeZoneLength } zone || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
                    return Failure.Invalid("quiet_hours.time_zone", "quiet_hours.time_zone must be a time zone name such as Europe/Berlin or America/New_York.");
                quiet = new Optional<QuietHours?>(new QuietHours(start, end, zone));
            }
        }
        return new CheckedChange(events, change.Desktop, change.Sound, quiet);
    }

    private static int? Minute(string? time) =>
        time is { Length: 5 } && TimeOnly.TryParseExact(time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed.Hour * 60 + parsed.Minute
            : null;
}

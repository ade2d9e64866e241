using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Whop.Inbox.Identity;

namespace Whop.Inbox.Notifications;

/// <summary>The kinds of event a person may be told of (their names on the wire and in the database's columns).</summary>
public enum NotificationEvent
{
    /// <summary>A customer wrote in a support chat that is mine or nobody's (the team's).</summary>
    CustomerMessages,
    /// <summary>Someone @mentioned me.</summary>
    Mentions,
    /// <summary>A support chat was given to me by someone else (the team's).</summary>
    Assignments,
    /// <summary>A new message in my conversation list: my DMs, and a customer's own support chat.</summary>
    DirectMessages,
}

/// <summary>
/// Quiet hours: from <see cref="StartMinute"/> to <see cref="EndMinute"/> (minutes after midnight) in the
/// person's <see cref="TimeZone"/> nothing pops up or sounds. An end before the start runs past midnight.
/// </summary>
public sealed record QuietHours(int StartMinute, int EndMinute, string TimeZone)
{
    /// <summary>Whether <paramref name="at"/> falls in them (the start counts, the end does not).</summary>
    public bool Contains(DateTimeOffset at)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var minute = local.Hour * 60 + local.Minute;
        return StartMinute < EndMinute
            ? minute >= StartMinute && minute < EndMinute
            : minute >= StartMinute || minute < EndMinute;
    }

    public string Start => Format(StartMinute);
    public string End => Format(EndMinute);

    public static string Format(int minute) => $"{minute / 60:00}:{minute % 60:00}";
}

/// <summary>
/// One person's notification preferences: which events they are told of, whether that pops up on the desktop
/// and sounds, and their quiet hours. A person without a row has <see cref="Defaults"/>: every event, but no
/// desktop notification and no sound until they turn them on (the browser asks only when they click).
/// </summary>
public sealed class NotificationSettings
{
    private NotificationSettings() { }

    public NotificationSettings(string userId) => UserId = userId;

    public string UserId { get; private set; } = "";
    public bool CustomerMessages { get; private set; } = true;
    public bool Mentions { get; private set; } = true;
    public bool Assignments { get; private set; } = true;
    public bool DirectMessages { get; private set; } = true;
    public bool Desktop { get; private set; }
    public bool Sound { get; private set; }
    public int? QuietStartMinute { get; private set; }
    public int? QuietEndMinute { get; private set; }
    public string? QuietTimeZone { get; private set; }

    public static NotificationSettings Defaults(string userId) => new(userId);

    public QuietHours? Quiet => QuietStartMinute is { } start && QuietEndMinute is { } end && QuietTimeZone is { } zone
        ? new QuietHours(start, end, zone) : null;

    public IReadOnlyList<NotificationEvent> Events =>
    [
        .. CustomerMessages ? [NotificationEvent.CustomerMessages] : Array.Empty<NotificationEvent>(),
        .. Mentions ? [NotificationEvent.Mentions] : Array.Empty<NotificationEvent>(),
        .. Assignments ? [NotificationEvent.Assignments] : Array.Empty<NotificationEvent>(),
        .. DirectMessages ? [NotificationEvent.DirectMessages] : Array.Empty<NotificationEvent>(),
    ];

    public bool Wants(NotificationEvent kind) => kind switch
    {
        NotificationEvent.CustomerMessages => CustomerMessages,
        NotificationEvent.Mentions => Mentions,
        NotificationEvent.Assignments => Assignments,
        _ => DirectMessages,
    };

    /// <summary>Applies a change already checked by <see cref="NotificationPreferences"/>.</summary>
    internal void Apply(CheckedChange change)
    {
        if (change.Events is { } events)
        {
            CustomerMessages = events.Contains(NotificationEvent.CustomerMessages);
            Mentions = events.Contains(NotificationEvent.Mentions);
            Assignments = events.Contains(NotificationEvent.Assignments);
            DirectMessages = events.Contains(NotificationEvent.DirectMessages);
        }
        if (change.Desktop is { } desktop) Desktop = desktop;
        if (change.Sound is { } sound) Sound = sound;
        if (change.QuietHours.IsPresent)
        {
            QuietStartMinute = change.QuietHours.Value?.StartMinute;
            QuietEndMinute = change.QuietHours.Value?.EndMinute;
            QuietTimeZone = change.QuietHours.Value?.TimeZone;
        }
    }

    /// <summary>A copy that does not change when this one does (the watchers hold it).</summary>
    internal NotificationSettings Copy() => (NotificationSettings)MemberwiseClone();
}

internal sealed class NotificationSettingsConfiguration : IEntityTypeConfiguration<NotificationSettings>
{
    public void Configure(EntityTypeBuilder<NotificationSettings> settings)
    {
        settings.ToTable("notification_settings");
        settings.HasKey(s => s.UserId);
        settings.Property(s => s.UserId).HasMaxLength(32);
        settings.Property(s => s.QuietTimeZone).HasMaxLength(NotificationPreferences.MaxTimeZoneLength);
        settings.Ignore(s => s.Quiet);
        settings.Ignore(s => s.Events);
        settings.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

using System.ComponentModel.DataAnnotations;

namespace Whop.Inbox.Support.Snooze;

/// <summary>The <c>Snooze</c> section of configuration.</summary>
public sealed class SnoozeOptions
{
    public const string Section = "Snooze";

    /// <summary>
    /// How often each instance looks for snoozes whose time has come: a chat wakes at most this long after
    /// its time. Every instance looks; each chat still wakes once (see <see cref="SnoozeWaker"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WakeInterval { get; set; } = TimeSpan.FromSeconds(30);
}

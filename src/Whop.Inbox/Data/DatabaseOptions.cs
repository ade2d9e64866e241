using System.ComponentModel.DataAnnotations;

namespace Whop.Inbox.Data;

/// <summary>Which database the app stands on.</summary>
public enum DatabaseProvider
{
    /// <summary>One file beside the app: one instance, nothing to install. The default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (<c>ConnectionStrings:Inbox</c>): several instances share it and fan out events.</summary>
    Postgres,
}

/// <summary>The <c>Inbox:Database</c> section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Inbox:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>The SQLite file, relative to the content root unless absolute. Created on first start.</summary>
    [Required] public string Path { get; set; } = "data/inbox.db";

    /// <summary>
    /// Recount every unread count from the messages at start (see <c>UnreadCounts</c>): once, after rows
    /// were written behind the app's back (a bulk import, the benchmark's data). The app keeps them itself.
    /// </summary>
    public bool RecountUnread { get; set; }

    /// <summary>How long a write waits for SQLite's single write lock before the request is answered 503.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

namespace Whop.Inbox.Tests;

/// <summary>
/// Tests bound to one database whatever <c>INBOX_TEST_DATABASE</c> says (several instances need
/// PostgreSQL; the single-instance lock is SQLite's). The test command's SQLite pass leaves out the
/// PostgreSQL ones and its PostgreSQL pass the SQLite ones, so each runs once.
/// </summary>
public static class DatabaseTrait
{
    public const string Name = "Database";
    public const string Postgres = "postgres";
    public const string Sqlite = "sqlite";
}

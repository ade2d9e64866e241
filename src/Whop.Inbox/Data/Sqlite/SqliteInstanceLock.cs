namespace Whop.Inbox.Data.Sqlite;

/// <summary>
/// One app instance per SQLite file: events are published in-process, so a second instance would
/// neither see the first one's events nor be seen. Held for the life of the process through an
/// exclusive lock on <c>&lt;file&gt;.lock</c>, which the operating system drops if the process dies.
/// </summary>
internal sealed class SqliteInstanceLock(string databasePath) : IDisposable
{
    private readonly Lock _gate = new();
    private FileStream? _held;

    public string DatabasePath => databasePath;

    public void Acquire()
    {
        lock (_gate)
        {
            if (_held is not null) return;
            var lockPath = databasePath + ".lock";
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
                _held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e)
            {
                throw new InvalidOperationException(
                    $"Another instance of the app is using the database {databasePath} (it holds {lockPath}). One SQLite file serves one " +
                    "instance; several instances need PostgreSQL (Inbox:Database:Provider=postgres and ConnectionStrings:Inbox).", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new InvalidOperationException($"Cannot create or write the database {databasePath}: {e.Message}", e);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _held?.Dispose();
            _held = null;
        }
    }
}

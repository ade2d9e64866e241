using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Whop.Inbox.Data;

/// <summary>
/// The one place that decides whether a failure is the database being unavailable or busy (down,
/// unreachable, refusing connections, timing out, or this instance's bound on database work reached:
/// <see cref="Admission.DatabaseBusyException"/>) rather than a fault in the app. Such failures
/// answer 503 with <c>Retry-After</c> on the API, <c>unavailable: …</c> on the hub, and a notice in
/// the pages (<see cref="Common.DatabaseStatus"/>); everything else stays a 500.
/// </summary>
public static class DatabaseFaults
{
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case OperationCanceledException:
                    return false; // the caller went away; not the database
                case Admission.DatabaseBusyException:
                    return true;
                case PostgresException postgres:
                    return IsUnavailableState(postgres.SqlState);
                case SqliteException sqlite:
                    return IsUnavailableCode(sqlite.SqliteErrorCode);
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case SocketException or TimeoutException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsUnavailable):
                    return true;
            }
        }
        return false;
    }

    /// <summary>The refusal when the bound on database work is reached, if that is what failed: busy, not away.</summary>
    public static Admission.DatabaseBusyException? Busy(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Admission.DatabaseBusyException busy) return busy;
        }
        return null;
    }

    /// <summary>
    /// SQLite's "not now": the write lock not had within the busy timeout (5, BUSY; 6, LOCKED), a full
    /// disk (13, FULL), and I/O failing (10, IOERR) as it does on a disk that is full or going away.
    /// </summary>
    private static bool IsUnavailableCode(int code) => code is 5 or 6 or 10 or 13;

    /// <summary>
    /// PostgreSQL's answers that mean "not now" rather than "not this": connection failures (08),
    /// too many connections or out of resources (53), shutting down or starting up (57P01-57P03),
    /// and a database not accepting connections (55000 at connect, e.g. ALLOW_CONNECTIONS false).
    /// </summary>
    private static bool IsUnavailableState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal)
        || state.StartsWith("53", StringComparison.Ordinal)
        || state is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.ObjectNotInPrerequisiteState;
}

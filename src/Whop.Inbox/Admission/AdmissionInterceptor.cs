using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Whop.Inbox.Admission;

/// <summary>
/// Admits each database connection as it opens, for the caller an entry point named
/// (<see cref="DatabaseAdmission.ActFor"/>: a page request, a circuit's click), and gives its place
/// back when it closes. Work admitted whole and the app's own background work pass untouched.
/// </summary>
internal sealed class AdmissionInterceptor(DatabaseAdmission admission) : DbConnectionInterceptor
{
    private readonly ConditionalWeakTable<DbConnection, DatabaseAdmission.Admitted> _open = new();

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Admit(connection);
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
        InterceptionResult result, CancellationToken ct = default)
    {
        Admit(connection);
        return ValueTask.FromResult(result);
    }

    public override void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Release(connection);

    public override Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Release(connection);
        return Task.CompletedTask;
    }

    public override void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => Release(connection);

    public override Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken ct = default)
    {
        Release(connection);
        return Task.CompletedTask;
    }

    public override InterceptionResult ConnectionDisposing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(connection);
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionDisposingAsync(DbConnection connection, ConnectionEventData eventData,
        InterceptionResult result)
    {
        Release(connection);
        return ValueTask.FromResult(result);
    }

    private void Admit(DbConnection connection)
    {
        if (admission.AdmitConnection() is not { } lease) return;
        Release(connection); // a connection opened again without closing (not seen in practice) gives its old place back
        _open.Add(connection, lease);
    }

    private void Release(DbConnection connection)
    {
        if (_open.TryGetValue(connection, out var lease) && _open.Remove(connection)) lease.Dispose();
    }
}

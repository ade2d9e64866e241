using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;

namespace Whop.Inbox.Common;

/// <summary>
/// Whether the database answers, as this instance last saw it: set to away by any failure
/// <see cref="DatabaseFaults"/> recognises (an API call, a hub call, a page, the event listener),
/// and back once a probe (every two seconds while away) or the listener reconnects. Pages show a
/// notice while it is away (<see cref="Components.Shared.DatabaseNotice"/>); nothing needs a restart.
/// </summary>
public sealed partial class DatabaseStatus(
    IDbContextFactory<InboxDbContext> contexts, IHostApplicationLifetime lifetime, ILogger<DatabaseStatus> logger)
{
    /// <summary>How long clients are told to wait before retrying (<c>Retry-After</c>).</summary>
    public const int RetryAfterSeconds = 5;

    private static readonly TimeSpan ProbeEvery = TimeSpan.FromSeconds(2);
    private int _away;

    public bool IsAvailable => Volatile.Read(ref _away) == 0;

    /// <summary>Raised when the database goes away or comes back; handlers must not block.</summary>
    public event Action? Changed;

    /// <summary>
    /// Reports a failure; true when it is the database being unavailable (and the status is now away)
    /// or busy (this instance's bound on database work was reached: the database is fine, so the
    /// status stays, and the caller tells its user to try again in a moment).
    /// </summary>
    public bool Report(Exception exception)
    {
        if (!DatabaseFaults.IsUnavailable(exception)) return false;
        if (DatabaseFaults.Busy(exception) is not null) return true;
        if (Interlocked.Exchange(ref _away, 1) == 0)
        {
            LogAway(exception.GetBaseException().Message);
            Changed?.Invoke();
            _ = Admission.DatabaseAdmission.RunAsAppWork(ProbeUntilBackAsync);
        }
        return true;
    }

    /// <summary>The database answered (a probe, or the event listener connected again).</summary>
    public void ReportAvailable()
    {
        if (Interlocked.Exchange(ref _away, 0) == 0) return;
        LogBack();
        Changed?.Invoke();
    }

    /// <summary>Every two seconds until the database answers, or the app stops.</summary>
    private async Task ProbeUntilBackAsync()
    {
        var stopping = lifetime.ApplicationStopping;
        while (!IsAvailable && !stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ProbeEvery, stopping);
                await using var db = await contexts.CreateDbContextAsync(stopping);
                if (await db.Database.CanConnectAsync(stopping)) ReportAvailable();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            catch (Exception e) when (DatabaseFaults.IsUnavailable(e))
            {
            }
            catch (Exception e)
            {
                LogProbeFailed(e);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "The database is unavailable ({Reason}); answering 503 until it is back")]
    private partial void LogAway(string reason);

    [LoggerMessage(LogLevel.Information, "The database is available again")]
    private partial void LogBack();

    [LoggerMessage(LogLevel.Error, "Checking whether the database is back failed")]
    private partial void LogProbeFailed(Exception exception);
}

using Microsoft.Extensions.Logging;

namespace Whop.Inbox.TestSupport;

/// <summary>
/// The test server's warnings and errors, appended to one file per app (see <see cref="InboxApp.LogPath"/>):
/// when a browser test fails because a page stopped answering, the cause is in the server's log, not the browser's.
/// </summary>
public sealed class ServerLog(string path) : ILoggerProvider
{
    private readonly object _gate = new();

    public ILogger CreateLogger(string categoryName) => new Writer(this, categoryName);

    private void Append(string line)
    {
        lock (_gate) File.AppendAllText(path, line + Environment.NewLine);
    }

    public void Dispose() { }

    private sealed class Writer(ServerLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            log.Append($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
        }
    }
}

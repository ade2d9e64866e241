using Microsoft.AspNetCore.SignalR;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// Logs a chat-hub call that failed unexpectedly, once, with its exception. A refusal (a <see cref="HubException"/>:
/// busy, rate limited, bad input, not found, the database away) is the caller's answer, not a fault of
/// the server, and is not logged. SignalR's own log of every failed call is off (see <see cref="MessagingSetup"/>):
/// it logged each refusal as an error with its stack trace, and under overload, when refusals come by
/// the thousand a second, writing them cost the app more CPU than the sends it admitted.
/// </summary>
internal sealed partial class HubFailureLog(ILogger<HubFailureLog> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocation);
        }
        catch (Exception e) when (e is not HubException && Logged(e, invocation.HubMethodName))
        {
            throw;
        }
    }

    // Logged from the filter, before the stack unwinds; never catches.
    private bool Logged(Exception e, string method)
    {
        LogFailed(e, method);
        return false;
    }

    [LoggerMessage(LogLevel.Error, "The hub method {Method} failed")]
    private partial void LogFailed(Exception exception, string method);
}

using Microsoft.AspNetCore.SignalR;

namespace Whop.Inbox.Admission;

/// <summary>
/// Admits each chat-hub call whole, or refuses it at once with <c>busy: … retry in N s</c>; the
/// connection stays open. A connection without a credential of its own counts as itself.
/// </summary>
internal sealed class HubAdmission(DatabaseAdmission admission) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        using var admitted = admission.TryAdmit(Callers.Of(invocation.Context.User!, $"connection:{invocation.Context.ConnectionId}"))
            ?? throw new HubException($"busy: {DatabaseBusyException.MessageFor(admission.RetryAfterSeconds)}");
        return await next(invocation);
    }
}

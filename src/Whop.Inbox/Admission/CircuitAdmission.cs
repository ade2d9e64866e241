using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Whop.Inbox.Admission;

/// <summary>
/// A page's clicks and keys (each inbound activity of its circuit) work for the person signed in,
/// or for the circuit itself when nobody is: their database connections are admitted for them
/// (<see cref="AdmissionInterceptor"/>). A refused connection fails like an unavailable database,
/// which the pages already answer with their notice, keeping what was typed.
/// </summary>
internal sealed class CircuitAdmission(AuthenticationStateProvider authentication) : CircuitHandler
{
    private Caller? _caller;

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            DatabaseAdmission.ActFor(_caller ??= await CallerAsync(context.Circuit));
            await next(context);
        };

    private async Task<Caller> CallerAsync(Circuit circuit)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return Callers.Of(state.User, $"circuit:{circuit.Id}");
    }
}

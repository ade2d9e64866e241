using Microsoft.AspNetCore.Components;
using MudBlazor;
using Whop.Inbox.Common;
using Whop.Inbox.Data;

namespace Whop.Inbox.Components.Shared;

/// <summary>
/// The base of the app's components (<c>_Imports.razor</c>): a click or key whose work fails because the
/// database is away, or because the instance is at its bound on database work, says so in a notice
/// and leaves the page as it was (what was typed stays), instead of ending the page's circuit.
/// Components that answer such failures themselves (the composer's send) keep doing so.
/// </summary>
public abstract class InboxComponent : ComponentBase, IHandleEvent
{
    public const string BusyNotice = "The inbox is busy right now, so that was not done. Try again in a moment; what you typed is still here.";
    public const string AwayNotice = "The database is not answering, so that was not done. What you typed is still here.";

    [Inject] private DatabaseStatus Database { get; set; } = null!;
    // Asked for only when there is something to say: every component is one of these, and the notices'
    // service needs a page that is interactive (not one rendered to HTML alone).
    [Inject] private IServiceProvider Services { get; set; } = null!;

    async Task IHandleEvent.HandleEventAsync(EventCallbackWorkItem callback, object? arg)
    {
        var work = SafelyAsync(callback, arg);
        // As the framework's own handling: draw once for what happened at once, and again when the work ends.
        if (!work.IsCompleted) StateHasChanged();
        await work;
        StateHasChanged();
    }

    private async Task SafelyAsync(EventCallbackWorkItem callback, object? arg)
    {
        try
        {
            await callback.InvokeAsync(arg);
        }
        catch (Exception e) when (Database.Report(e))
        {
            Services.GetRequiredService<ISnackbar>().Add(DatabaseFaults.Busy(e) is null ? AwayNotice : BusyNotice, Severity.Warning);
        }
    }
}

using Microsoft.JSInterop;

namespace Whop.Inbox.Components.Shared;

/// <summary>
/// A component's own script (the <c>.razor.js</c> beside it): imported once on first use, disposed with
/// the component. A page can close while a call to the browser is on its way; calls after that are
/// skipped, and a closing or closed circuit's exceptions are swallowed, so they never end the circuit.
/// </summary>
public sealed class JsModule(IJSRuntime js, string path) : IAsyncDisposable
{
    private Task<IJSObjectReference>? _module;
    private bool _disposed;

    public bool IsDisposed => _disposed;

    /// <summary>Calls an export; nothing happens once the component is gone.</summary>
    public async ValueTask InvokeVoidAsync(string identifier, params object?[] args)
    {
        if (await ModuleAsync() is not { } module) return;
        try
        {
            await module.InvokeVoidAsync(identifier, args);
        }
        catch (Exception e) when (IsClosing(e))
        {
        }
    }

    /// <summary>Calls an export and returns its answer, or <paramref name="fallback"/> once the component is gone.</summary>
    public async ValueTask<T> InvokeAsync<T>(string identifier, T fallback, params object?[] args)
    {
        if (await ModuleAsync() is not { } module) return fallback;
        try
        {
            return await module.InvokeAsync<T>(identifier, args);
        }
        catch (Exception e) when (IsClosing(e))
        {
            return fallback;
        }
    }

    private async ValueTask<IJSObjectReference?> ModuleAsync()
    {
        if (_disposed) return null;
        try
        {
            _module ??= js.InvokeAsync<IJSObjectReference>("import", path).AsTask();
            var module = await _module;
            return _disposed ? null : module;
        }
        catch (Exception e) when (IsClosing(e))
        {
            return null;
        }
    }

    /// <summary>
    /// Starts the script's behaviour on the page (an export returning an object with <c>dispose()</c>);
    /// null when the component went away meanwhile (the behaviour is then stopped at once).
    /// </summary>
    public async ValueTask<IJSObjectReference?> StartAsync(string identifier, params object?[] args)
    {
        var handle = await InvokeAsync<IJSObjectReference?>(identifier, null, args);
        if (handle is null || !_disposed) return handle;
        Stop(handle);
        return null;
    }

    /// <summary>
    /// Stops a behaviour <see cref="StartAsync"/> started. Sent, not waited for: a component also goes away when its
    /// page has closed, and nobody answers then, so waiting would hold the circuit's end (and the browser's
    /// request that ends it) for the call's whole timeout, a minute.
    /// </summary>
    public static void Stop(IJSObjectReference? handle)
    {
        if (handle is null) return;
        // Both go out in this order on the circuit's one connection, so the page runs them in this order.
        Forget(handle.InvokeVoidAsync("dispose"));
        Forget(handle.DisposeAsync());
    }

    /// <summary>What a call meets when the page closed under it: nothing to report, nothing to end.</summary>
    public static bool IsClosing(Exception e) =>
        e is JSDisconnectedException or TaskCanceledException or ObjectDisposedException or OperationCanceledException;

    /// <summary>Lets the page forget the script, without waiting for its answer (see <see cref="Stop"/>).</summary>
    public ValueTask DisposeAsync()
    {
        if (_disposed) return ValueTask.CompletedTask;
        _disposed = true;
        // An import still on its way has nothing to let go of yet; its reference goes when the page does.
        if (_module is { IsCompletedSuccessfully: true } imported) Forget(imported.Result.DisposeAsync());
        return ValueTask.CompletedTask;
    }

    /// <summary>A call whose answer nobody needs: what it meets once the page is closing or refused it is not an error.</summary>
    private static void Forget(ValueTask call)
    {
        if (call.IsCompletedSuccessfully) return;
        _ = ObserveAsync(call);

        static async Task ObserveAsync(ValueTask call)
        {
            try
            {
                await call;
            }
            catch (Exception e) when (IsClosing(e) || e is JSException)
            {
            }
        }
    }
}

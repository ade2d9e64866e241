using Whop.Inbox.Identity;

namespace Whop.Inbox.Webhooks.Pages;

/// <summary>
/// The circuit's word on endpoints the app turned off after days of failures: the layout's nav link
/// shows a warning while there are any, and the webhooks page tells it when its own count changes
/// (an admin turned one back on, or deleted it), so the warning goes without a reload.
/// </summary>
public sealed class WebhookWarnings(WebhookService hooks)
{
    /// <summary>The new count, as the webhooks page last saw it.</summary>
    public event Action<int>? Changed;

    public async Task<int> CountAsync(ViewerInfo viewer, CancellationToken ct = default) =>
        viewer.CanManageWebhooks ? await hooks.DisabledByFailuresAsync(viewer.Actor, viewer.CompanyId, ct) : 0;

    public void Report(int count) => Changed?.Invoke(count);
}

using Microsoft.AspNetCore.Http.HttpResults;
using Whop.Inbox.Common;

namespace Whop.Inbox.Identity.Rights;

/// <summary>Ours: "what may I do here?", the same answer the app's own pages get, from the rights table.</summary>
public static class CapabilitiesApi
{
    public static RouteGroupBuilder MapCapabilitiesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/channels/{id}/capabilities", GetAsync).WithTags("Capabilities")
            .WithSummary("Ours: what the caller may do in a support chat or DM (read, write, moderate, resolve, reopen, rename, manage members, leave, note, snooze). " +
                "Every call is checked again when it is made; this is for showing only what will work.");
        return api;
    }

    public static Task<Results<Ok<ChannelAbilities>, ApiProblem>> GetAsync(string id, Actor actor, ChannelCapabilities capabilities, CancellationToken ct) =>
        capabilities.AskAsync(actor, id, ct).ToResultAsync(abilities => abilities);
}

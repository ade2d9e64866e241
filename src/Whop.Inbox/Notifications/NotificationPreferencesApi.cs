using Microsoft.AspNetCore.Http.HttpResults;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Notifications;

/// <summary>Ours: the caller's own notification preferences (a person's access token; an API key has no person).</summary>
public static class NotificationPreferencesApi
{
    public sealed record QuietHoursBody(string? Start, string? End, string? TimeZone);

    public sealed record UpdateNotificationPreferencesRequest(
        Optional<IReadOnlyList<string?>?> Events, Optional<bool?> Desktop, Optional<bool?> Sound, Optional<QuietHoursBody?> QuietHours);

    public sealed record QuietHoursResponse(string Start, string End, string TimeZone);

    public sealed record NotificationPreferencesResponse(
        string UserId, IReadOnlyList<string> Events, bool Desktop, bool Sound, QuietHoursResponse? QuietHours)
    {
        public static NotificationPreferencesResponse From(NotificationSettings s) => new(s.UserId,
            s.Events.Select(e => NotificationPreferences.EventNames[(int)e]).ToList(), s.Desktop, s.Sound,
            s.Quiet is { } q ? new QuietHoursResponse(q.Start, q.End, q.TimeZone) : null);
    }

    public static RouteGroupBuilder MapNotificationPreferencesApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me/notification_preferences").WithTags("Notifications");
        me.MapGet("/", GetAsync).WithSummary("The caller's notification preferences (the defaults until they change one).");
        me.MapPatch("/", UpdateAsync).WithSummary("Change the caller's notification preferences: any of events, desktop, sound, quiet_hours.");
        return api;
    }

    public static Task<Results<Ok<NotificationPreferencesResponse>, ApiProblem>> GetAsync(Actor actor, NotificationPreferences preferences,
        CancellationToken ct) =>
        preferences.GetAsync(actor, ct).ToResultAsync(NotificationPreferencesResponse.From);

    public static async Task<Results<Ok<NotificationPreferencesResponse>, ApiProblem>> UpdateAsync(UpdateNotificationPreferencesRequest? request,
        Actor actor, NotificationPreferences preferences, CancellationToken ct)
    {
        if (request is null || !(request.Events.IsPresent || request.Desktop.IsPresent || request.Sound.IsPresent || request.QuietHours.IsPresent))
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "Send at least one of events, desktop, sound, quiet_hours.");
        // Present and null is not a value of these: named as the field it is.
        if (request.Events is { IsPresent: true, Value: null }) return Missing("events", "a list");
        if (request.Desktop is { IsPresent: true, Value: null }) return Missing("desktop", "true or false");
        if (request.Sound is { IsPresent: true, Value: null }) return Missing("sound", "true or false");

        var change = new PreferencesChange(request.Events.Value, request.Desktop.Value, request.Sound.Value,
            request.QuietHours.IsPresent
                ? new Optional<QuietHoursInput?>(request.QuietHours.Value is { } q ? new QuietHoursInput(q.Start, q.End, q.TimeZone) : null)
                : default);
        return (await preferences.UpdateAsync(actor, change, ct)).ToResult(NotificationPreferencesResponse.From);
    }

    private static ApiProblem Missing(string field, string expected) =>
        ApiProblems.Problem(StatusCodes.Status400BadRequest, $"{field} must be {expected}.", field);
}

using System.Diagnostics;

namespace Whop.Inbox.Observability;

/// <summary>
/// The app's own spans, on the source <see cref="SourceName"/>. A send's trace is the HTTP request or
/// hub call (ASP.NET Core's spans), then <c>conversation.write</c> from taking the conversation's lock
/// to the commit, with PostgreSQL's statements (Npgsql's spans) beside it in the same trace and within
/// its time (a span started inside an awaited method is not its caller's current one, so they hang from
/// the request), then <c>events.dispatch</c>
/// where the committed event reaches this instance's pages and hub connections. With nobody listening
/// (telemetry off) starting a span returns null and costs a check.
/// </summary>
public static class InboxTracing
{
    public const string SourceName = "Whop.Inbox";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A change to a conversation (null: one that creates it), until the write is disposed.</summary>
    public static Activity? StartWrite(string? channelId)
    {
        var activity = Source.StartActivity("conversation.write");
        activity?.SetTag("inbox.channel_id", channelId);
        return activity;
    }

    /// <summary>
    /// A committed event handed to this instance's subscribers. Events reach the dispatcher through one
    /// queue in commit order (from this process or, over PostgreSQL, any instance), so this span starts a trace of its own.
    /// </summary>
    public static Activity? StartDispatch(string eventType, string channelId)
    {
        var activity = Source.StartActivity("events.dispatch", ActivityKind.Consumer);
        activity?.SetTag("inbox.event_type", eventType);
        activity?.SetTag("inbox.channel_id", channelId);
        return activity;
    }
}

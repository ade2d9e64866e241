using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Messaging.Components;

/// <summary>
/// Who else is typing in a conversation, from its events. An entry ends with its "stopped" event,
/// with that person's next message, or by itself at the time its "started" event gave, so a lost
/// "stopped" never leaves someone typing for ever.
/// </summary>
public sealed class TypingNames(string? viewerId)
{
    private readonly Dictionary<string, (string Name, DateTimeOffset Until)> _typing = [];

    /// <summary>Takes what an event says about typing; any other event changes nothing.</summary>
    public void Apply(ChatEvent evt)
    {
        switch (evt.Type)
        {
            case ChatEventTypes.TypingStarted when evt.DataAs<Typing>() is { } started && started.User.Id != viewerId:
                _typing[started.User.Id] = (started.User.Name ?? started.User.Username, started.ExpiresAt ?? evt.At.Add(TypingTracker.Lifetime));
                break;
            case ChatEventTypes.TypingStopped when evt.DataAs<Typing>() is { } stopped:
                _typing.Remove(stopped.User.Id);
                break;
            case ChatEventTypes.MessageCreated when evt.DataAs<MessageEvent>() is { } created:
                _typing.Remove(created.Message.User.Id);
                break;
        }
    }

    public void Clear() => _typing.Clear();

    /// <summary>The line under the history: null when nobody is typing at <paramref name="now"/>.</summary>
    public string? Describe(DateTimeOffset now)
    {
        var names = _typing.Values.Where(t => t.Until > now).Select(t => t.Name).ToList();
        return names.Count switch
        {
            0 => null,
            1 => $"{names[0]} is typing…",
            2 => $"{names[0]} and {names[1]} are typing…",
            _ => "Several people are typing…",
        };
    }
}

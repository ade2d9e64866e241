using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Messaging.Components;

/// <summary>
/// Who else is typing in a conversation, from its events: a reply, or (the team sees these alone) a note. An entry
/// ends with its "stopped" event, with that person's next message, or by itself at the time its "started" event
/// gave, so a lost "stopped" never leaves someone typing for ever.
/// </summary>
public sealed class TypingNames(string? viewerId)
{
    private readonly Dictionary<(string UserId, bool Note), Typist> _typing = [];

    private sealed record Typist(string Name, DateTimeOffset Until, bool IsCustomer);

    /// <summary>Takes what an event says about typing; any other event changes nothing.</summary>
    public void Apply(ChatEvent evt)
    {
        switch (evt.Type)
        {
            case ChatEventTypes.TypingStarted when evt.DataAs<Typing>() is { } started && started.User.Id != viewerId:
                _typing[(started.User.Id, started.Note)] = new(started.User.Name ?? started.User.Username,
                    started.ExpiresAt ?? evt.At.Add(TypingTracker.Lifetime), started.User.Id == evt.Channel?.CustomerId);
                break;
            case ChatEventTypes.TypingStopped when evt.DataAs<Typing>() is { } stopped:
                _typing.Remove((stopped.User.Id, stopped.Note));
                break;
            case ChatEventTypes.MessageCreated when evt.DataAs<MessageEvent>() is { } created:
                _typing.Remove((created.Message.User.Id, created.Message.Visibility == MessageVisibility.Team));
                break;
        }
    }

    public void Clear() => _typing.Clear();

    /// <summary>The line under the history: who types a reply, then who writes a note; null when nobody is typing at <paramref name="now"/>.</summary>
    public string? Describe(DateTimeOffset now)
    {
        var replies = Names(now, note: false);
        var notes = Names(now, note: true);
        string? replying = replies.Count switch
        {
            0 => null,
            1 => $"{replies[0]} is typing…",
            2 => $"{replies[0]} and {replies[1]} are typing…",
            _ => "Several people are typing…",
        };
        string? noting = notes.Count switch
        {
            0 => null,
            1 => $"{notes[0]} is writing a note…",
            2 => $"{notes[0]} and {notes[1]} are writing notes…",
            _ => "Several people are writing notes…",
        };
        return replying is null ? noting : noting is null ? replying : $"{replying} · {noting}";
    }

    /// <summary>
    /// The soft lock: teammates (not the customer) typing a reply in this chat at <paramref name="now"/>, as the composer
    /// says it ("Sam is replying…"); null when none.
    /// </summary>
    public string? TeammatesReplying(DateTimeOffset now)
    {
        var names = _typing.Where(t => !t.Key.Note && !t.Value.IsCustomer && t.Value.Until > now).Select(t => t.Value.Name).Order().ToList();
        return names.Count switch
        {
            0 => null,
            1 => $"{names[0]} is replying…",
            2 => $"{names[0]} and {names[1]} are replying…",
            _ => "Several teammates are replying…",
        };
    }

    private List<string> Names(DateTimeOffset now, bool note) =>
        _typing.Where(t => t.Key.Note == note && t.Value.Until > now).Select(t => t.Value.Name).ToList();
}

using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Components;
using Whop.Inbox.Messaging.Realtime;
using static Whop.Inbox.Common.ApiWire;

namespace Whop.Inbox.Tests.Messaging;

public sealed class TypingNamesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private readonly TypingNames _typing = new("user_me");

    [Fact]
    public void Names_who_types_until_they_stop_send_or_their_time_runs_out()
    {
        _typing.Apply(Started("user_ana", "Ana", until: T0.AddSeconds(6)));
        _typing.Describe(T0).ShouldBe("Ana is typing…");

        _typing.Apply(Started("user_bo", "Bo", until: T0.AddSeconds(6)));
        _typing.Describe(T0).ShouldBe("Ana and Bo are typing…");

        _typing.Apply(new ChatEvent(ChatEventTypes.TypingStopped, "feed_1", null, T0, null, new Typing(User("user_ana", "Ana"), null)));
        _typing.Describe(T0).ShouldBe("Bo is typing…");

        // A "stopped" that never comes: the entry ends by itself.
        _typing.Describe(T0.AddSeconds(7)).ShouldBeNull();
    }

    [Fact]
    public void A_message_from_the_typist_ends_their_typing_and_the_viewer_is_never_named()
    {
        _typing.Apply(Started("user_me", "Me", until: T0.AddSeconds(6)));
        _typing.Describe(T0).ShouldBeNull();

        _typing.Apply(Started("user_ana", "Ana", until: T0.AddSeconds(6)));
        var message = new MessageView("msg_1", "feed_1", "hi", T0, T0, false, false, MessageType.Regular, null,
            new UserSummary("user_ana", "Ana", "ana"), [], [], false);
        _typing.Apply(new ChatEvent(ChatEventTypes.MessageCreated, "feed_1", 1, T0, null,
            new MessageEvent(message, null)));

        _typing.Describe(T0).ShouldBeNull();
    }

    [Fact]
    public void Three_or_more_typists_are_several_people()
    {
        foreach (var name in new[] { "Ana", "Bo", "Cy" }) _typing.Apply(Started($"user_{name}", name, until: T0.AddSeconds(6)));
        _typing.Describe(T0).ShouldBe("Several people are typing…");
    }

    [Fact]
    public void A_note_is_told_apart_from_a_reply_and_only_a_teammates_reply_is_a_soft_lock()
    {
        var chat = new ChannelSnapshot(ChannelKind.Support, "biz_1", "user_cus", null, null, null, null, null);
        ChatEvent Types(string id, string name, bool note) => new(ChatEventTypes.TypingStarted, "feed_1", null, T0, chat,
            new Typing(User(id, name), T0.AddSeconds(6), note));

        _typing.Apply(Types("user_cus", "Cara", note: false));
        _typing.TeammatesReplying(T0).ShouldBeNull("the customer typing is no soft lock");
        _typing.Apply(Types("user_omar", "Omar", note: true));
        _typing.Describe(T0).ShouldBe("Cara is typing… · Omar is writing a note…");
        _typing.TeammatesReplying(T0).ShouldBeNull("a note is no reply");

        _typing.Apply(Types("user_sam", "Sam", note: false));
        _typing.TeammatesReplying(T0).ShouldBe("Sam is replying…");
        _typing.Apply(Types("user_omar", "Omar", note: false));
        _typing.TeammatesReplying(T0).ShouldBe("Omar and Sam are replying…");
        _typing.TeammatesReplying(T0.AddSeconds(7)).ShouldBeNull("it lapses with the typing");

        // Stopping a note leaves the same person's reply.
        _typing.Apply(new ChatEvent(ChatEventTypes.TypingStopped, "feed_1", null, T0, chat, new Typing(User("user_omar", "Omar"), null, Note: true)));
        _typing.Describe(T0).ShouldBe("Several people are typing…");
        _typing.TeammatesReplying(T0).ShouldBe("Omar and Sam are replying…");
    }

    private static ChatEvent Started(string id, string name, DateTimeOffset until) =>
        new(ChatEventTypes.TypingStarted, "feed_1", null, T0, null, new Typing(User(id, name), until));

    private static UserSummary User(string id, string name) => new(id, name, name.ToLowerInvariant());
}

namespace Whop.Inbox.Messaging.Unread;

/// <summary>
/// A company's support chats in one status, kept on write: all of them (the inbox tabs' counts), and
/// those with a message that can be unread. With <see cref="SupportReadTally"/>, a team member's unread
/// count per status is one read of a few rows: a chat they have no read mark for is unread, so
/// "unread" is "with messages" less "read to the end".
/// </summary>
public sealed class SupportStatusTally
{
    private SupportStatusTally() { }

    public string CompanyId { get; private set; } = "";
    public SupportStatus Status { get; private set; }

    /// <summary>The chats in this status with at least one message that can be unread.</summary>
    public int Chats { get; private set; }

    /// <summary>Every chat in this status, empty ones too.</summary>
    public int AllChats { get; private set; }
}

/// <summary>How many of a company's support chats in one status, with messages, a person has read to the end.</summary>
public sealed class SupportReadTally
{
    private SupportReadTally() { }

    public string UserId { get; private set; } = "";
    public string CompanyId { get; private set; } = "";
    public SupportStatus Status { get; private set; }
    public int Chats { get; private set; }
}

namespace Whop.Inbox.Messaging.Unread;

/// <summary>
/// How many of a company's support chats in one status have a message that can be unread. With
/// <see cref="SupportReadTally"/>, a team member's unread count per status is one read of a few rows:
/// a chat they have no read mark for is unread, so "unread" is "with messages" less "read to the end".
/// </summary>
public sealed class SupportStatusTally
{
    private SupportStatusTally() { }

    public string CompanyId { get; private set; } = "";
    public SupportStatus Status { get; private set; }
    public int Chats { get; private set; }
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

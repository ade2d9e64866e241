namespace Whop.Inbox.Identity.Rights;

/// <summary>Everything the rights table answers for. The API, the hub and the UI all ask about these.</summary>
public enum InboxAction
{
    // Support chats
    ListInbox,
    ReadSupportChat,
    ReplyAsCompany,
    ReplyAsCustomer,
    ResolveSupportChat,
    ReopenSupportChat,
    OpenSupportChat,
    /// <summary>Giving a chat to a team member, or to nobody.</summary>
    AssignSupportChat,
    /// <summary>Setting a chat aside until a time or until the customer replies, and waking it.</summary>
    SnoozeSupportChat,
    /// <summary>Putting the company's labels on a support chat, or taking them off.</summary>
    LabelSupportChat,
    /// <summary>Setting a support chat's priority (none, low, medium, high, urgent).</summary>
    PrioritizeSupportChat,
    /// <summary>Reading internal notes (messages only the team sees) and what only the team is told (assignment).</summary>
    ReadNotes,
    WriteNote,
    /// <summary>Listing and inserting saved replies: the company's shared ones and one's own.</summary>
    UseSavedReplies,
    /// <summary>Seeing who of the team has a support chat open now and who is typing a note there (never the customer).</summary>
    SeeViewers,
    /// <summary>Announcing that one has a support chat open (a person on the team; an API key has no person).</summary>
    AnnounceViewing,
    /// <summary>Keeping one's own personal saved replies (a person on the team; an API key has no person).</summary>
    KeepPersonalReplies,
    /// <summary>Creating, changing and deleting the company's shared saved replies.</summary>
    ManageSharedReplies,

    // Direct messages
    CreateDm,
    ReadDm,
    WriteDm,
    RenameOrDeleteDm,
    ManageDmMembers,
    LeaveDm,

    // Deleting someone else's message (one's own is always allowed where one may write)
    DeleteAnySupportMessage,
    DeleteAnyDmMessage,

    // Company settings
    ManageTeam,
    ManageApiKeys,
    IssueAccessTokens,
    SyncUsers,
    ReadAuditTrail,
    /// <summary>Which web origins may frame the company's chat and DMs-list elements.</summary>
    ManageEmbedding,
    /// <summary>The inbox's own settings: automatic assignment.</summary>
    ManageInboxSettings,
    /// <summary>The company's webhook endpoints and their delivery log.</summary>
    ManageWebhooks,
    /// <summary>The company's labels: creating, renaming, recolouring and deleting them.</summary>
    ManageLabels,
    /// <summary>The instance's metrics (<c>GET /metrics</c>, Prometheus' format): figures of every company on it, so the operator's keys only.</summary>
    ReadMetrics,
    /// <summary>The support report: response and resolution times, per day, agent and label.</summary>
    ReadReports,

    /// <summary>Uploading a file to attach to a message (where it may go is the message's own check).</summary>
    UploadFile,

    /// <summary>Reading and changing one's own notification preferences (a person's; an API key has none).</summary>
    KeepNotificationPreferences,
}

/// <summary>
/// How the caller stands towards the thing acted on. Computed by <see cref="InboxRights"/> from
/// the database; the table says which standings allow which action.
/// </summary>
[Flags]
public enum Standing
{
    None = 0,
    /// <summary>An admin of the company the resource belongs to.</summary>
    CompanyAdmin = 1 << 0,
    /// <summary>A moderator of that company.</summary>
    Moderator = 1 << 1,
    /// <summary>The support chat's own customer (or, when opening one, the customer it is for).</summary>
    Customer = 1 << 2,
    DmMember = 1 << 3,
    /// <summary>The DM's creator.</summary>
    DmAdmin = 1 << 4,
    /// <summary>The company's own backend, through one of its API keys.</summary>
    Integration = 1 << 5,
    /// <summary>Any signed-in person, for actions on nothing in particular (starting a DM).</summary>
    SignedIn = 1 << 6,
}

/// <summary>How the caller proved who they are; access tokens are further limited by their scopes.</summary>
public enum Credential
{
    /// <summary>The browser's sign-in cookie: a person using this app.</summary>
    Session,
    ApiKey,
    AccessToken,
}

/// <summary>The scopes an access token may carry: Whop's names, plus ours for the inbox workflow.</summary>
public static class Scopes
{
    public const string SupportChatRead = "support_chat:read";
    public const string SupportChatCreate = "support_chat:create";
    public const string SupportChatMessageCreate = "support_chat:message:create";
    /// <summary>Ours: resolve and reopen. Whop has no scope for it.</summary>
    public const string SupportChatManage = "support_chat:manage";
    public const string DmsRead = "dms:read";
    public const string DmsMessageManage = "dms:message:manage";
    public const string DmsChannelManage = "dms:channel:manage";
    public const string ChatRead = "chat:read";
    public const string ChatMessageCreate = "chat:message:create";
    /// <summary>Ours: the token's person's own notification preferences.</summary>
    public const string NotificationsManage = "notifications:manage";

    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        SupportChatRead, SupportChatCreate, SupportChatMessageCreate, SupportChatManage,
        DmsRead, DmsMessageManage, DmsChannelManage, ChatRead, ChatMessageCreate, NotificationsManage,
    };
}

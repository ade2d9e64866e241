using Whop.Inbox.Data;

namespace Whop.Inbox.Audit;

/// <summary>
/// Who did what to which chat, member or role, and when. Rows keep plain ids without foreign
/// keys on purpose: the trail must outlive the chats and people it mentions.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry() { }

    public AuditEntry(string? companyId, string? actorUserId, string? actorApiKeyId, string action,
        string? channelId, string? targetUserId, string? detail, DateTimeOffset at)
    {
        Id = PublicId.New(PublicId.AuditEntry);
        CompanyId = companyId;
        ActorUserId = actorUserId;
        ActorApiKeyId = actorApiKeyId;
        Action = action;
        ChannelId = channelId;
        TargetUserId = targetUserId;
        Detail = detail;
        CreatedAt = at;
    }

    public string Id { get; private set; } = "";
    public string? CompanyId { get; private set; }
    public string? ActorUserId { get; private set; }
    public string? ActorApiKeyId { get; private set; }

    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public string Action { get; private set; } = "";

    public string? ChannelId { get; private set; }
    public string? TargetUserId { get; private set; }

    /// <summary>A short human-readable note, e.g. the new role.</summary>
    public string? Detail { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}

public static class AuditActions
{
    public const string SupportChatResolved = "support_chat.resolved";
    public const string SupportChatReopened = "support_chat.reopened";
    public const string SupportChatAssigned = "support_chat.assigned";
    public const string SupportChatSnoozed = "support_chat.snoozed";
    /// <summary>Woken by hand ("Wake now"); waking by itself or by the customer's reply is no one's act and has no entry.</summary>
    public const string SupportChatWoken = "support_chat.woken";
    public const string SupportChatLabeled = "support_chat.labeled";
    public const string SupportChatPrioritized = "support_chat.prioritized";
    public const string LabelCreated = "label.created";
    public const string LabelChanged = "label.changed";
    public const string LabelDeleted = "label.deleted";
    public const string AutoAssignChanged = "company.auto_assign_changed";
    public const string BusinessHoursChanged = "company.business_hours_changed";
    public const string DmMemberAdded = "dm.member_added";
    public const string DmMemberRemoved = "dm.member_removed";
    public const string DmDeleted = "dm.deleted";
    public const string MessageDeleted = "message.deleted";
    public const string TeamMemberAdded = "team.member_added";
    public const string TeamRoleChanged = "team.role_changed";
    public const string TeamMemberRemoved = "team.member_removed";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string EmbedOriginsChanged = "company.embed_origins_changed";
    public const string WebhookCreated = "webhook.created";
    public const string WebhookChanged = "webhook.changed";
    public const string WebhookSecretRotated = "webhook.secret_rotated";
    public const string WebhookDeleted = "webhook.deleted";
    /// <summary>The company's shared saved replies (a personal one is its owner's alone and not audited).</summary>
    public const string SavedReplyCreated = "saved_reply.created";
    public const string SavedReplyChanged = "saved_reply.changed";
    public const string SavedReplyDeleted = "saved_reply.deleted";
    /// <summary>A company's app created a user through the API: the record that the user is that company's.</summary>
    public const string UserSynced = "user.synced";
}

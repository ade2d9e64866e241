namespace Whop.Inbox.Audit;

/// <summary>Each of <see cref="AuditActions"/> in words, in the order the trail's filter offers them.</summary>
public static class AuditActionNames
{
    public sealed record Choice(string Action, string Text);

    public static readonly IReadOnlyList<Choice> All =
    [
        new(AuditActions.TeamMemberAdded, "Added to the team"),
        new(AuditActions.TeamRoleChanged, "Changed a team role"),
        new(AuditActions.TeamMemberRemoved, "Removed from the team"),
        new(AuditActions.ApiKeyCreated, "Created an API key"),
        new(AuditActions.ApiKeyRevoked, "Revoked an API key"),
        new(AuditActions.EmbedOriginsChanged, "Changed the sites allowed to embed"),
        new(AuditActions.WebhookCreated, "Added a webhook endpoint"),
        new(AuditActions.WebhookChanged, "Changed a webhook endpoint"),
        new(AuditActions.WebhookSecretRotated, "Rotated a webhook secret"),
        new(AuditActions.WebhookDeleted, "Deleted a webhook endpoint"),
        new(AuditActions.SavedReplyCreated, "Added a shared saved reply"),
        new(AuditActions.SavedReplyChanged, "Changed a shared saved reply"),
        new(AuditActions.SavedReplyDeleted, "Deleted a shared saved reply"),
        new(AuditActions.UserSynced, "Added a user from the app"),
        new(AuditActions.SupportChatResolved, "Resolved a support chat"),
        new(AuditActions.SupportChatReopened, "Reopened a support chat"),
        new(AuditActions.SupportChatAssigned, "Assigned a support chat"),
        new(AuditActions.SupportChatSnoozed, "Snoozed a support chat"),
        new(AuditActions.SupportChatWoken, "Woke a snoozed support chat"),
        new(AuditActions.SupportChatLabeled, "Labelled a support chat"),
        new(AuditActions.SupportChatPrioritized, "Set a support chat's priority"),
        new(AuditActions.LabelCreated, "Created a label"),
        new(AuditActions.LabelChanged, "Renamed or recoloured a label"),
        new(AuditActions.LabelDeleted, "Deleted a label"),
        new(AuditActions.AutoAssignChanged, "Turned automatic assignment on or off"),
        new(AuditActions.BusinessHoursChanged, "Changed the business hours"),
        new(AuditActions.MessageDeleted, "Deleted a message"),
        new(AuditActions.DmMemberAdded, "Added someone to a DM"),
        new(AuditActions.DmMemberRemoved, "Removed someone from a DM"),
        new(AuditActions.DmDeleted, "Deleted a DM"),
    ];

    private static readonly Dictionary<string, string> Texts = All.ToDictionary(c => c.Action, c => c.Text);

    public static bool IsKnown(string action) => Texts.ContainsKey(action);

    /// <summary>The action in words; an action this version does not know is shown as recorded.</summary>
    public static string Describe(string action) => Texts.GetValueOrDefault(action, action);
}

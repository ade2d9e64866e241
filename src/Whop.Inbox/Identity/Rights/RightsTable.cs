using static Whop.Inbox.Identity.Rights.Standing;

namespace Whop.Inbox.Identity.Rights;

/// <summary>
/// Who may do what: the one table. An action is allowed when the caller's standing towards the
/// resource is one the action lists and, for access tokens, the token carries the action's scope.
/// Actions without a scope are never open to access tokens (they are for people and API keys).
/// </summary>
public static class RightsTable
{
    private const Standing Team = CompanyAdmin | Moderator | Integration;

    /// <param name="OrScope">A second scope that allows it as well (uploading: a token that writes support chats or DMs).</param>
    public sealed record Rule(Standing AllowedTo, string? Scope, string? OrScope = null);

    public static readonly IReadOnlyDictionary<InboxAction, Rule> Rules = new Dictionary<InboxAction, Rule>
    {
        [InboxAction.ListInbox] = new(Team, Scopes.SupportChatRead),
        [InboxAction.ReadSupportChat] = new(Team | Customer, Scopes.SupportChatRead),
        [InboxAction.ReplyAsCompany] = new(Team, Scopes.SupportChatMessageCreate),
        [InboxAction.ReplyAsCustomer] = new(Customer, Scopes.SupportChatMessageCreate),
        [InboxAction.ResolveSupportChat] = new(Team, Scopes.SupportChatManage),
        [InboxAction.ReopenSupportChat] = new(Team, Scopes.SupportChatManage),
        [InboxAction.OpenSupportChat] = new(Team | Customer, Scopes.SupportChatCreate),
        [InboxAction.AssignSupportChat] = new(Team, Scopes.SupportChatManage),
        [InboxAction.SnoozeSupportChat] = new(Team, Scopes.SupportChatManage),
        // Labels and priority are the team's way of sorting its work: a customer never sees nor sets them.
        [InboxAction.LabelSupportChat] = new(Team, Scopes.SupportChatManage),
        [InboxAction.PrioritizeSupportChat] = new(Team, Scopes.SupportChatManage),
        // Notes are the team's: a customer never reads or writes one, whatever their token carries.
        [InboxAction.ReadNotes] = new(Team, Scopes.SupportChatRead),
        [InboxAction.WriteNote] = new(Team, Scopes.SupportChatMessageCreate),
        // Who of the team is in a chat is the team's: a customer never sees who views, whatever their token carries.
        [InboxAction.SeeViewers] = new(Team, Scopes.SupportChatRead),
        [InboxAction.AnnounceViewing] = new(CompanyAdmin | Moderator, Scopes.SupportChatRead),
        // Saved replies are the team's; a customer's credential never reaches them, whatever it carries.
        [InboxAction.UseSavedReplies] = new(Team, Scopes.SupportChatRead),
        // An API key stands as an admin, but has no person to own a reply: the service keeps its replies shared.
        [InboxAction.KeepPersonalReplies] = new(CompanyAdmin | Moderator, Scopes.SupportChatMessageCreate),
        [InboxAction.ManageSharedReplies] = new(CompanyAdmin | Integration, Scopes.SupportChatManage),

        [InboxAction.CreateDm] = new(SignedIn | Integration, Scopes.DmsChannelManage),
        [InboxAction.ReadDm] = new(DmMember | Integration, Scopes.DmsRead),
        [InboxAction.WriteDm] = new(DmMember | Integration, Scopes.DmsMessageManage),
        [InboxAction.RenameOrDeleteDm] = new(DmAdmin | CompanyAdmin | Integration, Scopes.DmsChannelManage),
        [InboxAction.ManageDmMembers] = new(DmAdmin | CompanyAdmin | Integration, Scopes.DmsChannelManage),
        [InboxAction.LeaveDm] = new(DmMember, Scopes.DmsChannelManage),

        [InboxAction.DeleteAnySupportMessage] = new(Team, Scopes.SupportChatManage),
        [InboxAction.DeleteAnyDmMessage] = new(DmAdmin | CompanyAdmin | Integration, Scopes.DmsMessageManage),

        [InboxAction.ManageTeam] = new(CompanyAdmin | Integration, null),
        [InboxAction.ManageApiKeys] = new(CompanyAdmin | Integration, null),
        [InboxAction.IssueAccessTokens] = new(Integration, null),
        [InboxAction.SyncUsers] = new(CompanyAdmin | Integration, null),
        [InboxAction.ReadAuditTrail] = new(CompanyAdmin | Integration, null),
        [InboxAction.ManageEmbedding] = new(CompanyAdmin | Integration, null),
        [InboxAction.ManageInboxSettings] = new(CompanyAdmin | Integration, null),
        [InboxAction.ManageWebhooks] = new(CompanyAdmin | Integration, null),
        [InboxAction.ManageLabels] = new(CompanyAdmin | Integration, null),
        // Asked of the default company, the operator's: another company's key sees nothing of the instance.
        [InboxAction.ReadMetrics] = new(Integration, null),
        // How fast the team answers, agent by agent: the admins' view, not the team's own.
        [InboxAction.ReadReports] = new(CompanyAdmin | Integration, null),

        [InboxAction.UploadFile] = new(SignedIn | Integration, Scopes.SupportChatMessageCreate, Scopes.DmsMessageManage),
        // A person's own; an API key has no person (the service says so).
        [InboxAction.KeepNotificationPreferences] = new(SignedIn, Scopes.NotificationsManage),
    };

    public static bool Allows(InboxAction action, Standing standing, Credential credential, IReadOnlySet<string> scopes) =>
        (Rules[action].AllowedTo & standing) != 0 && ScopeAllows(action, credential, scopes);

    /// <summary>
    /// The scope half of the rule alone: people and API keys have no scopes to limit them; an access
    /// token may do the action only if it carries the action's scope. Standing is a separate question.
    /// </summary>
    public static bool ScopeAllows(InboxAction action, Credential credential, IReadOnlySet<string> scopes) =>
        credential != Credential.AccessToken || (Rules[action].Scope is { } scope && scopes.Contains(scope))
        || (Rules[action].OrScope is { } orScope && scopes.Contains(orScope));
}

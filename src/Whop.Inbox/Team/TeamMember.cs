using Whop.Inbox.Data;

namespace Whop.Inbox.Team;

public enum TeamRole
{
    /// <summary>Everything, including the team, API keys and other people's DM membership.</summary>
    Admin,
    /// <summary>Everything on support chats, nothing on company settings.</summary>
    Moderator,
}

/// <summary>A user's seat on a company's team. One per (company, user).</summary>
public sealed class TeamMember
{
    private TeamMember() { }

    public TeamMember(string companyId, string userId, TeamRole role, DateTimeOffset createdAt)
    {
        Id = PublicId.New(PublicId.TeamMember);
        CompanyId = companyId;
        UserId = userId;
        Role = role;
        CreatedAt = createdAt;
    }

    public string Id { get; private set; } = "";
    public string CompanyId { get; private set; } = "";
    public string UserId { get; private set; } = "";
    public TeamRole Role { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When automatic assignment last gave this member a chat: the round robin picks whoever waited longest.</summary>
    public DateTimeOffset? LastAutoAssignedAt { get; private set; }

    public void AutoAssigned(DateTimeOffset at) => LastAutoAssignedAt = at;

    public void ChangeRole(TeamRole role) => Role = role;
}

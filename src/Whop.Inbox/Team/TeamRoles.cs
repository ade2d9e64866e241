namespace Whop.Inbox.Team;

/// <summary>A team role as people read it, and the roles to choose from (the safer one first).</summary>
public static class TeamRoles
{
    public sealed record Choice(TeamRole Value, string Text);

    public static readonly IReadOnlyList<Choice> Choices =
    [
        new(TeamRole.Moderator, Label(TeamRole.Moderator)),
        new(TeamRole.Admin, Label(TeamRole.Admin)),
    ];

    public static string Label(TeamRole role) => role == TeamRole.Admin ? "Admin" : "Moderator";
}

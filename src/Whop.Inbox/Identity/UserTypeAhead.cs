using Microsoft.EntityFrameworkCore;

using Whop.Inbox.Data;

namespace Whop.Inbox.Identity;

/// <summary>
/// Every people type-ahead (add to team, the audit trail's actor, the inbox's customer filter, DM
/// pickers): people whose username, name or a later word of their name starts with what was typed,
/// case-insensitively. Each caller narrows <c>users</c> to whom it may offer first.
/// </summary>
public static class UserTypeAhead
{
    public const int MaxResults = 10;
    public const int MaxTextLength = 64;

    /// <summary>Company bots (the authors of API-key messages) are not people to pick.</summary>
    private const string IntegrationPrefix = "integration:";

    /// <summary>What was typed, cleaned for a search; null when there is nothing to search for.</summary>
    public static string? Clean(string? text)
    {
        text = text?.Trim().TrimStart('@').Trim();
        if (string.IsNullOrEmpty(text)) return null;
        return text.Length > MaxTextLength ? text[..MaxTextLength] : text;
    }

    /// <summary>
    /// Users matching <paramref name="text"/> (already <see cref="Clean"/>ed), by name, at most
    /// <see cref="MaxResults"/>: a case-insensitive LIKE with a fixed prefix and a LIMIT, so it stops at
    /// the tenth match.
    /// </summary>
    public static IQueryable<UserSummary> Matching(this IQueryable<User> users, DatabaseDialect dialect, string text, int limit = MaxResults)
    {
        var escaped = Escape(text);
        var prefix = escaped + "%";
        var laterWord = "% " + escaped + "%";
        return users
            .Where(u => u.ExternalId == null || !u.ExternalId.StartsWith(IntegrationPrefix))
            .Where(dialect.NameLike(prefix, laterWord))
            .OrderBy(u => u.Name).ThenBy(u => u.UserName)
            .Take(limit)
            .Select(u => new UserSummary(u.Id, u.Name, u.UserName!));
    }

    /// <summary>What is typed is matched literally: %, _ and \ lose their LIKE meaning.</summary>
    internal static string Escape(string text) =>
        text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}

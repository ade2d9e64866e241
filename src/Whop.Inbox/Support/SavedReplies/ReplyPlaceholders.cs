using System.Text.RegularExpressions;

namespace Whop.Inbox.Support.SavedReplies;

/// <summary>
/// Fills a saved reply's placeholders as it is inserted: <c>{customer.name}</c>, <c>{customer.username}</c>
/// (the chat's customer) and <c>{agent.name}</c> (the team member inserting it). In one pass, so a name that
/// itself reads like a placeholder is left as it is; a placeholder this version does not know stays as typed.
/// </summary>
public static partial class ReplyPlaceholders
{
    public const string CustomerName = "{customer.name}";
    public const string CustomerUsername = "{customer.username}";
    public const string AgentName = "{agent.name}";

    public static IReadOnlyList<string> All { get; } = [CustomerName, CustomerUsername, AgentName];

    /// <summary>What the placeholders stand for in one chat, for one agent.</summary>
    public sealed record Values(string CustomerName, string CustomerUsername, string AgentName);

    public static string Fill(string content, Values values) =>
        Known().Replace(content, match => match.Value switch
        {
            ReplyPlaceholders.CustomerName => values.CustomerName,
            ReplyPlaceholders.CustomerUsername => values.CustomerUsername,
            _ => values.AgentName,
        });

    [GeneratedRegex(@"\{(?:customer\.name|customer\.username|agent\.name)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Known();
}

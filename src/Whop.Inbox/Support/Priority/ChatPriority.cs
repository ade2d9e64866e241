using Whop.Inbox.Common;

namespace Whop.Inbox.Support.Priority;

/// <summary>
/// How urgent the team finds a support chat. The numbers are the sort order (stored as such, so the inbox
/// sorts urgent first with an index); the wire says the names in lower case.
/// </summary>
public enum ChatPriority
{
    None = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Urgent = 4,
}

public static class ChatPriorities
{
    /// <summary>Every priority, most urgent first: the order menus offer them.</summary>
    public static IReadOnlyList<ChatPriority> MostUrgentFirst { get; } = [.. Enum.GetValues<ChatPriority>().Reverse()];

    /// <summary>The wire's name: <c>none</c>, <c>low</c>, <c>medium</c>, <c>high</c>, <c>urgent</c>.</summary>
    public static string WireName(this ChatPriority priority) => priority.ToString().ToLowerInvariant();

    /// <summary>The priority in words for people ("Urgent", "No priority").</summary>
    public static string Describe(this ChatPriority priority) => priority == ChatPriority.None ? "No priority" : priority.ToString();

    /// <summary>A wire name as a priority, or a failure naming <paramref name="field"/>.</summary>
    public static Outcome<ChatPriority> Parse(string? value, string field = "priority") =>
        Enum.GetValues<ChatPriority>().FirstOrDefault(p => string.Equals(p.WireName(), value, StringComparison.Ordinal)) is var found
        && string.Equals(found.WireName(), value, StringComparison.Ordinal)
            ? found
            : Failure.Invalid(field, $"{field} must be one of: none, low, medium, high, urgent.");
}

using Whop.Inbox.Identity;

namespace Whop.Inbox.Common;

/// <summary>Shapes and small parsers every API file shares.</summary>
public static class ApiWire
{
    /// <summary>Whop's cursor page: <c>{data, page_info}</c>.</summary>
    public sealed record PageResponse<T>(IReadOnlyList<T> Data, PageInfo PageInfo);

    /// <summary>A whole list, unpaged: <c>{data}</c>.</summary>
    public sealed record ListResponse<T>(IReadOnlyList<T> Data);

    /// <summary>Ours: when the caller last read a conversation (support chat or DM).</summary>
    public sealed record MarkReadResponse(string ChannelId, DateTimeOffset LastViewedAt);

    /// <summary>Whop's <c>{id, name, username}</c>.</summary>
    public sealed record UserResponse(string Id, string? Name, string Username)
    {
        public static UserResponse From(UserSummary u) => new(u.Id, u.Name, u.Username);
    }

    public static PageResponse<TOut> ToResponse<TIn, TOut>(this Page<TIn> page, Func<TIn, TOut> map) =>
        new(page.Items.Select(map).ToList(), page.PageInfo);

    /// <summary>Reads an enum-like query value from its wire names, or says which names are allowed.</summary>
    public static Outcome<T?> ParseChoice<T>(string? value, string field, params (string Name, T Value)[] choices) where T : struct
    {
        if (value is null) return new Outcome<T?>(null, null);
        foreach (var (name, choice) in choices)
        {
            if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase)) return new Outcome<T?>(choice, null);
        }
        return Failure.Invalid(field, $"{field} must be one of: {string.Join(", ", choices.Select(c => c.Name))}.");
    }
}

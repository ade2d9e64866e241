using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;

namespace Whop.Inbox.Notifications.Components;

/// <summary>Which conversation the page shows, from its address: the inbox's <c>?chat=</c>, or <c>/messages/{id}</c>.</summary>
public static class OnScreen
{
    public static string? ChannelIn(NavigationManager navigation) => ChannelIn(navigation.ToBaseRelativePath(navigation.Uri));

    public static string? ChannelIn(string relative)
    {
        relative = relative.Split('#')[0];
        var (path, query) = relative.IndexOf('?') is var q and >= 0 ? (relative[..q], relative[q..]) : (relative, "");
        if (path.TrimEnd('/') == "inbox") return QueryHelpers.ParseQuery(query).TryGetValue("chat", out var chat) ? chat.ToString() : null;
        return path.StartsWith("messages/", StringComparison.Ordinal) ? path["messages/".Length..].Split('/')[0] : null;
    }
}

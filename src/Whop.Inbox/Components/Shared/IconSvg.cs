using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Whop.Inbox.Components.Shared;

/// <summary>
/// One of MudBlazor's <c>Icons.Material</c> SVGs as the markup MudIcon draws, for plain buttons and
/// links styled with MudBlazor's classes: the same look without a component (and its render tree) in
/// every circuit. Each icon's markup is built once and shared.
/// </summary>
public static class IconSvg
{
    private static readonly ConcurrentDictionary<(string Icon, Size Size, string? Class), MarkupString> Markup = new();

    /// <param name="cssClass">More classes for the SVG (a constant: each distinct one is kept).</param>
    public static MarkupString Of(string icon, Size size = Size.Medium, string? cssClass = null) =>
        Markup.GetOrAdd((icon, size, cssClass), key => new MarkupString(
            $"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-{key.Size.ToString().ToLowerInvariant()}{(key.Class is null ? "" : " " + key.Class)}\" " +
            $"focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\">{key.Icon}</svg>"));
}

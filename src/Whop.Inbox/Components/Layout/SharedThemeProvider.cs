using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace Whop.Inbox.Components.Layout;

/// <summary>
/// MudBlazor's theme provider, drawing the same markup, with one difference: its stylesheet (about
/// 12,000 characters of CSS variables) is one shared string per theme and mode. MudThemeProvider builds
/// it afresh on each render and each circuit's render tree keeps its own copy (23 KB a circuit); here
/// the copy just built is dropped for the shared one with the same text.
/// </summary>
public sealed class SharedThemeProvider : MudThemeProvider
{
    // Kept as MudThemeProvider draws it: the charts' hover filter.
    private const string ChartStyle = """
        <style>
            .mud-chart-serie:hover { filter: url(#lighten); }
            .mud-chart-serie-hovered { filter: url(#lighten); }
        </style>
        """;

    // A handful at most: one per theme and mode the app draws.
    private static readonly ConcurrentDictionary<string, string> Stylesheets = new(StringComparer.Ordinal);
    private static string? s_scrollbar;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (!DefaultScrollbar) builder.AddMarkupContent(0, s_scrollbar ??= BuildMudBlazorScrollbar());
        builder.AddMarkupContent(1, ChartStyle);
        builder.AddMarkupContent(2, Stylesheets.GetOrAdd(BuildTheme(), css => css));
    }
}

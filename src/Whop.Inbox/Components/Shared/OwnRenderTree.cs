using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Whop.Inbox.Components.Shared;

/// <summary>
/// Draws its content in a render tree of its own, and nothing else: its parent redraws it as before. A circuit keeps
/// each component's tree in a buffer that only grows, by doubling; a page that draws a list's rows inline pays for the
/// rows and the rest of the page in one buffer, and past a power of two it doubles for both. Apart, each rounds up alone.
/// </summary>
public sealed class OwnRenderTree : ComponentBase
{
    [Parameter, EditorRequired] public RenderFragment ChildContent { get; set; } = null!;

    protected override void BuildRenderTree(RenderTreeBuilder builder) => builder.AddContent(0, ChildContent);
}

using MudBlazor;

namespace Whop.Inbox.Components.Layout;

/// <summary>
/// The app's one theme: the company's blue on white, and a dark palette with the same blue lightened
/// enough to keep WCAG AA contrast on dark surfaces.
/// </summary>
public static class InboxTheme
{
    public const string Accent = "#3b5bdb";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = Accent,
            PrimaryDarken = "#2f4ac0",
            Secondary = "#5f6368",
            AppbarBackground = Accent,
            AppbarText = "#ffffff",
            Background = "#ffffff",
            BackgroundGray = "#f4f6fb",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            TextPrimary = "#202124",
            TextSecondary = "#5f6368",
            Success = "#1d7a3c",
            Error = "#b3261e",
            Warning = "#8a5300",
            Info = "#0b5fa5",
            LinesDefault = "#e3e5e8",
            TableLines = "#e3e5e8",
            Divider = "#e3e5e8",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8ea2ff",
            PrimaryContrastText = "#0f1530",
            Secondary = "#b5bac1",
            AppbarBackground = "#1c1f2b",
            AppbarText = "#e8eaf0",
            Background = "#15171e",
            BackgroundGray = "#1c1f26",
            Surface = "#1e2129",
            DrawerBackground = "#1a1d25",
            DrawerText = "#e3e5ea",
            TextPrimary = "#e8eaf0",
            TextSecondary = "#b5bac1",
            Success = "#5fd08a",
            SuccessContrastText = "#0b2a16",
            Error = "#ff8a80",
            ErrorContrastText = "#3b0a06",
            Warning = "#ffc66d",
            Info = "#79c0ff",
            LinesDefault = "#343844",
            TableLines = "#343844",
            Divider = "#343844",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "220px", AppbarHeight = "56px" },
    };
}

using MudBlazor;

namespace Whop.Inbox.Components.Shared;

public static class Confirmations
{
    /// <summary>
    /// A yes-or-cancel question in MudBlazor's message box. The focus lands on the yes button, so the
    /// keyboard confirms with Enter and backs out with Escape.
    /// </summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string question, string yes) =>
        await dialogs.ShowMessageBoxAsync(title, question, yesText: yes, cancelText: "Cancel",
            options: new DialogOptions { CloseOnEscapeKey = true, DefaultFocus = DefaultFocus.LastChild, MaxWidth = MaxWidth.ExtraSmall }) == true;
}

// What the profile page needs from the browser: whether desktop notifications are allowed, the person's
// time zone, and asking for the permission from their own click (browsers refuse to ask otherwise).

export function facts() {
    return {
        permission: 'Notification' in window ? Notification.permission : 'unsupported',
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || null,
    };
}

export function askOnClick(button, page) {
    const ask = async () => {
        if (!('Notification' in window)) return;
        const answer = await Notification.requestPermission();
        await page.invokeMethodAsync('PermissionChanged', answer);
    };
    button?.addEventListener('click', ask);
    return { dispose: () => button?.removeEventListener('click', ask) };
}

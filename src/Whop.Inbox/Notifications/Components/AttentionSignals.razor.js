// The tab's signals for the signed-in person: the unread count in the title and over the favicon, and the
// alerts the server picked for them (a desktop notification and a short chime, as their preferences say).
// What was decided for the last alert is left on <html data-last-alert> and in the console.

export function start() {
    const head = document.head;
    // Our own <title>, first in <head>: the browser shows the first one, and the page's own (the framework's)
    // stays untouched behind it, so its changes keep arriving and are mirrored here with the count.
    const title = document.createElement('title');
    title.setAttribute('data-unread-title', '');
    head.insertBefore(title, head.firstChild);
    const icon = document.querySelector('link[rel~="icon"]');
    const original = icon ? { href: icon.getAttribute('href'), type: icon.getAttribute('type') } : null;
    let count = 0;
    let drawing = 0;
    let audio = null;

    const pageTitle = () => {
        const titles = [...head.querySelectorAll('title')].filter(t => t !== title);
        return titles.length ? titles[titles.length - 1].textContent : '';
    };
    const label = n => (n > 99 ? '99+' : String(n));
    const renderTitle = () => {
        const text = count > 0 ? `(${label(count)}) ${pageTitle()}` : pageTitle();
        if (title.textContent !== text) title.textContent = text;
    };
    const observer = new MutationObserver(renderTitle);
    observer.observe(head, { subtree: true, childList: true, characterData: true });
    renderTitle();

    async function drawIcon() {
        if (!icon || !original) return;
        const mine = ++drawing;
        if (count <= 0) {
            icon.setAttribute('href', original.href);
            if (original.type) icon.setAttribute('type', original.type);
            icon.removeAttribute('data-badge');
            return;
        }
        const image = new Image();
        image.src = original.href;
        try {
            await image.decode();
        } catch {
            // Not drawable here: the title still carries the count.
        }
        if (mine !== drawing) return;
        const size = 64;
        const canvas = document.createElement('canvas');
        canvas.width = size;
        canvas.height = size;
        const ctx = canvas.getContext('2d');
        if (!ctx) return;
        if (image.complete && image.naturalWidth !== 0) ctx.drawImage(image, 0, 0, size, size);
        const text = label(count);
        const radius = text.length > 2 ? 26 : 22;
        ctx.fillStyle = '#e03131';
        ctx.beginPath();
        ctx.arc(size - radius, radius, radius, 0, 2 * Math.PI);
        ctx.fill();
        ctx.fillStyle = '#fff';
        ctx.font = `bold ${text.length > 2 ? 22 : text.length > 1 ? 28 : 34}px sans-serif`;
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.fillText(text, size - radius, radius + 2);
        icon.setAttribute('type', 'image/png');
        icon.setAttribute('href', canvas.toDataURL('image/png'));
        icon.setAttribute('data-badge', text);
    }

    // Browsers let a page make sound only after the person interacted with it: the first click or key opens it.
    const unlock = () => {
        try {
            audio ??= new AudioContext();
            if (audio.state === 'suspended') audio.resume();
        } catch {
            audio = null;
        }
    };
    document.addEventListener('pointerdown', unlock, true);
    document.addEventListener('keydown', unlock, true);

    // A short two-note chime, made here (no sound file).
    function chime() {
        if (!audio || audio.state !== 'running') return false;
        const now = audio.currentTime;
        for (const [frequency, at] of [[880, 0], [1318.5, 0.13]]) {
            const tone = audio.createOscillator();
            const gain = audio.createGain();
            tone.type = 'sine';
            tone.frequency.value = frequency;
            gain.gain.setValueAtTime(0.0001, now + at);
            gain.gain.exponentialRampToValueAtTime(0.18, now + at + 0.02);
            gain.gain.exponentialRampToValueAtTime(0.0001, now + at + 0.28);
            tone.connect(gain).connect(audio.destination);
            tone.start(now + at);
            tone.stop(now + at + 0.3);
        }
        return true;
    }

    function popUp(signal) {
        if (!('Notification' in window)) return 'desktop-unsupported';
        if (Notification.permission !== 'granted') return 'desktop-not-allowed';
        try {
            const note = new Notification(signal.title, { body: signal.body, tag: signal.channelId, icon: original?.href });
            note.onclick = () => {
                window.focus();
                note.close();
                if (window.Blazor?.navigateTo) window.Blazor.navigateTo(signal.url);
                else window.location.assign(signal.url);
            };
            return 'desktop';
        } catch {
            return 'desktop-failed';
        }
    }

    function record(decision, signal) {
        document.documentElement.setAttribute('data-last-alert', `${decision} ${signal.kind} ${signal.channelId}`);
        console.info(`notification: ${decision} (${signal.kind}, ${signal.channelId})`);
    }

    return {
        setCount(n) {
            count = n;
            renderTitle();
            drawIcon();
        },
        alert(signal) {
            if (signal.openHere && document.hasFocus()) return record('on-screen', signal);
            if (signal.quiet) return record('quiet', signal);
            const done = [];
            if (signal.desktop) done.push(popUp(signal));
            if (signal.sound) done.push(chime() ? 'sound' : 'sound-blocked');
            record(done.length ? done.join('+') : 'off', signal);
        },
        dispose() {
            observer.disconnect();
            title.remove();
            document.removeEventListener('pointerdown', unlock, true);
            document.removeEventListener('keydown', unlock, true);
            count = 0;
            drawIcon();
            audio?.close();
        },
    };
}

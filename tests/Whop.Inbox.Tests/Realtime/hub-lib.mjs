// Shared by the hub scripts next to this file: ASP.NET Core's official JavaScript SignalR client
// (@microsoft/signalr, pinned in ../Conformance/package.json and installed by `ensure_sdk`), a small
// REST helper, and checks that print one JSON line each. Exit status: 0 all passed, 1 a check failed,
// 2 bad set-up.

import path from 'node:path';
import { createRequire } from 'node:module';

export const SIGNALR_VERSION = '10.0.11';

export function setupError(message) {
    console.error(`hub test: ${message}`);
    console.error('Needs INBOX_NODE_MODULES (from `source .ci/lib/node.sh && ensure_sdk`) and the variables the script names.');
    process.exit(2);
}

export function env(name) {
    const value = process.env[name];
    if (!value || !value.trim()) setupError(`${name} is not set.`);
    return value.trim();
}

// The CommonJS build: under Node it brings its own WebSocket (ws) and fetch with cookies.
const require = createRequire(path.join(path.resolve(env('INBOX_NODE_MODULES')), 'noop.js'));
let signalR;
try {
    signalR = require('@microsoft/signalr');
    const version = require('@microsoft/signalr/package.json').version;
    if (version !== SIGNALR_VERSION) setupError(`@microsoft/signalr is ${version}, expected exactly ${SIGNALR_VERSION}. Run: source .ci/lib/node.sh && ensure_sdk`);
} catch (e) {
    setupError(`@microsoft/signalr is not installed (${e.message}). Run: source .ci/lib/node.sh && ensure_sdk`);
}
export { signalR };

// ---------------------------------------------------------------------------------------------
// Reporting

const failures = [];
let passed = 0;
const started = Date.now();

export function check(name, ok, details = {}) {
    if (ok) passed++;
    else failures.push({ check: name, ...details });
    process.stdout.write(JSON.stringify({ ok: !!ok, check: name, ...(ok ? {} : details) }) + '\n');
    return !!ok;
}

/** A check that later steps depend on: stops the script when it fails. */
export function must(name, ok, details = {}) {
    if (!check(name, ok, details)) finish();
}

export function finish() {
    process.stdout.write(JSON.stringify({ summary: { passed, failed: failures.length, seconds: (Date.now() - started) / 1000 } }) + '\n');
    process.exit(failures.length === 0 ? 0 : 1);
}

export async function main(body) {
    try {
        await body();
    } catch (e) {
        check('the script ran to the end', false, { error: String(e?.stack ?? e) });
    }
    finish();
}

// ---------------------------------------------------------------------------------------------
// The hub

/**
 * A connection to /hubs/chat that records every `event` it receives with the subscription it
 * came on. `credential` is a bearer credential (API key or access token, sent as the SDKs do) or
 * `{ cookie }` for a browser's sign-in cookie.
 */
export async function connect(baseUrl, credential, { transport = signalR.HttpTransportType.WebSockets } = {}) {
    const options = { transport };
    if (typeof credential === 'string') options.accessTokenFactory = () => credential;
    else if (credential?.cookie) options.headers = { Cookie: credential.cookie };
    const connection = new signalR.HubConnectionBuilder()
        .withUrl(`${baseUrl}/hubs/chat`, options)
        .configureLogging(signalR.LogLevel.Warning)
        .build();
    const received = [];
    const waiters = new Set();
    connection.on('event', (event, subscription) => {
        received.push({ event, subscription });
        for (const waiter of [...waiters]) waiter();
    });
    await connection.start();

    /** Waits until `predicate(received)` is true, or fails after `ms`. */
    function until(predicate, ms = 10_000) {
        return new Promise(resolve => {
            let timer;
            const test = () => {
                if (!predicate(received)) return;
                waiters.delete(test);
                clearTimeout(timer);
                resolve(true);
            };
            timer = setTimeout(() => { waiters.delete(test); resolve(false); }, ms);
            waiters.add(test);
            test();
        });
    }

    return { connection, received, until, invoke: (method, ...args) => connection.invoke(method, ...args), stop: () => connection.stop() };
}

/** The error a hub method refused with, or null when it succeeded. */
export async function refusal(call) {
    try {
        await call();
        return null;
    } catch (e) {
        return String(e?.message ?? e);
    }
}

export const events = (received, type, subscription) =>
    received.filter(r => (!type || r.event.type === type) && (!subscription || r.subscription === subscription)).map(r => r.event);

// ---------------------------------------------------------------------------------------------
// REST

export async function rest(baseUrl, credential, method, path, body) {
    let response;
    for (let attempt = 0; ; attempt++) {
        response = await fetch(`${baseUrl}/api/v1${path}`, {
            method,
            headers: { Authorization: `Bearer ${credential}`, 'Content-Type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        // The per-credential rate limit: wait as told, as an SDK would.
        if (response.status !== 429 || attempt >= 20) break;
        await sleep(1000 * Number(response.headers.get('retry-after') ?? 1));
    }
    const text = await response.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    if (!response.ok) throw new Error(`${method} ${path} -> ${response.status}: ${text.slice(0, 300)}`);
    return json;
}

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

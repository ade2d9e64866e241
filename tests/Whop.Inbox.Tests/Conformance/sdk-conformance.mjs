// Drives the inbox's /api/v1 with Whop's own TypeScript client, @whop/sdk (pinned in ./package.json),
// to prove the API is wire-compatible with it: every call goes through the SDK (only our own
// endpoints, which the SDK has no method for, use plain fetch), every object the SDK returns is
// checked against the fields the SDK's TypeScript types declare, and auto-pagination must walk
// every page exactly once.
//
//   BASE_URL=http://127.0.0.1:5066/api/v1 API_KEY=<company admin API key> COMPANY_ID=biz_... \
//   INBOX_NODE_MODULES=$PWD/.tools/node/node_modules node tests/Whop.Inbox.Tests/Conformance/sdk-conformance.mjs
//
// INBOX_NODE_MODULES comes from `source .ci/lib/node.sh && ensure_sdk`. Prints one JSON line per
// check and a summary line last. Exit status: 0 all passed, 1 a check failed, 2 bad set-up.
// The run creates its own users, chats and DMs with unique names, so it can run against a
// database that already holds data (the demo data, an earlier run).

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SDK_VERSION = '0.0.42';
const started = Date.now();

// ---------------------------------------------------------------------------------------------
// Set-up: environment and the SDK

function setupError(message) {
    console.error(`sdk-conformance: ${message}`);
    console.error('Needs BASE_URL (e.g. http://127.0.0.1:5066/api/v1), API_KEY (a company admin API key), COMPANY_ID (biz_...) '
        + 'and INBOX_NODE_MODULES (from `source .ci/lib/node.sh && ensure_sdk`).');
    process.exit(2);
}

function requiredEnv(name) {
    const value = process.env[name];
    if (!value || !value.trim()) setupError(`${name} is not set.`);
    return value.trim();
}

const BASE_URL = requiredEnv('BASE_URL').replace(/\/+$/, '');
const API_KEY = requiredEnv('API_KEY');
const COMPANY_ID = requiredEnv('COMPANY_ID');
const NODE_MODULES = path.resolve(requiredEnv('INBOX_NODE_MODULES'));

const SDK_DIR = path.join(NODE_MODULES, '@whop', 'sdk');
let sdkPackage;
try {
    sdkPackage = JSON.parse(fs.readFileSync(path.join(SDK_DIR, 'package.json'), 'utf8'));
} catch (e) {
    setupError(`@whop/sdk is not installed in ${NODE_MODULES} (${e.message}). Run: source .ci/lib/node.sh && ensure_sdk`);
}
if (sdkPackage.version !== SDK_VERSION) {
    setupError(`${SDK_DIR} is @whop/sdk ${sdkPackage.version}, expected exactly ${SDK_VERSION}. Run: source .ci/lib/node.sh && ensure_sdk`);
}
const sdkModule = await import(pathToFileURL(path.join(SDK_DIR, 'index.mjs')).href);
const Whop = sdkModule.Whop ?? sdkModule.default;
const { APIError } = sdkModule;

// Every request any client makes, for the request counts and for context when a check fails.
const trace = [];
async function tracedFetch(url, init = {}) {
    const method = (init.method ?? 'GET').toUpperCase();
    const shortUrl = String(url).startsWith(BASE_URL) ? String(url).slice(BASE_URL.length) : String(url);
    const entry = { method, url: shortUrl, status: null };
    trace.push(entry);
    const response = await fetch(url, init);
    entry.status = response.status;
    return response;
}

function newClient(apiKey) {
    // Only transport options: the client itself is used exactly as an embedding app would.
    return new Whop({ apiKey, baseURL: BASE_URL, fetch: tracedFetch, maxRetries: 3, timeout: 30_000 });
}

const backend = newClient(API_KEY);

// ---------------------------------------------------------------------------------------------
// Reporting

let passed = 0;
const failures = [];
let currentSection = '';

function report(line) {
    process.stdout.write(JSON.stringify(line) + '\n');
}

function pass(name) {
    passed++;
    report({ ok: true, check: `${currentSection}: ${name}` });
}

function fail(name, details) {
    const entry = {
        ok: false,
        check: `${currentSection}: ${name}`,
        ...details,
        recent_requests: trace.slice(-6).map(t => `${t.method} ${t.url} -> ${t.status ?? 'no response'}`),
    };
    failures.push(entry);
    report(entry);
}

/** Records a check; returns whether it passed. */
function check(name, ok, details = {}) {
    if (ok) pass(name);
    else fail(name, details);
    return ok;
}

function equal(name, call, got, expected) {
    return check(name, deepEqual(got, expected), { call, expected, got });
}

/** Like check, but stops the section: later steps depend on this one. */
function must(name, ok, details = {}) {
    if (!check(name, ok, details)) throw new SectionStopped(name);
}

class SectionStopped extends Error {}

/** Structural equality; object key order does not matter. */
function deepEqual(a, b) {
    const canonical = v => Array.isArray(v) ? v.map(canonical)
        : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map(k => [k, canonical(v[k])])) : v;
    return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function describeError(e) {
    if (APIError && e instanceof APIError) {
        return { error: e.constructor.name, status: e.status ?? null, body: e.error ?? null, message: e.message };
    }
    return { error: e?.constructor?.name ?? 'Error', message: e?.message ?? String(e) };
}

/** Runs one SDK (or fetch) call; a thrown error is reported with the call that threw it. */
async function call(description, fn) {
    try {
        return await fn();
    } catch (e) {
        if (e instanceof SectionStopped) throw e;
        e.call = e.call ?? description;
        throw e;
    }
}

/** Runs a call that must fail with the given HTTP status (an SDK APIError with a readable error object). */
async function expectApiError(name, description, expectedStatuses, fn) {
    const statuses = [].concat(expectedStatuses);
    try {
        const value = await fn();
        fail(name, { call: description, expected: `an error with status ${statuses.join(' or ')}`, got: value });
        return null;
    } catch (e) {
        if (e instanceof SectionStopped) throw e;
        const ok = APIError && e instanceof APIError && statuses.includes(e.status)
            && typeof e.error?.error?.message === 'string' && e.error.error.message.length > 0;
        check(name, ok, {
            call: description,
            expected: `APIError with status ${statuses.join(' or ')} and a body with error.message`,
            got: describeError(e),
        });
        return e;
    }
}

async function section(name, fn) {
    currentSection = name;
    try {
        await fn();
    } catch (e) {
        if (!(e instanceof SectionStopped)) {
            fail('stopped by an unexpected error', { call: e.call ?? '(not inside a named call)', ...describeError(e), stack: e?.stack?.split('\n').slice(0, 4) });
        } else {
            report({ ok: false, check: `${name}: rest of the section skipped`, reason: `"${e.message}" failed and later steps need it` });
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Shapes: what the SDK's .d.ts files declare, as small schemas. Extra fields (ours) are allowed,
// because the SDK passes them through untouched. Each object schema names the interface it was
// written from, and checkSchemasAgainstSdkTypes() compares it with the installed .d.ts.

const T = {
    string: { kind: 'string' },
    number: { kind: 'number' },
    boolean: { kind: 'boolean' },
    timestamp: { kind: 'timestamp' },
    id: prefix => ({ kind: 'id', prefix }),
    oneOf: (...values) => ({ kind: 'enum', values }),
    nullable: type => ({ ...type, nullable: true }),
    array: items => ({ kind: 'array', items }),
    object: (dts, fields) => ({ kind: 'object', dts, fields }),
};

const userRef = dts => T.object(dts, { id: T.id('user_'), name: T.nullable(T.string), username: T.string });

const supportChannelShape = (file, name) => T.object(`${file}:${name}`, {
    id: T.id('feed_'),
    company_id: T.nullable(T.id('biz_')),
    custom_name: T.nullable(T.string),
    customer_user: T.nullable(userRef(`${file}:${name}.CustomerUser`)),
    last_message_at: T.nullable(T.timestamp),
    resolved_at: T.nullable(T.timestamp),
});

const dmChannelShape = name => T.object(`dm-channels:${name}`, {
    id: T.id('feed_'),
    created_at: T.timestamp,
    last_message_at: T.nullable(T.timestamp),
    name: T.nullable(T.string),
});

const memberStatus = T.oneOf('requested', 'accepted', 'hidden', 'closed', 'archived');
const notificationPreference = T.oneOf('all', 'mentions', 'none');

const messageShape = (file, name) => T.object(`${file}:${name}`, {
    id: T.id('post_'),
    content: T.nullable(T.string),
    created_at: T.timestamp,
    is_edited: T.boolean,
    is_pinned: T.boolean,
    mentions: T.array(T.string),
    mentions_everyone: T.boolean,
    message_type: T.oneOf('regular', 'system', 'automated'),
    poll: T.nullable(T.object(`${file}:${name}.Poll`, {
        options: T.nullable(T.array(T.object(`${file}:${name}.Poll.Option`, { id: T.string, text: T.string }))),
    })),
    poll_votes: T.array(T.object(`${file}:${name}.PollVote`, { count: T.number, option_id: T.nullable(T.string) })),
    reaction_counts: T.array(T.object(`${file}:${name}.ReactionCount`, { count: T.number, emoji: T.nullable(T.string) })),
    replying_to_message_id: T.nullable(T.id('post_')),
    updated_at: T.timestamp,
    user: userRef(`${file}:${name}.User`),
    view_count: T.nullable(T.number),
});

const reactionShape = (file, name) => T.object(`${file}:${name}`, {
    id: T.string,
    emoji: T.nullable(T.string),
    resource_id: T.id('post_'),
    user: userRef(`${file}:${name}.User`),
});

const Shapes = {
    SupportChannel: supportChannelShape('shared', 'SupportChannel'),
    SupportChannelListResponse: supportChannelShape('support-channels', 'SupportChannelListResponse'),
    DmChannel: dmChannelShape('DmChannel'),
    DmChannelListResponse: dmChannelShape('DmChannelListResponse'),
    DmMember: T.object('dm-members:DmMember', {
        id: T.string,
        channel_id: T.id('feed_'),
        // The SDK's doc comment says "a Unix timestamp in milliseconds" but types it string; the
        // contract says timestamps are ISO-8601, so only the declared type is checked here.
        last_viewed_at: T.nullable(T.string),
        notification_preference: notificationPreference,
        status: memberStatus,
        user_id: T.id('user_'),
    }),
    DmMemberListResponse: T.object('dm-members:DmMemberListResponse', {
        id: T.string,
        channel_id: T.id('feed_'),
        last_viewed_at: T.nullable(T.string),
        status: memberStatus,
        user_id: T.id('user_'),
    }),
    Message: messageShape('shared', 'Message'),
    MessageListResponse: messageShape('messages', 'MessageListResponse'),
    Reaction: reactionShape('shared', 'Reaction'),
    ReactionListResponse: reactionShape('reactions', 'ReactionListResponse'),
    AccessTokenCreateResponse: T.object('access-tokens:AccessTokenCreateResponse', { token: T.string, expires_at: T.timestamp }),
};

// ISO-8601 with a UTC offset (Z or +00:00), as the contract says timestamps are.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$/;

function describeType(type) {
    const base = type.kind === 'id' ? `string starting ${type.prefix}`
        : type.kind === 'enum' ? type.values.map(v => `'${v}'`).join(' | ')
            : type.kind === 'array' ? `array of ${describeType(type.items)}`
                : type.kind === 'object' ? `object ${type.dts}`
                    : type.kind === 'timestamp' ? 'ISO-8601 UTC string' : type.kind;
    return type.nullable ? `${base} | null` : base;
}

function validate(value, type, at, errors) {
    const wrong = () => errors.push(`${at}: expected ${describeType(type)}, got ${JSON.stringify(value)?.slice(0, 120)}`);
    if (value === null) {
        if (!type.nullable) wrong();
        return errors;
    }
    switch (type.kind) {
        case 'string': if (typeof value !== 'string') wrong(); break;
        case 'number': if (typeof value !== 'number' || !Number.isFinite(value)) wrong(); break;
        case 'boolean': if (typeof value !== 'boolean') wrong(); break;
        case 'timestamp': if (typeof value !== 'string' || !ISO_UTC.test(value) || Number.isNaN(Date.parse(value))) wrong(); break;
        case 'id': if (typeof value !== 'string' || !value.startsWith(type.prefix) || value.length <= type.prefix.length) wrong(); break;
        case 'enum': if (!type.values.includes(value)) wrong(); break;
        case 'array':
            if (!Array.isArray(value)) wrong();
            else value.forEach((item, i) => validate(item, type.items, `${at}[${i}]`, errors));
            break;
        case 'object':
            if (typeof value !== 'object' || Array.isArray(value)) {
                wrong();
                break;
            }
            for (const [field, fieldType] of Object.entries(type.fields)) {
                if (!(field in value) || value[field] === undefined) errors.push(`${at}.${field}: missing (expected ${describeType(fieldType)})`);
                else validate(value[field], fieldType, `${at}.${field}`, errors);
            }
            break;
        default: throw new Error(`unknown schema kind ${type.kind}`);
    }
    return errors;
}

/** Checks one object (or every item of a list) against a shape, as one check. */
function shape(name, description, value, type) {
    const values = Array.isArray(value) ? value : [value];
    const errors = [];
    values.forEach((v, i) => validate(v, type, Array.isArray(value) ? `[${i}]` : '$', errors));
    return check(`${name} matches ${type.dts.split(':')[1]}${Array.isArray(value) ? ` (${values.length} items)` : ''}`,
        errors.length === 0, { call: description, expected: type.dts, got: errors.slice(0, 10), sample: values[0] });
}

// The schemas above are hand-written from the .d.ts files; this compares them with the installed
// ones, so a wrong or missing field in a schema (or a different SDK) cannot go unnoticed.
function sdkTypes(file) {
    const text = fs.readFileSync(path.join(SDK_DIR, 'resources', `${file}.d.ts`), 'utf8');
    return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

function braceBlock(text, header) {
    const match = header.exec(text);
    if (!match) return null;
    let depth = 1;
    let i = match.index + match[0].length;
    const start = i;
    for (; i < text.length && depth > 0; i++) {
        if (text[i] === '{') depth++;
        else if (text[i] === '}') depth--;
    }
    return text.slice(start, i - 1);
}

function interfaceFields(file, dotted) {
    const parts = dotted.split('.');
    let text = sdkTypes(file);
    for (const [i, part] of parts.slice(0, -1).entries()) {
        text = braceBlock(text, i === 0 ? new RegExp(`^export declare namespace ${part} \\{`, 'm') : new RegExp(`\\bnamespace ${part} \\{`));
        if (text === null) return null;
    }
    const last = parts.at(-1);
    const body = braceBlock(text, parts.length === 1 ? new RegExp(`^export interface ${last} \\{`, 'm') : new RegExp(`\\binterface ${last} \\{`));
    if (body === null) return null;
    const fields = new Map();
    for (const m of body.matchAll(/^\s*(\w+)(\?)?:\s*([^;]+);/gm)) {
        const alternatives = m[3].split('|').map(s => s.trim());
        fields.set(m[1], { optional: !!m[2], nullable: alternatives.includes('null'), base: alternatives.filter(a => a !== 'null').join(' | ') });
    }
    return fields;
}

function aliasValues(file, name) {
    for (const f of [file, 'shared']) {
        const m = new RegExp(`^export type ${name.replace(/^Shared\./, '')} = ([^;]+);`, 'm').exec(sdkTypes(f));
        if (m) return m[1].split('|').map(s => s.trim().replace(/^'|'$/g, ''));
    }
    return null;
}

function compareWithSdk(type, problems, seen) {
    if (type.kind === 'array') return compareWithSdk(type.items, problems, seen);
    if (type.kind !== 'object' || seen.has(type.dts)) return;
    seen.add(type.dts);
    const [file, dotted] = type.dts.split(':');
    const declared = interfaceFields(file, dotted);
    if (!declared) {
        problems.push(`${type.dts}: interface not found in resources/${file}.d.ts`);
        return;
    }
    for (const [field, d] of declared) {
        const mine = type.fields[field];
        if (!mine) {
            problems.push(`${type.dts}.${field}: declared by the SDK, missing from the schema`);
            continue;
        }
        if (d.optional) problems.push(`${type.dts}.${field}: optional in the SDK; the schema treats it as required`);
        if (d.nullable !== !!mine.nullable) problems.push(`${type.dts}.${field}: SDK nullable=${d.nullable}, schema nullable=${!!mine.nullable}`);
        const base = d.base.replace(/^Shared\./, '');
        // The .d.ts names nested interfaces relative to where it stands (Poll.Option inside Message.Poll).
        const names = (declaredName, schemaType) => schemaType.kind === 'object' && `.${schemaType.dts.split(':')[1]}`.endsWith(`.${declaredName}`);
        const arrayOf = /^Array<(.+)>$/.exec(base);
        const ok = {
            string: base === 'string', id: base === 'string', timestamp: base === 'string',
            number: base === 'number', boolean: base === 'boolean',
            array: !!arrayOf && (mine.items.kind === 'object' ? names(arrayOf[1], mine.items) : arrayOf[1] === mine.items.kind),
            object: names(base, mine),
            enum: (() => {
                const values = base.startsWith("'") ? base.split('|').map(s => s.trim().replace(/^'|'$/g, '')) : aliasValues(file, base);
                return !!values && deepEqual([...values].sort(), [...mine.values].sort());
            })(),
        }[mine.kind];
        if (!ok) problems.push(`${type.dts}.${field}: SDK type ${d.base}, schema ${describeType(mine)}`);
        compareWithSdk(mine, problems, seen);
    }
    for (const field of Object.keys(type.fields)) {
        if (!declared.has(field)) problems.push(`${type.dts}.${field}: in the schema, not declared by the SDK`);
    }
}

// ---------------------------------------------------------------------------------------------
// Our own endpoints (the SDK has no method for them): plain fetch with the same bearer header.

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function ours(method, pathname, body, token = API_KEY) {
    for (let attempt = 0; ; attempt++) {
        const response = await tracedFetch(BASE_URL + pathname, {
            method,
            headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (response.status === 429 && attempt < 5) {
            await sleep(1000 * Math.max(1, Number(response.headers.get('retry-after')) || 1));
            continue;
        }
        const text = await response.text();
        let json;
        try { json = text ? JSON.parse(text) : null; } catch { json = text; }
        return { status: response.status, body: json };
    }
}

const RUN = `sdk${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let userCount = 0;

async function createUser(role) {
    const n = ++userCount;
    const username = `${RUN}-${role}-${n}`;
    const name = `SDK ${role} ${n}`;
    const description = `POST /users ${JSON.stringify({ username, name })}`;
    const response = await call(description, () => ours('POST', '/users', { username, name }));
    if (response.status !== 201 || typeof response.body?.id !== 'string' || !response.body.id.startsWith('user_')) {
        must(`create user ${username}`, false, { call: description, expected: '201 {id: "user_..."}', got: response });
    }
    return { id: response.body.id, username, name };
}

async function inBatches(items, size, fn) {
    const results = [];
    for (let i = 0; i < items.length; i += size) {
        results.push(...await Promise.all(items.slice(i, i + size).map(fn)));
    }
    return results;
}

/** A client acting as the user, with a token the backend issues through the SDK. */
async function clientFor(user) {
    const description = `accessTokens.create({user_id: ${user.id}, company_id})`;
    const issued = await call(description, () => backend.accessTokens.create({ user_id: user.id, company_id: COMPANY_ID }));
    shape('access token', description, issued, Shapes.AccessTokenCreateResponse);
    must('access token has a token', typeof issued?.token === 'string' && issued.token.length > 0, { call: description, got: issued });
    return newClient(issued.token);
}

/** Auto-paginates with for await (as SDK users do), counting the HTTP pages it fetched. */
async function listAll(description, pathPrefix, makeList) {
    const before = trace.length;
    const items = [];
    for await (const item of await call(description, () => makeList())) items.push(item);
    const pages = trace.slice(before).filter(t => t.method === 'GET' && t.url.startsWith(pathPrefix) && t.status === 200).length;
    return { items, pages };
}

/** The pages themselves (page_info included), walked with the SDK's page API. */
async function listPages(description, makeList) {
    const pages = [];
    let page = await call(description, () => makeList());
    pages.push(page);
    while (page.hasNextPage()) {
        page = await call(`${description} -> getNextPage()`, () => page.getNextPage());
        pages.push(page);
        if (pages.length > 500) throw new Error('more than 500 pages: the server keeps returning an end_cursor');
    }
    return pages;
}

function checkPageInfo(name, description, pages) {
    const errors = [];
    pages.forEach((page, i) => {
        const info = page.page_info;
        const last = i === pages.length - 1;
        validate(info, T.object('page_info', {
            end_cursor: T.nullable(T.string), start_cursor: T.nullable(T.string), has_next_page: T.boolean, has_previous_page: T.boolean,
        }), `page ${i + 1}.page_info`, errors);
        if (!last && !info?.has_next_page) errors.push(`page ${i + 1}: has_next_page is false but another page followed`);
        if (last && info?.end_cursor !== null) errors.push(`last page: end_cursor is ${JSON.stringify(info?.end_cursor)}, expected null`);
        if (last && info?.has_next_page !== false) errors.push('last page: has_next_page is not false');
        if (i > 0 && info?.has_previous_page !== true) errors.push(`page ${i + 1}: has_previous_page is not true`);
        if (i === 0 && info?.has_previous_page !== false) errors.push('page 1: has_previous_page is not false');
    });
    return check(name, errors.length === 0, { call: description, expected: 'Whop page_info on every page, end_cursor null only on the last', got: errors });
}

function duplicates(ids) {
    const seen = new Set();
    return ids.filter(id => (seen.has(id) ? true : (seen.add(id), false)));
}

/** Checks that `expected` ids appear in `ids` in this relative order. */
function inRelativeOrder(ids, expected) {
    const positions = expected.map(id => ids.indexOf(id));
    return positions.every(p => p >= 0) && positions.every((p, i) => i === 0 || p > positions[i - 1]);
}

function isSorted(values, direction) {
    return values.every((v, i) => i === 0 || (direction === 'asc' ? values[i - 1] <= v : values[i - 1] >= v));
}

// ---------------------------------------------------------------------------------------------
// The scenario

const CUSTOMERS = 45;
const PAGE = 20;

await section('sdk types', async () => {
    const problems = [];
    const seen = new Set();
    for (const type of Object.values(Shapes)) compareWithSdk(type, problems, seen);
    check(`the schemas match @whop/sdk ${sdkPackage.version}'s .d.ts (${seen.size} interfaces)`, problems.length === 0,
        { expected: 'every declared field, with its nullability and type', got: problems });
});

await section('auth', async () => {
    const description = 'new Whop({apiKey: "not-a-key"}).supportChannels.list({company_id})';
    const e = await expectApiError('an unknown credential is refused with 401', description, 401,
        () => newClient('not-a-key-0000000000000000').supportChannels.list({ company_id: COMPANY_ID }));
    check('the SDK raises AuthenticationError for it', e?.constructor?.name === 'AuthenticationError', { call: description, got: e && describeError(e) });
});

const support = {};

await section('support channels', async () => {
    const customers = await inBatches(Array.from({ length: CUSTOMERS }), 5, () => createUser('customer'));
    must(`created ${CUSTOMERS} customers with POST /users`, customers.length === CUSTOMERS);

    // One chat per customer, one after the other, so the creation order is known.
    const chats = [];
    for (const customer of customers) {
        const description = `supportChannels.create({company_id, user_id: ${customer.id}})`;
        const chat = await call(description, () => backend.supportChannels.create({ company_id: COMPANY_ID, user_id: customer.id }));
        chats.push(chat);
        if (chats.length === 1) {
            shape('create', description, chat, Shapes.SupportChannel);
            equal('create: company_id is the company', description, chat.company_id, COMPANY_ID);
            equal('create: customer_user is the customer', description, chat.customer_user,
                { id: customer.id, name: customer.name, username: customer.username });
            // The SDK documents last_message_at as "Null if no messages have been sent".
            const history = await call(`messages.list({channel_id: ${chat.id}})`, () => backend.messages.list({ channel_id: chat.id }));
            equal('a new chat has no messages', `messages.list({channel_id: ${chat.id}})`, history.data.length, 0);
            equal('a new chat with no messages has last_message_at null', description, chat.last_message_at, null);
            equal('a new chat is not resolved (resolved_at null)', description, chat.resolved_at, null);
        }
    }
    const ids = chats.map(c => c.id);
    shape('every create', 'supportChannels.create x45', chats, Shapes.SupportChannel);
    check('every customer got their own chat', duplicates(ids).length === 0, { got: duplicates(ids) });

    const [first] = customers;
    let description = `supportChannels.create({company_id, user_id: ${first.id}}) again`;
    const again = await call(description, () => backend.supportChannels.create({ company_id: COMPANY_ID, user_id: first.id }));
    equal('create is idempotent: the same customer gets the same chat', description, again.id, ids[0]);
    description = `supportChannels.create({company_id, user_id: "${first.username}"})`;
    const byName = await call(description, () => backend.supportChannels.create({ company_id: COMPANY_ID, user_id: first.username }));
    equal('create by username returns the customer\'s chat', description, byName.id, ids[0]);

    const racer = await createUser('racer');
    description = `3 x concurrent supportChannels.create({company_id, user_id: ${racer.id}})`;
    const raced = await call(description, () => Promise.all([0, 1, 2].map(() =>
        backend.supportChannels.create({ company_id: COMPANY_ID, user_id: racer.id }))));
    equal('concurrent creates for one customer agree on one chat', description, new Set(raced.map(c => c.id)).size, 1);

    const named = await createUser('named');
    description = `supportChannels.create({company_id, user_id: ${named.id}, custom_name: "VIP"})`;
    const namedChat = await call(description, () => backend.supportChannels.create({ company_id: COMPANY_ID, user_id: named.id, custom_name: 'VIP' }));
    equal('create keeps custom_name', description, namedChat.custom_name, 'VIP');

    // An open chat (the customer spoke last) and a resolved one; then the open one gets the newest message.
    const resolvedCustomer = await clientFor(customers[2]);
    description = `(as customer) messages.create({channel_id: ${ids[2]}, content})`;
    const question = await call(description, () => resolvedCustomer.messages.create({ channel_id: ids[2], content: 'My order never arrived.' }));
    shape('customer message', description, question, Shapes.Message);
    description = `POST /support_channels/${ids[2]}/resolve`;
    const resolved = await call(description, () => ours('POST', `/support_channels/${ids[2]}/resolve`));
    must('resolve answers 200', resolved.status === 200, { call: description, got: resolved });
    check('a resolved chat has resolved_at', typeof resolved.body?.resolved_at === 'string', { call: description, got: resolved.body });

    await sleep(5); // so the open chat's message is strictly the newest
    const openCustomer = await clientFor(customers[1]);
    description = `(as customer) messages.create({channel_id: ${ids[1]}, content})`;
    const openMessage = await call(description, () => openCustomer.messages.create({ channel_id: ids[1], content: 'Hello, **anyone** there?' }));
    shape('customer message', description, openMessage, Shapes.Message);
    equal('the message is the customer\'s', description, openMessage.user?.id, customers[1].id);
    equal('the message keeps its Markdown content', description, openMessage.content, 'Hello, **anyone** there?');
    equal('a customer\'s message is regular', description, openMessage.message_type, 'regular');

    description = `supportChannels.retrieve(${ids[1]})`;
    const openChat = await call(description, () => backend.supportChannels.retrieve(ids[1]));
    shape('retrieve', description, openChat, Shapes.SupportChannel);
    equal('retrieve returns the chat', description, openChat.id, ids[1]);
    equal('retrieve: last_message_at is the message\'s time', description,
        Date.parse(openChat.last_message_at), Date.parse(openMessage.created_at));
    equal('retrieve: an open chat is not resolved', description, openChat.resolved_at, null);

    description = 'supportChannels.retrieve("feed_doesnotexist")';
    await expectApiError('retrieve of an unknown id is 404', description, 404, () => backend.supportChannels.retrieve('feed_doesnotexist000000'));

    // Everything, 20 a page: the SDK must walk every page, and see each chat once.
    description = `for await (supportChannels.list({company_id, first: ${PAGE}}))`;
    const all = await listAll(description, '/support_channels', () => backend.supportChannels.list({ company_id: COMPANY_ID, first: PAGE }));
    const allIds = all.items.map(c => c.id);
    shape('list', description, all.items, Shapes.SupportChannelListResponse);
    check(`list auto-paginates over more than two pages (${all.pages} pages, ${all.items.length} chats)`,
        all.pages > 2 && all.items.length > 2 * PAGE, { call: description, expected: `> 2 pages of ${PAGE}`, got: { pages: all.pages, items: all.items.length } });
    check('list: no chat twice', duplicates(allIds).length === 0, { call: description, got: duplicates(allIds) });
    const missing = [...ids, namedChat.id, raced[0].id].filter(id => !allIds.includes(id));
    check('list: every created chat is there', missing.length === 0, { call: description, expected: 'all created ids', got: { missing } });
    check('list: pages hold at most first items', all.items.length <= all.pages * PAGE, { call: description, got: all });
    check('list: every chat is the company\'s', all.items.every(c => c.company_id === COMPANY_ID), { call: description });

    description = `supportChannels.list({company_id, first: ${PAGE}}) pages`;
    const pages = await listPages(description, () => backend.supportChannels.list({ company_id: COMPANY_ID, first: PAGE }));
    checkPageInfo('page_info on every page', description, pages);
    check('each page holds at most first items', pages.every(p => p.data.length <= PAGE), { call: description, got: pages.map(p => p.data.length) });
    equal('walking pages gives the same chats as for await', description, pages.flatMap(p => p.data.map(c => c.id)), allIds);

    description = 'supportChannels.list({company_id, last: 5})';
    const tail = await call(description, () => backend.supportChannels.list({ company_id: COMPANY_ID, last: 5 }));
    equal('last: 5 gives the list\'s last five, in list order', description, tail.data.map(c => c.id), allIds.slice(-5));

    description = `supportChannels.list({company_id, open: true, first: ${PAGE}})`;
    const open = await listAll(description, '/support_channels', () => backend.supportChannels.list({ company_id: COMPANY_ID, open: true, first: PAGE }));
    const openIds = open.items.map(c => c.id);
    shape('open: true', description, open.items, Shapes.SupportChannelListResponse);
    check('open: true includes the chat where the customer spoke last', openIds.includes(ids[1]), { call: description, expected: `contains ${ids[1]}`, got: openIds });
    check('open: true leaves out a chat with no messages', !openIds.includes(ids[0]), { call: description, expected: `no ${ids[0]}`, got: openIds });
    check('open: true leaves out a resolved chat', !openIds.includes(ids[2]), { call: description, expected: `no ${ids[2]}`, got: openIds });
    check('open: true: no item is resolved', open.items.every(c => c.resolved_at === null), { call: description, got: open.items.filter(c => c.resolved_at !== null) });
    check('open: true: no chat twice', duplicates(openIds).length === 0, { call: description, got: duplicates(openIds) });

    description = `supportChannels.list({company_id, open: false, first: ${PAGE}})`;
    const closed = await listAll(description, '/support_channels', () => backend.supportChannels.list({ company_id: COMPANY_ID, open: false, first: PAGE }));
    const closedIds = closed.items.map(c => c.id);
    shape('open: false', description, closed.items, Shapes.SupportChannelListResponse);
    check('open: false includes the resolved chat', closedIds.includes(ids[2]), { call: description, expected: `contains ${ids[2]}`, got: closedIds });
    check('open: false leaves out open and new chats', !closedIds.includes(ids[1]) && !closedIds.includes(ids[0]), { call: description, got: closedIds });
    check('open: false: every item is resolved', closed.items.every(c => typeof c.resolved_at === 'string'), { call: description, got: closed.items.filter(c => c.resolved_at === null) });

    description = `supportChannels.list({company_id, view: "admin", first: ${PAGE}})`;
    const admin = await listAll(description, '/support_channels', () => backend.supportChannels.list({ company_id: COMPANY_ID, view: 'admin', first: PAGE }));
    shape('view: admin', description, admin.items, Shapes.SupportChannelListResponse);
    const adminIds = admin.items.map(c => c.id);
    check('view: admin shows the company\'s chats to the admin backend', ids.every(id => adminIds.includes(id)), { call: description, got: { missing: ids.filter(id => !adminIds.includes(id)) } });
    check('view: admin: no chat twice', duplicates(adminIds).length === 0, { call: description, got: duplicates(adminIds) });

    for (const direction of ['asc', 'desc']) {
        description = `supportChannels.list({company_id, order: "created_at", direction: "${direction}", first: ${PAGE}})`;
        const ordered = await listAll(description, '/support_channels', () => backend.supportChannels.list({ company_id: COMPANY_ID, order: 'created_at', direction, first: PAGE }));
        const orderedIds = ordered.items.map(c => c.id);
        shape(`order created_at ${direction}`, description, ordered.items, Shapes.SupportChannelListResponse);
        check(`order created_at ${direction}: all chats, each once`, orderedIds.length === allIds.length && duplicates(orderedIds).length === 0
            && allIds.every(id => orderedIds.includes(id)), { call: description, got: { count: orderedIds.length, expected: allIds.length, duplicates: duplicates(orderedIds) } });
        const expectedOrder = direction === 'asc' ? ids : [...ids].reverse();
        check(`order created_at ${direction}: the chats come in creation order${direction === 'desc' ? ', newest first' : ''}`,
            inRelativeOrder(orderedIds, expectedOrder), { call: description, expected: expectedOrder, got: orderedIds.filter(id => ids.includes(id)) });
    }

    for (const direction of [undefined, 'asc']) {
        const query = { company_id: COMPANY_ID, order: 'last_post_sent_at', first: PAGE, ...(direction ? { direction } : {}) };
        description = `supportChannels.list(${JSON.stringify(query).replace(COMPANY_ID, '…')})`;
        const ordered = await listAll(description, '/support_channels', () => backend.supportChannels.list(query));
        const orderedIds = ordered.items.map(c => c.id);
        const dir = direction ?? 'desc';
        shape(`order last_post_sent_at ${direction ?? '(default direction)'}`, description, ordered.items, Shapes.SupportChannelListResponse);
        check(`order last_post_sent_at ${dir}: all chats, each once`, orderedIds.length === allIds.length && duplicates(orderedIds).length === 0,
            { call: description, got: { count: orderedIds.length, expected: allIds.length } });
        const times = ordered.items.filter(c => c.last_message_at !== null).map(c => Date.parse(c.last_message_at));
        check(`order last_post_sent_at ${dir}: chats with messages are sorted by last_message_at`, isSorted(times, dir),
            { call: description, got: ordered.items.filter(c => c.last_message_at !== null).map(c => `${c.id} ${c.last_message_at}`) });
        const expected = dir === 'desc' ? [ids[1], ids[2]] : [ids[2], ids[1]];
        check(`order last_post_sent_at ${dir}: the chat with the newest message comes ${dir === 'desc' ? 'first' : 'last'}`,
            inRelativeOrder(orderedIds, expected), { call: description, expected, got: orderedIds.filter(id => expected.includes(id)) });
    }

    description = '(as customer) supportChannels.list({view: "customer"})';
    const mine = await call(description, () => openCustomer.supportChannels.list({ view: 'customer' }));
    equal('view: customer shows the customer their own chat only', description, mine.data.map(c => c.id), [ids[1]]);

    Object.assign(support, { ids, customers });
});

await section('dm channels', async () => {
    const [a, b, c] = await Promise.all([createUser('dm'), createUser('dm'), createUser('dm')]);

    let description = `dmChannels.create({with_user_ids: [${a.id}, ${b.id}], company_id, custom_name: "Project"})`;
    const dm = await call(description, () => backend.dmChannels.create({ with_user_ids: [a.id, b.id], company_id: COMPANY_ID, custom_name: 'Project' }));
    shape('create', description, dm, Shapes.DmChannel);
    equal('create: name is the custom name', description, dm.name, 'Project');
    const history = await call(`messages.list({channel_id: ${dm.id}})`, () => backend.messages.list({ channel_id: dm.id, direction: 'desc', first: 1 }));
    const newest = history.data[0]?.created_at ?? null;
    check('a new DM: last_message_at is null when it has no messages, else the newest message\'s time',
        newest === null ? dm.last_message_at === null : Date.parse(dm.last_message_at) === Date.parse(newest),
        { call: `${description}; messages.list({channel_id: ${dm.id}})`, expected: newest, got: dm.last_message_at, messages: history.data.length });
    description = `dmChannels.create({with_user_ids: [${b.username}, ${a.username}]}) (same members, by username)`;
    const same = await call(description, () => backend.dmChannels.create({ with_user_ids: [b.username, a.username], company_id: COMPANY_ID }));
    equal('create with the same members returns the existing DM', description, same.id, dm.id);

    description = `dmChannels.retrieve(${dm.id})`;
    const got = await call(description, () => backend.dmChannels.retrieve(dm.id));
    shape('retrieve', description, got, Shapes.DmChannel);
    equal('retrieve returns the DM', description, [got.id, got.name, got.created_at], [dm.id, 'Project', dm.created_at]);

    description = `dmChannels.update(${dm.id}, {custom_name: "Renamed"})`;
    const renamed = await call(description, () => backend.dmChannels.update(dm.id, { custom_name: 'Renamed' }));
    shape('update', description, renamed, Shapes.DmChannel);
    equal('update renames the DM', description, renamed.name, 'Renamed');
    equal('retrieve after update shows the new name', `dmChannels.retrieve(${dm.id})`, (await backend.dmChannels.retrieve(dm.id)).name, 'Renamed');

    description = 'for await (dmChannels.list({company_id, first: 20}))';
    const listed = await listAll(description, '/dm_channels', () => backend.dmChannels.list({ company_id: COMPANY_ID, first: 20 }));
    shape('list', description, listed.items, Shapes.DmChannelListResponse);
    check('list includes the DM', listed.items.some(x => x.id === dm.id && x.name === 'Renamed'), { call: description, got: listed.items.map(x => x.id) });
    check('list: no DM twice', duplicates(listed.items.map(x => x.id)).length === 0, { call: description });
    const asMember = await clientFor(a);
    description = '(as member) dmChannels.list()';
    const memberList = await call(description, () => asMember.dmChannels.list());
    equal('a member\'s list is their DMs', description, memberList.data.map(x => x.id), [dm.id]);

    // Members
    description = `dmMembers.create({channel_id: ${dm.id}, user_id: ${c.id}})`;
    const member = await call(description, () => backend.dmMembers.create({ channel_id: dm.id, user_id: c.id }));
    shape('member create', description, member, Shapes.DmMember);
    equal('member create: the user and channel', description, [member.channel_id, member.user_id], [dm.id, c.id]);

    description = `for await (dmMembers.list({channel_id: ${dm.id}, first: 2}))`;
    const members = await listAll(description, '/dm_members', () => backend.dmMembers.list({ channel_id: dm.id, first: 2 }));
    shape('member list', description, members.items, Shapes.DmMemberListResponse);
    equal('member list: the three members, each once, by date added (last added last)', description,
        { count: members.items.length, last: members.items.at(-1)?.user_id, users: members.items.map(m => m.user_id).sort() },
        { count: 3, last: c.id, users: [a.id, b.id, c.id].sort() });
    check('member list with first: 2 takes two pages', members.pages === 2, { call: description, got: members.pages });

    description = `dmMembers.retrieve(${member.id})`;
    const gotMember = await call(description, () => backend.dmMembers.retrieve(member.id));
    shape('member retrieve', description, gotMember, Shapes.DmMember);
    equal('member retrieve returns the membership', description, [gotMember.id, gotMember.user_id], [member.id, c.id]);

    description = `dmMembers.update(${member.id}, {notification_preference: "mentions"})`;
    const updated = await call(description, () => backend.dmMembers.update(member.id, { notification_preference: 'mentions' }));
    shape('member update', description, updated, Shapes.DmMember);
    equal('member update sets notification_preference', description, updated.notification_preference, 'mentions');

    description = `dmMembers.delete(${member.id})`;
    const removed = await call(description, () => backend.dmMembers.delete(member.id));
    equal('member delete answers true', description, removed, true);
    const after = await call(`dmMembers.list({channel_id: ${dm.id}})`, () => backend.dmMembers.list({ channel_id: dm.id }));
    check('the removed member is gone from the list', !after.data.some(m => m.user_id === c.id), { call: 'dmMembers.list', got: after.data });

    // Messages, as member a
    const sent = [];
    for (let i = 1; i <= 25; i++) {
        description = `(as member) messages.create({channel_id: ${dm.id}, content: "message ${i}"})`;
        sent.push(await call(description, () => asMember.messages.create({ channel_id: dm.id, content: `message ${i}` })));
    }
    shape('message create', 'messages.create x25', sent, Shapes.Message);
    equal('message create keeps content and author', 'messages.create', [sent[0].content, sent[0].user.id, sent[0].is_edited], ['message 1', a.id, false]);
    const sentIds = sent.map(m => m.id);

    description = `for await (messages.list({channel_id: ${dm.id}, first: 10}))`;
    const listedMessages = await listAll(description, '/messages', () => asMember.messages.list({ channel_id: dm.id, first: 10 }));
    const listedIds = listedMessages.items.map(m => m.id);
    shape('message list', description, listedMessages.items, Shapes.MessageListResponse);
    check(`message list auto-paginates (${listedMessages.pages} pages)`, listedMessages.pages >= 3, { call: description, got: listedMessages.pages });
    check('message list: every message once', duplicates(listedIds).length === 0 && sentIds.every(id => listedIds.includes(id)),
        { call: description, got: { duplicates: duplicates(listedIds), missing: sentIds.filter(id => !listedIds.includes(id)) } });

    for (const direction of ['asc', 'desc']) {
        description = `messages.list({channel_id: ${dm.id}, direction: "${direction}", first: 10})`;
        const ordered = await listAll(description, '/messages', () => asMember.messages.list({ channel_id: dm.id, direction, first: 10 }));
        const orderedIds = ordered.items.map(m => m.id);
        check(`message list direction ${direction}: by creation time`, isSorted(ordered.items.map(m => Date.parse(m.created_at)), direction)
            && inRelativeOrder(orderedIds, direction === 'asc' ? sentIds : [...sentIds].reverse()),
        { call: description, got: ordered.items.map(m => `${m.created_at} ${m.content}`) });
        if (direction === 'asc') {
            description = `messages.list({channel_id: ${dm.id}, last: 5})`;
            const tail = await call(description, () => asMember.messages.list({ channel_id: dm.id, last: 5 }));
            equal('message list last: 5 gives the newest five, in list order', description, tail.data.map(m => m.id), sentIds.slice(-5));
        }
    }

    const target = sent[0];
    description = `messages.retrieve(${target.id})`;
    const gotMessage = await call(description, () => asMember.messages.retrieve(target.id));
    shape('message retrieve', description, gotMessage, Shapes.Message);
    equal('message retrieve returns it', description, [gotMessage.id, gotMessage.content], [target.id, 'message 1']);

    description = `messages.update(${target.id}, {content: "message 1 (edited)"})`;
    const edited = await call(description, () => asMember.messages.update(target.id, { content: 'message 1 (edited)' }));
    shape('message update', description, edited, Shapes.Message);
    equal('message update changes content and sets is_edited', description, [edited.content, edited.is_edited], ['message 1 (edited)', true]);
    check('message update moves updated_at forward', Date.parse(edited.updated_at) >= Date.parse(target.updated_at), { call: description, got: [target.updated_at, edited.updated_at] });

    description = `(as member) messages.create({channel_id: ${dm.id}, content: ""})`;
    await expectApiError('an empty message is refused', description, [400, 422], () => asMember.messages.create({ channel_id: dm.id, content: '' }));

    // Attachments: a file uploaded (ours: multipart, part "file", to /files) goes on a message sent through the SDK.
    const form = new FormData();
    form.append('file', new Blob(['%PDF-1.4\n%%EOF\n'], { type: 'application/pdf' }), 'invoice.pdf');
    description = 'POST /files (multipart: invoice.pdf)';
    const uploaded = await call(description, async () => {
        const response = await tracedFetch(`${BASE_URL}/files`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}` }, body: form });
        return { status: response.status, body: await response.json() };
    });
    must('upload answers 200 with a file_ id', uploaded.status === 200 && uploaded.body?.id?.startsWith('file_'), { call: description, got: uploaded });
    description = `messages.create({channel_id: ${dm.id}, content, attachments: [{id: ${uploaded.body.id}}]})`;
    const withFile = await call(description, () => backend.messages.create({ channel_id: dm.id, content: 'Your invoice', attachments: [{ id: uploaded.body.id }] }));
    shape('message with an attachment', description, withFile, Shapes.Message);
    equal('the message carries the file (attachments: ours, beside Whop\'s fields)', description,
        withFile.attachments?.map(f => [f.id, f.filename, f.content_type, f.size]), [[uploaded.body.id, 'invoice.pdf', 'application/pdf', 15]]);
    description = `(as member) messages.retrieve(${withFile.id})`;
    const readBack = await call(description, () => asMember.messages.retrieve(withFile.id));
    equal('a member reads the attachment back', description, readBack.attachments?.map(f => f.id), [uploaded.body.id]);
    description = `(as member) GET ${uploaded.body.url}`;
    const memberToken = asMember.apiKey;
    const bytes = await call(description, async () => {
        const response = await tracedFetch(`${new URL(BASE_URL).origin}${uploaded.body.url}`, { headers: { authorization: `Bearer ${memberToken}` } });
        return { status: response.status, text: await response.text() };
    });
    equal('a member downloads the file', description, [bytes.status, bytes.text], [200, '%PDF-1.4\n%%EOF\n']);

    // Reactions, as member b on a's message
    const asOther = await clientFor(b);
    description = `(as member) reactions.create({resource_id: ${target.id}, emoji: "👍"})`;
    const reaction = await call(description, () => asOther.reactions.create({ resource_id: target.id, emoji: '👍' }));
    shape('reaction create', description, reaction, Shapes.Reaction);
    equal('reaction create: emoji, message and user', description, [reaction.emoji, reaction.resource_id, reaction.user.id], ['👍', target.id, b.id]);

    description = `for await (reactions.list({resource_id: ${target.id}}))`;
    const reactions = await listAll(description, '/reactions', () => asOther.reactions.list({ resource_id: target.id }));
    shape('reaction list', description, reactions.items, Shapes.ReactionListResponse);
    equal('reaction list has the reaction', description, reactions.items.map(r => r.id), [reaction.id]);

    description = `reactions.retrieve(${reaction.id})`;
    const gotReaction = await call(description, () => asOther.reactions.retrieve(reaction.id));
    shape('reaction retrieve', description, gotReaction, Shapes.Reaction);
    equal('reaction retrieve returns it', description, [gotReaction.id, gotReaction.emoji], [reaction.id, '👍']);

    description = `messages.retrieve(${target.id}) after the reaction`;
    const counted = await call(description, () => asMember.messages.retrieve(target.id));
    equal('message reaction_counts counts the reaction', description, counted.reaction_counts, [{ emoji: '👍', count: 1 }]);

    description = `reactions.delete(${reaction.id})`;
    equal('reaction delete answers true', description, await call(description, () => asOther.reactions.delete(reaction.id)), true);
    description = `reactions.list({resource_id: ${target.id}}) after delete`;
    equal('the deleted reaction is gone', description, (await call(description, () => asOther.reactions.list({ resource_id: target.id }))).data, []);

    // A poll, as member a; votes as member b: one vote per person, a new vote moves it, delete withdraws it
    const options = [{ id: '1', text: 'Tacos' }, { id: '2', text: 'Ramen' }];
    description = `(as member) messages.create({channel_id: ${dm.id}, content: "Lunch?", poll: {options}})`;
    const poll = await call(description, () => asMember.messages.create({ channel_id: dm.id, content: 'Lunch?', poll: { options } }));
    shape('message create with a poll', description, poll, Shapes.Message);
    equal('a poll: its options, and every option counted at zero', description, [poll.poll?.options, poll.poll_votes],
        [options, [{ count: 0, option_id: '1' }, { count: 0, option_id: '2' }]]);
    description = `(as member) messages.create({channel_id: ${dm.id}, poll: {options: [one]}})`;
    await expectApiError('a poll with one option is refused', description, 422,
        () => asMember.messages.create({ channel_id: dm.id, content: 'Lunch?', poll: { options: [options[0]] } }));

    description = `(as member) reactions.create({resource_id: ${poll.id}, poll_option_id: "1"})`;
    const vote = await call(description, () => asOther.reactions.create({ resource_id: poll.id, poll_option_id: '1' }));
    shape('poll vote', description, vote, Shapes.Reaction);
    equal('a vote is a reaction without an emoji', description, [vote.emoji, vote.resource_id, vote.user.id], [null, poll.id, b.id]);
    description = `(as member) reactions.create({resource_id: ${poll.id}, poll_option_id: "2"})`;
    const moved = await call(description, () => asOther.reactions.create({ resource_id: poll.id, poll_option_id: '2' }));
    equal('a second vote moves the first', description, moved.id, vote.id);
    description = `messages.retrieve(${poll.id}) after the votes`;
    equal('poll_votes count the moved vote', description, (await call(description, () => asMember.messages.retrieve(poll.id))).poll_votes,
        [{ count: 0, option_id: '1' }, { count: 1, option_id: '2' }]);
    await expectApiError('a vote for an option that does not exist is refused', `reactions.create({resource_id: ${poll.id}, poll_option_id: "3"})`, 422,
        () => asOther.reactions.create({ resource_id: poll.id, poll_option_id: '3' }));
    description = `reactions.delete(${vote.id})`;
    equal('vote delete answers true', description, await call(description, () => asOther.reactions.delete(vote.id)), true);
    description = `messages.retrieve(${poll.id}) after the vote was withdrawn`;
    equal('the withdrawn vote is no longer counted', description, (await call(description, () => asMember.messages.retrieve(poll.id))).poll_votes,
        [{ count: 0, option_id: '1' }, { count: 0, option_id: '2' }]);

    // Deletes
    const doomed = sent[1];
    description = `messages.delete(${doomed.id})`;
    equal('message delete answers true', description, await call(description, () => asMember.messages.delete(doomed.id)), true);
    await expectApiError('a deleted message is 404', `messages.retrieve(${doomed.id}) after delete`, 404, () => asMember.messages.retrieve(doomed.id));

    description = `dmChannels.delete(${dm.id})`;
    equal('dm delete answers true', description, await call(description, () => backend.dmChannels.delete(dm.id)), true);
    const e = await expectApiError('a deleted DM is 404', `dmChannels.retrieve(${dm.id}) after delete`, 404, () => backend.dmChannels.retrieve(dm.id));
    check('the SDK raises NotFoundError for it', e?.constructor?.name === 'NotFoundError', { got: e && describeError(e) });
});

// ---------------------------------------------------------------------------------------------

const seconds = (Date.now() - started) / 1000;
report({
    summary: {
        sdk: `@whop/sdk ${sdkPackage.version}`,
        passed,
        failed: failures.length,
        requests: trace.length,
        seconds,
        failures: failures.map(f => f.check),
    },
});
process.exit(failures.length === 0 ? 0 : 1);

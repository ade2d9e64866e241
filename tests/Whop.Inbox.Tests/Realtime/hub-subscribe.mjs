// The hub with the official JavaScript client: subscribe, receive what a REST call does, who may
// subscribe to what, typing, mark read, and sending with an idempotency key.
//
//   BASE_URL=http://127.0.0.1:5066 API_KEY=… COMPANY_ID=biz_… CHANNEL_ID=feed_… (the customer's support chat)
//   CUSTOMER_ID=user_… CUSTOMER_TOKEN=… OTHER_CUSTOMER_TOKEN=… MODERATOR_ID=user_… MODERATOR_COOKIE='whop_inbox=…'
//   INBOX_NODE_MODULES=$PWD/.tools/node/node_modules node tests/Whop.Inbox.Tests/Realtime/hub-subscribe.mjs

import { check, connect, env, events, main, must, refusal, rest, sleep } from './hub-lib.mjs';

const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const API_KEY = env('API_KEY');
const COMPANY_ID = env('COMPANY_ID');
const CHANNEL_ID = env('CHANNEL_ID');
const CUSTOMER_ID = env('CUSTOMER_ID');
const CUSTOMER_TOKEN = env('CUSTOMER_TOKEN');
const OTHER_CUSTOMER_TOKEN = env('OTHER_CUSTOMER_TOKEN');
const MODERATOR_ID = env('MODERATOR_ID');
const MODERATOR_COOKIE = env('MODERATOR_COOKIE');

await main(async () => {
    const stream = `channel:${CHANNEL_ID}`;

    // A customer with an access token (over WebSockets it travels as the access_token query parameter).
    const customer = await connect(BASE_URL, CUSTOMER_TOKEN);
    const subscribed = await customer.invoke('Subscribe', CHANNEL_ID, null);
    must('the customer subscribes to their own chat', subscribed?.channel_id === CHANNEL_ID && Number.isInteger(subscribed?.position),
        { subscribed });
    const start = subscribed.position;

    // A moderator signed in in the browser (the cookie), following the inbox and the chat.
    const moderator = await connect(BASE_URL, { cookie: MODERATOR_COOKIE });
    const inbox = await moderator.invoke('SubscribeInbox', null);
    check('the moderator subscribes to the company inbox', inbox?.company_id === COMPANY_ID, { inbox });
    await moderator.invoke('Subscribe', CHANNEL_ID, null);

    // The company's backend, by API key.
    const backend = await connect(BASE_URL, API_KEY);
    await backend.invoke('Subscribe', CHANNEL_ID, null);

    // Someone else's chat is refused, and does not even exist for them.
    const other = await connect(BASE_URL, OTHER_CUSTOMER_TOKEN);
    const refused = await refusal(() => other.invoke('Subscribe', CHANNEL_ID, null));
    check("another customer's subscription to the chat is refused as not found", refused?.includes('not_found:'), { refused });
    const refusedInbox = await refusal(() => other.invoke('SubscribeInbox', COMPANY_ID));
    check('a customer cannot follow the company inbox', refusedInbox?.includes('forbidden:'), { refusedInbox });
    const refusedTyping = await refusal(() => other.invoke('StartTyping', CHANNEL_ID));
    check("a customer cannot type in another customer's chat", refusedTyping?.includes('not_found:'), { refusedTyping });

    // Without credentials there is no connection at all.
    const anonymous = await refusal(() => connect(BASE_URL, null));
    check('a connection without credentials is refused (401)', anonymous?.includes('401'), { anonymous });

    // A REST post reaches every subscriber, after it is in the database.
    const posted = await rest(BASE_URL, CUSTOMER_TOKEN, 'POST', '/messages',
        { channel_id: CHANNEL_ID, content: 'Hello from the REST API', client_message_id: 'hub-test-1' });
    const isPosted = r => r.some(x => x.event.type === 'message.created' && x.event.data?.message?.id === posted.id);
    check('the customer receives message.created after the REST post', await customer.until(isPosted));
    const created = events(customer.received, 'message.created').find(e => e.data.message.id === posted.id);
    check('the event carries the next position, the message as the REST API shows it and the idempotency key',
        created?.position === start + 1 && created?.data?.message?.content === 'Hello from the REST API'
        && created?.data?.message?.user?.id === CUSTOMER_ID && created?.data?.client_message_id === 'hub-test-1'
        && created?.channel_id === CHANNEL_ID, { created });
    // The log keeps the domain's view of a message; the hub maps it to the REST API's shape, every field of it.
    check('the message in the event is exactly what the REST API answered', sameJson(created?.data?.message, posted),
        { event: created?.data?.message, rest: posted });
    check("the event says where the chat stands now (the customer spoke last: open)", created?.channel?.status === 'open'
        && created?.channel?.kind === 'support', { channel: created?.channel });
    check('the backend (API key) receives it', await backend.until(isPosted));
    check('the moderator receives it on the chat and on the inbox stream', await moderator.until(r =>
        r.some(x => x.subscription === stream && x.event.data?.message?.id === posted.id)
        && r.some(x => x.subscription === 'inbox' && x.event.data?.message?.id === posted.id)));

    // Typing: the others see it start and stop; the typist is not told about themselves.
    await customer.invoke('StartTyping', CHANNEL_ID);
    check('the moderator sees the customer typing, with an expiry', await moderator.until(r => r.some(x =>
        x.subscription === stream && x.event.type === 'typing.started' && x.event.data?.user?.id === CUSTOMER_ID
        && x.event.position === null && Date.parse(x.event.data?.expires_at) > Date.now())));
    await customer.invoke('StopTyping', CHANNEL_ID);
    check('the moderator sees the typing stop', await moderator.until(r => r.some(x =>
        x.subscription === stream && x.event.type === 'typing.stopped' && x.event.data?.user?.id === CUSTOMER_ID)));
    check('the typist receives no typing events of their own', events(customer.received, 'typing.started').length === 0);

    // Mark read through the hub: the customer sees that the moderator read it.
    const read = await moderator.invoke('MarkRead', CHANNEL_ID);
    check('MarkRead answers with the read mark', read?.channel_id === CHANNEL_ID && !!read?.last_viewed_at, { read });
    check('the customer receives read.changed for the moderator', await customer.until(r => r.some(x =>
        x.event.type === 'read.changed' && x.event.data?.user_id === MODERATOR_ID)));

    // Sending through the hub with an idempotency key: the retry returns the same message, sent once.
    const request = { channel_id: CHANNEL_ID, content: 'Sent over the hub', client_message_id: 'hub-test-2' };
    const first = await customer.invoke('SendMessage', request);
    const retry = await customer.invoke('SendMessage', request);
    check('a retried send returns the first message', !!first?.id && retry?.id === first.id, { first, retry });
    await moderator.until(r => r.some(x => x.subscription === stream && x.event.data?.message?.id === first.id));
    await sleep(500);
    check('and it was announced once', events(moderator.received, 'message.created', stream).filter(e => e.data.message.id === first.id).length === 1);

    // On each stream: positions rise by one, with no repeats.
    for (const [name, client] of [['customer', customer], ['moderator', moderator]]) {
        const positions = events(client.received, null, stream).filter(e => e.position !== null).map(e => e.position);
        const contiguous = positions.every((p, i) => p === start + 1 + i);
        check(`the ${name}'s chat stream has every position once, in order`, contiguous && positions.length >= 3, { positions });
    }

    await Promise.all([customer.stop(), moderator.stop(), backend.stop(), other.stop()]);
});

/** The same JSON value, whatever the order of keys. */
function sameJson(a, b) {
    const canonical = v => Array.isArray(v) ? v.map(canonical)
        : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map(k => [k, canonical(v[k])])) : v;
    return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

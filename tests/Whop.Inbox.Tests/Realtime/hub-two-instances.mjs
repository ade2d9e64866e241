// Several instances behind a load balancer share one database: an event written through one
// instance reaches hub clients connected to another (PostgreSQL LISTEN/NOTIFY), also one too large
// for a notification (it travels by reference).
//
//   BASE_URL_A=… BASE_URL_B=… API_KEY=… CHANNEL_ID=feed_… CUSTOMER_TOKEN=… INBOX_NODE_MODULES=… node hub-two-instances.mjs

import { check, connect, env, events, main, rest, sleep } from './hub-lib.mjs';

const A = env('BASE_URL_A').replace(/\/+$/, '');
const B = env('BASE_URL_B').replace(/\/+$/, '');
const API_KEY = env('API_KEY');
const CHANNEL_ID = env('CHANNEL_ID');
const CUSTOMER_TOKEN = env('CUSTOMER_TOKEN');

await main(async () => {
    const onB = await connect(B, CUSTOMER_TOKEN);
    const onA = await connect(A, CUSTOMER_TOKEN);
    await onB.invoke('Subscribe', CHANNEL_ID, null);
    await onA.invoke('Subscribe', CHANNEL_ID, null);

    const viaA = await rest(A, API_KEY, 'POST', '/messages', { channel_id: CHANNEL_ID, content: 'Posted through instance A' });
    check('a message posted through A reaches a client connected to B',
        await onB.until(r => r.some(x => x.event.data?.message?.id === viaA.id)));
    check('and a client connected to A', await onA.until(r => r.some(x => x.event.data?.message?.id === viaA.id)));

    const viaB = await rest(B, API_KEY, 'POST', '/messages', { channel_id: CHANNEL_ID, content: 'Posted through instance B' });
    check('a message posted through B reaches a client connected to A',
        await onA.until(r => r.some(x => x.event.data?.message?.id === viaB.id)));

    // 9,000 characters: more than one notification may carry, so it goes by reference.
    const long = 'x'.repeat(9_000);
    const large = await rest(A, API_KEY, 'POST', '/messages', { channel_id: CHANNEL_ID, content: long });
    check('a message too large for a notification still reaches B, whole',
        await onB.until(r => r.some(x => x.event.data?.message?.id === large.id && x.event.data.message.content === long)));

    await sleep(500);
    for (const [name, client] of [['A', onA], ['B', onB]]) {
        const ids = events(client.received, 'message.created').map(e => e.data.message.id);
        check(`the client on ${name} got each message once`, ids.length === 3 && new Set(ids).size === 3, { ids });
    }
    await Promise.all([onA.stop(), onB.stop()]);
});

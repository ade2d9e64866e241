// Nothing lost, nothing doubled: a client drops, 100 messages are posted, it reconnects and
// resumes from the last position it saw; it must have all 100, exactly once, in order. Then the
// harder case: it resumes while messages are still being posted (catch-up and live overlap).
//
//   BASE_URL=… API_KEY=… CHANNEL_ID=feed_… CUSTOMER_TOKEN=… INBOX_NODE_MODULES=… node hub-reconnect.mjs

import { check, connect, env, events, main, must, rest, sleep } from './hub-lib.mjs';

const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const API_KEY = env('API_KEY');
const CHANNEL_ID = env('CHANNEL_ID');
const CUSTOMER_TOKEN = env('CUSTOMER_TOKEN');

/** Posts `count` messages as the company's backend, a few at a time; returns their ids. */
async function post(label, count, parallel = 4) {
    const ids = [];
    for (let i = 0; i < count; i += parallel) {
        const batch = [];
        for (let j = i; j < Math.min(count, i + parallel); j++) {
            batch.push(rest(BASE_URL, API_KEY, 'POST', '/messages', { channel_id: CHANNEL_ID, content: `${label} ${j + 1}` }).then(m => m.id));
        }
        ids.push(...await Promise.all(batch));
    }
    return ids;
}

/** Checks what a resumed client received: exactly the posted messages, each once, in position order, with no gap. */
function checkResumed(name, client, after, posted) {
    const all = events(client.received).filter(e => e.position !== null);
    const positions = all.map(e => e.position);
    check(`${name}: positions follow on from ${after} with no gap and no repeat`, positions.every((p, i) => p === after + 1 + i),
        { first: positions.slice(0, 5), count: positions.length });
    const ids = events(client.received, 'message.created').map(e => e.data.message.id);
    check(`${name}: all ${posted.length} messages arrived`, posted.every(id => ids.includes(id)),
        { missing: posted.filter(id => !ids.includes(id)).length });
    check(`${name}: none twice`, new Set(ids).size === ids.length, { received: ids.length, distinct: new Set(ids).size });
    check(`${name}: nothing else`, ids.length === posted.length, { received: ids.length, posted: posted.length });
    const times = events(client.received, 'message.created').map(e => Date.parse(e.data.message.created_at));
    check(`${name}: in the order they were sent`, times.every((t, i) => i === 0 || t > times[i - 1]));
    return all.at(-1)?.position ?? after;
}

await main(async () => {
    const first = await connect(BASE_URL, CUSTOMER_TOKEN);
    const { position: start } = await first.invoke('Subscribe', CHANNEL_ID, null);
    const [hello] = await post('before the drop', 1);
    must('the client sees live events before it drops', await first.until(r => r.some(x => x.event.data?.message?.id === hello)));
    const last = events(first.received).at(-1).position;
    must('and remembers the last position', last === start + 1, { start, last });
    await first.stop();

    // While it is away, 100 messages.
    const away = await post('while away', 100);

    const second = await connect(BASE_URL, CUSTOMER_TOKEN);
    const resumed = await second.invoke('Subscribe', CHANNEL_ID, last);
    check('resubscribing with the last position resumes after it', resumed?.position === last, { resumed });
    await second.until(r => events(r, 'message.created').length >= 100, 30_000);
    await sleep(1_000); // anything doubled would arrive now
    const seen = checkResumed('after 100 messages while away', second, last, away);
    await second.stop();

    // Resuming while the posting goes on: the catch-up and the live stream overlap.
    const whileAway = await post('second drop', 30);
    const third = await connect(BASE_URL, CUSTOMER_TOKEN);
    const posting = post('during the reconnect', 70, 2);
    await sleep(50);
    await third.invoke('Subscribe', CHANNEL_ID, seen);
    const during = await posting;
    await third.until(r => events(r, 'message.created').length >= 100, 30_000);
    await sleep(1_000);
    checkResumed('resumed while messages kept coming', third, seen, [...whileAway, ...during]);
    await third.stop();
});

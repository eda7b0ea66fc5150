import { startWorkerdEdge } from '/work/main/test/support/workerd-edge.ts';
import { closedLoop, summarise } from '/work/main/test/bench/load.ts';
import { signMetaBody } from '/work/main/test/meta-sandbox/sign.ts';
import { webhookBody } from '/work/main/test/bench/webhooks.ts';
const edge = await startWorkerdEdge({ apiUrl: 'http://127.0.0.1:9', vars: { RETRY_BASE_DELAY_SECONDS: '300' } });
console.log('url', edge.url);
const bodies = Array.from({ length: 500 }, (_, i) => { const { body } = webhookBody({ customer: i }); return { body, sig: signMetaBody('test-meta-app-secret', body) }; });
const post = async (i: number) => { const { body, sig } = bodies[i % 500]!; const r = await fetch(`${edge.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig }, body }); await r.text(); if (r.status !== 200) throw new Error(String(r.status)); };
for (const c of [1, 4, 16]) {
const run = await closedLoop(c, 5000, post);
console.log('c', c, 'post', (run.latencies.length / run.seconds).toFixed(0), 'req/s', JSON.stringify(summarise(run.latencies)), run.failures);
}
await edge.stop();

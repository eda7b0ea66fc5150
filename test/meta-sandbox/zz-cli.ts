import { Agent, request } from 'node:http';
const agent = new Agent({ keepAlive: true, maxSockets: 200 });
const text = JSON.stringify({ messaging_product: 'whatsapp', to: '16505550123', type: 'text', text: { body: 'hello' } });
let i = 0, done = 0; const deadline = Date.now() + 3000;
function one(): Promise<void> { return new Promise((resolve) => { const n = 1000 + (i++ % 50); const req = request({ agent, host: '127.0.0.1', port: 4680, method: 'POST', path: `/v24.0/${n}/messages`, headers: { authorization: 'Bearer EAAbench', 'content-type': 'application/json' } }, (res) => { res.resume(); res.on('end', () => { done++; resolve(); }); }); req.end(text); }); }
async function worker() { while (Date.now() < deadline) await one(); }
await Promise.all(Array.from({ length: 200 }, worker));
console.log('client rps', done / 3); agent.destroy();

// A plain client with no libraries: ticket, WebSocket, create, join from a second player, send.
// Usage: node --experimental-websocket scripts/smoke-roundtrip.mjs http://127.0.0.1:8080
const base = process.argv[2];
const fail = (why) => { console.error('smoke:', why); process.exit(1); };
setTimeout(() => fail('timed out'), 10_000).unref();

async function player(name) {
  const res = await fetch(`${base}/api/tickets`, { method: 'POST', body: JSON.stringify({ name }) });
  if (!res.ok) fail(`ticket: HTTP ${res.status}`);
  const { ticket } = await res.json();
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws?ticket=${ticket}`);
  const inbox = [];
  const waiters = [];
  ws.onmessage = (m) => {
    const frame = JSON.parse(m.data);
    const i = waiters.findIndex((w) => w.test(frame));
    if (i >= 0) waiters.splice(i, 1)[0].resolve(frame); else inbox.push(frame);
  };
  const next = (test) => {
    const i = inbox.findIndex(test);
    if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]);
    return new Promise((resolve) => waiters.push({ test, resolve }));
  };
  await next((f) => f.t === 'welcome');
  let id = 0;
  const request = async (frame) => {
    const mine = ++id;
    ws.send(JSON.stringify({ ...frame, id: mine }));
    const reply = await next((f) => f.t === 'reply' && f.id === mine);
    if (!reply.ok) fail(`${frame.t}: ${reply.error.code} ${reply.error.message}`);
    return reply.data;
  };
  return { ws, next, request };
}

const ann = await player('Ann');
const room = (await ann.request({ t: 'create', type: 'chat' })).room;
const bob = await player('Bob');
const snapshot = await bob.request({ t: 'join', room: room.toLowerCase() });
if (snapshot.room !== room || snapshot.members.length !== 2) fail('join snapshot is wrong');
await ann.next((f) => f.t === 'event' && f.name === 'joined');
await bob.request({ t: 'send', room, name: 'message', data: { text: 'hello from a script' } });
const heard = await ann.next((f) => f.t === 'event' && f.name === 'message');
if (heard.data.text !== 'hello from a script' || heard.data.name !== 'Bob') fail('message not delivered');
console.log(`smoke: room ${room}: create, join and send round trip ok`);
ann.ws.close(1000);
bob.ws.close(1000);
process.exit(0);

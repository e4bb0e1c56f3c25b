import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../src/server/http';
import { silentLogger } from '../../src/bot/deps';

describe('server: HTTP transport', () => {
  let server: RunningServer;
  const seen: unknown[] = [];
  let ready = true;

  before(async () => {
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      localMode: true,
      log: silentLogger,
      processActivity: async (req, res) => {
        seen.push(req.body);
        res.send(200, { ok: true });
      },
      health: () => ({ ok: true, detail: { store: 'memory' } }),
      ready: async () => {
        if (!ready) throw new Error('Graph is unreachable');
        return { ok: true };
      },
    });
  });
  after(() => server.close());

  it('binds to the loopback address in local mode', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  const activity = {
    type: 'message',
    text: 'hi',
    serviceUrl: 'http://127.0.0.1:9/',
    conversation: { id: 'c1' },
    from: { id: '29:a' },
  };

  it('POST /api/messages hands activities to the adapter', async () => {
    const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    assert.equal(res.status, 200);
    assert.deepEqual(seen.at(-1), activity);
    assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('an activity without what Teams always sends, of a type no channel sends, or (local mode) replying off loopback: 400 saying what', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...activity, conversation: undefined }, /conversation\.id is required/],
      [{ ...activity, from: { name: 'x' } }, /from\.id is required/],
      [{ ...activity, serviceUrl: 'http://evil.example/' }, /loopback/],
      [{ ...activity, serviceUrl: 'file:///etc/passwd' }, /http\(s\)/],
      [{ ...activity, type: 'invokeResponse' }, /not accepted/],
      [{ ...activity, text: { $ne: null } }, /text must be a string/],
    ];
    const before = seen.length;
    for (const [body, message] of cases) {
      const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(((await res.json()) as any).error.message, message);
    }
    assert.equal(seen.length, before, 'none reached the adapter');
  });

  it('only JSON is read: other content types 415, bodies over the limit 413', async () => {
    const form = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'type=message' });
    assert.equal(form.status, 415);
    const big = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...activity, text: 'x'.repeat(400_000) }),
    });
    assert.equal(big.status, 413);
    assert.equal(((await big.json()) as any).error.code, 'PayloadTooLarge');
  });

  it('a body that is not an activity gets a 400 with a JSON error', async () => {
    for (const body of ['{"foo":1}', '[]', '"x"']) {
      const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.equal(res.status, 400, body);
      assert.equal(((await res.json()) as any).error.code, 'BadRequest');
    }
    const bad = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    assert.equal(bad.status, 400);
  });

  it('GET /healthz and /readyz', async () => {
    const h = await fetch(`${server.url}/healthz`);
    assert.equal(h.status, 200);
    assert.deepEqual(await h.json(), { status: 'ok', store: 'memory' });
    ready = false;
    const r = await fetch(`${server.url}/readyz`);
    assert.equal(r.status, 503);
    assert.match(((await r.json()) as any).error, /Graph is unreachable/);
    ready = true;
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  });
});

describe('server: health probes in production mode say only ok / not ok', () => {
  let server: RunningServer;
  let ready = true;

  before(async () => {
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      localMode: false,
      log: silentLogger,
      processActivity: async (_req, res) => {
        res.send(200, {});
      },
      health: () => ({ ok: true, detail: { store: '/var/lib/plan-switch/state.db' } }),
      ready: async () => {
        if (!ready) throw new Error('GET https://graph.microsoft.com/v1.0/organization failed for Contoso Nederland');
        return { ok: true, detail: { graph: 'https://graph.microsoft.com/v1.0', tenant: 'Contoso Nederland' } };
      },
    });
  });
  after(() => server.close());

  it('no file path, Graph URL or tenant name, healthy or not', async () => {
    const h = await fetch(`${server.url}/healthz`);
    assert.equal(h.status, 200);
    assert.deepEqual(await h.json(), { status: 'ok' });
    const r = await fetch(`${server.url}/readyz`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: 'ok' });
    ready = false;
    const down = await fetch(`${server.url}/readyz`);
    assert.equal(down.status, 503);
    assert.deepEqual(await down.json(), { status: 'unavailable' });
  });
});

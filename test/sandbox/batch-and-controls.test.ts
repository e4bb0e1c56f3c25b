import assert from 'node:assert/strict';
import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client';
import { skuId, tenantFixture, withSandbox } from '../helpers/sandbox';

const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');

describe('sandbox: $batch, faults, request log, reset, latency', () => {
  const names = Array.from({ length: 25 }, (_, i) => `u${i + 1}`);
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', 50)
      .sku('ENTERPRISEPACK', 50)
      .users(names, { licenses: ['STANDARDPACK'] })
      .build(),
    { resetEach: true },
  );
  const swapBody = { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] };
  const licensesOf = async (user: string) =>
    ((await sb.client().api(`/users/${user}@contoso.example`).select('assignedLicenses').get()).assignedLicenses as { skuId: string }[]).map((l) => l.skuId);

  it("runs each request of a batch on its own through the Graph SDK; an item url that keeps /v1.0 is Graph's 400", async () => {
    // The SDK's BatchRequestContent keeps what follows the host: without the version, the item
    // urls are relative to it as Graph wants; with it, Graph reads "v1.0" as a resource.
    const step = (id: string, base: string, u: string) => ({
      id,
      request: new Request(`${base}/users/${u}@contoso.example/assignLicense`, {
        method: 'POST',
        body: JSON.stringify(swapBody),
        headers: { 'Content-Type': 'application/json' },
      }),
    });
    const versioned = await sb
      .client()
      .api('/$batch')
      .post(await new BatchRequestContent([step('v', sb.graphBaseUrl, 'u5')]).getContent());
    const v = new BatchResponseContent(versioned).getResponseById('v');
    assert.equal(v.status, 400);
    assert.equal(((await v.json()) as { error: { message: string } }).error.message, "Resource not found for the segment 'v1.0'.");
    assert.deepEqual(await licensesOf('u5'), [E1]);
    const steps = ['u1', 'u2', 'nobody'].map((u, i) => ({
      id: String(i + 1),
      request: new Request(`${sb.url}/users/${u}@contoso.example/assignLicense`, {
        method: 'POST',
        body: JSON.stringify(swapBody),
        headers: { 'Content-Type': 'application/json' },
      }),
    }));
    const content = new BatchRequestContent(steps);
    const res = await sb
      .client()
      .api('/$batch')
      .post(await content.getContent());
    const out = new BatchResponseContent(res);
    assert.equal(out.getResponseById('1').status, 200);
    assert.equal(out.getResponseById('2').status, 200);
    assert.equal(out.getResponseById('3').status, 404);
    assert.equal(((await out.getResponseById('3').json()) as { error: { code: string } }).error.code, 'Request_ResourceNotFound');
    assert.deepEqual(await licensesOf('u1'), [E3]);
    assert.deepEqual(await licensesOf('u2'), [E3]);
  });

  it('accepts relative urls with or without a leading slash, refuses /v1.0 in them; honours dependsOn (424)', async () => {
    const res = await sb.post('/$batch', {
      requests: [
        { id: 'a', method: 'GET', url: '/users/u1@contoso.example?$select=displayName' },
        { id: 'b', method: 'GET', url: 'users/u2@contoso.example' },
        { id: 'c', method: 'GET', url: '/v1.0/subscribedSkus' },
        { id: 'd', method: 'GET', url: '/users/nobody@contoso.example' },
        { id: 'e', method: 'POST', url: '/users/u3@contoso.example/assignLicense', dependsOn: ['d'], body: swapBody, headers: { 'Content-Type': 'application/json' } },
      ],
    });
    assert.equal(res.status, 200);
    const byId = Object.fromEntries(res.body.responses.map((r: { id: string }) => [r.id, r]));
    assert.deepEqual(
      ['a', 'b', 'c', 'd', 'e'].map((id) => byId[id].status),
      [200, 200, 400, 404, 424],
    );
    assert.equal(byId.a.body.displayName, 'U1');
    assert.equal(byId.c.body.error.message, "Resource not found for the segment 'v1.0'.");
    assert.deepEqual(await licensesOf('u3'), [E1]);
  });

  it('more than 20 requests is a 400; malformed batches too', async () => {
    const requests = names.slice(0, 21).map((u, i) => ({ id: String(i), method: 'GET', url: `/users/${u}@contoso.example` }));
    const tooMany = await sb.post('/$batch', { requests });
    assert.equal(tooMany.status, 400);
    assert.ok(tooMany.body.error.message);
    const twenty = await sb.post('/$batch', { requests: requests.slice(0, 20) });
    assert.equal(twenty.status, 200);
    assert.equal(twenty.body.responses.length, 20);
    for (const bad of [
      '{ nope',
      {},
      { requests: [{ id: '1', url: '/users' }] },
      {
        requests: [
          { id: '1', method: 'GET', url: '/users' },
          { id: '1', method: 'GET', url: '/users' },
        ],
      },
    ]) {
      const r = await sb.post('/$batch', bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
    }
  });

  it('faults apply inside batches: a throttled request is a 429 with Retry-After inside a 200', async () => {
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 429, times: 2, retryAfterSeconds: 7 });
    const res = await sb.post('/$batch', {
      requests: ['u1', 'u2', 'u3'].map((u, i) => ({
        id: String(i),
        method: 'POST',
        url: `/users/${u}@contoso.example/assignLicense`,
        body: swapBody,
        headers: { 'Content-Type': 'application/json' },
      })),
    });
    assert.equal(res.status, 200);
    const byId = Object.fromEntries(res.body.responses.map((r: { id: string }) => [r.id, r]));
    // The items ran in some order: the first two to run met the fault.
    const ran = res.body.responses.map((r: { id: string }) => Number(r.id));
    const [a, b, c] = ran.map((i: number) => byId[String(i)]);
    assert.deepEqual([a.status, b.status, c.status], [429, 429, 200]);
    assert.equal(a.headers['Retry-After'], '7');
    assert.equal(a.body.error.code, 'TooManyRequests');
    const user = (i: number) => `u${i + 1}`;
    assert.deepEqual(await licensesOf(user(ran[0])), [E1], 'a throttled request did not happen');
    assert.deepEqual(await licensesOf(user(ran[2])), [E3]);

    const log = await sb.requests();
    const subs = log.filter((e) => e.batch);
    assert.deepEqual(
      subs.map((e) => [e.method, e.path, e.status]),
      ran.map((i: number, k: number) => ['POST', `/users/${user(i)}@contoso.example/assignLicense`, k < 2 ? 429 : 200]),
    );
    assert.equal(subs[0].url, `/v1.0/users/${user(ran[0])}@contoso.example/assignLicense`);
    assert.ok(log.some((e) => !e.batch && e.path === '/$batch' && e.status === 200));
  });

  it("the Graph SDK's retry honours Retry-After from an injected 429; the request log counts every attempt", async () => {
    await sb.fault({ method: 'POST', path: '/v1.0/users/*/assignLicense', status: 429, times: 1, retryAfterSeconds: 1 });
    const t0 = Date.now();
    await sb.client().api('/users/u4@contoso.example/assignLicense').post(swapBody);
    assert.ok(Date.now() - t0 >= 950, 'waited the Retry-After second');
    assert.deepEqual(await licensesOf('u4'), [E3]);
    const calls = (await sb.requests()).filter((e) => e.path.endsWith('/assignLicense'));
    assert.deepEqual(
      calls.map((e) => e.status),
      [429, 200],
    );
    assert.equal(calls[0].fault, true);
    assert.ok(!Number.isNaN(Date.parse(calls[0].at)));
  });

  it('500 and 503 faults; DELETE clears them; hideSuccess applies the write yet answers the fault', async () => {
    await sb.fault({ method: 'GET', path: '/subscribedSkus', status: 503, times: 5, retryAfterSeconds: 0 });
    await sb.fault({ path: '/organization', status: 500 });
    const r503 = await sb.get('/subscribedSkus');
    assert.equal(r503.status, 503);
    assert.equal(r503.headers.get('retry-after'), '0');
    assert.equal((await sb.get('/organization')).status, 500);
    assert.equal((await sb.get('/organization')).status, 200, 'times defaults to 1');
    await sb.clearFaults();
    assert.equal((await sb.get('/subscribedSkus')).status, 200);

    await sb.fault({ method: 'POST', path: '/users/u5@contoso.example/assignLicense', status: 429, retryAfterSeconds: 0, hideSuccess: true });
    const hidden = await sb.post('/users/u5@contoso.example/assignLicense', swapBody);
    assert.equal(hidden.status, 429);
    assert.deepEqual(await licensesOf('u5'), [E3], 'the write happened behind the 429');
  });

  it('fault specs are validated', async () => {
    const res = await fetch(`${sb.url}/_sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ path: '/x', status: 200 }) });
    assert.equal(res.status, 400);
    const unknown = await fetch(`${sb.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ path: '/x', status: 429, colour: 1 }),
    });
    assert.equal(unknown.status, 400);
  });

  it('reset reloads the fixture: changes, faults and the log are gone', async () => {
    await sb.client().api('/users/u6@contoso.example/assignLicense').post(swapBody);
    await sb.fault({ path: '/users', status: 500, times: 10 });
    await sb.reset();
    assert.deepEqual(await licensesOf('u6'), [E1]);
    assert.equal((await sb.get('/users')).status, 200);
    const log = await sb.requests();
    assert.equal(log.length, 2, 'only the two requests since the reset');
  });

  it('latencyMs is added to every Graph response (not to the test controls)', async () => {
    await sb.behavior({ latencyMs: 500 });
    const t0 = Date.now();
    await sb.get('/organization');
    assert.ok(Date.now() - t0 >= 495, `took ${Date.now() - t0} ms`);
    const t1 = Date.now();
    await sb.requests();
    assert.ok(Date.now() - t1 < 400, 'controls are not delayed');
    await sb.behavior({ latencyMs: 0 });
  });

  it('keeps serving after anything: garbage paths, bodies and methods', async () => {
    const probes: [string, string, string | undefined][] = [
      ['GET', '/users/%E0%A4%A', undefined],
      ['POST', '/users', '{"a":'],
      ['PUT', '/groups', '{}'],
      ['GET', "/users?$filter=startswith(displayName,'''", undefined],
      ['GET', '/users?$select=', undefined],
      ['GET', '/users?$orderby=shoeSize', undefined],
      ['GET', '/users?$expand=memberOf', undefined],
      ['POST', '/$batch', 'null'],
      ['GET', '/$batch', undefined],
    ];
    for (const [method, path, body] of probes) {
      const r = await fetch(`${sb.graphBaseUrl}${path}`, { method, body, headers: body ? { 'Content-Type': 'application/json' } : {} });
      assert.ok(r.status >= 200 && r.status < 500, `${method} ${path} -> ${r.status}`);
      const text = await r.text();
      if (r.status >= 400) assert.ok(JSON.parse(text).error.message, `${method} ${path}`);
    }
    assert.equal((await sb.get('/organization')).status, 200);
  });
});

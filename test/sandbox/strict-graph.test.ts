import assert from 'node:assert/strict';
import { validateFixture } from '../../src/sandbox';
import { skuId, tenantFixture, withSandbox } from '../helpers/sandbox';

// The sandbox is as strict as Graph v1.0 (docs/tenant-fixture.md, "Strict like Graph"): default
// property sets, untyped member collections, $batch rules, quotas, replication lag, processing that
// starts late, Graph's error shape. Each rule here is one a product that trusted a kinder Graph
// would trip over on a real tenant.
const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');

const base = () =>
  tenantFixture('Contoso')
    .sku('STANDARDPACK', 50)
    .sku('ENTERPRISEPACK', 50)
    .user('alice', { licenses: ['STANDARDPACK'] })
    .user('bob', {})
    .user('carl', {})
    .user('$dollar', { licenses: ['STANDARDPACK'] })
    .group('Sales', { members: ['alice', 'bob', 'group:Interns'], licenses: ['STANDARDPACK'] })
    .group('Interns', { members: [] });

describe('sandbox, strict like Graph: property sets and member collections', () => {
  const sb = withSandbox(base().build(), { resetEach: true });
  const salesId = async () => (await sb.get(`/groups?$filter=${encodeURIComponent("displayName eq 'Sales'")}`)).body.value[0].id as string;

  it("a group without $select carries Graph's default set: no assignedLicenses, no licenseProcessingState", async () => {
    const g = (await sb.get(`/groups/${await salesId()}`)).body;
    assert.ok(g.displayName && 'securityEnabled' in g && 'groupTypes' in g);
    assert.ok(!('assignedLicenses' in g) && !('licenseProcessingState' in g));
    const page = (await sb.get('/groups')).body.value[0];
    assert.ok(!('assignedLicenses' in page), 'lists too');
    const sel = (await sb.get(`/groups/${await salesId()}?$select=assignedLicenses,licenseProcessingState,hasMembersWithLicenseErrors`)).body;
    assert.deepEqual(sel.assignedLicenses, [{ disabledPlans: [], skuId: E1 }]);
    assert.deepEqual(sel.licenseProcessingState, { state: 'ProcessingComplete' });
    assert.ok(!('hasMembersWithLicenseErrors' in sel), 'filter-only');
  });

  it('a user list without $select has no license fields; with it, they come', async () => {
    const page = (await sb.get('/users')).body.value;
    assert.ok(page.every((u: Record<string, unknown>) => !('assignedLicenses' in u) && !('usageLocation' in u) && !('accountEnabled' in u)));
    const sel = (await sb.get('/users?$select=id,usageLocation,accountEnabled,assignedLicenses')).body.value;
    assert.ok(sel.every((u: Record<string, unknown>) => 'assignedLicenses' in u && 'usageLocation' in u && 'accountEnabled' in u));
  });

  it('the untyped /members leaves user-only fields out even when selected (default "omit"); the casts carry them', async () => {
    const id = await salesId();
    const untyped = (await sb.get(`/groups/${id}/members?$select=id,displayName,userPrincipalName,licenseAssignmentStates,assignedLicenses`)).body.value;
    const alice = untyped.find((m: { userPrincipalName?: string }) => m.userPrincipalName === 'alice@contoso.example');
    assert.ok(alice, 'default properties (displayName, userPrincipalName) still come');
    assert.ok(!('licenseAssignmentStates' in alice) && !('assignedLicenses' in alice));
    const cast = (await sb.get(`/groups/${id}/members/microsoft.graph.user?$select=id,userPrincipalName,licenseAssignmentStates`)).body.value;
    assert.equal(cast.length, 2);
    assert.ok(cast.every((u: Record<string, unknown>) => Array.isArray(u.licenseAssignmentStates)));
    const groups = (await sb.get(`/groups/${id}/members/microsoft.graph.group?$select=id,displayName`)).body.value;
    assert.deepEqual(
      groups.map((g: { displayName: string }) => g.displayName),
      ['Interns'],
    );
    const errors = (await sb.get(`/groups/${id}/membersWithLicenseErrors?$select=id,licenseAssignmentStates`)).body.value;
    assert.deepEqual(errors, [], 'the same rule on membersWithLicenseErrors (nobody in error here)');
  });

  it('behavior.untypedMemberFields "return": the untyped /members carries them (the other possible Graph)', async () => {
    await sb.behavior({ untypedMemberFields: 'return' });
    const untyped = (await sb.get(`/groups/${await salesId()}/members?$select=id,userPrincipalName,licenseAssignmentStates`)).body.value;
    const alice = untyped.find((m: { userPrincipalName?: string }) => m.userPrincipalName === 'alice@contoso.example');
    assert.equal(alice.licenseAssignmentStates.length, 2, 'direct and from Sales');
    await sb.behavior({ untypedMemberFields: 'omit' });
  });

  it("a UPN starting with $ is addressed as /users('$x'); /users/$x is not that user", async () => {
    const key = (await sb.get(`/users('${encodeURIComponent('$dollar@contoso.example')}')?$select=id,userPrincipalName`)).body;
    assert.equal(key.userPrincipalName, '$dollar@contoso.example');
    const quoted = await sb.get(`/users('${encodeURIComponent("o''brien@contoso.example")}')`);
    assert.equal(quoted.status, 404, "quotes doubled inside the key: o'brien, who does not exist");
  });

  it('$top above 999 is refused with 400 Request_UnsupportedQuery, also on the member casts', async () => {
    for (const path of ['/users?$top=1000', `/groups/${await salesId()}/members/microsoft.graph.user?$top=1000`]) {
      const r = await sb.get(path);
      assert.equal(r.status, 400, path);
      assert.equal(r.body.error.code, 'Request_UnsupportedQuery');
    }
  });

  it("errors carry Graph's innerError: date, request-id and the caller's client-request-id, also as headers", async () => {
    const r = await sb.get('/users/nobody@contoso.example', { 'client-request-id': 'c0ffee00-0000-4000-8000-000000000001' });
    assert.equal(r.status, 404);
    const inner = r.body.error.innerError;
    assert.deepEqual(Object.keys(inner).sort(), ['client-request-id', 'date', 'request-id']);
    assert.match(inner.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal(inner['client-request-id'], 'c0ffee00-0000-4000-8000-000000000001');
    assert.equal(r.headers.get('request-id'), inner['request-id']);
    assert.equal(r.headers.get('client-request-id'), inner['client-request-id']);
    const made = (await sb.get('/users/nobody@contoso.example')).body.error.innerError;
    assert.match(made['client-request-id'], /^[0-9a-f-]{36}$/, 'made up when the caller sent none');
    const ok = await sb.get('/organization');
    assert.match(ok.headers.get('request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it("a key starting with $ in the plain form is Graph's 400, not a user", async () => {
    const r = await sb.get(`/users/${encodeURIComponent('$dollar@contoso.example')}`);
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /Resource not found for the segment/);
  });
});

describe('sandbox, strict like Graph: $batch', () => {
  const sb = withSandbox(base().build(), { resetEach: true });
  const reads = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, method: 'GET', url: '/organization?$select=id' }));
  const order = async () => ((await sb.post('/$batch', { requests: reads(10) })).body.responses as { id: string }[]).map((r) => r.id);

  it('an absolute URL in an item makes the whole batch a 400 "Invalid batch payload format."', async () => {
    const r = await sb.post('/$batch', { requests: [{ id: '1', method: 'GET', url: `${sb.graphBaseUrl}/organization` }] });
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /^Invalid batch payload format\./);
  });

  it('items run in a shuffled order, the same for the same seed; "sequential" runs them as sent', async () => {
    const first = await order();
    assert.notDeepEqual(
      first,
      reads(10).map((r) => r.id),
      'shuffled',
    );
    assert.deepEqual(
      [...first].sort(),
      reads(10)
        .map((r) => r.id)
        .sort(),
      'each answered once',
    );
    await sb.reset();
    assert.deepEqual(await order(), first, 'same seed, same order');
    await sb.behavior({ seed: 7 });
    assert.notDeepEqual(await order(), first);
    await sb.behavior({ batchOrder: 'sequential' });
    assert.deepEqual(
      await order(),
      reads(10).map((r) => r.id),
    );
  });

  it('dependsOn still runs an item after the one it depends on, whatever the shuffle', async () => {
    const body = { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] };
    for (let seed = 1; seed <= 5; seed++) {
      await sb.reset();
      await sb.behavior({ seed });
      const r = await sb.post('/$batch', {
        requests: [
          { id: 'read', method: 'GET', url: '/users/carl@contoso.example?$select=assignedLicenses', dependsOn: ['write'] },
          { id: 'write', method: 'POST', url: '/users/carl@contoso.example/assignLicense', body, headers: { 'Content-Type': 'application/json' } },
          ...reads(5),
        ],
      });
      const ids = r.body.responses.map((x: { id: string }) => x.id);
      assert.ok(ids.indexOf('write') < ids.indexOf('read'), `seed ${seed}: ${ids.join(',')}`);
      const read = r.body.responses.find((x: { id: string }) => x.id === 'read');
      assert.deepEqual(
        read.body.assignedLicenses.map((l: { skuId: string }) => l.skuId),
        [E3],
        'the read saw the write',
      );
    }
  });
});

describe('sandbox, strict like Graph: throttling, replication lag, late processing, latency', () => {
  const sb = withSandbox(
    base()
      .generate('All Staff', 999, { groupLicenses: ['STANDARDPACK'] })
      .build(),
    { resetEach: true },
  );
  const salesId = async () => (await sb.get(`/groups?$filter=${encodeURIComponent("displayName eq 'Sales'")}&$select=id`)).body.value[0].id as string;
  const carl = async () => (await sb.get('/users/carl@contoso.example?$select=assignedLicenses')).body.assignedLicenses.map((l: { skuId: string }) => l.skuId);
  const addE3 = { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] };

  it('behavior.throttle: past the quota Graph answers 429 with Retry-After on its own, in a batch item by item', async () => {
    await sb.behavior({ throttle: { resourceUnitsPer10s: 5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await sb.get('/organization')).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    const r = await sb.get('/organization');
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    assert.equal(r.body.error.code, 'TooManyRequests');
    const batch = await sb.post('/$batch', { requests: [{ id: '1', method: 'GET', url: '/organization' }] });
    assert.equal(batch.status, 200, 'the envelope itself is not throttled');
    assert.equal(batch.body.responses[0].status, 429);
    assert.ok(Number(batch.body.responses[0].headers['Retry-After']) >= 1);
    await sb.behavior({ throttle: null });
    assert.equal((await sb.get('/organization')).status, 200);
  });

  it('behavior.throttle: writes have their own quota; a throttled write changes nothing', async () => {
    await sb.behavior({ throttle: { writesPer150s: 1 } });
    assert.equal((await sb.post(`/users('${encodeURIComponent('$dollar@contoso.example')}')/assignLicense`, { addLicenses: [], removeLicenses: [E1] })).status, 200);
    const second = await sb.post('/users/carl@contoso.example/assignLicense', addE3);
    assert.equal(second.status, 429);
    assert.ok(Number(second.headers.get('retry-after')) >= 100, 'a write frees up in 150 s / quota');
    await sb.behavior({ throttle: null });
    assert.deepEqual(await carl(), []);
  });

  it('behavior.replicationLagMs: a read right after a write still shows the state before it, then the new one', async () => {
    await sb.behavior({ replicationLagMs: 1500 });
    const r = await sb.post('/users/carl@contoso.example/assignLicense', addE3);
    assert.equal(r.status, 200);
    assert.deepEqual(await carl(), [], 'stale');
    const users = (await sb.get('/users?$select=userPrincipalName,assignedLicenses&$top=999')).body.value;
    assert.deepEqual(users.find((m: { userPrincipalName: string }) => m.userPrincipalName === 'carl@contoso.example').assignedLicenses, [], 'lists too');
    await new Promise((res) => setTimeout(res, 1600));
    assert.deepEqual(await carl(), [E3]);
  });

  it('behavior.processingStartMs: the group reads as before its assignLicense until processing starts', async () => {
    // Processing then takes long enough that a loaded machine still finds it under way.
    await sb.behavior({ processingStartMs: 1500, groupProcessingMs: 10_000 });
    const id = await salesId();
    const state = async () => (await sb.get(`/groups/${id}?$select=assignedLicenses,licenseProcessingState`)).body;
    const r = await sb.post(`/groups/${id}/assignLicense`, { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] });
    assert.equal(r.status, 202);
    const before = await state();
    assert.deepEqual(before.licenseProcessingState, { state: 'ProcessingComplete' }, 'still the state before the write');
    assert.deepEqual(
      before.assignedLicenses.map((l: { skuId: string }) => l.skuId),
      [E1],
    );
    await new Promise((res) => setTimeout(res, 1600));
    const started = await state();
    assert.notEqual(started.licenseProcessingState.state, 'ProcessingComplete', 'processing has started');
    assert.deepEqual(
      started.assignedLicenses.map((l: { skuId: string }) => l.skuId),
      [E3],
    );
  });

  it('behavior.latencyPerItemMs: a 999-member page costs more than a one-user read', async () => {
    await sb.behavior({ latencyMs: 0, latencyPerItemMs: 1 });
    const all = (await sb.get(`/groups?$filter=${encodeURIComponent("displayName eq 'All Staff'")}&$select=id`)).body.value[0].id;
    let t = Date.now();
    await sb.get('/users/alice@contoso.example');
    const one = Date.now() - t;
    t = Date.now();
    const page = await sb.get(`/groups/${all}/members/microsoft.graph.user?$select=id&$top=999`);
    const many = Date.now() - t;
    assert.equal(page.body.value.length, 999);
    assert.ok(many >= 990, `999 members: ${many} ms`);
    assert.ok(one < many / 3, `one user: ${one} ms`);
  });
});

describe('sandbox fixture: the strict behaviour fields', () => {
  it('old fixtures load unchanged with the strict defaults; new fields are checked and named', () => {
    const old = validateFixture({ tenant: { displayName: 'Old' }, behavior: { groupProcessingMs: 10, latencyMs: 0 } });
    assert.ok(old.ok);
    if (old.ok) {
      assert.deepEqual(old.fixture.behavior, {
        groupProcessingMs: 10,
        latencyMs: 0,
        latencyPerItemMs: 0,
        replicationLagMs: 0,
        processingStartMs: 0,
        untypedMemberFields: 'omit',
        batchOrder: 'shuffled',
        seed: 1,
        throttle: null,
      });
    }
    const full = validateFixture({
      tenant: { displayName: 'New' },
      behavior: { throttle: {}, untypedMemberFields: 'return', batchOrder: 'sequential', replicationLagMs: 5, processingStartMs: 5, latencyPerItemMs: 0.25, seed: 3 },
    });
    assert.ok(full.ok && full.fixture.behavior.throttle?.resourceUnitsPer10s === 8000 && full.fixture.behavior.throttle.writesPer150s === 3000);
    const bad = validateFixture({ tenant: { displayName: 'Bad' }, behavior: { untypedMemberFields: 'maybe', throttle: { perSecond: 3 }, replicationLagMs: -1 } });
    assert.ok(!bad.ok);
    if (!bad.ok) {
      const paths = bad.problems.map((p) => p.path).sort();
      assert.deepEqual(paths, ['behavior.replicationLagMs', 'behavior.throttle.perSecond', 'behavior.untypedMemberFields']);
    }
  });
});

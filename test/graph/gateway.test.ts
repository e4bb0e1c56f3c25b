import assert from 'node:assert/strict';
import { GraphError } from '../../src/graph/errors';
import { peekNextLink, writeApplied } from '../../src/graph/gateway';
import { skuId, tenantFixture, withSandbox, type RequestLogEntry } from '../helpers/sandbox';
import { testGateway } from './support';

const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');
const swapBody = { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] };

const assignCalls = (log: RequestLogEntry[], method = 'POST') => log.filter((r) => r.method === method && /\/assignLicense$/i.test(r.path));

describe('graph gateway: reads', () => {
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', 10)
      .sku('ENTERPRISEPACK', 5)
      .user('alice', { licenses: ['STANDARDPACK'], department: 'Sales' })
      .user('alan', { licenses: [] })
      .user('bob', { licenses: [] })
      .group('Sales', { members: ['alice', 'bob', 'group:Sales Interns'], licenses: ['STANDARDPACK'] })
      .group('Sales Interns', { members: ['alan'] })
      .group('Support', { members: [] })
      .build(),
    { resetEach: true },
  );

  it('reads the organization and the subscribed SKUs', async () => {
    const { gateway } = testGateway(sb);
    const org = await gateway.organization();
    assert.equal(org.displayName, 'Contoso');
    assert.equal(org.countryLetterCode, 'NL');
    const skus = await gateway.subscribedSkus();
    assert.deepEqual(skus.map((s) => s.skuPartNumber).sort(), ['ENTERPRISEPACK', 'STANDARDPACK']);
  });

  it('reads a user by UPN or id with the license fields; 404 is null', async () => {
    const { gateway } = testGateway(sb);
    const alice = await gateway.getUser('alice@contoso.example');
    assert.ok(alice);
    assert.equal(alice.department, 'Sales');
    assert.deepEqual(
      alice.assignedLicenses.map((l) => l.skuId),
      [E1],
    );
    assert.ok(alice.licenseAssignmentStates.some((s) => s.assignedByGroup === null && s.skuId === E1));
    assert.ok(alice.licenseAssignmentStates.some((s) => s.assignedByGroup !== null && s.skuId === E1));
    const byId = await gateway.getUser(alice.id);
    assert.equal(byId?.userPrincipalName, 'alice@contoso.example');
    assert.equal(await gateway.getUser('nobody@contoso.example'), null);
  });

  it('reads many users through $batch and reports the unknown ones', async () => {
    const { gateway, stats } = testGateway(sb);
    const r = await gateway.getUsers(['alice@contoso.example', 'bob@contoso.example', 'ghost@contoso.example', 'alice@contoso.example']);
    assert.deepEqual(r.users.map((u) => u.userPrincipalName).sort(), ['alice@contoso.example', 'bob@contoso.example']);
    assert.deepEqual(r.notFound, ['ghost@contoso.example']);
    assert.equal(stats.httpRequests, 1);
  });

  it('searches users by name or UPN prefix and finds groups by exact name or prefix', async () => {
    const { gateway } = testGateway(sb);
    assert.deepEqual((await gateway.searchUsers('al', 10)).map((u) => u.userPrincipalName).sort(), ['alan@contoso.example', 'alice@contoso.example']);
    assert.deepEqual(
      (await gateway.findGroups('sales', 'exact')).map((g) => g.displayName),
      ['Sales'],
    );
    assert.deepEqual((await gateway.findGroups('Sales', 'prefix')).map((g) => g.displayName).sort(), ['Sales', 'Sales Interns']);
    assert.deepEqual(await gateway.findGroups("O'Brien's", 'exact'), []);
  });

  it('reads a group, its processing state, and group names through $batch', async () => {
    const { gateway } = testGateway(sb);
    const [sales] = await gateway.findGroups('Sales', 'exact');
    const g = await gateway.getGroup(sales!.id);
    assert.equal(g?.securityEnabled, true);
    assert.deepEqual(
      g?.assignedLicenses.map((l) => l.skuId),
      [E1],
    );
    assert.equal(await gateway.groupProcessingState(sales!.id), 'ProcessingComplete');
    assert.equal(await gateway.getGroup('00000000-0000-0000-0000-000000000000'), null);
    const names = await gateway.groupNames([sales!.id, '00000000-0000-0000-0000-000000000000']);
    assert.deepEqual(names, { [sales!.id.toLowerCase()]: 'Sales' });
  });

  it('lists user members through the user cast and nested groups through the group cast', async () => {
    const { gateway, stats } = testGateway(sb);
    const [sales] = await gateway.findGroups('Sales', 'exact');
    stats.httpRequests = 0;
    await sb.clearRequests();
    const m = await gateway.listGroupMembers(sales!.id);
    assert.deepEqual(m.users.map((u) => u.userPrincipalName).sort(), ['alice@contoso.example', 'bob@contoso.example']);
    assert.deepEqual(
      m.groups.map((g) => g.displayName),
      ['Sales Interns'],
    );
    assert.ok(m.users.every((u) => Array.isArray(u.licenseAssignmentStates)));
    assert.equal(stats.httpRequests, 2);
    assert.deepEqual((await sb.requests()).map((r) => r.path.replace(sales!.id, '{id}')).sort(), [
      '/groups/{id}/members/microsoft.graph.group',
      '/groups/{id}/members/microsoft.graph.user',
    ]);
    assert.deepEqual((await gateway.listGroupUserMembers(sales!.id, 'id')).length, 2);
    assert.deepEqual(
      (await gateway.listNestedGroups(sales!.id)).map((g) => g.displayName),
      ['Sales Interns'],
    );
  });

  it('retries reads on 500 and 503, honouring Retry-After', async () => {
    const { gateway, waits } = testGateway(sb);
    await sb.fault({ method: 'GET', path: '/users/*', status: 503, times: 1, retryAfterSeconds: 2 });
    await sb.fault({ method: 'GET', path: '/users/*', status: 500, times: 1 });
    const u = await gateway.getUser('alice@contoso.example');
    assert.equal(u?.userPrincipalName, 'alice@contoso.example');
    assert.equal(waits[0], 2000);
    assert.equal(waits.length, 2);
    const log = (await sb.requests()).filter((r) => r.method === 'GET' && r.path.includes('/users/'));
    assert.deepEqual(
      log.map((r) => r.status),
      [503, 500, 200],
    );
  });

  it('retries only the throttled requests inside a read $batch', async () => {
    const { gateway, waits } = testGateway(sb);
    await sb.fault({ method: 'GET', path: '/users/bob*', status: 429, times: 1, retryAfterSeconds: 3 });
    const r = await gateway.getUsers(['alice@contoso.example', 'bob@contoso.example']);
    assert.equal(r.users.length, 2);
    assert.deepEqual(waits, [3000]);
    const gets = (await sb.requests()).filter((x) => x.batch);
    assert.equal(gets.filter((x) => x.path.includes('alice')).length, 1);
    assert.equal(gets.filter((x) => x.path.includes('bob')).length, 2);
  });

  it('gives up after the retries with a typed GraphError and no stack of the client', async () => {
    const { gateway } = testGateway(sb, { maxAttempts: 2 });
    await sb.fault({ method: 'GET', path: '/subscribedSkus', status: 503, times: 10 });
    const err = await gateway.subscribedSkus().then(
      () => assert.fail('expected an error'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof GraphError);
    assert.equal(err.status, 503);
    assert.deepEqual(Object.keys(err.toJSON()).sort(), ['code', 'message', 'status']);
    await sb.clearFaults();
  });
});

describe('graph gateway: paging', () => {
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', 3000)
      .sku('ENTERPRISEPACK', 3000)
      .generate('All Staff', 2500, { groupLicenses: ['STANDARDPACK'] })
      .group('Nested', { members: [] })
      .build(),
  );

  it('follows every @odata.nextLink past 999 members', async () => {
    const { gateway } = testGateway(sb);
    const [all] = await gateway.findGroups('All Staff', 'exact');
    await sb.clearRequests();
    const m = await gateway.listGroupMembers(all!.id);
    assert.equal(m.users.length, 2500);
    assert.equal(new Set(m.users.map((u) => u.id)).size, 2500);
    assert.equal(m.pages, 3);
    const log = (await sb.requests()).filter((r) => r.path.endsWith('/members/microsoft.graph.user'));
    assert.equal(log.length, 3);
    assert.ok(log.every((r) => r.status === 200));
    assert.ok(m.users.every((u) => u.licenseAssignmentStates.length === 1 && u.licenseAssignmentStates[0]!.assignedByGroup === all!.id.toLowerCase()));
    const userOnly = await gateway.listGroupUserMembers(all!.id, 'id');
    assert.equal(userOnly.length, 2500);
  });
});

describe('graph gateway: writes', () => {
  const names = Array.from({ length: 45 }, (_, i) => `u${i + 1}`);
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', 100)
      .sku('ENTERPRISEPACK', 100)
      .users(names, { licenses: ['STANDARDPACK'] })
      .user('nowhere', { licenses: ['STANDARDPACK'], usageLocation: null })
      .user('teamer', { licenses: [] })
      .group('Team', { members: ['teamer'], licenses: ['STANDARDPACK'] })
      .build(),
    { resetEach: true },
  );

  async function ids(gw: ReturnType<typeof testGateway>['gateway'], who: string[]) {
    const r = await gw.getUsers(who.map((n) => `${n}@contoso.example`));
    return who.map((n) => r.byQuery.get(`${n}@contoso.example`)!.id);
  }

  it('swaps one user in one call', async () => {
    const { gateway } = testGateway(sb);
    const [id] = await ids(gateway, ['u2']);
    const out = await gateway.assignUserLicense(id!, swapBody);
    assert.deepEqual(out, { id, ok: true, verified: false, attempts: 1 });
    const u = await gateway.getUser(id!);
    assert.deepEqual(
      u!.assignedLicenses.map((l) => l.skuId),
      [E3],
    );
  });

  it('returns a refusal as an outcome, without retrying it', async () => {
    const { gateway } = testGateway(sb);
    const [id] = await ids(gateway, ['nowhere']);
    const out = await gateway.assignUserLicense(id!, swapBody);
    assert.equal(out.ok, false);
    assert.ok(!out.ok && out.error.status === 400 && /usage location/i.test(out.error.message));
    assert.equal(assignCalls(await sb.requests()).length, 1);
  });

  it('a 429 that hid a successful write: re-reads the user and never writes again', async () => {
    const { gateway, waits } = testGateway(sb);
    const [id] = await ids(gateway, ['u3']);
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 429, times: 1, retryAfterSeconds: 2, hideSuccess: true });
    const out = await gateway.assignUserLicense(id!, swapBody);
    assert.deepEqual(out, { id, ok: true, verified: true, attempts: 1 });
    assert.deepEqual(waits, [2000]);
    const calls = assignCalls(await sb.requests());
    assert.deepEqual(
      calls.map((c) => c.status),
      [429],
    );
    const u = await gateway.getUser(id!);
    assert.deepEqual(
      u!.assignedLicenses.map((l) => l.skuId),
      [E3],
    );
  });

  it('a 500 or 503 on a write that did not happen: re-reads, then writes again', async () => {
    const { gateway } = testGateway(sb);
    const [a, b] = await ids(gateway, ['u4', 'u5']);
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 500, times: 1 });
    assert.equal((await gateway.assignUserLicense(a!, swapBody)).ok, true);
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 503, times: 1 });
    const out = await gateway.assignUserLicense(b!, swapBody);
    assert.equal(out.ok && out.attempts, 2);
    const calls = assignCalls(await sb.requests());
    assert.deepEqual(
      calls.map((c) => c.status),
      [500, 200, 503, 200],
    );
    // The re-read before each second attempt.
    const reads = (await sb.requests()).filter((r) => r.method === 'GET' && (r.path.endsWith(a!) || r.path.endsWith(b!)));
    assert.ok(reads.length >= 2);
  });

  it('a group write hidden behind a 503 is verified on the group, not sent twice', async () => {
    const { gateway } = testGateway(sb);
    const [team] = await gateway.findGroups('Team', 'exact');
    await sb.fault({ method: 'POST', path: '/groups/*/assignLicense', status: 503, times: 1, hideSuccess: true });
    const out = await gateway.assignGroupLicense(team!.id, swapBody);
    assert.deepEqual(out, { id: team!.id, ok: true, verified: true, attempts: 1 });
    assert.equal(assignCalls(await sb.requests()).length, 1);
  });

  it('batch of writes with 429s inside: every user swapped exactly once', async () => {
    const { gateway, stats, waits } = testGateway(sb, { batchConcurrency: 3 });
    const userIds = await ids(gateway, names);
    // Seven throttled answers that did nothing, three that hid a success.
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 429, times: 7, retryAfterSeconds: 1 });
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 429, times: 3, retryAfterSeconds: 2, hideSuccess: true });
    await sb.clearRequests();
    stats.httpRequests = 0;
    const outcomes = await gateway.assignUserLicenses(userIds.map((userId) => ({ userId, body: swapBody })));
    assert.equal(outcomes.length, 45);
    assert.ok(
      outcomes.every((o) => o.ok),
      JSON.stringify(outcomes.filter((o) => !o.ok)),
    );
    assert.equal(outcomes.filter((o) => o.ok && o.verified).length, 3);
    const log = await sb.requests();
    const applied = assignCalls(log).filter((c) => c.status === 200);
    // Each user: exactly one write took effect (a 200, or a throttled answer that hid one).
    const perUser = new Map<string, number>();
    for (const c of assignCalls(log)) perUser.set(c.path, (perUser.get(c.path) ?? 0) + (c.status === 200 ? 1 : 0));
    assert.equal(applied.length, 42);
    assert.equal(perUser.size, 45);
    const hidden = [...perUser.entries()].filter(([, n]) => n === 0).map(([p]) => p);
    assert.equal(hidden.length, 3);
    assert.ok([...perUser.values()].every((n) => n <= 1));
    assert.ok(Math.max(...waits) >= 1000, 'waited for Retry-After');
    // 3 write batches, 1 re-read batch, 1 write batch for the 7 not applied.
    assert.equal(stats.httpRequests, 5);
    const users = await gateway.getUsers(userIds);
    assert.ok(users.users.every((u) => u.assignedLicenses.length === 1 && u.assignedLicenses[0]!.skuId === E3));
  });

  it('a batch that fails as a whole: its writes are re-read, and only those not applied are sent again', async () => {
    const { gateway } = testGateway(sb);
    const userIds = await ids(gateway, names.slice(0, 5));
    await sb.fault({ method: 'POST', path: '/$batch', status: 503, times: 1, retryAfterSeconds: 1 });
    const outcomes = await gateway.assignUserLicenses(userIds.map((userId) => ({ userId, body: swapBody })));
    assert.ok(outcomes.every((o) => o.ok));
    const perUser = assignCalls(await sb.requests()).filter((c) => c.status === 200);
    assert.equal(perUser.length, 5);
  });

  it('a write whose outcome cannot be read back is never sent again: it ends as Unconfirmed', async () => {
    const { gateway } = testGateway(sb, { maxAttempts: 2 });
    const [a, b, c] = await ids(gateway, ['u6', 'u7', 'u8']);
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 503, times: 3, hideSuccess: true });
    await sb.fault({ method: 'GET', path: '/users/*', status: 500, times: 1000 });
    const one = await gateway.assignUserLicense(a!, swapBody);
    assert.equal(one.ok, false);
    assert.ok(!one.ok && one.error.code === 'Unconfirmed' && /may or may not/.test(one.error.message));
    const many = await gateway.assignUserLicenses([b!, c!].map((userId) => ({ userId, body: swapBody })));
    assert.deepEqual(
      many.map((o) => !o.ok && o.error.code),
      ['Unconfirmed', 'Unconfirmed'],
    );
    await sb.clearFaults();
    assert.equal(assignCalls(await sb.requests()).length, 3);
  });

  it('reads a top-level nextLink ahead of the value array, and nothing else', () => {
    const b = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o));
    assert.equal(
      peekNextLink(b({ '@odata.context': 'x', '@odata.nextLink': 'https://graph.microsoft.com/v1.0/groups/1/members?$skiptoken=a\\/b', value: [] })),
      'https://graph.microsoft.com/v1.0/groups/1/members?$skiptoken=a\\/b',
    );
    assert.equal(peekNextLink(b('{"value":[{"@odata.nextLink":"inner"}],"@odata.nextLink":"late"}')), undefined);
    assert.equal(peekNextLink(b('{"@odata.context":"x","value":[]}')), undefined);
    assert.equal(peekNextLink(b('{"a":{"@odata.nextLink":"nested"},"value":[]}')), undefined);
    assert.equal(peekNextLink(b('{"@odata.nextLink":"http:\\/\\/h\\/p","value":[]}')), 'http://h/p');
    assert.equal(peekNextLink(undefined), undefined);
  });

  it('judges whether a write took effect from the direct assignments', () => {
    const states = (list: [string, string | null][]) =>
      list.map(([sku, g]) => ({ skuId: sku, assignedByGroup: g, state: 'Active', error: null, disabledPlans: [], lastUpdatedDateTime: null }));
    assert.ok(writeApplied({ assignedLicenses: [], licenseAssignmentStates: states([[E3, null]]) }, swapBody));
    assert.ok(
      !writeApplied(
        {
          assignedLicenses: [],
          licenseAssignmentStates: states([
            [E3, 'g'],
            [E1, null],
          ]),
        },
        swapBody,
      ),
    );
    assert.ok(!writeApplied({ assignedLicenses: [], licenseAssignmentStates: states([[E3, 'g']]) }, swapBody));
    assert.ok(
      writeApplied(
        {
          assignedLicenses: [],
          licenseAssignmentStates: states([
            [E3, null],
            [E1, 'g'],
          ]),
        },
        swapBody,
      ),
    );
  });
});

import assert from 'node:assert/strict';
import { createGraphClient, newStats } from '../../src/graph/client';
import { GraphError } from '../../src/graph/errors';
import { GraphGateway, MISSING_PROPERTY, UNSAFE_KEY } from '../../src/graph/gateway';
import { LicenseService } from '../../src/licensing/service';
import { LicensingError } from '../../src/licensing/model';
import { skuId, tenantFixture, withSandbox } from '../helpers/sandbox';
import { testGateway } from './support';

// The gateway on a Graph as strict as the real one (docs/tenant-fixture.md, "Strict like Graph").
const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');

const fixture = (untyped: 'omit' | 'return') =>
  tenantFixture('Contoso')
    .sku('STANDARDPACK', 200)
    .sku('ENTERPRISEPACK', 200)
    .user('alice', { licenses: ['STANDARDPACK'] })
    .user('$dollar', { licenses: ['STANDARDPACK'] })
    .user('hash#tag', { licenses: [] })
    .group('Sales', { members: ['alice', 'group:Interns'], licenses: ['STANDARDPACK'] })
    .group('Interns', { members: [] })
    .generate('Bulk', 160, { prefix: 'bulk', licenses: ['STANDARDPACK'] })
    .behavior({ untypedMemberFields: untyped })
    .build();

const failure = <T>(p: Promise<T>) =>
  p.then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e as GraphError,
  );

for (const untyped of ['omit', 'return'] as const) {
  describe(`graph gateway on a strict Graph (untyped members: ${untyped})`, () => {
    const sb = withSandbox(fixture(untyped), { resetEach: true });
    const sales = async () => (await sb.get(`/groups?$filter=${encodeURIComponent("displayName eq 'Sales'")}&$select=id`)).body.value[0].id as string;

    it('group members come with their license states and nested groups apart, whatever the untyped collection does', async () => {
      const { gateway } = testGateway(sb);
      const m = await gateway.listGroupMembers(await sales());
      assert.deepEqual(
        m.users.map((u) => u.userPrincipalName),
        ['alice@contoso.example'],
      );
      assert.equal(m.users[0]!.licenseAssignmentStates.length, 2, 'direct and from Sales');
      assert.deepEqual(
        m.groups.map((g) => g.displayName),
        ['Interns'],
      );
    });

    it("a property Graph leaves out fails the read with what to check, never read as 'no licenses'", async () => {
      const { gateway } = testGateway(sb);
      await sb.fault({ method: 'GET', path: '/groups/*/members/microsoft.graph.user', withhold: ['licenseAssignmentStates'] });
      const e = await failure(gateway.listGroupMembers(await sales()));
      assert.equal(e.code, MISSING_PROPERTY);
      assert.match(e.message, /has no 'licenseAssignmentStates'/);
      assert.match(e.message, /alice@contoso\.example/);
      assert.match(e.message, /User\.Read\.All, GroupMember\.Read\.All/);
      await sb.fault({ method: 'GET', path: '/users/*', withhold: ['usageLocation'] });
      assert.equal((await failure(gateway.getUser('alice@contoso.example'))).code, MISSING_PROPERTY);
      await sb.fault({ method: 'GET', path: '/groups/*', withhold: ['licenseProcessingState'] });
      assert.equal((await failure(gateway.groupProcessingState(await sales()))).code, MISSING_PROPERTY);
    });

    it('the preflight says so too (the bot and the CLI show it), instead of a wrong answer', async () => {
      const svc = new LicenseService(testGateway(sb).gateway);
      await sb.fault({ method: 'GET', path: '/groups/*/members/microsoft.graph.user', withhold: ['licenseAssignmentStates'] });
      const e = await svc.preflight({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' }).then(
        () => assert.fail('expected an error'),
        (err: unknown) => err as LicensingError,
      );
      assert.equal(e.code, 'GRAPH_ERROR');
      assert.match(e.message, /licenseAssignmentStates/);
    });

    it("'.', '..' and keys with / are refused before any request; $ keys use /users('…'), # is %23", async () => {
      const { gateway } = testGateway(sb);
      await sb.clearRequests();
      for (const key of ['.', '..', '../users', 'a/b', 'a\\b', ' ']) {
        const e = await failure(gateway.getUser(key));
        assert.equal(e.code, UNSAFE_KEY, key);
        assert.ok(e.message.includes(`'${key}'`), e.message);
      }
      assert.equal((await failure(gateway.getUsers(['alice@contoso.example', '..']))).code, UNSAFE_KEY);
      assert.equal((await failure(gateway.assignUserLicenses([{ userId: '..', body: { addLicenses: [], removeLicenses: [] } }]))).code, UNSAFE_KEY);
      assert.equal((await failure(gateway.getGroup('..'))).code, UNSAFE_KEY);
      assert.deepEqual(await sb.requests(), [], 'no request went out');
      assert.equal((await gateway.getUser('$dollar@contoso.example'))?.userPrincipalName, '$dollar@contoso.example');
      assert.equal((await gateway.getUsers(['$dollar@contoso.example'])).users.length, 1);
      assert.equal((await gateway.getUser('hash#tag@contoso.example'))?.userPrincipalName, 'hash#tag@contoso.example');
      const urls = (await sb.requests()).map((r) => r.url);
      assert.ok(
        urls.some((u) => u.startsWith("/v1.0/users('%24dollar%40contoso.example')")),
        urls.join(' '),
      );
      assert.ok(
        urls.some((u) => u.includes('hash%23tag')),
        urls.join(' '),
      );
      const w = await gateway.assignUserLicense('$dollar@contoso.example', { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] });
      assert.equal(w.ok, true);
    });
  });
}

describe('graph gateway under Graph-like throttling', () => {
  const sb = withSandbox(fixture('omit'), { resetEach: true });

  it("429s with Retry-After from Graph's own quota: waited out, read back, never written twice", async function () {
    this.timeout(30_000);
    // Real waits: the write quota refills with time (150 per 150 s: one a second). 153 writes: the
    // last few are throttled; each is read back, then written when a write is free again.
    const stats = newStats();
    const host = `${sb.url}/`;
    const client = createGraphClient({ host, version: 'v1.0', stats, retry: { baseDelayMs: 50 } });
    const gateway = new GraphGateway(client, host, { stats, retry: { baseDelayMs: 50 }, maxAttempts: 10 });
    const ids = (await sb.get('/users?$select=id,userPrincipalName&$top=999')).body.value
      .filter((u: { userPrincipalName: string }) => u.userPrincipalName.startsWith('bulk'))
      .map((u: { id: string }) => u.id);
    assert.equal(ids.length, 160);
    ids.splice(153);
    await sb.behavior({ throttle: { writesPer150s: 150 } });
    await sb.clearRequests();
    const out = await gateway.assignUserLicenses(ids.map((userId: string) => ({ userId, body: { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] } })));
    await sb.behavior({ throttle: null });
    assert.ok(
      out.every((o) => o.ok),
      JSON.stringify(out.filter((o) => !o.ok)[0]),
    );
    assert.ok(stats.throttled > 0, 'Graph throttled some');
    const log = await sb.requests();
    const applied = log.filter((r) => r.batch && r.method === 'POST' && r.status === 200);
    assert.equal(applied.length, 153, 'each user written once');
    const throttled = log.filter((r) => r.batch && r.method === 'POST' && r.status === 429).map((r) => r.path);
    for (const path of throttled) {
      const i = log.findIndex((r) => r.path === path && r.status === 429);
      const reread = log.findIndex((r, k) => k > i && r.method === 'GET' && r.path === path.replace('/assignLicense', ''));
      assert.ok(reread > i, `${path} read back before it was sent again`);
    }
  });
});

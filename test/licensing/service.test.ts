import assert from 'node:assert/strict';
import sinon from 'sinon';
import { LicensingError, type ChangeSpec, type ResolvedChange } from '../../src/licensing/model';
import { LicenseService } from '../../src/licensing/service';
import { planId, skuId, tenantFixture, withSandbox } from '../helpers/sandbox';
import { testGateway } from '../graph/support';

const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');
const E5 = skuId('ENTERPRISEPREMIUM');

async function rejectsWith(p: Promise<unknown>, code: string): Promise<LicensingError> {
  const err = await p.then(
    () => assert.fail(`expected LicensingError ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof LicensingError, String(err));
  assert.equal(err.code, code, err.message);
  return err;
}

function service(sb: Parameters<typeof testGateway>[0], opts: ConstructorParameters<typeof LicenseService>[2] = {}) {
  const t = testGateway(sb);
  return { ...t, svc: new LicenseService(t.gateway, undefined, { pollIntervalMs: 5, ...opts }) };
}

const writes = (log: { method: string; path: string }[]) => log.filter((r) => r.method === 'POST' && /assignLicense$/i.test(r.path));

describe('license service against the sandbox', () => {
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', 50)
      .sku('ENTERPRISEPACK', 4)
      .sku('ENTERPRISEPREMIUM', 5)
      .user('alice', { licenses: [{ sku: 'STANDARDPACK', disabledPlans: ['YAMMER_ENTERPRISE', 'FORMS_PLAN_E1'] }], department: 'Sales' })
      .user('amy', { licenses: ['STANDARDPACK', 'ENTERPRISEPREMIUM'] })
      .user('nolic', { licenses: [] })
      .user('ann', {})
      .user('bea', {})
      .user('cas', {})
      .user('dan', { licenses: ['STANDARDPACK'] })
      .user('inh', {})
      .users(['eve', 'fay'], { licenses: ['STANDARDPACK'] })
      .group('Sales', { members: ['ann', 'bea', 'cas', 'group:Sales Interns'], licenses: ['STANDARDPACK'] })
      .group('Sales Interns', { members: [] })
      .group('Mixed', { members: ['dan', 'inh'], licenses: ['STANDARDPACK'] })
      .build(),
    { resetEach: true },
  );

  it('user swap E1 -> E3 in one call keeps the services the user had disabled', async () => {
    const { svc } = service(sb);
    const pf = await svc.preflight({ principal: { kind: 'user', user: 'alice@contoso.example' }, from: 'E1', to: 'E3' });
    assert.equal(pf.blocked, false, JSON.stringify(pf.findings));
    assert.equal(pf.change.assignments.length, 1);
    await sb.clearRequests();
    const res = await svc.swap(pf.change);
    assert.deepEqual(
      res.outcomes.map((o) => o.status),
      ['changed'],
    );
    assert.equal(writes(await sb.requests()).length, 1);
    const u = (await sb.get('/users/alice@contoso.example?$select=assignedLicenses')).body;
    assert.deepEqual(
      u.assignedLicenses.map((l: { skuId: string }) => l.skuId),
      [E3],
    );
    const disabled: string[] = u.assignedLicenses[0].disabledPlans;
    assert.ok(disabled.includes(planId('YAMMER_ENTERPRISE')));
    assert.ok(disabled.includes(planId('FORMS_PLAN_E3')));
    const report = await svc.track(pf.change);
    assert.equal(report.outcome, 'complete');
    assert.deepEqual(
      report.done.map((d) => d.userPrincipalName),
      ['alice@contoso.example'],
    );
    // Undo: the exact reverse.
    const back = svc.reverse(pf.change);
    assert.equal(back.to, E1);
  });

  it('infers the source when there is one candidate, asks when there are several', async () => {
    const { svc } = service(sb);
    const pf = await svc.preflight({ principal: { kind: 'user', user: 'alice@contoso.example' }, to: 'E3' });
    assert.equal(pf.change.from.skuId, E1);
    const err = await rejectsWith(svc.preflight({ principal: { kind: 'user', user: 'amy@contoso.example' }, to: 'E3' }), 'SOURCE_AMBIGUOUS');
    assert.deepEqual((err.data.candidates as { skuId: string }[]).map((c) => c.skuId).sort(), [E1, E5].sort());
    const g = await svc.preflight({ principal: { kind: 'group', group: 'Sales' }, to: 'E3' });
    assert.equal(g.change.from.skuId, E1);
  });

  it('unknown and ambiguous principals and plans are LicensingErrors, and nothing is written', async () => {
    const { svc, gateway } = service(sb);
    await sb.clearRequests();
    const u = await rejectsWith(svc.preflight({ principal: { kind: 'user', user: 'alise@contoso.example' }, from: 'E1', to: 'E3' }), 'PRINCIPAL_UNKNOWN');
    assert.equal(u.data.query, 'alise@contoso.example');
    const g = await rejectsWith(svc.preflight({ principal: { kind: 'group', group: 'Sale' }, from: 'E1', to: 'E3' }), 'PRINCIPAL_UNKNOWN');
    assert.ok((g.data.suggestions as { displayName: string }[]).some((s) => s.displayName === 'Sales'));
    // The sandbox keeps display names unique; Entra does not. Two groups answering one name:
    const [sales] = await gateway.findGroups('Sales', 'exact');
    const stub = sinon.stub(gateway, 'findGroups').resolves([sales!, { ...sales!, id: '11111111-2222-4333-8444-555555555555' }]);
    try {
      const t = await rejectsWith(svc.preflight({ principal: { kind: 'group', group: 'sales' }, from: 'E1', to: 'E3' }), 'PRINCIPAL_AMBIGUOUS');
      assert.equal((t.data.candidates as unknown[]).length, 2);
    } finally {
      stub.restore();
    }
    await rejectsWith(svc.preflight({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E9' }), 'PLAN_UNKNOWN');
    await rejectsWith(svc.preflight({ principal: { kind: 'users', users: [] }, from: 'E1', to: 'E3' }), 'INVALID_INPUT');
    assert.equal(writes(await sb.requests()).length, 0);
  });

  it('refuses to swap a change its preflight blocked, and obviously invalid changes', async () => {
    const { svc } = service(sb);
    // inh holds E1 only through the group: a user swap is blocked (SOURCE_INHERITED).
    const pf = await svc.preflight({ principal: { kind: 'user', user: 'inh@contoso.example' }, from: 'E1', to: 'E3' });
    assert.equal(pf.blocked, true);
    assert.ok(pf.findings.some((f) => f.code === 'SOURCE_INHERITED'));
    await sb.clearRequests();
    await rejectsWith(svc.swap(pf.change), 'BLOCKED');
    await rejectsWith(svc.swap({ ...pf.change, assignments: [] }), 'INVALID_INPUT');
    await rejectsWith(svc.swap({ ...pf.change, kind: 'nonsense' } as unknown as ResolvedChange), 'INVALID_INPUT');
    assert.equal(writes(await sb.requests()).length, 0);
  });

  it('group swap: one 202, tracked to completion; a seat taken meanwhile shows as CountViolation', async () => {
    const { svc, gateway } = service(sb);
    const progress: string[] = [];
    const pf = await svc.preflight({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' });
    assert.equal(pf.blocked, false, JSON.stringify(pf.findings));
    assert.ok(pf.findings.some((f) => f.code === 'NESTED_GROUPS'));
    assert.equal(pf.change.affectedUsers, 3);
    // Between preflight and swap someone takes two of the four E3 seats.
    const amy = await gateway.getUser('amy@contoso.example');
    const nolic = await gateway.getUser('nolic@contoso.example');
    assert.ok((await gateway.assignUserLicense(nolic!.id, { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] })).ok);
    assert.ok((await gateway.assignUserLicense(amy!.id, { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E5, E1] })).ok);
    await sb.clearRequests();
    const res = await svc.swap(pf.change);
    assert.deepEqual(
      res.outcomes.map((o) => o.status),
      ['accepted'],
    );
    const report = await svc.track(pf.change, { onProgress: (p) => void progress.push(p.processingState) });
    assert.equal(report.outcome, 'complete');
    assert.equal(report.processingState, 'ProcessingComplete');
    assert.ok(progress.length >= 1 && progress[progress.length - 1] === 'ProcessingComplete');
    assert.equal(report.done.length, 2);
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]!.error, 'CountViolation');
    assert.match(report.errors[0]!.message, /licenses/i);
    assert.equal(writes(await sb.requests()).length, 1);
  });

  it("group swap with includeDirectCopies swaps the members' direct copies too; without, the member ends in error", async () => {
    const { svc } = service(sb);
    const spec: ChangeSpec = { principal: { kind: 'group', group: 'Mixed' }, from: 'E1', to: 'E3' };
    const plain = await svc.preflight(spec);
    assert.ok(plain.findings.some((f) => f.code === 'SOURCE_ALSO_ELSEWHERE' && f.principals.some((p) => p.userPrincipalName === 'dan@contoso.example')));
    const pf = await svc.preflight({ ...spec, includeDirectCopies: true });
    assert.equal(pf.blocked, false, JSON.stringify(pf.findings));
    // The member's direct copy goes first (remove only: the group keeps them served), then the group.
    assert.deepEqual(
      pf.change.assignments.map((a) => a.principal.kind),
      ['user', 'group'],
    );
    const res = await svc.swap(pf.change);
    assert.deepEqual(
      res.outcomes.map((o) => o.status),
      ['changed', 'accepted'],
    );
    const report = await svc.track(pf.change);
    assert.equal(report.outcome, 'complete');
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.done.map((d) => d.userPrincipalName).sort(), ['dan@contoso.example', 'inh@contoso.example']);
    assert.deepEqual(report.stillHoldingSource, []);

    // Reset, and the same change without the direct copies.
    await sb.reset();
    const { svc: svc2 } = service(sb);
    const pf2 = await svc2.preflight(spec);
    await svc2.swap(pf2.change);
    const r2 = await svc2.track(pf2.change);
    assert.equal(r2.errors.length, 1);
    assert.equal(r2.errors[0]!.error, 'MutuallyExclusiveViolation');
    assert.deepEqual(
      r2.stillHoldingSource.map((d) => d.userPrincipalName),
      ['dan@contoso.example'],
    );
  });

  it('a list of users goes through $batch; unknown names block with their names', async () => {
    const { svc, stats } = service(sb);
    const ghost = await svc.preflight({ principal: { kind: 'users', users: ['alice@contoso.example', 'ghost@contoso.example'] }, from: 'E1', to: 'E5' });
    assert.equal(ghost.blocked, true);
    assert.ok(ghost.findings.some((f) => JSON.stringify(f.data).includes('ghost@contoso.example')));
    const pf = await svc.preflight({ principal: { kind: 'users', users: ['alice@contoso.example', 'eve@contoso.example', 'fay@contoso.example'] }, from: 'E1', to: 'E5' });
    assert.equal(pf.change.kind, 'users');
    assert.equal(pf.blocked, false, JSON.stringify(pf.findings));
    assert.equal(pf.change.assignments.length, 3);
    stats.httpRequests = 0;
    const res = await svc.swap(pf.change);
    assert.deepEqual(
      res.outcomes.map((o) => o.status),
      ['changed', 'changed', 'changed'],
    );
    assert.equal(stats.httpRequests, 1);
    const report = await svc.track(pf.change);
    assert.equal(report.done.length, 3);
  });

  it('Graph refusals at execution are explained in plain words', async () => {
    const { svc } = service(sb);
    const pf = await svc.preflight({ principal: { kind: 'user', user: 'alice@contoso.example' }, from: 'E1', to: 'E3' });
    // The seats are gone by the time it runs.
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 400, times: 1 });
    const res = await svc.swap(pf.change);
    assert.equal(res.failed.length, 1);
    assert.ok(res.failed[0]!.reason && res.failed[0]!.reason.length > 20);
    assert.ok(res.failed[0]!.graphCode);
  });

  it('tracking that outlasts its timeout reports "timeout" instead of throwing', async () => {
    const { svc } = service(sb, { trackTimeoutMs: 20 });
    await sb.behavior({ groupProcessingMs: 60_000 });
    const pf = await svc.preflight({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' });
    await svc.swap(pf.change);
    const report = await svc.track(pf.change);
    assert.equal(report.outcome, 'timeout');
    assert.notEqual(report.processingState, 'ProcessingComplete');
    assert.ok(report.polls >= 1);
    await sb.behavior({ groupProcessingMs: 50 });
  });

  it('plans, status, type-ahead, users, members and the tenant', async () => {
    const { svc } = service(sb);
    const plans = await svc.listPlans();
    assert.deepEqual(plans.map((p) => p.skuPartNumber).sort(), ['ENTERPRISEPACK', 'ENTERPRISEPREMIUM', 'STANDARDPACK']);
    assert.equal((await svc.resolvePlan('e3')).skuId, E3);
    const st = await svc.status({ kind: 'user', user: 'inh@contoso.example' });
    assert.deepEqual(
      st.licenses.map((l) => [l.plan.skuPartNumber, l.assignedByGroupName]),
      [['STANDARDPACK', 'Mixed']],
    );
    const gs = await svc.status({ kind: 'group', group: 'Sales' });
    assert.equal(gs.memberCount, 3);
    assert.equal(gs.processingState, 'ProcessingComplete');
    assert.equal(gs.membersInError, 0);
    const found = await svc.findPrincipals('a', { top: 5 });
    assert.ok(found.some((f) => f.userPrincipalName === 'alice@contoso.example' && f.detail === 'Sales'));
    const groups = await svc.findPrincipals('Sa', { kind: 'group' });
    assert.deepEqual(
      groups.map((g) => g.displayName),
      ['Sales', 'Sales Interns'],
    );
    // Type-ahead reads one page, however many groups match.
    await sb.clearRequests();
    assert.equal((await svc.findPrincipals('S', { kind: 'group', top: 1 })).length, 1);
    assert.equal((await sb.requests()).filter((r) => r.path.endsWith('/groups')).length, 1);
    const who = await svc.resolveUser('alice@contoso.example');
    assert.equal(who?.kind, 'user');
    assert.equal(await svc.resolveUser('ghost@contoso.example'), null);
    assert.equal((await svc.groupMemberIds(gs.principal.id)).length, 3);
    const t = await svc.tenant();
    assert.equal(t.displayName, 'Contoso');
    assert.equal(t.defaultUsageLocation, 'NL');
  });

  it('Graph failures surface as GRAPH_ERROR with the status and code', async () => {
    const { svc } = service(sb);
    await sb.fault({ method: 'GET', path: '/subscribedSkus', status: 403, times: 1 });
    const err = await rejectsWith(svc.listPlans(), 'GRAPH_ERROR');
    assert.equal(err.data.status, 403);
    assert.ok(!/\n\s+at /.test(err.message));
  });
});

describe('license service: request economy on a big group', () => {
  const N = 2500;
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', N + 10)
      .sku('ENTERPRISEPACK', N + 10)
      .user('solo', { licenses: ['STANDARDPACK'] })
      .group('Other', { members: ['solo'], licenses: [] })
      .generate('All Staff', N, { groupLicenses: ['STANDARDPACK'] })
      .build(),
  );

  it(`a group preflight of ${N} members reads Graph at most ceil(N/999)+5 times`, async () => {
    const { svc, stats } = service(sb);
    await sb.clearRequests();
    const pf = await svc.preflight({ principal: { kind: 'group', group: 'All Staff' }, from: 'E1', to: 'E3' });
    assert.equal(pf.change.affectedUsers, N);
    assert.ok(stats.httpRequests <= Math.ceil(N / 999) + 5, `${stats.httpRequests} requests`);
    const log = await sb.requests();
    assert.equal(log.filter((r) => r.path.endsWith('/members/microsoft.graph.user')).length, Math.ceil(N / 999));
    assert.equal(log.filter((r) => r.path.endsWith('/members/microsoft.graph.group')).length, 1, 'nested groups: one read of the group cast');
    assert.ok(!log.some((r) => r.path.endsWith('/members')), 'never the untyped members collection');
  });
});

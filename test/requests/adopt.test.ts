// Adopt (issue 13 part 3): a group takes over the plan its members hold directly, through the
// whole workflow on the sandbox tenant with the real LicenseService: the preflight, the group's
// write, Entra's processing, the per-member check and the removals in waves.
import assert from 'node:assert/strict';
import { connectGraph } from '../../src/graph/connect';
import { loopbackGraph } from '../../src/graph/config';
import type { ChangeSpec, PreflightResult } from '../../src/licensing/model';
import { LicenseService } from '../../src/licensing/service';
import { ApproverPolicy } from '../../src/requests/approvers';
import type { WorkflowResult, ChangeRequest } from '../../src/requests/types';
import { ChangeRequests } from '../../src/requests/workflow';
import { adoptWhyText } from '../../src/requests/adopt-why';
import { en, nl } from '../../src/i18n';
import { openStore } from '../../src/state/sqlite-store';
import { skuId, tenantFixture, withSandbox, type SandboxAccess } from '../helpers/sandbox';
import { alice, bob, ids, RecordingNotifier, TENANT } from './fakes';

const E1 = skuId('STANDARDPACK');

function ok(r: WorkflowResult): ChangeRequest {
  if (!r.ok) assert.fail(`expected ok, got ${r.reason}: ${r.message}`);
  return r.request;
}

async function workflowOn(sb: SandboxAccess) {
  const conn = connectGraph(loopbackGraph(sb.graphBaseUrl));
  const licenses = new LicenseService(conn.gateway, undefined, { pollIntervalMs: 20, trackTimeoutMs: 10_000 });
  const store = openStore(':memory:');
  const notifier = new RecordingNotifier();
  const wf = new ChangeRequests({
    store,
    licenses,
    approvers: new ApproverPolicy({ approvers: 'bob@contoso.example', tenantId: TENANT, licenses }),
    notifier,
    tenantId: TENANT,
    ttlMs: 3_600_000,
  });
  return {
    licenses,
    store,
    notifier,
    wf,
    async close() {
      await wf.whenIdle();
      store.close();
      await conn.close();
    },
  };
}

const codes = (pf: PreflightResult) => pf.findings.map((f) => `${f.severity}:${f.code}`);
const finding = (pf: PreflightResult, code: string) => pf.findings.find((f) => f.code === code);
const names = (pf: PreflightResult, code: string) => (finding(pf, code)?.principals ?? []).map((p) => p.displayName).sort();

describe('adopt: from direct copies to the group (sandbox, real license service)', function () {
  this.timeout(60_000);
  const team = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
  const sb = withSandbox(
    tenantFixture('Contoso', { id: TENANT })
      .sku('STANDARDPACK', 12)
      .sku('ENTERPRISEPACK', 2)
      .user('alice', { id: ids.alice })
      .user('bob', { id: ids.bob })
      .users(team, { licenses: ['STANDARDPACK'] })
      .user('roos', { licenses: [{ sku: 'STANDARDPACK', disabledPlans: ['SWAY'] }] })
      // Not in the group, though holding E1 directly: untouched.
      .user('outsider', { licenses: ['STANDARDPACK'] })
      // In a nested group only: nested members do not inherit, so their copy stays.
      .user('nested', { licenses: ['STANDARDPACK'] })
      .group('Interns', { members: ['nested'] })
      .group('Marketing', { members: [...team, 'roos', 'group:Interns'] })
      // Already licensed by a group that turns Sway off.
      .users(['p1', 'p2', 'p3'], { licenses: ['STANDARDPACK'] })
      .group('Support', { members: ['p1', 'p2', 'p3'], licenses: [{ sku: 'STANDARDPACK', disabledPlans: ['SWAY'] }] })
      .group('License Approvers', { id: ids.approversGroup, members: ['bob'] })
      .group('Staff', { members: ['alice', 'bob'] })
      .behavior({ groupProcessingMs: 50 })
      .build(),
    { resetEach: true },
  );
  const spec: ChangeSpec = { principal: { kind: 'group', group: 'Marketing' }, to: '', adopt: {} };
  let setup: Awaited<ReturnType<typeof workflowOn>>;
  beforeEach(async () => {
    setup = await workflowOn(sb);
  });
  afterEach(() => setup.close());

  const consumedE1 = async () => ((await sb.get('/subscribedSkus')).body.value as { skuId: string; consumedUnits: number }[]).find((s) => s.skuId === E1)!.consumedUnits;
  const statesOf = async (name: string) =>
    (await sb.get(`/users/${name}@contoso.example?$select=id,licenseAssignmentStates`)).body.licenseAssignmentStates as {
      skuId: string;
      assignedByGroup: string | null;
      state: string;
      error: string;
      disabledPlans: string[];
    }[];
  const assignCalls = async () => (await sb.requests()).filter((r) => r.method === 'POST' && /\/assignLicense$/i.test(r.path.split('?')[0]!));

  it('preflight: the plan is inferred, the group gets E1 with every service any member has on, seats used unchanged, nested members named', async () => {
    const pf = await setup.licenses.preflight(spec);
    assert.equal(pf.blocked, false, codes(pf).join(' '));
    const c = pf.change;
    assert.equal(c.kind, 'adopt');
    assert.equal(c.to.skuId, E1);
    assert.equal(c.seats.needed, 0, 'a SKU counts once per person: no new seats');
    assert.deepEqual(c.adopt?.groupDisabledPlans, [], "Roos's Sway off is not forced on the others: members differ, so all that anyone has on stays on");
    assert.equal(c.adopt?.disabledFrom, 'union');
    assert.equal(c.adopt?.groupWrite?.principal.kind, 'group', "the group's write, made first");
    assert.deepEqual(c.adopt?.groupWrite?.addLicenses, [{ skuId: E1, disabledPlans: [] }]);
    assert.equal(c.assignments.length, 8, 'then one removal per member');
    assert.ok(c.assignments.every((a) => a.principal.kind === 'user' && a.addLicenses.length === 0 && a.removeLicenses[0] === E1));
    assert.deepEqual(names(pf, 'ADOPT_GROUP_PLAN'), ['Roos'], 'Roos gains Sway and is named');
    assert.deepEqual(names(pf, 'NESTED_GROUPS'), ['Interns']);
    assert.equal(finding(pf, 'NESTED_GROUPS')?.data.adopt, true);
    assert.ok(!c.assignments.some((a) => a.principal.displayName === 'Nested' || a.principal.displayName === 'Outsider'));
  });

  it("preflight: members whose direct copy has services the group's copy turns off keep it, unless accepted", async () => {
    // Support has E1 with Sway off: p1..p3 hold it directly with Sway on.
    const support: ChangeSpec = { principal: { kind: 'group', group: 'Support' }, to: 'E1', adopt: {} };
    const pf = await setup.licenses.preflight(support);
    assert.equal(pf.change.adopt?.groupHasPlan, true);
    assert.equal(pf.change.assignments.length, 0, 'no group write (it has the plan) and nobody is removed');
    assert.ok(pf.blocked, 'nothing would change: blocked');
    const f = finding(pf, 'ADOPT_SERVICES_NOT_COVERED')!;
    assert.equal(f.severity, 'warn');
    assert.equal(f.data.accepted, false);
    assert.equal((f.data.services as string[]).length, 1);
    assert.match((f.data.services as string[])[0]!, /sway/i);
    assert.deepEqual(names(pf, 'ADOPT_SERVICES_NOT_COVERED'), ['P1', 'P2', 'P3']);
    assert.deepEqual(
      pf.change.adopt?.keep.map((k) => k.reason),
      ['servicesNotCovered', 'servicesNotCovered', 'servicesNotCovered'],
    );

    // Accepted for two of them: their copies go, the third keeps theirs.
    const two = (f.data.ids as string[]).slice(0, 2);
    const accepted = await setup.licenses.preflight({ ...support, adopt: { acceptLoss: two } });
    assert.equal(accepted.blocked, false, codes(accepted).join(' '));
    assert.deepEqual(accepted.change.assignments.map((a) => a.principal.id).sort(), [...two].sort());
    const taken = accepted.findings.find((x) => x.code === 'ADOPT_SERVICES_NOT_COVERED' && x.data.accepted === true)!;
    assert.equal(taken.principals.length, 2);
    assert.ok(accepted.change.servicesLost.includes('SWAY') || accepted.change.servicesLost.some((s) => /sway/i.test(s)), JSON.stringify(accepted.change.servicesLost));
  });

  it('preflight: a group without direct holders is blocked (nothing to adopt); a user spec is refused', async () => {
    const pf = await setup.licenses.preflight({ principal: { kind: 'group', group: 'Staff' }, to: 'E1', adopt: {} });
    assert.ok(pf.blocked);
    assert.ok(codes(pf).includes('block:ADOPT_NO_DIRECT_COPIES'));
    await assert.rejects(setup.licenses.preflight({ principal: { kind: 'user', user: 'm1@contoso.example' }, to: 'E1', adopt: {} }), /Adopt works on a group/);
  });

  it('the whole run: group write, processing, checked waves (pilot 5, then the rest), direct copies gone, seats never above before', async () => {
    const { licenses, wf, store, notifier } = setup;
    const before = await consumedE1();
    const r = ok(await wf.request(alice, spec, await licenses.preflight(spec), 'conv'));
    await sb.clearRequests();
    // Watch the seat count while it runs.
    let maxSeen = before;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        maxSeen = Math.max(maxSeen, await consumedE1());
        await new Promise((res) => setTimeout(res, 10));
      }
    })();
    ok(await wf.approve(bob, r.id, r.version));
    await wf.whenIdle();
    watching = false;
    await watch;
    const done = (await store.get(r.id))!;
    assert.equal(done.state, 'completed', JSON.stringify(done.result));
    // The removals ran through the wave engine: a pilot of 5, then the other 3, each checked and read back.
    const waves = done.result?.waves;
    assert.deepEqual(
      waves?.waves.map((w) => [w.people, w.done, w.failedCount, w.skippedCount]),
      [
        [5, 5, 0, 0],
        [3, 3, 0, 0],
      ],
    );
    assert.ok(maxSeen <= before, `seats used went from ${before} to ${maxSeen}`);
    assert.equal(await consumedE1(), before, 'seats used: unchanged');

    const group = (await sb.get(`/groups?$filter=displayName eq 'Marketing'&$select=id,assignedLicenses`)).body.value[0];
    assert.deepEqual(group.assignedLicenses, [{ skuId: E1, disabledPlans: [] }]);
    for (const m of [...team, 'roos']) {
      const states = await statesOf(m);
      assert.deepEqual(
        states.map((s) => [s.assignedByGroup, s.state]),
        [[group.id, 'Active']],
        `${m} holds only the inherited copy`,
      );
    }
    // Untouched: not a member, or a member of a nested group only.
    for (const m of ['outsider', 'nested'])
      assert.deepEqual(
        (await statesOf(m)).map((s) => s.assignedByGroup),
        [null],
      );
    const calls = await assignCalls();
    assert.equal(calls.filter((c) => c.path.includes('/groups/')).length, 1, 'one group write');
    assert.ok(notifier.events(r.id).includes('progress'));
    const audit = (await store.audit(r.id)).map((e) => e.action);
    assert.deepEqual(
      audit.filter((a) => a.startsWith('adopt-') || a.startsWith('wave-') || a === 'swap-finished'),
      ['swap-finished', 'adopt-processed', 'wave-started', 'wave-finished', 'wave-started', 'wave-finished'],
      'the group is written and processed before the first wave',
    );
  });
});

describe('adopt: members in error after processing (sandbox, real license service)', function () {
  this.timeout(60_000);
  // Neither the member nor the tenant has a usage location: the group's copy fails for them
  // (ProhibitedInUsageLocationViolation), though their direct copy predates the rule.
  const sb = withSandbox(
    tenantFixture('Contoso', { id: TENANT, defaultUsageLocation: null })
      .sku('STANDARDPACK', 10)
      .user('alice', { id: ids.alice, usageLocation: 'NL' })
      .user('bob', { id: ids.bob, usageLocation: 'NL' })
      .users(['a1', 'a2', 'a3'], { licenses: ['STANDARDPACK'], usageLocation: 'NL' })
      .user('joost', { licenses: ['STANDARDPACK'], usageLocation: null })
      .group('Marketing', { members: ['a1', 'a2', 'joost', 'a3'] })
      .group('License Approvers', { id: ids.approversGroup, members: ['bob'] })
      .behavior({ groupProcessingMs: 50 })
      .build(),
    { resetEach: true },
  );
  let setup: Awaited<ReturnType<typeof workflowOn>>;
  beforeEach(async () => {
    setup = await workflowOn(sb);
  });
  afterEach(() => setup.close());

  it('keeps their direct copy, names them with the reason, removes everyone else', async () => {
    const { licenses, wf, store } = setup;
    const spec: ChangeSpec = { principal: { kind: 'group', group: 'Marketing' }, to: 'E1', adopt: {} };
    const pf = await licenses.preflight(spec);
    assert.equal(pf.blocked, false, codes(pf).join(' '));
    assert.deepEqual(names(pf, 'USAGE_LOCATION_MISSING'), ['Joost']);
    assert.equal(finding(pf, 'USAGE_LOCATION_MISSING')?.severity, 'warn');
    const r = ok(await wf.request(alice, spec, pf, 'conv'));
    ok(await wf.approve(bob, r.id, r.version));
    await wf.whenIdle();
    const done = (await store.get(r.id))!;
    assert.equal(done.state, 'partial', JSON.stringify(done.result));
    assert.equal(done.result?.adopt?.removedCount, 3);
    const kept = done.result?.adopt?.kept ?? [];
    assert.deepEqual(
      kept.map((k) => [k.principal.displayName, k.reason, k.error]),
      [['Joost', 'error', 'ProhibitedInUsageLocationViolation']],
    );
    // Stored as codes: said in the reader's language.
    assert.equal(kept[0]!.message, undefined);
    assert.match(adoptWhyText(en, kept[0]!), /usage location/i);
    assert.match(adoptWhyText(nl, kept[0]!), /gebruikslocatie/i);
    const joost = (await sb.get('/users/joost@contoso.example?$select=id,licenseAssignmentStates')).body.licenseAssignmentStates as {
      assignedByGroup: string | null;
      state: string;
    }[];
    assert.ok(
      joost.some((s) => s.assignedByGroup === null && s.state === 'Active'),
      'Joost keeps his direct copy',
    );
    for (const m of ['a1', 'a2', 'a3']) {
      const st = (await sb.get(`/users/${m}@contoso.example?$select=id,licenseAssignmentStates`)).body.licenseAssignmentStates as { assignedByGroup: string | null }[];
      assert.ok(
        st.every((s) => s.assignedByGroup !== null),
        `${m}: direct copy removed`,
      );
    }
  });
});

// The workflow with the real LicenseService over the Graph gateway, against the sandbox tenant.
import assert from 'node:assert/strict';
import { connectGraph } from '../../src/graph/connect';
import { loopbackGraph } from '../../src/graph/config';
import type { ChangeSpec } from '../../src/licensing/model';
import { LicenseService } from '../../src/licensing/service';
import { ApproverPolicy } from '../../src/requests/approvers';
import type { WorkflowResult, ChangeRequest } from '../../src/requests/types';
import { ChangeRequests } from '../../src/requests/workflow';
import { worsenedText } from '../../src/requests/compare';
import { en } from '../../src/i18n';
import { openStore, type SqliteRequestStore } from '../../src/state/sqlite-store';
import { skuId, tenantFixture, withSandbox, type SandboxAccess } from '../helpers/sandbox';
import { alice, bob, ids, RecordingNotifier, TENANT } from './fakes';

const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');

function ok(r: WorkflowResult): ChangeRequest {
  if (!r.ok) assert.fail(`expected ok, got ${r.reason}: ${r.message}`);
  return r.request;
}

/** The workflow on the real license service over the sandbox `sb`: what each spec here runs against. */
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

describe('requests: workflow against the sandbox tenant (real LicenseService)', function () {
  this.timeout(60_000);
  const sb = withSandbox(
    tenantFixture('Contoso', { id: TENANT })
      .sku('STANDARDPACK', 20)
      .sku('ENTERPRISEPACK', 4)
      .user('alice', { id: ids.alice })
      .user('bob', { id: ids.bob })
      .users(['ann', 'ben', 'cas'])
      .users(['xavier', 'yara'], { licenses: ['STANDARDPACK'] })
      .group('Sales', { id: ids.sales, members: ['ann', 'ben', 'cas'], licenses: ['STANDARDPACK'] })
      .group('License Approvers', { id: ids.approversGroup, members: ['bob'] })
      .behavior({ groupProcessingMs: 50 })
      .build(),
    { resetEach: true },
  );
  const spec: ChangeSpec = { principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' };
  let setup: Awaited<ReturnType<typeof workflowOn>>;
  let licenses: LicenseService;
  let store: SqliteRequestStore;
  let notifier: RecordingNotifier;
  let wf: ChangeRequests;

  beforeEach(async () => {
    setup = await workflowOn(sb);
    ({ licenses, store, notifier, wf } = setup);
  });
  afterEach(() => setup.close());

  const groupSkus = async () => ((await sb.get(`/groups/${ids.sales}?$select=assignedLicenses`)).body.assignedLicenses as { skuId: string }[]).map((l) => l.skuId);
  const assignCalls = async () => (await sb.requests()).filter((r) => r.method === 'POST' && /\/assignLicense$/i.test(r.path.split('?')[0]));

  it('request, approve, run, track: the group moves from E1 to E3 and the record says so', async () => {
    const r = ok(await wf.request(alice, spec, await licenses.preflight(spec), 'conv'));
    ok(await wf.approve(bob, r.id, r.version));
    await wf.whenIdle();
    const done = (await store.get(r.id))!;
    assert.equal(done.state, 'completed', JSON.stringify(done.result));
    assert.deepEqual(await groupSkus(), [E3]);
    assert.equal(done.result?.tracking?.outcome, 'complete');
    assert.equal(done.result?.trackingTotals?.done, 3);
    assert.equal((await assignCalls()).length, 1);
    assert.deepEqual(
      notifier.events(r.id).filter((e) => e !== 'progress'),
      ['requested', 'approved', 'started', 'completed'],
    );
    assert.ok(notifier.events(r.id).includes('progress'), 'group processing progress is pushed');
  });

  it('APPROVERS resolves through Graph: UPNs, group ids (members) and user ids', async () => {
    const policy = new ApproverPolicy({ approvers: `${ids.approversGroup}, ${ids.alice}, ann@contoso.example`, tenantId: TENANT, licenses });
    const ann = (await licenses.resolveUser('ann@contoso.example'))!.id;
    assert.deepEqual([...(await policy.approverIds())].sort(), [ids.alice, ids.bob, ann].sort());
    assert.deepEqual(await policy.canApprove(bob, { id: '1', requester: alice }), { ok: true });
    const own = await policy.canApprove(alice, { id: '1', requester: alice });
    assert.equal(own.ok ? '' : own.reason, 'own_request');
  });

  it('seats gone between request and approval: stops before any write and says what changed', async () => {
    const r = ok(await wf.request(alice, spec, await licenses.preflight(spec)));
    // Someone else takes two of the four E3 seats meanwhile.
    for (const u of ['xavier', 'yara']) {
      const res = await sb.post(`/users/${u}@contoso.example/assignLicense`, { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    await sb.clearRequests();
    const res = ok(await wf.approve(bob, r.id, r.version));
    assert.equal(res.state, 'failed');
    assert.ok(
      res.result?.worsened?.some((l) => /2 available, 3 needed/.test(worsenedText(en, l))),
      JSON.stringify(res.result?.worsened),
    );
    assert.equal((await assignCalls()).length, 0);
    assert.deepEqual(await groupSkus(), [E1]);
  });

  it('undo: a new request for the reverse, approved and run like any other, puts E1 back', async () => {
    const r = ok(await wf.request(alice, spec, await licenses.preflight(spec)));
    ok(await wf.approve(bob, r.id, r.version));
    await wf.whenIdle();
    assert.equal((await store.get(r.id))!.state, 'completed');
    const u = ok(await wf.undo(alice, r.id));
    assert.equal(u.undoOf, r.id);
    assert.equal(u.preflight.change.to.skuId, E1);
    ok(await wf.approve(bob, u.id, u.version));
    await wf.whenIdle();
    assert.equal((await store.get(u.id))!.state, 'completed', JSON.stringify((await store.get(u.id))!.result));
    assert.deepEqual(await groupSkus(), [E1]);
  });

  it('reconcile after a crash between the swap and its record: reads Graph, finishes tracking, never writes again', async () => {
    const pf = await licenses.preflight(spec);
    const r = ok(await wf.request(alice, spec, pf));
    // The process that ran it got as far as the swap, then died before recording it.
    await store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
    await store.transition(
      r.id,
      { from: ['approved'] },
      'running',
      null,
      { lease: { owner: 'gone', until: new Date(Date.now() - 1).toISOString() }, result: { startedAt: new Date().toISOString() } },
      {},
      'started',
    );
    await licenses.swap(pf.change);
    await sb.clearRequests();

    await wf.reconcile();
    const done = (await store.get(r.id))!;
    assert.equal(done.state, 'completed', JSON.stringify(done.result));
    assert.equal(done.result?.recovered, true);
    assert.equal((await assignCalls()).length, 0);
    assert.deepEqual(await groupSkus(), [E3]);
  });
});

describe('requests: undo of a group change that included direct copies (sandbox)', function () {
  this.timeout(60_000);
  const sb = withSandbox(
    tenantFixture('Contoso', { id: TENANT })
      .sku('STANDARDPACK', 10)
      .sku('ENTERPRISEPACK', 10)
      .user('alice', { id: ids.alice })
      .user('bob', { id: ids.bob })
      .user('ann')
      .user('ben', { licenses: ['STANDARDPACK'] })
      .group('Sales', { id: ids.sales, members: ['ann', 'ben'], licenses: ['STANDARDPACK'] })
      .behavior({ groupProcessingMs: 50 })
      .build(),
    { resetEach: true },
  );

  it("the undo request says Ben's direct copy is not put back; run, the group is on E1 again and Ben has it from the group", async () => {
    const setup = await workflowOn(sb);
    const { licenses, store, wf } = setup;
    try {
      const spec: ChangeSpec = { principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3', includeDirectCopies: true };
      const r = ok(await wf.request(alice, spec, await licenses.preflight(spec)));
      ok(await wf.approve(bob, r.id, r.version));
      await wf.whenIdle();
      assert.equal((await store.get(r.id))!.state, 'completed', JSON.stringify((await store.get(r.id))!.result));
      const u = ok(await wf.undo(alice, r.id));
      const note = u.preflight.findings.find((f) => f.code === 'DIRECT_COPIES_NOT_RESTORED');
      assert.ok(note, u.preflight.findings.map((f) => f.code).join(', '));
      assert.deepEqual(
        note.principals.map((p) => p.userPrincipalName ?? p.displayName),
        ['ben@contoso.example'],
      );
      assert.equal(u.preflight.blocked, false);
      ok(await wf.approve(bob, u.id, u.version));
      await wf.whenIdle();
      assert.equal((await store.get(u.id))!.state, 'completed', JSON.stringify((await store.get(u.id))!.result));
      const ben = (await sb.get('/users/ben@contoso.example?$select=licenseAssignmentStates')).body.licenseAssignmentStates as { skuId: string; assignedByGroup: string | null }[];
      assert.deepEqual(
        ben.map((s) => [s.skuId, s.assignedByGroup]),
        [[E1, ids.sales]],
      );
    } finally {
      await setup.close();
    }
  });
});

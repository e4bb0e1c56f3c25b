// Two bot instances on one PostgreSQL database behind a round-robin proxy (as App Service spreads
// the Bot Connector's POSTs over its instances), and the same suite on SQLite with one instance, so
// both stores keep the same guarantees:
//   - fifty approve clicks at once, spread over the instances: one approval, one write;
//   - the instance running a group swap killed (SIGKILL): the other one takes the run over, follows
//     Entra's processing to the end and the requester is told once;
//   - a rolling restart of every instance during a bulk swap of 500 users: every user swapped
//     exactly once, the request completed, one completion notice;
//   - every instance's /readyz names the database it uses.
import assert from 'node:assert/strict';
import { withSandbox } from '../helpers/sandbox';
import { actionsOf, assertSourceXorTarget, faultTenant, licenseWrites, upns, waitFor } from '../faults/support';
import { sleep } from '../helpers/wait';
import { Cluster, type StoreKind } from './cluster';

const SETUPS: { store: StoreKind; instances: number }[] = [
  { store: 'postgres', instances: 2 },
  { store: 'sqlite', instances: 1 },
];

for (const setup of SETUPS) {
  describe(`multi-instance: ${setup.instances} instance(s) on ${setup.store === 'postgres' ? 'PostgreSQL' : 'SQLite'}`, function () {
    this.timeout(120_000);
    const sb = withSandbox(() => faultTenant({ bulk: 500, e3Seats: 600, salesMembers: 30 }), { resetEach: true });
    let cluster: Cluster | undefined;

    beforeEach(async function () {
      this.timeout(60_000);
      cluster = await Cluster.start({
        ...setup,
        graphBaseUrl: sb.graphBaseUrl,
        // A short run lease so that a run whose owner cannot be told dead is taken over in seconds.
        env: { RUN_LEASE: '6s' },
      });
    });
    afterEach(async () => {
      await cluster?.close();
      cluster = undefined;
    });

    /** Completion notices of request `id` in Sanne's chat. */
    const finishedNotices = (id: string) => cluster!.teams.toSanne().filter((t) => new RegExp(`Change request ${id} finished`).test(t));

    it('/readyz of every instance names the database; fifty approve clicks spread over the instances: one approval, one write, one notice', async () => {
      const c = cluster!;
      for (const inst of c.instances) {
        const r = await fetch(`${inst!.url}/readyz`);
        const body = (await r.json()) as { ok: boolean; detail: { store: { kind: string; database?: string; schemaVersion: number } } };
        assert.equal(r.status, 200, JSON.stringify(body));
        assert.equal(body.detail.store.kind, setup.store);
        if (setup.store === 'postgres') assert.match(body.detail.store.database!, /^plan_switch_test_/);
        assert.ok(body.detail.store.schemaVersion >= 3);
      }

      const id = await c.teams.ask({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' });
      await sb.clearRequests();
      const served = new Map(c.proxy.served);
      const answers = await Promise.all(Array.from({ length: 50 }, () => c.teams.click('pieter', 'pieter-chat', 'approve', { requestId: id, version: 1 })));
      assert.equal(answers.length, 50);
      if (setup.instances > 1) {
        for (const inst of c.instances) assert.ok((c.proxy.served.get(inst!.url) ?? 0) - (served.get(inst!.url) ?? 0) >= 10, `clicks reached every instance: ${JSON.stringify([...c.proxy.served])}`);
      }
      const notice = await c.teams.notice(id, 0, 30_000);
      assert.match(notice, /Done/);
      const { request, audit } = await c.read(id);
      assert.equal(request.state, 'completed');
      assert.equal(audit.filter((e) => e.action === 'approved').length, 1, 'one approval in the audit trail');
      assert.equal(audit.filter((e) => e.action === 'swap-started').length, 1);
      const writes = await licenseWrites(sb);
      assert.deepEqual(writes.map((w) => w.path), [`/groups/${request.preflight.change.principal.id}/assignLicense`], 'one group write');
      await sleep(1_500); // a second sender would have sent by now
      assert.equal(finishedNotices(id).length, 1, 'one completion notice');
    });

    it('the instance running a group swap is killed: another finishes it from the database, one write, one notice', async () => {
      const c = cluster!;
      await sb.behavior({ groupProcessingMs: 4_000 });
      const members = upns('sales', 30);
      const id = await c.teams.ask({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' });
      await sb.clearRequests();
      assert.match(await c.teams.approve(id), /Approved — running/);
      await waitFor('the swap recorded', async () => actionsOf((await c.read(id)).audit).includes('swap-finished'));
      const running = (await c.read(id)).request;
      const ownerPid = Number(running.lease!.owner.split(':')[1]);
      const owner = c.indexOfPid(ownerPid);
      assert.ok(owner >= 0, `the lease owner ${running.lease!.owner} is one of the instances`);
      await c.stopInstance(owner, 'SIGKILL');
      const killedAt = Date.now();
      // One instance: there is no other, so it comes back (the restart path); two: the other one takes over.
      if (setup.instances === 1) await c.startInstance(owner);

      const notice = await c.teams.notice(id, killedAt, 40_000);
      assert.match(notice, /Done: every member has the new plan/);
      assert.match(notice, /30 members done/);
      const { request, audit } = await c.read(id);
      assert.equal(request.state, 'completed');
      const claim = audit.find((e) => e.action === 'reconcile-claimed');
      assert.ok(claim, `taken over: ${actionsOf(audit).join(', ')}`);
      assert.equal((claim.detail.previousLease as { owner: string }).owner, running.lease!.owner);
      assert.equal(request.result?.trackingTotals?.done, 30);
      const { onTarget } = await assertSourceXorTarget(sb, members);
      assert.equal(onTarget.length, 30);
      assert.equal((await licenseWrites(sb)).length, 1, 'one group write in all, before the kill');
      await sleep(1_500);
      assert.equal(finishedNotices(id).length, 1, 'one completion notice');
    });

    it('a rolling restart of every instance during a bulk swap of 500 users: every user swapped exactly once', async () => {
      const c = cluster!;
      const users = upns('bulk', 500);
      const id = await c.teams.ask({ principal: { kind: 'users', users }, from: 'E1', to: 'E3' });
      // Slow enough that the restart meets the swap half-way: 25 $batch requests, 4 at a time, 400 ms each.
      await sb.behavior({ latencyMs: 400 });
      await sb.clearRequests();
      assert.match(await c.teams.approve(id), /Approved — running/);
      await waitFor('the first writes', async () => ((await licenseWrites(sb)).length >= 40 ? true : undefined), 30_000, 20);
      for (let i = 0; i < c.instances.length; i++) {
        await c.restartInstance(i);
        if (i === 0) assert.ok((await licenseWrites(sb)).length > 0);
      }
      await sb.behavior({ latencyMs: 0 });
      const notice = await c.teams.notice(id, 0, 60_000);
      assert.match(notice, /Done/);
      const { request } = await c.read(id);
      assert.equal(request.state, 'completed', JSON.stringify(request.result?.error ?? null));
      const writes = await licenseWrites(sb);
      const perUser = new Map<string, number>();
      for (const w of writes) perUser.set(w.path.toLowerCase(), (perUser.get(w.path.toLowerCase()) ?? 0) + 1);
      assert.equal(perUser.size, 500, 'every user written');
      assert.deepEqual([...new Set(perUser.values())], [1], 'no user written twice');
      const { onTarget } = await assertSourceXorTarget(sb, users);
      assert.equal(onTarget.length, 500);
      await sleep(1_000);
      assert.equal(finishedNotices(id).length, 1, 'one completion notice');
    });
  });
}

// Two bot instances on one PostgreSQL database behind a round-robin proxy (as App Service spreads
// the Bot Connector's POSTs over its instances), and the same suite on SQLite with one instance, so
// both stores keep the same guarantees:
//   - fifty approve clicks at once, spread over the instances: one approval, one write;
//   - the instance running a group swap killed (SIGKILL): the other one takes the run over, follows
//     Entra's processing to the end and the requester is told once;
//   - a rolling restart of every instance during a bulk swap of 500 users: every user swapped
//     exactly once, the request completed, one completion notice;
//   - every instance's /readyz names the database it uses;
//   - a "move users" card with five people drawn by one instance is clicked on another (one
//     instance: after a restart) and asks for exactly those five (the list is in the database).
import assert from 'node:assert/strict';
import { withSandbox } from '../helpers/sandbox';
import { actionsOf, assertSourceXorTarget, E1, E3, faultTenant, licenseWrites, upns, waitFor } from '../faults/support';
import type { SandboxAccess } from '../helpers/sandbox';
import type { Posted } from '../helpers/connector';
import { cardText } from '../hostile/support';
import { sleep } from '../helpers/wait';
import { Cluster, type StoreKind } from './cluster';

/** Of `users`, who holds the target plan: every one holds exactly one of source and target (one listing, not a read per user). */
async function onTarget(sb: SandboxAccess, users: string[]): Promise<string[]> {
  const want = new Set(users.map((u) => u.toLowerCase()));
  const out: string[] = [];
  let next: string | undefined = '/users?$select=userPrincipalName,assignedLicenses&$top=999';
  while (next) {
    const r: { status: number; body: any } = await sb.get(next);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    for (const u of r.body.value as { userPrincipalName: string; assignedLicenses: { skuId: string }[] }[]) {
      if (!want.has(u.userPrincipalName.toLowerCase())) continue;
      const skus = u.assignedLicenses.map((l) => l.skuId.toLowerCase());
      const s = skus.includes(E1.toLowerCase());
      const t = skus.includes(E3.toLowerCase());
      assert.ok(s !== t, `${u.userPrincipalName} holds ${s && t ? 'both' : 'neither'}`);
      if (t) out.push(u.userPrincipalName);
    }
    next = r.body['@odata.nextLink'];
  }
  return out;
}

type Button = { verb: string; data: { spec: { principal: { kind: string; users?: string[]; choice?: string; count?: number } } } };

/** The "ask for approval" button of a card for a list of users, in what the bot posted (a card sent, or one updated in place). */
function askButton(posts: Posted[]): Button | undefined {
  const found: Button[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, any>;
    if (o.type === 'Action.Execute' && o.verb === 'request' && o.data?.spec?.principal?.kind === 'users') found.push(o as Button);
    Object.values(o).forEach(walk);
  };
  for (const p of posts) walk(p.activity.attachments);
  return found.at(-1);
}

const SETUPS: { store: StoreKind; instances: number }[] = [
  { store: 'postgres', instances: 2 },
  { store: 'sqlite', instances: 1 },
];

for (const setup of SETUPS) {
  describe(`multi-instance: ${setup.instances} instance(s) on ${setup.store === 'postgres' ? 'PostgreSQL' : 'SQLite'}`, function () {
    this.timeout(120_000);
    const sb = withSandbox(() => faultTenant({ bulk: 500, e3Seats: 600, salesMembers: 30 }), { resetEach: true });
    let cluster: Cluster | undefined;

    // One cluster (one database, its processes) for the suite; each test gets every instance up
    // and a fresh tenant. Request ids go on across the tests.
    before(async function () {
      this.timeout(60_000);
      cluster = await Cluster.start({
        ...setup,
        graphBaseUrl: sb.graphBaseUrl,
        // A short run lease so that a run whose owner cannot be told dead is taken over in seconds.
        env: { RUN_LEASE: '6s' },
      });
    });
    beforeEach(async function () {
      this.timeout(60_000);
      await cluster!.startMissing();
    });
    after(async () => {
      await cluster?.close();
      cluster = undefined;
    });

    /** Completion notices of request `id` in Sanne's chat. */
    const finishedNotices = (id: string) => cluster!.teams.toSanne().filter((t) => new RegExp(`Change request ${id} finished`).test(t));
    /** The instance whose process holds the run lease of request `id` (waits for the swap to start). */
    const runner = async (id: string): Promise<number> => {
      const c = cluster!;
      const lease = await waitFor('the run under way', async () => {
        const { request, audit } = await c.read(id);
        const started = actionsOf(audit).some((a) => a === 'swap-started' || a === 'wave-started');
        return started && request.lease ? request.lease : undefined;
      });
      const i = c.indexOfPid(Number(lease.owner.split(':')[1]));
      assert.ok(i >= 0, `the lease owner ${lease.owner} is one of the instances`);
      return i;
    };

    it('/readyz of every instance names the database; fifty approve clicks spread over the instances: one approval, one write, one notice', async () => {
      const c = cluster!;
      for (const inst of c.instances) {
        const r = await fetch(`${inst!.url}/readyz`);
        const body = (await r.json()) as { status: string; store: { kind: string; database: string; schemaVersion: number; latencyMs: number } };
        assert.equal(r.status, 200, JSON.stringify(body));
        assert.equal(body.store.kind, setup.store);
        assert.match(body.store.database, setup.store === 'postgres' ? /^plan_switch_test_/ : /state\.db$/);
        assert.ok(body.store.schemaVersion >= 3);
      }

      const id = await c.teams.ask({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' });
      await sb.clearRequests();
      const served = new Map(c.proxy.served);
      const answers = await Promise.all(Array.from({ length: 50 }, () => c.teams.click('pieter', 'pieter-chat', 'approve', { requestId: id, version: 1 })));
      assert.equal(answers.length, 50);
      if (setup.instances > 1) {
        for (const inst of c.instances)
          assert.ok((c.proxy.served.get(inst!.url) ?? 0) - (served.get(inst!.url) ?? 0) >= 10, `clicks reached every instance: ${JSON.stringify([...c.proxy.served])}`);
      }
      const notice = await c.teams.notice(id, 0, 30_000);
      assert.match(notice, /Done/);
      const { request, audit } = await c.read(id);
      assert.equal(request.state, 'completed');
      assert.equal(audit.filter((e) => e.action === 'approved').length, 1, 'one approval in the audit trail');
      assert.equal(audit.filter((e) => e.action === 'swap-started').length, 1);
      const writes = await licenseWrites(sb);
      assert.deepEqual(
        writes.map((w) => w.path),
        [`/groups/${request.preflight.change.principal.id}/assignLicense`],
        'one group write',
      );
      await sleep(1_000); // a second sender would have sent by now
      assert.equal(finishedNotices(id).length, 1, 'one completion notice');
    });

    it('the instance running a group swap is killed: another finishes it from the database, one write, one notice', async () => {
      const c = cluster!;
      await sb.behavior({ groupProcessingMs: 2_500 });
      const members = upns('sales', 30);
      const id = await c.teams.ask({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' });
      await sb.clearRequests();
      assert.match(await c.teams.approve(id), /Approved — running/);
      await waitFor('the swap recorded', async () => actionsOf((await c.read(id)).audit).includes('swap-finished'));
      const running = (await c.read(id)).request;
      const owner = await runner(id);
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
      await sleep(1_000);
      assert.equal(finishedNotices(id).length, 1, 'one completion notice');
    });

    it('a rolling restart of every instance during a bulk swap of 500 users (in waves): every user swapped exactly once', async () => {
      const c = cluster!;
      const users = upns('bulk', 500);
      const id = await c.teams.ask({ principal: { kind: 'users', users }, from: 'E1', to: 'E3' });
      // Slow enough that the restart meets the swap half-way: 25 $batch requests, 4 at a time, 250 ms each.
      await sb.behavior({ latencyMs: 250 });
      await sb.clearRequests();
      assert.match(await c.teams.approve(id), /Approved — running/);
      const owner = await runner(id);
      await waitFor('the first writes', async () => ((await licenseWrites(sb)).length >= 40 ? true : undefined), 30_000, 20);
      // The instance running the swap first (SIGTERM: it finishes what it writes, then exits), then the others.
      const writesAtStop = (await licenseWrites(sb)).length;
      await c.stopInstance(owner, 'SIGTERM');
      assert.ok(writesAtStop < 500, `stopped in the middle of the swap (${writesAtStop} of 500 writes done)`);
      await sb.behavior({ latencyMs: 0 });
      await c.startInstance(owner);
      for (let i = 0; i < c.instances.length; i++) if (i !== owner) await c.restartInstance(i);
      const notice = await c.teams.notice(id, 0, 60_000);
      assert.match(notice, /Done/);
      const { request } = await c.read(id);
      assert.equal(request.state, 'completed', JSON.stringify(request.result?.error ?? null));
      const writes = await licenseWrites(sb);
      const perUser = new Map<string, number>();
      for (const w of writes) perUser.set(w.path.toLowerCase(), (perUser.get(w.path.toLowerCase()) ?? 0) + 1);
      assert.equal(perUser.size, 500, 'every user written');
      assert.deepEqual([...new Set(perUser.values())], [1], 'no user written twice');
      assert.equal((await onTarget(sb, users)).length, 500);
      await sleep(1_000);
      assert.equal(finishedNotices(id).length, 1, 'one completion notice');
    });

    it(`a "move users" card with five people drawn by one instance is clicked on ${setup.instances > 1 ? 'another' : 'it after a restart'}: a request for exactly those five`, async () => {
      const c = cluster!;
      const five = upns('bulk', 5);
      const since = c.connector.posted.length;
      await c.teams.at(c.instances[0]!.url).say('sanne', 'sanne-chat', `move users ${five.join(', ')} from E1 to E3`);
      const ask = await waitFor('the preflight card', async () => askButton(c.connector.posted.slice(since)), 30_000);
      assert.equal(ask.data.spec.principal.count, 5);
      assert.equal(ask.data.spec.principal.users, undefined, 'the card carries a choice id, not the list');
      if (setup.instances === 1) await c.restartInstance(0);
      const other = c.instances[setup.instances > 1 ? 1 : 0]!;
      const answer = cardText((await c.teams.at(other.url).click('sanne', 'sanne-chat', 'request', ask.data)).value);
      const id = /Change request (\d+)/.exec(answer)?.[1];
      assert.ok(id, `a request was created:\n${answer}`);
      assert.deepEqual((await c.read(id)).request.spec.principal, { kind: 'users', users: five });
    });
  });
}

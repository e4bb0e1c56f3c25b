// A graceful stop (SIGTERM during a deployment) hands runs over instead of letting their leases
// run out: a group being followed is given up at once and another instance finishes it; a swap
// that is writing finishes and is recorded first; nothing new starts. Never a second swap.
import assert from 'node:assert/strict';
import type { ResolvedChange, TrackOptions } from '../../src/licensing/model';
import { bob, carol, trackingReport, user, usersChange, preflight } from './fakes';
import { ok, WorkflowHarness } from './harness';

const until = async (what: string, probe: () => boolean | Promise<boolean>) => {
  const deadline = Date.now() + 5_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('requests: a graceful stop hands runs over', () => {
  let h: WorkflowHarness;
  beforeEach(() => {
    h = new WorkflowHarness();
  });
  afterEach(() => h.close());

  it('following a group: the lease is given up at once, another instance takes the run over and finishes it, no second swap', async () => {
    let followed = 0;
    h.licenses.track.callsFake(async (_c: ResolvedChange, opts: TrackOptions = {}) => {
      if (++followed > 1) return trackingReport();
      // The first instance follows until it is told to stop.
      await new Promise<void>((res) => (opts.signal?.aborted ? res() : opts.signal?.addEventListener('abort', () => res())));
      return trackingReport({ outcome: 'timeout' });
    });
    const r = await h.ask();
    ok(await h.wf.approve(bob, r.id, 1));
    await until('the group followed', () => followed === 1);
    const held = (await h.get(r.id)).lease!;
    assert.ok(Date.parse(held.until) > h.clock.t + 30_000, 'a fresh lease while it runs');

    h.wf.shutdown();
    await h.wf.whenIdle();
    const left = await h.get(r.id);
    assert.equal(left.state, 'running', 'not finished by the stopping instance');
    assert.ok(Date.parse(left.lease!.until) <= h.clock.t, 'its lease given up');

    const other = h.make();
    const [done] = await other.reconcile();
    assert.equal(done?.state, 'completed');
    await other.whenIdle();
    assert.equal(h.licenses.swap.callCount, 1);
    const claim = (await h.store.audit(r.id)).find((e) => e.action === 'reconcile-claimed')!;
    assert.equal(claim.detail.why, 'lease-lapsed', 'taken over because the lease was given up, not waited out');
    assert.deepEqual(
      h.notifier.events(r.id).filter((e) => e === 'completed'),
      ['completed'],
    );
  });

  it('a swap that is writing finishes and is recorded; an approval that comes in while stopping is left for another instance', async () => {
    let release!: () => void;
    h.licenses.swap.callsFake(async (change: ResolvedChange) => {
      await new Promise<void>((res) => (release = res));
      return {
        kind: change.kind,
        outcomes: change.assignments.map((a) => ({ principal: a.principal, status: 'changed' as const })),
        changed: change.assignments.map((a) => a.principal),
        failed: [],
        startedAt: new Date(h.clock.t).toISOString(),
        finishedAt: new Date(h.clock.t).toISOString(),
      };
    });
    const change = usersChange([user(1), user(2)]);
    h.licenses.preflight.resolves(preflight(change));
    const r = await h.ask(undefined, preflight(change));
    ok(await h.wf.approve(bob, r.id, 1));
    await until('the swap under way', () => h.licenses.swap.callCount === 1);

    h.wf.shutdown();
    const later = await h.ask(carol, preflight(change));
    const answered = ok(await h.wf.approve(bob, later.id, 1));
    release();
    await h.wf.whenIdle();
    assert.equal((await h.get(r.id)).state, 'completed', 'the swap in progress was finished and recorded');
    assert.equal(answered.state, 'approved');
    assert.equal((await h.get(later.id)).state, 'approved', 'no new swap starts on a stopping instance');
    assert.equal(h.licenses.swap.callCount, 1);
  });
});

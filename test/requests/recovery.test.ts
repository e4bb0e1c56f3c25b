import assert from 'node:assert/strict';
import type { ChangeRequest } from '../../src/requests/types';
import { alice, bob, E1, E3, groupChange, preflight, swapResult, user, usersChange } from './fakes';
import { HOUR, ok, reason, WorkflowHarness } from './harness';

describe('requests: recovery (start-up, other processes)', () => {
  let h: WorkflowHarness;
  beforeEach(() => {
    h = new WorkflowHarness();
  });
  afterEach(() => h.close());

  describe('reconcile (start-up)', () => {
    /** A request left running by a process that died, its lease lapsed. */
    const leftRunning = async (result: ChangeRequest['result'] = {}, change = groupChange()) => {
      const r = await h.ask(alice, preflight(change));
      await h.store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      const until = new Date(h.clock.t + 60_000).toISOString();
      await h.store.transition(r.id, { from: ['approved'] }, 'running', null, { lease: { owner: 'dead-process', until }, result }, {}, 'started');
      return r.id;
    };

    it('leaves a request alone while another process holds its lease', async () => {
      const id = await leftRunning({ swap: swapResult(groupChange()) });
      assert.deepEqual(await h.wf.reconcile(), []);
      assert.equal((await h.get(id)).state, 'running');
      assert.equal(h.licenses.track.callCount, 0);
    });

    it('swap recorded: follows the group processing to the end, never swaps again', async () => {
      const id = await leftRunning({ swap: swapResult(groupChange()), startedAt: 'x' });
      h.clock.advance(61_000);
      const out = await h.wf.reconcile();
      assert.deepEqual(
        out.map((r) => [r.id, r.state]),
        [[id, 'completed']],
      );
      assert.equal(h.licenses.swap.callCount, 0);
      assert.equal(h.licenses.track.callCount, 1);
      assert.deepEqual((await h.actions(id)).slice(-2), ['reconcile-claimed', 'completed']);
      await h.wf.whenIdle();
      assert.deepEqual(h.notifier.events(id).slice(-1), ['completed']);
    });

    it('no swap recorded: reads Graph to see whether it happened', async () => {
      const change = usersChange([user(1), user(2)]);
      const id = await leftRunning({}, change);
      h.licenses.status.callsFake(async () => ({ principal: user(1), licenses: [{ plan: E3, assignedByGroup: null, disabledPlans: [] }] }));
      h.clock.advance(61_000);
      await h.wf.reconcile();
      const r = await h.get(id);
      assert.equal(r.state, 'completed');
      assert.equal(r.result?.recovered, true);
      assert.equal(h.licenses.swap.callCount, 0);
      assert.deepEqual((await h.actions(id)).slice(-3), ['reconcile-claimed', 'swap-verified', 'completed']);
    });

    it('no swap recorded and Graph shows nothing changed: failed', async () => {
      const id = await leftRunning({}, usersChange([user(1)]));
      h.licenses.status.resolves({ principal: user(1), licenses: [{ plan: E1, assignedByGroup: null, disabledPlans: [] }] });
      h.clock.advance(61_000);
      await h.wf.reconcile();
      assert.equal((await h.get(id)).state, 'failed');
      assert.equal(h.licenses.swap.callCount, 0);
    });

    it('a lease whose owner is certainly gone (a restart) is taken over at once, not after the lease', async () => {
      const id = await leftRunning({ swap: swapResult(groupChange()), startedAt: 'x' });
      const restarted = h.make({ ownerIsGone: (owner) => owner === 'dead-process' });
      const out = await restarted.reconcile();
      assert.deepEqual(
        out.map((r) => [r.id, r.state]),
        [[id, 'completed']],
      );
      assert.equal(h.licenses.swap.callCount, 0);
      const claim = (await h.store.audit(id)).find((e) => e.action === 'reconcile-claimed')!;
      assert.equal(claim.detail.why, 'owner-gone');
      assert.deepEqual(claim.detail.previousLease, { owner: 'dead-process', until: new Date(h.clock.t + 60_000).toISOString() });
      await restarted.whenIdle();
      assert.deepEqual(h.notifier.events(id).slice(-1), ['completed']);
    });

    it('owner gone, no swap recorded: waits RECOVERY_SETTLE from finding it gone before reading Graph back', async () => {
      const id = await leftRunning({}, usersChange([user(1)]));
      h.licenses.status.resolves({ principal: user(1), licenses: [{ plan: E3, assignedByGroup: null, disabledPlans: [] }] });
      const restarted = h.make({ ownerIsGone: () => true, restartSettleMs: 150 });
      const t0 = Date.now();
      await restarted.reconcile();
      assert.ok(Date.now() - t0 >= 140, `waited ${Date.now() - t0} ms`);
      assert.equal((await h.get(id)).state, 'completed');
      assert.deepEqual((await h.actions(id)).slice(-3), ['reconcile-claimed', 'swap-verified', 'completed']);
    });

    it('an approval whose approving process is gone is re-checked and run at once', async () => {
      const r = await h.ask();
      await h.store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob }, { cardVersion: 1, instance: 'dead-process' });
      h.clock.advance(5_000);
      const restarted = h.make({ ownerIsGone: (owner) => owner === 'dead-process' });
      await restarted.reconcile();
      await restarted.whenIdle();
      assert.equal((await h.get(r.id)).state, 'completed');
      assert.equal(h.licenses.swap.callCount, 1);
    });

    it('approve() records the instance that will run it', async () => {
      const r = await h.ask();
      ok(await h.wf.approve(bob, r.id, 1));
      await h.wf.whenIdle();
      assert.equal((await h.store.audit(r.id)).find((e) => e.action === 'approved')!.detail.instance, h.wf.instanceId);
    });

    it('two processes reconciling at once: only one claims', async () => {
      const id = await leftRunning({ swap: swapResult(groupChange()) });
      h.clock.advance(61_000);
      const other = h.make();
      await Promise.all([h.wf.reconcile(), other.reconcile()]);
      assert.equal(h.licenses.track.callCount, 1);
      assert.equal((await h.actions(id)).filter((a) => a === 'reconcile-claimed').length, 1);
      assert.equal((await h.get(id)).state, 'completed');
    });

    it('an approval left before its re-check is re-checked and run once; a too-old one fails', async () => {
      const a = await h.ask();
      await h.store.transition(a.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      h.clock.advance(2 * 60_000);
      const b = await h.ask();
      await h.store.transition(b.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      h.clock.advance(10_000);
      await h.wf.reconcile();
      await h.wf.whenIdle();
      assert.equal((await h.get(a.id)).state, 'completed');
      assert.equal((await h.get(b.id)).state, 'approved', 'a fresh approval may still be re-checking elsewhere');
      assert.equal(h.licenses.swap.callCount, 1);

      h.clock.advance(2 * HOUR);
      await h.wf.reconcile();
      assert.equal((await h.get(b.id)).state, 'failed');
      assert.equal(h.licenses.swap.callCount, 1);
    });

    it('runApproved runs an approved request once and refuses anything else', async () => {
      const r = await h.ask();
      await h.store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      const res = ok(await h.wf.runApproved(r.id));
      assert.equal(res.state, 'completed');
      assert.equal(reason(await h.wf.runApproved(r.id)), 'already_decided');
      assert.equal(reason(await h.wf.runApproved('31')), 'unknown');
      assert.equal(h.licenses.swap.callCount, 1);
    });
  });
});

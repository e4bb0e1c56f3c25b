import assert from 'node:assert/strict';
import { alice, bob, carol, groupSpec, preflight } from './fakes';
import { NOTICE_CLAIM_MS } from '../../src/requests/outbox';
import { HOUR, ok, WorkflowHarness } from './harness';

describe('requests: notice outbox', () => {
  let h: WorkflowHarness;
  beforeEach(() => {
    h = new WorkflowHarness();
  });
  afterEach(() => h.close());

  describe('notices owed after a restart', () => {
    it('a notice that never went out (Teams down, or the process stopped) is sent at the next start, once', async () => {
      h.notifier.fail = true;
      const r = await h.ask();
      await h.wf.whenIdle();
      assert.equal((await h.get(r.id)).notifiedVersion, 0, 'not recorded as sent');
      h.notifier.fail = false;
      const restarted = h.make();
      await restarted.start();
      await restarted.whenIdle();
      assert.deepEqual(h.notifier.events(r.id), ['requested', 'requested']);
      assert.equal((await h.get(r.id)).notifiedVersion, 1);
      const again = h.make();
      await again.start();
      await again.whenIdle();
      assert.deepEqual(h.notifier.events(r.id), ['requested', 'requested'], 'nothing more after a second start');
    });

    it('a sent notice is recorded; a start sends nothing for it', async () => {
      const r = await h.ask();
      await h.wf.whenIdle();
      assert.equal((await h.get(r.id)).notifiedVersion, 1);
      const restarted = h.make();
      await restarted.start();
      await restarted.whenIdle();
      assert.deepEqual(h.notifier.events(r.id), ['requested']);
    });

    it('the owed notice is the last transition\'s: "worsened" for a re-check that stopped the run, "rejected" for a rejection', async () => {
      const r = await h.ask();
      await h.wf.whenIdle();
      await h.store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      await h.store.transition(r.id, { from: ['approved'] }, 'failed', null, { result: { worsened: ['Seats are short now.'] } }, {}, 'worsened');
      const other = await h.ask(carol);
      await h.wf.whenIdle();
      await h.store.transition(other.id, { from: ['pending'] }, 'rejected', bob, { approver: bob });
      const restarted = h.make();
      await restarted.start();
      await restarted.whenIdle();
      assert.deepEqual(h.notifier.events(r.id), ['requested', 'worsened']);
      assert.deepEqual(h.notifier.events(other.id), ['requested', 'rejected']);
    });

    it('old requests are left alone: nothing is owed for a change last touched more than a day (or the approval time) ago', async () => {
      h.notifier.fail = true;
      const r = await h.ask();
      await h.wf.whenIdle();
      h.notifier.fail = false;
      h.clock.advance(25 * HOUR);
      const restarted = h.make();
      await restarted.start();
      await restarted.whenIdle();
      assert.deepEqual(
        h.notifier.events(r.id).filter((e) => e === 'requested'),
        ['requested'],
        'the failed first attempt only',
      );
    });
  });

  describe('several instances on one store', () => {
    it('a notice owed is sent by exactly one of three instances sweeping at once', async () => {
      h.notifier.fail = true;
      const r = await h.ask();
      await h.wf.whenIdle();
      h.notifier.fail = false;
      const instances = [h.make(), h.make(), h.make()];
      await Promise.all(instances.map((w) => w.start()));
      await Promise.all(instances.map((w) => w.whenIdle()));
      assert.deepEqual(h.notifier.events(r.id), ['requested', 'requested'], 'the failed try, then one send');
      assert.equal((await h.get(r.id)).notifiedVersion, 1);
    });

    it('an instance that claimed a notice and died: nobody sends it while its claim holds; another does once it lapses, once', async () => {
      // A transition whose instance died before its notice went out: claimed, never sent.
      const r = await h.store.create({ spec: groupSpec, preflight: preflight(), requester: alice, ttlMs: HOUR });
      assert.equal(await h.store.claimNotice(r.id, 'v1', { owner: 'dead-instance', until: new Date(h.clock.t + NOTICE_CLAIM_MS).toISOString() }), true);
      const other = h.make();
      await other.start();
      await other.whenIdle();
      assert.deepEqual(h.notifier.events(r.id), [], 'the claim still holds');
      h.clock.advance(NOTICE_CLAIM_MS + 1_000);
      const third = h.make();
      await Promise.all([other.start(), third.start()]);
      await Promise.all([other.whenIdle(), third.whenIdle()]);
      assert.deepEqual(h.notifier.events(r.id), ['requested']);
      assert.equal((await h.get(r.id)).notifiedVersion, 1);
    });

    it('the timer sweeps for owed notices too, not only the start: a send that failed goes out on a later tick', async () => {
      const w = h.make();
      await w.start({ everyMs: 30 });
      h.notifier.fail = true;
      const r = ok(await w.request(alice, groupSpec, preflight(), 'conv-1'));
      await w.whenIdle();
      h.notifier.fail = false;
      const deadline = Date.now() + 5_000;
      while ((await h.get(r.id)).notifiedVersion !== 1 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
      w.stop();
      await w.whenIdle();
      assert.equal((await h.get(r.id)).notifiedVersion, 1);
      assert.deepEqual(h.notifier.events(r.id), ['requested', 'requested']);
    });
  });
});

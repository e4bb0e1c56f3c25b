import assert from 'node:assert/strict';
import { bob, carol } from './fakes';
import { HOUR, WorkflowHarness } from './harness';

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
      assert.deepEqual(h.notifier.events(r.id).filter((e) => e === 'requested'), ['requested'], 'the failed first attempt only');
    });
  });
});

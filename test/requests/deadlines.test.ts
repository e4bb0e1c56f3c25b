import assert from 'node:assert/strict';
import { bob } from './fakes';
import { HOUR, ok, WorkflowHarness } from './harness';

describe('requests: deadlines (expiry and the one reminder)', () => {
  let h: WorkflowHarness;
  beforeEach(() => {
    h = new WorkflowHarness();
    h.wf = h.make({ reminderMs: HOUR / 2 });
  });
  afterEach(() => h.close());

  const reminders = (id: string) => h.notifier.events(id).filter((e) => e === 'reminder').length;

  it('reminds the approvers once at the reminder time, never before, and not after a restart', async () => {
    const r = await h.ask();
    h.clock.advance(HOUR / 2 - 1000);
    assert.deepEqual(await h.wf.remindDue(), []);
    h.clock.advance(1000);
    assert.deepEqual(
      (await h.wf.remindDue()).map((x) => x.id),
      [r.id],
    );
    assert.deepEqual(await h.wf.remindDue(), [], 'once');
    await h.wf.whenIdle();
    assert.equal(reminders(r.id), 1);
    const restarted = h.make({ reminderMs: HOUR / 2 });
    await restarted.start();
    await restarted.whenIdle();
    assert.equal(reminders(r.id), 1, 'a restart sends no second reminder');
    assert.equal((await h.get(r.id)).version, 1, "a reminder is no transition: the approvers' cards stay valid");
  });

  it('two instances at once: one reminder', async () => {
    const r = await h.ask();
    h.clock.advance(HOUR / 2);
    const other = h.make({ reminderMs: HOUR / 2 });
    await Promise.all([h.wf.remindDue(), other.remindDue(), h.wf.remindDue()]);
    await h.wf.whenIdle();
    await other.whenIdle();
    assert.equal(reminders(r.id), 1);
  });

  it('a reminder Teams did not take is sent again once its claim lapses (the sender may have died), then never again', async () => {
    const r = await h.ask();
    h.clock.advance(HOUR / 2);
    h.notifier.fail = true;
    await h.wf.remindDue();
    await h.wf.whenIdle();
    h.notifier.fail = false;
    assert.deepEqual(await h.wf.remindDue(), [], 'its claim still holds');
    h.clock.advance(5 * 60_000 + 1);
    const restarted = h.make({ reminderMs: HOUR / 2 });
    assert.deepEqual(
      (await restarted.remindDue()).map((x) => x.id),
      [r.id],
    );
    await restarted.whenIdle();
    assert.equal(reminders(r.id), 2, 'the failed attempt and the one that went out');
    h.clock.advance(5 * 60_000 + 1);
    assert.deepEqual(await restarted.remindDue(), []);
  });

  it('no reminder for a decided or expired request, nor with APPROVAL_REMINDER=off', async () => {
    const decided = await h.ask();
    ok(await h.wf.reject(bob, decided.id, 1));
    const off = h.make({});
    const r = await h.ask();
    h.clock.advance(HOUR);
    assert.deepEqual(await off.remindDue(), [], 'off');
    assert.deepEqual(await h.wf.remindDue(), [], 'expired and rejected get none');
    await h.wf.expireDue();
    await h.wf.whenIdle();
    assert.equal(reminders(r.id) + reminders(decided.id), 0);
    assert.deepEqual(h.notifier.events(r.id), ['requested', 'expired'], 'the requester is told it expired, once');
  });
});

// Large changes run in waves: a pilot, then waves, each read back before the next; an automatic
// pause when a wave's error share passes the threshold; pause / resume / cancel by the requester
// or an approver, audited; a restart between waves (or mid-wave) continues without sending a
// recorded wave again, and of two instances only one continues.
import assert from 'node:assert/strict';
import { normalizeWaves, waveCount, waveSlice, wavesFor } from '../../src/requests/waves';
import type { ChangeSpec } from '../../src/licensing/model';
import { graphFailure } from '../../src/licensing/service';
import { GraphError } from '../../src/graph/errors';
import { pausedText } from '../../src/bot/cards/waves';
import { en, nl } from '../../src/i18n';
import { alice, bob, carol, dave, E1, finding, preflight, swapResult, user, usersChange } from './fakes';
import { ok, reason, WorkflowHarness } from './harness';
import { askAndApprove, gate, people, sentWaves, wavesLicenses } from './wave-support';

const SMALL = { pilot: 2, size: 4, pauseAtErrorShare: 0.1 };
const ids = (from: number, to: number) =>
  people(to)
    .slice(from - 1)
    .map((p) => p.id);

describe('waves: the plan', () => {
  it("only changes of per-person calls larger than the pilot run in waves; the request's settings win", () => {
    assert.equal(wavesFor(usersChange(people(5)), undefined), undefined, 'five people: one go');
    assert.deepEqual(wavesFor(usersChange(people(6)), undefined), { pilot: 5, size: 100, pauseAtErrorShare: 0.1 });
    assert.deepEqual(wavesFor(usersChange(people(3)), { waves: { pilot: 1, size: 50, pauseAtErrorShare: 0.2 } }), { pilot: 1, size: 50, pauseAtErrorShare: 0.2 });
    const group = usersChange(people(8));
    group.assignments.unshift({ ...group.assignments[0]!, principal: { kind: 'group', id: 'g', displayName: 'Sales' } });
    assert.equal(wavesFor(group, undefined), undefined, 'a group call: never in waves');
    assert.deepEqual(normalizeWaves({ pilot: 0, size: -3, pauseAtErrorShare: 7 }), { pilot: 5, size: 100, pauseAtErrorShare: 0.1 }, 'out of range: defaults');
  });

  it('650 people: a pilot of 5, then 7 waves of up to 100 (wave 3 of 8 holds people 106 to 205)', () => {
    const s = { pilot: 5, size: 100, pauseAtErrorShare: 0.1 };
    assert.equal(waveCount(650, s), 8);
    const all = Array.from({ length: 650 }, (_, i) => i + 1);
    assert.deepEqual(waveSlice(all, s, 0), [1, 2, 3, 4, 5]);
    const third = waveSlice(all, s, 2);
    assert.deepEqual([third[0], third.at(-1), third.length], [106, 205, 100]);
    assert.deepEqual(waveSlice(all, s, 7), all.slice(605));
  });
});

describe('waves: running a large change', () => {
  let h: WorkflowHarness;
  beforeEach(() => (h = new WorkflowHarness()));
  afterEach(() => h.close());

  it('sends the pilot, then each wave, reading each back before sending the next, and records every wave', async () => {
    wavesLicenses(h.licenses);
    const r = await askAndApprove(h.wf, h.licenses, 12, SMALL);
    await h.wf.whenIdle();
    assert.deepEqual(sentWaves(h.licenses), [ids(1, 2), ids(3, 6), ids(7, 10), ids(11, 12)]);
    for (let i = 0; i < 4; i++) {
      assert.ok(h.licenses.track.getCall(i).calledAfter(h.licenses.swap.getCall(i)), `wave ${i + 1} read back after it was sent`);
      if (i < 3) assert.ok(h.licenses.track.getCall(i).calledBefore(h.licenses.swap.getCall(i + 1)), `wave ${i + 1} read back before wave ${i + 2}`);
    }
    const done = await h.get(r.id);
    assert.equal(done.state, 'completed');
    assert.equal(done.result!.waves!.count, 4);
    assert.deepEqual(
      done.result!.waves!.waves.map((w) => [w.index, w.people, w.done, w.failedCount]),
      [
        [0, 2, 2, 0],
        [1, 4, 4, 0],
        [2, 4, 4, 0],
        [3, 2, 2, 0],
      ],
    );
    assert.equal(done.result!.swap!.changed.length, 12, 'one merged result for the card and undo');
    const trail = (await h.actions(r.id)).filter((a) => a.startsWith('wave-'));
    assert.deepEqual(trail, ['wave-started', 'wave-finished', 'wave-started', 'wave-finished', 'wave-started', 'wave-finished', 'wave-started', 'wave-finished']);
    assert.deepEqual(
      h.notifier.events(r.id).filter((e) => e !== 'wave'),
      ['requested', 'approved', 'started', 'completed'],
    );
  });

  it('the defaults come from the workflow (WAVE_PILOT, WAVE_SIZE) when the request does not say', async () => {
    h.wf = h.make({ waves: { pilot: 3, size: 2 } });
    wavesLicenses(h.licenses);
    await askAndApprove(h.wf, h.licenses, 6);
    await h.wf.whenIdle();
    assert.deepEqual(sentWaves(h.licenses), [ids(1, 3), ids(4, 5), ids(6, 6)]);
  });

  it("pauses by itself when a wave's error share passes the threshold, with each person's reason; resume carries on", async () => {
    const refused = [user(4).id];
    const inError = [user(5).id];
    wavesLicenses(h.licenses, { refuse: refused, inError });
    const r = await askAndApprove(h.wf, h.licenses, 12, SMALL);
    await h.wf.whenIdle();
    const paused = await h.get(r.id);
    assert.equal(paused.state, 'paused');
    assert.equal(sentWaves(h.licenses).length, 2, 'wave 3 was not sent');
    const w = paused.result!.waves!;
    assert.equal(w.pause!.by, null, 'automatic');
    assert.equal(w.pause!.errorShare, 0.5);
    assert.deepEqual(
      w.waves[1]!.failed.map((m) => [m.principal.id, m.kind, m.code]),
      [
        [user(4).id, 'refused', 'Request_BadRequest'],
        [user(5).id, 'error', 'CountViolation'],
      ],
    );
    assert.match(w.waves[1]!.failed[1]!.reason ?? '', /Not enough licenses/);
    assert.ok(h.notifier.events(r.id).includes('paused'));
    assert.equal(paused.lease, undefined, 'nobody holds a paused run');

    const carolTries = await h.wf.resume(carol, r.id);
    assert.equal(reason(carolTries), 'not_allowed');
    assert.equal((await h.get(r.id)).state, 'paused', 'nothing changed');

    ok(await h.wf.resume(dave, r.id));
    await h.wf.whenIdle();
    const end = await h.get(r.id);
    assert.equal(end.state, 'partial');
    assert.deepEqual(sentWaves(h.licenses).slice(2), [ids(7, 10), ids(11, 12)], 'continued from wave 3');
    const resumed = (await h.store.audit(r.id)).find((e) => e.action === 'resumed')!;
    assert.equal(resumed.actor!.id, dave.id);
    assert.equal(resumed.fromState, 'paused');
  });

  it('the last wave with errors does not pause: the run ends partial', async () => {
    wavesLicenses(h.licenses, { refuse: [user(12).id] });
    const r = await askAndApprove(h.wf, h.licenses, 12, SMALL);
    await h.wf.whenIdle();
    assert.equal((await h.get(r.id)).state, 'partial');
    assert.equal(sentWaves(h.licenses).length, 4);
  });

  it('pause while a wave is being sent: that wave finishes and is recorded, the next is not sent; cancel then stops the rest', async () => {
    wavesLicenses(h.licenses);
    const held = gate();
    h.licenses.swap.callsFake(async (c) => {
      if (h.licenses.swap.callCount === 2) await held.promise;
      return swapResult(c);
    });
    const r = await askAndApprove(h.wf, h.licenses, 12, SMALL);
    while (h.licenses.swap.callCount < 2) await new Promise((res) => setTimeout(res, 5));
    const asked = ok(await h.wf.pause(alice, r.id, 'checking the pilot'));
    assert.equal(asked.state, 'running', 'the wave in flight is not cut off');
    assert.equal(asked.result!.waves!.stop!.action, 'pause');
    held.open();
    await h.wf.whenIdle();
    const paused = await h.get(r.id);
    assert.equal(paused.state, 'paused');
    assert.equal(paused.result!.waves!.next, 2, 'wave 2 recorded');
    assert.equal(paused.result!.waves!.pause!.by!.id, alice.id);
    assert.equal(sentWaves(h.licenses).length, 2);

    assert.equal(reason(await h.wf.pause(carol, r.id)), 'not_allowed');
    assert.equal(reason(await h.wf.resume(alice, '999')), 'unknown');
    const cancelled = ok(await h.wf.cancel(bob, r.id, undefined, 'wrong people'));
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(cancelled.result!.waves!.cancelledWaves, 2);
    assert.equal(cancelled.result!.cancelledBy!.id, bob.id);
    assert.equal(reason(await h.wf.resume(alice, r.id)), 'wrong_state');
    assert.equal(reason(await h.wf.pause(alice, r.id)), 'wrong_state');
    const trail = await h.actions(r.id);
    assert.deepEqual(
      trail.filter((a) => /pause|cancel|refused|resumed/.test(a)),
      ['pause-requested', 'paused', 'refused', 'cancelled'],
    );
    // What ran can be undone: the six people changed.
    const undo = ok(await h.wf.undo(alice, r.id, 'conv-1'));
    assert.equal(undo.undoOf, r.id);
  });

  it('cancel while a wave is being sent: the run ends cancelled once that wave is recorded', async () => {
    wavesLicenses(h.licenses);
    const held = gate();
    h.licenses.swap.callsFake(async (c) => {
      if (h.licenses.swap.callCount === 1) await held.promise;
      return swapResult(c);
    });
    const r = await askAndApprove(h.wf, h.licenses, 12, SMALL);
    while (h.licenses.swap.callCount < 1) await new Promise((res) => setTimeout(res, 5));
    ok(await h.wf.cancel(alice, r.id));
    held.open();
    await h.wf.whenIdle();
    const end = await h.get(r.id);
    assert.equal(end.state, 'cancelled');
    assert.equal(end.result!.waves!.next, 1);
    assert.equal(end.result!.waves!.cancelledWaves, 3);
    assert.equal(sentWaves(h.licenses).length, 1);
  });

  it('pause and resume refuse a change that does not run in waves, and changes nothing', async () => {
    const r = await h.ask();
    assert.equal(reason(await h.wf.pause(alice, r.id)), 'wrong_state');
    assert.equal(reason(await h.wf.resume(alice, r.id)), 'wrong_state');
    assert.equal((await h.get(r.id)).version, r.version);
  });

  it('a restart mid-wave: the next process reads that wave back, never sends it again, and sends only the rest', async () => {
    wavesLicenses(h.licenses);
    const stuck = gate();
    h.licenses.swap.callsFake(async (c) => {
      if (h.licenses.swap.callCount === 3) await stuck.promise; // the process "dies" sending wave 3
      return swapResult(c);
    });
    const r = await askAndApprove(h.wf, h.licenses, 12, SMALL);
    while (h.licenses.swap.callCount < 3) await new Promise((res) => setTimeout(res, 5));
    const mid = await h.get(r.id);
    assert.equal(mid.result!.waves!.inFlight!.index, 2, 'wave 3 recorded as started before it was sent');

    const next = h.make({ ownerIsGone: () => true, restartSettleMs: 0 });
    await next.reconcile();
    await next.whenIdle();
    const end = await h.get(r.id);
    assert.equal(end.state, 'completed');
    assert.deepEqual(sentWaves(h.licenses), [ids(1, 2), ids(3, 6), ids(7, 10), ids(11, 12)], 'wave 3 sent once, by the first process');
    assert.equal(end.result!.waves!.waves[2]!.recovered, true, 'wave 3 was read back');
    assert.equal(h.licenses.status.callCount, 4, 'the four people of wave 3 read back');
    stuck.open();
  });

  it('a restart between waves (and two instances recovering at once): only one continues, from the next wave', async () => {
    wavesLicenses(h.licenses);
    const stuck = gate();
    // The check before wave 3 never answers: the first process "dies" between waves.
    let checks = 0;
    h.wf = h.make({
      waveChecks: {
        users: async ({ assignments }) => {
          if (++checks === 3) await stuck.promise;
          return { ready: assignments, skipped: [] };
        },
      },
    });
    const r = await askAndApprove(h.wf, h.licenses, 12, SMALL);
    while (checks < 3) await new Promise((res) => setTimeout(res, 5));
    assert.equal((await h.get(r.id)).result!.waves!.next, 2);

    const a = h.make({ ownerIsGone: () => true, restartSettleMs: 0 });
    const b = h.make({ ownerIsGone: () => true, restartSettleMs: 0 });
    await Promise.all([a.reconcile(), b.reconcile()]);
    await Promise.all([a.whenIdle(), b.whenIdle()]);
    assert.equal((await h.get(r.id)).state, 'completed');
    assert.deepEqual(sentWaves(h.licenses), [ids(1, 2), ids(3, 6), ids(7, 10), ids(11, 12)], 'no wave sent twice');
    assert.equal((await h.actions(r.id)).filter((x) => x === 'reconcile-claimed').length, 1, 'one instance took it over');
    stuck.open();
  });

  it('a pause survives a restart: still paused, resumed by another process', async () => {
    wavesLicenses(h.licenses, { refuse: [user(1).id] });
    const r = await askAndApprove(h.wf, h.licenses, 12, SMALL);
    await h.wf.whenIdle();
    assert.equal((await h.get(r.id)).state, 'paused');
    wavesLicenses(h.licenses);
    const later = h.make({ ownerIsGone: () => true });
    await later.reconcile();
    assert.equal((await h.get(r.id)).state, 'paused', 'recovery does not resume a paused run');
    ok(await later.resume(bob, r.id));
    await later.whenIdle();
    assert.equal((await h.get(r.id)).state, 'partial');
    assert.equal(sentWaves(h.licenses).length, 4);
  });

  it("a kind's check leaves out people who are not ready: not sent, recorded with the reason, not counted as errors", async () => {
    wavesLicenses(h.licenses);
    h.wf = h.make({
      waveChecks: {
        users: async ({ assignments }) => ({
          ready: assignments.filter((a) => a.principal.id !== user(3).id),
          skipped: assignments.filter((a) => a.principal.id === user(3).id).map((a) => ({ principal: a.principal, reason: 'Their inherited copy is not Active yet.' })),
        }),
      },
    });
    const r = await askAndApprove(h.wf, h.licenses, 12, SMALL);
    await h.wf.whenIdle();
    const end = await h.get(r.id);
    assert.equal(end.state, 'partial', 'one person left as they were');
    assert.ok(!sentWaves(h.licenses).flat().includes(user(3).id));
    assert.deepEqual(
      end.result!.waves!.waves[1]!.skipped.map((s) => [s.principal.id, s.kind, s.reason]),
      [[user(3).id, 'skipped', 'Their inherited copy is not Active yet.']],
    );
    assert.equal(end.result!.waves!.waves[1]!.errorShare, 0);
  });

  it("a kind's check that cannot run pauses before its wave, nothing of it sent; why is kept as a code and said in the reader's language", async () => {
    wavesLicenses(h.licenses);
    let calls = 0;
    h.wf = h.make({
      waveChecks: {
        users: async ({ assignments }) => {
          if (++calls === 2) throw graphFailure(new GraphError(503, 'ServiceNotAvailable', 'The service is temporarily unavailable. Please retry.'));
          return { ready: assignments, skipped: [] };
        },
      },
    });
    const r = await askAndApprove(h.wf, h.licenses, 12, SMALL);
    await h.wf.whenIdle();
    const end = await h.get(r.id);
    assert.equal(end.state, 'paused');
    assert.equal(sentWaves(h.licenses).length, 1, 'only the pilot was sent');
    const pause = end.result!.waves!.pause!;
    assert.equal(pause.wave, 1);
    assert.equal(pause.reason, undefined, 'no English sentence stored');
    assert.deepEqual([pause.checkFailed!.code, pause.checkFailed!.data.status, pause.checkFailed!.data.code], ['GRAPH_ERROR', 503, 'ServiceNotAvailable']);
    assert.equal(
      pausedText(nl, end.result!.waves!),
      'Gepauzeerd: de controle voor golf 2 mislukte: Microsoft Graph had een storing (HTTP 503, ServiceNotAvailable). Van deze golf is niets verstuurd.',
    );
    assert.equal(
      pausedText(en, end.result!.waves!),
      'Paused: the check before wave 2 failed: Microsoft Graph: The service is temporarily unavailable. Please retry (ServiceNotAvailable). Nothing of this wave was sent.',
    );
  });

  describe('resume checks the remaining people again first', () => {
    /** A run of 12 (pilot 2, waves of 4) paused by Alice while the pilot was sent: people 3 to 12 remain. */
    async function pausedAfterPilot() {
      wavesLicenses(h.licenses);
      const held = gate();
      h.licenses.swap.callsFake(async (c) => {
        if (h.licenses.swap.callCount === 1) await held.promise;
        return swapResult(c);
      });
      const r = await askAndApprove(h.wf, h.licenses, 12, SMALL);
      while (h.licenses.swap.callCount < 1) await new Promise((res) => setTimeout(res, 5));
      ok(await h.wf.pause(alice, r.id));
      held.open();
      await h.wf.whenIdle();
      const paused = await h.get(r.id);
      assert.equal(paused.state, 'paused');
      assert.equal(paused.result!.waves!.next, 1);
      return paused;
    }
    const remaining = () => people(12).slice(2);

    it('a blocking finding (too few seats left) keeps it paused and sends nothing; restored, it carries on and leaves out who holds the target now', async () => {
      const r = await pausedAfterPilot();
      const asked: ChangeSpec[] = [];
      const seatsShort = () => finding('SEATS_SHORT', 'block', remaining().slice(0, 9), { needed: 9, available: 3, short: 6, skuId: 'e3' });
      const holdsE3 = finding('TARGET_ALREADY_ASSIGNED', 'block', [user(12)], { direct: 1 });
      const warning = finding('SOURCE_INHERITED', 'warn', [user(5)], { groups: [{ id: 'g', displayName: 'Old E1 group', members: 1 }], keepsGroupCopy: true });
      h.licenses.preflight.callsFake(async (spec: ChangeSpec) => {
        asked.push(spec);
        return preflight(usersChange(remaining()), [seatsShort(), holdsE3, warning]);
      });

      const refused = await h.wf.resume(alice, r.id);
      assert.equal(reason(refused), 'recheck_blocked');
      assert.match(refused.ok ? '' : refused.message, /stays paused.*Not enough licenses: 9 needed, 3 available.*Nothing was sent/);
      assert.deepEqual((asked[0]!.principal as { users: string[] }).users, ids(3, 12), 'only the people of the waves not yet run');
      assert.equal(asked[0]!.from, E1.skuId, 'the plans as approved');
      let now = await h.get(r.id);
      assert.equal(now.state, 'paused');
      assert.equal(sentWaves(h.licenses).length, 1, 'nothing sent');
      const check = now.result!.waves!.recheck!;
      assert.equal(check.blocked, true);
      assert.deepEqual(
        check.findings.map((f) => [f.code, f.severity, f.people]),
        [
          ['SEATS_SHORT', 'block', 9],
          ['SOURCE_INHERITED', 'warn', 1],
        ],
      );
      assert.deepEqual(
        check.skipped.map((x) => [x.principal.id, x.code]),
        [[user(12).id, 'target-held']],
      );
      const blockedRow = (await h.store.audit(r.id)).find((e) => e.action === 'resume-blocked')!;
      assert.equal(blockedRow.actor!.id, alice.id);
      assert.equal(blockedRow.toState, 'paused');
      assert.deepEqual(blockedRow.detail.findings, [
        { code: 'SEATS_SHORT', severity: 'block', people: 9 },
        { code: 'SOURCE_INHERITED', severity: 'warn', people: 1 },
      ]);
      assert.ok(h.notifier.events(r.id).includes('resume-blocked'), 'the cards are redrawn with why');

      // The check itself failing (Graph down) also keeps it paused.
      h.licenses.preflight.callsFake(async () => {
        throw new Error('Microsoft Graph: Service unavailable');
      });
      const down = await h.wf.resume(bob, r.id);
      assert.equal(reason(down), 'recheck_blocked');
      // Kept as a code and data (said in the reader's language), its English for the log.
      const failure = (await h.get(r.id)).result!.waves!.recheck!.failure!;
      assert.equal(failure.code, 'UNEXPECTED');
      assert.match(failure.message, /Service unavailable/);
      assert.equal(sentWaves(h.licenses).length, 1);

      // Seats bought: the resume goes through, user 12 (holds E3 now) is left out and named, not failed.
      h.licenses.preflight.callsFake(async (spec: ChangeSpec) => {
        asked.push(spec);
        return preflight(usersChange(remaining()), [holdsE3, warning]);
      });
      now = ok(await h.wf.resume(alice, r.id));
      assert.equal(now.result!.waves!.recheck!.blocked, false);
      await h.wf.whenIdle();
      const end = await h.get(r.id);
      assert.deepEqual(sentWaves(h.licenses), [ids(1, 2), ids(3, 6), ids(7, 10), ids(11, 11)], 'user 12 never sent');
      assert.equal(end.state, 'completed', 'someone who no longer needs the change counts as done');
      const last = end.result!.waves!.waves.at(-1)!;
      assert.deepEqual(
        last.skipped.map((x) => [x.principal.id, x.code]),
        [[user(12).id, 'target-held']],
      );
      assert.equal(last.failedCount, 0);
      const resumedRow = (await h.store.audit(r.id)).filter((e) => e.action === 'resumed').at(-1)!;
      assert.equal((resumedRow.detail.recheck as { skipped: number }).skipped, 1, 'the check is in the audit trail');
    });

    it('two resumes at once: both check, one starts the run, every wave is sent once', async () => {
      const r = await pausedAfterPilot();
      h.licenses.preflight.callsFake(async () => {
        await new Promise((res) => setTimeout(res, 20));
        return preflight(usersChange(remaining()));
      });
      const other = h.make();
      const [a, b] = await Promise.all([h.wf.resume(alice, r.id), other.resume(bob, r.id)]);
      assert.deepEqual([a.ok, b.ok].sort(), [false, true], `${reason(a)} / ${reason(b)}`);
      await Promise.all([h.wf.whenIdle(), other.whenIdle()]);
      assert.equal((await h.get(r.id)).state, 'completed');
      assert.deepEqual(sentWaves(h.licenses), [ids(1, 2), ids(3, 6), ids(7, 10), ids(11, 12)], 'no wave sent twice');
      assert.equal((await h.actions(r.id)).filter((x) => x === 'resumed').length, 1);
    });
  });
});

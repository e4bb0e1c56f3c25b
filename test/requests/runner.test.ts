import assert from 'node:assert/strict';
import type { ResolvedChange } from '../../src/licensing/model';
import { LicensingError } from '../../src/licensing/model';
import { finalState } from '../../src/requests/run-record';
import { worsenedText } from '../../src/requests/compare';
import { en } from '../../src/i18n';
import { alice, bob, E1, E3, finding, groupChange, preflight, swapResult, trackingReport, user, usersChange } from './fakes';
import { ok, reason, WorkflowHarness } from './harness';

describe('requests: runner (re-check, swap once, record)', () => {
  let h: WorkflowHarness;
  beforeEach(() => {
    h = new WorkflowHarness();
  });
  afterEach(() => h.close());

  describe('re-check before the run', () => {
    it('stops when the re-check finds things worse: failed with what changed, no swap', async () => {
      const r = await h.ask();
      const worse = preflight(groupChange({ seats: { needed: 10, available: 4 } }), [
        finding('SEATS_SHORT', 'block', [], { needed: 10, available: 4 }),
        finding('MUTUALLY_EXCLUSIVE', 'warn', [user(3)], { sku: { displayName: 'Office 365 E1' }, addOn: true, plans: [{ service: 'Exchange' }] }),
      ]);
      h.licenses.preflight.resolves(worse);
      const res = ok(await h.wf.approve(bob, r.id, 1));
      assert.equal(res.state, 'failed');
      assert.deepEqual(
        res.result?.worsened?.map((w) => worsenedText(en, w)),
        [
          'Not enough Office 365 E3 seats any more: 4 available, 10 needed (there were 15 available for 10 when it was requested).',
          'New warning: The new plan may clash with services bundled in Office 365 E1 (Exchange). Add-ons like this are usually accepted beside a suite; if Microsoft refuses, disable the bundled service in Office 365 E1.',
        ],
      );
      assert.deepEqual(res.preflight, worse);
      await h.wf.whenIdle();
      assert.equal(h.licenses.swap.callCount, 0);
      assert.deepEqual(h.notifier.events(r.id), ['requested', 'approved', 'worsened']);
      assert.deepEqual(await h.actions(r.id), ['requested', 'approved', 'worsened']);
    });

    it('fails (without a swap) when the re-check cannot run', async () => {
      const r = await h.ask();
      h.licenses.preflight.rejects(new Error('Graph unavailable'));
      const res = ok(await h.wf.approve(bob, r.id, 1));
      assert.equal(res.state, 'failed');
      assert.match(res.result?.error ?? '', /could not be checked again.*Graph unavailable/);
      assert.equal(h.licenses.swap.callCount, 0);
    });

    it('answers as approved when the re-check is slow, and carries on in the background', async () => {
      h.wf = h.make({ recheckBudgetMs: 20 });
      const r = await h.ask();
      let release!: () => void;
      h.licenses.preflight.callsFake(() => new Promise((res) => (release = () => res(preflight()))));
      const answered = ok(await h.wf.approve(bob, r.id, 1));
      assert.equal(answered.state, 'approved');
      assert.equal(reason(await h.wf.approve(bob, r.id, 1)), 'already_decided');
      release();
      await h.wf.whenIdle();
      assert.equal((await h.get(r.id)).state, 'completed');
      assert.equal(h.licenses.swap.callCount, 1);
    });
  });

  describe('run outcomes', () => {
    const approveAndRun = async (change: ResolvedChange) => {
      h.licenses.preflight.resolves(preflight(change));
      const r = await h.ask(alice, preflight(change));
      ok(await h.wf.approve(bob, r.id, 1));
      await h.wf.whenIdle();
      return await h.get(r.id);
    };

    it('users: every call changed -> completed, no tracking', async () => {
      const done = await approveAndRun(usersChange([user(1), user(2)]));
      assert.equal(done.state, 'completed');
      assert.equal(h.licenses.track.callCount, 0);
    });

    it('users: some calls refused -> partial, with what Graph said in the audit', async () => {
      const change = usersChange([user(1), user(2)]);
      h.licenses.swap.callsFake(async (c: ResolvedChange) => swapResult(c, [user(2).id]));
      const done = await approveAndRun(change);
      assert.equal(done.state, 'partial');
      assert.equal(done.result?.swap?.failed.length, 1);
      const entry = (await h.store.audit(done.id)).find((e) => e.action === 'swap-finished')!;
      assert.deepEqual((entry.detail.outcomes as { graphCode?: string }[])[1].graphCode, 'Request_BadRequest');
    });

    it('users: every call refused -> failed', async () => {
      const change = usersChange([user(1)]);
      h.licenses.swap.callsFake(async (c: ResolvedChange) => swapResult(c, [user(1).id]));
      assert.equal((await approveAndRun(change)).state, 'failed');
    });

    it('group: members in error after processing -> partial', async () => {
      h.licenses.track.resolves(trackingReport({ errors: [{ principal: user(5), error: 'CountViolation', message: 'No seats' }] }));
      const done = await approveAndRun(groupChange());
      assert.equal(done.state, 'partial');
      assert.deepEqual(done.result?.trackingTotals, { done: 2, errors: 1, stillHoldingSource: 0 });
    });

    it('group: processing still going when tracking times out -> partial with an explanation', async () => {
      h.licenses.track.resolves(trackingReport({ outcome: 'timeout', processingState: 'ProcessingInProgress' }));
      const done = await approveAndRun(groupChange());
      assert.equal(done.state, 'partial');
      assert.match(done.result?.error ?? '', /still processing/);
    });

    it('group: tracking itself failing -> partial, never a second swap', async () => {
      h.licenses.track.rejects(new Error('boom'));
      const done = await approveAndRun(groupChange());
      assert.equal(done.state, 'partial');
      assert.match(done.result?.error ?? '', /following Entra's processing failed/);
      assert.equal(h.licenses.swap.callCount, 1);
    });

    it('swap throwing BLOCKED -> failed, nothing read back', async () => {
      h.licenses.swap.rejects(new LicensingError('BLOCKED', 'Blocked by preflight'));
      const done = await approveAndRun(groupChange());
      assert.equal(done.state, 'failed');
      assert.match(done.result?.error ?? '', /Nothing was changed/);
      assert.equal(h.licenses.status.callCount, 0);
    });

    it('swap throwing mid-way -> the outcome is read back from Graph, never retried', async () => {
      const change = usersChange([user(1), user(2)]);
      h.licenses.swap.rejects(new Error('socket hang up'));
      h.licenses.status.callsFake(async (q: { kind: string; user?: string }) => ({
        principal: user(1),
        licenses: [{ plan: q.user === user(1).id ? E3 : E1, assignedByGroup: null, disabledPlans: [] }],
      }));
      const done = await approveAndRun(change);
      assert.equal(done.state, 'partial');
      assert.equal(done.result?.recovered, true);
      assert.match(done.result?.error ?? '', /socket hang up/);
      assert.deepEqual(
        done.result?.swap?.changed.map((p) => p.id),
        [user(1).id],
      );
      assert.equal(h.licenses.swap.callCount, 1);
    });

    it('finalState table', () => {
      const g = groupChange();
      assert.equal(finalState(swapResult(g)), 'completed');
      assert.equal(finalState(swapResult(g), trackingReport({ outcome: 'failed', done: [] })), 'failed');
      assert.equal(finalState(swapResult(g), trackingReport({ outcome: 'failed' })), 'partial');
      assert.equal(finalState({ ...swapResult(g), outcomes: [] }), 'failed');
    });
  });
});

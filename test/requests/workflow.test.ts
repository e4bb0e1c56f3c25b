import assert from 'node:assert/strict';
import type { ResolvedChange, TrackOptions } from '../../src/licensing/model';
import { LicensingError } from '../../src/licensing/model';
import { ApproverPolicy } from '../../src/requests/approvers';
import type { ChangeRequest, WorkflowResult } from '../../src/requests/types';
import { ChangeRequests, finalState, type ChangeRequestsDeps } from '../../src/requests/workflow';
import { openStore, type SqliteRequestStore } from '../../src/state/sqlite-store';
import {
  alice,
  APPROVERS,
  bob,
  carol,
  Clock,
  dave,
  E1,
  E3,
  fakeLicenses,
  finding,
  groupChange,
  groupSpec,
  OTHER_TENANT,
  preflight,
  RecordingNotifier,
  swapResult,
  TENANT,
  trackingReport,
  user,
  usersChange,
} from './fakes';

const HOUR = 3_600_000;

function ok(r: WorkflowResult): ChangeRequest {
  if (!r.ok) assert.fail(`expected ok, got ${r.reason}: ${r.message}`);
  return r.request;
}
function reason(r: WorkflowResult): string {
  return r.ok ? `ok (${r.request.state})` : r.reason;
}

describe('requests: ChangeRequests workflow', () => {
  let clock: Clock;
  let store: SqliteRequestStore;
  let licenses: ReturnType<typeof fakeLicenses>;
  let notifier: RecordingNotifier;
  let wf: ChangeRequests;
  let extraWorkflows: ChangeRequests[];

  function make(over: Partial<ChangeRequestsDeps> = {}, policy: { allowSelfApproval?: boolean; approvers?: string } = {}): ChangeRequests {
    const w = new ChangeRequests({
      store,
      licenses,
      approvers: new ApproverPolicy({
        approvers: policy.approvers ?? APPROVERS,
        tenantId: TENANT,
        licenses,
        now: clock.now,
        allowSelfApproval: policy.allowSelfApproval,
      }),
      notifier,
      tenantId: TENANT,
      ttlMs: HOUR,
      now: clock.now,
      leaseMs: 60_000,
      recheckBudgetMs: 1_000,
      ...over,
    });
    extraWorkflows.push(w);
    return w;
  }

  beforeEach(() => {
    clock = new Clock();
    store = openStore(':memory:', { now: clock.now });
    licenses = fakeLicenses();
    notifier = new RecordingNotifier();
    extraWorkflows = [];
    wf = make();
  });
  afterEach(async () => {
    for (const w of extraWorkflows) {
      w.stop();
      await w.whenIdle();
    }
    store.close();
  });

  const ask = async (who = alice, pf = preflight()) => ok(await wf.request(who, groupSpec, pf, 'conv-1'));
  const actions = (id: string) => store.audit(id).map((e) => e.action);

  describe('request', () => {
    it('stores a pending request with the preflight and notifies', async () => {
      const r = await ask();
      assert.equal(r.state, 'pending');
      assert.equal(r.version, 1);
      assert.deepEqual(r.requester, alice);
      assert.equal(r.conversationKey, 'conv-1');
      assert.deepEqual(r.preflight, preflight());
      assert.equal(r.expiresAt, new Date(clock.t + HOUR).toISOString());
      await wf.whenIdle();
      assert.deepEqual(notifier.events(r.id), ['requested']);
    });

    it('refuses a blocked preflight', async () => {
      const pf = preflight(groupChange(), [finding('SEATS_SHORT', 'block')]);
      const r = await wf.request(alice, groupSpec, pf);
      assert.equal(reason(r), 'blocked');
      assert.deepEqual(!r.ok && r.preflight, pf);
      assert.equal(store.list().length, 0);
    });

    it('refuses an actor from another tenant', async () => {
      const r = await wf.request({ ...alice, tenantId: OTHER_TENANT }, groupSpec, preflight());
      assert.equal(reason(r), 'wrong_tenant');
      assert.equal(store.list().length, 0);
    });
  });

  describe('approve', () => {
    it('pending -> approved -> running -> completed: re-checks, swaps once with the fresh change, tracks, audits, notifies', async () => {
      const r = await ask();
      const fresh = preflight(groupChange({ affectedUsers: 11, seats: { needed: 11, available: 14 } }));
      licenses.preflight.resolves(fresh);
      licenses.track.callsFake(async (_c: ResolvedChange, o?: TrackOptions) => {
        await o?.onProgress?.({ groupId: 'g', processingState: 'ProcessingInProgress', elapsedMs: 500, polls: 1 });
        return trackingReport();
      });

      const res = await wf.approve(bob, r.id, r.version);
      const answered = ok(res);
      assert.equal(answered.state, 'running', 'answers once the re-check is done, without waiting for the run');
      assert.deepEqual(answered.approver, bob);
      await wf.whenIdle();

      const done = store.get(r.id)!;
      assert.equal(done.state, 'completed');
      assert.equal(licenses.swap.callCount, 1);
      assert.deepEqual(licenses.swap.firstCall.args[0], fresh.change);
      assert.deepEqual(done.preflight, fresh, 'the re-checked preflight is kept');
      assert.equal(licenses.track.callCount, 1);
      assert.equal(licenses.track.firstCall.args[1]?.since, swapResult(fresh.change).startedAt);
      assert.deepEqual(done.result?.swap, swapResult(fresh.change));
      assert.deepEqual(done.result?.tracking, trackingReport());
      assert.deepEqual(done.result?.trackingTotals, { done: 2, errors: 0, stillHoldingSource: 0 });
      assert.equal(done.lease, undefined);
      assert.deepEqual(notifier.events(r.id), ['requested', 'approved', 'started', 'progress', 'completed']);
      assert.deepEqual(actions(r.id), ['requested', 'approved', 'started', 'swap-started', 'swap-finished', 'completed']);
      const swapEntry = store.audit(r.id).find((e) => e.action === 'swap-finished')!;
      assert.deepEqual(swapEntry.detail.outcomes, [{ principal: { kind: 'group', id: fresh.change.principal.id, displayName: 'Sales' }, status: 'accepted' }]);
      assert.deepEqual(store.audit(r.id).find((e) => e.action === 'approved')!.actor, bob);
    });

    it('a member of an approvers group may approve', async () => {
      const r = await ask();
      ok(await wf.approve(dave, r.id, 1));
      await wf.whenIdle();
      assert.equal(store.get(r.id)!.state, 'completed');
    });

    it('refuses unknown ids', async () => {
      assert.equal(reason(await wf.approve(bob, '42', 1)), 'unknown');
      assert.equal(reason(await wf.approve(bob, 'abc', 1)), 'unknown');
    });

    it('refuses someone who is not an approver, and audits the attempt', async () => {
      const r = await ask();
      const res = await wf.approve(carol, r.id, 1);
      assert.equal(reason(res), 'not_approver');
      assert.equal(!res.ok && res.request?.state, 'pending');
      assert.equal(store.get(r.id)!.state, 'pending');
      assert.deepEqual(actions(r.id), ['requested', 'refused']);
    });

    it('refuses the requester approving their own request', async () => {
      wf = make({}, { approvers: `${APPROVERS}, alice@contoso.example` });
      const r = await ask();
      assert.equal(reason(await wf.approve(alice, r.id, 1)), 'own_request');
      assert.equal(store.get(r.id)!.state, 'pending');
    });

    it('lets the requester approve when ALLOW_SELF_APPROVAL is set', async () => {
      wf = make({}, { approvers: `${APPROVERS}, alice@contoso.example`, allowSelfApproval: true });
      const r = await ask();
      ok(await wf.approve(alice, r.id, 1));
      await wf.whenIdle();
      assert.equal(store.get(r.id)!.state, 'completed');
    });

    it('refuses an actor from another tenant without showing the request', async () => {
      const r = await ask();
      const res = await wf.approve({ ...bob, tenantId: OTHER_TENANT }, r.id, 1);
      assert.equal(reason(res), 'wrong_tenant');
      assert.equal(!res.ok && res.request, undefined);
      assert.equal(store.get(r.id)!.state, 'pending');
    });

    it('refuses a stale card version and answers with the current request', async () => {
      const r = await ask();
      const res = await wf.approve(bob, r.id, 7);
      assert.equal(reason(res), 'stale');
      assert.equal(!res.ok && res.request?.version, 1);
      assert.equal(store.get(r.id)!.state, 'pending');
    });

    it('refuses an expired request and marks it expired', async () => {
      const r = await ask();
      clock.advance(HOUR);
      const res = await wf.approve(bob, r.id, 1);
      assert.equal(reason(res), 'expired');
      assert.equal(store.get(r.id)!.state, 'expired');
      assert.equal(licenses.swap.callCount, 0);
      await wf.whenIdle();
      assert.deepEqual(notifier.events(r.id), ['requested', 'expired']);
      assert.equal(reason(await wf.approve(bob, r.id, 2)), 'expired', 'and keeps refusing it');
    });

    it('a second click (or a Teams retry) finds it already decided and never runs twice', async () => {
      const r = await ask();
      ok(await wf.approve(bob, r.id, 1));
      const second = await wf.approve(bob, r.id, 1);
      assert.equal(reason(second), 'already_decided');
      assert.ok(!second.ok && second.request && ['running', 'completed'].includes(second.request.state));
      const third = await wf.approve(dave, r.id, 2);
      assert.equal(reason(third), 'already_decided');
      await wf.whenIdle();
      assert.equal(licenses.swap.callCount, 1);
    });

    it('twenty concurrent clicks in one process: one approval, one swap', async () => {
      const r = await ask();
      const results = await Promise.all(Array.from({ length: 20 }, () => wf.approve(bob, r.id, 1)));
      assert.equal(results.filter((x) => x.ok).length, 1);
      assert.ok(results.filter((x) => !x.ok).every((x) => reason(x) === 'already_decided'));
      await wf.whenIdle();
      assert.equal(licenses.swap.callCount, 1);
      assert.equal(actions(r.id).filter((a) => a === 'approved').length, 1);
    });

    it('stops when the re-check finds things worse: failed with what changed, no swap', async () => {
      const r = await ask();
      const worse = preflight(groupChange({ seats: { needed: 10, available: 4 } }), [
        finding('SEATS_SHORT', 'block', [], 'Only 4 Office 365 E3 seats left for 10 people.'),
        finding('MUTUALLY_EXCLUSIVE', 'warn', [user(3)], 'User 3 holds a plan that clashes with E3.'),
      ]);
      licenses.preflight.resolves(worse);
      const res = ok(await wf.approve(bob, r.id, 1));
      assert.equal(res.state, 'failed');
      assert.deepEqual(res.result?.worsened, [
        'Not enough Office 365 E3 seats any more: 4 available, 10 needed (there were 15 available for 10 when it was requested).',
        'New warning: User 3 holds a plan that clashes with E3.',
      ]);
      assert.deepEqual(res.preflight, worse);
      await wf.whenIdle();
      assert.equal(licenses.swap.callCount, 0);
      assert.deepEqual(notifier.events(r.id), ['requested', 'approved', 'worsened']);
      assert.deepEqual(actions(r.id), ['requested', 'approved', 'worsened']);
    });

    it('fails (without a swap) when the re-check cannot run', async () => {
      const r = await ask();
      licenses.preflight.rejects(new Error('Graph unavailable'));
      const res = ok(await wf.approve(bob, r.id, 1));
      assert.equal(res.state, 'failed');
      assert.match(res.result?.error ?? '', /could not be checked again.*Graph unavailable/);
      assert.equal(licenses.swap.callCount, 0);
    });

    it('answers as approved when the re-check is slow, and carries on in the background', async () => {
      wf = make({ recheckBudgetMs: 20 });
      const r = await ask();
      let release!: () => void;
      licenses.preflight.callsFake(() => new Promise((res) => (release = () => res(preflight()))));
      const answered = ok(await wf.approve(bob, r.id, 1));
      assert.equal(answered.state, 'approved');
      assert.equal(reason(await wf.approve(bob, r.id, 1)), 'already_decided');
      release();
      await wf.whenIdle();
      assert.equal(store.get(r.id)!.state, 'completed');
      assert.equal(licenses.swap.callCount, 1);
    });

    it('a notifier that fails never breaks the run', async () => {
      notifier.fail = true;
      const r = await ask();
      ok(await wf.approve(bob, r.id, 1));
      await wf.whenIdle();
      assert.equal(store.get(r.id)!.state, 'completed');
    });
  });

  describe('run outcomes', () => {
    const approveAndRun = async (change: ResolvedChange) => {
      licenses.preflight.resolves(preflight(change));
      const r = await ask(alice, preflight(change));
      ok(await wf.approve(bob, r.id, 1));
      await wf.whenIdle();
      return store.get(r.id)!;
    };

    it('users: every call changed -> completed, no tracking', async () => {
      const done = await approveAndRun(usersChange([user(1), user(2)]));
      assert.equal(done.state, 'completed');
      assert.equal(licenses.track.callCount, 0);
    });

    it('users: some calls refused -> partial, with what Graph said in the audit', async () => {
      const change = usersChange([user(1), user(2)]);
      licenses.swap.callsFake(async (c: ResolvedChange) => swapResult(c, [user(2).id]));
      const done = await approveAndRun(change);
      assert.equal(done.state, 'partial');
      assert.equal(done.result?.swap?.failed.length, 1);
      const entry = store.audit(done.id).find((e) => e.action === 'swap-finished')!;
      assert.deepEqual((entry.detail.outcomes as { graphCode?: string }[])[1].graphCode, 'Request_BadRequest');
    });

    it('users: every call refused -> failed', async () => {
      const change = usersChange([user(1)]);
      licenses.swap.callsFake(async (c: ResolvedChange) => swapResult(c, [user(1).id]));
      assert.equal((await approveAndRun(change)).state, 'failed');
    });

    it('group: members in error after processing -> partial', async () => {
      licenses.track.resolves(trackingReport({ errors: [{ principal: user(5), error: 'CountViolation', message: 'No seats' }] }));
      const done = await approveAndRun(groupChange());
      assert.equal(done.state, 'partial');
      assert.deepEqual(done.result?.trackingTotals, { done: 2, errors: 1, stillHoldingSource: 0 });
    });

    it('group: processing still going when tracking times out -> partial with an explanation', async () => {
      licenses.track.resolves(trackingReport({ outcome: 'timeout', processingState: 'ProcessingInProgress' }));
      const done = await approveAndRun(groupChange());
      assert.equal(done.state, 'partial');
      assert.match(done.result?.error ?? '', /still processing/);
    });

    it('group: tracking itself failing -> partial, never a second swap', async () => {
      licenses.track.rejects(new Error('boom'));
      const done = await approveAndRun(groupChange());
      assert.equal(done.state, 'partial');
      assert.match(done.result?.error ?? '', /following Entra's processing failed/);
      assert.equal(licenses.swap.callCount, 1);
    });

    it('swap throwing BLOCKED -> failed, nothing read back', async () => {
      licenses.swap.rejects(new LicensingError('BLOCKED', 'Blocked by preflight'));
      const done = await approveAndRun(groupChange());
      assert.equal(done.state, 'failed');
      assert.match(done.result?.error ?? '', /Nothing was changed/);
      assert.equal(licenses.status.callCount, 0);
    });

    it('swap throwing mid-way -> the outcome is read back from Graph, never retried', async () => {
      const change = usersChange([user(1), user(2)]);
      licenses.swap.rejects(new Error('socket hang up'));
      licenses.status.callsFake(async (q: { kind: string; user?: string }) => ({
        principal: user(1),
        licenses: [{ plan: q.user === user(1).id ? E3 : E1, assignedByGroup: null, disabledPlans: [] }],
      }));
      const done = await approveAndRun(change);
      assert.equal(done.state, 'partial');
      assert.equal(done.result?.recovered, true);
      assert.match(done.result?.error ?? '', /socket hang up/);
      assert.deepEqual(done.result?.swap?.changed.map((p) => p.id), [user(1).id]);
      assert.equal(licenses.swap.callCount, 1);
    });

    it('finalState table', () => {
      const g = groupChange();
      assert.equal(finalState(swapResult(g)), 'completed');
      assert.equal(finalState(swapResult(g), trackingReport({ outcome: 'failed', done: [] })), 'failed');
      assert.equal(finalState(swapResult(g), trackingReport({ outcome: 'failed' })), 'partial');
      assert.equal(finalState({ ...swapResult(g), outcomes: [] }), 'failed');
    });
  });

  describe('reject', () => {
    it('pending -> rejected by an approver, with the reason; later clicks find it decided', async () => {
      const r = await ask();
      const res = ok(await wf.reject(bob, r.id, 1, '  not this quarter '));
      assert.equal(res.state, 'rejected');
      assert.deepEqual(res.approver, bob);
      assert.equal(res.result?.reason, 'not this quarter');
      assert.equal(reason(await wf.approve(dave, r.id, 1)), 'already_decided');
      assert.equal(reason(await wf.reject(dave, r.id, 2)), 'already_decided');
      await wf.whenIdle();
      assert.deepEqual(notifier.events(r.id), ['requested', 'rejected']);
      assert.equal(store.audit(r.id)[1].detail.reason, 'not this quarter');
      assert.equal(licenses.swap.callCount, 0);
    });

    it('refuses non-approvers, the requester, other tenants, stale cards, expired and unknown requests', async () => {
      wf = make({}, { approvers: `${APPROVERS}, alice@contoso.example` });
      const r = await ask();
      assert.equal(reason(await wf.reject(carol, r.id, 1)), 'not_approver');
      const own = await wf.reject(alice, r.id, 1);
      assert.equal(reason(own), 'own_request');
      assert.match(!own.ok ? own.message : '', /cancel/);
      assert.equal(reason(await wf.reject({ ...bob, tenantId: OTHER_TENANT }, r.id, 1)), 'wrong_tenant');
      assert.equal(reason(await wf.reject(bob, r.id, 3)), 'stale');
      assert.equal(reason(await wf.reject(bob, '99', 1)), 'unknown');
      clock.advance(HOUR + 1);
      assert.equal(reason(await wf.reject(bob, r.id, 1)), 'expired');
    });
  });

  describe('cancel', () => {
    it('pending -> cancelled by the requester', async () => {
      const r = await ask();
      const res = ok(await wf.cancel(alice, r.id, 1));
      assert.equal(res.state, 'cancelled');
      await wf.whenIdle();
      assert.deepEqual(notifier.events(r.id), ['requested', 'cancelled']);
    });

    it('an approver may cancel too (typed command, no card version)', async () => {
      const r = await ask();
      assert.equal(ok(await wf.cancel(bob, r.id)).state, 'cancelled');
    });

    it('refuses anyone else, and anything no longer pending', async () => {
      const r = await ask();
      assert.equal(reason(await wf.cancel(carol, r.id, 1)), 'not_allowed');
      assert.equal(reason(await wf.cancel({ ...alice, tenantId: OTHER_TENANT }, r.id, 1)), 'wrong_tenant');
      assert.equal(reason(await wf.cancel(alice, r.id, 5)), 'stale');
      ok(await wf.approve(bob, r.id, 1));
      assert.equal(reason(await wf.cancel(alice, r.id, 1)), 'already_decided');
      assert.equal(reason(await wf.cancel(alice, r.id)), 'already_decided');
    });
  });

  describe('expiry', () => {
    it('expireDue moves only pending requests past their expiry, once', async () => {
      const a = await ask();
      clock.advance(HOUR / 2);
      const b = await ask();
      const c = await ask();
      ok(await wf.approve(bob, c.id, 1));
      await wf.whenIdle();
      clock.advance(HOUR / 2);
      assert.deepEqual(wf.expireDue().map((r) => r.id), [a.id]);
      assert.deepEqual(wf.expireDue(), []);
      assert.equal(store.get(b.id)!.state, 'pending');
      assert.equal(store.get(c.id)!.state, 'completed');
      clock.advance(HOUR / 2);
      assert.deepEqual(wf.expireDue().map((r) => r.id), [b.id]);
      await wf.whenIdle();
      assert.deepEqual(notifier.events(a.id), ['requested', 'expired']);
      assert.deepEqual(actions(a.id), ['requested', 'expired']);
    });

    it('status shows an overdue request as expired', async () => {
      const r = await ask();
      clock.advance(HOUR);
      assert.equal(ok(wf.status(r.id)).state, 'expired');
      assert.equal(ok(wf.status(`#${r.id}`, bob)).state, 'expired');
      assert.equal(reason(wf.status('77')), 'unknown');
      assert.equal(reason(wf.status(r.id, { ...bob, tenantId: OTHER_TENANT })), 'wrong_tenant');
    });
  });

  describe('pending and history', () => {
    it('pending lists what this actor may approve: not their own, not expired, not other tenants', async () => {
      wf = make({}, { approvers: `${APPROVERS}, alice@contoso.example` });
      const a = await ask(alice);
      const b = await ask(bob);
      clock.advance(HOUR / 2);
      const c = await ask(carol);
      assert.deepEqual((await wf.pending(bob)).map((r) => r.id), [c.id, a.id]);
      assert.deepEqual((await wf.pending(alice)).map((r) => r.id), [c.id, b.id]);
      assert.deepEqual(await wf.pending(carol), []);
      assert.deepEqual(await wf.pending({ ...bob, tenantId: OTHER_TENANT }), []);
      clock.advance(HOUR / 2);
      assert.deepEqual((await wf.pending(bob)).map((r) => r.id), [c.id]);
    });

    it('history lists newest first with a limit', async () => {
      for (let i = 0; i < 5; i++) await ask();
      assert.deepEqual(wf.history(3).map((r) => r.id), ['5', '4', '3']);
      assert.deepEqual(wf.history(10, { requesterId: bob.id }), []);
    });
  });

  describe('undo', () => {
    const completed = async (change: ResolvedChange = groupChange()) => {
      licenses.preflight.resolves(preflight(change));
      const r = await ask(alice, preflight(change));
      ok(await wf.approve(bob, r.id, 1));
      await wf.whenIdle();
      return store.get(r.id)!;
    };

    it('a completed change gets a new pending request for its reverse, after a fresh preflight', async () => {
      const orig = await completed();
      const reversed = preflight(groupChange({ from: E3, to: E1 }));
      licenses.preflight.resetHistory();
      licenses.preflight.resolves(reversed);
      const u = ok(await wf.undo(carol, orig.id, 'conv-2'));
      assert.equal(u.state, 'pending');
      assert.equal(u.undoOf, orig.id);
      assert.deepEqual(u.requester, carol);
      assert.equal(u.conversationKey, 'conv-2');
      assert.deepEqual(licenses.reverse.firstCall.args[0], orig.preflight.change);
      assert.deepEqual(licenses.preflight.firstCall.args[0], licenses.reverse.firstCall.returnValue);
      assert.deepEqual(u.preflight, reversed);
      assert.deepEqual(actions(orig.id).slice(-1), ['undo-requested']);

      // approved like any other
      ok(await wf.approve(bob, u.id, 1));
      await wf.whenIdle();
      assert.equal(store.get(u.id)!.state, 'completed');
      assert.equal(licenses.swap.callCount, 2);
    });

    it('refuses while the change is not done, and a second undo while one is open', async () => {
      const p = await ask();
      assert.equal(reason(await wf.undo(alice, p.id)), 'not_allowed');
      const orig = await completed();
      const first = ok(await wf.undo(alice, orig.id));
      const second = await wf.undo(carol, orig.id);
      assert.equal(reason(second), 'not_allowed');
      assert.equal(!second.ok && second.request?.id, first.id);
      assert.equal(reason(await wf.undo(alice, '404')), 'unknown');
      assert.equal(reason(await wf.undo({ ...alice, tenantId: OTHER_TENANT }, orig.id)), 'wrong_tenant');
    });

    it('refuses (blocked) when the reverse would be blocked, with its preflight', async () => {
      const orig = await completed();
      const blocked = preflight(groupChange({ from: E3, to: E1 }), [finding('SEATS_SHORT', 'block')]);
      licenses.preflight.resolves(blocked);
      const res = await wf.undo(alice, orig.id);
      assert.equal(reason(res), 'blocked');
      assert.deepEqual(!res.ok && res.preflight, blocked);
      licenses.reverse.throws(new LicensingError('INVALID_INPUT', 'cannot reverse'));
      assert.equal(reason(await wf.undo(alice, orig.id)), 'blocked');
    });

    it('a partial change is undone only where it changed', async () => {
      licenses.swap.callsFake(async (c: ResolvedChange) => swapResult(c, [user(2).id]));
      const orig = await completed(usersChange([user(1), user(2), user(3)]));
      assert.equal(orig.state, 'partial');
      ok(await wf.undo(alice, orig.id));
      const reversedChange = licenses.reverse.firstCall.args[0];
      assert.deepEqual(reversedChange.assignments.map((a) => a.principal.id), [user(1).id, user(3).id]);
    });
  });

  describe('notices owed after a restart', () => {
    it('a notice that never went out (Teams down, or the process stopped) is sent at the next start, once', async () => {
      notifier.fail = true;
      const r = await ask();
      await wf.whenIdle();
      assert.equal(store.get(r.id)!.notifiedVersion, 0, 'not recorded as sent');
      notifier.fail = false;
      const restarted = make();
      await restarted.start();
      await restarted.whenIdle();
      assert.deepEqual(notifier.events(r.id), ['requested', 'requested']);
      assert.equal(store.get(r.id)!.notifiedVersion, 1);
      const again = make();
      await again.start();
      await again.whenIdle();
      assert.deepEqual(notifier.events(r.id), ['requested', 'requested'], 'nothing more after a second start');
    });

    it('a sent notice is recorded; a start sends nothing for it', async () => {
      const r = await ask();
      await wf.whenIdle();
      assert.equal(store.get(r.id)!.notifiedVersion, 1);
      const restarted = make();
      await restarted.start();
      await restarted.whenIdle();
      assert.deepEqual(notifier.events(r.id), ['requested']);
    });

    it('the owed notice is the last transition\'s: "worsened" for a re-check that stopped the run, "rejected" for a rejection', async () => {
      const r = await ask();
      await wf.whenIdle();
      store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      store.transition(r.id, { from: ['approved'] }, 'failed', null, { result: { worsened: ['Seats are short now.'] } }, {}, 'worsened');
      const other = await ask(carol);
      await wf.whenIdle();
      store.transition(other.id, { from: ['pending'] }, 'rejected', bob, { approver: bob });
      const restarted = make();
      await restarted.start();
      await restarted.whenIdle();
      assert.deepEqual(notifier.events(r.id), ['requested', 'worsened']);
      assert.deepEqual(notifier.events(other.id), ['requested', 'rejected']);
    });

    it('old requests are left alone: nothing is owed for a change last touched more than a day (or the approval time) ago', async () => {
      notifier.fail = true;
      const r = await ask();
      await wf.whenIdle();
      notifier.fail = false;
      clock.advance(25 * HOUR);
      const restarted = make();
      await restarted.start();
      await restarted.whenIdle();
      assert.deepEqual(notifier.events(r.id).filter((e) => e === 'requested'), ['requested'], 'the failed first attempt only');
    });
  });

  describe('reconcile (start-up)', () => {
    /** A request left running by a process that died, its lease lapsed. */
    const leftRunning = async (result: ChangeRequest['result'] = {}, change = groupChange()) => {
      const r = await ask(alice, preflight(change));
      store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      const until = new Date(clock.t + 60_000).toISOString();
      store.transition(r.id, { from: ['approved'] }, 'running', null, { lease: { owner: 'dead-process', until }, result }, {}, 'started');
      return r.id;
    };

    it('leaves a request alone while another process holds its lease', async () => {
      const id = await leftRunning({ swap: swapResult(groupChange()) });
      assert.deepEqual(await wf.reconcile(), []);
      assert.equal(store.get(id)!.state, 'running');
      assert.equal(licenses.track.callCount, 0);
    });

    it('swap recorded: follows the group processing to the end, never swaps again', async () => {
      const id = await leftRunning({ swap: swapResult(groupChange()), startedAt: 'x' });
      clock.advance(61_000);
      const out = await wf.reconcile();
      assert.deepEqual(out.map((r) => [r.id, r.state]), [[id, 'completed']]);
      assert.equal(licenses.swap.callCount, 0);
      assert.equal(licenses.track.callCount, 1);
      assert.deepEqual(actions(id).slice(-2), ['reconcile-claimed', 'completed']);
      await wf.whenIdle();
      assert.deepEqual(notifier.events(id).slice(-1), ['completed']);
    });

    it('no swap recorded: reads Graph to see whether it happened', async () => {
      const change = usersChange([user(1), user(2)]);
      const id = await leftRunning({}, change);
      licenses.status.callsFake(async () => ({ principal: user(1), licenses: [{ plan: E3, assignedByGroup: null, disabledPlans: [] }] }));
      clock.advance(61_000);
      await wf.reconcile();
      const r = store.get(id)!;
      assert.equal(r.state, 'completed');
      assert.equal(r.result?.recovered, true);
      assert.equal(licenses.swap.callCount, 0);
      assert.deepEqual(actions(id).slice(-3), ['reconcile-claimed', 'swap-verified', 'completed']);
    });

    it('no swap recorded and Graph shows nothing changed: failed', async () => {
      const id = await leftRunning({}, usersChange([user(1)]));
      licenses.status.resolves({ principal: user(1), licenses: [{ plan: E1, assignedByGroup: null, disabledPlans: [] }] });
      clock.advance(61_000);
      await wf.reconcile();
      assert.equal(store.get(id)!.state, 'failed');
      assert.equal(licenses.swap.callCount, 0);
    });

    it('a lease whose owner is certainly gone (a restart) is taken over at once, not after the lease', async () => {
      const id = await leftRunning({ swap: swapResult(groupChange()), startedAt: 'x' });
      const restarted = make({ ownerIsGone: (owner) => owner === 'dead-process' });
      const out = await restarted.reconcile();
      assert.deepEqual(out.map((r) => [r.id, r.state]), [[id, 'completed']]);
      assert.equal(licenses.swap.callCount, 0);
      const claim = store.audit(id).find((e) => e.action === 'reconcile-claimed')!;
      assert.equal(claim.detail.why, 'owner-gone');
      assert.deepEqual(claim.detail.previousLease, { owner: 'dead-process', until: new Date(clock.t + 60_000).toISOString() });
      await restarted.whenIdle();
      assert.deepEqual(notifier.events(id).slice(-1), ['completed']);
    });

    it('owner gone, no swap recorded: waits RECOVERY_SETTLE from start-up before reading Graph back', async () => {
      const id = await leftRunning({}, usersChange([user(1)]));
      licenses.status.resolves({ principal: user(1), licenses: [{ plan: E3, assignedByGroup: null, disabledPlans: [] }] });
      const restarted = make({ ownerIsGone: () => true, restartSettleMs: 150 });
      const t0 = Date.now();
      await restarted.reconcile();
      assert.ok(Date.now() - t0 >= 140, `waited ${Date.now() - t0} ms`);
      assert.equal(store.get(id)!.state, 'completed');
      assert.deepEqual(actions(id).slice(-3), ['reconcile-claimed', 'swap-verified', 'completed']);
    });

    it('an approval whose approving process is gone is re-checked and run at once', async () => {
      const r = await ask();
      store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob }, { cardVersion: 1, instance: 'dead-process' });
      clock.advance(5_000);
      const restarted = make({ ownerIsGone: (owner) => owner === 'dead-process' });
      await restarted.reconcile();
      await restarted.whenIdle();
      assert.equal(store.get(r.id)!.state, 'completed');
      assert.equal(licenses.swap.callCount, 1);
    });

    it('approve() records the instance that will run it', async () => {
      const r = await ask();
      ok(await wf.approve(bob, r.id, 1));
      await wf.whenIdle();
      assert.equal(store.audit(r.id).find((e) => e.action === 'approved')!.detail.instance, wf.instanceId);
    });

    it('two processes reconciling at once: only one claims', async () => {
      const id = await leftRunning({ swap: swapResult(groupChange()) });
      clock.advance(61_000);
      const other = make();
      await Promise.all([wf.reconcile(), other.reconcile()]);
      assert.equal(licenses.track.callCount, 1);
      assert.equal(actions(id).filter((a) => a === 'reconcile-claimed').length, 1);
      assert.equal(store.get(id)!.state, 'completed');
    });

    it('an approval left before its re-check is re-checked and run once; a too-old one fails', async () => {
      const a = await ask();
      store.transition(a.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      clock.advance(2 * 60_000);
      const b = await ask();
      store.transition(b.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      clock.advance(10_000);
      await wf.reconcile();
      await wf.whenIdle();
      assert.equal(store.get(a.id)!.state, 'completed');
      assert.equal(store.get(b.id)!.state, 'approved', 'a fresh approval may still be re-checking elsewhere');
      assert.equal(licenses.swap.callCount, 1);

      clock.advance(2 * HOUR);
      await wf.reconcile();
      assert.equal(store.get(b.id)!.state, 'failed');
      assert.equal(licenses.swap.callCount, 1);
    });

    it('runApproved runs an approved request once and refuses anything else', async () => {
      const r = await ask();
      store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      const res = ok(await wf.runApproved(r.id));
      assert.equal(res.state, 'completed');
      assert.equal(reason(await wf.runApproved(r.id)), 'already_decided');
      assert.equal(reason(await wf.runApproved('31')), 'unknown');
      assert.equal(licenses.swap.callCount, 1);
    });
  });
});

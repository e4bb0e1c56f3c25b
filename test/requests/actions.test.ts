import assert from 'node:assert/strict';
import type { ResolvedChange, TrackOptions } from '../../src/licensing/model';
import { LicensingError } from '../../src/licensing/model';
import { alice, APPROVERS, bob, carol, dave, E1, E3, finding, groupChange, groupSpec, OTHER_TENANT, preflight, swapResult, trackingReport, user, usersChange } from './fakes';
import { HOUR, ok, reason, WorkflowHarness } from './harness';

describe('requests: actions (four eyes)', () => {
  let h: WorkflowHarness;
  beforeEach(() => {
    h = new WorkflowHarness();
  });
  afterEach(() => h.close());

  describe('request', () => {
    it('stores a pending request with the preflight and notifies', async () => {
      const r = await h.ask();
      assert.equal(r.state, 'pending');
      assert.equal(r.version, 1);
      assert.deepEqual(r.requester, alice);
      assert.equal(r.conversationKey, 'conv-1');
      assert.deepEqual(r.preflight, preflight());
      assert.equal(r.expiresAt, new Date(h.clock.t + HOUR).toISOString());
      await h.wf.whenIdle();
      assert.deepEqual(h.notifier.events(r.id), ['requested']);
    });

    it('refuses a blocked preflight', async () => {
      const pf = preflight(groupChange(), [finding('SEATS_SHORT', 'block')]);
      const r = await h.wf.request(alice, groupSpec, pf);
      assert.equal(reason(r), 'blocked');
      assert.deepEqual(!r.ok && r.preflight, pf);
      assert.equal((await h.store.list()).length, 0);
    });

    it('refuses an actor from another tenant', async () => {
      const r = await h.wf.request({ ...alice, tenantId: OTHER_TENANT }, groupSpec, preflight());
      assert.equal(reason(r), 'wrong_tenant');
      assert.equal((await h.store.list()).length, 0);
    });
  });

  describe('approve', () => {
    it('pending -> approved -> running -> completed: re-checks, swaps once with the fresh change, tracks, audits, notifies', async () => {
      const r = await h.ask();
      const fresh = preflight(groupChange({ affectedUsers: 11, seats: { needed: 11, available: 14 } }));
      h.licenses.preflight.resolves(fresh);
      h.licenses.track.callsFake(async (_c: ResolvedChange, o?: TrackOptions) => {
        await o?.onProgress?.({ groupId: 'g', processingState: 'ProcessingInProgress', elapsedMs: 500, polls: 1 });
        return trackingReport();
      });

      const res = await h.wf.approve(bob, r.id, r.version);
      const answered = ok(res);
      assert.equal(answered.state, 'running', 'answers once the re-check is done, without waiting for the run');
      assert.deepEqual(answered.approver, bob);
      await h.wf.whenIdle();

      const done = await h.get(r.id);
      assert.equal(done.state, 'completed');
      assert.equal(h.licenses.swap.callCount, 1);
      assert.deepEqual(h.licenses.swap.firstCall.args[0], fresh.change);
      assert.deepEqual(done.preflight, fresh, 'the re-checked preflight is kept');
      assert.equal(h.licenses.track.callCount, 1);
      assert.equal(h.licenses.track.firstCall.args[1]?.since, swapResult(fresh.change).startedAt);
      assert.deepEqual(done.result?.swap, swapResult(fresh.change));
      assert.deepEqual(done.result?.tracking, trackingReport());
      assert.deepEqual(done.result?.trackingTotals, { done: 2, errors: 0, stillHoldingSource: 0 });
      assert.equal(done.lease, undefined);
      assert.deepEqual(h.notifier.events(r.id), ['requested', 'approved', 'started', 'progress', 'completed']);
      assert.deepEqual(await h.actions(r.id), ['requested', 'approved', 'started', 'swap-started', 'swap-finished', 'completed']);
      const swapEntry = (await h.store.audit(r.id)).find((e) => e.action === 'swap-finished')!;
      assert.deepEqual(swapEntry.detail.outcomes, [{ principal: { kind: 'group', id: fresh.change.principal.id, displayName: 'Sales' }, status: 'accepted' }]);
      assert.deepEqual((await h.store.audit(r.id)).find((e) => e.action === 'approved')!.actor, bob);
    });

    it('a member of an approvers group may approve', async () => {
      const r = await h.ask();
      ok(await h.wf.approve(dave, r.id, 1));
      await h.wf.whenIdle();
      assert.equal((await h.get(r.id)).state, 'completed');
    });

    it('refuses unknown ids', async () => {
      assert.equal(reason(await h.wf.approve(bob, '42', 1)), 'unknown');
      assert.equal(reason(await h.wf.approve(bob, 'abc', 1)), 'unknown');
    });

    it('refuses someone who is not an approver, and audits the attempt', async () => {
      const r = await h.ask();
      const res = await h.wf.approve(carol, r.id, 1);
      assert.equal(reason(res), 'not_approver');
      assert.equal(!res.ok && res.request?.state, 'pending');
      assert.equal((await h.get(r.id)).state, 'pending');
      assert.deepEqual(await h.actions(r.id), ['requested', 'refused']);
    });

    it('refuses the requester approving their own request', async () => {
      h.wf = h.make({}, { approvers: `${APPROVERS}, alice@contoso.example` });
      const r = await h.ask();
      assert.equal(reason(await h.wf.approve(alice, r.id, 1)), 'own_request');
      assert.equal((await h.get(r.id)).state, 'pending');
    });

    it('lets the requester approve when ALLOW_SELF_APPROVAL is set', async () => {
      h.wf = h.make({}, { approvers: `${APPROVERS}, alice@contoso.example`, allowSelfApproval: true });
      const r = await h.ask();
      ok(await h.wf.approve(alice, r.id, 1));
      await h.wf.whenIdle();
      assert.equal((await h.get(r.id)).state, 'completed');
    });

    it('refuses an actor from another tenant without showing the request', async () => {
      const r = await h.ask();
      const res = await h.wf.approve({ ...bob, tenantId: OTHER_TENANT }, r.id, 1);
      assert.equal(reason(res), 'wrong_tenant');
      assert.equal(!res.ok && res.request, undefined);
      assert.equal((await h.get(r.id)).state, 'pending');
    });

    it('refuses a stale card version and answers with the current request', async () => {
      const r = await h.ask();
      const res = await h.wf.approve(bob, r.id, 7);
      assert.equal(reason(res), 'stale');
      assert.equal(!res.ok && res.request?.version, 1);
      assert.equal((await h.get(r.id)).state, 'pending');
    });

    it('refuses an expired request and marks it expired', async () => {
      const r = await h.ask();
      h.clock.advance(HOUR);
      const res = await h.wf.approve(bob, r.id, 1);
      assert.equal(reason(res), 'expired');
      assert.equal((await h.get(r.id)).state, 'expired');
      assert.equal(h.licenses.swap.callCount, 0);
      await h.wf.whenIdle();
      assert.deepEqual(h.notifier.events(r.id), ['requested', 'expired']);
      assert.equal(reason(await h.wf.approve(bob, r.id, 2)), 'expired', 'and keeps refusing it');
    });

    it('a second click (or a Teams retry) finds it already decided and never runs twice', async () => {
      const r = await h.ask();
      ok(await h.wf.approve(bob, r.id, 1));
      const second = await h.wf.approve(bob, r.id, 1);
      assert.equal(reason(second), 'already_decided');
      assert.ok(!second.ok && second.request && ['running', 'completed'].includes(second.request.state));
      const third = await h.wf.approve(dave, r.id, 2);
      assert.equal(reason(third), 'already_decided');
      await h.wf.whenIdle();
      assert.equal(h.licenses.swap.callCount, 1);
    });

    it('twenty concurrent clicks in one process: one approval, one swap', async () => {
      const r = await h.ask();
      const results = await Promise.all(Array.from({ length: 20 }, () => h.wf.approve(bob, r.id, 1)));
      assert.equal(results.filter((x) => x.ok).length, 1);
      assert.ok(results.filter((x) => !x.ok).every((x) => reason(x) === 'already_decided'));
      await h.wf.whenIdle();
      assert.equal(h.licenses.swap.callCount, 1);
      assert.equal((await h.actions(r.id)).filter((a) => a === 'approved').length, 1);
    });

    it('a notifier that fails never breaks the run', async () => {
      h.notifier.fail = true;
      const r = await h.ask();
      ok(await h.wf.approve(bob, r.id, 1));
      await h.wf.whenIdle();
      assert.equal((await h.get(r.id)).state, 'completed');
    });
  });

  describe('reject', () => {
    it('pending -> rejected by an approver, with the reason; later clicks find it decided', async () => {
      const r = await h.ask();
      const res = ok(await h.wf.reject(bob, r.id, 1, '  not this quarter '));
      assert.equal(res.state, 'rejected');
      assert.deepEqual(res.approver, bob);
      assert.equal(res.result?.reason, 'not this quarter');
      assert.equal(reason(await h.wf.approve(dave, r.id, 1)), 'already_decided');
      assert.equal(reason(await h.wf.reject(dave, r.id, 2)), 'already_decided');
      await h.wf.whenIdle();
      assert.deepEqual(h.notifier.events(r.id), ['requested', 'rejected']);
      assert.equal((await h.store.audit(r.id))[1].detail.reason, 'not this quarter');
      assert.equal(h.licenses.swap.callCount, 0);
    });

    it('refuses non-approvers, the requester, other tenants, stale cards, expired and unknown requests', async () => {
      h.wf = h.make({}, { approvers: `${APPROVERS}, alice@contoso.example` });
      const r = await h.ask();
      assert.equal(reason(await h.wf.reject(carol, r.id, 1)), 'not_approver');
      const own = await h.wf.reject(alice, r.id, 1);
      assert.equal(reason(own), 'own_request');
      assert.match(!own.ok ? own.message : '', /cancel/);
      assert.equal(reason(await h.wf.reject({ ...bob, tenantId: OTHER_TENANT }, r.id, 1)), 'wrong_tenant');
      assert.equal(reason(await h.wf.reject(bob, r.id, 3)), 'stale');
      assert.equal(reason(await h.wf.reject(bob, '99', 1)), 'unknown');
      h.clock.advance(HOUR + 1);
      assert.equal(reason(await h.wf.reject(bob, r.id, 1)), 'expired');
    });
  });

  describe('cancel', () => {
    it('pending -> cancelled by the requester', async () => {
      const r = await h.ask();
      const res = ok(await h.wf.cancel(alice, r.id, 1));
      assert.equal(res.state, 'cancelled');
      await h.wf.whenIdle();
      assert.deepEqual(h.notifier.events(r.id), ['requested', 'cancelled']);
    });

    it('an approver may cancel too (typed command, no card version)', async () => {
      const r = await h.ask();
      assert.equal(ok(await h.wf.cancel(bob, r.id)).state, 'cancelled');
    });

    it('refuses anyone else, and anything no longer pending', async () => {
      const r = await h.ask();
      assert.equal(reason(await h.wf.cancel(carol, r.id, 1)), 'not_allowed');
      assert.equal(reason(await h.wf.cancel({ ...alice, tenantId: OTHER_TENANT }, r.id, 1)), 'wrong_tenant');
      assert.equal(reason(await h.wf.cancel(alice, r.id, 5)), 'stale');
      ok(await h.wf.approve(bob, r.id, 1));
      assert.equal(reason(await h.wf.cancel(alice, r.id, 1)), 'already_decided');
      assert.equal(reason(await h.wf.cancel(alice, r.id)), 'already_decided');
    });
  });

  describe('expiry', () => {
    it('expireDue moves only pending requests past their expiry, once', async () => {
      // Three different changes: the same change asked again would be the same request.
      const a = await h.ask(alice, preflight(usersChange([user(1)])));
      h.clock.advance(HOUR / 2);
      const b = await h.ask(alice, preflight(usersChange([user(2)])));
      const c = await h.ask();
      ok(await h.wf.approve(bob, c.id, 1));
      await h.wf.whenIdle();
      h.clock.advance(HOUR / 2);
      assert.deepEqual(
        (await h.wf.expireDue()).map((r) => r.id),
        [a.id],
      );
      assert.deepEqual(await h.wf.expireDue(), []);
      assert.equal((await h.get(b.id)).state, 'pending');
      assert.equal((await h.get(c.id)).state, 'completed');
      h.clock.advance(HOUR / 2);
      assert.deepEqual(
        (await h.wf.expireDue()).map((r) => r.id),
        [b.id],
      );
      await h.wf.whenIdle();
      assert.deepEqual(h.notifier.events(a.id), ['requested', 'expired']);
      assert.deepEqual(await h.actions(a.id), ['requested', 'expired']);
    });

    it('status shows an overdue request as expired', async () => {
      const r = await h.ask();
      h.clock.advance(HOUR);
      assert.equal(ok(await h.wf.status(r.id)).state, 'expired');
      assert.equal(ok(await h.wf.status(`#${r.id}`, bob)).state, 'expired');
      assert.equal(reason(await h.wf.status('77')), 'unknown');
      assert.equal(reason(await h.wf.status(r.id, { ...bob, tenantId: OTHER_TENANT })), 'wrong_tenant');
    });
  });

  describe('pending and history', () => {
    it('pending lists what this actor may approve: not their own, not expired, not other tenants', async () => {
      h.wf = h.make({}, { approvers: `${APPROVERS}, alice@contoso.example` });
      const a = await h.ask(alice);
      const b = await h.ask(bob);
      h.clock.advance(HOUR / 2);
      const c = await h.ask(carol);
      assert.deepEqual(
        (await h.wf.pending(bob)).map((r) => r.id),
        [c.id, a.id],
      );
      assert.deepEqual(
        (await h.wf.pending(alice)).map((r) => r.id),
        [c.id, b.id],
      );
      assert.deepEqual(await h.wf.pending(carol), []);
      assert.deepEqual(await h.wf.pending({ ...bob, tenantId: OTHER_TENANT }), []);
      h.clock.advance(HOUR / 2);
      assert.deepEqual(
        (await h.wf.pending(bob)).map((r) => r.id),
        [c.id],
      );
    });

    it('history lists newest first with a limit', async () => {
      for (let i = 0; i < 5; i++) await h.ask(alice, preflight(usersChange([user(i)])));
      assert.deepEqual(
        (await h.wf.history(3)).map((r) => r.id),
        ['5', '4', '3'],
      );
      assert.deepEqual(await h.wf.history(10, { requesterId: bob.id }), []);
    });
  });

  describe('undo', () => {
    const completed = async (change: ResolvedChange = groupChange()) => {
      h.licenses.preflight.resolves(preflight(change));
      const r = await h.ask(alice, preflight(change));
      ok(await h.wf.approve(bob, r.id, 1));
      await h.wf.whenIdle();
      return await h.get(r.id);
    };

    it('a completed change gets a new pending request for its reverse, after a fresh preflight', async () => {
      const orig = await completed();
      const reversed = preflight(groupChange({ from: E3, to: E1 }));
      h.licenses.preflight.resetHistory();
      h.licenses.preflight.resolves(reversed);
      const u = ok(await h.wf.undo(carol, orig.id, 'conv-2'));
      assert.equal(u.state, 'pending');
      assert.equal(u.undoOf, orig.id);
      assert.deepEqual(u.requester, carol);
      assert.equal(u.conversationKey, 'conv-2');
      assert.deepEqual(h.licenses.reverse.firstCall.args[0], orig.preflight.change);
      assert.deepEqual(h.licenses.preflight.firstCall.args[0], h.licenses.reverse.firstCall.returnValue);
      assert.deepEqual(u.preflight, reversed);
      assert.deepEqual((await h.actions(orig.id)).slice(-1), ['undo-requested']);

      // approved like any other
      ok(await h.wf.approve(bob, u.id, 1));
      await h.wf.whenIdle();
      assert.equal((await h.get(u.id)).state, 'completed');
      assert.equal(h.licenses.swap.callCount, 2);
    });

    it('refuses while the change is not done, and a second undo while one is open', async () => {
      const p = await h.ask();
      assert.equal(reason(await h.wf.undo(alice, p.id)), 'not_allowed');
      const orig = await completed();
      const first = ok(await h.wf.undo(alice, orig.id));
      const second = await h.wf.undo(carol, orig.id);
      assert.equal(reason(second), 'not_allowed');
      assert.equal(!second.ok && second.request?.id, first.id);
      assert.equal(reason(await h.wf.undo(alice, '404')), 'unknown');
      assert.equal(reason(await h.wf.undo({ ...alice, tenantId: OTHER_TENANT }, orig.id)), 'wrong_tenant');
    });

    it('refuses (blocked) when the reverse would be blocked, with its preflight', async () => {
      const orig = await completed();
      const blocked = preflight(groupChange({ from: E3, to: E1 }), [finding('SEATS_SHORT', 'block')]);
      h.licenses.preflight.resolves(blocked);
      const res = await h.wf.undo(alice, orig.id);
      assert.equal(reason(res), 'blocked');
      assert.deepEqual(!res.ok && res.preflight, blocked);
      h.licenses.reverse.throws(new LicensingError('INVALID_INPUT', 'cannot reverse'));
      assert.equal(reason(await h.wf.undo(alice, orig.id)), 'blocked');
    });

    it('a partial change is undone only where it changed', async () => {
      h.licenses.swap.callsFake(async (c: ResolvedChange) => swapResult(c, [user(2).id]));
      const orig = await completed(usersChange([user(1), user(2), user(3)]));
      assert.equal(orig.state, 'partial');
      ok(await h.wf.undo(alice, orig.id));
      const reversedChange = h.licenses.reverse.firstCall.args[0];
      assert.deepEqual(
        reversedChange.assignments.map((a) => a.principal.id),
        [user(1).id, user(3).id],
      );
    });
  });
});

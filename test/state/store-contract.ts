// The store ports' contract (src/requests/types.ts RequestStore, and the card choices of
// src/requests/conversation-store.ts), as specs any store runs:
//   describeRequestStore('SQLite', async (now) => ({ store: openStore(':memory:', { now }), reopen, close }))
// PostgreSQL runs the same suite on a fresh database (test/state/postgres-store.test.ts). Only the port is used here; what a store
// does beyond it (WAL, files, its schema) has its own specs.
import assert from 'node:assert/strict';
import type { RequestStore } from '../../src/requests/types';
import type { ConversationStore } from '../../src/requests/conversation-store';
import { ApproverPolicy } from '../../src/requests/approvers';
import { ChangeRequests } from '../../src/requests/workflow';
import { alice, APPROVERS, bob, Clock, fakeLicenses, groupSpec, preflight, RecordingNotifier, swapResult, TENANT } from '../requests/fakes';
import { askAndApprove, gate, people, sentWaves, wavesLicenses } from '../requests/wave-support';

/** Both ports, as the SQLite and PostgreSQL stores implement them. */
export type StateStore = RequestStore & ConversationStore;

export interface OpenedStore {
  store: StateStore;
  /** Closes and opens the same database again (undefined for a store that cannot, e.g. in memory). */
  reopen?: () => Promise<StateStore>;
  /** A second connection to the same database at the same time (another process or instance); closed by close(). */
  another?: () => Promise<StateStore>;
  close(): Promise<void>;
}

const DAY = 24 * 3600 * 1000;

export function describeRequestStore(name: string, open: (now: () => Date) => Promise<OpenedStore>): void {
  describe(`store port contract: ${name}`, () => {
    let clock: Clock;
    let opened: OpenedStore;
    let store: StateStore;

    beforeEach(async () => {
      clock = new Clock();
      opened = await open(clock.now);
      store = opened.store;
    });
    afterEach(async () => {
      await opened.close();
    });

    const create = (s = store) => s.create({ spec: groupSpec, preflight: preflight(), requester: alice, ttlMs: DAY, conversationKey: 'conv-1' });
    const actions = async (id: string) => (await store.audit(id)).map((e) => e.action);

    it('creates pending requests with short sequential ids, version 1, expiry from the ttl, and a "requested" audit entry', async () => {
      const a = await create();
      const b = await create();
      assert.equal(a.id, '1');
      assert.equal(b.id, '2');
      assert.equal(a.state, 'pending');
      assert.equal(a.version, 1);
      assert.deepEqual(a.requester, alice);
      assert.equal(a.conversationKey, 'conv-1');
      assert.equal(a.createdAt, '2026-03-02T09:00:00.000Z');
      assert.equal(a.expiresAt, '2026-03-03T09:00:00.000Z');
      assert.deepEqual(a.spec, groupSpec);
      assert.deepEqual(a.preflight, preflight());
      const audit = await store.audit('1');
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.action, 'requested');
      assert.equal(audit[0]!.toState, 'pending');
      assert.deepEqual(audit[0]!.actor, alice);
    });

    it('finds requests by the ids people type', async () => {
      await create();
      for (const id of ['1', '#1', 'R1', ' r1 ', '01']) assert.equal((await store.get(id))?.id, '1', id);
      for (const id of ['2', 'x', '', '1.5', '-1', '0']) assert.equal(await store.get(id), undefined, id);
    });

    it('transition is a compare-and-set on state and version that bumps the version and appends audit', async () => {
      const r = await create();
      clock.advance(1000);
      const ok = await store.transition(r.id, { from: ['pending'], version: 1 }, 'approved', bob, { approver: bob }, { note: 'x' });
      assert.ok(ok.ok);
      assert.equal(ok.request.state, 'approved');
      assert.equal(ok.request.version, 2);
      assert.deepEqual(ok.request.approver, bob);
      assert.equal(ok.request.updatedAt, '2026-03-02T09:00:01.000Z');

      const again = await store.transition(r.id, { from: ['pending'], version: 1 }, 'approved', bob, { approver: bob });
      assert.deepEqual(again.ok ? null : [again.reason, again.request?.state], ['state', 'approved']);
      const stale = await store.transition(r.id, { from: ['approved'], version: 1 }, 'running', null);
      assert.deepEqual(stale.ok ? null : [stale.reason, stale.request?.version], ['version', 2]);
      const unknown = await store.transition('99', { from: ['pending'] }, 'approved', bob);
      assert.deepEqual(unknown, { ok: false, reason: 'unknown' });

      const audit = await store.audit(r.id);
      assert.deepEqual(
        audit.map((e) => [e.action, e.fromState, e.toState]),
        [
          ['requested', null, 'pending'],
          ['approved', 'pending', 'approved'],
        ],
      );
      assert.deepEqual(audit[1]!.detail, { note: 'x' });
    });

    it('of twenty concurrent compare-and-sets from one version, exactly one wins', async () => {
      const r = await create();
      const all = await Promise.all(Array.from({ length: 20 }, () => store.transition(r.id, { from: ['pending'], version: 1 }, 'approved', bob, { approver: bob })));
      assert.equal(all.filter((x) => x.ok).length, 1);
      assert.deepEqual(await actions(r.id), ['requested', 'approved']);
    });

    it('stores JSON patches (result, preflight), a named audit action, and the run lease only while running', async () => {
      const r = await create();
      await store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      const lease = { owner: 'p1', until: '2026-03-02T09:02:00.000Z' };
      const running = await store.transition(r.id, { from: ['approved'] }, 'running', null, { lease, result: { startedAt: 'now' } }, {}, 'started');
      assert.ok(running.ok);
      assert.deepEqual(running.request.lease, lease);
      assert.equal(await store.renewLease(r.id, 'p2', 'later'), false);
      assert.equal(await store.renewLease(r.id, 'p1', '2026-03-02T09:03:00.000Z'), true);
      assert.equal((await store.get(r.id))!.lease!.until, '2026-03-02T09:03:00.000Z');
      assert.equal((await store.get(r.id))!.version, running.request.version, 'renewing does not bump the version');
      const pf = preflight(undefined, []);
      pf.checkedAt = 'later';
      const done = await store.transition(r.id, { from: ['running'] }, 'completed', null, { result: { startedAt: 'now', error: 'e' }, preflight: pf });
      assert.ok(done.ok);
      assert.equal(done.request.lease, undefined);
      assert.deepEqual(done.request.result, { startedAt: 'now', error: 'e' });
      assert.equal(done.request.preflight.checkedAt, 'later');
      assert.equal(await store.renewLease(r.id, 'p1', 'x'), false);
      assert.deepEqual(await actions(r.id), ['requested', 'approved', 'started', 'completed']);
    });

    it('appends free audit entries after the transitions, in order', async () => {
      const r = await create();
      await store.appendAudit(r.id, null, 'note', { a: 1 });
      const audit = await store.audit(r.id);
      assert.deepEqual(
        audit.map((e) => [e.action, e.actor, e.detail]),
        [
          ['requested', alice, { spec: groupSpec, undoOf: null, ttlMs: DAY }],
          ['note', null, { a: 1 }],
        ],
      );
      assert.ok(audit[1]!.seq > audit[0]!.seq);
    });

    it('a failed transition writes nothing', async () => {
      const r = await create();
      await store.transition(r.id, { from: ['approved'] }, 'running', null);
      assert.equal((await store.audit(r.id)).length, 1);
      assert.equal((await store.get(r.id))!.version, 1);
    });

    it('lists newest first with state, requester, undoOf and limit filters', async () => {
      const a = await create();
      const b = await store.create({ spec: groupSpec, preflight: preflight(), requester: bob, ttlMs: DAY, undoOf: a.id });
      await create();
      await store.transition(a.id, { from: ['pending'] }, 'cancelled', alice);
      const ids = async (f?: Parameters<RequestStore['list']>[0]) => (await store.list(f)).map((r) => r.id);
      assert.deepEqual(await ids(), ['3', '2', '1']);
      assert.deepEqual(await ids({ limit: 2 }), ['3', '2']);
      assert.deepEqual(await ids({ states: ['pending'] }), ['3', '2']);
      assert.deepEqual(await store.list({ states: [] }), []);
      assert.deepEqual(await ids({ requesterId: bob.id }), ['2']);
      assert.deepEqual(await ids({ undoOf: a.id }), [b.id]);
      assert.equal((await store.get(b.id))!.undoOf, '1');
    });

    it('records the notice of a version as sent, never lowering it; lists what is owed', async () => {
      const r = await create();
      assert.deepEqual(
        (await store.list({ unnotified: true })).map((x) => x.id),
        [r.id],
      );
      await store.markNotified(r.id, 1);
      assert.deepEqual(await store.list({ unnotified: true }), []);
      await store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      assert.deepEqual(
        (await store.list({ unnotified: true })).map((x) => x.id),
        [r.id],
      );
      await store.markNotified(r.id, 2);
      await store.markNotified(r.id, 1);
      assert.equal((await store.get(r.id))!.notifiedVersion, 2);
      clock.advance(60_000);
      assert.deepEqual(await store.list({ updatedSince: new Date(clock.t).toISOString() }), []);
    });

    it('a one-off notice is claimed by one caller; an unsent claim is given again once it lapses, a sent one never', async () => {
      const r = await create();
      const until = (ms: number) => new Date(clock.t + ms).toISOString();
      const claims = await Promise.all([1, 2, 3].map((n) => store.claimNotice(r.id, 'reminder', { owner: `p${n}`, until: until(60_000) })));
      assert.equal(claims.filter(Boolean).length, 1);
      assert.equal(await store.claimNotice(r.id, 'reminder', { owner: 'p4', until: until(60_000) }), false, 'claim still holds');
      assert.equal(await store.claimNotice(r.id, 'other', { owner: 'p4', until: until(60_000) }), true, 'per kind');
      clock.advance(61_000);
      assert.equal(await store.claimNotice(r.id, 'reminder', { owner: 'p5', until: until(60_000) }), true, 'its sender died');
      await store.markNoticeSent(r.id, 'reminder');
      clock.advance(3_600_000);
      assert.equal(await store.claimNotice(r.id, 'reminder', { owner: 'p6', until: until(60_000) }), false, 'sent once');
      assert.equal((await store.get(r.id))!.version, 1, 'no version bump');
    });

    it('a claim given back unsent (its send failed) is claimable at once, by anyone; only its owner can give it back', async () => {
      const r = await create();
      const until = new Date(clock.t + 60_000).toISOString();
      assert.equal(await store.claimNotice(r.id, 'v1', { owner: 'a', until }), true);
      await store.releaseNotice(r.id, 'v1', 'b');
      assert.equal(await store.claimNotice(r.id, 'v1', { owner: 'b', until }), false, 'not given back by someone else');
      await store.releaseNotice(r.id, 'v1', 'a');
      assert.equal(await store.claimNotice(r.id, 'v1', { owner: 'b', until }), true);
      await store.markNoticeSent(r.id, 'v1');
      await store.releaseNotice(r.id, 'v1', 'b');
      assert.equal(await store.claimNotice(r.id, 'v1', { owner: 'c', until }), false, 'a sent notice stays sent');
    });

    it('watch notices: one claim per key among racing callers, given again when it lapses or is given back, never once sent; apart from request notices', async () => {
      const r = await create();
      const until = (ms: number) => new Date(clock.t + ms).toISOString();
      const key = "g1:u1:sku:CountViolation'; DROP TABLE notices; --";
      const claims = await Promise.all([1, 2, 3].map((n) => store.claimWatchNotice(key, { owner: `p${n}`, until: until(60_000) })));
      assert.equal(claims.filter(Boolean).length, 1);
      assert.equal(await store.claimWatchNotice('g1:u2:sku:CountViolation', { owner: 'p1', until: until(60_000) }), true, 'per key');
      assert.equal(await store.claimNotice(r.id, key, { owner: 'p1', until: until(60_000) }), true, 'a request notice of the same kind is another notice');
      clock.advance(61_000);
      assert.equal(await store.claimWatchNotice(key, { owner: 'p4', until: until(60_000) }), true, 'its sender died');
      await store.releaseWatchNotice(key, 'p1');
      assert.equal(await store.claimWatchNotice(key, { owner: 'p5', until: until(60_000) }), false, 'only its owner gives it back');
      await store.releaseWatchNotice(key, 'p4');
      assert.equal(await store.claimWatchNotice(key, { owner: 'p5', until: until(60_000) }), true, 'given back: claimable at once');
      await store.markWatchNoticeSent(key);
      clock.advance(86_400_000);
      assert.equal(await store.claimWatchNotice(key, { owner: 'p6', until: until(60_000) }), false, 'sent once, never again');
      assert.equal((await store.list()).length, 1, 'no request appears');
    });

    it('ids that are not ids find nothing and change nothing (quotes, SQL, huge numbers)', async () => {
      await create();
      for (const id of ["1' OR '1'='1", '1; DROP TABLE requests', '99999999999999999999', '1e3', 'NaN']) {
        assert.equal(await store.get(id), undefined, id);
        assert.deepEqual(await store.transition(id, { from: ['pending'] }, 'approved', bob), { ok: false, reason: 'unknown' }, id);
        assert.deepEqual(await store.audit(id), [], id);
      }
      assert.equal((await store.get('1'))!.state, 'pending');
    });

    it('text with quotes, NUL, markup and non-Latin letters comes back as it was given', async () => {
      const odd = { id: alice.id, tenantId: alice.tenantId, name: 'O\'Brien \u0000 "; DROP TABLE requests; -- <b>王</b> 🙂' };
      const r = await store.create({ spec: groupSpec, preflight: preflight(), requester: odd, ttlMs: DAY });
      assert.deepEqual((await store.get(r.id))!.requester, odd);
      assert.deepEqual((await store.audit(r.id))[0]!.actor, odd);
      await store.appendAudit(r.id, odd, 'note', { text: odd.name });
      assert.deepEqual((await store.audit(r.id))[1]!.detail, { text: odd.name });
    });

    it('a run taken over: the new claim replaces the lease; the old owner can neither renew it nor record at its version', async () => {
      const r = await create();
      await store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      const at = (ms: number) => new Date(clock.t + ms).toISOString();
      const run = await store.transition(r.id, { from: ['approved'] }, 'running', null, { lease: { owner: 'dead', until: at(1000) } }, {}, 'started');
      assert.ok(run.ok);
      const claim = await store.transition(
        r.id,
        { from: ['running'], version: run.request.version },
        'running',
        null,
        { lease: { owner: 'alive', until: at(120_000) } },
        {},
        'reconcile-claimed',
      );
      assert.ok(claim.ok);
      assert.deepEqual(claim.request.lease, { owner: 'alive', until: at(120_000) });
      assert.equal(await store.renewLease(r.id, 'dead', at(200_000)), false);
      assert.equal(await store.renewLease(r.id, 'alive', at(200_000)), true);
      const late = await store.transition(r.id, { from: ['running'], version: run.request.version }, 'completed', null, { lease: null });
      assert.equal(late.ok, false, "the old owner's finish, at its version, loses");
    });

    it('two connections at once: fifty racing approvals let one through; a notice claimed on one is refused on the other', async function () {
      if (!opened.another) this.skip();
      const r = await create();
      const other = await opened.another!();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? other : store).transition(r.id, { from: ['pending'], version: 1 }, 'approved', bob, { approver: bob }, { click: i })),
      );
      assert.equal(results.filter((x) => x.ok).length, 1);
      assert.deepEqual([...new Set(results.filter((x) => !x.ok).map((x) => (x.ok ? '' : x.reason)))], ['state']);
      assert.deepEqual(await actions(r.id), ['requested', 'approved']);
      assert.equal((await other.get(r.id))!.version, 2, 'the other connection sees it at once');
      const until = new Date(clock.t + 60_000).toISOString();
      const claims = await Promise.all([store, other, store, other].map((s, n) => s.claimNotice(r.id, 'v2', { owner: `i${n}`, until })));
      assert.equal(claims.filter(Boolean).length, 1);
      assert.equal((await create(other)).id, '2', 'one sequence of ids');
    });

    it('everything survives closing and reopening the database', async function () {
      if (!opened.reopen) this.skip();
      const r = await create();
      await store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      store = await opened.reopen!();
      const again = (await store.get(r.id))!;
      assert.equal(again.state, 'approved');
      assert.equal(again.version, 2);
      assert.deepEqual(again.approver, bob);
      assert.equal((await store.audit(r.id)).length, 2);
      assert.equal((await create()).id, '2', 'ids continue after a restart');
    });

    // Card choices (src/bot/choices.ts): a button's long list of users behind a random id.
    const choiceId = (n: number) => `choice${String(n).padStart(4, '0')}-AbC_xYz-09`;
    const five = ['ruben.kramer@contoso.example', 'iris.groen@contoso.example', 'anouk.vanwijk@contoso.example', 'bas.smits@contoso.example', 'lieke.maas@contoso.example'];

    it('card choices: a list comes back by its id, in order, until its time is up; then neither it nor its row is there', async () => {
      await store.saveChoice(choiceId(1), five, 1000);
      await store.saveChoice(choiceId(2), ['Zoë \u0000 <b>王</b>', "O'Brien"], DAY);
      assert.deepEqual(await store.choice(choiceId(1)), five);
      assert.deepEqual(await store.choice(choiceId(2)), ['Zoë \u0000 <b>王</b>', "O'Brien"]);
      assert.equal(await store.choice(choiceId(3)), undefined, 'unknown');
      clock.advance(999);
      assert.deepEqual(await store.choice(choiceId(1)), five, 'still there just before its time is up');
      clock.advance(1);
      assert.equal(await store.choice(choiceId(1)), undefined, 'expired: gone even before a sweep');
      assert.equal(await store.sweepChoices(), 1, 'the sweep deletes the expired row only');
      assert.equal(await store.sweepChoices(), 0);
      assert.deepEqual(await store.choice(choiceId(2)), ['Zoë \u0000 <b>王</b>', "O'Brien"]);
      clock.advance(DAY);
      assert.equal(await store.sweepChoices(), 1);
    });

    it('card choices: an id is used once; ids that are not choice ids find nothing and store nothing', async () => {
      await store.saveChoice(choiceId(1), five, DAY);
      await assert.rejects(store.saveChoice(choiceId(1), ['someone.else@contoso.example'], DAY), 'a second list under the same id is refused');
      assert.deepEqual(await store.choice(choiceId(1)), five, 'the first list stands');
      for (const forged of ["x' OR '1'='1", "choice0001-AbC_xYz-09' --", '%', '', 'short', 'A'.repeat(65), '../../etc/passwd', 'choice0001-AbC_xYz-0*']) {
        assert.equal(await store.choice(forged), undefined, forged);
        await assert.rejects(store.saveChoice(forged, five, DAY), forged);
      }
      assert.deepEqual(await store.choice(choiceId(1)), five);
      assert.equal(await store.sweepChoices(), 0, 'nothing else was stored');
    });

    it('card choices: saved on one connection, read on another; they survive closing and reopening the database', async function () {
      if (!opened.another || !opened.reopen) this.skip();
      const other = await opened.another!();
      await store.saveChoice(choiceId(1), five, DAY);
      assert.deepEqual(await other.choice(choiceId(1)), five, 'another instance reads it');
      await other.saveChoice(choiceId(2), five.slice(0, 4), DAY);
      store = await opened.reopen!();
      assert.deepEqual(await store.choice(choiceId(1)), five, 'after a restart');
      assert.deepEqual(await store.choice(choiceId(2)), five.slice(0, 4));
    });

    it('a change in waves survives a restart mid-wave: another instance reads that wave back and sends only the waves not recorded', async function () {
      this.timeout(15_000);
      const licenses = fakeLicenses();
      wavesLicenses(licenses);
      const stuck = gate();
      licenses.swap.callsFake(async (c) => {
        if (licenses.swap.callCount === 2) await stuck.promise; // the first instance "dies" sending wave 2
        return swapResult(c);
      });
      const made: ChangeRequests[] = [];
      const workflow = (on: RequestStore, gone: boolean) => {
        const w = new ChangeRequests({
          store: on,
          licenses,
          approvers: new ApproverPolicy({ approvers: APPROVERS, tenantId: TENANT, licenses, now: clock.now }),
          notifier: new RecordingNotifier(),
          tenantId: TENANT,
          ttlMs: DAY,
          now: clock.now,
          leaseMs: 60_000,
          recheckBudgetMs: 1_000,
          restartSettleMs: 0,
          ownerIsGone: () => gone,
        });
        made.push(w);
        return w;
      };
      try {
        const first = workflow(store, false);
        const r = await askAndApprove(first, licenses, 7, { pilot: 1, size: 3, pauseAtErrorShare: 0.1 });
        while (licenses.swap.callCount < 2) await new Promise((res) => setTimeout(res, 5));
        const mid = (await store.get(r.id))!;
        assert.equal(mid.result!.waves!.next, 1, 'the pilot was recorded');
        assert.equal(mid.result!.waves!.inFlight!.index, 1, 'wave 2 was recorded as started before it was sent');
        // Two instances on the database (a restart and a second replica): one continues.
        const other = opened.another ? await opened.another() : store;
        const [a, b] = [workflow(other, true), workflow(store, true)];
        await Promise.all([a.reconcile(), b.reconcile()]);
        await Promise.all([a.whenIdle(), b.whenIdle()]);
        const end = (await store.get(r.id))!;
        assert.equal(end.state, 'completed');
        const ids = people(7).map((p) => p.id);
        assert.deepEqual(sentWaves(licenses), [ids.slice(0, 1), ids.slice(1, 4), ids.slice(4, 7)], 'no wave sent twice');
        assert.equal(end.result!.waves!.waves[1]!.recovered, true);
        assert.equal((await actions(r.id)).filter((x) => x === 'reconcile-claimed').length, 1);
      } finally {
        stuck.open();
        for (const w of made) {
          w.stop();
          await w.whenIdle();
        }
      }
    });
  });
}

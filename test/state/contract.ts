// The store port's contract, one suite run against every store (SQLite and PostgreSQL): the
// workflow relies on exactly these behaviours, so both stores keep the same guarantees. Every
// call is awaited, so a synchronous store passes as well as an asynchronous one.
import assert from 'node:assert/strict';
import type { ChangeRequest, RequestLease, TransitionResult } from '../../src/requests/types';
import { alice, bob, Clock, groupSpec, preflight } from '../requests/fakes';

type Maybe<T> = T | Promise<T>;

/** The store as the contract uses it (the port plus the conversation references). */
export interface ContractStore {
  create(input: { spec: typeof groupSpec; preflight: ReturnType<typeof preflight>; requester: typeof alice; ttlMs: number; undoOf?: string; conversationKey?: string }): Maybe<ChangeRequest>;
  get(id: string): Maybe<ChangeRequest | undefined>;
  transition(...args: any[]): Maybe<TransitionResult>;
  list(filter?: Record<string, unknown>): Maybe<ChangeRequest[]>;
  markNotified(id: string, version: number): Maybe<void>;
  renewLease(id: string, owner: string, until: string): Maybe<boolean>;
  claimNotice?(id: string, kind: string, claim: RequestLease): Maybe<boolean>;
  markNoticeSent?(id: string, kind: string): Maybe<void>;
  audit(id: string): Maybe<{ seq: number; action: string; actor: unknown; fromState: string | null; toState: string | null; detail: Record<string, unknown> }[]>;
  appendAudit(id: string, actor: unknown, action: string, detail: Record<string, unknown>): Maybe<void>;
  saveConversationRef(key: string, ref: unknown): Maybe<void>;
  getConversationRef(key: string): Maybe<unknown>;
  listConversationRefs(): Maybe<{ key: string; ref: unknown }[]>;
  close(): Maybe<void>;
}

export interface ContractTarget {
  /** A new, empty store for one test, on `clock`. */
  open(clock: Clock): Promise<ContractStore>;
  /** A second connection to the same store (another process or instance), on `clock`. */
  reopen(store: ContractStore, clock: Clock): Promise<ContractStore>;
  /** Runs raw SQL through the store's own connection (expected to throw for the audit checks). */
  raw(store: ContractStore, sql: string): Promise<unknown>;
  /** Cleans up after a test. */
  cleanup?(): Promise<void>;
}

const DAY = 24 * 3600 * 1000;
const T0 = '2026-03-02T09:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

export function storeContract(name: string, target: ContractTarget): void {
  describe(`state: the store contract on ${name}`, function () {
    this.timeout(20_000);
    let clock: Clock;
    let store: ContractStore;
    const others: ContractStore[] = [];

    beforeEach(async () => {
      clock = new Clock(T0);
      store = await target.open(clock);
    });
    afterEach(async () => {
      for (const s of others.splice(0)) await s.close();
      await store.close();
      await target.cleanup?.();
    });

    const create = (s = store, over: { requester?: typeof alice; undoOf?: string } = {}) =>
      s.create({ spec: groupSpec, preflight: preflight(), requester: over.requester ?? alice, ttlMs: DAY, conversationKey: 'conv-1', ...(over.undoOf ? { undoOf: over.undoOf } : {}) });
    const second = async () => {
      const s = await target.reopen(store, clock);
      others.push(s);
      return s;
    };

    it('creates pending requests with short sequential ids, version 1, expiry from the ttl, and a "requested" audit entry', async () => {
      const a = await create();
      const b = await create();
      assert.equal(a.id, '1');
      assert.equal(b.id, '2');
      assert.equal(a.state, 'pending');
      assert.equal(a.version, 1);
      assert.deepEqual(a.requester, alice);
      assert.equal(a.conversationKey, 'conv-1');
      assert.equal(a.createdAt, T0);
      assert.equal(a.expiresAt, '2026-03-03T09:00:00.000Z');
      assert.deepEqual(a.spec, groupSpec);
      assert.deepEqual(a.preflight, preflight());
      assert.equal(a.notifiedVersion, 0);
      assert.deepEqual(await store.get('1'), a, 'get answers what create answered');
      const audit = await store.audit('1');
      assert.deepEqual(
        audit.map((e) => [e.action, e.toState, e.actor]),
        [['requested', 'pending', alice]],
      );
      assert.deepEqual(audit[0]!.detail, { spec: groupSpec, undoOf: null, ttlMs: DAY });
    });

    it('finds requests by the ids people type, and nothing for anything else', async () => {
      await create();
      for (const id of ['1', '#1', 'R1', ' r1 ', '01']) assert.equal((await store.get(id))?.id, '1', id);
      for (const id of ['2', 'x', '', '1.5', '-1', '0', "1' OR '1'='1", '99999999999999999999']) assert.equal(await store.get(id), undefined, id);
      assert.deepEqual(await store.audit('x'), []);
    });

    it('transition is a compare-and-set on state and version that bumps the version and appends audit', async () => {
      const r = await create();
      clock.advance(1000);
      const ok = await store.transition(r.id, { from: ['pending'], version: 1 }, 'approved', bob, { approver: bob }, { note: 'x' });
      assert.ok(ok.ok);
      assert.equal(ok.request.state, 'approved');
      assert.equal(ok.request.version, 2);
      assert.deepEqual(ok.request.approver, bob);
      assert.equal(ok.request.updatedAt, at(1000));

      const again = await store.transition(r.id, { from: ['pending'], version: 1 }, 'approved', bob, { approver: bob });
      assert.deepEqual(again.ok ? null : [again.reason, again.request?.state], ['state', 'approved']);
      const stale = await store.transition(r.id, { from: ['approved'], version: 1 }, 'running', null);
      assert.deepEqual(stale.ok ? null : [stale.reason, stale.request?.version], ['version', 2]);
      assert.deepEqual(await store.transition('99', { from: ['pending'] }, 'approved', bob), { ok: false, reason: 'unknown' });
      assert.deepEqual(await store.transition('nonsense', { from: ['pending'] }, 'approved', bob), { ok: false, reason: 'unknown' });

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

    it('stores JSON patches (result, preflight), a named audit action, and the run lease only while running', async () => {
      const r = await create();
      await store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      const lease = { owner: 'p1', until: at(120_000) };
      const running = await store.transition(r.id, { from: ['approved'] }, 'running', null, { lease, result: { startedAt: 'now' } }, {}, 'started');
      assert.ok(running.ok);
      assert.deepEqual(running.request.lease, lease);
      assert.equal(await store.renewLease(r.id, 'p2', at(180_000)), false, 'another owner cannot renew');
      assert.equal(await store.renewLease(r.id, 'p1', at(180_000)), true);
      assert.equal((await store.get(r.id))!.lease!.until, at(180_000));
      assert.equal((await store.get(r.id))!.version, running.request.version, 'renewing does not bump the version');
      const pf = preflight(undefined, []);
      pf.checkedAt = 'later';
      const done = await store.transition(r.id, { from: ['running'] }, 'completed', null, { result: { startedAt: 'now', error: 'e' }, preflight: pf });
      assert.ok(done.ok);
      assert.equal(done.request.lease, undefined);
      assert.deepEqual(done.request.result, { startedAt: 'now', error: 'e' });
      assert.equal(done.request.preflight.checkedAt, 'later');
      assert.equal(await store.renewLease(r.id, 'p1', at(240_000)), false, 'no lease once it left running');
      assert.deepEqual(
        (await store.audit(r.id)).map((e) => e.action),
        ['requested', 'approved', 'started', 'completed'],
      );
    });

    it('a running request taken over: the claim replaces the lease, and the old owner can no longer renew it', async () => {
      const r = await create();
      await store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      const run = await store.transition(r.id, { from: ['approved'] }, 'running', null, { lease: { owner: 'dead', until: at(1000) } }, {}, 'started');
      assert.ok(run.ok);
      const claim = await store.transition(r.id, { from: ['running'], version: run.request.version }, 'running', null, { lease: { owner: 'alive', until: at(120_000) } }, {}, 'reconcile-claimed');
      assert.ok(claim.ok);
      assert.equal(await store.renewLease(r.id, 'dead', at(200_000)), false);
      assert.equal(await store.renewLease(r.id, 'alive', at(200_000)), true);
      const late = await store.transition(r.id, { from: ['running'], version: run.request.version }, 'completed', null, { lease: null });
      assert.equal(late.ok, false, "the old owner's finish, at its version, loses");
    });

    it('the audit trail is append-only, down to the database', async () => {
      const r = await create();
      await store.appendAudit(r.id, null, 'note', { a: 1 });
      await assert.rejects(target.raw(store, "UPDATE audit SET action = 'x'"), /append-only/);
      await assert.rejects(target.raw(store, 'DELETE FROM audit'), /append-only/);
      assert.deepEqual(
        (await store.audit(r.id)).map((e) => [e.action, e.actor, e.detail]),
        [
          ['requested', alice, { spec: groupSpec, undoOf: null, ttlMs: DAY }],
          ['note', null, { a: 1 }],
        ],
      );
      const seqs = (await store.audit(r.id)).map((e) => e.seq);
      assert.ok(seqs[1]! > seqs[0]!);
    });

    it('a failed transition writes nothing', async () => {
      const r = await create();
      await store.transition(r.id, { from: ['approved'] }, 'running', null);
      assert.equal((await store.audit(r.id)).length, 1);
      assert.equal((await store.get(r.id))!.version, 1);
    });

    it('lists newest first with state, requester, undoOf, changed-since, owed-notice and limit filters', async () => {
      const a = await create();
      clock.advance(60_000);
      const b = await create(store, { requester: bob, undoOf: a.id });
      clock.advance(60_000);
      await create();
      await store.transition(a.id, { from: ['pending'] }, 'cancelled', alice);
      const ids = (rs: ChangeRequest[]) => rs.map((r) => r.id);
      assert.deepEqual(ids(await store.list()), ['3', '2', '1']);
      assert.deepEqual(ids(await store.list({ limit: 2 })), ['3', '2']);
      assert.deepEqual(ids(await store.list({ states: ['pending'] })), ['3', '2']);
      assert.deepEqual(ids(await store.list({ states: ['pending', 'cancelled'], limit: 5 })), ['3', '2', '1']);
      assert.deepEqual(await store.list({ states: [] }), []);
      assert.deepEqual(ids(await store.list({ requesterId: bob.id })), ['2']);
      assert.deepEqual(ids(await store.list({ undoOf: a.id })), [b.id]);
      assert.deepEqual(ids(await store.list({ updatedSince: at(60_000) })), ['3', '2', '1'], 'the cancel moved request 1 at +120 s');
      assert.deepEqual(ids(await store.list({ updatedSince: at(90_000), states: ['pending'] })), ['3']);
      assert.equal((await store.get(b.id))!.undoOf, '1');

      await store.markNotified('1', 2);
      await store.markNotified('3', 1);
      assert.deepEqual(ids(await store.list({ unnotified: true })), ['2']);
      await store.markNotified('1', 1);
      assert.equal((await store.get('1'))!.notifiedVersion, 2, 'never lowered');
      assert.equal((await store.get('1'))!.version, 2, 'no version bump');
    });

    it('a notice is claimed by one sender, given again only when its claim lapsed unsent, and never after it was sent', async function () {
        if (!store.claimNotice || !store.markNoticeSent) this.skip(); // the SQLite store before the notice outbox
        const r = await create();
        const other = await second();
        assert.equal(await store.claimNotice!(r.id, 'reminder', { owner: 'a', until: at(30_000) }), true);
        assert.equal(await other.claimNotice!(r.id, 'reminder', { owner: 'b', until: at(30_000) }), false, 'claimed by a');
        assert.equal(await other.claimNotice!(r.id, 'other-kind', { owner: 'b', until: at(30_000) }), true, 'another kind is its own notice');
        clock.advance(31_000); // a died without sending
        assert.equal(await other.claimNotice!(r.id, 'reminder', { owner: 'b', until: at(61_000) }), true, 'a lapsed claim is taken over');
        assert.equal(await store.claimNotice!(r.id, 'reminder', { owner: 'a', until: at(61_000) }), false);
        await other.markNoticeSent!(r.id, 'reminder');
        clock.advance(60_000);
        assert.equal(await store.claimNotice!(r.id, 'reminder', { owner: 'a', until: at(200_000) }), false, 'sent: never again');
    });

    it('keeps conversation references (upsert) and lists them by key', async () => {
      await store.saveConversationRef('user:b', { conversation: { id: 'c2' } });
      await store.saveConversationRef('user:a', { conversation: { id: 'c1' } });
      await store.saveConversationRef('user:a', { conversation: { id: 'c3' }, name: 'Zoë \u0000 <b>' });
      assert.deepEqual(await store.getConversationRef('user:a'), { conversation: { id: 'c3' }, name: 'Zoë \u0000 <b>' });
      assert.equal(await store.getConversationRef('nope'), undefined);
      assert.deepEqual(await store.listConversationRefs(), [
        { key: 'user:a', ref: { conversation: { id: 'c3' }, name: 'Zoë \u0000 <b>' } },
        { key: 'user:b', ref: { conversation: { id: 'c2' } } },
      ]);
    });

    it('text with quotes, NUL and non-Latin letters survives as it was given', async () => {
      const odd = { id: alice.id, tenantId: alice.tenantId, name: "O'Brien \u0000 \"; DROP TABLE requests; -- 王" };
      const r = await store.create({ spec: groupSpec, preflight: preflight(), requester: odd, ttlMs: DAY });
      assert.deepEqual((await store.get(r.id))!.requester, odd);
      assert.deepEqual((await store.audit(r.id))[0]!.actor, odd);
    });

    it('another connection sees everything, and ids continue', async () => {
      const r = await create();
      await store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
      await store.saveConversationRef('k', { x: 1 });
      const other = await second();
      const again = (await other.get(r.id))!;
      assert.equal(again.state, 'approved');
      assert.equal(again.version, 2);
      assert.deepEqual(again.approver, bob);
      assert.equal((await other.audit(r.id)).length, 2);
      assert.deepEqual(await other.getConversationRef('k'), { x: 1 });
      assert.equal((await create(other)).id, '2');
    });

    it('fifty approvals racing over two connections: exactly one wins, one audit row', async () => {
      const r = await create();
      const other = await second();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          Promise.resolve((i % 2 ? other : store).transition(r.id, { from: ['pending'], version: 1 }, 'approved', bob, { approver: bob }, { click: i })),
        ),
      );
      assert.equal(results.filter((x) => x.ok).length, 1);
      assert.deepEqual(new Set(results.filter((x) => !x.ok).map((x) => (x.ok ? '' : x.reason))), new Set(['state']));
      assert.equal((await store.audit(r.id)).filter((e) => e.action === 'approved').length, 1);
      assert.equal((await store.get(r.id))!.version, 2);
    });
  });
}

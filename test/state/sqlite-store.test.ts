import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { normalizeRequestId } from '../../src/requests/request-id';
import { openStore, type SqliteRequestStore } from '../../src/state/sqlite-store';
import { MIGRATIONS, SCHEMA_VERSION, runMigrations, schemaVersions } from '../../src/state/migrations';
import { alice, bob, Clock, groupSpec, preflight } from '../requests/fakes';

describe('state: SQLite request store', () => {
  let dir: string;
  let clock: Clock;
  let store: SqliteRequestStore;
  const DAY = 24 * 3600 * 1000;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plan-switch-store-'));
    clock = new Clock();
    store = openStore(join(dir, 'nested', 'state.db'), { now: clock.now });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const create = (s = store) => s.create({ spec: groupSpec, preflight: preflight(), requester: alice, ttlMs: DAY, conversationKey: 'conv-1' });

  it('creates its directory, uses WAL and a busy timeout', () => {
    assert.ok(existsSync(join(dir, 'nested', 'state.db')));
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.ok(Number(store.db.pragma('busy_timeout', { simple: true })) >= 1000);
  });

  it('creates pending requests with short sequential ids, version 1, expiry from the ttl, and a "requested" audit entry', () => {
    const a = create();
    const b = create();
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
    const audit = store.audit('1');
    assert.equal(audit.length, 1);
    assert.equal(audit[0].action, 'requested');
    assert.equal(audit[0].toState, 'pending');
    assert.deepEqual(audit[0].actor, alice);
  });

  it('finds requests by the ids people type', () => {
    create();
    for (const id of ['1', '#1', 'R1', ' r1 ', '01']) assert.equal(store.get(id)?.id, '1', id);
    for (const id of ['2', 'x', '', '1.5', '-1', '0']) assert.equal(store.get(id), undefined, id);
    assert.equal(normalizeRequestId('#12'), '12');
    assert.equal(normalizeRequestId(undefined), undefined);
  });

  it('transition is a compare-and-set on state and version that bumps the version and appends audit', () => {
    const r = create();
    clock.advance(1000);
    const ok = store.transition(r.id, { from: ['pending'], version: 1 }, 'approved', bob, { approver: bob }, { note: 'x' });
    assert.ok(ok.ok);
    assert.equal(ok.request.state, 'approved');
    assert.equal(ok.request.version, 2);
    assert.deepEqual(ok.request.approver, bob);
    assert.equal(ok.request.updatedAt, '2026-03-02T09:00:01.000Z');

    const again = store.transition(r.id, { from: ['pending'], version: 1 }, 'approved', bob, { approver: bob });
    assert.deepEqual(again.ok ? null : [again.reason, again.request?.state], ['state', 'approved']);
    const stale = store.transition(r.id, { from: ['approved'], version: 1 }, 'running', null);
    assert.deepEqual(stale.ok ? null : [stale.reason, stale.request?.version], ['version', 2]);
    const unknown = store.transition('99', { from: ['pending'] }, 'approved', bob);
    assert.deepEqual(unknown, { ok: false, reason: 'unknown' });

    const audit = store.audit(r.id);
    assert.deepEqual(
      audit.map((e) => [e.action, e.fromState, e.toState]),
      [
        ['requested', null, 'pending'],
        ['approved', 'pending', 'approved'],
      ],
    );
    assert.deepEqual(audit[1].detail, { note: 'x' });
  });

  it('stores JSON patches (result, preflight), a named audit action, and the run lease only while running', () => {
    const r = create();
    store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
    const lease = { owner: 'p1', until: '2026-03-02T09:02:00.000Z' };
    const running = store.transition(r.id, { from: ['approved'] }, 'running', null, { lease, result: { startedAt: 'now' } }, {}, 'started');
    assert.ok(running.ok);
    assert.deepEqual(running.request.lease, lease);
    assert.equal(store.renewLease(r.id, 'p2', 'later'), false);
    assert.equal(store.renewLease(r.id, 'p1', '2026-03-02T09:03:00.000Z'), true);
    assert.equal(store.get(r.id)!.lease!.until, '2026-03-02T09:03:00.000Z');
    assert.equal(store.get(r.id)!.version, running.request.version, 'renewing does not bump the version');
    const pf = preflight(undefined, []);
    pf.checkedAt = 'later';
    const done = store.transition(r.id, { from: ['running'] }, 'completed', null, { result: { startedAt: 'now', error: 'e' }, preflight: pf });
    assert.ok(done.ok);
    assert.equal(done.request.lease, undefined);
    assert.deepEqual(done.request.result, { startedAt: 'now', error: 'e' });
    assert.equal(done.request.preflight.checkedAt, 'later');
    assert.equal(store.renewLease(r.id, 'p1', 'x'), false);
    assert.deepEqual(
      store.audit(r.id).map((e) => e.action),
      ['requested', 'approved', 'started', 'completed'],
    );
  });

  it('the audit trail is append-only, down to the database', () => {
    const r = create();
    store.appendAudit(r.id, null, 'note', { a: 1 });
    assert.throws(() => store.db.prepare("UPDATE audit SET action = 'x'").run(), /append-only/);
    assert.throws(() => store.db.prepare('DELETE FROM audit').run(), /append-only/);
    assert.deepEqual(
      store.audit(r.id).map((e) => [e.action, e.actor, e.detail]),
      [
        ['requested', alice, { spec: groupSpec, undoOf: null, ttlMs: DAY }],
        ['note', null, { a: 1 }],
      ],
    );
    const seqs = store.audit(r.id).map((e) => e.seq);
    assert.ok(seqs[1] > seqs[0]);
  });

  it('a failed transition writes nothing', () => {
    const r = create();
    store.transition(r.id, { from: ['approved'] }, 'running', null);
    assert.equal(store.audit(r.id).length, 1);
    assert.equal(store.get(r.id)!.version, 1);
  });

  it('lists newest first with state, requester, undoOf and limit filters', () => {
    const a = create();
    const b = store.create({ spec: groupSpec, preflight: preflight(), requester: bob, ttlMs: DAY, undoOf: a.id });
    create();
    store.transition(a.id, { from: ['pending'] }, 'cancelled', alice);
    assert.deepEqual(store.list().map((r) => r.id), ['3', '2', '1']);
    assert.deepEqual(store.list({ limit: 2 }).map((r) => r.id), ['3', '2']);
    assert.deepEqual(store.list({ states: ['pending'] }).map((r) => r.id), ['3', '2']);
    assert.deepEqual(store.list({ states: [] }), []);
    assert.deepEqual(store.list({ requesterId: bob.id }).map((r) => r.id), ['2']);
    assert.deepEqual(store.list({ undoOf: a.id }).map((r) => r.id), [b.id]);
    assert.equal(store.get(b.id)!.undoOf, '1');
  });

  it('keeps conversation references (upsert) and lists them', () => {
    store.saveConversationRef('user:a', { conversation: { id: 'c1' } });
    store.saveConversationRef('user:b', { conversation: { id: 'c2' } });
    store.saveConversationRef('user:a', { conversation: { id: 'c3' } });
    assert.deepEqual(store.getConversationRef('user:a'), { conversation: { id: 'c3' } });
    assert.equal(store.getConversationRef('nope'), undefined);
    assert.deepEqual(store.listConversationRefs(), [
      { key: 'user:a', ref: { conversation: { id: 'c3' } } },
      { key: 'user:b', ref: { conversation: { id: 'c2' } } },
    ]);
  });

  it('everything survives closing and reopening the file', () => {
    const r = create();
    store.transition(r.id, { from: ['pending'] }, 'approved', bob, { approver: bob });
    store.saveConversationRef('k', { x: 1 });
    const path = store.path;
    store.close();
    store = openStore(path, { now: clock.now });
    const again = store.get(r.id)!;
    assert.equal(again.state, 'approved');
    assert.equal(again.version, 2);
    assert.deepEqual(again.approver, bob);
    assert.equal(store.audit(r.id).length, 2);
    assert.deepEqual(store.getConversationRef('k'), { x: 1 });
    assert.equal(create().id, '2', 'ids continue after a restart');
  });

  it('works in memory for quick tests', () => {
    const m = openStore(':memory:');
    try {
      assert.equal(create(m).id, '1');
    } finally {
      m.close();
    }
  });
});

describe('state: migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plan-switch-mig-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('run once, are recorded in schema_version, and are idempotent on every later open', () => {
    const path = join(dir, 's.db');
    const a = openStore(path);
    a.close();
    const b = openStore(path);
    assert.deepEqual(
      schemaVersions(b.db).map((v) => v.version),
      MIGRATIONS.map((m) => m.version),
    );
    assert.deepEqual(runMigrations(b.db), [], 'nothing left to apply');
    b.close();
    const c = openStore(path);
    assert.equal(schemaVersions(c.db).length, MIGRATIONS.length);
    c.close();
  });

  it('apply only the missing ones, in order, on an older database', () => {
    const db = new Database(join(dir, 'old.db'));
    assert.deepEqual(runMigrations(db, MIGRATIONS.slice(0, 1)), [1]);
    const extra = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, name: 'test column', sql: 'ALTER TABLE requests ADD COLUMN test_col TEXT' }];
    assert.deepEqual(runMigrations(db, extra), extra.slice(1).map((m) => m.version));
    assert.deepEqual(runMigrations(db, extra), []);
    db.close();
  });

  it('an upgraded database owes no notices for the requests it already held (version 2)', () => {
    const path = join(dir, 'v1.db');
    const db = new Database(path);
    runMigrations(db, MIGRATIONS.slice(0, 1));
    const at = '2026-03-02T09:00:00.000Z';
    db.prepare(`INSERT INTO requests (version, state, spec, preflight, requester, requester_id, created_at, updated_at, expires_at)
      VALUES (3, 'completed', '{}', '{}', '{}', 'u', ?, ?, ?)`).run(at, at, at);
    db.close();
    const store = openStore(path);
    const [r] = store.list();
    assert.equal(r!.version, 3);
    assert.equal(r!.notifiedVersion, 3);
    assert.deepEqual(store.list({ unnotified: true }), []);
    store.close();
  });

  it('refuse a database written by a newer build', () => {
    const path = join(dir, 'new.db');
    const db = new Database(path);
    runMigrations(db, [...MIGRATIONS, { version: SCHEMA_VERSION + 5, name: 'future', sql: 'SELECT 1' }]);
    db.close();
    assert.throws(() => openStore(path), /newer than this build/);
  });

  it('two connections opening a fresh file at once apply each migration once', () => {
    const path = join(dir, 'race.db');
    const a = openStore(path);
    const b = openStore(path);
    assert.equal(schemaVersions(b.db).length, MIGRATIONS.length);
    a.close();
    b.close();
  });
});

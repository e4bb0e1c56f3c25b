import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { normalizeRequestId } from '../../src/requests/request-id';
import { openStore, type SqliteRequestStore } from '../../src/state/sqlite-store';
import { MIGRATIONS, SCHEMA_VERSION, runMigrations, schemaVersions } from '../../src/state/migrations';
import { alice, Clock, groupSpec, preflight } from '../requests/fakes';
import { describeRequestStore } from './store-contract';

describeRequestStore('SQLite', async (now) => {
  const dir = mkdtempSync(join(tmpdir(), 'plan-switch-store-'));
  const path = join(dir, 'state.db');
  let store = openStore(path, { now });
  const others: SqliteRequestStore[] = [];
  return {
    store,
    reopen: async () => {
      store.close();
      store = openStore(path, { now });
      return store;
    },
    another: async () => {
      const s = openStore(path, { now });
      others.push(s);
      return s;
    },
    close: async () => {
      for (const s of others) s.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

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

  it('normalises request ids as people type them', () => {
    assert.equal(normalizeRequestId('#12'), '12');
    assert.equal(normalizeRequestId(' r7 '), '7');
    assert.equal(normalizeRequestId(undefined), undefined);
    assert.equal(normalizeRequestId('1.5'), undefined);
  });

  it('the audit trail is append-only, down to the database', async () => {
    const r = await create();
    await store.appendAudit(r.id, null, 'note', { a: 1 });
    assert.throws(() => store.db.prepare("UPDATE audit SET action = 'x'").run(), /append-only/);
    assert.throws(() => store.db.prepare('DELETE FROM audit').run(), /append-only/);
    assert.equal((await store.audit(r.id)).length, 2);
  });

  it('keeps the conversation state (upsert), each kind on its own, across a reopen', async () => {
    await store.saveConversation('conv:a', { conversation: { id: 'c1' } });
    await store.saveConversation('personal:b', { conversation: { id: 'c2' }, locale: 'nl-NL' });
    await store.saveConversation('conv:a', { conversation: { id: 'c3' } });
    await store.saveMember('AAD-1', { teamsId: '29:one', name: 'One' });
    await store.saveCards('7', [{ conversationKey: 'conv:a', activityId: 'act-1', view: 'status', lang: 'en' }]);
    await store.saveRequestFromCard('conv:a', 'act-9', '7');
    assert.deepEqual(await store.conversation('conv:a'), { conversation: { id: 'c3' } });
    assert.equal(await store.conversation('nope'), undefined);
    assert.deepEqual(await store.member('aad-1'), { teamsId: '29:one', name: 'One' }, 'object ids in any case');
    assert.equal(await store.member('aad-2'), undefined);
    assert.deepEqual(await store.cards('8'), []);
    assert.equal(await store.requestFromCard('conv:a', 'act-8'), undefined);
    const path = store.path;
    store.close();
    store = openStore(path, { now: clock.now });
    assert.deepEqual(await store.conversation('personal:b'), { conversation: { id: 'c2' }, locale: 'nl-NL' });
    assert.deepEqual(
      (await store.cards('7')).map((c) => c.activityId),
      ['act-1'],
    );
    assert.equal(await store.requestFromCard('conv:a', 'act-9'), '7');
  });

  it('reads the conversation rows databases already hold (same keys as before the typed store)', async () => {
    const put = store.db.prepare('INSERT INTO conversation_refs (key, ref, updated_at) VALUES (?, ?, ?)');
    put.run('member:aad-3', JSON.stringify({ teamsId: '29:three' }), clock.now().toISOString());
    put.run('cards:9', JSON.stringify([{ conversationKey: 'conv:x', activityId: 'a', view: 'approval', lang: 'nl' }]), clock.now().toISOString());
    put.run('requested:conv:x:a', JSON.stringify({ requestId: '9' }), clock.now().toISOString());
    assert.deepEqual(await store.member('AAD-3'), { teamsId: '29:three' });
    assert.equal((await store.cards('9'))[0]!.lang, 'nl');
    assert.equal(await store.requestFromCard('conv:x', 'a'), '9');
  });

  it('works in memory for quick tests', async () => {
    const m = openStore(':memory:');
    try {
      assert.equal((await create(m)).id, '1');
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
    assert.deepEqual(
      runMigrations(db, extra),
      extra.slice(1).map((m) => m.version),
    );
    assert.deepEqual(runMigrations(db, extra), []);
    db.close();
  });

  it('an upgraded database owes no notices for the requests it already held (version 2)', async () => {
    const path = join(dir, 'v1.db');
    const db = new Database(path);
    runMigrations(db, MIGRATIONS.slice(0, 1));
    const at = '2026-03-02T09:00:00.000Z';
    db.prepare(
      `INSERT INTO requests (version, state, spec, preflight, requester, requester_id, created_at, updated_at, expires_at)
      VALUES (3, 'completed', '{}', '{}', '{}', 'u', ?, ?, ?)`,
    ).run(at, at, at);
    db.close();
    const store = openStore(path);
    const [r] = await store.list();
    assert.equal(r!.version, 3);
    assert.equal(r!.notifiedVersion, 3);
    assert.deepEqual(await store.list({ unnotified: true }), []);
    store.close();
  });

  it('numbered 1, 2, 3, … with no gap, so every database applies them in one order', () => {
    assert.deepEqual(
      MIGRATIONS.map((m) => m.version),
      MIGRATIONS.map((_, i) => i + 1),
    );
  });

  it('a database from before card choices (version 3) upgrades: what it held stays, card choices work', async () => {
    const path = join(dir, 'v3.db');
    const db = new Database(path);
    runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version <= 3),
    );
    db.prepare('INSERT INTO conversation_refs (key, ref, updated_at) VALUES (?, ?, ?)').run('member:aad-1', JSON.stringify({ teamsId: '29:one' }), '2026-03-02T09:00:00.000Z');
    db.close();
    const store = openStore(path);
    try {
      assert.equal(schemaVersions(store.db).at(-1)!.version, SCHEMA_VERSION);
      assert.deepEqual(await store.member('aad-1'), { teamsId: '29:one' });
      await store.saveChoice('abcdefghijklmnopqrstuv', ['a@x.example', 'b@x.example', 'c@x.example', 'd@x.example'], 60_000);
      assert.equal((await store.choice('abcdefghijklmnopqrstuv'))!.length, 4);
    } finally {
      store.close();
    }
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

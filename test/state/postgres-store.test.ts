// The PostgreSQL store on a real server: the shared store contract (each test in a schema of its
// own inside one fresh database), then what only PostgreSQL has: migrations applied once by
// several instances starting together, and the pool's health probe.
import assert from 'node:assert/strict';
import { Pool } from 'pg';
import { openPostgresStore, type PostgresRequestStore } from '../../src/state/postgres/store';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION, pgSchemaVersions, runPgMigrations } from '../../src/state/postgres/migrations';
import { MIGRATIONS } from '../../src/state/migrations';
import { withTestDatabase } from '../helpers/postgres';
import { describeRequestStore } from './store-contract';
import { alice, groupSpec, preflight } from '../requests/fakes';

const db = withTestDatabase();
let schemas = 0;

/** The test database's URL with its own search_path: each test starts on empty tables. */
function inSchema(schema: string): string {
  const u = new URL(db.url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

async function freshSchema(): Promise<string> {
  const schema = `t${process.pid}_${++schemas}`;
  const pool = new Pool({ connectionString: db.url, max: 1 });
  try {
    await pool.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await pool.end();
  }
  return schema;
}

describeRequestStore('PostgreSQL', async (now) => {
  const url = inSchema(await freshSchema());
  const store = await openPostgresStore({ connectionString: url }, { now });
  const all: PostgresRequestStore[] = [store];
  const open = async () => {
    const s = await openPostgresStore({ connectionString: url }, { now });
    all.push(s);
    return s;
  };
  return {
    store,
    reopen: async () => {
      await store.close();
      all.splice(all.indexOf(store), 1);
      return open();
    },
    another: open,
    close: async () => {
      await Promise.all(all.map((s) => s.close()));
    },
  };
});

describe('state: PostgreSQL request store, beyond the port', function () {
  this.timeout(20_000);
  let store: PostgresRequestStore;
  beforeEach(async () => {
    store = await openPostgresStore({ connectionString: inSchema(await freshSchema()) });
  });
  afterEach(() => store.close());

  it('the audit trail is append-only, down to the database (UPDATE, DELETE and TRUNCATE refused)', async () => {
    const r = await store.create({ spec: groupSpec, preflight: preflight(), requester: alice, ttlMs: 1000 });
    await store.appendAudit(r.id, null, 'note', { a: 1 });
    await assert.rejects(store.pool.query("UPDATE audit SET action = 'x'"), /append-only/);
    await assert.rejects(store.pool.query('DELETE FROM audit'), /append-only/);
    await assert.rejects(store.pool.query('TRUNCATE audit'), /append-only/);
    assert.deepEqual(
      (await store.audit(r.id)).map((e) => e.action),
      ['requested', 'note'],
    );
  });

  it('keeps the conversation state (upsert), each kind on its own, odd text and all', async () => {
    await store.saveConversation('conv:b', { conversation: { id: 'c2' } });
    await store.saveConversation('conv:a', { conversation: { id: 'c1' } });
    await store.saveConversation('conv:a', { conversation: { id: 'c3' }, name: 'Zo\u00eb \u0000 <b>' });
    await store.saveMember('AAD-1', { teamsId: '29:one' });
    await store.saveCards('7', [{ conversationKey: 'conv:a', activityId: 'act-1', view: 'approval', lang: 'nl' }]);
    await store.saveRequestFromCard('conv:a', 'act-9', '7');
    assert.deepEqual(await store.conversation('conv:a'), { conversation: { id: 'c3' }, name: 'Zo\u00eb \u0000 <b>' });
    assert.equal(await store.conversation('nope'), undefined);
    assert.deepEqual(await store.member('aad-1'), { teamsId: '29:one' });
    assert.equal((await store.cards('7'))[0]!.lang, 'nl');
    assert.equal(await store.requestFromCard('conv:a', 'act-9'), '7');
  });
});

describe('state: PostgreSQL migrations and pool', function () {
  this.timeout(30_000);

  it('the same schema versions and names as the SQLite store', () => {
    assert.deepEqual(
      PG_MIGRATIONS.map((m) => [m.version, m.name]),
      MIGRATIONS.map((m) => [m.version, m.name]),
    );
  });

  it('eight instances starting at once on an empty database: each migration applied once, every store usable', async () => {
    const url = inSchema(await freshSchema());
    const stores = await Promise.all(Array.from({ length: 8 }, () => openPostgresStore({ connectionString: url, max: 2 })));
    try {
      const versions = await pgSchemaVersions(stores[0]!.pool);
      assert.deepEqual(
        versions.map((v) => v.version),
        PG_MIGRATIONS.map((m) => m.version),
      );
      assert.deepEqual(await runPgMigrations(stores[3]!.pool), [], 'nothing left to apply');
      const created = await Promise.all(
        stores.map((s) =>
          s.create({ spec: { principal: { kind: 'user', user: 'x' }, from: 'E1', to: 'E3' }, preflight: {} as never, requester: { id: 'a', tenantId: 't' }, ttlMs: 1000 }),
        ),
      );
      assert.deepEqual(
        created.map((r) => Number(r.id)).sort((a, b) => a - b),
        [1, 2, 3, 4, 5, 6, 7, 8],
      );
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('apply only the missing ones on an older database; refuse one written by a newer build', async () => {
    const url = inSchema(await freshSchema());
    const pool = new Pool({ connectionString: url, max: 1 });
    try {
      assert.deepEqual(await runPgMigrations(pool, PG_MIGRATIONS.slice(0, 1)), [1]);
      const at = '2026-03-02T09:00:00.000Z';
      await pool.query(
        `INSERT INTO requests (version, state, spec, preflight, requester, requester_id, created_at, updated_at, expires_at)
        VALUES (3, 'completed', '{}', '{}', '{}', 'u', $1, $1, $1)`,
        [at],
      );
      assert.deepEqual(
        await runPgMigrations(pool),
        PG_MIGRATIONS.slice(1).map((m) => m.version),
      );
      const store = await openPostgresStore({ connectionString: url });
      try {
        assert.equal((await store.list())[0]!.notifiedVersion, 3, 'an upgraded database owes no notices for what it held');
        assert.deepEqual(await store.list({ unnotified: true }), []);
      } finally {
        await store.close();
      }
      await pool.query(`INSERT INTO schema_version (version, name, applied_at) VALUES ($1, 'future', now())`, [PG_SCHEMA_VERSION + 5]);
      await assert.rejects(openPostgresStore({ connectionString: url }), /newer than this build/);
    } finally {
      await pool.end();
    }
  });

  it('ping: the database answers with its name and schema version', async () => {
    const store = await openPostgresStore({ connectionString: inSchema(await freshSchema()) });
    try {
      const p = await store.ping();
      assert.equal(p.database, db.name);
      assert.equal(p.schemaVersion, PG_SCHEMA_VERSION);
      assert.ok(p.latencyMs >= 0);
      assert.doesNotMatch(store.description, /:[^/@]*@/, 'no password in the description');
    } finally {
      await store.close();
    }
  });

  it('a server that does not answer: opening fails with the reason, nothing hangs', async () => {
    await assert.rejects(openPostgresStore({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 2_000 }), /ECONNREFUSED|connect/);
  });
});

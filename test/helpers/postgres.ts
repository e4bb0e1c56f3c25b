// A fresh PostgreSQL database for a spec: created on the test server (PG_TEST_URL, default the
// local server with trust authentication), dropped after. Names are plan_switch_test_<pid>_<time>_<n>,
// and databases left by a run that was killed (its pid gone) are dropped at the next start. When the
// server cannot be reached the spec fails, saying so: the PostgreSQL store is never skipped silently.
import { Client } from 'pg';
import { pidAlive } from '../../src/requests/instance';

/** The server the specs use; its database is only used to create and drop the per-run ones. */
export const PG_TEST_URL = process.env.PG_TEST_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/test';

let sequence = 0;
let sweptLeftovers = false;

function urlFor(database: string): string {
  const u = new URL(PG_TEST_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 5_000 });
  try {
    await c.connect();
  } catch (err) {
    throw new Error(
      `The PostgreSQL test server at ${PG_TEST_URL.replace(/:[^:@/]*@/, ':***@')} cannot be reached (${err instanceof Error ? err.message : String(err)}). ` +
        'Start it (.ci/run does: pg_ctlcluster <version> main start) or point PG_TEST_URL at one.',
    );
  }
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new empty database on the test server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `plan_switch_test_${process.pid}_${Date.now()}_${++sequence}`;
  await admin(async (c) => {
    if (!sweptLeftovers) {
      sweptLeftovers = true;
      const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'plan\\_switch\\_test\\_%'`);
      for (const { datname } of rows) {
        const pid = Number(/^plan_switch_test_(\d+)_/.exec(datname)?.[1]);
        if (pid && pid !== process.pid && !pidAlive(pid)) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
      }
    }
    await c.query(`CREATE DATABASE "${name}"`);
  });
  return {
    name,
    url: urlFor(name),
    // FORCE: a killed bot process may still hold a connection for a moment.
    drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}

/**
 * For the calling suite: one fresh database, created before its first test and dropped after
 * its last. `db.url` is its postgres:// URL.
 */
export function withTestDatabase(): { readonly url: string; readonly name: string } {
  let db: TestDatabase | undefined;
  before(async function () {
    this.timeout(30_000);
    db = await createTestDatabase();
  });
  after(async function () {
    this.timeout(30_000);
    await db?.drop();
    db = undefined;
  });
  return {
    get url() {
      if (!db) throw new Error('the test database exists only inside the suite');
      return db.url;
    },
    get name() {
      if (!db) throw new Error('the test database exists only inside the suite');
      return db.name;
    },
  };
}

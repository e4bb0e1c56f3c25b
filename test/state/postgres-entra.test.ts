// Passwordless PostgreSQL (STATE_DB_AUTH=entra): the settings that choose it, the token cache,
// and, through a small proxy that asks every connection for its password the way Azure Database
// for PostgreSQL does (cleartext over TLS there; plain here on loopback), that the password the
// server is given is the current Entra token, fetched once for many connections and again
// before it expires.
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { AZURE_POSTGRES_SCOPE, entraPassword } from '../../src/state/postgres/entra';
import { poolConfig } from '../../src/state/postgres/settings';
import { isPostgresUrl, readPostgresSettings } from '../../src/config/state-db';
import { openPostgresStore } from '../../src/state/postgres/store';
import { PG_TEST_URL, withTestDatabase } from '../helpers/postgres';

class FakeCredential implements TokenCredential {
  calls: string[] = [];
  n = 0;
  fail?: Error;
  constructor(
    private readonly now: () => number,
    private readonly lifetimeMs = 3_600_000,
  ) {}
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.calls.push(([] as string[]).concat(scopes).join(' '));
    await new Promise((r) => setTimeout(r, 20));
    if (this.fail) throw this.fail;
    return { token: `entra-token-${++this.n}`, expiresOnTimestamp: this.now() + this.lifetimeMs };
  }
}

/**
 * Between pg and the test server: answers each new connection's start-up with "send your
 * password" (AuthenticationCleartextPassword), records what comes, then hands the connection to
 * the real server (trust authentication) and pipes the rest.
 */
async function passwordProxy(target: { host: string; port: number }): Promise<{ port: number; passwords: string[]; close(): Promise<void> }> {
  const passwords: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let startup: Buffer | undefined;
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!startup) {
        if (buf.length < 4) return;
        const len = buf.readInt32BE(0);
        if (buf.length < len) return;
        startup = buf.subarray(0, len);
        buf = buf.subarray(len);
        // R, length 8, code 3: AuthenticationCleartextPassword.
        client.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
      }
      if (buf.length < 5) return;
      assert.equal(String.fromCharCode(buf[0]!), 'p', 'a PasswordMessage');
      const len = buf.readInt32BE(1);
      if (buf.length < 1 + len) return;
      passwords.push(buf.subarray(5, 1 + len - 1).toString('utf8'));
      const rest = buf.subarray(1 + len);
      client.off('data', onData);
      const upstream = connect(target.port, target.host, () => {
        upstream.write(startup!);
        if (rest.length) upstream.write(rest);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    passwords,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('state: PostgreSQL settings (STATE_DB, STATE_DB_AUTH)', () => {
  it('postgres:// and postgresql:// select PostgreSQL; a path or nothing keeps SQLite', () => {
    for (const v of ['postgres://h/db', 'postgresql://u@h:5432/db', ' POSTGRES://h/db ']) assert.equal(isPostgresUrl(v), true, v);
    for (const v of ['./var/plan-switch.db', '/data/postgres.db', '', undefined, 'postgres.db', 'file:postgres://x']) assert.equal(isPostgresUrl(v), false, String(v));
    assert.deepEqual(readPostgresSettings({ STATE_DB: './var/x.db' }), { problems: [] });
    assert.deepEqual(readPostgresSettings({ STATE_DB: 'postgres://u:p@h/db' }).settings, { connectionString: 'postgres://u:p@h/db', auth: 'password', poolMax: 10 });
  });

  it('names every problem: a bad auth mode or pool size, entra with a password, without a user or without a server', () => {
    const problems = (env: Record<string, string>) => readPostgresSettings(env).problems.join(' | ');
    assert.match(problems({ STATE_DB: 'postgres://h/db', STATE_DB_AUTH: 'kerberos' }), /STATE_DB_AUTH: "kerberos" is not password or entra/);
    assert.match(problems({ STATE_DB: 'postgres://h/db', STATE_DB_POOL_MAX: '0' }), /STATE_DB_POOL_MAX/);
    assert.match(problems({ STATE_DB: 'postgres://u:secret@h/db', STATE_DB_AUTH: 'entra' }), /holds a password while STATE_DB_AUTH=entra/);
    assert.match(problems({ STATE_DB: 'postgres://u@h/db', STATE_DB_AUTH: 'entra', PGPASSWORD: 'x' }), /PGPASSWORD is set while STATE_DB_AUTH=entra/);
    assert.match(problems({ STATE_DB: 'postgres://h/db', STATE_DB_AUTH: 'entra' }), /name the Entra principal as the user/);
    assert.match(problems({ STATE_DB: './var/x.db', STATE_DB_AUTH: 'entra' }), /needs STATE_DB to be a postgres:\/\/ URL/);
    assert.doesNotMatch(problems({ STATE_DB: 'postgres://u:secret@h/db', STATE_DB_AUTH: 'entra' }), /secret/, 'the password itself is never repeated');
    const ok = readPostgresSettings({ STATE_DB: 'postgres://plan-switch@srv.postgres.database.azure.com/plan_switch', STATE_DB_AUTH: 'Entra' });
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.settings?.auth, 'entra');
  });

  it('under entra the pool logs in with TLS unless the URL says otherwise, and the password is the token function', () => {
    const fn = async () => 't';
    const c = poolConfig({ connectionString: 'postgres://plan-switch@srv.postgres.database.azure.com:5432/plan_switch', auth: 'entra', poolMax: 4 }, fn);
    assert.equal(c.ssl, true);
    assert.equal(c.password, fn);
    assert.equal(c.user, 'plan-switch');
    assert.equal(c.host, 'srv.postgres.database.azure.com');
    assert.equal(c.port, 5432);
    assert.equal(c.database, 'plan_switch');
    assert.equal(c.max, 4);
    assert.equal((c as { connectionString?: string }).connectionString, undefined, 'a connection string would override the password function');
    assert.equal(poolConfig({ connectionString: 'postgres://u@h/db?sslmode=disable', auth: 'entra', poolMax: 1 }, fn).ssl, false);
    assert.throws(() => poolConfig({ connectionString: 'postgres://u@h/db', auth: 'entra', poolMax: 1 }), /token source/);
  });
});

describe('state: Entra tokens as the PostgreSQL password', function () {
  this.timeout(30_000);
  const db = withTestDatabase();
  let t = Date.parse('2026-03-02T09:00:00Z');
  const now = () => t;

  it('asks for the Azure Database for PostgreSQL scope, reuses a token until five minutes before it expires, shares one request', async () => {
    const cred = new FakeCredential(now);
    const password = entraPassword(cred, { now });
    const first = await Promise.all([password(), password(), password()]);
    assert.deepEqual(first, ['entra-token-1', 'entra-token-1', 'entra-token-1']);
    assert.deepEqual(cred.calls, [AZURE_POSTGRES_SCOPE]);
    t += 54 * 60_000; // 6 minutes left
    assert.equal(await password(), 'entra-token-1');
    t += 2 * 60_000; // 4 minutes left
    assert.equal(await password(), 'entra-token-2');
    assert.equal(cred.calls.length, 2);
  });

  it('a credential that fails: the connection fails with a message that names STATE_DB_AUTH, and the next try asks again', async () => {
    const cred = new FakeCredential(now);
    cred.fail = new Error('ManagedIdentityCredential: no managed identity endpoint');
    const password = entraPassword(cred, { now });
    await assert.rejects(password(), /Entra token for the state database \(STATE_DB_AUTH=entra\): ManagedIdentityCredential: no managed identity endpoint/);
    cred.fail = undefined;
    assert.equal(await password(), 'entra-token-1');
  });

  it('through a server that asks for a password: every new connection logs in with the current token', async () => {
    const target = new URL(PG_TEST_URL);
    const proxy = await passwordProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const cred = new FakeCredential(now);
    const tokens: string[] = [];
    const password = entraPassword(cred, { now, onToken: (i) => tokens.push(i.expiresOn) });
    const url = `postgres://${target.username || 'postgres'}@127.0.0.1:${proxy.port}/${db.name}?sslmode=disable`;
    const settings = readPostgresSettings({ STATE_DB: url, STATE_DB_AUTH: 'entra' });
    assert.deepEqual(settings.problems, []);
    let store = await openPostgresStore({ ...poolConfig(settings.settings!, password), max: 4 });
    try {
      // Four connections at once (the migration's and three more): one token request.
      await Promise.all([1, 2, 3, 4].map((i) => store.pool.query('SELECT pg_sleep(0.05), $1::int', [i])));
      assert.ok(proxy.passwords.length >= 2, `several connections logged in (${proxy.passwords.length})`);
      assert.deepEqual(new Set(proxy.passwords), new Set(['entra-token-1']));
      assert.equal(cred.calls.length, 1);
      const r = await store.create({
        spec: { principal: { kind: 'user', user: 'x' }, from: 'E1', to: 'E3' },
        preflight: {} as never,
        requester: { id: 'a', tenantId: 't' },
        ttlMs: 1000,
      });
      assert.equal((await store.get(r.id))?.id, r.id);
    } finally {
      await store.close();
    }
    // An hour later (the token expires within five minutes): a new connection gets a new token.
    t += 56 * 60_000;
    store = await openPostgresStore({ ...poolConfig(settings.settings!, password), max: 1 });
    try {
      assert.equal(proxy.passwords.at(-1), 'entra-token-2');
      assert.equal(cred.calls.length, 2);
      assert.equal(tokens.length, 2, 'each fetched token is reported (its expiry, never the token)');
    } finally {
      await store.close();
      await proxy.close();
    }
  });
});

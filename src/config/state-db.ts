// The state database's variables of the environment (STATE_DB, STATE_DB_AUTH, STATE_DB_POOL_MAX)
// into PostgresSettings when STATE_DB names a server. Part of the one configuration loader
// (src/config.ts), which lists every problem with the rest.
//
//   STATE_DB=postgres://plan-switch@myserver.postgres.database.azure.com/plan_switch?sslmode=verify-full
//   STATE_DB_AUTH=entra        (or password: the default; the password from the URL or PGPASSWORD)
//   STATE_DB_POOL_MAX=10       connections per instance
import type { PostgresSettings } from '../state/postgres/settings';

export interface StateDbEnv {
  STATE_DB?: string | undefined;
  STATE_DB_AUTH?: string | undefined;
  STATE_DB_POOL_MAX?: string | undefined;
  PGPASSWORD?: string | undefined;
}

/** postgres://… or postgresql://… (any case); anything else is a SQLite file path. */
export function isPostgresUrl(stateDb: string | undefined): boolean {
  return /^postgres(?:ql)?:\/\//i.test((stateDb ?? '').trim());
}

/** The PostgreSQL settings when STATE_DB names a server (else undefined), and every problem found. */
export function readPostgresSettings(env: StateDbEnv): { settings?: PostgresSettings; problems: string[] } {
  const problems: string[] = [];
  const stateDb = env.STATE_DB?.trim() ?? '';
  const authRaw = env.STATE_DB_AUTH?.trim().toLowerCase() || 'password';
  const auth = authRaw === 'password' || authRaw === 'entra' ? authRaw : undefined;
  if (!auth) problems.push(`STATE_DB_AUTH: ${JSON.stringify(env.STATE_DB_AUTH)} is not password or entra`);
  const poolRaw = env.STATE_DB_POOL_MAX?.trim();
  const poolMax = poolRaw ? Number(poolRaw) : 10;
  if (!Number.isInteger(poolMax) || poolMax < 1 || poolMax > 100) problems.push(`STATE_DB_POOL_MAX: ${JSON.stringify(poolRaw)} is not a number of connections from 1 to 100`);

  if (!isPostgresUrl(stateDb)) {
    if (auth === 'entra') problems.push('STATE_DB_AUTH=entra needs STATE_DB to be a postgres:// URL (Azure Database for PostgreSQL)');
    return { problems };
  }
  let url: URL | undefined;
  try {
    url = new URL(stateDb);
  } catch {
    problems.push('STATE_DB: not a valid postgres:// URL (postgres://user@host:5432/database)');
  }
  if (url) {
    if (!url.hostname) problems.push('STATE_DB: the URL names no host');
    if (auth === 'entra') {
      if (url.password) problems.push('STATE_DB: holds a password while STATE_DB_AUTH=entra; remove it (the Entra token is the password)');
      if (env.PGPASSWORD) problems.push('PGPASSWORD is set while STATE_DB_AUTH=entra; unset it (the Entra token is the password)');
      if (!url.username) problems.push('STATE_DB: name the Entra principal as the user (postgres://<identity name>@host/database)');
    }
  }
  if (problems.length || !auth) return { problems };
  return { settings: { connectionString: stateDb, auth, poolMax }, problems };
}

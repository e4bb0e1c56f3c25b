// How to reach a PostgreSQL state database (the typed settings; src/config/state-db.ts reads them
// from STATE_DB, STATE_DB_AUTH and STATE_DB_POOL_MAX), and pg's pool options for them.
import type { PoolConfig } from 'pg';
import { parse } from 'pg-connection-string';

export type StateDbAuth = 'password' | 'entra';

export interface PostgresSettings {
  connectionString: string;
  auth: StateDbAuth;
  poolMax: number;
}

/**
 * pg's pool options for these settings. Under Entra, `password` fetches tokens and TLS is on
 * (unless the URL's sslmode says otherwise): a token never crosses the network in clear. The URL
 * is taken apart here because pg lets a connection string's (empty) password win over the
 * `password` function.
 */
export function poolConfig(s: PostgresSettings, password?: () => Promise<string>): PoolConfig {
  if (s.auth !== 'entra') return { connectionString: s.connectionString, max: s.poolMax };
  if (!password) throw new Error('STATE_DB_AUTH=entra needs a token source');
  const { password: _none, ssl, port, ...parsed } = parse(s.connectionString);
  const config = { ...parsed, max: s.poolMax, password, ssl: ssl ?? true } as PoolConfig;
  if (port) config.port = Number(port);
  return config;
}

// Building blocks of the composition root, shared by its two entry points (src/index.ts for the
// bot, src/cli/run.ts for the CLI): Graph, with the sandbox tenant started first when
// GRAPH_BASE_URL is unset, and the state store STATE_DB names. Only entry points import this file.
import { connectGraph, type ConnectOptions, type GraphConnection } from './graph/connect';
import { GraphConfigError, loopbackGraph, type GraphConfig } from './graph/config';
import type { TokenCredential } from '@azure/identity';
import { credentialFor } from './graph/client';
import { openStore, type SqliteRequestStore } from './state/sqlite-store';
import { openPostgresStore, type PostgresRequestStore } from './state/postgres/store';
import { entraPassword } from './state/postgres/entra';
import { poolConfig } from './state/postgres/settings';
import type { Config } from './config';
import type { Logger } from './log';

/**
 * Connects to Graph as configured. Sandbox mode (GRAPH_BASE_URL unset): starts the sandbox tenant
 * from its fixture on 127.0.0.1 and connects to it like any loopback endpoint; close() stops it.
 * The sandbox is loaded on demand so that real Graph never loads the test double.
 */
export async function openGraph(graph: GraphConfig, opts: ConnectOptions = {}): Promise<GraphConnection> {
  if (graph.mode !== 'sandbox') return connectGraph(graph, opts);
  const { startSandbox } = await import('./sandbox');
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox({ fixture: graph.tenantFile, port: graph.port, host: graph.host });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { problems?: unknown };
    if (e.code === 'EADDRINUSE') {
      throw new GraphConfigError([
        `SANDBOX_PORT: port ${graph.port} on ${graph.host} is in use (is the bot or another sandbox running? then set GRAPH_BASE_URL=http://${graph.host}:${graph.port}/v1.0, or choose another SANDBOX_PORT)`,
      ]);
    }
    throw new GraphConfigError([`SANDBOX_TENANT: the sandbox did not start: ${(e.message ?? String(err)).split('\n').slice(0, 12).join(' | ')}`]);
  }
  const conn = connectGraph(loopbackGraph(sandbox.graphBaseUrl), opts);
  let closed: Promise<void> | undefined;
  return {
    ...conn,
    description: `sandbox tenant ${sandbox.tenant.displayName} at ${conn.graphBaseUrl}`,
    close: () => (closed ??= conn.close().then(() => sandbox.close())),
  };
}

/** The store the app runs on: the request port, the conversation references, a probe and close. */
export type StateStore = SqliteRequestStore | PostgresRequestStore;

/**
 * The state store STATE_DB names: a SQLite file (a path, or nothing: the default file), or a
 * PostgreSQL database (postgres:// or postgresql://) for two or more instances. Both implement
 * the same ports; the PostgreSQL one signs in with a Microsoft Entra token when STATE_DB_AUTH=entra.
 */
export async function openStateStore(config: Pick<Config, 'stateDb' | 'postgres' | 'graph'>, log?: Logger): Promise<StateStore> {
  if (!config.postgres) return openStore(config.stateDb);
  const password =
    config.postgres.auth === 'entra'
      ? entraPassword(stateDbCredential(config.graph), {
          onToken: ({ expiresOn }) => log?.info('state.entra_token', { expiresOn, msg: `State database: new Entra token, valid until ${expiresOn}` }),
        })
      : undefined;
  return openPostgresStore(poolConfig(config.postgres, password));
}

/** STATE_DB_AUTH=entra: the app's own Graph credential when it has one, else the managed identity. */
function stateDbCredential(graph: GraphConfig): TokenCredential {
  if (graph.mode === 'graph') {
    const own = credentialFor(graph.auth);
    if (own) return own;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ManagedIdentityCredential } = require('@azure/identity') as typeof import('@azure/identity');
  return new ManagedIdentityCredential();
}

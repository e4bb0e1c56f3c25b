// Building blocks of the composition root, shared by its two entry points (src/index.ts for the
// bot, src/cli/run.ts for the CLI): Graph, with the sandbox tenant started first when
// GRAPH_BASE_URL is unset, and the state store STATE_DB names. Only entry points import this file.
import { connectGraph, type ConnectOptions, type GraphConnection } from './graph/connect';
import { GraphConfigError, loopbackGraph, type GraphConfig } from './graph/config';
import { openStore, type SqliteRequestStore } from './state/sqlite-store';
import type { Config } from './config';

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

/**
 * The state store STATE_DB names: today a SQLite file. The one place a store is chosen; another
 * kind (e.g. STATE_DB=postgres://...) is one more branch here, implementing the same ports.
 */
export async function openStateStore(config: Pick<Config, 'stateDb'>): Promise<SqliteRequestStore> {
  return Promise.resolve(openStore(config.stateDb));
}

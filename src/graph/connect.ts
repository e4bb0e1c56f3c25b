// connectGraph: one place that turns the environment into a working GraphGateway, for the bot and
// the CLI alike. Without GRAPH_BASE_URL it starts the sandbox tenant on 127.0.0.1:SANDBOX_PORT.
import { createGraphClient, credentialFor, newStats, type GraphStats, type RetryPolicy } from './client';
import { describeGraphConfig, GraphConfigError, loadGraphConfig, type GraphConfig } from './config';
import { GraphGateway, type GatewayOptions } from './gateway';
import type { RunningSandbox } from '../sandbox';

export type { RunningSandbox };

export interface GraphConnection {
  gateway: GraphGateway;
  /** e.g. http://127.0.0.1:3979/v1.0 or https://graph.microsoft.com/v1.0 */
  graphBaseUrl: string;
  config: GraphConfig;
  /** One line for start-up logs (never a secret). */
  description: string;
  /** Set when connectGraph started the sandbox itself. */
  sandbox?: RunningSandbox;
  stats: GraphStats;
  close(): Promise<void>;
}

export interface ConnectOptions {
  gateway?: Omit<GatewayOptions, 'stats' | 'retry'>;
  retry?: RetryPolicy;
}

export async function connectGraph(env: NodeJS.ProcessEnv = process.env, opts: ConnectOptions = {}): Promise<GraphConnection> {
  const config = loadGraphConfig(env);
  const stats = newStats();
  let sandbox: RunningSandbox | undefined;
  let host: string;
  let version: string;
  let graphBaseUrl: string;
  let credential;
  let scope: string | undefined;

  if (config.mode === 'sandbox') {
    try {
      const { startSandbox } = await import('../sandbox');
      sandbox = await startSandbox({ fixture: config.tenantFile, port: config.port, host: config.host });
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { problems?: unknown };
      if (e.code === 'EADDRINUSE') {
        throw new GraphConfigError([
          `SANDBOX_PORT: port ${config.port} on ${config.host} is in use (is the bot or another sandbox running? then set GRAPH_BASE_URL=http://${config.host}:${config.port}/v1.0, or choose another SANDBOX_PORT)`,
        ]);
      }
      throw new GraphConfigError([`SANDBOX_TENANT: the sandbox did not start: ${(e.message ?? String(err)).split('\n').slice(0, 12).join(' | ')}`]);
    }
    const u = new URL(sandbox.graphBaseUrl);
    host = `${u.protocol}//${u.host}/`;
    version = u.pathname.split('/').filter(Boolean).pop() ?? 'v1.0';
    graphBaseUrl = sandbox.graphBaseUrl.replace(/\/$/, '');
  } else {
    host = config.host;
    version = config.version;
    graphBaseUrl = config.baseUrl;
    if (config.mode === 'graph') {
      credential = credentialFor(config.auth);
      scope = config.scope;
    }
  }

  const client = createGraphClient({ host, version, ...(credential ? { credential } : {}), ...(scope ? { scope } : {}), ...(opts.retry ? { retry: opts.retry } : {}), stats });
  const gateway = new GraphGateway(client, host, { ...(opts.gateway ?? {}), ...(opts.retry ? { retry: opts.retry } : {}), stats });
  let closed = false;
  return {
    gateway,
    graphBaseUrl,
    config,
    description: sandbox ? `sandbox tenant ${sandbox.tenant.displayName} at ${graphBaseUrl}` : describeGraphConfig(config),
    ...(sandbox ? { sandbox } : {}),
    stats,
    async close() {
      if (closed) return;
      closed = true;
      await sandbox?.close();
    },
  };
}

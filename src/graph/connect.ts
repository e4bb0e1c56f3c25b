// connectGraph: one place that turns a Graph configuration into a working GraphGateway, for the bot
// and the CLI alike. It never starts the sandbox: the composition root (src/compose.ts) does that
// when GRAPH_BASE_URL is unset and connects here as to any loopback endpoint.
import type { Client } from '@microsoft/microsoft-graph-client';
import { createGraphClient, credentialFor, GRAPH_SCOPE, newStats, type GraphStats, type RetryPolicy } from './client';
import { describeGraphConfig, type GraphConfig } from './config';
import { sandboxCredential } from './doctor-reads';
import { GraphGateway, type GatewayOptions } from './gateway';

/** What connectGraph reaches: a loopback endpoint (a sandbox) or real Graph. */
export type GraphTarget = Exclude<GraphConfig, { mode: 'sandbox' }>;

export interface GraphConnection {
  gateway: GraphGateway;
  /** e.g. http://127.0.0.1:3979/v1.0 or https://graph.microsoft.com/v1.0 */
  graphBaseUrl: string;
  config: GraphTarget;
  /** One line for start-up logs (never a secret). */
  description: string;
  stats: GraphStats;
  /** The Graph client under the gateway (plan-switch doctor reads raw answers through it). */
  client: Client;
  /** An access token as the app gets it (a sandbox on loopback: from /_sandbox/token), for doctor to read its roles. */
  accessToken(): Promise<string>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  gateway?: Omit<GatewayOptions, 'stats' | 'retry'>;
  retry?: RetryPolicy;
}

export function connectGraph(config: GraphTarget, opts: ConnectOptions = {}): GraphConnection {
  const stats = newStats();
  const credential = config.mode === 'graph' ? credentialFor(config.auth) : undefined;
  const scope = config.mode === 'graph' ? config.scope : undefined;
  const { host, version } = config;
  const client = createGraphClient({ host, version, ...(credential ? { credential } : {}), ...(scope ? { scope } : {}), ...(opts.retry ? { retry: opts.retry } : {}), stats });
  const gateway = new GraphGateway(client, host, { ...(opts.gateway ?? {}), ...(opts.retry ? { retry: opts.retry } : {}), stats });
  return {
    gateway,
    graphBaseUrl: config.baseUrl.replace(/\/$/, ''),
    config,
    description: describeGraphConfig(config),
    stats,
    client,
    async accessToken() {
      const source = credential ?? sandboxCredential(new URL(config.baseUrl).origin);
      const t = await source.getToken(scope ?? GRAPH_SCOPE);
      if (!t?.token) throw new Error('no access token');
      return t.token;
    },
    close: () => Promise.resolve(),
  };
}

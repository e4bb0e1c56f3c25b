// A GraphGateway on a test sandbox, through the real Graph SDK client, with waits recorded instead
// of slept (so Retry-After handling is checked without slow tests).
import { createGraphClient, newStats, type GraphStats } from '../../src/graph/client';
import { GraphGateway, type GatewayOptions } from '../../src/graph/gateway';
import type { SandboxAccess } from '../helpers/sandbox';

export interface TestGateway {
  gateway: GraphGateway;
  stats: GraphStats;
  /** Every wait the client or gateway asked for, in ms. */
  waits: number[];
}

export function testGateway(sb: SandboxAccess, opts: Omit<GatewayOptions, 'stats' | 'retry'> = {}): TestGateway {
  const waits: number[] = [];
  const stats = newStats();
  const retry = {
    sleep: async (ms: number) => {
      waits.push(ms);
    },
    baseDelayMs: 5,
    requestTimeoutMs: 10_000,
  };
  const host = `${sb.url}/`;
  const client = createGraphClient({ host, version: 'v1.0', retry, stats });
  return { gateway: new GraphGateway(client, host, { ...opts, retry, stats }), stats, waits };
}

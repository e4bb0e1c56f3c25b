// The sandbox tenant's programmatic API: start a Graph look-alike on 127.0.0.1 from a fixture.
//
//   const sb = await startSandbox({ fixture: 'data/demo-tenant.json', port: 0 });
//   // sb.graphBaseUrl === 'http://127.0.0.1:<port>/v1.0'
//   await sb.close();
//
// A fixture that fails validation rejects with a FixtureError listing every problem.
import type { AddressInfo } from 'node:net';
import { formatProblems, loadFixture, validateFixture, type FixtureProblem, type FixtureResult, type TenantFixture } from './fixture';
import { createHttpServer, SandboxHost, tenantInfo } from './server';
import { Tenant } from './tenant';

export { loadFixture, validateFixture, formatProblems };
export type { FixtureProblem, FixtureResult, TenantFixture };
export type { FaultSpec, RequestLogEntry } from './faults';

export interface StartSandboxOptions {
  /** The fixture itself, or the path of a fixture file (re-read on POST /_sandbox/reset). */
  fixture: TenantFixture | string;
  /** 0 = any free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface SandboxTenantInfo {
  id: string;
  displayName: string;
  defaultUsageLocation: string | null;
}

export interface RunningSandbox {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + '/v1.0' */
  graphBaseUrl: string;
  port: number;
  tenant: SandboxTenantInfo;
  close(): Promise<void>;
}

export class FixtureError extends Error {
  constructor(
    readonly source: string,
    readonly problems: FixtureProblem[],
  ) {
    super(`Fixture ${source} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${formatProblems(problems)}`);
  }
}

export async function startSandbox(opts: StartSandboxOptions): Promise<RunningSandbox> {
  const source = opts.fixture;
  // Objects are copied so a test changing its fixture afterwards cannot change what reset reloads.
  const snapshot = typeof source === 'string' ? undefined : (JSON.parse(JSON.stringify(source)) as unknown);
  const load = (): FixtureResult => (typeof source === 'string' ? loadFixture(source) : validateFixture(snapshot));
  const first = load();
  if (!first.ok) throw new FixtureError(typeof source === 'string' ? source : '(object)', first.problems);

  const host = new SandboxHost(new Tenant(first.fixture), load);
  const server = createHttpServer(host);
  const hostname = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`;
  let closed: Promise<void> | undefined;
  return {
    url,
    graphBaseUrl: `${url}/v1.0`,
    port,
    get tenant() {
      return tenantInfo(host.tenant);
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        host.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

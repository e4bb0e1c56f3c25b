// Several bot processes (`node dist/src/index.js`) on one state database behind a round-robin
// proxy, as App Service runs them behind its front end; a Teams look-alike talks to the proxy and
// a connector receives what any instance posts. Used by the multi-instance specs and the bench.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry, ChangeRequest } from '../../src/requests/types';
import { openStore } from '../../src/state/sqlite-store';
import { openPostgresStore, type PostgresRequestStore } from '../../src/state/postgres/store';
import { startConnector, type Connector, type Posted } from '../helpers/connector';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { ADMINS, startBotProcess, Teams, type BotProcess } from '../faults/support';
import { roundRobinProxy, type RoundRobin } from './proxy';

export type StoreKind = 'postgres' | 'sqlite';

export interface ClusterOptions {
  store: StoreKind;
  instances: number;
  graphBaseUrl: string;
  /** Extra environment for every instance. */
  env?: Record<string, string>;
  /** Told of everything an instance posts to the connector (the bench times replies with it). */
  onPosted?: (p: Posted) => void;
}

interface Reader {
  get(id: string): Promise<ChangeRequest | undefined> | ChangeRequest | undefined;
  audit(id: string): Promise<AuditEntry[]> | AuditEntry[];
  close(): Promise<void> | void;
}

export class Cluster {
  readonly instances: (BotProcess | undefined)[];
  private reader?: Reader;

  private constructor(
    readonly opts: ClusterOptions,
    readonly stateDb: string,
    readonly proxy: RoundRobin,
    readonly connector: Connector,
    readonly teams: Teams,
    private readonly cleanup: () => Promise<void>,
  ) {
    this.instances = Array.from({ length: opts.instances }, () => undefined);
  }

  /** A fresh database (PostgreSQL) or file (SQLite), the proxy, the connector and every instance started. */
  static async start(opts: ClusterOptions): Promise<Cluster> {
    let db: TestDatabase | undefined;
    let dir: string | undefined;
    let stateDb: string;
    if (opts.store === 'postgres') {
      db = await createTestDatabase();
      stateDb = db.url;
    } else {
      dir = mkdtempSync(join(tmpdir(), 'plan-switch-mi-'));
      stateDb = join(dir, 'state.db');
    }
    const connector = await startConnector(opts.onPosted ? { onPosted: opts.onPosted } : {});
    let cluster: Cluster | undefined;
    const proxy = await roundRobinProxy(() => (cluster?.instances ?? []).filter((i): i is BotProcess => !!i).map((i) => i.url));
    const teams = new Teams(() => proxy.url, connector);
    cluster = new Cluster(opts, stateDb, proxy, connector, teams, async () => {
      await proxy.close();
      await connector.close();
      await db?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
    try {
      for (let i = 0; i < cluster.instances.length; i++) await cluster.startInstance(i);
    } catch (err) {
      await cluster.close();
      throw err;
    }
    return cluster;
  }

  envFor(): Record<string, string> {
    return {
      GRAPH_BASE_URL: this.opts.graphBaseUrl,
      STATE_DB: this.stateDb,
      APPROVERS: `group:${ADMINS}`,
      RECOVERY_SETTLE: '1s',
      GROUP_POLL_INTERVAL: '200ms',
      ...this.opts.env,
    };
  }

  /** Starts instance `i` on a free port (again on another one when that port was taken in between). */
  async startInstance(i: number): Promise<BotProcess> {
    for (let attempt = 1; ; attempt++) {
      try {
        const p = await startBotProcess(this.envFor());
        this.instances[i] = p;
        return p;
      } catch (err) {
        if (attempt >= 3 || !/EADDRINUSE/.test(String(err))) throw err;
      }
    }
  }

  /** Starts every instance that is not running (after a test killed one). */
  async startMissing(): Promise<void> {
    for (let i = 0; i < this.instances.length; i++) if (!this.instances[i]) await this.startInstance(i);
  }

  /** SIGTERM (a graceful stop, as a deployment does) or SIGKILL (a crash); resolves once it exited. */
  async stopInstance(i: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const p = this.instances[i];
    this.instances[i] = undefined;
    return p ? p.kill(signal) : null;
  }

  /** Stops instance `i` gracefully and starts a new process in its place (one step of a rolling restart). */
  async restartInstance(i: number): Promise<BotProcess> {
    await this.stopInstance(i, 'SIGTERM');
    return this.startInstance(i);
  }

  /** The instance whose process id is `pid`, or -1. */
  indexOfPid(pid: number): number {
    return this.instances.findIndex((p) => p?.pid === pid);
  }

  private async store(): Promise<Reader> {
    if (!this.reader) {
      this.reader = this.opts.store === 'postgres' ? ((await openPostgresStore({ connectionString: this.stateDb, max: 2 })) as PostgresRequestStore) : openStore(this.stateDb);
    }
    return this.reader;
  }

  /** The request and its audit trail, read through a connection of the test's own. */
  async read(id: string): Promise<{ request: ChangeRequest; audit: AuditEntry[] }> {
    const s = await this.store();
    return { request: (await s.get(id))!, audit: await s.audit(id) };
  }

  /** Kills what still runs, drops the database (or removes the file), stops the proxy and connector. */
  async close(): Promise<void> {
    for (let i = 0; i < this.instances.length; i++) await this.stopInstance(i, 'SIGKILL');
    await this.reader?.close();
    await this.cleanup();
  }
}

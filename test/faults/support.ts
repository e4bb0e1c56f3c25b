// Shared by the fault specs: the tenant they run on, a Teams look-alike that speaks to the bot
// over HTTP (as Sanne, who asks, and Pieter, who approves) with a connector receiving what the
// bot posts, the bot as a child process that can be killed, and checks on the sandbox tenant.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/state/sqlite-store';
import type { AuditEntry, ChangeRequest } from '../../src/requests/types';
import { skuId, tenantFixture, type SandboxAccess, type TenantFixture } from '../helpers/sandbox';
import { settledInvokeAnswer, startConnector, type Connector } from '../helpers/connector';
import { freePort } from '../helpers/net';
import { sleep, waitFor } from '../helpers/wait';
import { activityText, cardText } from '../hostile/support';

export const ROOT = join(__dirname, '..', '..', '..');
export const TENANT = '5f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';
export const SANNE = 'a11ce000-0000-4000-8000-000000000001';
export const PIETER = 'a11ce000-0000-4000-8000-000000000002';
export const ADMINS = 'a11ce000-0000-4000-8000-000000000100';
export const E1 = skuId('STANDARDPACK');
export const E3 = skuId('ENTERPRISEPACK');
export const DOMAIN = 'contoso.example';

/**
 * Sanne and Pieter (License Admins), group Sales (30 members, E1 from the group), 200 users with
 * E1 directly (bulk1..bulk200, in the unlicensed group Bulk), Solo with E1 directly. Seats: E1
 * 400, E3 400 (a spec may lower them).
 */
export function faultTenant(opts: { e3Seats?: number; salesMembers?: number; bulk?: number } = {}): TenantFixture {
  return tenantFixture('Contoso', { id: TENANT, domain: DOMAIN })
    .sku('STANDARDPACK', 400)
    .sku('ENTERPRISEPACK', opts.e3Seats ?? 400)
    .user('sanne', { id: SANNE, displayName: 'Sanne de Vries' })
    .user('pieter', { id: PIETER, displayName: 'Pieter Bakker' })
    .group('License Admins', { id: ADMINS, members: ['sanne', 'pieter'] })
    .generate('Sales', opts.salesMembers ?? 30, { prefix: 'sales', groupLicenses: ['STANDARDPACK'] })
    .generate('Bulk', opts.bulk ?? 200, { prefix: 'bulk', licenses: ['STANDARDPACK'] })
    .user('solo', { licenses: ['STANDARDPACK'] })
    .users(['newbie', 'other1', 'other2', 'other3', 'other4', 'other5'])
    .behavior({ groupProcessingMs: 300, latencyMs: 0 })
    .build();
}

export const upns = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}@${DOMAIN}`);

export { sleep, waitFor };

// Teams -------------------------------------------------------------------------------------------

type Who = 'sanne' | 'pieter';
const PEOPLE: Record<Who, { id: string; aadObjectId: string; name: string }> = {
  sanne: { id: '29:sanne', aadObjectId: SANNE, name: 'Sanne de Vries' },
  pieter: { id: '29:pieter', aadObjectId: PIETER, name: 'Pieter Bakker' },
};

/** Speaks to the bot at `url()` as Teams would, in local mode; replies arrive at `connector`. */
export class Teams {
  constructor(
    private readonly url: () => string,
    readonly connector: Connector,
    /** Activity ids so far: shared with every at() view, so no two activities have the same id. */
    private readonly seq = { n: 0 },
  ) {}

  /** The same Teams speaking to one bot at `url` directly (past the load balancer). */
  at(url: string): Teams {
    return new Teams(() => url, this.connector, this.seq);
  }

  private activity(who: Who, conv: string, extra: Record<string, unknown>): Record<string, unknown> {
    return {
      id: `act-${++this.seq.n}`,
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      locale: 'en-US',
      from: PEOPLE[who],
      recipient: { id: '28:plan-switch', name: 'Plan Switch' },
      conversation: { id: conv, tenantId: TENANT, conversationType: 'personal' },
      channelData: { tenant: { id: TENANT } },
      ...extra,
    };
  }

  private async post(a: Record<string, unknown>): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.url()}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(a) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  say(who: Who, conv: string, text: string) {
    return this.post(this.activity(who, conv, { type: 'message', text }));
  }

  /** A card button: the invoke's answer ({ statusCode, type, value: card }). */
  async click(who: Who, conv: string, verb: string, data: unknown, replyToId = `card-${this.seq.n + 1}`): Promise<any> {
    const r = await this.post(
      this.activity(who, conv, { type: 'invoke', name: 'adaptiveCard/action', replyToId, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } }),
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return settledInvokeAnswer(this.connector, conv, replyToId, r.body);
  }

  /** Sanne asks for `spec` (the bot runs its preflight) from her personal chat: the request id. */
  async ask(spec: unknown): Promise<string> {
    await this.say('pieter', 'pieter-chat', 'help'); // Pieter's personal chat is known: approval cards reach him
    const answer = await this.click('sanne', 'sanne-chat', 'request', { spec });
    const text = cardText(answer.value);
    const m = /Change request (\d+)/.exec(text);
    assert.ok(m, `a request was created:\n${text}`);
    return m[1]!;
  }

  /** Pieter approves from his approval card; the answer's card text. */
  async approve(id: string, version = 1): Promise<string> {
    const answer = await this.click('pieter', 'pieter-chat', 'approve', { requestId: id, version });
    return cardText(answer.value);
  }

  /** What the bot said in Sanne's chat after `since` (ms epoch). */
  toSanne(since = 0): string[] {
    return this.connector
      .to('sanne-chat')
      .filter((p) => p.at >= since && p.method === 'POST')
      .map((p) => activityText(p.activity));
  }

  /** Resolves with the completion notice of request `id` in Sanne's chat. */
  notice(id: string, since = 0, timeoutMs = 20_000): Promise<string> {
    return waitFor(`the notice of request ${id} in Sanne's chat`, () => this.toSanne(since).find((t) => new RegExp(`Change request ${id} finished`).test(t)), timeoutMs);
  }
}

// The bot as a child process --------------------------------------------------------------------

export interface BotProcess {
  url: string;
  pid: number;
  /** Parsed JSON log lines so far. */
  logs(): Record<string, any>[];
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

/** `node dist/src/index.js` with `env` (PORT chosen here), once /healthz answers. */
export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'index.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('close', (code, signal) => r(code ?? (signal ? -1 : null))));
  void exited.then(() => running.delete(child));
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([
    waitFor(
      `the bot on ${url}`,
      () =>
        fetch(`${url}/healthz`).then(
          (r) => r.ok || undefined,
          () => undefined,
        ),
      30_000,
      50,
    ),
    exited.then((code) => {
      throw new Error(`the bot exited (${code}) while starting:\n${out}`);
    }),
  ]);
  return {
    url,
    pid: child.pid!,
    output: () => out,
    logs: () =>
      out
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, any>;
          } catch {
            return { event: 'not-json', line: l };
          }
        }),
    async kill(signal = 'SIGKILL') {
      child.kill(signal);
      return exited;
    },
  };
}

// State and tenant checks ---------------------------------------------------------------------

/** The request and its audit trail, read from the state database (a separate connection). */
export async function readRequest(db: string, id: string): Promise<{ request: ChangeRequest; audit: AuditEntry[] }> {
  const store = openStore(db);
  try {
    return { request: (await store.get(id))!, audit: await store.audit(id) };
  } finally {
    store.close();
  }
}

export async function skusOf(sb: SandboxAccess, upn: string): Promise<string[]> {
  const r = await sb.get(`/users/${upn}?$select=assignedLicenses`);
  assert.equal(r.status, 200, `${upn}: ${JSON.stringify(r.body)}`);
  return (r.body.assignedLicenses as { skuId: string }[]).map((l) => l.skuId.toLowerCase()).sort();
}

/** Every user holds exactly one of source and target (never neither, never both). Returns who holds the target. */
export async function assertSourceXorTarget(sb: SandboxAccess, users: string[], source = E1, target = E3): Promise<{ onTarget: string[]; onSource: string[] }> {
  const onTarget: string[] = [];
  const onSource: string[] = [];
  for (const u of users) {
    const skus = await skusOf(sb, u);
    const s = skus.includes(source.toLowerCase());
    const t = skus.includes(target.toLowerCase());
    assert.ok(s !== t, `${u} holds ${s && t ? 'both' : 'neither'} (${skus.join(', ') || 'nothing'})`);
    (t ? onTarget : onSource).push(u);
  }
  return { onTarget, onSource };
}

/** assignLicense calls in the sandbox log (inside $batch or not), with their status. */
export async function licenseWrites(sb: SandboxAccess): Promise<{ path: string; status: number; fault: boolean }[]> {
  return (await sb.requests()).filter((r) => r.method === 'POST' && /\/assignLicense$/i.test(r.path)).map((r) => ({ path: r.path, status: r.status, fault: !!r.fault }));
}

/** The audit actions of a request, oldest first. */
export const actionsOf = (audit: AuditEntry[]) => audit.map((e) => e.action);

// The bot in this process ---------------------------------------------------------------------

export interface InProcessBot {
  app: import('../../src/index').App;
  teams: Teams;
  /** JSON log lines the app wrote. */
  logs: Record<string, any>[];
  /** The request and its audit trail, from the app's store. */
  read(id: string): Promise<{ request: ChangeRequest; audit: AuditEntry[] }>;
  /** Waits until request `id` is in a final state (and its notices went out). */
  settled(id: string, timeoutMs?: number): Promise<ChangeRequest>;
  close(): Promise<void>;
}

/**
 * For every test of the calling suite: a fresh state directory, a local connector and the whole
 * application started in-process on `sb`; all closed and removed after the test.
 */
export function appPerTest(sb: SandboxAccess, name: string, extra: Record<string, string> = {}): { readonly bot: InProcessBot } {
  let dir = '';
  let connector: Connector | undefined;
  let bot: InProcessBot | undefined;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), `plan-switch-${name}-`));
    connector = await startConnector();
    bot = await startInProcess(sb, connector, dir, extra);
  });
  afterEach(async () => {
    await bot?.close();
    await connector?.close();
    rmSync(dir, { recursive: true, force: true });
    bot = connector = undefined;
  });
  return {
    get bot() {
      if (!bot) throw new Error('the app runs only inside a test');
      return bot;
    },
  };
}

/** startApp (the whole application) on the sandbox, with a connector for what the bot posts. */
export async function startInProcess(sb: SandboxAccess, connector: Connector, dir: string, extra: Record<string, string> = {}): Promise<InProcessBot> {
  const { startApp } = await import('../../src/index');
  const { createLogger } = await import('../../src/log');
  const logs: Record<string, any>[] = [];
  const app = await startApp(
    {
      PORT: String(await freePort()),
      GRAPH_BASE_URL: sb.graphBaseUrl,
      STATE_DB: join(dir, 'state.db'),
      APPROVERS: `group:${ADMINS}`,
      GROUP_POLL_INTERVAL: '100ms',
      ...extra,
    },
    createLogger({ format: 'json', write: (line) => logs.push(JSON.parse(line)) }),
  );
  const teams = new Teams(() => app.server.url, connector);
  const read = async (id: string) => ({ request: (await app.requests.store.get(id))!, audit: await app.requests.store.audit(id) });
  return {
    app,
    teams,
    logs,
    read,
    async settled(id, timeoutMs = 30_000) {
      const final = await waitFor(
        `request ${id} to finish`,
        async () => {
          const r = await app.requests.store.get(id);
          return r && ['completed', 'failed', 'partial', 'rejected', 'cancelled', 'expired'].includes(r.state) ? r : undefined;
        },
        timeoutMs,
      );
      await app.requests.workflow.whenIdle();
      await app.bot.whenIdle();
      return final;
    },
    close: () => app.close(),
  };
}

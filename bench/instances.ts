// Several instances on PostgreSQL vs one on SQLite (issue 14): the same traffic through a
// round-robin proxy (test/multi-instance/cluster.ts: real `node dist/src/index.js` processes, a
// local connector, the sandbox tenant in this process with no added latency, so what differs is
// the store and the number of instances).
//
//   1. chat command latency: "move group Sales to E3" to its preflight card at the connector,
//      one message at a time, alternating between the two setups (both run at once, so both meet
//      the same background load); every turn also saves the conversation reference
//   3. the store calls themselves (get, saveConversationRef, transition) in one process, interleaved
//   2. approvals and notices: N single-user requests approved all at once (spread over the
//      instances): the click's answer, approval to completion notice, and all N done
//
// Target: p95 of the chat command no more than 50 ms above SQLite's.
//
//   node dist/bench/instances.js [--messages 100] [--approvals 40] [--out bench/instances.json]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../src/sandbox/index';
import { faultTenant, SANNE, TENANT, upns } from '../test/faults/support';
import type { Posted } from '../test/helpers/connector';
import { Cluster, type StoreKind } from '../test/multi-instance/cluster';
import { createTestDatabase } from '../test/helpers/postgres';
import { openStore } from '../src/state/sqlite-store';
import { openPostgresStore } from '../src/state/postgres/store';

export const ADDED_P95_TARGET_MS = 50;

export interface Setup {
  store: StoreKind;
  instances: number;
}

export interface SetupResult extends Setup {
  chat: { messages: number; p50Ms: number; p95Ms: number; maxMs: number };
  approvals: {
    requests: number;
    clickP50Ms: number;
    clickP95Ms: number;
    noticeP50Ms: number;
    noticeP95Ms: number;
    allDoneMs: number;
    perSecond: number;
    /** Completion notices received per request (1 each when nothing is sent twice). */
    noticesPerRequest: number[];
  };
}

export interface InstancesResult {
  setups: SetupResult[];
  addedChatP95Ms: number;
  addedChatP95Ok: boolean;
  /** Per store call, in one process: what PostgreSQL on loopback adds to each. */
  store: { op: string; sqliteP50Ms: number; sqliteP95Ms: number; postgresP50Ms: number; postgresP95Ms: number }[];
}

const round = (x: number) => Math.round(x * 10) / 10;
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

const isCard = (a: Record<string, any>) =>
  Array.isArray(a.attachments) && a.attachments.some((x: { contentType?: string }) => x.contentType === 'application/vnd.microsoft.card.adaptive');
const textOf = (a: Record<string, any>) => `${a.text ?? ''} ${JSON.stringify(a.attachments ?? [])}`;

interface Rig {
  setup: Setup;
  cluster: Cluster;
  close(): Promise<void>;
  waiting: Map<string, (p: Posted) => void>;
  notices: Map<string, number[]>;
}

async function startRig(setup: Setup, approvals: number): Promise<Rig> {
  const sandbox = await startSandbox({ fixture: faultTenant({ bulk: Math.max(approvals, 1), e3Seats: approvals + 100 }), port: 0 });
  const waiting = new Map<string, (p: Posted) => void>();
  const notices = new Map<string, number[]>();
  const cluster = await Cluster.start({
    ...setup,
    graphBaseUrl: sandbox.graphBaseUrl,
    env: { LOG_LEVEL: 'warn', GROUP_POLL_INTERVAL: '100ms' },
    onPosted: (p) => {
      // A message's answer comes the proactive way (src/bot/jobs.ts), not as a reply in the turn:
      // the preflight card in the chat answers the message waiting there (one at a time).
      if (p.conversationId === 'sanne-chat' && isCard(p.activity) && textOf(p.activity).includes('Preflight check')) waiting.values().next().value?.(p);
      const m = /Change request (\d+) finished/.exec(textOf(p.activity));
      if (m && p.conversationId === 'sanne-chat') notices.set(m[1]!, [...(notices.get(m[1]!) ?? []), p.at]);
    },
  });
  await cluster.teams.say('pieter', 'pieter-chat', 'help');
  return {
    setup,
    cluster,
    waiting,
    notices,
    close: async () => {
      await cluster.close();
      await sandbox.close();
    },
  };
}

/** One "move group Sales to E3" through the proxy: ms until its preflight card reached the connector. */
async function chatOnce(rig: Rig, n: number): Promise<number> {
  const id = `bench-${rig.setup.store}-${n}`;
  const card = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no preflight card for message ${n}`)), 15_000);
    rig.waiting.set(id, () => {
      clearTimeout(t);
      resolve();
    });
  });
  const t0 = performance.now();
  const post = fetch(`${rig.cluster.proxy.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id,
      text: 'move group Sales to E3',
      channelId: 'msteams',
      serviceUrl: rig.cluster.connector.url,
      locale: 'en-US',
      from: { id: '29:sanne', aadObjectId: SANNE, name: 'Sanne de Vries' },
      recipient: { id: '28:plan-switch', name: 'Plan Switch' },
      conversation: { id: 'sanne-chat', tenantId: TENANT, conversationType: 'personal' },
      channelData: { tenant: { id: TENANT } },
    }),
  }).then((r) => r.text());
  await card;
  const ms = performance.now() - t0;
  rig.waiting.delete(id);
  await post;
  return ms;
}

/** N one-user requests, then every approval click at once. */
async function approvalsOf(rig: Rig, count: number): Promise<SetupResult['approvals']> {
  const { cluster, notices } = rig;
  const ids: string[] = [];
  for (const upn of upns('bulk', count)) ids.push(await cluster.teams.ask({ principal: { kind: 'user', user: upn }, from: 'E1', to: 'E3' }));
  const clicks: number[] = [];
  const approvedAt = new Map<string, number>();
  const t0 = Date.now();
  await Promise.all(
    ids.map(async (id) => {
      const c0 = performance.now();
      approvedAt.set(id, Date.now());
      await cluster.teams.click('pieter', 'pieter-chat', 'approve', { requestId: id, version: 1 });
      clicks.push(performance.now() - c0);
    }),
  );
  const deadline = Date.now() + 180_000;
  while (ids.some((id) => !notices.has(id))) {
    if (Date.now() > deadline) throw new Error(`notices missing for ${ids.filter((id) => !notices.has(id)).join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const allDoneMs = Math.max(...ids.map((id) => notices.get(id)![0]!)) - t0;
  await new Promise((r) => setTimeout(r, 1_000)); // a second sender would show by now
  const noticeMs = ids.map((id) => notices.get(id)![0]! - approvedAt.get(id)!);
  return {
    requests: ids.length,
    clickP50Ms: round(percentile(clicks, 50)),
    clickP95Ms: round(percentile(clicks, 95)),
    noticeP50Ms: round(percentile(noticeMs, 50)),
    noticeP95Ms: round(percentile(noticeMs, 95)),
    allDoneMs,
    perSecond: round((ids.length / allDoneMs) * 1000),
    noticesPerRequest: ids.map((id) => notices.get(id)!.length),
  };
}

export async function benchInstances(opts: { messages?: number; approvals?: number } = {}): Promise<InstancesResult> {
  const o = { messages: opts.messages ?? 100, approvals: opts.approvals ?? 40 };
  const setups: Setup[] = [
    { store: 'sqlite', instances: 1 },
    { store: 'postgres', instances: 2 },
  ];
  const rigs: Rig[] = [];
  try {
    for (const s of setups) rigs.push(await startRig(s, o.approvals));
    // Chat: one message to each setup in turn (the order alternating), so both meet the same
    // background load; the first five of each warm every instance up.
    const chat = rigs.map(() => [] as number[]);
    for (let i = 0; i < o.messages + 5; i++) {
      const order = i % 2 ? [1, 0] : [0, 1];
      for (const k of order) {
        const ms = await chatOnce(rigs[k]!, i);
        if (i >= 5) chat[k]!.push(ms);
      }
    }
    const results: SetupResult[] = [];
    for (let k = 0; k < rigs.length; k++) {
      const c = chat[k]!;
      results.push({
        ...rigs[k]!.setup,
        chat: { messages: c.length, p50Ms: round(percentile(c, 50)), p95Ms: round(percentile(c, 95)), maxMs: round(Math.max(...c)) },
        approvals: await approvalsOf(rigs[k]!, o.approvals),
      });
    }
    const [sqlite, pg] = results as [SetupResult, SetupResult];
    const added = round(pg.chat.p95Ms - sqlite.chat.p95Ms);
    return { setups: results, addedChatP95Ms: added, addedChatP95Ok: added < ADDED_P95_TARGET_MS, store: await storeOps(200) };
  } finally {
    for (const r of rigs) await r.close();
  }
}

/** The store calls themselves, in this process, interleaved: SQLite (a file) vs PostgreSQL (loopback). */
async function storeOps(rounds: number): Promise<InstancesResult['store']> {
  const dir = mkdtempSync(join(tmpdir(), 'ps-bench-store-'));
  const db = await createTestDatabase();
  const sqlite = openStore(join(dir, 'state.db'));
  const pg = await openPostgresStore({ connectionString: db.url, max: 4 });
  try {
    const ops = ['get', 'saveConversationRef', 'transition'] as const;
    const times: Record<string, Record<string, number[]>> = { sqlite: {}, postgres: {} };
    const stores: [string, typeof sqlite | typeof pg][] = [
      ['sqlite', sqlite],
      ['postgres', pg],
    ];
    const spec = { principal: { kind: 'user' as const, user: 'x' }, from: 'E1', to: 'E3' };
    for (let i = 0; i < rounds; i++) {
      for (const [name, st] of i % 2 ? [...stores].reverse() : stores) {
        const r = await st.create({ spec, preflight: {} as never, requester: { id: 'a', tenantId: 't' }, ttlMs: 60_000 });
        const time = async (op: string, fn: () => Promise<unknown> | unknown) => {
          const t0 = performance.now();
          await fn();
          (times[name]![op] ??= []).push(performance.now() - t0);
        };
        await time('get', () => st.get(r.id));
        await time('saveConversationRef', () => st.saveConversation(`conv:bench-${i}`, { conversation: { id: `c${i}` }, serviceUrl: 'https://smba.example/' }));
        await time('transition', () => st.transition(r.id, { from: ['pending'], version: 1 }, 'cancelled', { id: 'a', tenantId: 't' }));
      }
    }
    const out: InstancesResult['store'] = [];
    for (const op of ops) {
      const s = times.sqlite![op]!;
      const p = times.postgres![op]!;
      out.push({
        op,
        sqliteP50Ms: round2(percentile(s, 50)),
        sqliteP95Ms: round2(percentile(s, 95)),
        postgresP50Ms: round2(percentile(p, 50)),
        postgresP95Ms: round2(percentile(p, 95)),
      });
    }
    return out;
  } finally {
    sqlite.close();
    await pg.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

const label = (s: Setup) => `${s.instances} instance${s.instances > 1 ? 's' : ''} on ${s.store === 'postgres' ? 'PostgreSQL' : 'SQLite'}`;

export function instancesReport(r: InstancesResult): string {
  const lines = ['instances (round-robin proxy, sandbox without added latency; real bot processes):'];
  for (const s of r.setups) {
    lines.push(
      `  ${label(s)}: chat command p50 ${s.chat.p50Ms} ms, p95 ${s.chat.p95Ms} ms (max ${s.chat.maxMs}, ${s.chat.messages} messages); ` +
        `${s.approvals.requests} approvals at once: click p50 ${s.approvals.clickP50Ms} / p95 ${s.approvals.clickP95Ms} ms, approval to notice p50 ${s.approvals.noticeP50Ms} / p95 ${s.approvals.noticeP95Ms} ms, ` +
        `all done in ${s.approvals.allDoneMs} ms (${s.approvals.perSecond}/s), notices per request ${[...new Set(s.approvals.noticesPerRequest)].join('/')}`,
    );
  }
  lines.push(`  added chat p95 on PostgreSQL: ${r.addedChatP95Ms} ms (target < ${ADDED_P95_TARGET_MS} ms: ${r.addedChatP95Ok ? 'ok' : 'MISSED'})`);
  for (const o of r.store) lines.push(`  store call ${o.op}: SQLite p50 ${o.sqliteP50Ms} / p95 ${o.sqliteP95Ms} ms; PostgreSQL p50 ${o.postgresP50Ms} / p95 ${o.postgresP95Ms} ms`);
  return lines.join('\n');
}

export interface InstancesRow {
  figure: string;
  value: string;
  target: string;
  met: 'met' | 'not met' | '-';
}

export function instancesRows(r: InstancesResult): InstancesRow[] {
  const rows: InstancesRow[] = [];
  for (const s of r.setups) {
    rows.push({
      figure: `${label(s)}: chat command to preflight card, p50 / p95 (${s.chat.messages} messages)`,
      value: `${s.chat.p50Ms} / ${s.chat.p95Ms} ms`,
      target: '-',
      met: '-',
    });
    rows.push({
      figure: `${label(s)}: ${s.approvals.requests} approvals at once: click answered p50 / p95; approval to completion notice p50 / p95`,
      value: `${s.approvals.clickP50Ms} / ${s.approvals.clickP95Ms} ms; ${s.approvals.noticeP50Ms} / ${s.approvals.noticeP95Ms} ms; all in ${s.approvals.allDoneMs} ms`,
      target: 'one notice per request',
      met: s.approvals.noticesPerRequest.every((n) => n === 1) ? 'met' : 'not met',
    });
  }
  rows.push({
    figure: 'PostgreSQL (2 instances) vs SQLite (1): added p95 per chat command (messages alternating between the two)',
    value: `${r.addedChatP95Ms} ms`,
    target: `< ${ADDED_P95_TARGET_MS} ms`,
    met: r.addedChatP95Ok ? 'met' : 'not met',
  });
  for (const o of r.store)
    rows.push({
      figure: `store call ${o.op}, p50 / p95: SQLite vs PostgreSQL (loopback)`,
      value: `${o.sqliteP50Ms} / ${o.sqliteP95Ms} ms vs ${o.postgresP50Ms} / ${o.postgresP95Ms} ms`,
      target: '-',
      met: '-',
    });
  return rows;
}

if (require.main === module) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const outArg = process.argv.indexOf('--out');
  const out = outArg >= 0 ? process.argv[outArg + 1]! : join(__dirname, '..', '..', 'bench', 'instances.json');
  benchInstances({ ...(arg('--messages') ? { messages: arg('--messages')! } : {}), ...(arg('--approvals') ? { approvals: arg('--approvals')! } : {}) })
    .then((r) => {
      console.log(instancesReport(r));
      writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), ...r, rows: instancesRows(r) }, null, 2)}\n`);
      console.log(`written: ${out}`);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}

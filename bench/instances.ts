// Several instances on PostgreSQL vs one on SQLite (issue 14): the same traffic through a
// round-robin proxy (test/multi-instance/cluster.ts: real `node dist/src/index.js` processes, a
// local connector, the sandbox tenant in this process with no added latency, so what differs is
// the store and the number of instances).
//
//   1. chat command latency: "move group Sales to E3" to its preflight card at the connector,
//      one message at a time (every turn also saves the conversation reference: a database write)
//   2. approvals and notices: N single-user requests approved all at once (spread over the
//      instances): the click's answer, approval to completion notice, and all N done
//
// Target: p95 of the chat command no more than 50 ms above SQLite's.
//
//   node dist/bench/instances.js [--messages 100] [--approvals 40] [--out bench/instances.json]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../src/sandbox/index';
import { faultTenant, SANNE, TENANT, upns } from '../test/faults/support';
import type { Posted } from '../test/helpers/connector';
import { Cluster, type StoreKind } from '../test/multi-instance/cluster';

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
}

const round = (x: number) => Math.round(x * 10) / 10;
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

const isCard = (a: Record<string, any>) => Array.isArray(a.attachments) && a.attachments.some((x: { contentType?: string }) => x.contentType === 'application/vnd.microsoft.card.adaptive');
const textOf = (a: Record<string, any>) => `${a.text ?? ''} ${JSON.stringify(a.attachments ?? [])}`;

async function runSetup(setup: Setup, opts: { messages: number; approvals: number }): Promise<SetupResult> {
  const sandbox = await startSandbox({ fixture: faultTenant({ bulk: Math.max(opts.approvals, 1), e3Seats: opts.approvals + 100 }), port: 0 });
  const waiting = new Map<string, (p: Posted) => void>();
  const notices = new Map<string, number[]>();
  const cluster = await Cluster.start({
    ...setup,
    graphBaseUrl: sandbox.graphBaseUrl,
    env: { LOG_LEVEL: 'warn', GROUP_POLL_INTERVAL: '100ms' },
    onPosted: (p) => {
      const replyTo = p.activityId ?? (p.activity.replyToId as string | undefined);
      if (replyTo && isCard(p.activity)) waiting.get(replyTo)?.(p);
      const m = /Change request (\d+) finished/.exec(textOf(p.activity));
      if (m && p.conversationId === 'sanne-chat') notices.set(m[1]!, [...(notices.get(m[1]!) ?? []), p.at]);
    },
  });
  try {
    // 1. Chat command latency.
    const chat: number[] = [];
    await cluster.teams.say('pieter', 'pieter-chat', 'help');
    for (let i = 0; i < opts.messages + 5; i++) {
      const id = `bench-${setup.store}-${i}`;
      const card = new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no preflight card for message ${i}`)), 10_000);
        waiting.set(id, () => {
          clearTimeout(t);
          resolve();
        });
      });
      const t0 = performance.now();
      const post = fetch(`${cluster.proxy.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id,
          text: 'move group Sales to E3',
          channelId: 'msteams',
          serviceUrl: cluster.connector.url,
          locale: 'en-US',
          from: { id: '29:sanne', aadObjectId: SANNE, name: 'Sanne de Vries' },
          recipient: { id: '28:plan-switch', name: 'Plan Switch' },
          conversation: { id: 'sanne-chat', tenantId: TENANT, conversationType: 'personal' },
          channelData: { tenant: { id: TENANT } },
        }),
      }).then((r) => r.text());
      await card;
      if (i >= 5) chat.push(performance.now() - t0); // the first five warm every instance up
      waiting.delete(id);
      await post;
    }

    // 2. Approvals and notices: N one-user requests, then every approval click at once.
    const ids: string[] = [];
    for (const upn of upns('bulk', opts.approvals)) ids.push(await cluster.teams.ask({ principal: { kind: 'user', user: upn }, from: 'E1', to: 'E3' }));
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
    const deadline = Date.now() + 120_000;
    while (ids.some((id) => !notices.has(id))) {
      if (Date.now() > deadline) throw new Error(`notices missing for ${ids.filter((id) => !notices.has(id)).join(', ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const allDoneMs = Math.max(...ids.map((id) => notices.get(id)![0]!)) - t0;
    await new Promise((r) => setTimeout(r, 1_000)); // a second sender would show by now
    const noticeMs = ids.map((id) => notices.get(id)![0]! - approvedAt.get(id)!);
    return {
      ...setup,
      chat: { messages: chat.length, p50Ms: round(percentile(chat, 50)), p95Ms: round(percentile(chat, 95)), maxMs: round(Math.max(...chat)) },
      approvals: {
        requests: ids.length,
        clickP50Ms: round(percentile(clicks, 50)),
        clickP95Ms: round(percentile(clicks, 95)),
        noticeP50Ms: round(percentile(noticeMs, 50)),
        noticeP95Ms: round(percentile(noticeMs, 95)),
        allDoneMs,
        perSecond: round((ids.length / allDoneMs) * 1000),
        noticesPerRequest: ids.map((id) => notices.get(id)!.length),
      },
    };
  } finally {
    await cluster.close();
    await sandbox.close();
  }
}

export async function benchInstances(opts: { messages?: number; approvals?: number } = {}): Promise<InstancesResult> {
  const o = { messages: opts.messages ?? 100, approvals: opts.approvals ?? 40 };
  const setups: SetupResult[] = [];
  for (const s of [{ store: 'sqlite', instances: 1 }, { store: 'postgres', instances: 2 }] as Setup[]) setups.push(await runSetup(s, o));
  const [sqlite, pg] = setups as [SetupResult, SetupResult];
  const added = round(pg.chat.p95Ms - sqlite.chat.p95Ms);
  return { setups, addedChatP95Ms: added, addedChatP95Ok: added < ADDED_P95_TARGET_MS };
}

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
    rows.push({ figure: `${label(s)}: chat command to preflight card, p50 / p95 (${s.chat.messages} messages)`, value: `${s.chat.p50Ms} / ${s.chat.p95Ms} ms`, target: '-', met: '-' });
    rows.push({
      figure: `${label(s)}: ${s.approvals.requests} approvals at once: click answered p50 / p95; approval to completion notice p50 / p95`,
      value: `${s.approvals.clickP50Ms} / ${s.approvals.clickP95Ms} ms; ${s.approvals.noticeP50Ms} / ${s.approvals.noticeP95Ms} ms; all in ${s.approvals.allDoneMs} ms`,
      target: 'one notice per request',
      met: s.approvals.noticesPerRequest.every((n) => n === 1) ? 'met' : 'not met',
    });
  }
  rows.push({ figure: 'PostgreSQL (2 instances) vs SQLite (1): added p95 per chat command', value: `${r.addedChatP95Ms} ms`, target: `< ${ADDED_P95_TARGET_MS} ms`, met: r.addedChatP95Ok ? 'met' : 'not met' });
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

// Chat latency benchmark (issue 6): the whole bot (`node dist/src/index.js`: restify, CloudAdapter
// in local mode, the bot, the license service and the demo tenant's sandbox, no added latency) in a
// child process; this process plays Teams. It posts `move group Sales to E3` to /api/messages as a
// demo-tenant License Admin and runs a tiny connector on 127.0.0.1 (the activities' serviceUrl)
// that receives the bot's replies. Measured: from just before the POST to the moment the preflight
// card (an Adaptive Card reply to that message) reaches the connector; 200 messages, one at a time.
//
// Target: p95 under 300 ms.
//
//   node dist/bench/chat.js [--messages 200] [--json]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startConnector } from '../test/helpers/connector';
import { freePort } from '../test/helpers/net';

export const CHAT_TARGET_P95_MS = 300;

const TENANT = '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';
const ADMIN = 'a11ce000-0000-4000-8000-000000000001';
const ROOT = join(__dirname, '..', '..');

export interface ChatResult {
  messages: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  minMs: number;
  /** The very first message after the bot started (included in the percentiles). */
  firstMs: number;
  p95Ok: boolean;
  /** What the card said (its first text), to show it was the preflight card. */
  cardTitle: string;
}

const isCard = (a: Record<string, any>) =>
  Array.isArray(a.attachments) && a.attachments.some((x: { contentType?: string }) => x.contentType === 'application/vnd.microsoft.card.adaptive');

function firstText(a: Record<string, any>): string {
  const card = a.attachments?.find((x: { contentType?: string }) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  const walk = (el: any): string | undefined => {
    if (!el || typeof el !== 'object') return undefined;
    if (el.type === 'TextBlock' && typeof el.text === 'string') return el.text;
    for (const k of ['body', 'items', 'columns']) {
      if (Array.isArray(el[k]))
        for (const c of el[k]) {
          const t = walk(c);
          if (t) return t;
        }
    }
    return undefined;
  };
  return walk(card) ?? '';
}

function percentile(sorted: number[], p: number): number {
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

const round = (x: number) => Math.round(x * 10) / 10;

export async function benchChat(opts: { messages?: number } = {}): Promise<ChatResult> {
  const messages = opts.messages ?? 200;
  const dir = mkdtempSync(join(tmpdir(), 'ps-chat-'));
  // The message being measured (one at a time). Its card is the first card posted in the chat
  // after it: the bot answers a message the proactive way (src/bot/jobs.ts), not as a reply in the turn.
  let waiting: ((a: Record<string, any>) => void) | undefined;
  const connector = await startConnector({
    onPosted: ({ conversationId, activity }) => {
      if (conversationId !== 'bench-chat' || !isCard(activity)) return;
      waiting?.(activity);
    },
  });
  const [port, sandboxPort] = await Promise.all([freePort(), freePort()]);
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'index.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), SANDBOX_PORT: String(sandboxPort), STATE_DB: join(dir, 'state.db'), LOG_FORMAT: 'json', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the bot exited while starting:\n${output}`);
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`the bot did not start in 60 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const times: number[] = [];
    let cardTitle = '';
    for (let i = 1; i <= messages; i++) {
      const id = `bench-msg-${i}`;
      const activity = {
        type: 'message',
        id,
        text: 'move group Sales to E3',
        channelId: 'msteams',
        serviceUrl: connector.url,
        locale: 'en-US',
        from: { id: '29:bench-admin', aadObjectId: ADMIN, name: 'Bench Admin' },
        recipient: { id: '28:plan-switch', name: 'Plan Switch' },
        conversation: { id: 'bench-chat', tenantId: TENANT, conversationType: 'personal' },
        channelData: { tenant: { id: TENANT } },
      };
      const card = new Promise<Record<string, any>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no card for message ${i} in 10 s`)), 10_000);
        waiting = (a) => {
          clearTimeout(timer);
          resolve(a);
        };
      });
      const t0 = performance.now();
      const posted = fetch(`${url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) }).then(async (r) => {
        await r.text();
        if (r.status >= 400) throw new Error(`/api/messages answered ${r.status}`);
      });
      const reply = await card;
      times.push(performance.now() - t0);
      waiting = undefined;
      await posted;
      if (i === 1) {
        cardTitle = firstText(reply);
        if (!/preflight|check|E3/i.test(JSON.stringify(reply))) throw new Error(`the first card does not look like a preflight: ${cardTitle}`);
      }
    }
    const sorted = [...times].sort((a, b) => a - b);
    const p95 = percentile(sorted, 95);
    return {
      messages,
      p50Ms: round(percentile(sorted, 50)),
      p95Ms: round(p95),
      maxMs: round(sorted[sorted.length - 1]!),
      minMs: round(sorted[0]!),
      firstMs: round(times[0]!),
      p95Ok: p95 < CHAT_TARGET_P95_MS,
      cardTitle,
    };
  } finally {
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5_000))]);
    if (code === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function chatReport(r: ChatResult): string {
  return [
    `chat latency ("move group Sales to E3" -> preflight card at the connector; whole bot in a child process, demo tenant, no added latency; ${r.messages} messages one at a time)`,
    `  p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms (target < ${CHAT_TARGET_P95_MS} ms: ${r.p95Ok ? 'ok' : 'MISSED'}); min ${r.minMs}, max ${r.maxMs}, first message ${r.firstMs} ms; card: "${r.cardTitle}"`,
  ].join('\n');
}

if (require.main === module) {
  const i = process.argv.indexOf('--messages');
  benchChat(i >= 0 ? { messages: Number(process.argv[i + 1]) } : {})
    .then((r) => {
      console.log(chatReport(r));
      if (process.argv.includes('--json')) console.log(JSON.stringify(r));
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}

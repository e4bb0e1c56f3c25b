// End to end through the Microsoft 365 Agents Playground (a Teams-like client, offline): the whole
// app as `npm start` runs it (sandbox tenant, SQLite store, workflow, CloudAdapter in local mode,
// restify), and the playground sending messages and card actions over its HTTP API. Bot messages
// are read from the playground's WebSocket stream, so proactive notices are seen as a user would.
//
//   npm run test:e2e
//
// Note: the playground (0.2.x) sends every chat message as its configured current user (Sanne);
// card actions (invokes) honour `from`, so Pieter approves by clicking.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../../../src/index';
import { silentLogger } from '../../../src/bot/deps';
import { freePort } from '../../helpers/net';

const ROOT = join(__dirname, '..', '..', '..', '..');
const CHAT = 'plan-switch-license-admins';
const BOT = '28:plan-switch';

interface StreamMessage {
  action: string;
  actionConversationId: string;
  message: { messageId: string; from?: { id: string }; text?: string; attachments?: { content: any }[] };
}

function actionsOf(card: unknown): { verb: string; data: any; title: string }[] {
  const out: { verb: string; data: any; title: string }[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, any>;
      if (o.type === 'Action.Execute' && typeof o.verb === 'string') out.push({ verb: o.verb, data: o.data, title: o.title });
      for (const [k, v] of Object.entries(o)) if (k !== 'refresh') walk(v);
    }
  };
  walk(card);
  return out;
}

const textOf = (card: unknown) => JSON.stringify(card);

describe('e2e: the bot in the Microsoft 365 Agents Playground', function () {
  this.timeout(90_000);
  let app: App;
  let playground: ChildProcess;
  let pgUrl: string;
  let ws: { close(): void };
  const stream: StreamMessage[] = [];
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plan-switch-e2e-'));
    const [botPort, sandboxPort, pgPort] = [await freePort(), await freePort(), await freePort()];
    app = await startApp(
      {
        PORT: String(botPort),
        SANDBOX_PORT: String(sandboxPort),
        STATE_DB: join(dir, 'state.db'),
        APPROVERS: 'group:a11ce000-0000-4000-8000-000000000100',
      },
      silentLogger,
    );
    copyFileSync(join(ROOT, '.m365agentsplayground.yml'), join(dir, '.m365agentsplayground.yml'));
    pgUrl = `http://127.0.0.1:${pgPort}`;
    playground = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js'),
        '-e',
        `http://127.0.0.1:${botPort}/api/messages`,
        '-c',
        'msteams',
        '-p',
        String(pgPort),
        '--disable-telemetry',
      ],
      { cwd: dir, env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: 'ignore' },
    );
    for (let i = 0; ; i++) {
      try {
        const r = await fetch(`${pgUrl}/_internal/v1/config`);
        if (r.ok) break;
      } catch {
        /* not up yet */
      }
      if (i > 100) throw new Error('the Agents Playground did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    // Node 20 has WebSocket only behind a flag; botbuilder brings `ws`.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- Node 20 has no global WebSocket: the ws package
    const WS = ((globalThis as any).WebSocket as any) ?? require('ws');
    const sock = new WS(`ws://127.0.0.1:${pgPort}/_ws_conversation/v1/conversations/stream`);
    await new Promise<void>((resolve, reject) => {
      sock.onopen = () => resolve();
      sock.onerror = (e: unknown) => reject(e);
    });
    sock.onmessage = (e: { data: unknown }) => {
      try {
        stream.push(JSON.parse(String(e.data)));
      } catch {
        /* not JSON */
      }
    };
    ws = sock;
  });

  after(async () => {
    ws?.close();
    if (playground && playground.exitCode === null) {
      const exited = new Promise<void>((resolve) => playground.once('exit', () => resolve()));
      playground.kill('SIGTERM');
      const timer = setTimeout(() => playground.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
    const r = await fetch(pgUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const t = await r.text();
    return { status: r.status, body: t ? JSON.parse(t) : undefined };
  }

  async function waitFor(pred: (m: StreamMessage) => boolean, what: string, timeoutMs = 20_000): Promise<StreamMessage> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const m = stream.find(pred);
      if (m) return m;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; got ${stream.map((s) => s.action).join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function say(text: string): Promise<StreamMessage> {
    const seen = stream.length;
    const r = await post(`/_conversation/v1/conversations/${CHAT}/messages`, {
      from: { id: '29:sanne' },
      text: `<at>Plan Switch</at> ${text}`,
      textFormat: 'plain',
      mentions: [{ mentioned: { id: BOT }, text: '<at>Plan Switch</at>' }],
    });
    assert.equal(r.status, 200);
    return waitFor((m) => stream.indexOf(m) >= seen && m.action === 'createMessage' && m.message.from?.id === BOT, `a reply to "${text}"`);
  }

  async function click(who: string, replyToId: string, verb: string, data: unknown): Promise<any> {
    const r = await post('/_conversation/v1/invoke', {
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      from: { id: who },
      conversation: { id: CHAT },
      replyToId,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.value ?? r.body;
  }

  it('answers help and plans', async () => {
    const help = await say('help');
    assert.match(textOf(help.message.attachments![0]!.content), /move group Sales to E3/);
    const plans = await say('licenties');
    assert.match(textOf(plans.message.attachments![0]!.content), /Licentieplannen in deze tenant/);
  });

  it('move group Sales to E3: preflight, request, another admin approves, the card updates and the completion notice arrives', async () => {
    const pre = await say('move group Sales to E3');
    const preCard = pre.message.attachments![0]!.content;
    assert.match(textOf(preCard), /Preflight check/);
    const withDirect = actionsOf(preCard).find((a) => a.verb === 'preflight' && a.data.includeDirectCopies)!;
    const checked = await click('29:sanne', pre.message.messageId, 'preflight', withDirect.data);
    const request = actionsOf(checked).find((a) => a.verb === 'request')!;
    const status = await click('29:sanne', pre.message.messageId, 'request', request.data);
    assert.match(textOf(status), /Waiting for approval/);
    const requestId = actionsOf(status).find((a) => a.verb === 'cancel')!.data.requestId as string;

    // The preflight card is replaced for everyone, and an approval card is posted.
    await waitFor((m) => m.action === 'updateMessage' && m.message.messageId === pre.message.messageId, 'the preflight card updated in place');
    const approval = await waitFor(
      (m) => m.action === 'createMessage' && m.message.messageId !== pre.message.messageId && textOf(m.message.attachments?.[0]?.content).includes(`Change request ${requestId}`),
      'the approval card',
    );

    const view = await click('29:pieter', approval.message.messageId, 'refresh', { requestId });
    const approve = actionsOf(view).find((a) => a.verb === 'approve')!;
    assert.ok(approve, 'Pieter, an approver, sees Approve');

    const own = await click('29:sanne', approval.message.messageId, 'approve', approve.data);
    assert.match(textOf(own), /someone else has to approve/);

    const running = await click('29:pieter', approval.message.messageId, 'approve', approve.data);
    assert.match(textOf(running), /Approved — running…/);
    assert.deepEqual(actionsOf(running), []);

    const done = await waitFor(
      (m) => m.action === 'createMessage' && textOf(m.message.attachments?.[0]?.content).includes(`Change request ${requestId} finished`),
      'the completion notice',
      30_000,
    );
    const text = textOf(done.message.attachments![0]!.content);
    assert.match(text, /Done: every member has the new plan/);
    assert.match(text, /10 members done/);
    assert.ok(
      stream.some((m) => m.action === 'updateMessage' && m.message.messageId === approval.message.messageId),
      'the approval card was updated in place',
    );
  });
});

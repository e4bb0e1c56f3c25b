// Runs test/hostile/corpus.ts against the real application (startApp: restify, CloudAdapter in
// local mode, PlanSwitchBot, SQLite store, workflow, LicenseService) on the sandbox tenant, with a
// connector look-alike receiving the bot's replies, and the plan-switch CLI as a child process.
// Every case must get its clear answer or a proper HTTP error; nothing may leak a stack trace
// (answers, replies, log lines, stderr); the app keeps serving; no Graph write happens.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../../src/index';
import { createLogger } from '../../src/log';
import { withSandbox, type TenantFixture } from '../helpers/sandbox';
import { CORPUS, DELETE, HOSTILE_NAMES, REQ, type ActivityCase, type CliCase, type RawCase, type Who } from './corpus';
import { settledInvokeAnswer, settledReplies, startConnector, type Connector } from '../helpers/connector';
import { freePort } from '../helpers/net';
import { activityText, cardText, STACK } from './support';

const ROOT = join(__dirname, '..', '..', '..');
const TENANT = '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';
const LICENSE_ADMINS = 'a11ce000-0000-4000-8000-000000000100';
const SANNE = 'a11ce000-0000-4000-8000-000000000001';
const PIETER = 'a11ce000-0000-4000-8000-000000000002';
const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
const ERROR_TYPE = 'application/vnd.microsoft.error';
const SEARCH_TYPE = 'application/vnd.microsoft.search.searchResponse';
const BATCH = 20;

function fixture(): TenantFixture {
  const demo = JSON.parse(readFileSync(join(ROOT, 'data', 'demo-tenant.json'), 'utf8')) as TenantFixture;
  return {
    ...demo,
    users: [...(demo.users ?? []), ...HOSTILE_NAMES.users],
    groups: [...(demo.groups ?? []), ...HOSTILE_NAMES.groups],
    behavior: { groupProcessingMs: 50, latencyMs: 0 },
  } as TenantFixture;
}

describe('hostile input: /api/messages and the CLI (test/hostile/corpus.ts)', function () {
  this.timeout(60_000);
  const sb = withSandbox(fixture);
  let dir: string;
  let app: App;
  let connector: Connector;
  const logLines: string[] = [];
  const stderr: string[] = [];
  let restoreStderr: (() => void) | undefined;
  let janId: string;
  let n = 0;

  const activityCases = CORPUS.filter((c): c is ActivityCase | RawCase => c.kind !== 'cli');
  const cliCases = CORPUS.filter((c): c is CliCase => c.kind === 'cli');

  before(async function () {
    this.timeout(60_000);
    assert.ok(CORPUS.length >= 100, `at least 100 cases (${CORPUS.length})`);
    dir = mkdtempSync(join(tmpdir(), 'plan-switch-hostile-'));
    connector = await startConnector();
    janId = (await sb.get('/users/jan.devries@contoso.example')).body.id;
    const log = createLogger({ format: 'json', write: (line) => logLines.push(line) });
    app = await startApp(
      {
        PORT: String(await freePort()),
        GRAPH_BASE_URL: sb.graphBaseUrl,
        STATE_DB: join(dir, 'state.db'),
        APPROVERS: `group:${LICENSE_ADMINS}`,
        LOG_FORMAT: 'json',
      },
      log,
    );
    // Anything else written to stderr while the corpus runs (a library's console.error, Node's
    // warnings) is kept too, and checked for stack traces.
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
      stderr.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    restoreStderr = () => {
      process.stderr.write = write;
    };

    // Request 1: Sanne asks to move group Sales to E3 (pending, version 1).
    const conv = 'setup';
    const pre = await post(activity({ kind: 'activity', name: 'setup', text: 'move group Sales to E3', expect: { status: 200 } }, conv));
    assert.equal(pre.status, 200);
    await connector.waitFor(conv, 1);
    const preflight = (await settledReplies(connector, conv)).at(-1);
    const button = findAction(preflight!.activity.attachments?.[0]?.content, 'request');
    assert.ok(button, `the preflight card offers "request": ${activityText(preflight!.activity)}`);
    const asked = await post(
      activity(
        {
          kind: 'activity',
          name: 'setup',
          type: 'invoke',
          invoke: { name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'request', data: button.data } } },
          expect: { status: 200 },
        },
        conv,
      ),
    );
    assert.match(cardText(((await settledInvokeAnswer(connector, conv, `card-${conv}`, await asked.json())) as { value: unknown }).value), /Change request 1\b/);
    await app.bot.whenIdle();
    await app.requests.workflow.whenIdle();
    assert.equal((await app.requests.store.get(REQ))?.state, 'pending');
    await sb.clearRequests();
  });

  after(async () => {
    restoreStderr?.();
    await app?.close();
    await connector?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function identity(who: Who): Record<string, unknown> {
    switch (who) {
      case 'sanne':
        return { id: '29:sanne', aadObjectId: SANNE, name: 'Sanne de Vries' };
      case 'pieter':
        return { id: '29:pieter', aadObjectId: PIETER, name: 'Pieter Bakker' };
      case 'jan':
        return { id: '29:jan', aadObjectId: janId, name: 'Jan de Vries' };
      case 'ghost':
        return { id: '29:ghost', aadObjectId: '00000000-0000-4000-8000-00000000dead', name: 'Ghost' };
      case 'noAad':
        return { id: '29:anon', name: 'Anon' };
      case 'upnAsId':
        return { id: '29:sanne', aadObjectId: 'sanne.devries@contoso.example', name: 'Sanne' };
      case 'injectedId':
        return { id: '29:x', aadObjectId: "' or 1 eq 1 or id ne '", name: 'x' };
      case 'longId':
        return { id: '29:y', aadObjectId: 'a'.repeat(128), name: 'y' };
    }
  }

  function activity(c: ActivityCase, conv: string): Record<string, unknown> {
    const tenant = c.tenant === undefined ? TENANT : c.tenant;
    const type = c.type ?? 'message';
    const a: Record<string, unknown> = {
      type,
      id: `act-${conv}`,
      channelId: 'msteams',
      serviceUrl: connector.url,
      timestamp: new Date().toISOString(),
      locale: c.locale ?? 'en-US',
      from: identity(c.who ?? 'sanne'),
      recipient: { id: '28:plan-switch', name: 'Plan Switch' },
      conversation: { id: conv, conversationType: 'personal', ...(tenant ? { tenantId: tenant } : {}) },
      ...(tenant ? { channelData: { tenant: { id: tenant } } } : {}),
    };
    if (type === 'message' && c.text !== undefined) a.text = c.text;
    if (c.invoke) {
      if (c.invoke.name !== undefined) a.name = c.invoke.name;
      a.value = c.invoke.value;
      a.replyToId = `card-${conv}`;
    }
    for (const [k, v] of Object.entries(c.patch ?? {})) {
      if (v === DELETE) delete a[k];
      else a[k] = JSON.parse(JSON.stringify(v).replace(/"CONV"/g, JSON.stringify(conv)));
    }
    return a;
  }

  function post(a: Record<string, unknown>): Promise<Response> {
    return fetch(`${app.server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(a) });
  }

  function findAction(card: unknown, verb: string): { data: unknown } | undefined {
    let found: { data: unknown } | undefined;
    const walk = (x: unknown) => {
      if (found || !x || typeof x !== 'object') return;
      if (Array.isArray(x)) return x.forEach(walk);
      const o = x as Record<string, unknown>;
      if (o.type === 'Action.Execute' && o.verb === verb) found = { data: o.data };
      for (const [k, v] of Object.entries(o)) if (k !== 'refresh') walk(v);
    };
    walk(card);
    return found;
  }

  async function runRaw(c: RawCase): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(c.headers ?? {}) };
    const body0 = typeof c.body === 'function' ? c.body() : c.body;
    let body: string | Uint8Array | undefined = body0;
    if (headers['content-type'] === '') {
      delete headers['content-type'];
      if (typeof body === 'string') body = new Uint8Array(Buffer.from(body)); // fetch adds text/plain to a string
    }
    if (Buffer.isBuffer(body)) body = new Uint8Array(body);
    const res = await fetch(`${app.server.url}${c.path ?? '/api/messages'}`, { method: c.method ?? 'POST', headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    assert.equal(res.status, c.expect.status, `${c.name}: HTTP ${res.status} ${text.slice(0, 300)}`);
    assert.doesNotMatch(text, STACK, `${c.name}: no stack trace in the answer`);
    if (res.status >= 400) {
      const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
      assert.ok(parsed.error?.code && parsed.error.message, `${c.name}: a JSON error with code and message: ${text}`);
      if (c.expect.error) assert.match(parsed.error.message!, c.expect.error, c.name);
    }
  }

  async function runActivity(c: ActivityCase, conv: string): Promise<void> {
    const res = await post(activity(c, conv));
    const text = await res.text();
    const e = c.expect;
    assert.equal(res.status, e.status, `${c.name}: HTTP ${res.status} ${text.slice(0, 300)}`);
    assert.doesNotMatch(text, STACK, `${c.name}: no stack trace in the answer`);
    if (e.error) assert.match(JSON.parse(text).error.message, e.error, c.name);
    let answer = '';
    if (e.invoke) {
      const body = (await settledInvokeAnswer(connector, conv, `card-${conv}`, JSON.parse(text))) as { statusCode: number; type: string; value: any };
      const type = { card: CARD_TYPE, error: ERROR_TYPE, search: SEARCH_TYPE }[e.invoke.type];
      assert.equal(body.type, type, `${c.name}: answered ${body.type}: ${text.slice(0, 300)}`);
      answer = e.invoke.type === 'card' ? cardText(body.value) : e.invoke.type === 'error' ? String(body.value?.message) : JSON.stringify(body.value);
      if (e.invoke.text) assert.match(answer, e.invoke.text, `${c.name}: ${answer.slice(0, 500)}`);
      if (e.invoke.results !== undefined) assert.equal(body.value.results.length, e.invoke.results, c.name);
    }
    if (e.reply) {
      await connector.waitFor(conv, 1, 5_000);
      const posted = await settledReplies(connector, conv);
      const said = posted.map((p) => activityText(p.activity)).join('\n---\n');
      assert.ok(posted.length > 0, `${c.name}: the bot answered in the conversation`);
      assert.match(said, e.reply, `${c.name}: ${said.slice(0, 500)}`);
    }
    if (e.noReply) {
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(
        connector.to(conv).map((p) => activityText(p.activity)),
        [],
        `${c.name}: nothing said`,
      );
    }
    const everything = text + JSON.stringify(connector.to(conv).map((p) => p.activity));
    assert.doesNotMatch(everything, STACK, `${c.name}: no stack trace in what the bot said`);
    if (e.literal) assert.ok(everything.includes(e.literal), `${c.name}: shows ${e.literal} as text: ${everything.slice(0, 800)}`);
    if (e.notLiteral) assert.ok(!everything.includes(e.notLiteral), `${c.name}: ${e.notLiteral} is neutralised: ${everything.slice(0, 800)}`);
  }

  activityCases.forEach((c, i) => {
    it(`${c.kind === 'raw' ? 'http' : (c.type ?? 'message')}: ${c.name}`, async () => {
      const conv = `hostile-${++n}`;
      if (c.kind === 'raw') await runRaw(c);
      else await runActivity(c, conv);
    });
    if ((i + 1) % BATCH === 0 || i === activityCases.length - 1) {
      it(`still serving after case ${i + 1} (GET /healthz and /readyz)`, async () => {
        assert.equal((await fetch(`${app.server.url}/healthz`)).status, 200);
        assert.equal((await fetch(`${app.server.url}/readyz`)).status, 200);
      });
    }
  });

  describe('the CLI', () => {
    let files: string;
    before(() => {
      files = mkdtempSync(join(tmpdir(), 'plan-switch-hostile-cli-'));
    });
    after(() => rmSync(files, { recursive: true, force: true }));

    function runCli(c: CliCase, i: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
      let argv = c.argv;
      if (c.file !== undefined) {
        const path = join(files, `users-${i}.txt`);
        writeFileSync(path, c.file);
        argv = argv.map((a) => (a === '{FILE}' ? path : a));
      }
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'cli', 'main.js'), ...argv], {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', GRAPH_BASE_URL: sb.graphBaseUrl },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let err = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (err += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr: err });
        });
      });
    }

    cliCases.forEach((c, i) => {
      it(`cli: ${c.name}`, async () => {
        const r = await runCli(c, i);
        const codes = Array.isArray(c.expect.code) ? c.expect.code : [c.expect.code];
        assert.ok(codes.includes(r.code ?? -1), `${c.name}: exit ${r.code}\nstdout: ${r.stdout.slice(0, 400)}\nstderr: ${r.stderr.slice(0, 400)}`);
        if (c.expect.stdout) assert.match(r.stdout, c.expect.stdout, `${c.name}: ${r.stdout.slice(0, 400)}`);
        if (c.expect.stderr) assert.match(r.stderr, c.expect.stderr, `${c.name}: ${r.stderr.slice(0, 400)}`);
        assert.doesNotMatch(r.stdout + r.stderr, STACK, `${c.name}: no stack trace`);
      });
    });
  });

  describe('afterwards', () => {
    it('no Graph write happened (sandbox request log: reads only)', async () => {
      const log = await sb.requests();
      const writes = log.filter((r) => r.method !== 'GET' && !(r.path === '/$batch' && !r.batch));
      assert.deepEqual(
        writes.map((w) => `${w.method} ${w.path}`),
        [],
      );
      assert.ok(log.length > 0, 'the corpus did read the tenant');
    });

    it('request 1 is still pending at version 1; every refusal is in its audit trail', async () => {
      const r = (await app.requests.store.get(REQ))!;
      assert.equal(r.state, 'pending');
      assert.equal(r.version, 1);
      const actions = (await app.requests.store.audit(REQ)).map((e) => e.action);
      assert.equal(actions[0], 'requested');
      assert.ok(
        actions.slice(1).every((a) => a === 'refused'),
        actions.join(', '),
      );
      assert.equal((await app.requests.store.list({})).length, 1, 'no other request was created');
    });

    it('no stack trace in any log line or on stderr; every log line is one JSON object', () => {
      assert.ok(logLines.length > 0);
      for (const line of logLines) {
        assert.doesNotMatch(line, STACK, line);
        const parsed = JSON.parse(line) as Record<string, unknown>;
        assert.ok(parsed.ts && parsed.level && parsed.event, line);
      }
      for (const s of stderr) assert.doesNotMatch(s, STACK, s);
    });

    it('nothing polluted Object.prototype', () => {
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
    });

    it('the app still serves a normal request', async () => {
      const conv = 'after-all';
      const res = await post(activity({ kind: 'activity', name: 'after', text: 'plans', expect: { status: 200 } }, conv));
      assert.equal(res.status, 200);
      const [reply] = await connector.waitFor(conv, 1);
      assert.match(activityText(reply!.activity), /Office 365 E3/);
    });
  });
});

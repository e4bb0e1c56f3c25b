// Production settings: with MicrosoftAppId every request's Bot Framework token is validated by
// the SDK (here against a local OpenID key set standing in for login.botframework.com), local
// mode serves loopback only, and secrets never reach the logs of the real process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { createAdapter, processHttp } from '../../src/server/adapter';
import { startServer, type RunningServer } from '../../src/server/http';
import { captureConsole, silentLogger } from '../../src/log';
import { withSandbox } from '../helpers/sandbox';
import { freePort } from '../helpers/net';
import { STACK } from '../hostile/support';

const ROOT = join(__dirname, '..', '..', '..');
const APP_ID = '11111111-2222-4333-8444-555555555555';
const TENANT = '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';
const ISSUER = 'https://api.botframework.com';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function jwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  const sig = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key);
  return `${head}.${body}.${b64url(sig)}`;
}

function activity(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: 'a1',
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: { id: '29:x', aadObjectId: 'a11ce000-0000-4000-8000-000000000001' },
    recipient: { id: `28:${APP_ID}` },
    conversation: { id: 'c1', tenantId: TENANT },
    value: {},
    ...extra,
  };
}

describe('production: Bot Framework tokens are validated by the SDK on every request', function () {
  this.timeout(20_000);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let keys: http.Server;
  let server: RunningServer;
  let turns = 0;
  let restoreConsole: () => void = () => {};

  before(async () => {
    // The SDK prints refused tokens (stack and key) with console.error; the app routes that
    // through its logger (src/index.ts main), here into silence.
    restoreConsole = captureConsole(silentLogger);
    const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    keys = http.createServer((req, res) => {
      const port = (keys.address() as { port: number }).port;
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/openid') res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `http://127.0.0.1:${port}/keys` }));
      else res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: 'k1', n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] }));
    });
    await new Promise<void>((r) => keys.listen(0, '127.0.0.1', () => r()));
    const metadata = `http://127.0.0.1:${(keys.address() as { port: number }).port}/openid`;
    const adapter = createAdapter({ localMode: false, bot: { appId: APP_ID, appPassword: 'not-used-here', appType: 'SingleTenant', appTenantId: TENANT } }, silentLogger, {
      // The public cloud's values, with the key set served locally.
      ToBotFromChannelOpenIdMetadataUrl: metadata,
      ToBotFromEmulatorOpenIdMetadataUrl: metadata,
      ToBotFromChannelTokenIssuer: ISSUER,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      OAuthUrl: 'https://api.botframework.com',
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: true,
    });
    const logic = async (ctx: TurnContext) => {
      turns++;
      await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: { ok: true } } });
    };
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      localMode: false,
      log: silentLogger,
      processActivity: (req, res) => processHttp(adapter, req, res, logic, silentLogger),
    });
  });
  after(async () => {
    restoreConsole();
    await server?.close();
    await new Promise<void>((r) => keys?.close(() => r()));
  });

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (over: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: APP_ID, serviceurl: SERVICE_URL, nbf: now() - 60, exp: now() + 600, ...over });

  async function send(token?: string, body = activity()): Promise<{ status: number; text: string }> {
    const res = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: token } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  }

  it('refuses what is not a valid token for this bot (401, nothing runs), accepts one that is', async () => {
    const refused: [string, string | undefined][] = [
      ['no token', undefined],
      ['not a bearer token', 'Basic dXNlcjpwYXNz'],
      ['garbage', 'Bearer not.a.jwt'],
      ['signed by another key', `Bearer ${jwt(other.privateKey, 'k1', claims())}`],
      ['unknown key id', `Bearer ${jwt(privateKey, 'k9', claims())}`],
      ['for another bot', `Bearer ${jwt(privateKey, 'k1', claims({ aud: '99999999-2222-4333-8444-555555555555' }))}`],
      ['from another issuer', `Bearer ${jwt(privateKey, 'k1', claims({ iss: 'https://evil.example' }))}`],
      ['expired', `Bearer ${jwt(privateKey, 'k1', claims({ nbf: now() - 7200, exp: now() - 3600 }))}`],
      ['for another serviceUrl', `Bearer ${jwt(privateKey, 'k1', claims({ serviceurl: 'https://evil.example/' }))}`],
    ];
    for (const [what, token] of refused) {
      const r = await send(token);
      assert.equal(r.status, 401, `${what}: ${r.status} ${r.text}`);
      assert.deepEqual(JSON.parse(r.text), { error: { code: 'Unauthorized', message: 'The request is not authorized: a valid Bot Framework token is required.' } });
    }
    assert.equal(turns, 0, 'no refused request reached the bot');

    const ok = await send(`Bearer ${jwt(privateKey, 'k1', claims())}`);
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(JSON.parse(ok.text), { ok: true });
    assert.equal(turns, 1);
  });
});

describe('production: local mode serves loopback only', () => {
  it('a peer on another interface gets 403 (when this machine has one)', async function () {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!external) this.skip();
    const server = await startServer({
      host: '0.0.0.0',
      port: 0,
      localMode: true,
      log: silentLogger,
      processActivity: async (_req, res) => {
        res.send(200, {});
      },
    });
    try {
      const res = await fetch(`http://${external}:${server.port}/healthz`);
      assert.equal(res.status, 403);
      assert.equal(((await res.json()) as any).error.code, 'Forbidden');
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status, 200);
    } finally {
      await server.close();
    }
  });
});

describe('production: secrets never reach the logs (the real process, start-up and failing calls)', function () {
  this.timeout(60_000);
  const sb = withSandbox(join(ROOT, 'data', 'demo-tenant.json'));
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plan-switch-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('MicrosoftAppPassword, AZURE_CLIENT_SECRET and a bearer token appear nowhere in stdout or stderr; every line is JSON', async () => {
    const APP_PASSWORD = 'Sup3r~Secret.AppPassword-0f9e8d';
    const CLIENT_SECRET = 'azure~client~secret~value~7c6b5a';
    const TOKEN = jwt(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, 'kx', { iss: ISSUER, aud: APP_ID, secret: APP_PASSWORD });
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'index.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: APP_PASSWORD,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT,
        AZURE_CLIENT_SECRET: CLIENT_SECRET,
        GRAPH_BASE_URL: sb.graphBaseUrl,
        HOST: '127.0.0.1',
        PORT: String(port),
        STATE_DB: join(dir, 'state.db'),
        APPROVERS: 'group:a11ce000-0000-4000-8000-000000000100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    try {
      const base = `http://127.0.0.1:${port}`;
      const end = Date.now() + 30_000;
      while (
        !(await fetch(`${base}/healthz`).then(
          (r) => r.ok,
          () => false,
        ))
      ) {
        if (Date.now() > end) throw new Error(`the bot did not start:\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Failing calls: no token, a forged token (the SDK cannot validate it), Graph failing behind /readyz.
      const post = (headers: Record<string, string>) =>
        fetch(`${base}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(activity({ type: 'message', text: 'help' })),
        });
      assert.equal((await post({})).status, 401);
      const forged = await post({ authorization: `Bearer ${TOKEN}`, 'x-debug': APP_PASSWORD });
      assert.ok([401, 500].includes(forged.status), String(forged.status));
      assert.ok(!(await forged.text()).includes(APP_PASSWORD));
      await sb.fault({ path: '/organization', status: 403, times: 5 });
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 503);
      // Unauthenticated probes name no Graph URL, tenant or file path in production.
      assert.deepEqual(await ready.json(), { status: 'unavailable' });
      assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { status: 'ok' });
      await sb.clearFaults();
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    const all = out + err;
    for (const secret of [APP_PASSWORD, CLIENT_SECRET, TOKEN, TOKEN.split('.')[1]!]) assert.ok(!all.includes(secret), `a secret leaked:\n${all}`);
    const lines = all.split('\n').filter((l) => l.trim());
    assert.ok(lines.length >= 5, all);
    for (const line of lines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      assert.ok(parsed.ts && parsed.level && parsed.event, line);
      assert.doesNotMatch(line, STACK, line);
    }
    const events = lines.map((l) => JSON.parse(l).event as string);
    for (const e of ['app.listening', 'auth.refused', 'http.probe_failed', 'app.stopping']) assert.ok(events.includes(e), `${e} in ${events.join(', ')}`);
  });
});

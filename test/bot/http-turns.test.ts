// The whole application (startApp: restify, CloudAdapter in local mode, the real license service)
// on a sandbox that answers every Graph request 250 ms late, with a 6,000-member group: the HTTP
// request of a message returns before the check is done, the chat gets a progress card that is
// updated in place and replaced by the preflight card, and Teams delivering the message again
// changes nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../../src/index';
import { silentLogger } from '../../src/log';
import { startConnector, type Connector } from '../helpers/connector';
import { freePort } from '../helpers/net';
import { tenantFixture, withSandbox } from '../helpers/sandbox';
import { waitFor } from '../helpers/wait';
import { cardText } from './fakes';

const TENANT = '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';
const SANNE = 'a11ce000-0000-4000-8000-000000000001';

describe('bot over HTTP on a slow Graph: the turn returns, the answer follows', function () {
  this.timeout(60_000);
  const sb = withSandbox(
    tenantFixture('Contoso', { id: TENANT, domain: 'contoso.example' })
      .sku('STANDARDPACK', 6_100)
      .sku('ENTERPRISEPACK', 6_100)
      .user('sanne', { id: SANNE, displayName: 'Sanne de Vries' })
      .generate('Sales', 6_000, { prefix: 'sales', groupLicenses: ['STANDARDPACK'] })
      .build(),
  );
  let app: App;
  let connector: Connector;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plan-switch-turns-'));
    connector = await startConnector();
    app = await startApp({ PORT: String(await freePort()), GRAPH_BASE_URL: sb.graphBaseUrl, STATE_DB: join(dir, 'state.db'), APPROVERS: SANNE }, silentLogger);
  });
  after(async () => {
    await app?.close();
    await connector?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const message = (id: string, text: string) => ({
    type: 'message',
    id,
    text,
    channelId: 'msteams',
    serviceUrl: connector.url,
    locale: 'en-US',
    from: { id: '29:sanne', aadObjectId: SANNE, name: 'Sanne de Vries' },
    recipient: { id: '28:plan-switch', name: 'Plan Switch' },
    conversation: { id: 'sanne-chat', tenantId: TENANT, conversationType: 'personal' },
    channelData: { tenant: { id: TENANT } },
  });
  const post = (a: unknown) => fetch(`${app.server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(a) });
  const said = () =>
    connector.to('sanne-chat').map((p) => ({ method: p.method, id: p.activityId, text: cardText(p.activity.attachments?.[0]?.content) || String(p.activity.text ?? '') }));

  it('move group Sales to E3: 200 before the check is done; a progress card, updated, becomes the preflight card; a redelivery is ignored', async () => {
    assert.equal((await post(message('m0', 'help'))).status, 200); // Sanne is known to the gate now
    await app.bot.whenIdle();
    await sb.behavior({ latencyMs: 250 });
    try {
      const before = connector.to('sanne-chat').length;
      const t0 = Date.now();
      const res = await post(message('m1', 'move group Sales to E3'));
      const turnMs = Date.now() - t0;
      assert.equal(res.status, 200);
      assert.equal(connector.to('sanne-chat').length, before, 'the HTTP turn ended before anything was said');

      const progress = await waitFor(
        'the progress card',
        () =>
          said()
            .slice(before)
            .find((p) => p.method === 'POST'),
        10_000,
      );
      assert.match(progress.text, /Checking Sales…/);
      // Teams delivers the same message again while the check runs: 200, nothing more.
      assert.equal((await post(message('m1', 'move group Sales to E3'))).status, 200);
      await app.bot.whenIdle();
      const total = Date.now() - t0;
      const after = said().slice(before);
      assert.deepEqual(after.filter((p) => p.method === 'POST').length, 1, 'one message in the chat: ' + after.map((p) => p.text).join(' | '));
      const updates = after.filter((p) => p.method === 'PUT');
      assert.ok(
        [progress, ...updates].some((p) => /[\d,]+ of about 6,00\d members read/.test(p.text)),
        [progress, ...updates].map((p) => p.text).join('\n---\n'),
      );
      assert.match(updates.at(-1)!.text, /Preflight check/);
      assert.ok(turnMs < total / 2, `turn ${turnMs} ms, the whole check ${total} ms`);
    } finally {
      await sb.behavior({ latencyMs: 0 });
    }
  });
});

import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { configProblems } from '../helpers/config';

const APP = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const TENANT = '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';

const problems = configProblems;

describe('config: environment checked at start-up', () => {
  it('a fresh clone: local mode on 127.0.0.1:3978, the sandbox, ./var/plan-switch.db', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3978);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.localMode, true);
    assert.equal(c.sandboxMode, true);
    assert.equal(c.graph.mode, 'sandbox');
    assert.equal(c.stateDb, './var/plan-switch.db');
    assert.equal(c.requests.allowSelfApproval, false);
    assert.equal(c.requests.approvalTtlMs, 24 * 3_600_000);
  });

  it('empty strings count as unset', () => {
    const c = loadConfig({ MicrosoftAppId: '', MicrosoftAppPassword: ' ', MicrosoftAppType: '', PORT: '' });
    assert.equal(c.localMode, true);
    assert.equal(c.port, 3978);
  });

  it('local mode refuses any host but loopback', () => {
    const p = problems({ HOST: '0.0.0.0' });
    assert.equal(p.length, 1);
    assert.match(p[0]!, /HOST=0\.0\.0\.0 is refused in local mode/);
    assert.equal(loadConfig({ HOST: 'localhost' }).host, '127.0.0.1');
  });

  it('with an app id: type and password are required; HOST is honoured', () => {
    const p = problems({ MicrosoftAppId: APP });
    assert.ok(p.some((x) => /MicrosoftAppType is required/.test(x)));
    assert.ok(p.some((x) => /MicrosoftAppPassword \(the bot's client secret\) or MicrosoftAppCertificatePath .* is required/.test(x)));
    const c = loadConfig({ MicrosoftAppId: APP, MicrosoftAppPassword: 's3cret', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT, HOST: '0.0.0.0' });
    assert.equal(c.localMode, false);
    assert.equal(c.host, '0.0.0.0');
  });

  it('every problem at once, each naming its variable, never a secret', () => {
    const p = problems({
      PORT: 'eighty',
      MicrosoftAppId: 'not-a-guid',
      MicrosoftAppPassword: 'hunter2',
      MicrosoftAppType: 'Weird',
      APPROVAL_TTL: 'soon',
      APPROVERS: 'not an approver!',
    });
    const all = p.join('\n');
    for (const name of ['PORT', 'MicrosoftAppId', 'MicrosoftAppType', 'APPROVAL_TTL', 'APPROVERS']) assert.match(all, new RegExp(name));
    assert.doesNotMatch(all, /hunter2/);
    assert.ok(p.length >= 5);
  });

  it('REQUESTERS, RECOVERY_SETTLE, GROUP_POLL_INTERVAL, LOG_FORMAT and LOG_LEVEL are checked with the rest', () => {
    const p = problems({ REQUESTERS: 'Helpdesk Team', RECOVERY_SETTLE: 'later', GROUP_POLL_INTERVAL: '-1', LOG_FORMAT: 'xml', LOG_LEVEL: 'loud' });
    const all = p.join('\n');
    for (const name of ['REQUESTERS', 'RECOVERY_SETTLE', 'GROUP_POLL_INTERVAL', 'LOG_FORMAT', 'LOG_LEVEL']) assert.match(all, new RegExp(name));
    const ok = loadConfig({ REQUESTERS: 'user:a@b.example', RECOVERY_SETTLE: '2s', GROUP_POLL_INTERVAL: '250ms', LOG_FORMAT: 'JSON' });
    assert.equal(ok.groupPollIntervalMs, 250);
    assert.equal(ok.requests.restartSettleMs, 2_000);
    assert.deepEqual(ok.requests.requesters, [{ kind: 'user', value: 'a@b.example' }]);
  });

  it('WAVE_PILOT, WAVE_SIZE and WAVE_PAUSE_AT: defaults 5 / 100 / 10 %, read as given, refused with their name when wrong', () => {
    assert.deepEqual(loadConfig({}).requests.waves, { pilot: 5, size: 100, pauseAtErrorShare: 0.1 });
    assert.deepEqual(loadConfig({ WAVE_PILOT: '10', WAVE_SIZE: '250', WAVE_PAUSE_AT: '5%' }).requests.waves, { pilot: 10, size: 250, pauseAtErrorShare: 0.05 });
    assert.equal(loadConfig({ WAVE_PAUSE_AT: '0.25' }).requests.waves.pauseAtErrorShare, 0.25);
    assert.equal(loadConfig({ WAVE_PAUSE_AT: 'off' }).requests.waves.pauseAtErrorShare, 1);
    assert.match(problems({ WAVE_PILOT: '0' }).join('\n'), /WAVE_PILOT/);
    assert.match(problems({ WAVE_SIZE: 'lots' }).join('\n'), /WAVE_SIZE/);
    assert.match(problems({ WAVE_PAUSE_AT: '150%' }).join('\n'), /WAVE_PAUSE_AT/);
  });

  it('a real Graph needs the tenant whose activities are accepted', () => {
    const p = problems({ GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0', AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: APP, AZURE_CLIENT_SECRET: 'x' });
    assert.ok(p.some((x) => /MicrosoftAppTenantId is required with a real GRAPH_BASE_URL/.test(x)));
    const c = loadConfig({
      GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0',
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: APP,
      AZURE_CLIENT_SECRET: 'x',
      MicrosoftAppTenantId: TENANT,
    });
    assert.equal(c.sandboxMode, false);
  });

  it('a loopback GRAPH_BASE_URL is a sandbox started apart', () => {
    const c = loadConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:3979/v1.0' });
    assert.equal(c.sandboxMode, true);
    assert.equal(c.graph.mode, 'loopback');
  });

  it('the error message lists the problems for the console', () => {
    try {
      loadConfig({ PORT: '70000' });
      assert.fail('expected an error');
    } catch (err) {
      assert.match((err as Error).message, /cannot start, the configuration has 1 problem\(s\):\n {2}- PORT must be a port number/);
    }
  });
});

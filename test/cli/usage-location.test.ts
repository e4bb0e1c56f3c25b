// `--set-usage-location` (issue 13 part 6): the built CLI on a sandbox, learning its permission from
// the sandbox's token as on a real tenant.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseCli } from '../../src/cli/args';
import { tenantFixture, withSandbox, type TenantFixture } from '../helpers/sandbox';

const MAIN = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const fixture = (roles?: string[]): TenantFixture => {
  const fx = tenantFixture('Contoso', { defaultUsageLocation: 'BE' })
    .sku('STANDARDPACK', 10)
    .sku('ENTERPRISEPACK', 10)
    .user('ann', { usageLocation: null, licenses: ['STANDARDPACK'] })
    .build();
  return roles ? { ...fx, app: { id: '0f5a7c1e-9b2d-4e6f-8a3c-5d7e9f1b2c40', roles } } : fx;
};
const ANN = ['--user', 'ann@contoso.example', '--from', 'E1', '--to', 'E3'];

describe('plan-switch --set-usage-location', function () {
  this.timeout(30_000);

  describe('with User.ReadWrite.All', () => {
    const sb = withSandbox(fixture(), { resetEach: true });
    const env = () => ({ GRAPH_BASE_URL: sb.graphBaseUrl });

    it('a blocked preflight says which flag fixes it (English and Dutch)', async () => {
      const r = await cli(['preflight', ...ANN], env());
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stdout, /Plan Switch can set it to Belgium \(BE\)/);
      assert.match(r.stdout, /Add --set-usage-location BE \(or another country code\) to set it as part of this change\./);
      const nl = await cli(['preflight', ...ANN, '--lang', 'nl'], env());
      assert.match(nl.stdout, /Voeg --set-usage-location BE \(of een andere landcode\) toe/);
    });

    it('preflight with the flag is ready; swap sets it, then assigns', async () => {
      const p = await cli(['preflight', ...ANN, '--set-usage-location', 'de'], env());
      assert.equal(p.code, 0, p.stdout + p.stderr);
      assert.match(p.stdout, /Usage location will be set to Germany \(DE\) for 1 person before the license change/);
      await sb.clearRequests();
      const s = await cli(['swap', ...ANN, '--set-usage-location', 'DE', '--yes'], env());
      assert.equal(s.code, 0, s.stdout + s.stderr);
      assert.match(s.stdout, /Usage location set to DE: ann@contoso\.example/);
      const writes = (await sb.requests()).filter((r) => r.method !== 'GET' && r.path !== '/$batch').map((r) => r.method);
      assert.deepEqual(writes, ['PATCH', 'POST']);
      const ann = await sb.get('/users/ann@contoso.example?$select=usageLocation,assignedLicenses');
      assert.equal(ann.body.usageLocation, 'DE');
      assert.equal(ann.body.assignedLicenses.length, 1);
    });

    it('a code that is not a country: exit 1, one clean line, nothing read or written', async () => {
      await sb.clearRequests();
      const r = await cli(['swap', ...ANN, '--set-usage-location', 'UK', '--yes'], env());
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim(), "plan-switch: --set-usage-location takes a two-letter ISO 3166 country code such as BE or NL (GB for the United Kingdom), not 'UK'.");
      assert.deepEqual(await sb.requests(), []);
    });
  });

  describe('without User.ReadWrite.All', () => {
    const sb = withSandbox(fixture(['LicenseAssignment.ReadWrite.All', 'User.Read.All', 'GroupMember.Read.All', 'Organization.Read.All']), { resetEach: true });

    it('stays blocked, says which permission would allow it, writes nothing', async () => {
      await sb.clearRequests();
      const r = await cli(['swap', ...ANN, '--set-usage-location', 'BE', '--yes'], { GRAPH_BASE_URL: sb.graphBaseUrl });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stdout, /With the application permission User\.ReadWrite\.All Plan Switch could set it as part of the change \(see doctor\)/);
      assert.doesNotMatch(r.stdout, /--set-usage-location/);
      assert.equal((await sb.requests()).filter((x) => x.method !== 'GET' && x.path !== '/$batch').length, 0);
    });

    it('doctor reports User.ReadWrite.All as optional, says what it allows, and still exits 0', async () => {
      const r = await cli(['doctor'], { GRAPH_BASE_URL: sb.graphBaseUrl });
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /– User\.ReadWrite\.All \(optional\): not granted \(optional\)\n\s+allows: setting a missing usage location in a change/);
    });
  });

  it('parses the flag for preflight and swap only', () => {
    assert.deepEqual(parseCli(['preflight', '--group', 'Sales', '--to', 'E3', '--set-usage-location', ' nl ']).spec!.setUsageLocation, { country: 'NL' });
    assert.throws(() => parseCli(['status', '--group', 'Sales', '--set-usage-location', 'NL']), /'status' does not take --set-usage-location/);
    assert.throws(() => parseCli(['preflight', '--group', 'Sales', '--to', 'E3', '--set-usage-location', 'Belgium']), /not 'Belgium'/);
  });
});

// plan-switch doctor against the sandbox, as an administrator runs it: the whole CLI (main.js) with
// GRAPH_BASE_URL pointing at a sandbox, whose token carries the fixture's app.roles.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { DoctorReport } from '../../src/doctor/model';
import { freePort } from '../helpers/net';
import { tenantFixture, withSandbox, type TenantFixture } from '../helpers/sandbox';

const MAIN = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const fixture = (): TenantFixture =>
  tenantFixture('Contoso')
    .sku('STANDARDPACK', 20)
    .sku('ENTERPRISEPACK', 10)
    .user('alice', { licenses: ['STANDARDPACK'] })
    .user('m1', {})
    .user('m2', {})
    .group('Unlicensed', { members: ['alice'] })
    .group('Sales', { members: ['m1', 'm2'], licenses: ['STANDARDPACK'] })
    .build();

const REQUIRED = ['LicenseAssignment.ReadWrite.All', 'User.Read.All', 'GroupMember.Read.All', 'Organization.Read.All'];

describe('plan-switch doctor (CLI against the sandbox)', function () {
  this.timeout(40_000);

  describe('a tenant where everything is granted', () => {
    const sb = withSandbox(fixture(), { resetEach: true });
    const env = () => ({ GRAPH_BASE_URL: sb.graphBaseUrl });

    it('signs in, shows app, tenant and permissions, reads the first licensed group and user, exits 0', async () => {
      const r = await cli(['doctor'], env());
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /Signed in as app [0-9a-f-]{36} in tenant [0-9a-f-]{36}/);
      assert.match(r.stdout, /Tenant: Contoso/);
      for (const p of REQUIRED) assert.match(r.stdout, new RegExp(`✓ ${p.replace(/\./g, '\\.')} \\(required\\): granted`));
      assert.match(r.stdout, /Group: Sales \(the first group holding a license/);
      assert.match(r.stdout, /User: M1 \(the first licensed user/);
      assert.match(r.stdout, /Everything Plan Switch needs works\./);
    });

    it('writes nothing: every Graph request is a read ($batch carries one GET)', async () => {
      await sb.clearRequests();
      await cli(['doctor', '--group', 'Sales', '--user', 'alice@contoso.example'], env());
      const log = await sb.requests();
      assert.ok(log.length >= 10, `made ${log.length} requests`);
      for (const e of log) assert.ok(e.method === 'GET' || e.path === '/$batch', `${e.method} ${e.path}`);
    });

    it('--json gives the report; --group/--user name the subjects', async () => {
      const r = await cli(['doctor', '--json', '--group', 'Unlicensed', '--user', 'alice@contoso.example'], env());
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const rep = JSON.parse(r.stdout) as DoctorReport;
      assert.equal(rep.ok, true);
      assert.equal(rep.group?.displayName, 'Unlicensed');
      assert.equal(rep.group?.chosen, 'named');
      assert.equal(rep.user?.displayName, 'Alice');
      assert.ok(rep.calls.find((c) => c.call === 'groupUsers')?.status === 'ok');
      assert.ok(
        rep.calls.every((c) => c.need === 'optional' || c.status === 'ok'),
        JSON.stringify(rep.calls.filter((c) => c.status !== 'ok')),
      );
    });

    it('catches a field Graph did not return, names it and the fix, exits 1', async () => {
      await sb.fault({ method: 'GET', path: '/groups/*/members/microsoft.graph.user', withhold: ['licenseAssignmentStates'], times: 5 });
      const r = await cli(['doctor', '--group', 'Sales'], env());
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /✗ a group's user members with their license states \(required\): Graph did not return licenseAssignmentStates/);
      assert.match(r.stdout, /Fix: Graph leaves out fields the app may not read/);
      assert.match(r.stdout, /1 thing Plan Switch needs does not work/);
      // The permissions themselves are all there: it is the read that is flagged.
      assert.doesNotMatch(r.stdout, /MISSING/);
    });

    it('says which group or user does not exist, exits 1', async () => {
      const r = await cli(['doctor', '--json', '--group', 'Nope', '--user', 'ghost@contoso.example'], env());
      assert.equal(r.code, 1);
      const rep = JSON.parse(r.stdout) as DoctorReport;
      assert.equal(rep.calls.find((c) => c.call === 'findGroup')?.status, 'notFound');
      assert.equal(rep.calls.find((c) => c.call === 'user')?.status, 'notFound');
      assert.equal(rep.calls.find((c) => c.call === 'groupUsers')?.status, 'skipped');
    });

    it("refuses '..' as a user name before asking Graph", async () => {
      await sb.clearRequests();
      const r = await cli(['doctor', '--json', '--user', '..'], env());
      assert.equal(r.code, 1);
      const rep = JSON.parse(r.stdout) as DoctorReport;
      assert.equal(rep.calls.find((c) => c.call === 'user')?.status, 'notFound');
      assert.ok(!(await sb.requests()).some((e) => e.path === '/users/..' || e.path === '/'), 'no request for ..');
    });
  });

  describe('a tenant where GroupMember.Read.All was never granted', () => {
    const sb = withSandbox({ ...fixture(), app: { roles: ['LicenseAssignment.ReadWrite.All', 'User.Read.All', 'Organization.Read.All'] } });

    it('names the missing permission in the token and on each group read, with the fix; exits 1', async () => {
      const r = await cli(['doctor'], { GRAPH_BASE_URL: sb.graphBaseUrl });
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /✗ GroupMember\.Read\.All \(required\): MISSING/);
      assert.match(r.stdout, /✗ find a group by name \(required\): refused \(403\): the app lacks GroupMember\.Read\.All/);
      assert.match(r.stdout, /Fix: grant the application permission GroupMember\.Read\.All/);
      assert.match(r.stdout, /– User\.ReadWrite\.All \(optional\): not granted \(optional\)/);
      assert.match(r.stdout, /✓ User\.Read\.All \(required\): granted/);
      // The user reads still run (the first licensed user of the tenant) and pass.
      assert.match(r.stdout, /✓ a user's licenses and usage location \(required\): ok/);
    });
  });

  it('reports a failed sign-in in one place and exits 1', async () => {
    const port = await freePort();
    const r = await cli(['doctor', '--json'], { GRAPH_BASE_URL: `http://127.0.0.1:${port}/v1.0` });
    assert.equal(r.code, 1);
    const rep = JSON.parse(r.stdout) as DoctorReport;
    assert.equal(rep.signIn.ok, false);
    assert.ok(rep.signIn.error);
    assert.equal(rep.calls.length, 0);
  });
});

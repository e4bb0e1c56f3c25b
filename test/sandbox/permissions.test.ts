import assert from 'node:assert/strict';
import { validateFixture } from '../../src/sandbox/index';
import { hasRole, rolesFor } from '../../src/sandbox/permissions';
import { skuId, tenantFixture, withSandbox, type TenantFixture } from '../helpers/sandbox';

const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');

const base = (): TenantFixture =>
  tenantFixture('Contoso')
    .sku('STANDARDPACK', 10)
    .sku('ENTERPRISEPACK', 10)
    .user('alice', { licenses: ['STANDARDPACK'] })
    .group('Sales', { members: ['alice'] })
    .build();

function claimsOf(token: string): Record<string, any> {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

describe('sandbox: application permissions (fixture app.roles)', () => {
  describe('without app.roles (every permission granted, as old fixtures)', () => {
    const sb = withSandbox(base());

    it('serves every route and hands out a token listing all the permissions docs/deploy.md asks for', async () => {
      assert.equal((await sb.get('/users/alice@contoso.example')).status, 200);
      assert.equal((await sb.get('/organization')).status, 200);
      const t = (await (await fetch(`${sb.url}/_sandbox/token`, { method: 'POST' })).json()) as any;
      assert.equal(t.token_type, 'Bearer');
      const c = claimsOf(t.access_token);
      assert.equal(c.tid, sb.sandbox.tenant.id);
      assert.equal(c.idtyp, 'app');
      assert.match(c.appid, /^[0-9a-f-]{36}$/);
      for (const r of ['LicenseAssignment.ReadWrite.All', 'User.Read.All', 'GroupMember.Read.All', 'Organization.Read.All']) assert.ok(c.roles.includes(r), r);
    });
  });

  describe('with User.Read.All and LicenseAssignment.ReadWrite.All only', () => {
    const appId = '11112222-3333-4444-8555-666677778888';
    const sb = withSandbox({ ...base(), app: { id: appId, roles: ['User.Read.All', 'LicenseAssignment.ReadWrite.All'] } }, { resetEach: true });

    it("answers a group read with Graph's 403 Authorization_RequestDenied and innerError", async () => {
      const r = await sb.get("/groups?$filter=displayName eq 'Sales'");
      assert.equal(r.status, 403);
      assert.equal(r.body.error.code, 'Authorization_RequestDenied');
      assert.equal(r.body.error.message, 'Insufficient privileges to complete the operation.');
      assert.ok(r.body.error.innerError['request-id']);
      assert.ok(r.body.error.innerError.date);
      assert.equal((await sb.get('/organization')).status, 403);
    });

    it('lets granted calls through, a write included, and refuses inside $batch item by item', async () => {
      assert.equal((await sb.get('/users/alice@contoso.example?$select=assignedLicenses')).status, 200);
      const w = await sb.post('/users/alice@contoso.example/assignLicense', { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] });
      assert.equal(w.status, 200);
      const b = await sb.post('/$batch', {
        requests: [
          { id: '1', method: 'GET', url: '/users/alice@contoso.example' },
          { id: '2', method: 'GET', url: '/organization' },
        ],
      });
      const byId = Object.fromEntries(b.body.responses.map((x: any) => [x.id, x]));
      assert.equal(byId['1'].status, 200);
      assert.equal(byId['2'].status, 403);
      assert.equal(byId['2'].body.error.code, 'Authorization_RequestDenied');
    });

    it('puts exactly the granted roles and the app id in the token', async () => {
      const t = (await (await fetch(`${sb.url}/_sandbox/token`)).json()) as any;
      const c = claimsOf(t.access_token);
      assert.deepEqual(c.roles, ['User.Read.All', 'LicenseAssignment.ReadWrite.All']);
      assert.equal(c.appid, appId);
    });
  });

  describe('with no permission at all', () => {
    const sb = withSandbox({ ...base(), app: { roles: [] } });
    it('refuses reads and leaves roles out of the token, as Entra does', async () => {
      assert.equal((await sb.get('/users')).status, 403);
      const c = claimsOf(((await (await fetch(`${sb.url}/_sandbox/token`)).json()) as any).access_token);
      assert.equal(c.roles, undefined);
    });
  });

  it('rejects a role that is not a permission name, by path', () => {
    const r = validateFixture({ ...base(), app: { roles: ['User Read All'] } });
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.problems.some((p) => p.path === 'app.roles[0]'), JSON.stringify(!r.ok && r.problems));
  });

  it('maps each route to its least privileged permission first, and accepts higher ones', () => {
    assert.equal(rolesFor('POST', ['users', 'x', 'assignLicense'])![0], 'LicenseAssignment.ReadWrite.All');
    assert.equal(rolesFor('POST', ['groups', 'x', 'assignLicense'])![0], 'LicenseAssignment.ReadWrite.All');
    // Microsoft's v1.0 page for reprocessLicenseAssignment: User.ReadWrite.All, then Directory.ReadWrite.All.
    assert.deepEqual(rolesFor('POST', ['users', 'x', 'reprocessLicenseAssignment']), ['User.ReadWrite.All', 'Directory.ReadWrite.All']);
    assert.equal(rolesFor('GET', ['groups', 'x', 'members', 'microsoft.graph.user'])![0], 'GroupMember.Read.All');
    assert.equal(rolesFor('GET', ['users', 'x'])![0], 'User.Read.All');
    assert.equal(rolesFor('GET', ['organization'])![0], 'Organization.Read.All');
    assert.equal(rolesFor('GET', ['users', 'x', 'teamwork', 'installedApps'])![0], 'TeamsAppInstallation.ReadWriteSelfForUser.All');
    const app = { app: { id: 'x', roles: ['Directory.Read.All'] } };
    assert.ok(hasRole(app, rolesFor('GET', ['groups'])!));
    assert.ok(!hasRole(app, rolesFor('POST', ['users', 'x', 'assignLicense'])!));
  });
});

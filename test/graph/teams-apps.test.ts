import assert from 'node:assert/strict';
import { connectGraph, type GraphConnection } from '../../src/graph/connect';
import { loopbackGraph } from '../../src/graph/config';
import { installAppForUser } from '../../src/graph/teams-apps';
import { tenantFixture, withSandbox, type TenantFixture } from '../helpers/sandbox';

const APP = '5f0e0d0c-0b0a-4909-8807-060504030201';

const base = (): TenantFixture => tenantFixture('Contoso').sku('STANDARDPACK', 10).user('hanna').user('kees').build();

async function userId(sb: { get(path: string): Promise<{ body: any }> }, name: string): Promise<string> {
  const r = await sb.get(`/users?$filter=startswith(userPrincipalName,'${name}')`);
  return r.body.value[0].id;
}

describe('graph: installing the Teams app for a person (POST /users/{id}/teamwork/installedApps)', () => {
  describe('with TeamsAppInstallation.ReadWriteSelfForUser.All granted', () => {
    const sb = withSandbox(base(), { resetEach: true });
    let graph: GraphConnection;
    beforeEach(() => {
      graph = connectGraph(loopbackGraph(sb.graphBaseUrl));
    });
    afterEach(() => graph.close());

    it('installs it once: 201, then 409 (already) for the same app; the person lists it', async () => {
      const hanna = await userId(sb, 'hanna');
      assert.deepEqual(await installAppForUser(graph.client, hanna, APP), { outcome: 'installed' });
      const again = await installAppForUser(graph.client, hanna, APP);
      assert.equal(again.outcome, 'already');
      const listed = await sb.get(`/users/${hanna}/teamwork/installedApps?$expand=teamsApp`);
      assert.deepEqual(
        listed.body.value.map((a: any) => a.teamsApp.id),
        [APP],
      );
      const kees = await userId(sb, 'kees');
      assert.deepEqual((await sb.get(`/users/${kees}/teamwork/installedApps`)).body.value, [], 'only for her');
    });

    it('an unknown person or a body without teamsApp@odata.bind is refused as Graph does', async () => {
      const unknown = await installAppForUser(graph.client, '00000000-0000-4000-8000-000000000999', APP);
      assert.equal(unknown.outcome, 'unknown');
      const hanna = await userId(sb, 'hanna');
      const bad = await sb.post(`/users/${hanna}/teamwork/installedApps`, { teamsApp: APP });
      assert.equal(bad.status, 400);
    });
  });

  describe('without the permission (fixture app.roles leaves it out)', () => {
    const sb = withSandbox({ ...base(), app: { roles: ['User.Read.All', 'LicenseAssignment.ReadWrite.All'] } });
    it("is denied with Graph's 403 Authorization_RequestDenied", async () => {
      const graph = connectGraph(loopbackGraph(sb.graphBaseUrl));
      try {
        const hanna = await userId(sb, 'hanna');
        const res = await installAppForUser(graph.client, hanna, APP);
        assert.equal(res.outcome, 'denied');
        assert.equal(res.graphCode, 'Authorization_RequestDenied');
      } finally {
        await graph.close();
      }
    });
  });
});

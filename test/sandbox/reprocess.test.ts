// POST /users/{id}/reprocessLicenseAssignment in the sandbox: as strict as Graph (permission,
// unknown user), and a re-evaluation that fixes what is fixed and leaves the rest as it was.
import assert from 'node:assert/strict';
import { skuId, tenantFixture, withSandbox, type TenantFixture } from '../helpers/sandbox';

const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');

interface State {
  skuId: string;
  assignedByGroup: string | null;
  state: string;
  error: string;
  lastUpdatedDateTime: string;
}

// Sales gets E3 from the group with 3 seats, one of them held directly by holder: carol (last in
// member order) is left in CountViolation. dave holds E1 directly and E1's Exchange clashes with
// E3's, so Support leaves him in MutuallyExclusiveViolation; erin has no usage location in a
// tenant without a default country (ProhibitedInUsageLocationViolation).
const fixture = (roles?: string[]): TenantFixture => {
  const nl = { usageLocation: 'NL' };
  const f = tenantFixture('Contoso', { defaultUsageLocation: null })
    .sku('STANDARDPACK', 10)
    .sku('ENTERPRISEPACK', 3)
    .user('holder', { ...nl, licenses: ['ENTERPRISEPACK'] })
    .users(['alice', 'bob', 'carol'], nl)
    .user('dave', { ...nl, licenses: ['STANDARDPACK'] })
    .user('erin', { usageLocation: null })
    .group('Sales', { members: ['alice', 'bob', 'carol'], licenses: ['ENTERPRISEPACK'] })
    .group('Support', { members: ['dave', 'erin'], licenses: ['ENTERPRISEPACK'] })
    .mutuallyExclusive('EXCHANGE_S_STANDARD', 'EXCHANGE_S_ENTERPRISE')
    .build();
  return roles ? { ...f, app: { roles } } : f;
};

describe('sandbox: reprocessLicenseAssignment', () => {
  describe('with every permission', () => {
    const sb = withSandbox(fixture(), { resetEach: true });
    const states = async (u: string): Promise<State[]> => (await sb.get(`/users/${u}@contoso.example?$select=licenseAssignmentStates`)).body.licenseAssignmentStates;
    const seatsUsed = async () => ((await sb.get('/subscribedSkus')).body.value as { skuId: string; consumedUnits: number }[]).find((s) => s.skuId === E3)!.consumedUnits;

    it('the fixture loads with members in error (the starting point of every case below)', async () => {
      const carol = (await states('carol'))[0]!;
      assert.deepEqual([carol.state, carol.error], ['Error', 'CountViolation']);
      assert.equal((await states('dave')).find((s) => s.assignedByGroup)!.error, 'MutuallyExclusiveViolation');
      assert.equal((await states('erin'))[0]!.error, 'ProhibitedInUsageLocationViolation');
      assert.equal(await seatsUsed(), 3);
    });

    it('a member whose cause is gone (a seat freed) becomes Active and takes the seat; 200 with the user', async () => {
      const free = await sb.post('/users/holder@contoso.example/assignLicense', { addLicenses: [], removeLicenses: [E3] });
      assert.equal(free.status, 200);
      assert.equal(await seatsUsed(), 2);
      assert.equal((await states('carol'))[0]!.error, 'CountViolation', 'Entra does not reprocess on its own');
      const r = await sb.post('/users/carol@contoso.example/reprocessLicenseAssignment');
      assert.equal(r.status, 200);
      assert.equal(r.body.userPrincipalName, 'carol@contoso.example');
      const carol = (await states('carol'))[0]!;
      assert.deepEqual([carol.state, carol.error], ['Active', 'None']);
      assert.equal(await seatsUsed(), 3);
    });

    it('a member whose cause remains keeps the same error and the same lastUpdatedDateTime; no seat is taken', async () => {
      const before = (await states('carol'))[0]!;
      const r = await sb.post('/users/carol@contoso.example/reprocessLicenseAssignment');
      assert.equal(r.status, 200);
      assert.deepEqual((await states('carol'))[0], before);
      assert.equal(await seatsUsed(), 3);
    });

    it('a seat freed but a clash remaining: the clash is what stays (MutuallyExclusiveViolation), the usage location too', async () => {
      await sb.post('/users/holder@contoso.example/assignLicense', { addLicenses: [], removeLicenses: [E3] });
      await sb.post('/users/dave@contoso.example/reprocessLicenseAssignment');
      assert.equal((await states('dave')).find((s) => s.assignedByGroup)!.error, 'MutuallyExclusiveViolation');
      await sb.post('/users/erin@contoso.example/reprocessLicenseAssignment');
      assert.equal((await states('erin'))[0]!.error, 'ProhibitedInUsageLocationViolation');
      // The clash removed (dave's direct E1 taken away), reprocess: Active.
      await sb.post('/users/dave@contoso.example/assignLicense', { addLicenses: [], removeLicenses: [E1] });
      await sb.post('/users/dave@contoso.example/reprocessLicenseAssignment');
      assert.deepEqual(
        (await states('dave')).map((s) => [s.state, s.error]),
        [['Active', 'None']],
      );
    });

    it('an unknown user is 404 Request_ResourceNotFound; only POST is allowed', async () => {
      const r = await sb.post('/users/ghost@contoso.example/reprocessLicenseAssignment');
      assert.equal(r.status, 404);
      assert.equal(r.body.error.code, 'Request_ResourceNotFound');
      assert.equal((await sb.get('/users/carol@contoso.example/reprocessLicenseAssignment')).status, 405);
    });

    it('inside $batch each item is answered on its own', async () => {
      await sb.post('/users/holder@contoso.example/assignLicense', { addLicenses: [], removeLicenses: [E3] });
      const b = await sb.post('/$batch', {
        requests: [
          { id: '1', method: 'POST', url: '/users/carol@contoso.example/reprocessLicenseAssignment' },
          { id: '2', method: 'POST', url: '/users/ghost@contoso.example/reprocessLicenseAssignment' },
        ],
      });
      const byId = Object.fromEntries(b.body.responses.map((x: { id: string; status: number }) => [x.id, x.status]));
      assert.deepEqual(byId, { '1': 200, '2': 404 });
      assert.equal((await states('carol'))[0]!.state, 'Active');
    });
  });

  describe('without User.ReadWrite.All (LicenseAssignment.ReadWrite.All is not enough)', () => {
    const sb = withSandbox(fixture(['User.Read.All', 'GroupMember.Read.All', 'Organization.Read.All', 'LicenseAssignment.ReadWrite.All']));

    it("is Graph's 403 and re-evaluates nothing", async () => {
      await sb.post('/users/holder@contoso.example/assignLicense', { addLicenses: [], removeLicenses: [E3] });
      const r = await sb.post('/users/carol@contoso.example/reprocessLicenseAssignment');
      assert.equal(r.status, 403);
      assert.equal(r.body.error.code, 'Authorization_RequestDenied');
      const carol = (await sb.get('/users/carol@contoso.example?$select=licenseAssignmentStates')).body.licenseAssignmentStates[0];
      assert.equal(carol.error, 'CountViolation');
    });
  });
});

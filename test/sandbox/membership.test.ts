import assert from 'node:assert/strict';
import { skuId, tenantFixture, withSandbox } from '../helpers/sandbox';

const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');

describe('sandbox: group membership and deletion (POST /groups/{id}/members/$ref, DELETE /groups/{id})', () => {
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', 10)
      .sku('ENTERPRISEPACK', 10)
      .users(['ann', 'ben', 'new'])
      .group('Sales', { members: ['ann', 'ben'], licenses: ['STANDARDPACK'] })
      .behavior({ groupProcessingMs: 200 })
      .build(),
    { resetEach: true },
  );
  const idOf = async (path: string) => (await sb.get(path)).body.id as string;
  const skus = async (upn: string) => (await sb.get(`/users/${upn}?$select=assignedLicenses`)).body.assignedLicenses.map((l: { skuId: string }) => l.skuId);

  it('a new member of a licensed group gets its licenses; twice is a 400', async () => {
    const sales = (await sb.get(`/groups?$filter=displayName eq 'Sales'`)).body.value[0].id;
    const newId = await idOf('/users/new@contoso.example');
    const add = await sb.post(`/groups/${sales}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${newId}` });
    assert.equal(add.status, 204);
    assert.deepEqual(await skus('new@contoso.example'), [E1]);
    assert.equal((await sb.post(`/groups/${sales}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${newId}` })).status, 400);
    assert.equal((await sb.post(`/groups/${sales}/members/$ref`, { '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/nobody' })).status, 404);
  });

  it('a member added while the group is processing is processed with it, with the new licenses', async () => {
    const sales = (await sb.get(`/groups?$filter=displayName eq 'Sales'`)).body.value[0].id;
    assert.equal((await sb.post(`/groups/${sales}/assignLicense`, { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] })).status, 202);
    const newId = await idOf('/users/new@contoso.example');
    await sb.post(`/groups/${sales}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${newId}` });
    assert.deepEqual(await skus('new@contoso.example'), [], 'not before processing');
    await sb.waitForGroup(sales);
    for (const u of ['ann', 'ben', 'new']) assert.deepEqual(await skus(`${u}@contoso.example`), [E3], u);
  });

  it('deleting a group takes its licenses from its members and frees the seats', async () => {
    const sales = (await sb.get(`/groups?$filter=displayName eq 'Sales'`)).body.value[0].id;
    const before = (await sb.get('/subscribedSkus')).body.value.find((s: { skuId: string }) => s.skuId === E1).consumedUnits;
    assert.equal((await sb.get(`/groups/${sales}`, {})).status, 200);
    const del = await fetch(`${sb.graphBaseUrl}/groups/${sales}`, { method: 'DELETE' });
    assert.equal(del.status, 204);
    assert.equal((await sb.get(`/groups/${sales}`)).status, 404);
    assert.deepEqual(await skus('ann@contoso.example'), []);
    const after = (await sb.get('/subscribedSkus')).body.value.find((s: { skuId: string }) => s.skuId === E1).consumedUnits;
    assert.equal(after, before - 2);
    assert.equal(
      (
        await fetch(`${sb.graphBaseUrl}/groups/${sales}/assignLicense`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ addLicenses: [], removeLicenses: [E1] }),
        })
      ).status,
      404,
    );
  });
});

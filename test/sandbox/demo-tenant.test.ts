import assert from 'node:assert/strict';
import { join } from 'node:path';
import { planId, skuId, withSandbox } from '../helpers/sandbox';

const DEMO = join(__dirname, '..', '..', '..', 'data', 'demo-tenant.json');
const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');

interface Sku {
  skuId: string;
  skuPartNumber: string;
  consumedUnits: number;
  prepaidUnits: { enabled: number };
}

describe('sandbox: the demo tenant (data/demo-tenant.json)', () => {
  const sb = withSandbox(DEMO, { resetEach: true });
  const c = () => sb.client();
  const group = async (name: string) => (await c().api('/groups').filter(`displayName eq '${name}'`).get()).value[0];
  const user = (upn: string) => c().api(`/users/${upn}`).select('id,displayName,usageLocation,department,assignedLicenses,licenseAssignmentStates').get();
  const skus = async () => (await c().api('/subscribedSkus').get()).value as Sku[];
  const free = (list: Sku[], id: string) => {
    const s = list.find((x) => x.skuId === id)!;
    return s.prepaidUnits.enabled - s.consumedUnits;
  };

  it('is Contoso Nederland (NL) with fixed ids for the tenant, the admins and License Admins', async () => {
    assert.deepEqual(sb.sandbox.tenant, { id: '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f', displayName: 'Contoso Nederland', defaultUsageLocation: 'NL' });
    const all = await c().api('/users').top(999).select('id').get();
    assert.equal(all.value.length, 65);
    const ids = { 'sanne.devries': '001', 'pieter.bakker': '002', 'fatima.elamrani': '003' };
    for (const [name, n] of Object.entries(ids)) assert.equal((await user(`${name}@contoso.example`)).id, `a11ce000-0000-4000-8000-000000000${n}`);
    const admins = await c().api('/groups/a11ce000-0000-4000-8000-000000000100/members').select('userPrincipalName').get();
    assert.deepEqual(
      admins.value.map((m: { userPrincipalName: string }) => m.userPrincipalName),
      ['sanne.devries@contoso.example', 'pieter.bakker@contoso.example', 'fatima.elamrani@contoso.example'],
    );
    const parts = (await skus()).map((s) => s.skuPartNumber).sort();
    assert.deepEqual(parts, [
      'ENTERPRISEPACK',
      'ENTERPRISEPREMIUM',
      'MCOMEETADV',
      'Microsoft_Teams_Enterprise_New',
      'Office_365_E1_(no_Teams)',
      'Office_365_E3_(no_Teams)',
      'PROJECTPROFESSIONAL',
      'STANDARDPACK',
      'WORKPLACE_ANALYTICS',
    ]);
  });

  it('seats: Sales fits in the free E3 seats, Engineering does not', async () => {
    const list = await skus();
    const sales = await group('Sales');
    const eng = await group('Engineering');
    const salesUsers = (await c().api(`/groups/${sales.id}/members/microsoft.graph.user`).get()).value.length;
    const engUsers = (await c().api(`/groups/${eng.id}/members/microsoft.graph.user`).get()).value.length;
    assert.equal(salesUsers, 10);
    assert.equal(engUsers, 15);
    assert.ok(free(list, E3) >= salesUsers, `E3 free ${free(list, E3)} >= Sales ${salesUsers}`);
    assert.ok(free(list, E3) < engUsers, `E3 free ${free(list, E3)} < Engineering ${engUsers}`);
    for (const s of list) assert.ok(s.consumedUnits <= s.prepaidUnits.enabled, `${s.skuPartNumber} within its seats at load`);
  });

  it('has the awkward cases: E1 direct + Sales, no usage location, Project on E1 SharePoint, Workplace Analytics, synced, dynamic, nested', async () => {
    const sales = await group('Sales');
    const jan = await user('jan.devries@contoso.example');
    assert.deepEqual(
      jan.licenseAssignmentStates.filter((s: { skuId: string }) => s.skuId === E1).map((s: { assignedByGroup: string | null }) => s.assignedByGroup),
      [null, sales.id],
    );
    const joost = await user('joost.vandam@contoso.example');
    assert.equal(joost.usageLocation, null);
    assert.equal(joost.department, 'Marketing');
    const pim = await user('pim.huisman@contoso.example');
    const project = pim.assignedLicenses.find((l: { skuId: string }) => l.skuId === skuId('PROJECTPROFESSIONAL'));
    assert.deepEqual(project.disabledPlans, [planId('SHAREPOINTENTERPRISE')]);
    const sophie = await user('sophie.vandenberg@contoso.example');
    assert.deepEqual(sophie.assignedLicenses.map((l: { skuId: string }) => l.skuId).sort(), [E3, skuId('WORKPLACE_ANALYTICS')].sort());
    const finance = await c()
      .api(`/groups/${(await group('Finance (AD sync)')).id}`)
      .get();
    assert.equal(finance.onPremisesSyncEnabled, true);
    const eng = await group('Engineering');
    assert.deepEqual(eng.groupTypes, ['DynamicMembership']);
    assert.equal(eng.membershipRule, '(user.department -eq "Engineering")');
    const members = await c().api(`/groups/${sales.id}/members`).select('displayName').get();
    assert.ok(members.value.some((m: Record<string, string>) => m['@odata.type'] === '#microsoft.graph.group' && m.displayName === 'Sales Interns'));
  });

  it('speaks Dutch too: Verkoop holds E1 for its members (surnames with particles), Anna and Alice hold E1 directly', async () => {
    const verkoop = await group('Verkoop');
    const members = await c().api(`/groups/${verkoop.id}/members`).select('displayName').get();
    assert.deepEqual(members.value.map((m: { displayName: string }) => m.displayName).sort(), ['Noor van den Bosch', "Sterre 't Hart", 'Thijs ter Horst']);
    const noor = await user('noor.vandenbosch@contoso.nl');
    assert.deepEqual(
      noor.licenseAssignmentStates.map((s: { skuId: string; assignedByGroup: string | null }) => [s.skuId, s.assignedByGroup]),
      [[E1, verkoop.id]],
    );
    for (const upn of ['anna@contoso.nl', 'alice@contoso.example']) {
      const u = await user(upn);
      assert.deepEqual(
        u.licenseAssignmentStates.map((s: { skuId: string; assignedByGroup: string | null }) => [s.skuId, s.assignedByGroup]),
        [[E1, null]],
        upn,
      );
    }
  });

  it('moving Sales E1 -> E3 works; Jan (E1 direct too) ends E1 with E3 in MutuallyExclusiveViolation', async () => {
    await sb.behavior({ groupProcessingMs: 30 });
    const sales = await group('Sales');
    const r = await sb.post(`/groups/${sales.id}/assignLicense`, { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] });
    assert.equal(r.status, 202);
    await sb.waitForGroup(sales.id);
    const errors = await c().api(`/groups/${sales.id}/membersWithLicenseErrors`).select('userPrincipalName').get();
    assert.deepEqual(
      errors.value.map((u: { userPrincipalName: string }) => u.userPrincipalName),
      ['jan.devries@contoso.example'],
    );
    const emma = await user('emma.janssen@contoso.example');
    assert.deepEqual(
      emma.assignedLicenses.map((l: { skuId: string }) => l.skuId),
      [E3],
    );
  });
});

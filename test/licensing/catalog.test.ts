import assert from 'node:assert/strict';
import { Catalog } from '../../src/licensing/catalog';
import { LicensingError, type PlanSummary } from '../../src/licensing/model';
import { catalog, planId, ref, SKU, skuId, subscribedSku } from './builders';

function throwsCode(fn: () => unknown, code: string): LicensingError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof LicensingError, `expected LicensingError, got ${e}`);
    assert.equal(e.code, code);
    return e;
  }
  assert.fail(`expected ${code}`);
}

describe('licensing/catalog', () => {
  const full = catalog([
    subscribedSku(SKU.E1),
    subscribedSku(SKU.E3),
    subscribedSku(SKU.E5),
    subscribedSku(SKU.M365_E3),
    subscribedSku(SKU.M365_E5),
    subscribedSku(SKU.BUSINESS_BASIC),
    subscribedSku(SKU.BUSINESS_STANDARD),
    subscribedSku(SKU.BUSINESS_PREMIUM),
    subscribedSku(SKU.F3),
    subscribedSku(SKU.PROJECT_P3),
  ]);
  const part = (name: string) => full.resolve(name).skuPartNumber;

  describe('building from subscribedSkus', () => {
    it('enriches a SKU with its product name, aliases and service plan friendly names and families', () => {
      const e3 = full.byId(skuId(SKU.E3))!;
      assert.equal(e3.displayName, 'Office 365 E3');
      assert.ok(e3.aliases.includes('E3'));
      assert.ok(e3.aliases.includes('O365 E3'));
      const sp = e3.servicePlans.find((p) => p.name === 'SHAREPOINTENTERPRISE')!;
      assert.equal(sp.friendlyName, 'SharePoint (Plan 2)');
      assert.equal(sp.family, 'SharePoint Online / OneDrive');
    });
    it('computes available = enabled - consumed, never below zero', () => {
      const c = catalog([subscribedSku(SKU.E1, { enabled: 50, consumed: 48 }), subscribedSku(SKU.E3, { enabled: 5, consumed: 7 })]);
      assert.equal(c.resolve('E1').available, 2);
      assert.equal(c.resolve('E3').available, 0);
    });
    it('keeps a tenant SKU the reference data does not know, named by its part number', () => {
      const c = Catalog.fromSubscribedSkus(
        [
          {
            id: 'x',
            skuId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
            skuPartNumber: 'CONTOSO_SPECIAL',
            appliesTo: 'User',
            capabilityStatus: 'Enabled',
            consumedUnits: 1,
            prepaidUnits: { enabled: 3, suspended: 0, warning: 0 },
            servicePlans: [{ servicePlanId: 'AAAAAAAA-0000-4000-8000-000000000001', servicePlanName: 'CONTOSO_PLAN' }],
          },
        ],
        ref,
      );
      const p = c.resolve('contoso_special');
      assert.equal(p.displayName, 'CONTOSO_SPECIAL');
      assert.equal(p.available, 2);
      assert.deepEqual(p.servicePlans, [{ id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'CONTOSO_PLAN', friendlyName: 'CONTOSO_PLAN' }]);
      assert.equal(c.byId('AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE')?.skuPartNumber, 'CONTOSO_SPECIAL');
    });
    it('lists every tenant plan', () => {
      assert.equal(full.plans().length, 10);
    });
  });

  describe('resolve', () => {
    it('E1, e3 and E5 are Office 365 E1/E3/E5', () => {
      assert.equal(part('E1'), 'STANDARDPACK');
      assert.equal(part('e3'), 'ENTERPRISEPACK');
      assert.equal(part(' E5 '), 'ENTERPRISEPREMIUM');
    });
    it("'M365 E3' and 'Microsoft 365 E3' are Microsoft 365 E3, not Office 365 E3", () => {
      assert.equal(part('M365 E3'), 'SPE_E3');
      assert.equal(part('m365e3'), 'SPE_E3');
      assert.equal(part('Microsoft 365 E3'), 'SPE_E3');
      assert.equal(part('M365 E5'), 'SPE_E5');
    });
    it('Business Basic / Standard / Premium and F3', () => {
      assert.equal(part('Business Basic'), 'O365_BUSINESS_ESSENTIALS');
      assert.equal(part('business standard'), 'O365_BUSINESS_PREMIUM');
      assert.equal(part('Business Premium'), 'SPB');
      assert.equal(part('Microsoft 365 Business Premium'), 'SPB');
      assert.equal(part('F3'), 'SPE_F1');
    });
    it('the part number, case-insensitively', () => {
      assert.equal(part('enterprisepack'), 'ENTERPRISEPACK');
      assert.equal(part('SPE_E3'), 'SPE_E3');
    });
    it('the skuId', () => {
      assert.equal(part(skuId(SKU.E3).toUpperCase()), 'ENTERPRISEPACK');
    });
    it('the product name and other spellings Microsoft publishes', () => {
      assert.equal(part('Office 365 E3'), 'ENTERPRISEPACK');
      assert.equal(part('office 365 e1'), 'STANDARDPACK');
      assert.equal(part('Planner and Project Plan 3'), 'PROJECTPROFESSIONAL');
      assert.equal(part('Project Plan 3'), 'PROJECTPROFESSIONAL');
    });
    it('only against the tenant: E5 unknown when the tenant has no Office 365 E5', () => {
      const c = catalog([subscribedSku(SKU.E1), subscribedSku(SKU.E3)]);
      const e = throwsCode(() => c.resolve('E5'), 'PLAN_UNKNOWN');
      assert.match(e.message, /No plan called 'E5' in this tenant\. Plans: Office 365 E1 \(STANDARDPACK\); Office 365 E3 \(ENTERPRISEPACK\)/);
      assert.equal(e.data.name, 'E5');
      assert.deepEqual(
        (e.data.candidates as PlanSummary[]).map((p) => p.skuPartNumber),
        ['STANDARDPACK', 'ENTERPRISEPACK'],
      );
    });
    it('an unknown name lists every tenant plan', () => {
      const e = throwsCode(() => full.resolve('Enterprise Gold'), 'PLAN_UNKNOWN');
      assert.equal((e.data.candidates as PlanSummary[]).length, 10);
    });
    it('an empty name is unknown', () => {
      throwsCode(() => full.resolve('  '), 'PLAN_UNKNOWN');
    });
    it('a name two tenant SKUs share is ambiguous and lists just those', () => {
      const c = catalog([subscribedSku('O365_BUSINESS_ESSENTIALS'), subscribedSku('SMB_BUSINESS_ESSENTIALS'), subscribedSku(SKU.E3)]);
      const e = throwsCode(() => c.resolve('Microsoft 365 Business Basic'), 'PLAN_AMBIGUOUS');
      assert.deepEqual((e.data.candidates as PlanSummary[]).map((p) => p.skuPartNumber).sort(), ['O365_BUSINESS_ESSENTIALS', 'SMB_BUSINESS_ESSENTIALS']);
      // the part number still picks one
      assert.equal(c.resolve('SMB_BUSINESS_ESSENTIALS').skuPartNumber, 'SMB_BUSINESS_ESSENTIALS');
    });
    it('a part number beats a product name that normalises the same way', () => {
      const c = catalog([subscribedSku('SPE_E3'), subscribedSku('Microsoft_365_E3')]);
      assert.equal(c.resolve('Microsoft 365 E3').skuPartNumber, 'SPE_E3');
      assert.equal(c.resolve('Microsoft_365_E3').skuPartNumber, 'Microsoft_365_E3');
    });
  });

  describe('planName and planId', () => {
    it('names a service plan by id', () => {
      assert.equal(full.planName(planId('SHAREPOINTSTANDARD')), 'SharePoint (Plan 1)');
      assert.equal(full.planName('not-a-plan'), 'not-a-plan');
    });
    it('finds a plan id by servicePlanName, friendly name or id, within a SKU when given', () => {
      const e3 = full.resolve('E3');
      assert.equal(full.planId('yammer_enterprise'), planId('YAMMER_ENTERPRISE'));
      assert.equal(full.planId('SharePoint (Plan 2)', e3), planId('SHAREPOINTENTERPRISE'));
      assert.equal(full.planId(planId('TEAMS1').toUpperCase(), e3), planId('TEAMS1'));
      assert.equal(full.planId('SHAREPOINTSTANDARD', e3), undefined);
      assert.equal(full.planId('nothing'), undefined);
    });
  });
});

import assert from 'node:assert/strict';
import { catalog, defaultSkus, forGroup, forUser, group, SKU, skuId, subscribedSku, user } from '../builders';
import { finding, ids, none, run, names, text } from './helpers';

const cat = catalog([...defaultSkus(), subscribedSku(SKU.BUSINESS_BASIC)]);

describe('preflight: conflicts and dependencies', () => {
  describe('MUTUALLY_EXCLUSIVE', () => {
    it('blocks E1 -> E3 for a user who keeps Business Basic: SharePoint Plan 2 vs Plan 1 on one user', () => {
      const u = user({ name: 'Ann', licenses: [{ sku: SKU.E1 }, { sku: SKU.BUSINESS_BASIC }] });
      const f = finding(run({ cat, subject: forUser(u) }), 'MUTUALLY_EXCLUSIVE');
      assert.equal(f.severity, 'block');
      assert.deepEqual(ids(f), [u.id]);
      assert.equal((f.data.sku as { skuId: string }).skuId, skuId(SKU.BUSINESS_BASIC));
      assert.equal(f.data.addOn, false);
      assert.deepEqual(f.data.plans, [{ service: 'SharePoint Online', targetPlan: 'SHAREPOINTENTERPRISE', otherPlan: 'SHAREPOINTSTANDARD' }]);
      assert.deepEqual(names(f), ['Ann']);
      assert.match(text(f), /the new plan clashes with Microsoft 365 Business Basic \(SharePoint Online\), which they keep/);
    });
    it("only warns for an add-on's bundled plan: E3 -> E1 beside Project Plan 3's SharePoint", () => {
      const u = user({ licenses: [{ sku: SKU.E3 }, { sku: SKU.PROJECT_P3 }] });
      const f = finding(run({ from: 'E3', to: 'E1', subject: forUser(u) }), 'MUTUALLY_EXCLUSIVE');
      assert.equal(f.severity, 'warn');
      assert.equal(f.data.addOn, true);
      assert.match(text(f), /Planner and Project Plan 3/);
    });
    it('does not appear when the other SKU carries the very same plan (E1 -> E3 beside Project Plan 3)', () => {
      const u = user({ licenses: [{ sku: SKU.E1 }, { sku: SKU.PROJECT_P3 }] });
      none(run({ subject: forUser(u) }), 'MUTUALLY_EXCLUSIVE');
    });
    it('does not appear when the clashing plan is disabled in the other SKU', () => {
      const u = user({ licenses: [{ sku: SKU.E1 }, { sku: SKU.BUSINESS_BASIC, disabled: ['SHAREPOINTSTANDARD'] }] });
      none(run({ cat, subject: forUser(u) }), 'MUTUALLY_EXCLUSIVE');
    });
    it("group swap: flags members who keep a clashing SKU from elsewhere, not the group's own E1", () => {
      const g = group({ licenses: [{ sku: SKU.E1 }] });
      const clash = user({ licenses: [{ sku: SKU.E1, group: g.id }, { sku: SKU.BUSINESS_BASIC }] });
      const fine = user({ licenses: [{ sku: SKU.E1, group: g.id }] });
      const f = finding(run({ cat, subject: forGroup(g, [clash, fine]) }), 'MUTUALLY_EXCLUSIVE');
      assert.deepEqual(ids(f), [clash.id]);
    });
  });

  describe('DEPENDENCY_BROKEN', () => {
    it('a Project Plan 3 user with bundled SharePoint disabled breaks on E3 -> E1', () => {
      const u = user({ name: 'Pia', licenses: [{ sku: SKU.E3 }, { sku: SKU.PROJECT_P3, disabled: ['SHAREPOINTENTERPRISE'] }] });
      const r = run({ from: 'E3', to: 'E1', subject: forUser(u) });
      const f = finding(r, 'DEPENDENCY_BROKEN');
      assert.equal(f.severity, 'block');
      assert.equal(f.data.plan, 'SHAREPOINT_PROJECT');
      assert.deepEqual(f.data.requiresAnyOf, ['SHAREPOINTENTERPRISE']);
      assert.equal((f.data.sku as { skuPartNumber: string }).skuPartNumber, 'PROJECTPROFESSIONAL');
      assert.match(text(f), /Planner and Project Plan 3's Project Online Service \(SHAREPOINT_PROJECT\) needs SharePoint \(Plan 2\) \(SHAREPOINTENTERPRISE\)/);
      assert.ok(names(f).some((n) => /Pia/.test(n)));
      none(r, 'MUTUALLY_EXCLUSIVE'); // the bundled SharePoint is off, so no clash
    });
    it("E1 -> E3 satisfies Project through E3's SharePoint Plan 2: no finding", () => {
      const u = user({ licenses: [{ sku: SKU.E1 }, { sku: SKU.PROJECT_P3, disabled: ['SHAREPOINTENTERPRISE'] }] });
      none(run({ subject: forUser(u) }), 'DEPENDENCY_BROKEN');
    });
    it("E3 -> E1 is fine for dependencies while Project's own SharePoint is on", () => {
      const u = user({ licenses: [{ sku: SKU.E3 }, { sku: SKU.PROJECT_P3 }] });
      none(run({ from: 'E3', to: 'E1', subject: forUser(u) }), 'DEPENDENCY_BROKEN');
    });
    it('breaks when the carried-over E3 turns SharePoint off under Project (override)', () => {
      const u = user({ licenses: [{ sku: SKU.E3 }, { sku: SKU.PROJECT_P3, disabled: ['SHAREPOINTENTERPRISE'] }] });
      const r = run({ from: 'E3', to: 'M365 E3', subject: forUser(u), spec: { planOverrides: { disable: ['SHAREPOINTENTERPRISE'] } } });
      assert.equal(finding(r, 'DEPENDENCY_BROKEN').data.plan, 'SHAREPOINT_PROJECT');
    });
    it('blocks a target whose own plan needs a service the user has off (E3 -> E5 without Teams and Skype)', () => {
      const u = user({ licenses: [{ sku: SKU.E3, disabled: ['TEAMS1', 'MCOSTANDARD'] }] });
      const r = run({ from: 'E3', to: 'E5', subject: forUser(u) });
      const plans = r.findings
        .filter((f) => f.code === 'DEPENDENCY_BROKEN')
        .map((f) => f.data.plan)
        .sort();
      assert.deepEqual(plans, ['MCOEV', 'MCOMEETADV']);
      assert.ok(r.findings.filter((f) => f.code === 'DEPENDENCY_BROKEN').every((f) => f.data.targetOwnPlan === true && f.severity === 'block'));
    });
    it("group swap: the group's own Project Plan 3 loses its prerequisite from the same group", () => {
      const g = group({ name: 'PMO', licenses: [{ sku: SKU.E3 }, { sku: SKU.PROJECT_P3, disabled: ['SHAREPOINTENTERPRISE'] }] });
      const f = finding(run({ from: 'E3', to: 'E1', subject: forGroup(g, []) }), 'DEPENDENCY_BROKEN');
      assert.deepEqual(ids(f), [g.id]);
    });
    it('a dependency already broken today is not blamed on the swap', () => {
      // Project P3 with its SharePoint off beside E1: SHAREPOINT_PROJECT had no prerequisite before either.
      const u = user({ licenses: [{ sku: SKU.E1 }, { sku: SKU.PROJECT_P3, disabled: ['SHAREPOINTENTERPRISE'] }] });
      none(run({ from: 'E1', to: 'M365 E3', subject: forUser(u), spec: { planOverrides: { disable: ['SHAREPOINTENTERPRISE'] } } }), 'DEPENDENCY_BROKEN');
    });
  });
});

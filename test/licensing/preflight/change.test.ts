import assert from 'node:assert/strict';
import { catalog, forGroup, forUser, forUsers, group, planId, planIds, SKU, skuId, subscribedSku, user } from '../builders';
import { run } from './helpers';

describe('preflight: the planned change', () => {
  it('a user swap is one call on the user: add E3 with carried-over disabled plans, remove E1', () => {
    const u = user({ name: 'Ann', licenses: [{ sku: SKU.E1, disabled: ['YAMMER_ENTERPRISE', 'SWAY'] }] });
    const r = run({ subject: forUser(u) });
    assert.equal(r.change.kind, 'user');
    assert.equal(r.change.principal.id, u.id);
    assert.equal(r.change.principal.userPrincipalName, u.userPrincipalName);
    assert.deepEqual(r.change.assignments, [
      {
        principal: { kind: 'user', id: u.id, displayName: 'Ann', userPrincipalName: u.userPrincipalName },
        addLicenses: [{ skuId: skuId(SKU.E3), disabledPlans: planIds(['SWAY', 'YAMMER_ENTERPRISE'], SKU.E3).sort((a, b) => order(a) - order(b)) }],
        removeLicenses: [skuId(SKU.E1)],
        previousDisabledPlans: planIds(['YAMMER_ENTERPRISE', 'SWAY'], SKU.E1),
      },
    ]);
    assert.equal(r.change.affectedUsers, 1);
    assert.equal(r.change.from.skuPartNumber, 'STANDARDPACK');
    assert.equal(r.change.to.displayName, 'Office 365 E3');
    assert.equal(r.blocked, false);
    assert.deepEqual(r.counts, { block: 0, warn: 0, info: 0 });
    assert.equal(r.checkedAt, '2026-03-01T12:00:00.000Z');
    assert.ok(r.change.servicesGained.includes('Defender for Office 365'));
    assert.ok(r.change.servicesUpgraded!.some((s) => s.startsWith('Exchange Online mailbox: ')));
    assert.ok(!r.change.servicesKept.includes('Exchange Online mailbox'));
    assert.deepEqual(r.change.servicesLost, []);
  });

  it("a group swap is one call on the group using the group's own disabled plans", () => {
    const g = group({ licenses: [{ sku: SKU.E1, disabled: ['STREAM_O365_E1'] }] });
    const members = [
      user({ licenses: [{ sku: SKU.E1, group: g.id, disabled: ['STREAM_O365_E1'] }] }),
      user({ licenses: [{ sku: SKU.E1, group: g.id, disabled: ['STREAM_O365_E1'] }] }),
    ];
    const r = run({ subject: forGroup(g, members) });
    assert.equal(r.change.kind, 'group');
    assert.equal(r.change.affectedUsers, 2);
    assert.equal(r.change.assignments.length, 1);
    const a = r.change.assignments[0]!;
    assert.deepEqual(a.principal, { kind: 'group', id: g.id, displayName: g.displayName });
    assert.deepEqual(a.addLicenses, [{ skuId: skuId(SKU.E3), disabledPlans: [planId('STREAM_O365_E3')] }]);
    assert.deepEqual(a.previousDisabledPlans, [planId('STREAM_O365_E1')]);
  });

  it('a list of users is one call per user holding E1 directly, each with their own disabled plans', () => {
    const a = user({ licenses: [{ sku: SKU.E1, disabled: ['YAMMER_ENTERPRISE'] }] });
    const b = user({ licenses: [{ sku: SKU.E1 }] });
    const r = run({ subject: forUsers([a, b]) });
    assert.equal(r.change.kind, 'users');
    assert.deepEqual(r.change.principal, { kind: 'user', id: 'users:2', displayName: '2 users' });
    assert.deepEqual(
      r.change.assignments.map((x) => x.addLicenses[0]!.disabledPlans),
      [[planId('YAMMER_ENTERPRISE')], []],
    );
    assert.equal(r.change.affectedUsers, 2);
  });

  it('exactDisabledPlans (undo) overrides the computed target disabled plans for that principal', () => {
    const u = user({ id: 'u-undo', licenses: [{ sku: SKU.E3 }] });
    const exact = planIds(['YAMMER_ENTERPRISE', 'SWAY'], SKU.E1);
    const r = run({ from: 'E3', to: 'E1', subject: forUser(u), spec: { exactDisabledPlans: { 'u-undo': exact } } });
    assert.deepEqual(r.change.assignments[0]!.addLicenses[0]!.disabledPlans, exact);
    assert.ok(!r.change.servicesKept.includes('SWAY'));
  });

  it('planOverrides reach the call', () => {
    const u = user({ licenses: [{ sku: SKU.E1 }] });
    const r = run({ subject: forUser(u), spec: { planOverrides: { disable: ['ATP_ENTERPRISE'] } } });
    assert.deepEqual(r.change.assignments[0]!.addLicenses[0]!.disabledPlans, [planId('ATP_ENTERPRISE')]);
  });

  it('orders findings block, warn, info and counts them', () => {
    const g = group({ licenses: [{ sku: SKU.E1 }], onPremisesSyncEnabled: true, securityEnabled: false });
    const m = user({ licenses: [{ sku: SKU.E1, group: g.id }, { sku: SKU.E1 }] });
    const r = run({ subject: forGroup(g, [m]) });
    const sev = r.findings.map((f) => f.severity);
    assert.deepEqual(
      sev,
      [...sev].sort((a, b) => ['block', 'warn', 'info'].indexOf(a) - ['block', 'warn', 'info'].indexOf(b)),
    );
    assert.deepEqual(r.counts, { block: 1, warn: 1, info: 1 });
    assert.equal(r.blocked, true);
  });

  it('stays linear: a 20,000-member group is checked without per-member rescans', () => {
    const cat = catalog([subscribedSku(SKU.E1), subscribedSku(SKU.E3, { enabled: 100000, consumed: 0 })]);
    const g = group({ licenses: [{ sku: SKU.E1 }] });
    const members = Array.from({ length: 20000 }, (_, i) => user({ name: `M${i}`, licenses: [{ sku: SKU.E1, group: g.id }] }));
    const r = run({ cat, subject: forGroup(g, members) });
    assert.equal(r.change.seats.needed, 20000);
    assert.equal(r.blocked, false);
  });
});

function order(id: string): number {
  return catalog()
    .resolve('E3')
    .servicePlans.findIndex((p) => p.id === id);
}

describe('preflight: duplicates', () => {
  it('a user listed twice gets one call', () => {
    const a = user({ licenses: [{ sku: SKU.E1 }] });
    const r = run({ subject: forUsers([a, a]) });
    assert.equal(r.change.assignments.length, 1);
    assert.equal(r.change.principal.displayName, '1 user');
  });
});

describe('preflight: direct copies in a group swap', () => {
  it('removes the direct copy of a member who also holds E1 from the group, and fully swaps a direct-only copy', () => {
    const g = group({ id: 'grp', licenses: [{ sku: SKU.E1 }] });
    const both = user({
      licenses: [
        { sku: SKU.E1, group: 'grp' },
        { sku: SKU.E1, disabled: ['SWAY'] },
      ],
    });
    const directOnly = user({ usageLocation: null, licenses: [{ sku: SKU.E1, disabled: ['SWAY'] }] });
    const r = run({ subject: forGroup(g, [both, directOnly]), spec: { includeDirectCopies: true } });
    const [a, b, c] = r.change.assignments;
    assert.deepEqual([a!.principal.id, b!.principal.id, c!.principal.id], [both.id, directOnly.id, 'grp']);
    assert.deepEqual(a!.addLicenses, []);
    assert.deepEqual(a!.removeLicenses, [skuId(SKU.E1)]);
    assert.deepEqual(a!.previousDisabledPlans, [planId('SWAY')]);
    assert.deepEqual(b!.addLicenses, [{ skuId: skuId(SKU.E3), disabledPlans: [planId('SWAY')] }]);
    // the direct-only member's own call needs a usage location
    const f = r.findings.find((x) => x.code === 'USAGE_LOCATION_MISSING')!;
    assert.equal(f.severity, 'block');
    assert.deepEqual(
      f.principals.map((p) => p.id),
      [directOnly.id],
    );
  });
});

import assert from 'node:assert/strict';
import { forGroup, forUser, forUsers, group, SKU, user } from '../builders';
import { finding, ids, none, run, names, text } from './helpers';

describe('preflight: usage location', () => {
  describe('USAGE_LOCATION_MISSING', () => {
    it('blocks a direct user swap for a user without a usage location', () => {
      const u = user({ name: 'Ann', usageLocation: null, licenses: [{ sku: SKU.E1 }] });
      const f = finding(run({ subject: forUser(u) }), 'USAGE_LOCATION_MISSING');
      assert.equal(f.severity, 'block');
      assert.deepEqual(names(f), ['Ann']);
      assert.match(text(f), /No usage location: a license can't be assigned directly without one/);
    });
    it('names only the listed users without one', () => {
      const a = user({ usageLocation: null, licenses: [{ sku: SKU.E1 }] });
      const b = user({ licenses: [{ sku: SKU.E1 }] });
      assert.deepEqual(ids(finding(run({ subject: forUsers([a, b]) }), 'USAGE_LOCATION_MISSING')), [a.id]);
    });
    it("group swap: informs that the tenant's country is used, and names it", () => {
      const g = group({ licenses: [{ sku: SKU.E1 }] });
      const m = user({ name: 'Mo', usageLocation: null, licenses: [{ sku: SKU.E1, group: g.id }] });
      const f = finding(run({ subject: forGroup(g, [m, user({ licenses: [{ sku: SKU.E1, group: g.id }] })]), country: 'NL' }), 'USAGE_LOCATION_MISSING');
      assert.equal(f.severity, 'info');
      assert.deepEqual(ids(f), [m.id]);
      assert.equal(f.data.defaultCountry, 'NL');
      assert.match(text(f), /organization's country, Netherlands \(NL\)/);
    });
    it('group swap: warns when the tenant has no country either', () => {
      const g = group({ licenses: [{ sku: SKU.E1 }] });
      const m = user({ usageLocation: null, licenses: [{ sku: SKU.E1, group: g.id }] });
      assert.equal(finding(run({ subject: forGroup(g, [m]), country: null }), 'USAGE_LOCATION_MISSING').severity, 'warn');
    });
    it('does not appear when everyone has a usage location', () => {
      none(run({ subject: forUser(user({ licenses: [{ sku: SKU.E1 }] })) }), 'USAGE_LOCATION_MISSING');
      const g = group({ licenses: [{ sku: SKU.E1 }] });
      none(run({ subject: forGroup(g, [user({ licenses: [{ sku: SKU.E1, group: g.id }] })]) }), 'USAGE_LOCATION_MISSING');
    });
  });
});

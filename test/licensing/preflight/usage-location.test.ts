import assert from 'node:assert/strict';
import { forGroup, forUser, forUsers, group, SKU, user } from '../builders';
import { finding, ids, none, run, names, text } from './helpers';
import { input } from '../builders';
import { runPreflight } from '../../../src/licensing/preflight';

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

  // Issue 13 part 6: fixed in the change when the app may write usage locations.
  describe('the fix (USAGE_LOCATION_SET)', () => {
    const writable = (o: Parameters<typeof run>[0]) => runPreflight({ ...input(o), usageLocationWritable: true });

    it('names the permission when the app may not write usage locations, and offers nothing', () => {
      const u = user({ usageLocation: null, licenses: [{ sku: SKU.E1 }] });
      const f = finding(run({ subject: forUser(u), spec: { setUsageLocation: { country: 'BE' } } }), 'USAGE_LOCATION_MISSING');
      assert.equal(f.severity, 'block');
      assert.equal(f.data.fixNeeds, 'User.ReadWrite.All');
      assert.equal(f.data.fix, undefined);
      none(run({ subject: forUser(u), spec: { setUsageLocation: { country: 'BE' } } }), 'USAGE_LOCATION_SET');
    });

    it("offers the tenant's country (or none, when it has none) when it may", () => {
      const u = user({ usageLocation: null, licenses: [{ sku: SKU.E1 }] });
      assert.deepEqual(finding(writable({ subject: forUser(u) }), 'USAGE_LOCATION_MISSING').data.fix, { country: 'NL', countryName: 'Netherlands' });
      const none_ = finding(writable({ subject: forUser(u), country: null }), 'USAGE_LOCATION_MISSING');
      assert.deepEqual(none_.data.fix, { country: null, countryName: null });
      assert.match(text(none_), /Plan Switch can set it as part of this change: choose the country/);
    });

    it('with the fix: not blocked, the people named, the change carries whom and what', () => {
      const a = user({ name: 'Ann', usageLocation: null, licenses: [{ sku: SKU.E1 }] });
      const b = user({ name: 'Bob', usageLocation: null, licenses: [{ sku: SKU.E1 }] });
      const c = user({ name: 'Cas', licenses: [{ sku: SKU.E1 }] });
      const r = writable({ subject: forUsers([a, b, c]), spec: { setUsageLocation: { country: 'BE' } } });
      assert.equal(r.blocked, false);
      none(r, 'USAGE_LOCATION_MISSING');
      const f = finding(r, 'USAGE_LOCATION_SET', 'info');
      assert.deepEqual(names(f), ['Ann', 'Bob']);
      assert.deepEqual(r.change.setUsageLocation, { country: 'BE', users: f.principals });
      // Pinned to Ann only: Bob still blocks.
      const pinned = writable({ subject: forUsers([a, b, c]), spec: { setUsageLocation: { country: 'BE', userIds: [a.id] } } });
      assert.equal(pinned.blocked, true);
      assert.deepEqual(names(finding(pinned, 'USAGE_LOCATION_SET')), ['Ann']);
      assert.deepEqual(names(finding(pinned, 'USAGE_LOCATION_MISSING')), ['Bob']);
    });

    it('a group: members without one are set before the group write', () => {
      const g = group({ licenses: [{ sku: SKU.E1 }] });
      const m = user({ name: 'Mo', usageLocation: null, licenses: [{ sku: SKU.E1, group: g.id }] });
      const r = writable({ subject: forGroup(g, [m, user({ licenses: [{ sku: SKU.E1, group: g.id }] })]), spec: { setUsageLocation: { country: 'DE' } } });
      assert.deepEqual(names(finding(r, 'USAGE_LOCATION_SET')), ['Mo']);
      none(r, 'USAGE_LOCATION_MISSING');
      assert.equal(r.change.setUsageLocation?.country, 'DE');
    });

    it('the undo of such a change says the usage locations stay set', () => {
      const u = user({ name: 'Ann', licenses: [{ sku: SKU.E3 }] });
      const r = run({ subject: forUser(u), from: 'E3', to: 'E1', spec: { usageLocationKept: { country: 'BE', users: [{ kind: 'user', id: u.id, displayName: 'Ann' }] } } });
      const f = finding(r, 'USAGE_LOCATION_KEPT', 'info');
      assert.match(text(f), /this undo leaves it set/);
    });
  });
});

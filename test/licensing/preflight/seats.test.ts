import assert from 'node:assert/strict';
import { catalog, defaultSkus, forGroup, forUser, forUsers, group, SKU, user } from '../builders';
import { finding, ids, none, run, names, text } from './helpers';

const withE3 = (enabled: number, consumed: number) => catalog(defaultSkus({ [SKU.E3]: { enabled, consumed } }));

describe('preflight: seats', () => {
  describe('SEATS_SHORT', () => {
    it('blocks a user swap when no E3 license is free', () => {
      const r = run({ cat: withE3(10, 10), subject: forUser(user({ licenses: [{ sku: SKU.E1 }] })) });
      const f = finding(r, 'SEATS_SHORT');
      assert.equal(f.severity, 'block');
      assert.deepEqual(f.data.needed, 1);
      assert.deepEqual(f.data.available, 0);
      assert.deepEqual(r.change.seats, { needed: 1, available: 0 });
      assert.match(text(f), /1 needed, 0 available \(1 short\)/);
    });
    it('counts only users who do not already consume E3', () => {
      const has = user({ licenses: [{ sku: SKU.E1 }, { sku: SKU.E3, group: 'g-e3' }] });
      const a = user({ licenses: [{ sku: SKU.E1 }] });
      const b = user({ licenses: [{ sku: SKU.E1 }] });
      const r = run({ cat: withE3(10, 8), subject: forUsers([has, a, b]) });
      assert.deepEqual(r.change.seats, { needed: 2, available: 2 });
      none(r, 'SEATS_SHORT');
      const short = run({ cat: withE3(10, 9), subject: forUsers([has, a, b]) });
      assert.deepEqual(finding(short, 'SEATS_SHORT').data.needed, 2);
    });
    it('group: counts members that will actually get E3, not those whose E3 will fail on a kept E1 copy', () => {
      const g = group({ licenses: [{ sku: SKU.E1 }] });
      const members = [
        user({ licenses: [{ sku: SKU.E1, group: g.id }] }),
        user({ licenses: [{ sku: SKU.E1, group: g.id }] }),
        user({ licenses: [{ sku: SKU.E1, group: g.id }, { sku: SKU.E1 }] }), // direct copy kept: E3 will fail
        user({
          licenses: [
            { sku: SKU.E1, group: g.id },
            { sku: SKU.E1, group: 'other' },
          ],
        }), // other group: E3 will fail
      ];
      const r = run({ cat: withE3(10, 8), subject: forGroup(g, members) });
      assert.deepEqual(r.change.seats, { needed: 2, available: 2 });
      none(r, 'SEATS_SHORT');
      // including direct copies: that member now gets E3 too
      const inc = run({ cat: withE3(10, 8), subject: forGroup(g, members), spec: { includeDirectCopies: true } });
      const f = finding(inc, 'SEATS_SHORT');
      assert.deepEqual([f.data.needed, f.data.available], [3, 2]);
      assert.equal(f.principals.length, 3);
    });
    it('mentions disabled accounts, which still use a license', () => {
      const g = group({ licenses: [{ sku: SKU.E1 }] });
      const members = [user({ accountEnabled: false, licenses: [{ sku: SKU.E1, group: g.id }] }), user({ licenses: [{ sku: SKU.E1, group: g.id }] })];
      const f = finding(run({ cat: withE3(5, 4), subject: forGroup(g, members) }), 'SEATS_SHORT');
      assert.equal(f.data.disabledAccounts, 1);
      assert.match(text(f), /One of them is a disabled account, which still uses a license/);
    });
    it('freed E1 seats do not help: does not appear only when E3 itself has room', () => {
      none(run({ cat: withE3(1, 0), subject: forUser(user({ licenses: [{ sku: SKU.E1 }] })) }), 'SEATS_SHORT');
    });
  });

  describe('TARGET_ALREADY_ASSIGNED', () => {
    it('blocks a user swap when the user already holds E3 directly', () => {
      const u = user({ name: 'Ann', licenses: [{ sku: SKU.E1 }, { sku: SKU.E3 }] });
      const r = run({ subject: forUser(u) });
      const f = finding(r, 'TARGET_ALREADY_ASSIGNED');
      assert.equal(f.severity, 'block');
      assert.deepEqual(names(f), ['Ann']);
      assert.match(text(f), /already have the target plan assigned directly/);
      assert.equal(r.change.seats.needed, 0);
    });
    it('is information when a listed user gets E3 from a group already (no new seat)', () => {
      const a = user({ name: 'Ann', licenses: [{ sku: SKU.E1 }, { sku: SKU.E3, group: 'g' }] });
      const b = user({ licenses: [{ sku: SKU.E1 }] });
      const r = run({ subject: forUsers([a, b]) });
      const f = finding(r, 'TARGET_ALREADY_ASSIGNED');
      assert.equal(f.severity, 'info');
      assert.deepEqual(ids(f), [a.id]);
      assert.equal(r.change.seats.needed, 1);
    });
    it('group: informs about members holding E3 already and warns when the group itself has it', () => {
      const g = group({ name: 'Sales', licenses: [{ sku: SKU.E1 }, { sku: SKU.E3 }] });
      const m = user({ licenses: [{ sku: SKU.E1, group: g.id }, { sku: SKU.E3 }] });
      const r = run({ subject: forGroup(g, [m, user({ licenses: [{ sku: SKU.E1, group: g.id }] })]) });
      assert.deepEqual(ids(finding(r, 'TARGET_ALREADY_ASSIGNED', 'info')), [m.id]);
      const onGroup = finding(r, 'TARGET_ALREADY_ASSIGNED', 'warn');
      assert.deepEqual(names(onGroup), ['Sales']);
      assert.match(text(onGroup), /The group already has the target plan/);
    });
    it('does not appear when nobody holds E3', () => {
      none(run({ subject: forUser(user({ licenses: [{ sku: SKU.E1 }] })) }), 'TARGET_ALREADY_ASSIGNED');
      const g = group({ licenses: [{ sku: SKU.E1 }] });
      none(run({ subject: forGroup(g, [user({ licenses: [{ sku: SKU.E1, group: g.id }] })]) }), 'TARGET_ALREADY_ASSIGNED');
    });
  });
});

import assert from 'node:assert/strict';
import { forGroup, forUser, forUsers, group, SKU, user } from '../builders';
import { finding, ids, none, run, names, text } from './helpers';

describe('preflight: service continuity', () => {
  describe('SERVICES_LOST', () => {
    it('E3 -> E1 lists the services lost', () => {
      const u = user({ name: 'Ann', licenses: [{ sku: SKU.E3 }] });
      const r = run({ from: 'E3', to: 'E1', subject: forUser(u) });
      const f = finding(r, 'SERVICES_LOST');
      assert.equal(f.severity, 'warn');
      const lost = f.data.lost as string[];
      assert.ok(lost.includes('Defender for Office 365'));
      assert.ok(lost.includes('Information Protection for Office 365'));
      assert.ok((f.data.downgraded as string[]).some((d) => d.startsWith('Office apps')));
      assert.deepEqual(names(f), ['Ann']);
      assert.match(text(f), /^They lose Defender for Office 365, .*: the new plan has no such service; they get a smaller edition of /);
      assert.deepEqual(r.change.servicesLost, lost);
    });
    it('does not count services the user already has off', () => {
      const u = user({ licenses: [{ sku: SKU.E3, disabled: ['ATP_ENTERPRISE', 'MIP_S_CLP1', 'ContentExplorer_Standard'] }] });
      const f = finding(run({ from: 'E3', to: 'E1', subject: forUser(u) }), 'SERVICES_LOST');
      assert.deepEqual(f.data.lost, []);
      assert.ok((f.data.downgraded as string[]).length > 0);
    });
    it('names the group for a group downgrade', () => {
      const g = group({ name: 'Sales', licenses: [{ sku: SKU.E3 }] });
      const f = finding(run({ from: 'E3', to: 'E1', subject: forGroup(g, []) }), 'SERVICES_LOST');
      assert.deepEqual(ids(f), [g.id]);
      assert.deepEqual(names(f), ['Sales']);
      assert.match(text(f), /^They lose /);
    });
    it('counts per service across a list of users', () => {
      const a = user({ licenses: [{ sku: SKU.E3 }] });
      const b = user({ licenses: [{ sku: SKU.E3, disabled: ['ATP_ENTERPRISE'] }] });
      const f = finding(run({ from: 'E3', to: 'E1', subject: forUsers([a, b]) }), 'SERVICES_LOST');
      assert.deepEqual((f.data.byService as Record<string, number>)['Defender for Office 365'], 1);
      assert.deepEqual((f.data.byService as Record<string, number>)['Information Protection for Office 365'], 2);
    });
    it("including direct copies: a member whose own copy has a service the group's copy turns off loses it, and is named", () => {
      const g = group({ id: 'sales-group', name: 'Sales', licenses: [{ sku: SKU.E1, disabled: ['EXCHANGE_S_STANDARD'] }] });
      const plain = user({ name: 'Plain', licenses: [{ sku: SKU.E1, group: g.id, disabled: ['EXCHANGE_S_STANDARD'] }] });
      const dora = user({ name: 'Dora Direct', licenses: [{ sku: SKU.E1, group: g.id, disabled: ['EXCHANGE_S_STANDARD'] }, { sku: SKU.E1 }] });
      const same = user({
        name: 'Sam Same',
        licenses: [
          { sku: SKU.E1, group: g.id, disabled: ['EXCHANGE_S_STANDARD'] },
          { sku: SKU.E1, disabled: ['EXCHANGE_S_STANDARD'] },
        ],
      });
      const r = run({ subject: forGroup(g, [plain, dora, same]), spec: { includeDirectCopies: true } });
      const f = finding(r, 'SERVICES_LOST');
      assert.deepEqual(ids(f), [dora.id]);
      assert.ok(
        (f.data.lost as string[]).some((s) => /Exchange/.test(s)),
        JSON.stringify(f.data.lost),
      );
      assert.deepEqual(f.data.fromDirectCopies, [dora.id]);
      assert.deepEqual(names(f), ['Dora Direct']);
      assert.match(text(f), /^Members whose own copy of the old plan this change removes lose Exchange Online mailbox/);
      // Without the direct copies in the change they keep their own E1: nothing is lost.
      none(run({ subject: forGroup(g, [plain, dora, same]) }), 'SERVICES_LOST');
    });
    it('does not appear for an upgrade (E1 -> E3)', () => {
      none(run({ subject: forUser(user({ licenses: [{ sku: SKU.E1 }] })) }), 'SERVICES_LOST');
    });
  });
});

import assert from 'node:assert/strict';
import { forGroup, forUser, group, SKU, user } from '../builders';
import { finding, ids, none, run, names, text } from './helpers';

describe('preflight: what an undo does not undo', () => {
  describe('DIRECT_COPIES_NOT_RESTORED', () => {
    const g = group({ id: 'sales-group', name: 'Sales', licenses: [{ sku: SKU.E3 }] });
    const bob = { kind: 'user' as const, id: 'bob-id', displayName: 'Bob' };
    const cy = { kind: 'user' as const, id: 'cy-id', displayName: 'Cy' };

    it('an undo of a group change with direct copies says whose copies stay as they are, as a note', () => {
      const r = run({ from: 'E3', to: 'E1', subject: forGroup(g, []), spec: { directCopiesNotRestored: { removed: [bob], swapped: [cy] } } });
      const f = finding(r, 'DIRECT_COPIES_NOT_RESTORED');
      assert.equal(f.severity, 'info');
      assert.deepEqual(ids(f), ['bob-id', 'cy-id']);
      assert.deepEqual(f.data, { removed: 1, swapped: 1 });
      assert.deepEqual(names(f), ['Bob', 'Cy']);
      assert.match(text(f), /This undo changes the group only\. 1 member also had the old plan directly; those copies were removed and are not put back/);
      assert.match(text(f), /1 member keeps the new plan on their own copy: undo them as users/);
      assert.equal(r.blocked, false);
    });

    it('does not appear for other changes, or for a user even when the field is forged', () => {
      none(run({ from: 'E3', to: 'E1', subject: forGroup(g, []) }), 'DIRECT_COPIES_NOT_RESTORED');
      const u = user({ licenses: [{ sku: SKU.E3 }] });
      none(run({ from: 'E3', to: 'E1', subject: forUser(u), spec: { directCopiesNotRestored: { removed: [bob], swapped: [] } } }), 'DIRECT_COPIES_NOT_RESTORED');
    });
  });
});

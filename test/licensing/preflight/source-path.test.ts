import assert from 'node:assert/strict';
import { forGroup, forUser, forUsers, group, SKU, user } from '../builders';
import { finding, ids, none, run, names, text } from './helpers';

describe('preflight: source path', () => {
  describe('SAME_PLAN', () => {
    it('blocks E3 -> E3 and plans no calls', () => {
      const u = user({ licenses: [{ sku: SKU.E3 }] });
      const r = run({ from: 'E3', to: 'enterprisepack', subject: forUser(u) });
      assert.equal(finding(r, 'SAME_PLAN').severity, 'block');
      assert.equal(r.findings.length, 1);
      assert.deepEqual(r.change.assignments, []);
      assert.equal(r.blocked, true);
    });
    it('does not appear for E1 -> E3', () => {
      const r = run({ subject: forUser(user({ licenses: [{ sku: SKU.E1 }] })) });
      none(r, 'SAME_PLAN');
    });
  });

  describe('SOURCE_NOT_ASSIGNED', () => {
    it('blocks a user swap when the user does not have E1', () => {
      const u = user({ name: 'Ann Lee', licenses: [{ sku: SKU.E5 }] });
      const f = finding(run({ subject: forUser(u) }), 'SOURCE_NOT_ASSIGNED');
      assert.equal(f.severity, 'block');
      assert.deepEqual(names(f), ['Ann Lee']);
      assert.match(text(f), /The source plan is not assigned here/);
    });
    it('blocks a group swap when the group does not hold E1', () => {
      const g = group({ name: 'Sales', licenses: [{ sku: SKU.E5 }] });
      const f = finding(run({ subject: forGroup(g, []) }), 'SOURCE_NOT_ASSIGNED');
      assert.equal(f.severity, 'block');
      assert.deepEqual(ids(f), [g.id]);
      assert.match(text(f), /The group does not have the source plan/);
    });
    it('a group without E1 whose members hold it directly or from another group: one finding that says how to move them, no group-swap warning', () => {
      const g = group({ id: 'marketing', name: 'Marketing', licenses: [] });
      const anouk = user({ name: 'Anouk', upn: 'anouk@contoso.example', licenses: [{ sku: SKU.E1 }] });
      const bas = user({ name: 'Bas', upn: 'bas@contoso.example', licenses: [{ sku: SKU.E1 }] });
      const hr = user({ name: 'Hanna', licenses: [{ sku: SKU.E1, group: 'hr-group' }] });
      const none_ = user({ name: 'Nobody', licenses: [] });
      const r = run({ subject: forGroup(g, [anouk, bas, hr, none_]), groupNames: { 'hr-group': 'HR' } });
      const f = finding(r, 'SOURCE_NOT_ASSIGNED');
      assert.equal(f.severity, 'block');
      assert.deepEqual(ids(f), [g.id, anouk.id, bas.id, hr.id]);
      assert.equal(f.data.directHolders, 2);
      assert.deepEqual(f.data.suggestUsers, ['anouk@contoso.example', 'bas@contoso.example']);
      assert.equal(f.data.from, 'E1');
      assert.equal(f.data.to, 'E3');
      assert.deepEqual(f.data.otherGroups, [{ id: 'hr-group', displayName: 'HR', members: 1 }]);
      assert.match(text(f), /2 members hold it directly: move them as users instead: say "move users anouk@contoso\.example, bas@contoso\.example from E1 to E3"/);
      assert.match(text(f), /Members also get it from the group HR: change that group instead/);
      none(r, 'SOURCE_ALSO_ELSEWHERE');
    });
    it('spells out the members to move only while the list is short', () => {
      const g = group({ id: 'big', name: 'Big', licenses: [] });
      const members = Array.from({ length: 11 }, (_, i) => user({ name: `M${i}`, licenses: [{ sku: SKU.E1 }] }));
      const f = finding(run({ subject: forGroup(g, members) }), 'SOURCE_NOT_ASSIGNED');
      assert.equal(f.data.directHolders, 11);
      assert.deepEqual(f.data.suggestUsers, []);
    });
    it('names each user of a list without E1, and the names not found', () => {
      const ok = user({ licenses: [{ sku: SKU.E1 }] });
      const bob = user({ name: 'Bob', licenses: [] });
      const r = run({ subject: forUsers([ok, bob], ['ghost@contoso.example']) });
      const f = finding(r, 'SOURCE_NOT_ASSIGNED');
      assert.deepEqual(ids(f), [bob.id]);
      assert.deepEqual(f.data.notFound, ['ghost@contoso.example']);
      assert.deepEqual(names(f), ['Bob']);
      assert.match(text(f), /Not found in the directory: ghost@contoso\.example/);
      assert.equal(r.change.assignments.length, 1, 'only the user who holds E1 directly gets a call');
    });
    it('does not appear when the user, group and every listed user hold E1', () => {
      none(run({ subject: forUser(user({ licenses: [{ sku: SKU.E1 }] })) }), 'SOURCE_NOT_ASSIGNED');
      none(run({ subject: forGroup(group({ licenses: [{ sku: SKU.E1 }] }), []) }), 'SOURCE_NOT_ASSIGNED');
      none(run({ subject: forUsers([user({ licenses: [{ sku: SKU.E1 }] })]) }), 'SOURCE_NOT_ASSIGNED');
    });
  });

  describe('SOURCE_INHERITED', () => {
    it('blocks a user swap when E1 is inherited from Sales and names the group', () => {
      const sales = 'aaaaaaaa-0000-4000-8000-000000000001';
      const u = user({ name: 'Ann Lee', licenses: [{ sku: SKU.E1, group: sales }] });
      const r = run({ subject: forUser(u), groupNames: { [sales]: 'Sales' } });
      const f = finding(r, 'SOURCE_INHERITED');
      assert.equal(f.severity, 'block');
      assert.deepEqual(f.data.groups, [{ id: sales, displayName: 'Sales', members: 1 }]);
      assert.deepEqual(names(f), ['Ann Lee']);
      assert.match(text(f), /from the group Sales/);
      none(r, 'SOURCE_NOT_ASSIGNED');
      assert.equal(r.blocked, true);
    });
    it('blocks when a user holds E1 directly and from a group too', () => {
      const u = user({ licenses: [{ sku: SKU.E1 }, { sku: SKU.E1, group: 'g-1' }] });
      const f = finding(run({ subject: forUser(u), groupNames: { 'g-1': 'Finance' } }), 'SOURCE_INHERITED');
      assert.match(text(f), /Finance/);
    });
    it('names the inheriting users of a list', () => {
      const a = user({ licenses: [{ sku: SKU.E1 }] });
      const b = user({ name: 'Bea', licenses: [{ sku: SKU.E1, group: 'g-2' }] });
      const f = finding(run({ subject: forUsers([a, b]) }), 'SOURCE_INHERITED');
      assert.deepEqual(ids(f), [b.id]);
    });
    it('does not appear for a direct-only user', () => {
      none(run({ subject: forUser(user({ licenses: [{ sku: SKU.E1 }] })) }), 'SOURCE_INHERITED');
    });
  });

  describe('SOURCE_ALSO_ELSEWHERE', () => {
    const g = group({ id: 'sales-group', name: 'Sales', licenses: [{ sku: SKU.E1 }] });
    const plain = user({ name: 'Plain', licenses: [{ sku: SKU.E1, group: g.id }] });
    const direct = user({ name: 'Dora Direct', licenses: [{ sku: SKU.E1, group: g.id }, { sku: SKU.E1 }] });
    const other = user({
      name: 'Otto Other',
      licenses: [
        { sku: SKU.E1, group: g.id },
        { sku: SKU.E1, group: 'hr-group' },
      ],
    });
    const groupNames = { 'hr-group': 'HR' };

    it('warns about members who also hold E1 directly or from another group: E3 will fail for them', () => {
      const r = run({ subject: forGroup(g, [plain, direct, other]), groupNames });
      const f = finding(r, 'SOURCE_ALSO_ELSEWHERE');
      assert.equal(f.severity, 'warn');
      assert.deepEqual(ids(f).sort(), [direct.id, other.id].sort());
      assert.deepEqual(
        (f.data.direct as { id: string }[]).map((p) => p.id),
        [direct.id],
      );
      assert.deepEqual(f.data.otherGroups, [{ id: 'hr-group', displayName: 'HR', members: 1 }]);
      assert.equal(f.data.clash, true);
      assert.equal(f.data.suggestIncludeDirectCopies, true);
      assert.deepEqual(names(f).sort(), ['Dora Direct', 'Otto Other']);
      assert.match(text(f), /Some members also hold the source plan directly or from the group HR/);
      assert.match(text(f), /will fail for them \(mutually exclusive\)/);
      assert.match(text(f), /include their direct copies/);
    });
    it('with includeDirectCopies only the other-group holder remains flagged, and direct copies get their own call first', () => {
      const r = run({ subject: forGroup(g, [plain, direct, other]), groupNames, spec: { includeDirectCopies: true } });
      const f = finding(r, 'SOURCE_ALSO_ELSEWHERE');
      assert.deepEqual(ids(f), [other.id]);
      assert.equal(f.data.suggestIncludeDirectCopies, false);
      const calls = r.change.assignments;
      assert.deepEqual(
        calls.map((a) => a.principal.id),
        [direct.id, g.id],
      );
      assert.deepEqual(calls[0]!.addLicenses, []);
      assert.equal(r.change.includeDirectCopies, true);
    });
    it('does not appear when every member holds E1 from this group only', () => {
      none(run({ subject: forGroup(g, [plain]) }), 'SOURCE_ALSO_ELSEWHERE');
    });
    it('does not appear when the only extra copies are direct and included', () => {
      none(run({ subject: forGroup(g, [plain, direct]), spec: { includeDirectCopies: true } }), 'SOURCE_ALSO_ELSEWHERE');
    });
    it('says the member keeps two licenses when source and target do not clash (E3 -> E5)', () => {
      const g5 = group({ id: 'g5', licenses: [{ sku: SKU.E3 }] });
      const m = user({ licenses: [{ sku: SKU.E3, group: 'g5' }, { sku: SKU.E3 }] });
      const f = finding(run({ from: 'E3', to: 'E5', subject: forGroup(g5, [m]) }), 'SOURCE_ALSO_ELSEWHERE');
      assert.equal(f.data.clash, false);
      assert.match(text(f), /use two licenses/);
    });
  });
});

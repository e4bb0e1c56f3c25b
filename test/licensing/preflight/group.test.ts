import assert from 'node:assert/strict';
import { forGroup, forUser, group, SKU, user } from '../builders';
import { finding, ids, none, run, names, text } from './helpers';

const e1Group = (o: Parameters<typeof group>[0] = {}) => group({ name: 'Sales', licenses: [{ sku: SKU.E1 }], ...o });

describe('preflight: group kind and health', () => {
  describe('GROUP_NOT_SECURITY', () => {
    it('blocks a group that is not security-enabled', () => {
      const g = e1Group({ securityEnabled: false, groupTypes: ['Unified'] });
      const f = finding(run({ subject: forGroup(g, []) }), 'GROUP_NOT_SECURITY');
      assert.equal(f.severity, 'block');
      assert.deepEqual(names(f), ['Sales']);
      assert.match(text(f), /Only security groups can hold licenses, and this group is not one/);
    });
    it('does not appear for a security group', () => {
      none(run({ subject: forGroup(e1Group(), []) }), 'GROUP_NOT_SECURITY');
    });
  });

  describe('GROUP_SYNCED', () => {
    it('informs that membership is managed on-premises', () => {
      const f = finding(run({ subject: forGroup(e1Group({ onPremisesSyncEnabled: true }), []) }), 'GROUP_SYNCED');
      assert.equal(f.severity, 'info');
      assert.match(text(f), /on-premises/);
    });
    it('does not appear for a cloud group', () => {
      none(run({ subject: forGroup(e1Group({ onPremisesSyncEnabled: false }), []) }), 'GROUP_SYNCED');
    });
  });

  describe('GROUP_DYNAMIC', () => {
    it('informs and quotes the membership rule', () => {
      const rule = 'user.department -eq "Sales"';
      const f = finding(run({ subject: forGroup(e1Group({ groupTypes: ['DynamicMembership'], membershipRule: rule }), []) }), 'GROUP_DYNAMIC');
      assert.equal(f.severity, 'info');
      assert.equal(f.data.membershipRule, rule);
      assert.ok(text(f).includes(rule));
    });
    it('does not appear for an assigned-membership group', () => {
      none(run({ subject: forGroup(e1Group(), []) }), 'GROUP_DYNAMIC');
    });
  });

  describe('NESTED_GROUPS', () => {
    it('warns and names the nested groups, whose members get nothing', () => {
      const nested = [{ kind: 'group' as const, id: 'n1', displayName: 'Sales NL' }];
      const f = finding(run({ subject: forGroup(e1Group(), [], { nested }) }), 'NESTED_GROUPS');
      assert.equal(f.severity, 'warn');
      assert.deepEqual(ids(f), ['n1']);
      assert.deepEqual(names(f), ['Sales NL']);
      assert.match(text(f), /the members of those groups get nothing from this group/);
    });
    it('does not appear without nested groups', () => {
      none(run({ subject: forGroup(e1Group(), []) }), 'NESTED_GROUPS');
    });
  });

  describe('GROUP_PROCESSING', () => {
    it('warns while Entra is still processing the group', () => {
      const f = finding(run({ subject: forGroup(e1Group({ processing: 'ProcessingInProgress' }), []) }), 'GROUP_PROCESSING');
      assert.equal(f.severity, 'warn');
      assert.equal(f.data.state, 'ProcessingInProgress');
    });
    it('does not appear when processing is complete', () => {
      none(run({ subject: forGroup(e1Group(), []) }), 'GROUP_PROCESSING');
    });
  });

  describe('MEMBERS_IN_ERROR', () => {
    it('warns about members already in error for this group, counted by error', () => {
      const g = e1Group();
      const a = user({ licenses: [{ sku: SKU.E1, group: g.id, state: 'Error', error: 'CountViolation' }] });
      const b = user({ licenses: [{ sku: SKU.E1, group: g.id, state: 'Error', error: 'MutuallyExclusiveViolation' }] });
      const c = user({ licenses: [{ sku: SKU.E1, group: g.id }] });
      const listed = user({ name: 'Listed' }); // from membersWithLicenseErrors, states not read
      const f = finding(run({ subject: forGroup(g, [a, b, c], { membersWithErrors: [a, listed] }) }), 'MEMBERS_IN_ERROR');
      assert.equal(f.severity, 'warn');
      assert.deepEqual(ids(f), [a.id, b.id, listed.id]);
      assert.deepEqual(f.data.byError, { CountViolation: 1, MutuallyExclusiveViolation: 1, Other: 1 });
    });
    it('ignores errors that come from other groups', () => {
      const g = e1Group();
      const m = user({
        licenses: [
          { sku: SKU.E1, group: g.id },
          { sku: SKU.E5, group: 'x', state: 'Error', error: 'CountViolation' },
        ],
      });
      none(run({ subject: forGroup(g, [m]) }), 'MEMBERS_IN_ERROR');
    });
  });

  it('group checks stay out of user swaps', () => {
    const r = run({ subject: forUser(user({ licenses: [{ sku: SKU.E1 }] })) });
    assert.deepEqual(r.findings, []);
  });
});

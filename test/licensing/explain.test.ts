import assert from 'node:assert/strict';
import { explainAssignError, explainMemberError } from '../../src/licensing/explain';

describe('licensing/explain', () => {
  describe('explainAssignError', () => {
    const cases: [string, string, RegExp][] = [
      ['Request_BadRequest', 'License assignment cannot be done for user with invalid usage location.', /no usage location/],
      ['Request_BadRequest', 'Subscription with SKU 6fd2c87f-b296-42f0-b197-1e91e994b900 does not have any available licenses.', /no free licenses/],
      [
        'Request_BadRequest',
        'License assignment failed because service plans SHAREPOINTSTANDARD, SHAREPOINTENTERPRISE are mutually exclusive.',
        /clashes with another license .*SHAREPOINTSTANDARD, SHAREPOINTENTERPRISE/,
      ],
      [
        'Request_BadRequest',
        'License assignment failed because service plan SHAREPOINT_PROJECT (fe71d6c3-a2ea-4499-9778-da042bf08063) depends on the service plan(s) SHAREPOINTENTERPRISE (5dbe027f-2339-4123-9542-606e4d348a72).',
        /needs a service .*SHAREPOINT_PROJECT depends on it/,
      ],
      ['Request_BadRequest', 'User license is inherited from a group membership and it cannot be removed directly from the user.', /from a group/],
      ['Request_BadRequest', "Invalid value specified for property 'disabledPlans' of resource 'AssignedLicense'.", /didn't accept the plan/],
      ['TooManyRequests', 'Too many requests', /throttling/],
      ['Request_ResourceNotFound', "Resource 'x' does not exist or one of its queried reference-property objects are not present.", /no longer exists/],
      ['Authorization_RequestDenied', 'Insufficient privileges to complete the operation.', /LicenseAssignment\.ReadWrite\.All/],
    ];
    for (const [code, message, expected] of cases) {
      it(`${code}: ${message.slice(0, 50)}…`, () => {
        assert.match(explainAssignError(code, message), expected);
      });
    }
    it('falls back to the raw message', () => {
      assert.match(explainAssignError('Weird', 'Something odd'), /refused the change \(Something odd\)/);
    });
  });

  describe('explainMemberError', () => {
    it('explains each Entra error', () => {
      assert.match(explainMemberError('CountViolation'), /Not enough licenses/);
      assert.match(explainMemberError('MutuallyExclusiveViolation'), /clashes/);
      assert.match(explainMemberError('DependencyViolation'), /needs a service/);
      assert.match(explainMemberError('ProhibitedInUsageLocationViolation'), /usage location/);
      assert.match(explainMemberError('UniquenessViolation'), /unique/);
      assert.match(explainMemberError('Other'), /does not name/);
      assert.match(explainMemberError('None'), /No error/);
      assert.match(explainMemberError('SomethingNew'), /does not name/);
    });
  });
});

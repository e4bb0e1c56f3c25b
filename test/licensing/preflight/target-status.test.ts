import assert from 'node:assert/strict';
import { catalog, defaultSkus, forUser, SKU, user } from '../builders';
import { finding, none, run, text } from './helpers';

const e1User = () => user({ licenses: [{ sku: SKU.E1 }] });
const withE3 = (o: { capabilityStatus?: string; appliesTo?: string }) => catalog(defaultSkus({ [SKU.E3]: o }));

describe('preflight: target status', () => {
  describe('TARGET_NOT_ACTIVE', () => {
    for (const status of ['Suspended', 'Deleted', 'LockedOut']) {
      it(`blocks when the E3 subscription is ${status}`, () => {
        const f = finding(run({ cat: withE3({ capabilityStatus: status }), subject: forUser(e1User()) }), 'TARGET_NOT_ACTIVE');
        assert.equal(f.severity, 'block');
        assert.equal(f.data.capabilityStatus, status);
      });
    }
    it('warns during the grace period (Warning)', () => {
      const f = finding(run({ cat: withE3({ capabilityStatus: 'Warning' }), subject: forUser(e1User()) }), 'TARGET_NOT_ACTIVE');
      assert.equal(f.severity, 'warn');
      assert.match(text(f), /grace period/);
    });
    it('does not appear for an Enabled subscription', () => {
      none(run({ subject: forUser(e1User()) }), 'TARGET_NOT_ACTIVE');
    });
  });

  describe('TARGET_NOT_ASSIGNABLE', () => {
    it('blocks a target that applies to the company, not to users', () => {
      const f = finding(run({ cat: withE3({ appliesTo: 'Company' }), subject: forUser(e1User()) }), 'TARGET_NOT_ASSIGNABLE');
      assert.equal(f.severity, 'block');
      assert.equal(f.data.appliesTo, 'Company');
    });
    it('does not appear for a User SKU', () => {
      none(run({ subject: forUser(e1User()) }), 'TARGET_NOT_ASSIGNABLE');
    });
  });
});

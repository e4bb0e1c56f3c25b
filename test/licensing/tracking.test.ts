import assert from 'node:assert/strict';
import type { ResolvedChange } from '../../src/licensing/model';
import { evaluateGroupOutcome, isProcessingFinished } from '../../src/licensing/tracking';
import { SKU, skuId, user } from './builders';

const G = 'group-sales';
const change = {
  kind: 'group',
  principal: { kind: 'group', id: G, displayName: 'Sales' },
  from: { skuId: skuId(SKU.E1), skuPartNumber: 'STANDARDPACK', displayName: 'Office 365 E1' },
  to: { skuId: skuId(SKU.E3), skuPartNumber: 'ENTERPRISEPACK', displayName: 'Office 365 E3' },
  assignments: [],
  affectedUsers: 0,
  seats: { needed: 0, available: 0 },
  servicesKept: [],
  servicesLost: [],
  servicesGained: [],
  includeDirectCopies: false,
} as ResolvedChange;

describe('licensing/tracking', () => {
  describe('evaluateGroupOutcome', () => {
    const done = user({ name: 'Done', licenses: [{ sku: SKU.E3, group: G, lastUpdated: '2026-03-01T13:00:00Z' }] });
    const pending = user({ name: 'Pending', licenses: [{ sku: SKU.E1, group: G }] });
    const clash = user({
      name: 'Clash',
      licenses: [{ sku: SKU.E1 }, { sku: SKU.E3, group: G, state: 'Error', error: 'MutuallyExclusiveViolation', lastUpdated: '2026-03-01T13:00:00Z' }],
    });
    const noSeat = user({ name: 'NoSeat', licenses: [{ sku: SKU.E3, group: G, state: 'Error', error: null }] });
    const other = user({
      name: 'Other',
      licenses: [
        { sku: SKU.E3, group: G, lastUpdated: null },
        { sku: SKU.E1, group: 'group-hr' },
      ],
    });
    const stale = user({ name: 'Stale', licenses: [{ sku: SKU.E3, group: G, lastUpdated: '2026-02-01T00:00:00Z' }] });

    const r = evaluateGroupOutcome({ groupId: G, change, members: [done, pending, clash, noSeat, other, stale], since: '2026-03-01T12:00:00Z' });

    it('done: E3 Active from this group (after the change) and no E1 from this group', () => {
      assert.deepEqual(
        r.done.map((p) => p.displayName),
        ['Done', 'Other'],
      );
    });
    it('errors: members in Error for this group, in plain words', () => {
      assert.deepEqual(
        r.errors.map((e) => [e.principal.displayName, e.error]),
        [
          ['Clash', 'MutuallyExclusiveViolation'],
          ['NoSeat', 'Other'],
        ],
      );
      assert.match(r.errors[0]!.message, /clashes with another license/);
    });
    it('stillHoldingSource: E1 directly or from another group', () => {
      assert.deepEqual(
        r.stillHoldingSource.map((p) => p.displayName),
        ['Clash', 'Other'],
      );
    });
    it('without since, an older Active state counts as done', () => {
      const r2 = evaluateGroupOutcome({ groupId: G, change, members: [stale] });
      assert.deepEqual(
        r2.done.map((p) => p.displayName),
        ['Stale'],
      );
    });
    it('ActiveWithError counts as an error (and not as done)', () => {
      const m = user({ licenses: [{ sku: SKU.E3, group: G, state: 'ActiveWithError', error: 'DependencyViolation' }] });
      const r3 = evaluateGroupOutcome({ groupId: G, change, members: [m] });
      assert.equal(r3.done.length, 0);
      assert.equal(r3.errors[0]!.error, 'DependencyViolation');
    });
  });

  describe('isProcessingFinished', () => {
    it('ProcessingComplete and ProcessingFailed are finished', () => {
      assert.equal(isProcessingFinished('ProcessingComplete'), true);
      assert.equal(isProcessingFinished('ProcessingFailed'), true);
    });
    it('QueuedForProcessing and ProcessingInProgress are not', () => {
      assert.equal(isProcessingFinished('QueuedForProcessing'), false);
      assert.equal(isProcessingFinished('ProcessingInProgress'), false);
    });
    it('tolerates unknown terminal-sounding states, and waits on anything else', () => {
      assert.equal(isProcessingFinished('ProcessingCompleteWithErrors'), true);
      assert.equal(isProcessingFinished('Failed'), true);
      assert.equal(isProcessingFinished('Throttled'), false);
      assert.equal(isProcessingFinished(undefined), false);
      assert.equal(isProcessingFinished(''), false);
    });
  });
});

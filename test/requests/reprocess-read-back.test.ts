// A reprocess whose process died before recording its answer: nothing is sent again; every member
// counts as reprocessed and the report that follows reads where each stands now.
import assert from 'node:assert/strict';
import { readBackChange } from '../../src/requests/read-back';
import type { LicensePort, ResolvedChange } from '../../src/licensing/model';

describe('requests: read-back of a reprocess', () => {
  it('never asks Graph for assignments a reprocess does not make; every member is reported as reprocessed', async () => {
    const plan = { skuId: 's', skuPartNumber: 'MCOMEETADV', displayName: 'Audio Conferencing' };
    const users = [
      { kind: 'user' as const, id: 'u1', displayName: 'Hugo' },
      { kind: 'user' as const, id: 'u2', displayName: 'Charlotte' },
    ];
    const change: ResolvedChange = {
      kind: 'group',
      principal: { kind: 'group', id: 'g1', displayName: 'Support' },
      from: plan,
      to: plan,
      assignments: [],
      affectedUsers: 2,
      seats: { needed: 0, available: 0 },
      servicesKept: [],
      servicesLost: [],
      servicesGained: [],
      includeDirectCopies: false,
      reprocess: { users, groupId: 'g1' },
    };
    const licenses = { status: () => Promise.reject(new Error('no status read for a reprocess')) } as unknown as LicensePort;
    const r = await readBackChange(licenses, change, '2026-01-01T00:00:00.000Z', () => new Date('2026-01-01T00:01:00.000Z'));
    assert.deepEqual(
      r.changed.map((p) => p.id),
      ['u1', 'u2'],
    );
    assert.equal(r.failed.length, 0);
  });
});

import assert from 'node:assert/strict';
import { LicenseService } from '../../src/licensing/service';
import { skuId, tenantFixture, withSandbox } from '../helpers/sandbox';
import { testGateway } from '../graph/support';

// Tracking on a Graph that answers with the past: right after assignLicense a group may still read
// "ProcessingComplete" from its last change (processing not started), and any read within the
// replication lag may show a member or user as before the write. Tracking must never report
// "done, nobody changed" from such a read.
const E3 = skuId('ENTERPRISEPACK');

const fixture = () =>
  tenantFixture('Contoso')
    .sku('STANDARDPACK', 50)
    .sku('ENTERPRISEPACK', 50)
    .users(['m1', 'm2', 'm3'], {})
    .users(['d1', 'd2'], { licenses: ['STANDARDPACK'] })
    .group('Sales', { members: ['m1', 'm2', 'm3'], licenses: ['STANDARDPACK'] })
    .build();

const service = (sb: Parameters<typeof testGateway>[0]) => new LicenseService(testGateway(sb).gateway, undefined, { pollIntervalMs: 50, trackTimeoutMs: 10_000 });

describe('tracking: never done from a read that could predate the write', () => {
  const sb = withSandbox(fixture(), { resetEach: true });

  it('a group that reads as before its write until processing starts: the tracker waits for processing, then every member is done', async () => {
    await sb.behavior({ processingStartMs: 2000, groupProcessingMs: 300 });
    const svc = service(sb);
    const pf = await svc.preflight({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' });
    assert.equal(pf.blocked, false);
    await svc.swap(pf.change);
    const states: string[] = [];
    const report = await svc.track(pf.change, { onProgress: (p) => void states.push(p.processingState) });
    assert.equal(states[0], 'ProcessingComplete', 'the first read is the state before the write');
    assert.ok(
      states.some((s) => s !== 'ProcessingComplete'),
      'processing was seen to start',
    );
    assert.equal(report.outcome, 'complete');
    assert.deepEqual(report.done.map((p) => p.userPrincipalName).sort(), ['m1@contoso.example', 'm2@contoso.example', 'm3@contoso.example']);
  });

  it('members read within the replication lag after processing: read again until they show the change', async () => {
    await sb.behavior({ replicationLagMs: 600, groupProcessingMs: 100 });
    const svc = service(sb);
    const pf = await svc.preflight({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' });
    await svc.swap(pf.change);
    const report = await svc.track(pf.change);
    assert.equal(report.outcome, 'complete');
    assert.equal(report.done.length, 3, JSON.stringify(report));
    assert.ok(report.done.every((p) => p.kind === 'user'));
  });

  it('a direct change read within the replication lag: the users are read again until they show it', async () => {
    await sb.behavior({ replicationLagMs: 500 });
    const svc = service(sb);
    const pf = await svc.preflight({ principal: { kind: 'users', users: ['d1@contoso.example', 'd2@contoso.example'] }, from: 'E1', to: 'E3' });
    const swap = await svc.swap(pf.change);
    assert.equal(swap.failed.length, 0);
    await sb.clearRequests();
    const report = await svc.track(pf.change);
    assert.deepEqual(report.done.map((p) => p.userPrincipalName).sort(), ['d1@contoso.example', 'd2@contoso.example']);
    assert.ok((await sb.requests()).filter((r) => r.method === 'GET' && r.batch).length > 2, 'read more than once');
    const d1 = (await sb.get('/users/d1@contoso.example?$select=assignedLicenses')).body.assignedLicenses;
    assert.deepEqual(
      d1.map((l: { skuId: string }) => l.skuId),
      [E3],
    );
  });

  it('the same group swap on a Graph without lag still takes one member read', async () => {
    const svc = service(sb);
    const pf = await svc.preflight({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' });
    await svc.swap(pf.change);
    await sb.clearRequests();
    const report = await svc.track(pf.change);
    assert.equal(report.done.length, 3);
    assert.equal((await sb.requests()).filter((r) => r.path.endsWith('/members/microsoft.graph.user')).length, 1);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LicenseService } from '../../src/licensing/service';
import { testGateway } from '../graph/support';
import { tenantFixture, withSandbox, type RequestLogEntry } from '../helpers/sandbox';

// A group preflight reads the members while the group is looked up when the group's id is known
// beforehand (given as an id, or a name the service resolved before): the member pages are then
// the only round trips in a row. The lookup still decides which group is meant.
const OLD_SALES = '5a1e5000-0000-4000-8000-000000000001';
const NEW_SALES = '5a1e5000-0000-4000-8000-000000000002';

function fixture(renamed: boolean) {
  return tenantFixture('Contoso')
    .sku('STANDARDPACK', 50)
    .sku('ENTERPRISEPACK', 50)
    .users(['ann', 'bea'], {})
    .users(['cas', 'dan'], {})
    .group(renamed ? 'Sales (old)' : 'Sales', { id: OLD_SALES, members: ['ann', 'bea'], licenses: ['STANDARDPACK'] })
    .group(renamed ? 'Sales' : 'Sales (new)', { id: NEW_SALES, members: ['cas', 'dan'], licenses: ['STANDARDPACK'] })
    .build();
}

describe('group preflight: members read while the group is looked up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-early-'));
  const file = join(dir, 'tenant.json');
  writeFileSync(file, JSON.stringify(fixture(false)));
  const sb = withSandbox(() => file);
  after(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    writeFileSync(file, JSON.stringify(fixture(false)));
    await sb.reset();
  });

  const arrival = (log: RequestLogEntry[], test: (e: RequestLogEntry) => boolean) => Date.parse(log.find(test)!.at);
  const isLookup = (e: RequestLogEntry) => e.path === '/groups' && /displayName/.test(decodeURIComponent(e.query));
  const isMembers = (id: string) => (e: RequestLogEntry) => e.path.toLowerCase() === `/groups/${id}/members/microsoft.graph.user`;

  it('a name seen before: the member read starts with the lookup; same result, same requests', async () => {
    await sb.behavior({ latencyMs: 300 });
    const t = testGateway(sb);
    const svc = new LicenseService(t.gateway);
    const spec = { principal: { kind: 'group' as const, group: 'Sales' }, from: 'E1', to: 'E3' };
    await sb.clearRequests();
    const first = await svc.preflight(spec);
    const log1 = await sb.requests();
    assert.ok(arrival(log1, isMembers(OLD_SALES)) - arrival(log1, isLookup) >= 250, 'first time: the lookup comes first');
    await sb.clearRequests();
    const again = await svc.preflight(spec);
    const log2 = await sb.requests();
    assert.ok(arrival(log2, isMembers(OLD_SALES)) - arrival(log2, isLookup) < 150, 'seen before: both at once');
    const graphReads = (log: RequestLogEntry[]) => log.filter((e) => e.path !== '/organization').length; // the organization is read once per service
    assert.equal(graphReads(log2), graphReads(log1));
    assert.deepEqual({ ...again, checkedAt: '' }, { ...first, checkedAt: '' });
    assert.deepEqual(again.change.principal.id, OLD_SALES);
  });

  it('a name that now means another group: the early read is dropped, the new group is checked', async () => {
    const t = testGateway(sb);
    const svc = new LicenseService(t.gateway);
    const spec = { principal: { kind: 'group' as const, group: 'Sales' }, from: 'E1', to: 'E3' };
    const before = await svc.preflight(spec);
    assert.equal(before.change.principal.id, OLD_SALES);
    // "Sales" is now another group (the old one renamed, a new one given its name).
    writeFileSync(file, JSON.stringify(fixture(true)));
    await sb.reset();
    const after = await svc.preflight(spec);
    assert.equal(after.change.principal.id, NEW_SALES);
    assert.equal(after.change.affectedUsers, 2);
    const log = await sb.requests();
    assert.ok(log.some(isMembers(NEW_SALES)), 'the new group was read');
    assert.ok(log.filter(isMembers(OLD_SALES)).length <= 1, 'the early read of the old group went no further than its first page');
  });

  it('a lookup that fails stops the early read and reports as before', async () => {
    const t = testGateway(sb);
    const svc = new LicenseService(t.gateway);
    await svc.preflight({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' });
    await assert.rejects(svc.preflight({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'Nope' }), (e: Error) => e.name === 'LicensingError');
    writeFileSync(file, JSON.stringify({ ...fixture(false), groups: [] }));
    await sb.reset();
    await assert.rejects(svc.preflight({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' }), /No group 'Sales'/);
  });
});

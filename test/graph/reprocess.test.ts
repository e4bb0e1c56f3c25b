// The gateway's reprocessLicenseAssignment: one POST for one user, $batch (20 per request) for
// many, no body, throttled items sent again after Retry-After, refusals reported per user.
import assert from 'node:assert/strict';
import { skuId, tenantFixture, withSandbox, type RequestLogEntry } from '../helpers/sandbox';
import { testGateway } from './support';

const E3 = skuId('ENTERPRISEPACK');
const isReprocess = (r: RequestLogEntry) => r.method === 'POST' && /\/reprocessLicenseAssignment$/i.test(r.path);

describe('graph gateway: reprocessLicenseAssignment', () => {
  const names = Array.from({ length: 25 }, (_, i) => `m${i + 1}`);
  const sb = withSandbox(
    () =>
      tenantFixture('Contoso')
        .sku('ENTERPRISEPACK', 20)
        .users(names)
        .group('Big', { members: names, licenses: ['ENTERPRISEPACK'] })
        .build(),
    { resetEach: true },
  );
  const upn = (n: string) => `${n}@contoso.example`;
  const state = async (n: string) => (await sb.get(`/users/${upn(n)}?$select=licenseAssignmentStates`)).body.licenseAssignmentStates[0];

  it('one user: one POST to /users/{id}/reprocessLicenseAssignment, no $batch', async () => {
    const { gateway } = testGateway(sb);
    await sb.clearRequests();
    const [r] = await gateway.reprocessUsers([upn('m21')]);
    assert.deepEqual(r, { id: upn('m21'), ok: true });
    const log = await sb.requests();
    assert.equal(log.filter(isReprocess).length, 1);
    assert.ok(!log.some((x) => x.path === '/$batch'));
  });

  it('25 users: two $batch requests (20 + 5), each user once, answers in the order asked; the fixed ones become Active', async () => {
    assert.equal((await state('m21')).error, 'CountViolation');
    // Five more seats bought: m21..m25 can have E3 now, once reprocessed.
    await sb.seats('ENTERPRISEPACK', 25);
    assert.equal((await state('m21')).error, 'CountViolation', 'buying seats re-evaluates nobody');
    const { gateway, stats } = testGateway(sb);
    await sb.clearRequests();
    const ids = names.map(upn);
    const out = await gateway.reprocessUsers(ids);
    assert.deepEqual(
      out.map((o) => o.id),
      ids,
    );
    assert.ok(out.every((o) => o.ok));
    const log = await sb.requests();
    assert.equal(log.filter((x) => x.path === '/$batch').length, 2);
    assert.equal(log.filter(isReprocess).length, 25);
    assert.equal(stats.batchSubRequests, 25);
    for (const n of ['m21', 'm25']) assert.deepEqual([(await state(n)).state, (await state(n)).error], ['Active', 'None']);
    const skus = (await sb.get('/subscribedSkus')).body.value as { skuId: string; consumedUnits: number }[];
    assert.equal(skus.find((s) => s.skuId === E3)!.consumedUnits, 25);
  });

  it('a throttled item is sent again after its Retry-After (a reprocess is safe to repeat); an unknown user is its own 404', async () => {
    await sb.fault({ method: 'POST', path: '/users/m2*/reprocessLicenseAssignment', status: 429, times: 1, retryAfterSeconds: 2 });
    const { gateway, waits, stats } = testGateway(sb);
    await sb.clearRequests();
    const out = await gateway.reprocessUsers([upn('m1'), upn('m2'), 'ghost@contoso.example']);
    assert.deepEqual(
      out.map((o) => [o.id, o.ok]),
      [
        [upn('m1'), true],
        [upn('m2'), true],
        ['ghost@contoso.example', false],
      ],
    );
    const ghost = out[2]!;
    assert.ok(!ghost.ok && ghost.error.status === 404 && ghost.error.code === 'Request_ResourceNotFound');
    assert.ok(waits.includes(2000), `waited as told: ${waits.join(', ')}`);
    assert.equal(stats.throttled, 1);
    const log = await sb.requests();
    assert.equal(log.filter((x) => isReprocess(x) && /\/m2(@|%40)/i.test(x.path)).length, 2, 'sent again once');
    assert.equal(log.filter((x) => isReprocess(x) && /\/m1(@|%40)/i.test(x.path)).length, 1, 'the others once');
  });

  it('a key that cannot be a path segment is refused before any request', async () => {
    const { gateway } = testGateway(sb);
    await sb.clearRequests();
    const [r] = await gateway.reprocessUsers(['..']);
    assert.ok(!r!.ok && r!.error.code === 'InvalidPathSegment', JSON.stringify(r));
    assert.equal((await sb.requests()).filter(isReprocess).length, 0);
    const two = await gateway.reprocessUsers(['a/b', upn('m1')]);
    assert.deepEqual(
      two.map((o) => o.ok),
      [false, true],
    );
  });
});

describe('graph gateway: reprocessLicenseAssignment without User.ReadWrite.All', () => {
  const sb = withSandbox(() => ({
    ...tenantFixture('Contoso')
      .sku('ENTERPRISEPACK', 1)
      .users(['a', 'b'])
      .group('G', { members: ['a', 'b'], licenses: ['ENTERPRISEPACK'] })
      .build(),
    app: { roles: ['User.Read.All', 'GroupMember.Read.All', 'Organization.Read.All', 'LicenseAssignment.ReadWrite.All'] },
  }));

  it('each user comes back refused with Authorization_RequestDenied (403), alone or in $batch', async () => {
    const { gateway } = testGateway(sb);
    const [one] = await gateway.reprocessUsers(['b@contoso.example']);
    assert.ok(!one!.ok && one!.error.status === 403 && one!.error.code === 'Authorization_RequestDenied');
    const two = await gateway.reprocessUsers(['a@contoso.example', 'b@contoso.example']);
    assert.ok(two.every((o) => !o.ok && o.error.status === 403));
  });
});

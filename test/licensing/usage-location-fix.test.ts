// Issue 13 part 6: a missing usage location fixed in the same change, when the app may write users
// (User.ReadWrite.All). On the sandbox, through the real Graph client: the offer, the preflight
// with the fix, the run (PATCH, read back, then assignLicense), a group, a missing permission, a
// bad country code, and the undo that leaves the usage locations set.
import assert from 'node:assert/strict';
import { connectGraph } from '../../src/graph/connect';
import { loopbackGraph } from '../../src/graph/config';
import { mayWriteUsageLocation } from '../../src/doctor/permissions';
import { usageLocationWritableFrom } from '../../src/doctor/token';
import { LicensingError, type ChangeSpec, type Finding, type PreflightResult } from '../../src/licensing/model';
import { LicenseService } from '../../src/licensing/service';
import { en, nl } from '../../src/i18n';
import { tenantFixture, withSandbox, type TenantFixture } from '../helpers/sandbox';

const ROLES_WITHOUT_WRITE = ['LicenseAssignment.ReadWrite.All', 'User.Read.All', 'GroupMember.Read.All', 'Organization.Read.All'];

const fixture = (roles?: string[]): TenantFixture => {
  const fx = tenantFixture('Contoso', { defaultUsageLocation: 'BE' })
    .sku('STANDARDPACK', 20)
    .sku('ENTERPRISEPACK', 20)
    .user('ann', { usageLocation: null, licenses: ['STANDARDPACK'] })
    .user('bob', { usageLocation: null, licenses: ['STANDARDPACK'] })
    .user('cas', { usageLocation: null, licenses: ['STANDARDPACK'] })
    .user('dee', { licenses: ['STANDARDPACK'] })
    .user('gus', { usageLocation: null })
    .user('hal', {})
    .group('Sales', { members: ['gus', 'hal'], licenses: ['STANDARDPACK'] })
    .build();
  return roles ? { ...fx, app: { id: '0f5a7c1e-9b2d-4e6f-8a3c-5d7e9f1b2c40', roles } } : fx;
};

const users: ChangeSpec = {
  principal: { kind: 'users', users: ['ann@contoso.example', 'bob@contoso.example', 'cas@contoso.example', 'dee@contoso.example'] },
  from: 'E1',
  to: 'E3',
};

/** The service as the entry points build it: the permission read from the sandbox's token (its app.roles). */
function open(sb: { graphBaseUrl: string }) {
  const conn = connectGraph(loopbackGraph(sb.graphBaseUrl));
  const svc = new LicenseService(conn.gateway, undefined, {
    pollIntervalMs: 5,
    usageLocationWritable: usageLocationWritableFrom(() => conn.accessToken(), mayWriteUsageLocation),
  });
  return { svc, conn };
}

const one = (r: PreflightResult, code: Finding['code']) => {
  const fs = r.findings.filter((f) => f.code === code);
  assert.equal(fs.length, 1, `${code}: ${r.findings.map((f) => f.code).join(', ')}`);
  return fs[0]!;
};
const sentence = (f: Finding, t = en) => (t.findings[f.code] as (d: Record<string, unknown>) => string)(f.data);

describe('usage location fixed in the change (User.ReadWrite.All granted)', function () {
  this.timeout(20_000);
  const sb = withSandbox(fixture(), { resetEach: true });

  it('offers the fix with the organization country, and a preflight with the fix no longer blocks', async () => {
    const { svc } = open(sb);
    const plain = await svc.preflight(users);
    assert.equal(plain.blocked, true);
    const missing = one(plain, 'USAGE_LOCATION_MISSING');
    assert.equal(missing.severity, 'block');
    assert.deepEqual(missing.data.fix, { country: 'BE', countryName: 'Belgium' });
    assert.match(sentence(missing), /Plan Switch can set it to Belgium \(BE\), the organization's country, or another country, as part of this change/);
    assert.match(sentence(missing, nl), /Plan Switch kan die in deze wijziging instellen op België \(BE\)/);

    const fixed = await svc.preflight({ ...users, setUsageLocation: { country: 'be' } });
    assert.equal(fixed.blocked, false, JSON.stringify(fixed.findings.map((f) => [f.code, f.severity])));
    assert.equal(fixed.findings.filter((f) => f.code === 'USAGE_LOCATION_MISSING').length, 0);
    const set = one(fixed, 'USAGE_LOCATION_SET');
    assert.equal(set.severity, 'info');
    assert.deepEqual(set.principals.map((p) => p.displayName).sort(), ['Ann', 'Bob', 'Cas']);
    assert.equal(sentence(set), 'Usage location will be set to Belgium (BE) for 3 people before the license change, as part of this change. An undo leaves it set.');
    assert.match(sentence(set, nl), /ingesteld op België \(BE\) voor 3 personen/);
    assert.equal(fixed.change.setUsageLocation?.country, 'BE');
    assert.equal(fixed.change.setUsageLocation?.users.length, 3);
  });

  it('the fix covers only the people it names: anyone else still blocks', async () => {
    const { svc } = open(sb);
    const plain = await svc.preflight(users);
    const ann = plain.findings.find((f) => f.code === 'USAGE_LOCATION_MISSING')!.principals.find((p) => p.displayName === 'Ann')!;
    const r = await svc.preflight({ ...users, setUsageLocation: { country: 'NL', userIds: [ann.id] } });
    assert.equal(r.blocked, true);
    assert.deepEqual(
      one(r, 'USAGE_LOCATION_SET').principals.map((p) => p.displayName),
      ['Ann'],
    );
    assert.deepEqual(
      one(r, 'USAGE_LOCATION_MISSING')
        .principals.map((p) => p.displayName)
        .sort(),
      ['Bob', 'Cas'],
    );
  });

  it('a bad country code is refused before anything is read or written, in plain words', async () => {
    const { svc } = open(sb);
    await sb.clearRequests();
    for (const bad of ['UK', 'XX', 'Belgium', '', 'B3']) {
      const err = await svc.preflight({ ...users, setUsageLocation: { country: bad } }).then(
        () => assert.fail(`${bad} accepted`),
        (e: unknown) => e,
      );
      assert.ok(err instanceof LicensingError);
      assert.equal(err.code, 'INVALID_INPUT');
      assert.equal(err.data.country, bad);
      assert.match(err.message, /not a two-letter ISO 3166 country code/);
    }
    assert.deepEqual(await sb.requests(), []);
  });

  it('the run sets the usage locations first ($batch PATCH), reads them back, then assigns the licenses', async () => {
    await sb.behavior({ replicationLagMs: 150 });
    const { svc } = open(sb);
    const pf = await svc.preflight({ ...users, setUsageLocation: { country: 'BE' } });
    await sb.clearRequests();
    const res = await svc.swap(pf.change);
    assert.deepEqual(res.failed, []);
    assert.equal(res.changed.length, 4);
    assert.equal(res.usageLocation?.country, 'BE');
    assert.deepEqual(res.usageLocation?.set.map((p) => p.displayName).sort(), ['Ann', 'Bob', 'Cas']);

    const log = await sb.requests();
    const patches = log.filter((r) => r.method === 'PATCH');
    const assigns = log.filter((r) => /assignLicense$/.test(r.path));
    assert.equal(patches.length, 3);
    assert.ok(patches.every((r) => r.batch && r.status === 204));
    assert.equal(assigns.length, 4);
    const lastPatch = log.lastIndexOf(patches[patches.length - 1]!);
    const firstAssign = log.indexOf(assigns[0]!);
    assert.ok(lastPatch < firstAssign, 'every PATCH before the first assignLicense');
    // Read back between them, and again while the replica still showed no location.
    const readsBetween = log.slice(lastPatch, firstAssign).filter((r) => r.method === 'GET' && /usageLocation/.test(decodeURIComponent(r.query)));
    assert.ok(readsBetween.length >= 2, `read back until shown: ${readsBetween.length} reads`);

    const ann = await sb.get('/users/ann@contoso.example?$select=usageLocation,assignedLicenses');
    await new Promise((r) => setTimeout(r, 200));
    const after = await sb.get('/users/ann@contoso.example?$select=usageLocation');
    assert.equal(after.body.usageLocation, 'BE');
    assert.ok(ann.status === 200);
  });

  it('one person: a single PATCH (no $batch), then the license call', async () => {
    const { svc } = open(sb);
    const pf = await svc.preflight({ principal: { kind: 'user', user: 'ann@contoso.example' }, to: 'E3', setUsageLocation: { country: 'DE' } });
    assert.equal(pf.blocked, false);
    await sb.clearRequests();
    const res = await svc.swap(pf.change);
    assert.deepEqual(
      res.changed.map((p) => p.displayName),
      ['Ann'],
    );
    const log = await sb.requests();
    assert.deepEqual(
      log.filter((r) => r.method !== 'GET' && r.path !== '/$batch').map((r) => `${r.method} ${r.path.replace(/\/users\/[^/]+/, '/users/{id}')} ${r.batch ? 'batch' : ''}`.trim()),
      ['PATCH /users/{id}', 'POST /users/{id}/assignLicense'],
    );
    assert.equal((await sb.get('/users/ann@contoso.example?$select=usageLocation')).body.usageLocation, 'DE');
  });

  it('a group change: members without a usage location get it before the group write', async () => {
    const { svc } = open(sb);
    const plain = await svc.preflight({ principal: { kind: 'group', group: 'Sales' }, to: 'E3' });
    const info = one(plain, 'USAGE_LOCATION_MISSING');
    assert.equal(info.severity, 'info');
    assert.deepEqual(info.data.fix, { country: 'BE', countryName: 'Belgium' });
    const pf = await svc.preflight({ principal: { kind: 'group', group: 'Sales' }, to: 'E3', setUsageLocation: { country: 'FR' } });
    assert.deepEqual(
      one(pf, 'USAGE_LOCATION_SET').principals.map((p) => p.displayName),
      ['Gus'],
    );
    await sb.clearRequests();
    const res = await svc.swap(pf.change);
    assert.deepEqual(
      res.outcomes.map((o) => o.status),
      ['accepted'],
    );
    const log = await sb.requests();
    const patch = log.findIndex((r) => r.method === 'PATCH');
    const write = log.findIndex((r) => /groups\/.*\/assignLicense$/.test(r.path));
    assert.ok(patch >= 0 && patch < write, 'PATCH before the group write');
    assert.equal((await sb.get('/users/gus@contoso.example?$select=usageLocation')).body.usageLocation, 'FR');
  });

  it('the undo leaves the usage locations set and says so', async () => {
    const { svc } = open(sb);
    const pf = await svc.preflight({ ...users, setUsageLocation: { country: 'BE' } });
    await svc.swap(pf.change);
    const spec = svc.reverse(pf.change);
    assert.equal(spec.setUsageLocation, undefined);
    const undo = await svc.preflight(spec);
    const kept = one(undo, 'USAGE_LOCATION_KEPT');
    assert.equal(kept.principals.length, 3);
    assert.match(sentence(kept), /this undo leaves it set/);
    assert.match(sentence(kept, nl), /ongedaan maken laat die staan/);
    await sb.clearRequests();
    await svc.swap(undo.change);
    assert.equal((await sb.requests()).filter((r) => r.method === 'PATCH').length, 0);
  });
});

describe('usage location fix without User.ReadWrite.All', function () {
  this.timeout(20_000);
  const sb = withSandbox(fixture(ROLES_WITHOUT_WRITE), { resetEach: true });

  it('offers no fix: the finding stays blocking and names the permission that would allow it', async () => {
    const { svc } = open(sb);
    for (const spec of [users, { ...users, setUsageLocation: { country: 'BE' } }]) {
      const r = await svc.preflight(spec);
      assert.equal(r.blocked, true);
      const f = one(r, 'USAGE_LOCATION_MISSING');
      assert.equal(f.severity, 'block');
      assert.equal(f.data.fix, undefined);
      assert.equal(f.data.fixNeeds, 'User.ReadWrite.All');
      assert.equal(r.change.setUsageLocation, undefined);
      assert.match(sentence(f), /With the application permission User\.ReadWrite\.All Plan Switch could set it as part of the change \(see doctor\)/);
      assert.match(sentence(f, nl), /Met de toepassingsmachtiging User\.ReadWrite\.All kan Plan Switch/);
    }
  });

  it('the sandbox refuses the PATCH (403); such people get no license call, the others do', async () => {
    // A change planned while the permission was there, run after it was taken away.
    const granted = new LicenseService(open(sb).conn.gateway, undefined, { usageLocationWritable: async () => true });
    const pf = await granted.preflight({ ...users, setUsageLocation: { country: 'BE' } });
    assert.equal(pf.blocked, false);
    await sb.clearRequests();
    const res = await granted.swap(pf.change);
    assert.equal(res.usageLocation?.set.length, 0);
    assert.equal(res.usageLocation?.failed.length, 3);
    assert.ok(res.usageLocation!.failed.every((o) => o.graphCode === 'Authorization_RequestDenied'));
    assert.deepEqual(
      res.changed.map((p) => p.displayName),
      ['Dee'],
    );
    assert.equal(res.failed.length, 3);
    assert.match(res.failed[0]!.reason!, /needs the User\.ReadWrite\.All permission/);
    const log = await sb.requests();
    assert.ok(log.filter((r) => r.method === 'PATCH').every((r) => r.status === 403));
    assert.equal(log.filter((r) => /assignLicense$/.test(r.path)).length, 1, 'only Dee is assigned');
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixtureError, loadFixture, startSandbox, validateFixture } from '../../src/sandbox/index';
import { nameBasedId } from '../../src/sandbox/ids';
import { skuId, tenantFixture } from '../helpers/sandbox';

const MAIN = join(__dirname, '..', '..', 'src', 'sandbox', 'main.js');

function problemsOf(json: unknown) {
  const r = validateFixture(json);
  assert.equal(r.ok, false, 'expected the fixture to be rejected');
  return r.ok ? [] : r.problems;
}

describe('sandbox fixture validation', () => {
  it('accepts the spec example shape with defaults filled in', () => {
    const r = validateFixture({
      tenant: { id: '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f', displayName: 'Contoso', defaultUsageLocation: 'NL' },
      subscriptions: [
        { sku: 'STANDARDPACK', enabled: 60 },
        { sku: 'ENTERPRISEPACK', enabled: 25, warning: 0, suspended: 0, capabilityStatus: 'Enabled' },
        {
          sku: 'CONTOSO_ADDON',
          skuId: '11111111-2222-4333-8444-555555555555',
          appliesTo: 'User',
          servicePlans: [{ name: 'CONTOSO_PLAN', id: '11111111-2222-4333-8444-666666666666' }],
          enabled: 5,
        },
        { sku: 'ENTERPRISEPREMIUM' },
      ],
      users: [
        {
          upn: 'alice@contoso.example',
          displayName: 'Alice de Vries',
          usageLocation: 'NL',
          accountEnabled: true,
          department: 'Sales',
          licenses: [{ sku: 'STANDARDPACK', disabledPlans: ['YAMMER_ENTERPRISE'] }],
        },
      ],
      groups: [
        {
          displayName: 'Sales',
          securityEnabled: true,
          groupTypes: [],
          membershipRule: null,
          onPremisesSyncEnabled: null,
          members: ['alice@contoso.example', 'group:Sales Interns'],
          licenses: [{ sku: 'STANDARDPACK', disabledPlans: [] }],
        },
        { displayName: 'Sales Interns' },
      ],
      generate: [{ group: 'All Staff', count: 3, upn: 'user{n}@contoso.example', usageLocation: 'NL', groupLicenses: [{ sku: 'STANDARDPACK' }] }],
      rules: { mutuallyExclusive: [], dependencies: [] },
      behavior: { groupProcessingMs: 1500, latencyMs: 0 },
    });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
    const fx = r.fixture;
    const e5 = fx.skus.find((s) => s.skuPartNumber === 'ENTERPRISEPREMIUM')!;
    assert.deepEqual([e5.enabled, e5.warning, e5.suspended, e5.capabilityStatus, e5.appliesTo], [0, 0, 0, 'Enabled', 'User']);
    assert.equal(fx.skus[0].skuId, skuId('STANDARDPACK'));
    assert.equal(fx.skus[0].id, `8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f_${skuId('STANDARDPACK')}`);
    assert.equal(fx.users[0].licenses[0].disabledPlans[0], '7547a3fe-08ee-4ccb-b430-5077c5041653', 'plan names become plan ids');
    assert.deepEqual(
      fx.users.slice(1).map((u) => [u.upn, u.displayName]),
      [
        ['user1@contoso.example', 'User 1'],
        ['user2@contoso.example', 'User 2'],
        ['user3@contoso.example', 'User 3'],
      ],
    );
    const allStaff = fx.groups.find((g) => g.displayName === 'All Staff')!;
    assert.equal(allStaff.members.length, 3);
    assert.equal(allStaff.licenses[0].skuId, skuId('STANDARDPACK'));
    assert.deepEqual(
      fx.groups[0].members.map((m) => m.kind),
      ['user', 'group'],
    );
  });

  it('derives ids deterministically from the UPN or display name, and keeps given ids', () => {
    const fx = {
      tenant: { displayName: 'T' },
      users: [{ upn: 'Bob@T.example' }, { upn: 'eve@t.example', id: 'A11CE000-0000-4000-8000-000000000001' }],
      groups: [{ displayName: 'Sales' }],
    };
    const a = validateFixture(fx);
    const b = validateFixture(JSON.parse(JSON.stringify(fx)));
    assert.ok(a.ok && b.ok);
    assert.equal(a.fixture.users[0].id, b.fixture.users[0].id);
    assert.equal(a.fixture.users[0].id, nameBasedId('user', 'bob@t.example'));
    assert.match(a.fixture.users[0].id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(a.fixture.users[1].id, 'a11ce000-0000-4000-8000-000000000001');
    assert.equal(a.fixture.groups[0].id, nameBasedId('group', 'Sales'));
    assert.equal(a.fixture.tenant.id, nameBasedId('tenant', 'T'));
  });

  it('rejects unknown fields, naming each one at its path', () => {
    const problems = problemsOf({
      tenant: { displayName: 'T', colour: 'blue' },
      users: [{ upn: 'a@t.example', licenses: [{ sku: 'STANDARDPACK', disabled: [] }] }],
      subscriptions: [{ sku: 'STANDARDPACK', seats: 3 }],
      extra: true,
    });
    const paths = problems.map((p) => `${p.path}: ${p.message}`);
    for (const expected of [
      'tenant.colour: unknown field "colour"',
      'users[0].licenses[0].disabled: unknown field "disabled"',
      'subscriptions[0].seats: unknown field "seats"',
      'extra: unknown field "extra"',
    ]) {
      assert.ok(paths.includes(expected), `missing "${expected}" in ${JSON.stringify(paths)}`);
    }
  });

  it('lists every cross-reference problem at once', () => {
    const problems = problemsOf({
      tenant: { displayName: 'T', defaultUsageLocation: 'NLD' },
      subscriptions: [
        { sku: 'NOT_A_SKU', enabled: 1 },
        { sku: 'CUSTOM_ONLY_PLANS', servicePlans: [{ name: 'X', id: '11111111-2222-4333-8444-555555555555' }] },
        { sku: 'STANDARDPACK', enabled: -1 },
      ],
      users: [
        { upn: 'a@t.example', licenses: [{ sku: 'ENTERPRISEPACK' }, { sku: 'STANDARDPACK', disabledPlans: ['NO_SUCH_PLAN'] }] },
        { upn: 'A@t.example' },
        { upn: 'not-an-upn' },
      ],
      groups: [
        { displayName: 'G', members: ['nobody@t.example', 'group:Missing', 'group:G'] },
        { displayName: 'Dyn', groupTypes: ['DynamicMembership'] },
        { displayName: 'M365', securityEnabled: false, licenses: [{ sku: 'STANDARDPACK' }] },
      ],
      rules: { mutuallyExclusive: [['SHAREPOINTSTANDARD', 'NOT_A_PLAN']] },
    });
    const text = problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    for (const needle of [
      'tenant.defaultUsageLocation: must be a two-letter country code',
      'subscriptions[0].sku: unknown SKU part number "NOT_A_SKU"',
      'subscriptions[1].skuId: SKU "CUSTOM_ONLY_PLANS" is not in the reference data: give its skuId',
      'subscriptions[2].enabled: must be 0 or more',
      'users[0].licenses[0].sku: SKU "ENTERPRISEPACK" is not among the tenant\'s subscriptions',
      'users[0].licenses[1].disabledPlans[0]: "NO_SUCH_PLAN" is not a service plan of STANDARDPACK',
      'users[1].upn: UPN A@t.example is listed twice',
      'users[2].upn: must look like name@domain',
      'groups[0].members[0]: no user with UPN "nobody@t.example"',
      'groups[0].members[1]: no group named "Missing"',
      'groups[0].members[2]: a group cannot be a member of itself',
      'groups[1].membershipRule: a DynamicMembership group needs a membershipRule',
      'groups[2].licenses: group "M365" is not security-enabled',
      'rules.mutuallyExclusive[0][1]: unknown service plan "NOT_A_PLAN"',
    ]) {
      assert.ok(text.includes(needle), `missing "${needle}" in:\n${text}`);
    }
  });

  it('reports a missing file and bad JSON as problems', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-fx-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "tenant": ');
    const a = loadFixture(join(dir, 'missing.json'));
    const b = loadFixture(bad);
    assert.ok(!a.ok && a.problems[0].message.includes('cannot read'));
    assert.ok(!b.ok && b.problems[0].message.includes('not valid JSON'));
  });

  it('startSandbox refuses an invalid fixture with every problem listed', async () => {
    await assert.rejects(
      startSandbox({ fixture: { tenant: { displayName: 'T' }, users: [{ upn: 'a@t.example', licenses: [{ sku: 'STANDARDPACK' }] }], bogus: 1 } as never }),
      (e: unknown) => {
        assert.ok(e instanceof FixtureError);
        assert.equal(e.problems.length, 2);
        assert.match(e.message, /bogus: unknown field "bogus"/);
        assert.match(e.message, /users\[0\]\.licenses\[0\]\.sku: SKU "STANDARDPACK" is not among/);
        return true;
      },
    );
  });

  it('the builder makes fixtures the validator accepts', () => {
    const fx = tenantFixture('Fabrikam')
      .sku('STANDARDPACK', 2)
      .user('alice', { licenses: ['STANDARDPACK'] })
      .group('Sales', { members: ['alice'] })
      .build();
    const r = validateFixture(fx);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
    assert.equal(r.fixture.users[0].upn, 'alice@fabrikam.example');
    assert.equal(r.fixture.users[0].usageLocation, 'NL');
    assert.equal(r.fixture.behavior.groupProcessingMs, 50);
  });
});

describe('sandbox CLI (node dist/src/sandbox/main.js)', () => {
  function run(args: string[], untilLine: RegExp): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, SANDBOX_PORT: '', SANDBOX_TENANT: '' } });
      let out = '';
      let err = '';
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`CLI did not answer: ${out} ${err}`));
      }, 10_000);
      child.stdout.on('data', (d) => {
        out += d;
        if (untilLine.test(out)) child.kill('SIGTERM');
      });
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, out, err });
      });
    });
  }

  it('prints its base URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
    const file = join(dir, 't.json');
    writeFileSync(file, JSON.stringify(tenantFixture('Contoso').sku('STANDARDPACK', 1).build()));
    const r = await run(['--tenant', file, '--port', '0'], /on http/);
    assert.match(r.out, /^Sandbox tenant "Contoso" on http:\/\/127\.0\.0\.1:\d+\/v1\.0$/m);
  });

  it('stops with every problem of an invalid fixture listed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
    const file = join(dir, 't.json');
    writeFileSync(file, JSON.stringify({ tenant: { displayName: 'X', foo: 1 }, users: [{ upn: 'x' }] }));
    const r = await run(['--tenant', file, '--port', '0'], /$^/);
    assert.equal(r.code, 1);
    assert.match(r.err, /tenant\.foo: unknown field "foo"/);
    assert.match(r.err, /users\[0\]\.upn: must look like name@domain/);
  });
});

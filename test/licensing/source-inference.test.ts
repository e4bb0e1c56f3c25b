// Source inference: never an add-on for a suite (or the reverse) unless named; a principal that
// already holds the target gets "nothing to move"; a suite stacked on another suite is a finding.
import assert from 'node:assert/strict';
import { LicensingError, type ChangeSpec, type PreflightResult } from '../../src/licensing/model';
import { LicenseService } from '../../src/licensing/service';
import { tenantFixture, withSandbox } from '../helpers/sandbox';
import { testGateway } from '../graph/support';
import { en, nl } from '../../src/i18n';

describe('preflight: source inference', () => {
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', 20)
      .sku('ENTERPRISEPACK', 20)
      .sku('ENTERPRISEPREMIUM', 20)
      .sku('MCOMEETADV', 20)
      .user('jan.devries', { displayName: 'Jan de Vries', licenses: ['MCOMEETADV'] })
      .user('emma', { licenses: ['STANDARDPACK', 'MCOMEETADV'] })
      .user('saskia', { licenses: ['MCOMEETADV'] })
      .user('piet', { licenses: ['STANDARDPACK'] })
      .user('kees', { licenses: ['ENTERPRISEPACK'] })
      .group('Sales', { members: ['jan.devries'], licenses: ['ENTERPRISEPACK'] })
      .build(),
  );
  const svc = () => new LicenseService(testGateway(sb).gateway);
  const user = (u: string, to: string, from?: string): ChangeSpec => ({ principal: { kind: 'user', user: `${u}@contoso.example` }, to, ...(from ? { from } : {}) });
  const codes = (r: PreflightResult) => r.findings.map((f) => `${f.severity}:${f.code}`);

  it('move Jan to E3, who has E3 through Sales: says he has it already and plans nothing (not a swap of his Audio Conferencing)', async () => {
    const r = await svc().preflight(user('jan.devries', 'E3'));
    assert.equal(r.blocked, true);
    assert.deepEqual(codes(r), ['block:TARGET_ALREADY_HELD']);
    assert.deepEqual(r.change.assignments, []);
    assert.notEqual(r.change.from.skuPartNumber, 'MCOMEETADV');
    const f = r.findings[0]!;
    assert.deepEqual(
      (f.data.groups as { displayName: string }[]).map((g) => g.displayName),
      ['Sales'],
    );
    assert.match(en.findings.TARGET_ALREADY_HELD(f.data), /already have Office 365 E3 \(from the group Sales\): there is nothing to move/);
    assert.match(nl.findings.TARGET_ALREADY_HELD(f.data), /Zij hebben Office 365 E3 al \(via de groep Sales\)/);
  });

  it('move Jan to E5: the suite he holds (E3, from Sales) is the source, never his add-on', async () => {
    const r = await svc().preflight(user('jan.devries', 'E5'));
    assert.equal(r.change.from.skuPartNumber, 'ENTERPRISEPACK');
    assert.ok(codes(r).includes('block:SOURCE_INHERITED'), codes(r).join());
  });

  it('a user with E1 and Audio Conferencing moved to E3: E1 is the source', async () => {
    const r = await svc().preflight(user('emma', 'E3'));
    assert.equal(r.change.from.skuPartNumber, 'STANDARDPACK');
    assert.equal(r.blocked, false, codes(r).join());
  });

  it('a user with only an add-on is asked which plan to leave (the add-on is offered, not picked)', async () => {
    const err = await svc()
      .preflight(user('saskia', 'E3'))
      .then(
        () => assert.fail('expected SOURCE_AMBIGUOUS'),
        (e: unknown) => e as LicensingError,
      );
    assert.equal(err.code, 'SOURCE_AMBIGUOUS');
    assert.deepEqual(
      (err.data.candidates as { skuPartNumber: string }[]).map((c) => c.skuPartNumber),
      ['MCOMEETADV'],
    );
  });

  it('an add-on target never takes a suite as its source unless named', async () => {
    const err = await svc()
      .preflight(user('piet', 'MCOMEETADV'))
      .then(
        () => assert.fail('expected SOURCE_AMBIGUOUS'),
        (e: unknown) => e as LicensingError,
      );
    assert.equal(err.code, 'SOURCE_AMBIGUOUS');
  });

  it('named, the other kind is taken as asked', async () => {
    const r = await svc().preflight(user('saskia', 'E3', 'MCOMEETADV'));
    assert.equal(r.change.from.skuPartNumber, 'MCOMEETADV');
  });

  it('a group that holds the target already: nothing to move', async () => {
    const r = await svc().preflight({ principal: { kind: 'group', group: 'Sales' }, to: 'E3' });
    assert.deepEqual(codes(r), ['block:TARGET_ALREADY_HELD']);
    assert.equal(r.findings[0]!.data.group, true);
    assert.deepEqual(r.change.assignments, []);
  });

  it('a list in which everyone holds the target already: nothing to move', async () => {
    const r = await svc().preflight({ principal: { kind: 'users', users: ['kees@contoso.example', 'jan.devries@contoso.example'] }, to: 'E3' });
    assert.deepEqual(codes(r), ['block:TARGET_ALREADY_HELD']);
    assert.equal(r.findings[0]!.data.direct, true);
  });

  it('Jan moved from Audio Conferencing to E5 (named) while holding E3 from Sales: a finding names E3 and what it costs in seats', async () => {
    const r = await svc().preflight(user('jan.devries', 'E5', 'MCOMEETADV'));
    const f = r.findings.find((x) => x.code === 'SUITE_STACKED');
    assert.ok(f, codes(r).join());
    assert.equal(f.severity, 'warn');
    assert.equal((f.data.sku as { skuPartNumber: string }).skuPartNumber, 'ENTERPRISEPACK');
    assert.equal(f.data.seats, 1);
    assert.deepEqual(
      f.principals.map((p) => p.displayName),
      ['Jan de Vries'],
    );
    assert.match(en.findings.SUITE_STACKED(f.data), /keep Office 365 E3 \(from the group Sales\): two suites paid for.*1 Office 365 E3 license in use beside Office 365 E5/);
    assert.match(nl.findings.SUITE_STACKED(f.data), /houden Office 365 E3 \(via de groep Sales\): twee pakketten/);
  });

  it('no stacking finding for an add-on beside a suite', async () => {
    const r = await svc().preflight(user('emma', 'E3'));
    assert.ok(!r.findings.some((x) => x.code === 'SUITE_STACKED'), codes(r).join());
  });
});

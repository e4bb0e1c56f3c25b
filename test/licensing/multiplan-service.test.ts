// Several plans in one change, end to end on the sandbox tenant: the real license service reads,
// checks, writes one assignLicense per principal with every add and remove, follows Entra's
// processing and undoes the change.
import assert from 'node:assert/strict';
import { LicensingError, type ChangeSpec } from '../../src/licensing/model';
import { LicenseService } from '../../src/licensing/service';
import { planId, skuId, tenantFixture, withSandbox } from '../helpers/sandbox';
import { testGateway } from '../graph/support';

const E3 = skuId('ENTERPRISEPACK');
const E3_NO_TEAMS = skuId('Office_365_E3_(no_Teams)');
const TEAMS_ENT = skuId('Microsoft_Teams_Enterprise_New');
const TO = ['Office 365 E3 (no Teams)', 'Microsoft Teams Enterprise'];

const writes = (log: { method: string; path: string; body?: unknown }[]) => log.filter((r) => r.method === 'POST' && /assignLicense$/i.test(r.path));

describe('several plans in one change, on the sandbox', () => {
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('ENTERPRISEPACK', 10)
      .sku('Office_365_E3_(no_Teams)', 10)
      .sku('Microsoft_Teams_Enterprise_New', 10)
      .sku('STANDARDPACK', 10)
      .user('ann', {})
      .user('bea', {})
      .user('carl', { licenses: [{ sku: 'ENTERPRISEPACK', disabledPlans: ['SWAY'] }] })
      .group('Finance', { members: ['ann', 'bea'], licenses: [{ sku: 'ENTERPRISEPACK', disabledPlans: ['YAMMER_ENTERPRISE'] }] })
      .build(),
    { resetEach: true },
  );
  const service = () => new LicenseService(testGateway(sb).gateway, undefined, { pollIntervalMs: 5 });

  it('a group: one group assignLicense adds both targets and removes E3; members end with both, Yammer still off; undo puts E3 back', async () => {
    const svc = service();
    const spec = { principal: { kind: 'group' as const, group: 'Finance' }, from: 'E3', to: TO[0]!, alsoTo: [TO[1]!] };
    const pf = await svc.preflight(spec);
    assert.equal(pf.blocked, false, JSON.stringify(pf.findings));
    assert.deepEqual(
      pf.change.alsoTo?.map((p) => p.skuId),
      [TEAMS_ENT],
    );
    await sb.clearRequests();
    const res = await svc.swap(pf.change);
    assert.deepEqual(
      res.outcomes.map((o) => o.status),
      ['accepted'],
    );
    const w = writes(await sb.requests());
    assert.equal(w.length, 1);
    const report = await svc.track(pf.change, { timeoutMs: 20_000 });
    assert.equal(report.outcome, 'complete');
    assert.deepEqual(report.done.map((d) => d.userPrincipalName).sort(), ['ann@contoso.example', 'bea@contoso.example']);
    assert.deepEqual(report.errors, []);
    const u = (await sb.get('/users/ann@contoso.example?$select=assignedLicenses')).body;
    const held = new Map<string, string[]>(u.assignedLicenses.map((l: { skuId: string; disabledPlans: string[] }) => [l.skuId, l.disabledPlans]));
    assert.deepEqual([...held.keys()].sort(), [E3_NO_TEAMS, TEAMS_ENT].sort());
    assert.ok(held.get(E3_NO_TEAMS)!.includes(planId('YAMMER_ENTERPRISE')));

    // Undo: both targets off, E3 back with Yammer off, again in one call.
    const back = svc.reverse(pf.change);
    const undo = await svc.preflight(back);
    assert.equal(undo.blocked, false, JSON.stringify(undo.findings));
    assert.deepEqual(undo.change.assignments[0]!.removeLicenses.sort(), [E3_NO_TEAMS, TEAMS_ENT].sort());
    await svc.swap(undo.change);
    const r2 = await svc.track(undo.change, { timeoutMs: 20_000 });
    assert.equal(r2.outcome, 'complete');
    const g = (await sb.get("/groups?$filter=displayName eq 'Finance'&$select=id,assignedLicenses")).body.value[0];
    assert.deepEqual(
      g.assignedLicenses.map((l: { skuId: string }) => l.skuId),
      [E3],
    );
    assert.ok(g.assignedLicenses[0].disabledPlans.includes(planId('YAMMER_ENTERPRISE')));
  });

  it('a user: one call; the tracking report says done only with every target held', async () => {
    const svc = service();
    const pf = await svc.preflight({ principal: { kind: 'user', user: 'carl@contoso.example' }, to: TO[0]!, alsoTo: [TO[1]!] });
    assert.equal(pf.change.from.skuId, E3, 'the source is inferred when the user holds one');
    assert.equal(pf.blocked, false, JSON.stringify(pf.findings));
    await sb.clearRequests();
    await svc.swap(pf.change);
    const w = writes(await sb.requests());
    assert.equal(w.length, 1);
    const report = await svc.track(pf.change);
    assert.deepEqual(
      report.done.map((d) => d.userPrincipalName),
      ['carl@contoso.example'],
    );
    assert.deepEqual(report.stillHoldingSource, []);
  });

  const refusals: [string, Omit<ChangeSpec, 'principal'>, string][] = [
    ['a plan named twice among the targets', { to: TO[0]!, alsoTo: ['Office_365_E3_(no_Teams)'] }, 'PLAN_REPEATED'],
    ['a plan both removed and added', { from: 'E3', to: TO[0]!, alsoTo: ['E3'] }, 'PLAN_IN_BOTH'],
    ['several sources without the first', { to: TO[0]!, alsoFrom: ['E1'] }, 'ALSO_FROM_WITHOUT_FROM'],
  ];
  for (const [what, spec, reason] of refusals) {
    it(`${what} is refused before anything is read or written`, async () => {
      const svc = service();
      await sb.clearRequests();
      const err = await svc.preflight({ principal: { kind: 'user', user: 'carl@contoso.example' }, ...spec }).then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof LicensingError);
      assert.equal(err.code, 'INVALID_INPUT');
      assert.equal(err.data.reason, reason);
      assert.equal(writes(await sb.requests()).length, 0);
    });
  }

  it('an unknown further plan is PLAN_UNKNOWN, naming it', async () => {
    const svc = service();
    const err = await svc.preflight({ principal: { kind: 'user', user: 'carl@contoso.example' }, to: TO[0]!, alsoTo: ['Teams Deluxe'] }).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof LicensingError);
    assert.equal(err.code, 'PLAN_UNKNOWN');
    assert.equal(err.data.name, 'Teams Deluxe');
  });
});

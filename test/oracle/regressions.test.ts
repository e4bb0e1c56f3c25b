// Cases the outcome oracle found where the card said something untrue, kept as plain specs: each
// runs the preflight on an in-process sandbox, applies the change, and checks the card against
// what happened.
import assert from 'node:assert/strict';
import { GraphGateway } from '../../src/graph/gateway';
import type { ChangeSpec, PreflightResult } from '../../src/licensing/model';
import { LicenseService } from '../../src/licensing/service';
import { OutcomeSandbox } from '../../src/sandbox/outcome';
import { tenantFixture, type TenantFixture } from '../helpers/sandbox';
import { en } from '../../src/i18n/en';

async function run(fx: TenantFixture, spec: ChangeSpec, applyIt = true) {
  const sb = OutcomeSandbox.fromFixture(fx);
  const svc = new LicenseService(new GraphGateway(sb.graphClient(), OutcomeSandbox.HOST));
  const pf = await svc.preflight(spec);
  const res = applyIt && !pf.blocked ? await svc.swap(pf.change) : undefined;
  await sb.settle();
  const person = (upn: string) => sb.people().find((p) => p.userPrincipalName === `${upn}@contoso.example`)!;
  const skuOf = (id: string) => sb.tenant.sku(id)!.skuPartNumber;
  const states = (upn: string) => person(upn).licenses.map((l) => `${skuOf(l.skuId)}${l.assignedByGroup ? `@${sb.tenant.group(l.assignedByGroup)!.displayName}` : ''}:${l.state}`);
  sb.dispose();
  return { pf, res, states };
}
const codes = (pf: PreflightResult) => pf.findings.map((f) => `${f.severity}:${f.code}`);

describe('outcome oracle: regressions', () => {
  it("a group's copy in error is not a copy held: no false 'will fail', and the member is counted", async () => {
    // Dan holds Business Premium directly, so M365 E3 from Old Sales and from Sales is in error for him.
    const fx = tenantFixture('Contoso')
      .sku('SPB', 5)
      .sku('SPE_E3', 5)
      .user('dan', { licenses: ['SPB'] })
      .group('Old Sales', { members: ['dan'], licenses: ['SPE_E3'] })
      .group('Sales', { members: ['dan'], licenses: ['SPE_E3'] })
      .build();
    const { pf, states } = await run(fx, { principal: { kind: 'group', group: 'Sales' }, from: 'M365 E3', to: 'Business Premium' });
    assert.ok(!pf.findings.some((f) => f.code === 'SOURCE_ALSO_ELSEWHERE' && f.data.clash), codes(pf).join());
    assert.ok(states('dan').includes('SPB@Sales:Active'), states('dan').join());
  });

  it('the clash is judged on the kept copy as it is: a copy with the clashing plan off does not fail the target', async () => {
    // Bea keeps Business Standard from Other with SharePoint off: E3 from Team does not clash with it.
    const fx = tenantFixture('Contoso')
      .sku('O365_BUSINESS_PREMIUM', 5)
      .sku('ENTERPRISEPACK', 5)
      .user('bea', {})
      .group('Other', { members: ['bea'], licenses: [{ sku: 'O365_BUSINESS_PREMIUM', disabledPlans: ['SHAREPOINTSTANDARD'] }] })
      .group('Team', { members: ['bea'], licenses: [{ sku: 'O365_BUSINESS_PREMIUM', disabledPlans: ['SHAREPOINTSTANDARD'] }] })
      .build();
    const { pf, states } = await run(fx, { principal: { kind: 'group', group: 'Team' }, from: 'Business Standard', to: 'E3' });
    const also = pf.findings.find((f) => f.code === 'SOURCE_ALSO_ELSEWHERE')!;
    assert.equal(also.data.clash, false, JSON.stringify(also.data));
    assert.ok(states('bea').includes('ENTERPRISEPACK@Team:Active'), states('bea').join());
  });

  it('a user holding the source directly and from a group, with no clash: a warning, and the swap works', async () => {
    const fx = tenantFixture('Contoso')
      .sku('ENTERPRISEPACK', 5)
      .sku('ENTERPRISEPREMIUM', 5)
      .user('cas', { licenses: ['ENTERPRISEPACK'] })
      .group('Sales', { members: ['cas'], licenses: ['ENTERPRISEPACK'] })
      .build();
    const { pf, res, states } = await run(fx, { principal: { kind: 'user', user: 'cas@contoso.example' }, from: 'E3', to: 'E5' });
    assert.equal(pf.blocked, false, codes(pf).join());
    const f = pf.findings.find((x) => x.code === 'SOURCE_INHERITED')!;
    assert.equal(f.severity, 'warn');
    assert.equal(f.data.keepsGroupCopy, true);
    assert.equal(res!.failed.length, 0);
    assert.deepEqual(states('cas').sort(), ['ENTERPRISEPACK@Sales:Active', 'ENTERPRISEPREMIUM:Active']);
  });

  it("including direct copies: a removal Graph refuses (the group's copy needs a plan only the own copy gives) is foretold", async () => {
    // Eve's own Project Plan 3 has SharePoint on; the group's copy has it off, and its Project Online needs it.
    const fx = tenantFixture('Contoso')
      .sku('PROJECTPROFESSIONAL', 5)
      .sku('STANDARDPACK', 5)
      .sku('ENTERPRISEPACK', 5)
      .user('eve', { licenses: ['STANDARDPACK', 'PROJECTPROFESSIONAL'] })
      .group('Planners', { members: ['eve'], licenses: [{ sku: 'PROJECTPROFESSIONAL', disabledPlans: ['SHAREPOINTENTERPRISE'] }] })
      .build();
    const spec: ChangeSpec = { principal: { kind: 'group', group: 'Planners' }, from: 'PROJECTPROFESSIONAL', to: 'E3', includeDirectCopies: true };
    const { pf, res } = await run(fx, spec);
    const f = pf.findings.find((x) => x.code === 'DEPENDENCY_BROKEN' && x.data.directCopyRemoval);
    assert.ok(f, codes(pf).join());
    assert.deepEqual(
      f.principals.map((p) => p.displayName),
      ['Eve'],
    );
    if (res)
      assert.ok(
        res.failed.some((o) => o.principal.displayName === 'Eve' && /depends on/.test(o.graphMessage ?? '')),
        JSON.stringify(res.failed),
      );
  });

  it('services are counted on the whole person: Audio Conferencing held as an add-on is kept when E5 goes', async () => {
    const fx = tenantFixture('Contoso')
      .sku('ENTERPRISEPREMIUM', 5)
      .sku('ENTERPRISEPACK', 5)
      .sku('MCOMEETADV', 5)
      .user('fay', { licenses: ['ENTERPRISEPREMIUM', 'MCOMEETADV'] })
      .build();
    const { pf } = await run(fx, { principal: { kind: 'user', user: 'fay@contoso.example' }, from: 'E5', to: 'E3' }, false);
    assert.ok(!pf.change.servicesLost.includes('Audio Conferencing'), pf.change.servicesLost.join(', '));
    assert.ok(pf.change.servicesKept.includes('Audio Conferencing'));
    const lost = pf.findings.find((f) => f.code === 'SERVICES_LOST');
    assert.ok(!lost || !(lost.data.lost as string[]).includes('Audio Conferencing'));
  });

  it('an edition someone already has from elsewhere is not an upgrade for them', async () => {
    // Gus has Exchange Online (Plan 2) on its own: E1 -> E3 brings him no better mailbox.
    const fx = tenantFixture('Contoso')
      .sku('STANDARDPACK', 5)
      .sku('ENTERPRISEPACK', 5)
      .sku('EXCHANGEENTERPRISE', 5)
      .user('gus', { licenses: ['EXCHANGEENTERPRISE'] })
      .group('Staff', { members: ['gus'], licenses: ['STANDARDPACK'] })
      .build();
    const { pf } = await run(fx, { principal: { kind: 'group', group: 'Staff' }, from: 'E1', to: 'E3' }, false);
    assert.ok(!pf.change.servicesUpgraded!.some((u) => u.startsWith('Exchange Online mailbox')), pf.change.servicesUpgraded!.join('; '));
    assert.ok(pf.change.servicesKept.includes('Exchange Online mailbox'));
    assert.ok(pf.change.servicesUpgraded!.some((u) => u.startsWith('SharePoint Online / OneDrive')));
  });
  it('a member in error from the group today is not told they stay in error: an error the old plan caused goes with it', async () => {
    // Hal holds E3 directly, so E1 from Staff clashes and is in error; Staff moves to E3.
    const fx = tenantFixture('Contoso')
      .sku('STANDARDPACK', 5)
      .sku('ENTERPRISEPACK', 5)
      .user('hal', { licenses: ['ENTERPRISEPACK'] })
      .group('Staff', { members: ['hal'], licenses: ['STANDARDPACK'] })
      .build();
    const { pf, states } = await run(fx, { principal: { kind: 'group', group: 'Staff' }, from: 'E1', to: 'E3' });
    const f = pf.findings.find((x) => x.code === 'MEMBERS_IN_ERROR')!;
    assert.doesNotMatch(en.findings.MEMBERS_IN_ERROR(f.data), /stay in error after the swap/);
    assert.match(en.findings.MEMBERS_IN_ERROR(f.data), /an error the old plan caused \(a clash with it\) goes with it/);
    assert.ok(states('hal').includes('ENTERPRISEPACK@Staff:Active'), states('hal').join());
  });
});

// The sandbox reproduces what an adopt relies on in Entra, checked in process (OutcomeSandbox, as
// the outcome oracle does): a direct and an inherited copy of one SKU sit side by side on one
// person and use one seat; removing the direct copy leaves the inherited one, and the person's
// services; and the adopt's preflight says what then happens to each person.
import assert from 'node:assert/strict';
import { GraphGateway } from '../../src/graph/gateway';
import { runAdoptSteps } from '../../src/licensing/adopt-run';
import { LicenseService } from '../../src/licensing/service';
import { OutcomeSandbox, type PersonState } from '../../src/sandbox/outcome';
import { skuId, tenantFixture } from '../helpers/sandbox';

const E1 = skuId('STANDARDPACK');

const fixture = tenantFixture('Contoso')
  .sku('STANDARDPACK', 9)
  .sku('PROJECTPROFESSIONAL', 2)
  .user('ann', { licenses: ['STANDARDPACK'] })
  .user('ben', { licenses: [{ sku: 'STANDARDPACK', disabledPlans: ['SWAY', 'YAMMER_ENTERPRISE'] }] })
  // Project's SharePoint needs a SharePoint plan: from E1, direct now, inherited after.
  .user('pim', { licenses: ['STANDARDPACK', { sku: 'PROJECTPROFESSIONAL', disabledPlans: ['SHAREPOINTENTERPRISE'] }] })
  // E1 only from another group: fine, nothing of theirs is removed.
  .user('olga')
  .group('Other', { members: ['olga'], licenses: ['STANDARDPACK'] })
  // Holds nothing: the group gives them a seat (the only new one).
  .user('nick')
  // Direct copies outside the group, and in a nested group: untouched.
  .user('out', { licenses: ['STANDARDPACK'] })
  .user('nest', { licenses: ['STANDARDPACK'] })
  .group('Nested', { members: ['nest'] })
  .group('Marketing', { members: ['ann', 'ben', 'pim', 'olga', 'nick', 'group:Nested'] })
  .build();

const enabled = (p: PersonState) => new Set(p.enabledPlans.map((x) => x.name));
const e1Seats = (sb: OutcomeSandbox) => sb.tenant.sku(E1)!.consumed;

describe('sandbox: direct and inherited copies, as an adopt needs them (outcome sandbox)', () => {
  it('coexist on one seat; removing the direct copy leaves the inherited one and every service; the preflight predicted it', async () => {
    const sb = OutcomeSandbox.fromFixture(fixture);
    try {
      const service = new LicenseService(new GraphGateway(sb.graphClient(), OutcomeSandbox.HOST), undefined, { pollIntervalMs: 1 });
      const pf = await service.preflight({ principal: { kind: 'group', group: 'Marketing' }, to: 'E1', adopt: {} });
      assert.equal(pf.blocked, false, pf.findings.map((f) => f.code).join(' '));
      assert.equal(pf.change.seats.needed, 1, 'Nick is the only new seat');
      assert.deepEqual(
        pf.findings.find((f) => f.code === 'ADOPT_NEW_SEATS')?.principals.map((p) => p.displayName),
        ['Nick'],
      );
      const before = new Map(sb.people().map((p) => [p.displayName, p]));
      const seats0 = e1Seats(sb);

      let midway: PersonState[] = [];
      let seatsMidway = -1;
      const end = await runAdoptSteps(service, pf.change, {
        onStep: async (step) => {
          if (step.action === 'adopt-processed') {
            midway = sb.people();
            seatsMidway = e1Seats(sb);
          }
          return true;
        },
      });
      await sb.settle();
      assert.equal(end.outcome, 'completed', JSON.stringify(end));

      // After the group's processing, before any removal: both copies, one seat each.
      const ann = midway.find((p) => p.displayName === 'Ann')!;
      assert.deepEqual(ann.licenses.map((l) => [l.assignedByGroup === null ? 'direct' : 'group', l.state]).sort(), [
        ['direct', 'Active'],
        ['group', 'Active'],
      ]);
      assert.equal(seatsMidway, seats0 + 1, 'only Nick took a seat');

      const after = new Map(sb.people().map((p) => [p.displayName, p]));
      for (const name of ['Ann', 'Ben', 'Pim']) {
        const p = after.get(name)!;
        const e1 = p.licenses.filter((l) => l.skuId === E1);
        assert.deepEqual(
          e1.map((l) => [l.assignedByGroup === null, l.state]),
          [[false, 'Active']],
          `${name}: only the inherited copy`,
        );
        for (const s of enabled(before.get(name)!)) assert.ok(enabled(p).has(s), `${name} keeps ${s}`);
      }
      // Ben had Sway and Yammer off; the others on: the group keeps every service anyone had on.
      assert.ok(enabled(after.get('Ben')!).has('SWAY'));
      // Pim's Project still has its SharePoint (from the inherited E1).
      assert.ok(after.get('Pim')!.licenses.some((l) => l.skuId === skuId('PROJECTPROFESSIONAL') && l.state === 'Active'));
      // Untouched: outside the group, in a nested group, or holding E1 from another group.
      for (const name of ['Out', 'Nest']) assert.deepEqual(after.get(name)!.licenses, before.get(name)!.licenses);
      assert.equal(after.get('Olga')!.licenses.filter((l) => l.state === 'Active').length, 2, 'two inherited copies');
      assert.equal(e1Seats(sb), seats0 + 1, 'seats: one more (Nick), no more');
    } finally {
      sb.dispose();
    }
  });

  it("the service never removes a direct copy its member still needs, whoever calls it (the group's write not made: nothing goes)", async () => {
    const sb = OutcomeSandbox.fromFixture(fixture);
    try {
      const service = new LicenseService(new GraphGateway(sb.graphClient(), OutcomeSandbox.HOST), undefined, { pollIntervalMs: 1 });
      const pf = await service.preflight({ principal: { kind: 'group', group: 'Marketing' }, to: 'E1', adopt: {} });
      const before = sb.people();
      // The removals alone, as a runner that skipped the group's write would send them.
      const res = await service.swap(pf.change);
      assert.equal(res.changed.length, 0);
      assert.deepEqual([...new Set(res.failed.map((f) => f.graphCode))], ['AdoptNotReady']);
      assert.match(res.failed[0]!.reason!, /no Active copy from the group/);
      assert.deepEqual(sb.people(), before, 'nobody changed');
    } finally {
      sb.dispose();
    }
  });
});

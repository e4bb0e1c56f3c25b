// Adopt, the pure parts: the group's disabled plans, the per-member check before a direct copy
// goes, the waves, the preflight on a snapshot (no server), and its sentences in English and Dutch.
import assert from 'node:assert/strict';
import { adoptWaves, checkAdoptMembers, chooseGroupDisabledPlans, servicesNotCovered } from '../../src/licensing/adopt';
import { runAdoptPreflight } from '../../src/licensing/preflight/adopt';
import { en, nl } from '../../src/i18n';
import { catalog, forGroup, group, input, planId, planIds, SKU, skuId, user } from './builders';

const E1 = skuId(SKU.E1);
const plan = () => catalog().byId(E1)!;
const adoptInput = (
  g: ReturnType<typeof group>,
  members: ReturnType<typeof user>[],
  spec: Record<string, unknown> = {},
  o: { nested?: { kind: 'group'; id: string; displayName: string }[] } = {},
) => input({ from: 'E1', to: 'E1', subject: forGroup(g, members, o), spec: { adopt: {}, ...spec } });

describe('adopt (pure): the group copy, the per-member check, waves', () => {
  it("the group's disabled plans: the members' own when they agree, else only what all have off", () => {
    const sway = planId('SWAY', SKU.E1);
    const yammer = planId('YAMMER_ENTERPRISE', SKU.E1);
    assert.deepEqual(chooseGroupDisabledPlans([[sway], [sway]]), { disabledPlans: [sway], from: 'members' });
    assert.deepEqual(chooseGroupDisabledPlans([[sway, yammer], [yammer]]), { disabledPlans: [yammer], from: 'union' });
    assert.deepEqual(chooseGroupDisabledPlans([[sway], []]), { disabledPlans: [], from: 'union' });
    assert.deepEqual(chooseGroupDisabledPlans([]), { disabledPlans: [], from: 'none' });
  });

  it('services not covered: on in the direct copy, off in every inherited copy', () => {
    const sway = planId('SWAY', SKU.E1);
    assert.deepEqual(servicesNotCovered(plan(), [], [[]]), []);
    assert.equal(servicesNotCovered(plan(), [], [[sway]]).length, 1);
    assert.deepEqual(servicesNotCovered(plan(), [], [[sway], []]), [], 'another group covers it');
    assert.deepEqual(servicesNotCovered(plan(), [sway], [[sway]]), [], 'off on both sides: nothing lost');
  });

  it('the check: ready, in error (with the reason), not inherited yet, not covered unless accepted, gone', () => {
    const g = group({ name: 'Marketing' });
    const ready = user({ name: 'Ready', licenses: [{ sku: SKU.E1 }, { sku: SKU.E1, group: g.id }] });
    const err = user({ name: 'Err', licenses: [{ sku: SKU.E1 }, { sku: SKU.E1, group: g.id, state: 'Error', error: 'CountViolation' }] });
    const none = user({ name: 'None', licenses: [{ sku: SKU.E1 }] });
    const loss = user({ name: 'Loss', licenses: [{ sku: SKU.E1 }, { sku: SKU.E1, group: g.id, disabled: ['SWAY'] }] });
    const gone = user({ name: 'Gone', licenses: [{ sku: SKU.E1, group: g.id }] });
    const r = checkAdoptMembers({ groupId: g.id, plan: plan(), members: [ready, err, none, loss, gone] });
    assert.deepEqual(
      r.ready.map((p) => p.displayName),
      ['Ready'],
    );
    assert.deepEqual(
      r.kept.map((k) => [k.principal.displayName, k.reason, k.error ?? k.services?.length ?? null]),
      [
        ['Err', 'error', 'CountViolation'],
        ['None', 'notInherited', null],
        ['Loss', 'servicesNotCovered', 1],
      ],
    );
    assert.equal(r.kept[0]!.message, undefined, "codes only: the reader's language says it");
    assert.deepEqual(
      r.gone.map((p) => p.displayName),
      ['Gone'],
    );
    const accepted = checkAdoptMembers({ groupId: g.id, plan: plan(), members: [loss], acceptLoss: [loss.id] });
    assert.deepEqual(
      accepted.ready.map((p) => p.displayName),
      ['Loss'],
    );
  });

  it('waves: the pilot, then waves of the given size', () => {
    const xs = Array.from({ length: 213 }, (_, i) => i);
    assert.deepEqual(
      adoptWaves(xs, 5, 100).map((w) => w.length),
      [5, 100, 100, 8],
    );
    assert.deepEqual(
      adoptWaves([1, 2], 5, 100).map((w) => w.length),
      [2],
    );
    assert.deepEqual(
      adoptWaves([1, 2, 3], 0, 2).map((w) => w.length),
      [2, 1],
    );
  });
});

describe('adopt (pure): the preflight on a snapshot', () => {
  it('services covered: the group gets the plan as the members have it; no seats; removal-only calls after the group write', () => {
    const g = group({ name: 'Marketing' });
    const a = user({ name: 'A', licenses: [{ sku: SKU.E1, disabled: ['SWAY'] }] });
    const b = user({ name: 'B', licenses: [{ sku: SKU.E1, disabled: ['SWAY'] }] });
    const pf = runAdoptPreflight(adoptInput(g, [a, b]));
    assert.equal(pf.blocked, false);
    assert.deepEqual(pf.change.adopt?.groupDisabledPlans, planIds(['SWAY'], SKU.E1));
    assert.equal(pf.change.adopt?.disabledFrom, 'members');
    assert.equal(pf.change.seats.needed, 0);
    assert.equal(pf.change.adopt?.groupWrite?.principal.displayName, 'Marketing');
    assert.deepEqual(
      pf.change.assignments.map((x) => [x.principal.displayName, x.addLicenses.length, x.removeLicenses.length]),
      [
        ['A', 0, 1],
        ['B', 0, 1],
      ],
    );
    assert.deepEqual(pf.change.servicesLost, []);
  });

  it('services not covered: named and kept (warn), unless accepted; accepted ones lose the service (warn, said)', () => {
    const g = group({ name: 'Support', licenses: [{ sku: SKU.E1, disabled: ['SWAY'] }] });
    const a = user({ name: 'A', licenses: [{ sku: SKU.E1 }, { sku: SKU.E1, group: g.id, disabled: ['SWAY'] }] });
    const b = user({
      name: 'B',
      licenses: [
        { sku: SKU.E1, disabled: ['SWAY'] },
        { sku: SKU.E1, group: g.id, disabled: ['SWAY'] },
      ],
    });
    const pf = runAdoptPreflight(adoptInput(g, [a, b]));
    const f = pf.findings.find((x) => x.code === 'ADOPT_SERVICES_NOT_COVERED')!;
    assert.equal(f.severity, 'warn');
    assert.deepEqual(
      f.principals.map((p) => p.displayName),
      ['A'],
    );
    assert.deepEqual(
      pf.change.assignments.map((x) => x.principal.displayName),
      ['B'],
      'no group write (it has E1); A keeps the direct copy',
    );
    const acc = runAdoptPreflight(adoptInput(g, [a, b], { adopt: { acceptLoss: [a.id] } }));
    assert.deepEqual(acc.change.assignments.map((x) => x.principal.displayName).sort(), ['A', 'B']);
    assert.equal(acc.findings.find((x) => x.code === 'ADOPT_SERVICES_NOT_COVERED')?.data.accepted, true);
    assert.equal(acc.change.servicesLost.length, 1);
    assert.deepEqual(acc.change.adopt?.acceptLoss, [a.id]);
  });

  it('synced and dynamic groups are fine (info, said so); nested groups warned; nobody direct: blocked', () => {
    const g = group({ name: 'Eng', groupTypes: ['DynamicMembership'], membershipRule: '(user.department -eq "Eng")', onPremisesSyncEnabled: true });
    const a = user({ name: 'A', licenses: [{ sku: SKU.E1 }] });
    const nested = [{ kind: 'group' as const, id: 'n1', displayName: 'Interns' }];
    const pf = runAdoptPreflight(adoptInput(g, [a], {}, { nested }));
    const codes = pf.findings.map((f) => `${f.severity}:${f.code}:${String(f.data.adopt ?? '')}`);
    assert.ok(codes.includes('info:GROUP_DYNAMIC:true'), codes.join(' '));
    assert.ok(codes.includes('info:GROUP_SYNCED:true'));
    assert.ok(codes.includes('warn:NESTED_GROUPS:true'));
    assert.equal(pf.blocked, false);
    const empty = runAdoptPreflight(adoptInput(g, [user({ name: 'B' })]));
    assert.ok(empty.blocked);
    assert.equal(empty.findings[0]!.code, 'ADOPT_NO_DIRECT_COPIES');
  });

  it('every adopt sentence reads in English and in Dutch', () => {
    const cases: [keyof typeof en.findings, Record<string, unknown>, RegExp, RegExp][] = [
      [
        'ADOPT_NO_DIRECT_COPIES',
        { plan: 'Office 365 E1', groupHasPlan: true },
        /No member of the group holds Office 365 E1 directly/,
        /Geen lid van de groep heeft Office 365 E1 rechtstreeks toegewezen/,
      ],
      [
        'ADOPT_GROUP_PLAN',
        { plan: 'Office 365 E1', disabledFrom: 'members', servicesOff: ['Sway'] },
        /gets Office 365 E1 with Sway turned off, as the members' own/,
        /krijgt Office 365 E1 met Sway uitgeschakeld/,
      ],
      ['ADOPT_SERVICES_NOT_COVERED', { services: ['Sway'], accepted: false }, /they keep their own copy/, /ze houden hun eigen licentie/],
      ['ADOPT_SERVICES_NOT_COVERED', { services: ['Sway'], accepted: true }, /they lose Sway/, /ze verliezen Sway/],
      ['ADOPT_NEW_SEATS', { count: 2, plan: 'Office 365 E1', available: 5 }, /2 members hold Office 365 E1 from nowhere today/, /2 leden hebben Office 365 E1 nu nergens vandaan/],
      ['ADOPT_GROUP_COPY_CONFLICT', { skus: ['Office 365 E3'] }, /clashes with Office 365 E3/, /botst met Office 365 E3/],
      ['GROUP_DYNAMIC', { adopt: true }, /Plan Switch leaves it alone/, /Plan Switch laat het zoals het is/],
      ['MEMBERS_IN_ERROR', { adopt: true, byError: { CountViolation: 1 } }, /keeps their own copy until/, /houdt zijn eigen licentie tot/],
    ];
    for (const [code, data, enRe, nlRe] of cases) {
      assert.match(en.findings[code](data), enRe, code);
      assert.match(nl.findings[code](data), nlRe, code);
    }
  });
});

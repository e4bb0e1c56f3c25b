// Several plans in one change: E3 -> "E3 (no Teams)" + Teams Enterprise (the Teams unbundling),
// and several sources. One call per principal carries every add and remove; the checks reason
// over the whole set.
import assert from 'node:assert/strict';
import { catalog, forGroup, forUser, forUsers, group, planId, SKU, skuId, subscribedSku, user, type SkuOpts } from '../builders';
import { reverseSpec } from '../../../src/licensing/swap-plan';
import { sourcesOf, targetsOf } from '../../../src/licensing/change-plans';
import { finding, findingsOf, ids, none, run, text } from './helpers';
import { nl } from '../../../src/i18n';
import type { Finding } from '../../../src/licensing/model';

const NO_TEAMS = SKU.M365_E3_NO_TEAMS;
const TEAMS = SKU.TEAMS_ENTERPRISE;

function cat(over: Partial<Record<string, SkuOpts>> = {}) {
  return catalog(
    [SKU.E1, SKU.E3, SKU.M365_E3, NO_TEAMS, TEAMS, SKU.TEAMS_ESSENTIALS, SKU.TEAMS_PHONE, SKU.AUDIO_CONF, SKU.BUSINESS_BASIC_SKU].map((p) => subscribedSku(p, over[p] ?? {})),
  );
}
const split = { from: SKU.M365_E3, to: NO_TEAMS, alsoTo: [TEAMS] };

describe('preflight: several plans in one change', () => {
  it('a group moves from M365 E3 to E3 (no Teams) + Teams Enterprise in one call that adds both and removes E3, carrying the disabled plans to whichever target has them', () => {
    const g = group({ name: 'Sales', licenses: [{ sku: SKU.M365_E3, disabled: ['SWAY', 'TEAMS1'] }] });
    const members = [1, 2, 3].map(() => user({ licenses: [{ sku: SKU.M365_E3, group: g.id, disabled: ['SWAY', 'TEAMS1'] }] }));
    const r = run({ ...split, cat: cat(), subject: forGroup(g, members) });
    assert.equal(r.change.assignments.length, 1);
    const a = r.change.assignments[0]!;
    assert.equal(a.principal.id, g.id);
    assert.deepEqual(
      a.addLicenses.map((l) => l.skuId),
      [skuId(NO_TEAMS), skuId(TEAMS)],
    );
    assert.deepEqual(a.removeLicenses, [skuId(SKU.M365_E3)]);
    // Sway was off: it stays off in the suite; Teams was off: it stays off in Teams Enterprise.
    assert.deepEqual(a.addLicenses[0]!.disabledPlans, [planId('SWAY', NO_TEAMS)]);
    assert.deepEqual(a.addLicenses[1]!.disabledPlans, [planId('TEAMS1', TEAMS)]);
    assert.deepEqual(a.previousDisabledBySku, { [skuId(SKU.M365_E3)]: [planId('SWAY', SKU.M365_E3), planId('TEAMS1', SKU.M365_E3)].map((x) => x.toLowerCase()) });
    assert.deepEqual(
      targetsOf(r.change).map((p) => p.skuPartNumber),
      [NO_TEAMS, TEAMS],
    );
    assert.deepEqual(
      sourcesOf(r.change).map((p) => p.skuPartNumber),
      [SKU.M365_E3],
    );
    assert.equal(r.blocked, false, r.findings.map((f) => `${f.code}: ${text(f)}`).join('\n'));
    none(r, 'MUTUALLY_EXCLUSIVE');
    none(r, 'SUITE_STACKED');
    // Services over the union: the mailbox, SharePoint and the Office apps stay.
    for (const s of ['Exchange Online mailbox', 'SharePoint Online / OneDrive']) assert.ok(r.change.servicesKept.includes(s) || !r.change.servicesLost.includes(s), s);
    assert.equal(r.change.seatsByTarget?.length, 2);
    assert.deepEqual(
      r.change.seatsByTarget!.map((l) => [l.skuPartNumber, l.needed]),
      [
        [NO_TEAMS, 3],
        [TEAMS, 3],
      ],
    );
  });

  it('Teams stays enabled when it was on: no service is lost across the set', () => {
    const u = user({ licenses: [{ sku: SKU.M365_E3 }] });
    const r = run({ ...split, cat: cat(), subject: forUser(u) });
    assert.equal(r.blocked, false);
    assert.ok(!r.change.servicesLost.some((s) => /teams/i.test(s)), r.change.servicesLost.join(', '));
    assert.ok(r.change.servicesKept.some((s) => /teams/i.test(s)) || !r.change.servicesGained.some((s) => /teams/i.test(s)));
    for (const f of findingsOf(r, 'SERVICES_LOST')) assert.doesNotMatch(text(f), /Teams/);
    none(r, 'TEAMS_NEEDED');
  });

  it('each target has its own seat line: too few Teams Enterprise seats blocks, naming that plan, while the suite has enough', () => {
    const g = group({ licenses: [{ sku: SKU.M365_E3 }] });
    const members = [1, 2, 3].map(() => user({ licenses: [{ sku: SKU.M365_E3, group: g.id }] }));
    const r = run({ ...split, cat: cat({ [TEAMS]: { enabled: 12, consumed: 10 } }), subject: forGroup(g, members) });
    const f = finding(r, 'SEATS_SHORT', 'block');
    assert.equal(f.data.skuId, skuId(TEAMS));
    assert.equal(f.data.needed, 3);
    assert.equal(f.data.available, 2);
    assert.match(text(f), /Not enough Microsoft Teams Enterprise licenses: 3 needed, 2 available/);
    assert.match((nl.findings.SEATS_SHORT as (d: Finding['data']) => string)(f.data), /Microsoft Teams Enterprise-licenties: 3 nodig, 2 beschikbaar/);
    assert.equal(findingsOf(r, 'SEATS_SHORT').length, 1);
  });

  it('Teams Phone without Teams: a suite moved to its (no Teams) twin alone names the people who keep Teams Phone; with Teams Enterprise in the set it is satisfied', () => {
    const phone = user({ name: 'Pia', licenses: [{ sku: SKU.M365_E3 }, { sku: SKU.TEAMS_PHONE }] });
    const plain = user({ name: 'Bo', licenses: [{ sku: SKU.M365_E3 }] });
    const alone = run({ from: SKU.M365_E3, to: NO_TEAMS, cat: cat(), subject: forUsers([phone, plain]) });
    const f = finding(alone, 'TEAMS_NEEDED', 'warn');
    assert.deepEqual(ids(f), [phone.id]);
    assert.deepEqual(f.data.services, ['phone']);
    assert.match(text(f), /They keep Teams Phone \(from Microsoft Teams Phone Standard\), which needs Teams/);
    assert.match((nl.findings.TEAMS_NEEDED as (d: Finding['data']) => string)(f.data), /Zij houden Teams Phone/);
    const both = run({ ...split, cat: cat(), subject: forUsers([phone, plain]) });
    none(both, 'TEAMS_NEEDED');
    none(both, 'DEPENDENCY_BROKEN');
  });

  it('Audio Conferencing kept beside a group moved to the no-Teams suite alone is named too', () => {
    const g = group({ licenses: [{ sku: SKU.M365_E3 }] });
    const conf = user({ licenses: [{ sku: SKU.M365_E3, group: g.id }, { sku: SKU.AUDIO_CONF }] });
    const other = user({ licenses: [{ sku: SKU.M365_E3, group: g.id }] });
    const r = run({ from: SKU.M365_E3, to: NO_TEAMS, cat: cat(), subject: forGroup(g, [conf, other]) });
    const f = finding(r, 'TEAMS_NEEDED', 'warn');
    assert.deepEqual(ids(f), [conf.id]);
    assert.deepEqual(f.data.services, ['conferencing']);
  });

  it('mutual exclusion is judged against every target: a kept Business Basic clashes with the E3 (no Teams) suite (SharePoint), not with Teams Enterprise', () => {
    const u = user({ licenses: [{ sku: SKU.M365_E3 }, { sku: SKU.BUSINESS_BASIC_SKU }] });
    const r = run({ ...split, cat: cat(), subject: forUser(u) });
    const f = finding(r, 'MUTUALLY_EXCLUSIVE', 'block');
    assert.equal((f.data.sku as { skuId: string }).skuId, skuId(SKU.BUSINESS_BASIC_SKU));
    const pairs = f.data.plans as { targetPlan: string }[];
    assert.ok(
      pairs.every((p) => !['MCOIMP', 'EXCHANGE_S_DESKLESS'].includes(p.targetPlan)),
      JSON.stringify(pairs),
    );
    assert.ok(pairs.some((p) => p.targetPlan === 'SHAREPOINTENTERPRISE'));
  });

  it('two targets that clash with each other (two suites, each with its SharePoint) block, naming both plans', () => {
    const u = user({ licenses: [{ sku: SKU.E3 }] });
    const r = run({ from: 'E3', to: 'E1', alsoTo: [NO_TEAMS], cat: cat(), subject: forUser(u) });
    const f = findingsOf(r, 'MUTUALLY_EXCLUSIVE').find((x) => x.data.betweenTargets)!;
    assert.ok(f, r.findings.map((x) => x.code).join(', '));
    assert.equal(f.severity, 'block');
    assert.deepEqual(ids(f), [u.id]);
    assert.match(text(f), /^Two of the plans to add clash with each other: Microsoft 365 E3 \(no Teams\) and Office 365 E1 \(SharePoint Online/);
    assert.match((nl.findings.MUTUALLY_EXCLUSIVE as (d: Finding['data']) => string)(f.data), /^Twee licentieplannen die erbij komen botsen met elkaar/);
  });

  it('seats per target: a member who keeps a clashing copy of the source elsewhere takes no suite seat, but still a Teams Enterprise seat (Entra applies each license on its own)', () => {
    const g = group({ name: 'G1', licenses: [{ sku: SKU.E1 }] });
    const other = group({ name: 'G2', licenses: [{ sku: SKU.E1 }] });
    const both = user({
      licenses: [
        { sku: SKU.E1, group: g.id },
        { sku: SKU.E1, group: other.id },
      ],
    });
    const plain = user({ licenses: [{ sku: SKU.E1, group: g.id }] });
    const r = run({ from: 'E1', to: 'E3', alsoTo: [TEAMS], cat: cat(), subject: forGroup(g, [both, plain]), groupNames: { [other.id]: 'G2' } });
    assert.deepEqual(
      r.change.seatsByTarget!.map((l) => [l.skuPartNumber, l.needed]),
      [
        [SKU.E3, 1],
        [TEAMS, 2],
      ],
    );
  });

  it('several sources: E1 and Teams Essentials to E3 is one call per user removing both; a user lacking one of them is named for that plan', () => {
    const both = user({ name: 'Ann', licenses: [{ sku: SKU.E1, disabled: ['SWAY'] }, { sku: SKU.TEAMS_ESSENTIALS }] });
    const e1only = user({ name: 'Ben', licenses: [{ sku: SKU.E1 }] });
    const r = run({ from: 'E1', alsoFrom: [SKU.TEAMS_ESSENTIALS], to: 'E3', cat: cat(), subject: forUsers([both, e1only]) });
    const a = r.change.assignments.find((x) => x.principal.id === both.id)!;
    assert.deepEqual(
      a.addLicenses.map((l) => l.skuId),
      [skuId(SKU.E3)],
    );
    assert.deepEqual(a.removeLicenses, [skuId(SKU.E1), skuId(SKU.TEAMS_ESSENTIALS)]);
    assert.ok(a.addLicenses[0]!.disabledPlans.includes(planId('SWAY', SKU.E3)));
    const f = findingsOf(r, 'SOURCE_NOT_ASSIGNED').find((x) => x.data.skuId === skuId(SKU.TEAMS_ESSENTIALS))!;
    assert.ok(f, r.findings.map((x) => x.code).join(','));
    assert.deepEqual(ids(f), [e1only.id]);
    assert.match(text(f), /^Microsoft Teams Essentials \(one of the plans to remove\) is not assigned here/);
    assert.equal(r.blocked, true);
  });

  it('a group that lacks one of the sources is blocked for that plan', () => {
    const g = group({ licenses: [{ sku: SKU.E1 }] });
    const r = run({ from: 'E1', alsoFrom: [SKU.TEAMS_ESSENTIALS], to: 'E3', cat: cat(), subject: forGroup(g, [user({ licenses: [{ sku: SKU.E1, group: g.id }] })]) });
    const f = finding(r, 'SOURCE_NOT_ASSIGNED', 'block');
    assert.equal(f.data.skuId, skuId(SKU.TEAMS_ESSENTIALS));
    assert.match(text(f), /The group does not have Microsoft Teams Essentials, one of the plans to remove/);
  });

  it('undo of a several-plans change: every target back to every source, with the disabled plans each source had', () => {
    const u = user({ licenses: [{ sku: SKU.M365_E3, disabled: ['SWAY', 'TEAMS1'] }] });
    const r = run({ ...split, cat: cat(), subject: forUser(u) });
    const back = reverseSpec(r.change);
    assert.equal(back.from, skuId(NO_TEAMS));
    assert.deepEqual(back.alsoFrom, [skuId(TEAMS)]);
    assert.equal(back.to, skuId(SKU.M365_E3));
    assert.equal(back.alsoTo, undefined);
    assert.equal(back.exactDisabledPlans, undefined);
    // After the move: the user holds both targets as the change added them.
    const a = r.change.assignments[0]!;
    const after = user({
      id: u.id,
      licenses: [
        { sku: NO_TEAMS, disabled: ['SWAY'] },
        { sku: TEAMS, disabled: ['TEAMS1'] },
      ],
    });
    assert.deepEqual(a.addLicenses[1]!.disabledPlans, [planId('TEAMS1', TEAMS)]);
    const undo = run({ from: NO_TEAMS, alsoFrom: [TEAMS], to: SKU.M365_E3, cat: cat(), subject: forUser(after), spec: { exactDisabledBySku: back.exactDisabledBySku } });
    const ua = undo.change.assignments[0]!;
    assert.deepEqual(ua.addLicenses, [{ skuId: skuId(SKU.M365_E3), disabledPlans: [planId('SWAY', SKU.M365_E3), planId('TEAMS1', SKU.M365_E3)].map((x) => x.toLowerCase()) }]);
    assert.deepEqual(ua.removeLicenses, [skuId(NO_TEAMS), skuId(TEAMS)]);
    assert.equal(undo.blocked, false, undo.findings.map((f) => `${f.code}: ${text(f)}`).join('\n'));
  });

  it('a single-plan change keeps its shape: no alsoTo, alsoFrom, seatsByTarget or previousDisabledBySku', () => {
    const u = user({ licenses: [{ sku: SKU.E1 }] });
    const r = run({ subject: forUser(u) });
    assert.equal('alsoTo' in r.change, false);
    assert.equal('alsoFrom' in r.change, false);
    assert.equal('seatsByTarget' in r.change, false);
    assert.equal('previousDisabledBySku' in r.change.assignments[0]!, false);
  });
});

// "Split Teams" proposals: suite -> "(no Teams)" twin + the Teams licence the tenant has, and the
// reverse; never a SKU the tenant does not subscribe to (the notes say what to buy instead).
import assert from 'node:assert/strict';
import type { GraphSubscribedSku } from '../../src/graph/types';
import { Catalog } from '../../src/licensing/catalog';
import type { PlanSummary, PrincipalRef } from '../../src/licensing/model';
import { proposeSplit, type HeldLicence, type SplitDirection } from '../../src/licensing/split-teams';
import { ref } from './builders';

const id = (part: string) => ref.skusByPartNumber.get(part.toUpperCase())!.skuId;
function sub(skuId: string, enabled = 20, consumed = 0): GraphSubscribedSku {
  const s = ref.skusById.get(skuId)!;
  return {
    id: `t_${s.skuId}`,
    skuId: s.skuId,
    skuPartNumber: s.skuPartNumber,
    appliesTo: 'User',
    capabilityStatus: 'Enabled',
    consumedUnits: consumed,
    prepaidUnits: { enabled, suspended: 0, warning: 0 },
    servicePlans: s.servicePlans.map((p) => ({ servicePlanId: p.id, servicePlanName: p.name })),
  };
}
const plansOf = (...ids: (string | GraphSubscribedSku)[]) =>
  Catalog.fromSubscribedSkus(
    ids.map((i) => (typeof i === 'string' ? sub(i) : i)),
    ref,
  ).plans();

const E1 = id('STANDARDPACK');
const E3 = id('ENTERPRISEPACK');
const M365_E3 = id('SPE_E3');
const E1_NT = id('Office_365_E1_(no_Teams)');
const E1_EEA = id('Office_365_w/o_Teams_Bundle_E1');
const E3_NT = id('Office_365_E3_(no_Teams)');
const M365_E3_NT = id('Microsoft_365_E3_(no_Teams)');
const TEAMS = id('Microsoft_Teams_Enterprise_New');
const TEAMS_EEA = id('Microsoft_Teams_EEA_New');
const PROJECT = id('PROJECTPROFESSIONAL');
const BB = id('O365_BUSINESS_ESSENTIALS');
const BB_SMB = id('SMB_BUSINESS_ESSENTIALS');
const BB_NT = id('Microsoft_365_Business_Basic_(no Teams)');

const ALEX: PrincipalRef = { kind: 'user', id: 'a1e40000-0000-4000-8000-000000000001', displayName: 'Alex Wilber', userPrincipalName: 'alex@contoso.example' };
const SALES: PrincipalRef = { kind: 'group', id: '5a1e5000-0000-4000-8000-000000000001', displayName: 'Sales' };
const direct = (...skuIds: string[]): HeldLicence[] => skuIds.map((skuId) => ({ skuId, assignedByGroup: null }));

function propose(principal: PrincipalRef, held: HeldLicence[], plans: ReturnType<typeof plansOf>, direction: SplitDirection = 'split') {
  return proposeSplit({ principal, held, plans, ref, direction });
}
const ids = (xs: PlanSummary[]) => xs.map((p) => p.skuId);

describe('licensing/split-teams: proposals', () => {
  it('a user holding Office 365 E3 directly: E3 -> E3 (no Teams) + Teams Enterprise, one change', () => {
    const p = propose(ALEX, direct(E3, PROJECT), plansOf(E3, E3_NT, TEAMS, PROJECT));
    assert.deepEqual(p.notes, []);
    assert.deepEqual(p.spec, { principal: { kind: 'user', user: ALEX.id }, from: E3, to: E3_NT, alsoTo: [TEAMS] });
    assert.deepEqual(ids(p.remove), [E3]);
    assert.deepEqual(ids(p.add), [E3_NT, TEAMS]);
  });

  it("a group's own Microsoft 365 E3: the group's change", () => {
    const p = propose(SALES, direct(M365_E3), plansOf(M365_E3, M365_E3_NT, E3_NT, TEAMS));
    assert.deepEqual(p.spec, { principal: { kind: 'group', group: SALES.id }, from: M365_E3, to: M365_E3_NT, alsoTo: [TEAMS] });
  });

  it('an EEA twin goes with Microsoft Teams EEA', () => {
    const p = propose(SALES, direct(E1), plansOf(E1, E1_EEA, TEAMS_EEA));
    assert.deepEqual(p.spec?.to, E1_EEA);
    assert.deepEqual(p.spec?.alsoTo, [TEAMS_EEA]);
  });

  it('with both twins, the one whose Teams licence the tenant has', () => {
    assert.equal(propose(SALES, direct(E1), plansOf(E1, E1_NT, E1_EEA, TEAMS_EEA)).spec?.to, E1_EEA);
    assert.equal(propose(SALES, direct(E1), plansOf(E1, E1_NT, E1_EEA, TEAMS)).spec?.to, E1_NT);
  });

  it('with both twins and both Teams licences, the admin chooses: no proposal, the candidates named', () => {
    const p = propose(SALES, direct(E1), plansOf(E1, E1_NT, E1_EEA, TEAMS, TEAMS_EEA));
    assert.equal(p.spec, undefined);
    assert.equal(p.notes[0]?.code, 'CHOOSE');
    assert.deepEqual(ids(p.notes[0]!.data.candidates as PlanSummary[]).sort(), [E1_NT, E1_EEA].sort());
  });

  it('no subscription for the twin: nothing proposed, says which to buy', () => {
    const p = propose(ALEX, direct(E3), plansOf(E3, TEAMS));
    assert.equal(p.spec, undefined);
    assert.deepEqual(p.notes, [{ code: 'BUY_TWIN', data: { suite: 'Office 365 E3', buy: ['Office 365 E3 (no Teams)', 'Office 365 E3 EEA (no Teams)'] } }]);
  });

  it('no subscription for the Teams licence: nothing proposed, says Microsoft Teams Enterprise (or EEA) to buy', () => {
    const p = propose(ALEX, direct(E3), plansOf(E3, E3_NT));
    assert.equal(p.spec, undefined);
    assert.deepEqual(p.notes, [{ code: 'BUY_TEAMS', data: { twin: 'Office 365 E3 (no Teams)', buy: 'Microsoft Teams Enterprise' } }]);
    const eea = propose(ALEX, direct(E1), plansOf(E1, E1_EEA, TEAMS));
    assert.deepEqual(eea.notes, [{ code: 'BUY_TEAMS', data: { twin: 'Office 365 E1 EEA (no Teams)', buy: 'Microsoft Teams EEA' } }]);
  });

  it('a user who holds Teams Enterprise already gets no second copy', () => {
    const p = propose(ALEX, direct(E3, TEAMS), plansOf(E3, E3_NT, TEAMS));
    assert.deepEqual(p.spec, { principal: { kind: 'user', user: ALEX.id }, from: E3, to: E3_NT });
  });

  it('a suite that comes from a group: split the group (named), nothing proposed for the user', () => {
    const held: HeldLicence[] = [{ skuId: E3, assignedByGroup: SALES.id, assignedByGroupName: 'Sales' }];
    const p = propose(ALEX, held, plansOf(E3, E3_NT, TEAMS));
    assert.equal(p.spec, undefined);
    assert.deepEqual(p.notes, [{ code: 'FROM_GROUP', data: { direction: 'split', plans: ['Office 365 E3'], groups: ['Sales'] } }]);
  });

  it('nothing to split: no suite with a twin; already split: the twins named', () => {
    assert.deepEqual(propose(ALEX, direct(PROJECT), plansOf(PROJECT, E3_NT, TEAMS)).notes, [{ code: 'NOTHING_TO_SPLIT', data: { held: ['Planner and Project Plan 3'] } }]);
    assert.deepEqual(propose(ALEX, direct(E3_NT, TEAMS), plansOf(E3_NT, TEAMS)).notes, [{ code: 'ALREADY_SPLIT', data: { plans: ['Office 365 E3 (no Teams)'] } }]);
  });

  it('SKUs the reference data does not know yet: a suite and its "(no Teams)" twin, found by their names', () => {
    const unknown = (skuId: string, part: string, plans: string[]): GraphSubscribedSku => ({
      id: `t_${skuId}`,
      skuId,
      skuPartNumber: part,
      appliesTo: 'User',
      capabilityStatus: 'Enabled',
      consumedUnits: 0,
      prepaidUnits: { enabled: 10, suspended: 0, warning: 0 },
      servicePlans: plans.map((name, i) => ({ servicePlanId: `0000000${i}-aaaa-4000-8000-000000000000`, servicePlanName: name })),
    });
    const E7 = 'e7e7e7e7-0000-4000-8000-000000000001';
    const E7_NT = 'e7e7e7e7-0000-4000-8000-000000000002';
    const cat = Catalog.fromSubscribedSkus(
      [unknown(E7, 'Microsoft_365_E7', ['EXCHANGE_S_ENTERPRISE', 'TEAMS1']), unknown(E7_NT, 'Microsoft_365_E7_(no_Teams)', ['EXCHANGE_S_ENTERPRISE']), sub(TEAMS)],
      ref,
    );
    assert.equal(cat.resolve('M365 E7 zonder Teams').skuId, E7_NT);
    const p = propose(ALEX, direct(E7), cat.plans());
    assert.deepEqual(p.spec, { principal: { kind: 'user', user: ALEX.id }, from: E7, to: E7_NT, alsoTo: [TEAMS] });
  });

  it('one product with two part numbers: the one with free seats, else the admin chooses', () => {
    const withSeats = propose(ALEX, direct(BB_NT, TEAMS), plansOf(BB_NT, TEAMS, sub(BB, 10, 10), BB_SMB), 'join');
    assert.equal(withSeats.spec?.to, BB_SMB);
    const both = propose(ALEX, direct(BB_NT, TEAMS), plansOf(BB_NT, TEAMS, BB, BB_SMB), 'join');
    assert.equal(both.spec, undefined);
    assert.equal(both.notes[0]?.code, 'CHOOSE');
  });
});

describe('licensing/split-teams: the reverse (join Teams)', () => {
  it('twin + Teams Enterprise -> the suite, one change that removes both', () => {
    const p = propose(ALEX, direct(E3_NT, TEAMS, PROJECT), plansOf(E3, E3_NT, TEAMS, PROJECT), 'join');
    assert.deepEqual(p.spec, { principal: { kind: 'user', user: ALEX.id }, from: E3_NT, alsoFrom: [TEAMS], to: E3 });
  });
  it('undoes a split: join after split gives the plans back', () => {
    const plans = plansOf(M365_E3, M365_E3_NT, TEAMS);
    const split = propose(SALES, direct(M365_E3), plans);
    const after = direct(...ids(split.add));
    const join = propose(SALES, after, plans, 'join');
    assert.deepEqual(ids(join.add), ids(split.remove));
    assert.deepEqual(ids(join.remove).sort(), ids(split.add).sort());
  });
  it('no subscription for the suite: says which to buy', () => {
    const p = propose(ALEX, direct(M365_E3_NT, TEAMS), plansOf(M365_E3_NT, TEAMS), 'join');
    assert.equal(p.spec, undefined);
    assert.deepEqual(p.notes, [{ code: 'BUY_SUITE', data: { twin: 'Microsoft 365 E3 (no Teams)', buy: ['Microsoft 365 E3'] } }]);
  });
  it('nothing to join when no twin is held; a twin from a group names the group', () => {
    assert.equal(propose(ALEX, direct(E3), plansOf(E3, E3_NT, TEAMS), 'join').notes[0]?.code, 'NOTHING_TO_JOIN');
    const fromGroup = propose(ALEX, [{ skuId: E3_NT, assignedByGroup: SALES.id, assignedByGroupName: 'Sales' }], plansOf(E3, E3_NT, TEAMS), 'join');
    assert.deepEqual(fromGroup.notes, [{ code: 'FROM_GROUP', data: { direction: 'join', plans: ['Office 365 E3 (no Teams)'], groups: ['Sales'] } }]);
  });
});

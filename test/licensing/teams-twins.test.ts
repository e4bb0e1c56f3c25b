// Teams unbundling names: every "(no Teams)" SKU in data/skus.csv finds its suite, and the names
// admins write for them ("E3 no Teams", "M365 E3 zonder Teams", "Teams EEA") resolve in a tenant.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphSubscribedSku } from '../../src/graph/types';
import { Catalog } from '../../src/licensing/catalog';
import { LicensingError, type PlanSummary } from '../../src/licensing/model';
import { TeamsTwins, teamsLicenceKind, teamsMarks, twinKey } from '../../src/licensing/teams-twins';
import { DATA_DIR, parseCsv } from '../../src/reference/data';
import { ref } from './builders';

/** A subscribed SKU straight from the reference data, by skuId (part numbers may repeat). */
function sub(id: string, enabled = 20): GraphSubscribedSku {
  const s = ref.skusById.get(id.toLowerCase());
  if (!s) throw new Error(`no SKU ${id}`);
  return {
    id: `t_${s.skuId}`,
    skuId: s.skuId,
    skuPartNumber: s.skuPartNumber,
    appliesTo: 'User',
    capabilityStatus: 'Enabled',
    consumedUnits: 0,
    prepaidUnits: { enabled, suspended: 0, warning: 0 },
    servicePlans: s.servicePlans.map((p) => ({ servicePlanId: p.id, servicePlanName: p.name })),
  };
}
const byPart = (part: string) => ref.skusByPartNumber.get(part.toUpperCase())!.skuId;
const tenantOf = (...ids: string[]) =>
  Catalog.fromSubscribedSkus(
    ids.map((i) => sub(i)),
    ref,
  );

function resolveError(cat: Catalog, name: string): LicensingError {
  try {
    cat.resolve(name);
  } catch (e) {
    assert.ok(e instanceof LicensingError);
    return e;
  }
  assert.fail(`'${name}' resolved`);
}

/** The "(no Teams)" SKUs of skus.csv, found by a test's own reading of the file. */
const csvTwins: { skuId: string; part: string; product: string }[] = (() => {
  const seen = new Map<string, { skuId: string; part: string; product: string }>();
  for (const r of parseCsv(readFileSync(join(DATA_DIR, 'skus.csv'), 'utf8'))) {
    if (!/\(no[ _]teams\)|w\/o[ _]teams/i.test(`${r.product_name} ${r.sku_part_number}`)) continue;
    seen.set(r.sku_id!.toLowerCase(), { skuId: r.sku_id!.toLowerCase(), part: r.sku_part_number!, product: r.product_name! });
  }
  return [...seen.values()];
})();

const family = (planNames: readonly string[], fam: string) => planNames.some((p) => ref.familyByPlanName.get(p.toUpperCase())?.family === fam);

describe('licensing/teams-twins: the "(no Teams)" relation from the reference data', () => {
  const twins = TeamsTwins.from(ref);

  it('finds the "(no Teams)" SKUs of skus.csv (the walk below has something to walk)', () => {
    assert.ok(csvTwins.length >= 25, `only ${csvTwins.length} found`);
    for (const p of ['Microsoft_365_E3_(no_Teams)', 'Office_365_E1_(no_Teams)', 'O365_w/o Teams Bundle_M3', 'Office_365_w/o_Teams_Bundle_Business_Premium']) {
      assert.ok(
        csvTwins.some((t) => t.part === p),
        p,
      );
    }
  });

  for (const t of csvTwins) {
    it(`${t.product} (${t.part}) has a suite with Teams and the same mailbox and SharePoint`, () => {
      assert.ok(twins.twin(t.skuId), 'recognised as a twin');
      const suites = twins.suitesOf(t.skuId);
      assert.ok(suites.length >= 1, 'no suite found');
      const twin = twins.sku(t.skuId)!;
      assert.ok(!twin.planNames.includes('TEAMS1'), 'the twin has no Teams');
      for (const s of suites) {
        assert.ok(s.planNames.includes('TEAMS1'), `${s.productName} has Teams`);
        assert.ok(!twins.twin(s.skuId), `${s.productName} is not itself a twin`);
        assert.equal(family(s.planNames, 'SharePoint Online / OneDrive'), family(twin.planNames, 'SharePoint Online / OneDrive'), `SharePoint: ${s.productName} vs ${t.product}`);
        assert.ok(
          twins.twinsOf(s.skuId).some((x) => x.skuId === t.skuId),
          `${s.productName} lists ${t.product} back`,
        );
      }
      // One product may have part numbers with and without a mailbox (Microsoft 365 F1): one matches.
      const mailbox = (names: readonly string[]) => family(names, 'Exchange Online mailbox');
      assert.ok(
        suites.some((s) => mailbox(s.planNames) === mailbox(twin.planNames)),
        'a suite with the same mailbox',
      );
      assert.equal(twins.twin(t.skuId)!.eea, /\bEEA\b/.test(t.product), 'EEA as the product name says');
    });
  }

  it('pairs the suites admins move most with the twins Microsoft sells', () => {
    const twinParts = (suitePart: string) =>
      twins
        .twinsOf(byPart(suitePart))
        .map((x) => x.skuPartNumber)
        .sort();
    assert.deepEqual(twinParts('SPE_E3'), ['Microsoft_365_E3_(no_Teams)', 'O365_w/o Teams Bundle_M3']);
    assert.deepEqual(twinParts('STANDARDPACK'), ['Office_365_E1_(no_Teams)', 'Office_365_w/o_Teams_Bundle_E1']);
    assert.deepEqual(twinParts('SPB'), ['Microsoft_365_ Business_ Premium_(no Teams)', 'Office_365_w/o_Teams_Bundle_Business_Premium']);
    assert.deepEqual(twinParts('SPE_E5'), ['Microsoft_365_E5_(no_Teams)', 'O365_w/o_Teams_Bundle_M5']);
    assert.deepEqual(twinParts('PROJECTPROFESSIONAL'), [], 'an add-on has no twin');
    assert.deepEqual(twinParts('Microsoft_Teams_Enterprise_New'), [], 'nor has the Teams licence');
  });

  it('recognises a twin Microsoft adds later, unknown to the reference data, by its name', () => {
    const suite = { skuId: 'aaaaaaaa-0000-4000-8000-000000000001', skuPartNumber: 'SPE_E7', productName: 'Microsoft 365 E7', planNames: ['TEAMS1', 'EXCHANGE_S_ENTERPRISE'] };
    const twin = {
      skuId: 'aaaaaaaa-0000-4000-8000-000000000002',
      skuPartNumber: 'Microsoft_365_E7_(no_Teams)',
      productName: 'Microsoft_365_E7_(no_Teams)',
      planNames: ['EXCHANGE_S_ENTERPRISE'],
    };
    const eea = { skuId: 'aaaaaaaa-0000-4000-8000-000000000003', skuPartNumber: 'O365_w/o_Teams_Bundle_M5_NEW', productName: 'O365_w/o_Teams_Bundle_M5_NEW', planNames: [] };
    const t = new TeamsTwins([suite, twin, eea]);
    assert.deepEqual(
      t.suitesOf(twin.skuId).map((s) => s.productName),
      ['Microsoft 365 E7'],
    );
    assert.deepEqual(twinKey(eea), { base: 'office 365 m5 new', eea: true }, 'the bundle form is EEA');
    assert.deepEqual(twinKey({ productName: 'O365_w/o Teams Bundle_M3', skuPartNumber: 'O365_w/o Teams Bundle_M3' }), { base: 'microsoft 365 e3', eea: true });
  });

  it('knows the two Teams licences and nothing else as such', () => {
    assert.equal(teamsLicenceKind({ productName: 'Microsoft Teams Enterprise', skuPartNumber: 'Microsoft_Teams_Enterprise_New' }), 'enterprise');
    assert.equal(teamsLicenceKind({ productName: 'Microsoft Teams EEA', skuPartNumber: 'Microsoft_Teams_EEA_New' }), 'eea');
    assert.equal(teamsLicenceKind({ productName: 'Microsoft Teams Essentials', skuPartNumber: 'Teams_Ess' }), undefined);
    assert.equal(teamsLicenceKind({ productName: 'Microsoft Teams Premium', skuPartNumber: 'M365_TEAMS_PREMIUM' }), undefined);
  });

  it('reads the ways admins write "without Teams"', () => {
    for (const s of ['E3 no Teams', 'E3 (no Teams)', 'e3 zonder teams', 'E3 without Teams', 'E3 w/o Teams', 'E3 (geen Teams)']) {
      assert.deepEqual(teamsMarks(s), { base: 'e3', noTeams: true, eea: false, bundle: false }, s);
    }
    assert.equal(teamsMarks('M365 E3 EEA zonder Teams').base, 'microsoft 365 e3');
    assert.equal(teamsMarks('M365 E3 EEA zonder Teams').eea, true);
    assert.equal(teamsMarks('Teams Enterprise').noTeams, false);
  });
});

describe('licensing/catalog: Teams unbundling names resolve in the tenant', () => {
  const e1 = byPart('STANDARDPACK');
  const e3 = byPart('ENTERPRISEPACK');
  const m365e3 = byPart('SPE_E3');
  const e1NoTeams = byPart('Office_365_E1_(no_Teams)');
  const e3NoTeams = byPart('Office_365_E3_(no_Teams)');
  const m365e3NoTeams = byPart('Microsoft_365_E3_(no_Teams)');
  const m365e3Eea = byPart('O365_w/o Teams Bundle_M3');
  const e1Eea = byPart('Office_365_w/o_Teams_Bundle_E1');
  const teams = byPart('Microsoft_Teams_Enterprise_New');
  const teamsEea = byPart('Microsoft_Teams_EEA_New');
  const bb = byPart('O365_BUSINESS_ESSENTIALS');
  const bbNoTeams = byPart('Microsoft_365_Business_Basic_(no Teams)');
  const bs = byPart('O365_BUSINESS_PREMIUM');
  const bsNoTeams = byPart('MICROSOFT_365_BUSINESS_STANDARD_NO_TEAMS');
  const bp = byPart('SPB');
  const bpNoTeams = byPart('Microsoft_365_ Business_ Premium_(no Teams)');
  const bpEea = byPart('Office_365_w/o_Teams_Bundle_Business_Premium');
  const cat = tenantOf(e1, e3, m365e3, e1NoTeams, e3NoTeams, m365e3NoTeams, m365e3Eea, teams, teamsEea, bb, bbNoTeams, bs, bsNoTeams, bp, bpNoTeams, bpEea);
  const id = (name: string) => cat.resolve(name).skuId;

  it('"E3 no Teams", "E3 (no Teams)" and "E3 (zonder Teams)" are Office 365 E3 (no Teams), as "E3" is Office 365 E3', () => {
    for (const n of ['E3 no Teams', 'E3 (no Teams)', 'E3 (zonder Teams)', 'O365 E3 without Teams', 'Office 365 E3 (no Teams)']) assert.equal(id(n), e3NoTeams, n);
    assert.equal(id('E3'), e3, 'and "E3" alone stays the suite');
  });
  it('"M365 E3 zonder Teams" and "Microsoft 365 E3 (no Teams)" are Microsoft 365 E3 (no Teams)', () => {
    for (const n of ['M365 E3 zonder Teams', 'Microsoft 365 E3 (no Teams)', 'm365 e3 no teams', 'Microsoft_365_E3_(no_Teams)']) assert.equal(id(n), m365e3NoTeams, n);
  });
  it('"Office 365 E1 (no Teams)" and "E1 no Teams"', () => {
    assert.equal(id('Office 365 E1 (no Teams)'), e1NoTeams);
    assert.equal(id('E1 no Teams'), e1NoTeams);
  });
  it('"Teams Enterprise" and "Teams EEA" are the Teams licences', () => {
    assert.equal(id('Teams Enterprise'), teams);
    assert.equal(id('Microsoft Teams Enterprise'), teams);
    assert.equal(id('Teams EEA'), teamsEea);
  });
  it('Business Basic / Standard / Premium (no Teams)', () => {
    assert.equal(id('Business Basic (no Teams)'), bbNoTeams);
    assert.equal(id('Business Standard no Teams'), bsNoTeams);
    assert.equal(id('Business Premium (no Teams)'), bpNoTeams);
    assert.equal(id('Business Premium zonder Teams'), bpNoTeams);
  });
  it('the EEA variants by what admins write and by the "O365_w/o Teams Bundle_..." part numbers', () => {
    assert.equal(id('M365 E3 EEA (no Teams)'), m365e3Eea);
    assert.equal(id('O365_w/o Teams Bundle_M3'), m365e3Eea);
    assert.equal(id('Microsoft 365 E3 EEA (no Teams)'), m365e3Eea);
    assert.equal(id('Business Premium EEA no Teams'), bpEea);
    assert.equal(id('Office_365_w/o_Teams_Bundle_Business_Premium'), bpEea);
  });
  it('a tenant with only the EEA twin: "E1 no Teams" means that one', () => {
    const eeaOnly = tenantOf(e1, e1Eea, teamsEea);
    assert.equal(eeaOnly.resolve('E1 no Teams').skuId, e1Eea);
    assert.equal(eeaOnly.resolve('E1 zonder Teams').skuId, e1Eea);
  });
  it('with both twins, the name decides: "EEA" picks the EEA one, no "EEA" the other', () => {
    const both = tenantOf(e1, e1NoTeams, e1Eea);
    assert.equal(both.resolve('E1 no Teams').skuId, e1NoTeams);
    assert.equal(both.resolve('E1 EEA no Teams').skuId, e1Eea);
  });
  it('two SKUs with one product name ask which one (with both as candidates), never a silent pick', () => {
    const a = byPart('Microsoft_365_Business_Standard_EEA_(no_Teams)');
    const b = byPart('Office_365_w/o_Teams_Bundle_Business_Standard');
    const c = tenantOf(bs, a, b);
    const err = resolveError(c, 'Business Standard EEA (no Teams)');
    assert.equal(err.code, 'PLAN_AMBIGUOUS');
    assert.deepEqual(((err.data.candidates as PlanSummary[]) ?? []).map((p) => p.skuId).sort(), [a, b].sort());
    assert.equal(c.resolve('Office_365_w/o_Teams_Bundle_Business_Standard').skuId, b, 'the part number settles it');
  });
  it('a twin the tenant does not have is unknown (with the plans it has), not its suite', () => {
    const c = tenantOf(e3, teams);
    const err = resolveError(c, 'E3 no Teams');
    assert.equal(err.code, 'PLAN_UNKNOWN');
    assert.ok(((err.data.candidates as PlanSummary[]) ?? []).some((p) => p.skuId === e3));
  });
  it('"E3 EEA no Teams" never resolves to the non-EEA twin', () => {
    const c = tenantOf(e3, e3NoTeams);
    assert.equal(resolveError(c, 'E3 EEA no Teams').code, 'PLAN_UNKNOWN');
  });
  it('every twin of skus.csv resolves by its suite\'s product name plus "(no Teams)" (and "EEA")', () => {
    const twins = TeamsTwins.from(ref);
    for (const t of csvTwins) {
      const suites = twins.suitesOf(t.skuId);
      const c = tenantOf(t.skuId, ...suites.map((s) => s.skuId));
      const eea = twins.twin(t.skuId)!.eea;
      for (const s of suites) {
        const said = eea ? `${s.productName} EEA (no Teams)` : `${s.productName} zonder Teams`;
        assert.equal(c.resolve(said).skuId, t.skuId, `${said} -> ${t.product}`);
      }
      assert.equal(c.resolve(t.part).skuId, t.skuId, t.part);
      assert.equal(c.resolve(t.product).skuId, t.skuId, t.product);
    }
  });
});

// Teams unbundling: which SKU is the "(no Teams)" twin of which suite (Microsoft 365 E3 ->
// Microsoft 365 E3 (no Teams); Office 365 E1 -> Office 365 E1 EEA (no Teams)...), and which Teams
// licence goes beside it. Derived from the names in the reference data and the tenant's own SKUs,
// so a twin Microsoft adds later is recognised without a code change: a twin is a SKU whose name
// says "no Teams" (or "w/o Teams Bundle"), its suite is the SKU with Teams whose name is the same
// once "(no Teams)" and "EEA" are taken out. Pure: names in, relation out.
import type { ReferenceData } from '../reference/data';
import type { PlanInfo } from './model';
import { normalizeName } from './plan-names';

/** What the relation needs of a SKU, from the reference data or the tenant. */
export interface NamedSku {
  skuId: string;
  skuPartNumber: string;
  productName: string;
  /** servicePlanName of each service plan ("TEAMS1"...). */
  planNames: readonly string[];
}

/** "no Teams", "(no_Teams)", "without Teams", "zonder Teams", "w/o Teams Bundle" (normalized). */
const NO_TEAMS = /\b(?:no|without|zonder|geen|excl|exclusief|excluding|w o|sans|ohne)\s+teams(\s+bundle)?\b/;
const EEA = /\beea\b/;
const TEAMS_PLAN = 'TEAMS1';

/**
 * Where the names cannot tell. The EEA twins' older part numbers ("O365_w/o Teams Bundle_M3")
 * abbreviate the suite: this maps what is left of them to the suite's product name, used only for
 * a tenant SKU the reference data does not know (a known SKU is read by its product name). Every
 * "w/o Teams Bundle" SKU Microsoft publishes is an EEA product.
 */
const BUNDLE_CODES: Readonly<Record<string, string>> = {
  'office 365 m3': 'microsoft 365 e3',
  'office 365 m5': 'microsoft 365 e5',
  'office 365 business premium': 'microsoft 365 business premium',
  'office 365 business standard': 'microsoft 365 business standard',
};

export type TeamsLicenceKind = 'enterprise' | 'eea';

/**
 * The standalone Teams licence that goes beside a twin: Microsoft Teams EEA beside an EEA twin,
 * Microsoft Teams Enterprise beside the others. Which of the many SKUs with Teams in them is "the"
 * Teams licence is not in the data, hence this table (product name, and the part number's start
 * for a tenant SKU the reference data does not know).
 */
export const TEAMS_LICENCES: Readonly<Record<TeamsLicenceKind, { productName: string; partNumberPrefix: string }>> = {
  enterprise: { productName: 'Microsoft Teams Enterprise', partNumberPrefix: 'microsoft_teams_enterprise' },
  eea: { productName: 'Microsoft Teams EEA', partNumberPrefix: 'microsoft_teams_eea' },
};

export interface TeamsMarks {
  /** The name without "no Teams" and "EEA", O365/M365 written out: "microsoft 365 e3". */
  base: string;
  noTeams: boolean;
  eea: boolean;
  /** The "w/o Teams Bundle" form of the EEA part numbers. */
  bundle: boolean;
}

/** Reads a plan name as published or as an admin types it ("M365 E3 zonder Teams", "E3 (no Teams)"). */
export function teamsMarks(name: string): TeamsMarks {
  let n = normalizeName(name);
  const m = n.match(NO_TEAMS);
  const noTeams = !!m;
  const bundle = !!m?.[1];
  n = n.replace(NO_TEAMS, ' ');
  const eea = EEA.test(n);
  n = n.replace(EEA, ' ');
  n = n
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^o365\b/, 'office 365')
    .replace(/^(?:m365|ms365)\b/, 'microsoft 365');
  return { base: n, noTeams, eea, bundle };
}

/** A twin's key: the base its suite has, and whether it is the EEA variant. */
export function twinKey(sku: Pick<NamedSku, 'productName' | 'skuPartNumber'>): { base: string; eea: boolean } | undefined {
  const byName = teamsMarks(sku.productName);
  if (byName.noTeams && !byName.bundle) return { base: byName.base, eea: byName.eea };
  const byPart = byName.noTeams ? byName : teamsMarks(sku.skuPartNumber);
  if (!byPart.noTeams) return undefined;
  const base = byPart.bundle ? (BUNDLE_CODES[byPart.base] ?? byPart.base) : byPart.base;
  return { base, eea: byPart.eea || byPart.bundle };
}

/** Which Teams licence this SKU is, if it is one. */
export function teamsLicenceKind(sku: Pick<NamedSku, 'productName' | 'skuPartNumber'>): TeamsLicenceKind | undefined {
  const name = normalizeName(sku.productName);
  const part = sku.skuPartNumber.toLowerCase();
  for (const kind of Object.keys(TEAMS_LICENCES) as TeamsLicenceKind[]) {
    const t = TEAMS_LICENCES[kind];
    if (name === normalizeName(t.productName) || part.startsWith(t.partNumberPrefix)) return kind;
  }
  return undefined;
}

const hasTeams = (s: NamedSku) => s.planNames.some((p) => p.toUpperCase() === TEAMS_PLAN);

/** The twin relation over a set of SKUs (the reference data's and the tenant's). */
export class TeamsTwins {
  private readonly byId = new Map<string, NamedSku>();
  private readonly twinKeys = new Map<string, { base: string; eea: boolean }>();
  /** Suites with Teams by base name. */
  private readonly suitesByBase = new Map<string, NamedSku[]>();
  private readonly twinsBySuite = new Map<string, NamedSku[]>();

  constructor(skus: Iterable<NamedSku>) {
    for (const s of skus) {
      const id = s.skuId.toLowerCase();
      if (this.byId.has(id)) continue;
      this.byId.set(id, s);
      const key = twinKey(s);
      if (key) {
        if (!hasTeams(s)) this.twinKeys.set(id, key);
        continue;
      }
      if (!hasTeams(s) || teamsLicenceKind(s)) continue;
      const base = teamsMarks(s.productName).base;
      const list = this.suitesByBase.get(base) ?? [];
      list.push(s);
      this.suitesByBase.set(base, list);
    }
    for (const [id, key] of this.twinKeys) {
      for (const suite of this.suitesByBase.get(key.base) ?? []) {
        const sid = suite.skuId.toLowerCase();
        const list = this.twinsBySuite.get(sid) ?? [];
        list.push(this.byId.get(id)!);
        this.twinsBySuite.set(sid, list);
      }
    }
  }

  /**
   * The reference data's SKUs and the tenant's that it does not know. Built once per reference
   * data set (about 600 SKUs: milliseconds) and again only for a tenant with SKUs it lacks.
   */
  static from(ref: ReferenceData, tenant: readonly PlanInfo[] = []): TeamsTwins {
    const unknown = tenant.filter((p) => !ref.skusById.has(p.skuId.toLowerCase()));
    if (!unknown.length) {
      let known = forReference.get(ref);
      if (!known) forReference.set(ref, (known = new TeamsTwins(referenceSkus(ref))));
      return known;
    }
    const named: NamedSku[] = unknown.map((p) => ({ skuId: p.skuId, skuPartNumber: p.skuPartNumber, productName: p.displayName, planNames: p.servicePlans.map((x) => x.name) }));
    return new TeamsTwins([...named, ...referenceSkus(ref)]);
  }

  sku(skuId: string): NamedSku | undefined {
    return this.byId.get(skuId.toLowerCase());
  }

  /** Is this SKU a "(no Teams)" twin, and the EEA one? */
  twin(skuId: string): { eea: boolean } | undefined {
    const k = this.twinKeys.get(skuId.toLowerCase());
    return k ? { eea: k.eea } : undefined;
  }

  /** Every "(no Teams)" twin of a suite (EEA or not); empty for anything else. */
  twinsOf(suiteSkuId: string): NamedSku[] {
    return [...(this.twinsBySuite.get(suiteSkuId.toLowerCase()) ?? [])];
  }

  /** The suites with Teams that a twin stands for (one product may have several part numbers). */
  suitesOf(twinSkuId: string): NamedSku[] {
    const k = this.twinKeys.get(twinSkuId.toLowerCase());
    return k ? [...(this.suitesByBase.get(k.base) ?? [])] : [];
  }

  /** Every twin known. */
  twins(): NamedSku[] {
    return [...this.twinKeys.keys()].map((id) => this.byId.get(id)!);
  }
}

const refNamed = new WeakMap<ReferenceData, NamedSku[]>();
const forReference = new WeakMap<ReferenceData, TeamsTwins>();
function referenceSkus(ref: ReferenceData): NamedSku[] {
  let list = refNamed.get(ref);
  if (!list) {
    list = [...ref.skusById.values()].map((s) => ({ skuId: s.skuId, skuPartNumber: s.skuPartNumber, productName: s.productName, planNames: s.servicePlans.map((p) => p.name) }));
    refNamed.set(ref, list);
  }
  return list;
}

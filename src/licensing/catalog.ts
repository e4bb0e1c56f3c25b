// The tenant's subscribed SKUs, enriched with the reference data, and the resolution of the plan
// names admins type ("E3", "m365 e3", "Business Premium", a part number, a product name, a skuId)
// to exactly one of those SKUs. Pure: built from a /subscribedSkus snapshot, no I/O.
import type { GraphSubscribedSku } from '../graph/types';
import { LicensingError, type PlanInfo, type PlanSummary, type ServicePlanInfo } from './model';
import type { ReferenceData } from '../reference/data';
import { compactName, normalizeName } from './plan-names';
import { TeamsTwins, teamsMarks } from './teams-twins';

/**
 * Short names admins use, keyed by skuPartNumber (upper case). Only names that clearly point at one
 * product: "E3" is Office 365 E3 (the name Microsoft's own admin center shortens to), Microsoft 365
 * E3 is "M365 E3". More are derived from the product name (see deriveAliases).
 */
export const ALIASES: Readonly<Record<string, readonly string[]>> = {
  STANDARDPACK: ['E1', 'O365 E1', 'Office E1'],
  ENTERPRISEPACK: ['E3', 'O365 E3', 'Office E3'],
  ENTERPRISEPREMIUM: ['E5', 'O365 E5', 'Office E5'],
  ENTERPRISEPREMIUM_NOPSTNCONF: ['E5 without Audio Conferencing', 'O365 E5 without Audio Conferencing', 'O365 E5 no PSTN'],
  DESKLESSPACK: ['O365 F3', 'Office F3', 'K1'],
  SPE_E3: ['M365 E3', 'MS365 E3', 'Microsoft E3'],
  SPE_E5: ['M365 E5', 'MS365 E5', 'Microsoft E5'],
  SPE_E5_NOPSTNCONF: ['M365 E5 without Audio Conferencing', 'M365 E5 no PSTN'],
  SPE_F1: ['F3', 'M365 F3', 'MS365 F3'],
  M365_F1: ['F1', 'M365 F1', 'MS365 F1'],
  M365_F1_COMM: ['F1', 'M365 F1', 'MS365 F1'],
  SPE_F5_SECCOMP: ['F5 Security + Compliance', 'M365 F5 Security + Compliance'],
  O365_BUSINESS_ESSENTIALS: ['Business Basic', 'M365 Business Basic', 'O365 Business Essentials', 'Business Essentials'],
  O365_BUSINESS_PREMIUM: ['Business Standard', 'M365 Business Standard', 'O365 Business Premium'],
  SPB: ['Business Premium', 'M365 Business Premium', 'M365 BP'],
  O365_BUSINESS: ['Apps for business', 'M365 Apps for business'],
  OFFICESUBSCRIPTION: ['Apps for enterprise', 'M365 Apps for enterprise', 'Microsoft 365 Apps', 'ProPlus', 'Office 365 ProPlus'],
  EXCHANGESTANDARD: ['Exchange Plan 1', 'EXO P1', 'Exchange Online Plan 1'],
  EXCHANGEENTERPRISE: ['Exchange Plan 2', 'EXO P2', 'Exchange Online Plan 2'],
  EMS: ['EMS E3', 'EMS'],
  EMSPREMIUM: ['EMS E5'],
  PROJECTPROFESSIONAL: ['Project Plan 3', 'Project P3'],
  PROJECTPREMIUM: ['Project Plan 5', 'Project P5'],
  VISIOCLIENT: ['Visio Plan 2', 'Visio P2'],
  POWER_BI_PRO: ['Power BI Pro', 'PBI Pro'],
  Microsoft_365_Copilot: ['Copilot', 'M365 Copilot'],
};

export { normalizeName };
const compact = compactName;

/** Aliases that follow from the product name: "Microsoft 365 E3" -> "M365 E3", "Microsoft 365 Business Basic" -> "Business Basic". */
export function deriveAliases(productName: string): string[] {
  const out = new Set<string>();
  const n = productName.trim();
  let m: RegExpMatchArray | null;
  if ((m = n.match(/^Microsoft 365 (.+)$/i))) {
    out.add(`M365 ${m[1]}`);
    out.add(`MS365 ${m[1]}`);
    if (/^Business /i.test(m[1]!)) out.add(m[1]!);
  }
  if ((m = n.match(/^Office 365 (.+)$/i))) {
    out.add(`O365 ${m[1]}`);
  }
  if ((m = n.match(/^Microsoft (.+)$/i)) && !/^365 /i.test(m[1]!)) out.add(m[1]!);
  out.delete(n);
  return [...out];
}

const summary = (p: PlanInfo): PlanSummary => ({ skuId: p.skuId, skuPartNumber: p.skuPartNumber, displayName: p.displayName });

/** How strongly a name matched a plan: the lowest level with any match wins. */
const enum Level {
  SkuId = 0,
  PartNumber = 1,
  Published = 2,
  Alias = 3,
  Derived = 4,
  /** "E3 no Teams", "M365 E3 zonder Teams": a name of the suite, said without Teams. */
  Twin = 5,
  /** The same, answered by the EEA twin when the tenant has that one ("E3 no Teams" in the EEA). */
  TwinEea = 6,
  Compact = 7,
}

interface Keys {
  plan: PlanInfo;
  published: Set<string>; // normalized product name and other spellings
  alias: Set<string>; // normalized explicit aliases
  derived: Set<string>;
  compact: Set<string>;
  /** A "(no Teams)" twin: every name of its suites (and its own) without "no Teams" and "EEA". */
  twin?: { bases: Set<string>; eea: boolean };
}

export class Catalog {
  private readonly list: PlanInfo[];
  private readonly bySkuId = new Map<string, PlanInfo>();
  private readonly keys: Keys[] = [];
  /** Service plans by id (lower case), from the tenant first, then the reference data. */
  private readonly servicePlanById = new Map<string, ServicePlanInfo>();
  private readonly servicePlanByName = new Map<string, ServicePlanInfo>();

  private constructor(
    plans: PlanInfo[],
    private readonly ref: ReferenceData,
    published: Map<string, string[]>,
  ) {
    this.list = plans;
    const twins = TeamsTwins.from(ref, plans);
    for (const p of plans) {
      this.bySkuId.set(p.skuId.toLowerCase(), p);
      for (const sp of p.servicePlans) {
        if (!this.servicePlanById.has(sp.id)) this.servicePlanById.set(sp.id, sp);
        if (!this.servicePlanByName.has(sp.name.toUpperCase())) this.servicePlanByName.set(sp.name.toUpperCase(), sp);
      }
      const pub = [p.displayName, ...(published.get(p.skuId) ?? [])];
      const explicit = ALIASES[p.skuPartNumber] ?? ALIASES[p.skuPartNumber.toUpperCase()] ?? [];
      const derived = pub.flatMap(deriveAliases);
      this.keys.push({
        plan: p,
        published: new Set(pub.map(normalizeName)),
        alias: new Set(explicit.map(normalizeName)),
        derived: new Set(derived.map(normalizeName)),
        compact: new Set([p.skuPartNumber, ...pub, ...explicit, ...derived].map(compact).filter(Boolean)),
        ...twinNames(p, pub, twins, ref),
      });
    }
  }

  static fromSubscribedSkus(skus: GraphSubscribedSku[], ref: ReferenceData): Catalog {
    const published = new Map<string, string[]>();
    const plans: PlanInfo[] = skus.map((s) => {
      const skuId = s.skuId.toLowerCase();
      const refSku = ref.skusById.get(skuId) ?? ref.skusByPartNumber.get(s.skuPartNumber.toUpperCase());
      const displayName = refSku?.productName ?? s.skuPartNumber;
      published.set(skuId, refSku ? [...refSku.otherNames] : []);
      const tenantPlans = s.servicePlans?.length
        ? s.servicePlans.map((sp) => ({ id: sp.servicePlanId.toLowerCase(), name: sp.servicePlanName }))
        : (refSku?.servicePlans ?? []).map((sp) => ({ id: sp.id, name: sp.name }));
      const seen = new Set<string>();
      const servicePlans: ServicePlanInfo[] = [];
      for (const sp of tenantPlans) {
        if (seen.has(sp.id)) continue;
        seen.add(sp.id);
        const refPlan = ref.plansById.get(sp.id) ?? ref.plansByName.get(sp.name.toUpperCase());
        const fam = ref.familyByPlanName.get(sp.name.toUpperCase());
        const info: ServicePlanInfo = { id: sp.id, name: sp.name, friendlyName: refPlan?.friendlyName || fam?.friendlyName || sp.name };
        if (fam) info.family = fam.family;
        servicePlans.push(info);
      }
      const enabled = s.prepaidUnits?.enabled ?? 0;
      const consumed = s.consumedUnits ?? 0;
      const explicit = ALIASES[s.skuPartNumber] ?? ALIASES[s.skuPartNumber.toUpperCase()] ?? [];
      const aliases = [...new Set([...explicit, ...deriveAliases(displayName)])];
      return {
        skuId,
        skuPartNumber: s.skuPartNumber,
        displayName,
        aliases,
        appliesTo: s.appliesTo,
        capabilityStatus: s.capabilityStatus,
        enabled,
        warning: s.prepaidUnits?.warning ?? 0,
        suspended: s.prepaidUnits?.suspended ?? 0,
        consumed,
        available: Math.max(0, enabled - consumed),
        servicePlans,
      };
    });
    return new Catalog(plans, ref, published);
  }

  plans(): PlanInfo[] {
    return [...this.list];
  }

  byId(skuId: string): PlanInfo | undefined {
    return this.bySkuId.get(skuId.trim().toLowerCase());
  }

  summaries(): PlanSummary[] {
    return this.list.map(summary);
  }

  /** The tenant plan a person means by `name`; throws PLAN_UNKNOWN or PLAN_AMBIGUOUS. */
  resolve(name: string): PlanInfo {
    const raw = (name ?? '').trim();
    const matches = raw ? this.match(raw) : [];
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      const candidates = matches.map(summary);
      throw new LicensingError(
        'PLAN_AMBIGUOUS',
        `'${raw}' could mean more than one plan in this tenant: ${candidates.map(describe).join('; ')}. Use the part number or the SKU id.`,
        { name: raw, candidates },
      );
    }
    const candidates = this.list.map(summary);
    throw new LicensingError('PLAN_UNKNOWN', `No plan called '${raw}' in this tenant. Plans: ${candidates.length ? candidates.map(describe).join('; ') : '(none)'}.`, {
      name: raw,
      candidates,
    });
  }

  private match(raw: string): PlanInfo[] {
    const id = raw.toLowerCase();
    const hit = this.bySkuId.get(id);
    if (hit) return [hit];
    const upper = raw.toUpperCase();
    const norm = normalizeName(raw);
    const comp = compact(raw);
    const asked = teamsMarks(raw);
    let best = Infinity;
    let found: PlanInfo[] = [];
    const consider = (level: Level, p: PlanInfo) => {
      if (level < best) {
        best = level;
        found = [p];
      } else if (level === best && !found.includes(p)) found.push(p);
    };
    for (const k of this.keys) {
      if (k.plan.skuPartNumber.toUpperCase() === upper) consider(Level.PartNumber, k.plan);
      else if (k.published.has(norm)) consider(Level.Published, k.plan);
      else if (k.alias.has(norm)) consider(Level.Alias, k.plan);
      else if (k.derived.has(norm)) consider(Level.Derived, k.plan);
      else if (k.twin && asked.noTeams && k.twin.bases.has(asked.base) && (k.twin.eea === asked.eea || (k.twin.eea && !asked.eea)))
        consider(k.twin.eea === asked.eea ? Level.Twin : Level.TwinEea, k.plan);
      else if (comp && k.compact.has(comp)) consider(Level.Compact, k.plan);
    }
    return found;
  }

  /** Friendly name of a service plan (by id), e.g. "SharePoint (Plan 2)"; the id itself if unknown. */
  planName(planId: string): string {
    const id = planId.trim().toLowerCase();
    return this.servicePlanById.get(id)?.friendlyName ?? this.ref.plansById.get(id)?.friendlyName ?? planId;
  }

  /**
   * The id of a service plan given its id, its servicePlanName ("SHAREPOINTENTERPRISE") or its
   * friendly name ("SharePoint (Plan 2)"), case-insensitive; within `sku` when given.
   */
  planId(nameOrId: string, sku?: PlanInfo): string | undefined {
    const q = nameOrId.trim();
    if (!q) return undefined;
    const lower = q.toLowerCase();
    const upper = q.toUpperCase();
    if (sku) {
      const sp =
        sku.servicePlans.find((p) => p.id === lower) ??
        sku.servicePlans.find((p) => p.name.toUpperCase() === upper) ??
        sku.servicePlans.find((p) => normalizeName(p.friendlyName) === normalizeName(q));
      return sp?.id;
    }
    const sp = this.servicePlanById.get(lower) ?? this.servicePlanByName.get(upper);
    if (sp) return sp.id;
    const norm = normalizeName(q);
    for (const p of this.servicePlanById.values()) if (normalizeName(p.friendlyName) === norm) return p.id;
    const refPlan = this.ref.plansById.get(lower) ?? this.ref.plansByName.get(upper);
    return refPlan?.id;
  }
}

/** Every name of a twin's suites (product names, Microsoft's other spellings, short names) as a base. */
function twinNames(p: PlanInfo, published: string[], twins: TeamsTwins, ref: ReferenceData): Pick<Keys, 'twin'> {
  const twin = twins.twin(p.skuId);
  if (!twin) return {};
  const names = [...published];
  for (const suite of twins.suitesOf(p.skuId)) {
    const refSku = ref.skusById.get(suite.skuId.toLowerCase());
    const suiteNames = [suite.productName, ...(refSku?.otherNames ?? [])];
    names.push(...suiteNames, ...(ALIASES[suite.skuPartNumber] ?? ALIASES[suite.skuPartNumber.toUpperCase()] ?? []), ...suiteNames.flatMap(deriveAliases));
  }
  return { twin: { bases: new Set(names.map((n) => teamsMarks(n).base).filter(Boolean)), eea: twin.eea } };
}

/** Services whose presence makes a SKU a suite rather than an add-on. */
const CORE_FAMILIES = new Set(['Exchange Online mailbox', 'SharePoint Online / OneDrive', 'Office apps', 'Skype for Business Online']);

/**
 * A suite (E1, E3, Business Premium...) bundles at least two core services (mailbox, SharePoint,
 * Office apps, Skype/Teams); anything else (Project, Visio, Audio Conferencing, a standalone
 * workload) is an add-on that sits beside a suite. Source inference never swaps one kind for the
 * other unless the admin names it, and two suites on one person are worth a finding.
 */
export function isSuite(plans: readonly { name: string }[], ref: ReferenceData): boolean {
  const fams = new Set<string>();
  for (const p of plans) {
    const fam = ref.familyByPlanName.get(p.name.toUpperCase())?.family;
    if (fam && CORE_FAMILIES.has(fam)) fams.add(fam);
    if (p.name.toUpperCase() === 'TEAMS1') fams.add('Skype for Business Online');
  }
  return fams.size >= 2;
}

function describe(p: PlanSummary): string {
  return p.displayName === p.skuPartNumber ? p.skuPartNumber : `${p.displayName} (${p.skuPartNumber})`;
}

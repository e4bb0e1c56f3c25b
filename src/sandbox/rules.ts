// Service-plan rules (data/plan-rules.json plus the fixture's `rules`) evaluated on license
// "profiles": the enabled plans one license gives (SKU plans minus disabledPlans). Profiles are
// cached per (skuId, disabledPlans) because 100,000 members of one group share a handful of them.
import type { ResolvedRules, ResolvedSku } from './fixture';

export interface LicenseProfile {
  skuId: string;
  /** Enabled plan names, upper case. */
  names: Set<string>;
  /** (index of a mutually exclusive set, plan name) for each enabled plan that is in such a set. */
  exclusive: [number, string][];
  /** Enabled plan names that have a dependency rule. */
  dependents: string[];
  /** Plan name (upper case) -> plan id, for this SKU. */
  idByName: Map<string, string>;
}

export interface Conflict {
  planName: string;
  otherName: string;
}

export class RuleBook {
  private readonly setsByPlan = new Map<string, number[]>();
  private readonly requires = new Map<string, string[]>();
  private readonly profiles = new Map<string, LicenseProfile>();
  private readonly skus = new Map<string, { sku: ResolvedSku; nameById: Map<string, string>; idByName: Map<string, string> }>();
  private readonly coexist: Set<string>;

  constructor(
    rules: ResolvedRules,
    skus: ResolvedSku[],
    private readonly fallbackIdByName: (name: string) => string | undefined,
  ) {
    this.coexist = new Set((rules.coexistSkus ?? []).map((x) => x.toLowerCase()));
    rules.mutuallyExclusive.forEach((set, i) => {
      for (const name of new Set(set)) {
        const list = this.setsByPlan.get(name) ?? [];
        list.push(i);
        this.setsByPlan.set(name, list);
      }
    });
    for (const d of rules.dependencies) {
      const prev = this.requires.get(d.plan) ?? [];
      this.requires.set(d.plan, [...prev, ...d.requiresAnyOf]);
    }
    for (const sku of skus) {
      const nameById = new Map<string, string>();
      const idByName = new Map<string, string>();
      for (const p of sku.servicePlans) {
        nameById.set(p.id, p.name.toUpperCase());
        idByName.set(p.name.toUpperCase(), p.id);
      }
      this.skus.set(sku.skuId, { sku, nameById, idByName });
    }
  }

  /** The enabled plans of one license. */
  profile(skuId: string, disabledPlans: readonly string[]): LicenseProfile {
    const key = disabledPlans.length ? `${skuId}|${[...disabledPlans].sort().join(',')}` : skuId;
    let p = this.profiles.get(key);
    if (p) return p;
    const entry = this.skus.get(skuId);
    const disabled = new Set(disabledPlans);
    const names = new Set<string>();
    if (entry) for (const [id, name] of entry.nameById) if (!disabled.has(id)) names.add(name);
    const exclusive: [number, string][] = [];
    const dependents: string[] = [];
    // A coexist SKU (Teams Enterprise beside a "(no Teams)" suite) clashes with nothing.
    const coexist = this.coexist.has(skuId.toLowerCase());
    for (const name of names) {
      if (!coexist) for (const i of this.setsByPlan.get(name) ?? []) exclusive.push([i, name]);
      if (this.requires.has(name)) dependents.push(name);
    }
    p = { skuId, names, exclusive, dependents, idByName: entry?.idByName ?? new Map() };
    this.profiles.set(key, p);
    return p;
  }

  /** A plan of `added` that is mutually exclusive with a different plan of one of `others`. */
  conflict(added: LicenseProfile, others: readonly LicenseProfile[]): Conflict | undefined {
    for (const [set, name] of added.exclusive) {
      for (const o of others) {
        for (const [set2, name2] of o.exclusive) if (set2 === set && name2 !== name) return { planName: name, otherName: name2 };
      }
    }
    return undefined;
  }

  /** Dependent plans enabled by `profiles` none of whose prerequisites is enabled by `profiles`. */
  unmetDependencies(profiles: readonly LicenseProfile[]): { plan: string; requiresAnyOf: string[]; skuId: string }[] {
    const out: { plan: string; requiresAnyOf: string[]; skuId: string }[] = [];
    const seen = new Set<string>();
    for (const p of profiles) {
      for (const dep of p.dependents) {
        if (seen.has(dep)) continue;
        const req = this.requires.get(dep) ?? [];
        if (!req.some((r) => profiles.some((q) => q.names.has(r)))) {
          seen.add(dep);
          out.push({ plan: dep, requiresAnyOf: req, skuId: p.skuId });
        }
      }
    }
    return out;
  }

  /** Plan id for a plan name, from the tenant's SKUs first, then the reference data. */
  planId(name: string, preferSkuIds: readonly string[] = []): string {
    for (const skuId of preferSkuIds) {
      const id = this.skus.get(skuId)?.idByName.get(name);
      if (id) return id;
    }
    for (const { idByName } of this.skus.values()) {
      const id = idByName.get(name);
      if (id) return id;
    }
    return this.fallbackIdByName(name) ?? name;
  }
}

// What every preflight check reads: the input, per-user facts computed once (which copies of the
// source and target each user holds), and small cached helpers over the plan rules. Everything is
// Map/Set based so a 100,000-member group is one linear pass.
import type { GraphGroup, GraphOrganization, GraphUser } from '../../graph/types';
import { isSuite, type Catalog } from '../catalog';
import type { ChangeSpec, Finding, FindingCode, PlanInfo, PrincipalRef, ResolvedChange, Severity } from '../model';
import { coexistSkuIds, type ReferenceData } from '../../reference/data';
import type { CarryOverResult } from '../swap-plan';
import { userRef } from '../principal-ref';

export interface PreflightInput {
  spec: ChangeSpec;
  catalog: Catalog;
  /** rules = ref.rules (the service may merge extra rules into a copy). */
  ref: ReferenceData;
  /** countryLetterCode = default usage location for group licensing. */
  tenant: GraphOrganization;
  source: PlanInfo;
  target: PlanInfo;
  /** Several plans in one change: the targets after `target` and the sources after `source` (see change-plans.ts). */
  alsoTo?: PlanInfo[];
  alsoFrom?: PlanInfo[];
  subject:
    | { kind: 'user'; user: GraphUser }
    | { kind: 'group'; group: GraphGroup; members: GraphUser[]; nestedGroups: PrincipalRef[]; membersWithErrors: GraphUser[] }
    | { kind: 'users'; users: GraphUser[]; notFound: string[] };
  /** Group id -> displayName for every assignedByGroup seen. */
  groupNames: Record<string, string>;
  now?: Date;
  /**
   * Group swaps: the members' facts, worked out page by page while the members were read (the
   * reader knows source and target by then). Used only for exactly this member list and these
   * plans; buildChange computes them itself otherwise. Same result either way.
   */
  memberFacts?: { members: GraphUser[]; sourceId: string; targetId: string; facts: UserFacts[] };
  /**
   * No source was named and the principal already holds the target (then source === target):
   * where it comes from. The preflight says so (TARGET_ALREADY_HELD) and plans nothing.
   */
  alreadyHeld?: { direct: boolean; groups: string[]; group?: boolean };
  /**
   * The app may write users' usage locations (User.ReadWrite.All, or a higher permission, in the
   * token's roles): the preflight then offers to set missing ones as part of the change.
   */
  usageLocationWritable?: boolean;
}

/** Which copies of the source and the target one user holds. */
export interface UserFacts {
  user: GraphUser;
  ref: PrincipalRef;
  /** disabledPlans of the direct copy of the source, when the user holds one. */
  sourceDirect?: string[];
  /** Groups (ids, lower case) the user gets the source from. */
  sourceGroups: string[];
  /** Holds the source at all (effective). */
  sourceAny: boolean;
  /** Effective disabledPlans of the source (assignedLicenses), when held. */
  sourceEffectiveDisabled?: string[];
  targetDirect: boolean;
  targetGroups: string[];
  /** Holds (consumes) the target today: in assignedLicenses. */
  targetAny: boolean;
  /**
   * Several plans in one change: the facts above are about any of the sources / any of the
   * targets, and these say which of them the user holds (effective, lower-case skuIds). Absent for
   * a single-plan change.
   */
  sourcesHeld?: Set<string>;
  targetsHeld?: Set<string>;
}

/** The plans of a several-plans change as lower-case skuId sets (for userFacts). */
export interface PlanSets {
  sources: Set<string>;
  targets: Set<string>;
}

export interface Ctx {
  input: PreflightInput;
  kind: 'user' | 'group' | 'users';
  /** The first source and target (the only ones of a single-plan change), lower case. */
  sourceId: string;
  targetId: string;
  /** Every source and every target, in order (change-plans.ts), and their lower-case skuIds. */
  sources: PlanInfo[];
  targets: PlanInfo[];
  sourceIds: Set<string>;
  targetIds: Set<string>;
  /** More than one source or target. */
  multi: boolean;
  /** Upper-case names of the plans enabled on this user by all targets together, as the change adds them. */
  targetsOnFor(f: UserFacts): Set<string>;
  /** group swaps: the group id, lower case. */
  groupId?: string;
  /** The users whose licenses change (user: the user; users: the list; group: its direct user members). */
  facts: UserFacts[];
  change: ResolvedChange;
  /** Carry-over result per assignment principal id (only for assignments that add the target). */
  carry: Map<string, CarryOverResult>;
  /** Target disabledPlans that reach each affected user (group: the group's; else the user's own). */
  targetDisabledFor(f: UserFacts): string[] | undefined;
  rules: RuleIndex;
  findings: Finding[];
  /** A finding: its code and facts. Its sentence is written once, in src/i18n/en.ts and nl.ts (findings.CODE(data)). */
  add(code: FindingCode, severity: Severity, principals: PrincipalRef[], data?: Record<string, unknown>): void;
  groupName(id: string): string;
  /** Each person's services before and after, and their union (set by runPreflight for a change with calls). */
  services?: import('./person-services').PersonServices;
  /**
   * Group swaps: does a copy of the source this member keeps after the change (from another group,
   * or their own when direct copies are not included) clash with the target as the group carries
   * it over? Then the group's target fails for them (MutuallyExclusiveViolation). Each kept copy is
   * judged with its own disabledPlans.
   */
  keptSourceClash(f: UserFacts): boolean;
  /** The same against one target only (several targets: each is applied on its own, so each seat line counts its own). */
  keptSourceClashWith?(f: UserFacts, targetId: string): boolean;
}

/**
 * The first of each id, in order: the same user listed twice (a pasted list, an overlapping page)
 * is one user, and a principal named by two findings' causes is named once. Graph ids are
 * lower-case GUIDs. The list itself when nothing repeats.
 */
export function uniqueById<T extends { id: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const x of items) {
    if (seen.has(x.id)) continue;
    seen.add(x.id);
    out.push(x);
  }
  return out.length === items.length ? items : out;
}

/** Ids compared as Graph treats them: case-insensitively. */
export function lc(id: string): string {
  return id.toLowerCase();
}

/** Shared empty list: most users hold the source from one place, so most lists stay empty. Never pushed to. */
const NONE: string[] = [];

/** `list` with `groupId` added (a new list: NONE is shared and never pushed to). */
function withGroup(list: string[], groupId: string): string[] {
  return list.length ? [...list, groupId] : [groupId];
}

/** Error or Disabled, or an error other than None: the copy is not in effect. */
function inactive(state: unknown, error: string | null | undefined): boolean {
  return /^(error|disabled)$/i.test(String(state ?? '')) || (!!error && !/^none$/i.test(error));
}

/** disabledPlans are kept as Graph gives them (lower-case GUIDs); comparisons lower-case on their own. */
/** Is this license state in effect (Active, or a direct copy)? */
export function stateActive(s: { state?: unknown; error?: string | null; assignedByGroup?: string | null }): boolean {
  return !s.assignedByGroup || s.state === 'Active' || !inactive(s.state, s.error);
}

export function userFacts(u: GraphUser, sourceId: string, targetId: string, sets?: PlanSets): UserFacts {
  if (sets) return userFactsOfSets(u, sets);
  // Every field from the start (one shape for all members, no property store added later).
  const f: UserFacts = {
    user: u,
    ref: userRef(u),
    sourceDirect: undefined,
    sourceGroups: NONE,
    sourceAny: false,
    sourceEffectiveDisabled: undefined,
    targetDirect: false,
    targetGroups: NONE,
    targetAny: false,
  };
  const states = u.licenseAssignmentStates ?? [];
  for (const s of states) {
    // A group's copy in error is not held (it gives no service and no seat): only live copies count.
    if (s.assignedByGroup && s.state !== 'Active' && inactive(s.state, s.error)) continue;
    // Normalised users hold lower-case skuIds already: an equal string needs no lower-casing.
    const sku = s.skuId === sourceId ? sourceId : s.skuId === targetId ? targetId : lc(s.skuId);
    if (sku === sourceId) {
      if (s.assignedByGroup) f.sourceGroups = withGroup(f.sourceGroups, lc(s.assignedByGroup));
      else f.sourceDirect = s.disabledPlans ?? [];
    } else if (sku === targetId) {
      if (s.assignedByGroup) f.targetGroups = withGroup(f.targetGroups, lc(s.assignedByGroup));
      else f.targetDirect = true;
    }
  }
  for (const a of u.assignedLicenses ?? []) {
    const sku = a.skuId === sourceId ? sourceId : a.skuId === targetId ? targetId : lc(a.skuId);
    if (sku === sourceId) {
      f.sourceAny = true;
      f.sourceEffectiveDisabled = a.disabledPlans ?? [];
    } else if (sku === targetId) f.targetAny = true;
  }
  // licenseAssignmentStates not read: treat an assigned source as a direct copy.
  if (f.sourceAny && !states.length) f.sourceDirect = f.sourceEffectiveDisabled ?? [];
  if (f.sourceDirect || f.sourceGroups.length) f.sourceAny = true;
  if (f.targetAny && !states.length) f.targetDirect = true;
  return f;
}

/**
 * userFacts for several sources and targets: "the source" is any of the sources, "the target" any
 * of the targets; sourceDirect is the first source held directly (its disabledPlans), and
 * sourcesHeld / targetsHeld say which are held. Off the hot path of single-plan group changes.
 */
function userFactsOfSets(u: GraphUser, sets: PlanSets): UserFacts {
  const f: UserFacts = {
    user: u,
    ref: userRef(u),
    sourceDirect: undefined,
    sourceGroups: NONE,
    sourceAny: false,
    sourceEffectiveDisabled: undefined,
    targetDirect: false,
    targetGroups: NONE,
    targetAny: false,
    sourcesHeld: new Set(),
    targetsHeld: new Set(),
  };
  const states = u.licenseAssignmentStates ?? [];
  for (const s of states) {
    if (s.assignedByGroup && s.state !== 'Active' && inactive(s.state, s.error)) continue;
    const sku = lc(s.skuId);
    if (sets.sources.has(sku)) {
      if (s.assignedByGroup) {
        const g = lc(s.assignedByGroup);
        if (!f.sourceGroups.includes(g)) f.sourceGroups = withGroup(f.sourceGroups, g);
      } else f.sourceDirect ??= s.disabledPlans ?? [];
      f.sourcesHeld!.add(sku);
    } else if (sets.targets.has(sku)) {
      if (s.assignedByGroup) {
        const g = lc(s.assignedByGroup);
        if (!f.targetGroups.includes(g)) f.targetGroups = withGroup(f.targetGroups, g);
      } else f.targetDirect = true;
      f.targetsHeld!.add(sku);
    }
  }
  for (const a of u.assignedLicenses ?? []) {
    const sku = lc(a.skuId);
    if (sets.sources.has(sku)) {
      f.sourceAny = true;
      f.sourceEffectiveDisabled ??= a.disabledPlans ?? [];
      f.sourcesHeld!.add(sku);
    } else if (sets.targets.has(sku)) {
      f.targetAny = true;
      f.targetsHeld!.add(sku);
    }
  }
  if (f.sourceAny && !states.length) f.sourceDirect = f.sourceEffectiveDisabled ?? [];
  if (f.sourceDirect || f.sourceGroups.length) f.sourceAny = true;
  if (f.targetAny && !states.length) f.targetDirect = true;
  return f;
}

/**
 * The copies of each source a user holds, by lower-case skuId: `direct` = the direct copy's
 * disabledPlans (or, with no assignment states read, the effective ones), `effective` = the
 * disabledPlans in assignedLicenses. For carrying several sources' choices over.
 */
export function sourceCopies(u: GraphUser, sources: Iterable<string>): Map<string, { direct?: string[]; effective?: string[] }> {
  const want = new Set([...sources].map(lc));
  const out = new Map<string, { direct?: string[]; effective?: string[] }>();
  const at = (sku: string) => out.get(sku) ?? out.set(sku, {}).get(sku)!;
  const states = u.licenseAssignmentStates ?? [];
  for (const s of states) {
    const sku = lc(s.skuId);
    if (want.has(sku) && !s.assignedByGroup) at(sku).direct = s.disabledPlans ?? [];
  }
  for (const a of u.assignedLicenses ?? []) {
    const sku = lc(a.skuId);
    if (!want.has(sku)) continue;
    at(sku).effective = a.disabledPlans ?? [];
    if (!states.length) at(sku).direct = a.disabledPlans ?? [];
  }
  return out;
}

/** Does `groups` name a group other than `groupId`? (A loop: called once per member of a big group.) */
export function hasOtherGroup(groups: string[], groupId: string | undefined): boolean {
  for (let i = 0; i < groups.length; i++) if (groups[i] !== groupId) return true;
  return false;
}

/** Country name for a two-letter code, e.g. "NL" -> "Netherlands". */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

// ---------------------------------------------------------------------------------------------
// Plan rules, indexed.

export interface ExclusiveHit {
  service: string;
  /** The target's plan name and the other SKU's plan name that cannot be on one user together. */
  targetPlan: string;
  otherPlan: string;
}

export class RuleIndex {
  private readonly exclusive = new Map<string, number[]>(); // plan name (upper) -> rule indexes
  private readonly dependsOn = new Map<string, string[]>(); // plan name (upper) -> requiresAnyOf (upper)
  private readonly enabledCache = new Map<string, Set<string>>();
  private readonly baseCache = new Map<string, boolean>();
  /** SKUs whose plans take no part in mutual exclusion (plan-rules.json `coexist`). */
  private readonly coexist: Set<string>;
  /** Plans some dependency needs: kept even on a coexist SKU. */
  private readonly prerequisites = new Set<string>();

  constructor(
    private readonly ref: ReferenceData,
    private readonly catalog: Catalog,
  ) {
    this.coexist = coexistSkuIds(ref);
    for (const d of ref.rules.dependencies) for (const p of d.requiresAnyOf) this.prerequisites.add(p.toUpperCase());
    ref.rules.mutuallyExclusive.forEach((r, i) => {
      for (const p of r.plans) {
        const k = p.toUpperCase();
        (this.exclusive.get(k) ?? this.exclusive.set(k, []).get(k)!).push(i);
      }
    });
    for (const d of ref.rules.dependencies) {
      const k = d.plan.toUpperCase();
      this.dependsOn.set(k, [...(this.dependsOn.get(k) ?? []), ...d.requiresAnyOf.map((x) => x.toUpperCase())]);
    }
  }

  /** Service plans of a SKU: the tenant's list, else the reference table's. */
  plansOf(skuId: string): { id: string; name: string; friendlyName: string; family?: string }[] {
    const p = this.catalog.byId(skuId);
    if (p) return p.servicePlans;
    const r = this.ref.skusById.get(skuId.toLowerCase());
    return r ? r.servicePlans : [];
  }

  skuName(skuId: string): string {
    const p = this.catalog.byId(skuId);
    if (p) return p.displayName;
    return this.ref.skusById.get(skuId.toLowerCase())?.productName ?? skuId;
  }

  skuPartNumber(skuId: string): string {
    return this.catalog.byId(skuId)?.skuPartNumber ?? this.ref.skusById.get(skuId.toLowerCase())?.skuPartNumber ?? skuId;
  }

  /**
   * Upper-case names of the SKU's plans that are enabled with these disabledPlans. Cached. For a
   * coexist SKU (Teams Enterprise) the plans of mutually exclusive sets are left out, unless a
   * dependency needs them: they clash with nothing, and serve no rule.
   */
  enabledNames(skuId: string, disabledPlans: string[] | undefined): Set<string> {
    const sku = lc(skuId);
    const n = disabledPlans?.length ?? 0;
    const key = n === 0 ? sku : n === 1 ? `${sku}|${lc(disabledPlans![0]!)}` : `${sku}|${disabledPlans!.map(lc).sort().join(',')}`;
    let s = this.enabledCache.get(key);
    if (!s) {
      const off = new Set((disabledPlans ?? []).map((x) => x.toLowerCase()));
      const coexist = this.coexist.has(sku);
      s = new Set(
        this.plansOf(sku)
          .filter((p) => !off.has(p.id.toLowerCase()))
          .map((p) => p.name.toUpperCase())
          .filter((n) => !coexist || !this.exclusive.has(n) || this.prerequisites.has(n)),
      );
      this.enabledCache.set(key, s);
    }
    return s;
  }

  /** Pairs of plans (target vs other) that cannot be on one user. Same plan on both sides is fine. */
  exclusiveHits(target: Set<string>, other: Set<string>): ExclusiveHit[] {
    const hits: ExclusiveHit[] = [];
    for (const t of target) {
      const rs = this.exclusive.get(t);
      if (!rs) continue;
      for (const o of other) {
        if (o === t) continue;
        const ro = this.exclusive.get(o);
        if (!ro) continue;
        const r = rs.find((i) => ro.includes(i));
        if (r !== undefined) hits.push({ service: this.ref.rules.mutuallyExclusive[r]!.service, targetPlan: t, otherPlan: o });
      }
    }
    return hits;
  }

  /** Plans in `plans` that have a dependency rule, with what they need. */
  dependents(plans: Set<string>): { plan: string; requiresAnyOf: string[] }[] {
    const out: { plan: string; requiresAnyOf: string[] }[] = [];
    for (const p of plans) {
      const req = this.dependsOn.get(p);
      if (req) out.push({ plan: p, requiresAnyOf: req });
    }
    return out;
  }

  hasDependencyRules(): boolean {
    return this.dependsOn.size > 0;
  }

  /**
   * A base SKU is a suite: plans from at least two core services (mailbox, SharePoint, Office apps,
   * Skype/Teams). Anything else (Project, Visio, a standalone workload) is treated as an add-on whose
   * bundled plans only give warnings (plan-rules.json "about").
   */
  isBaseSku(skuId: string): boolean {
    const k = skuId.toLowerCase();
    let b = this.baseCache.get(k);
    if (b === undefined) {
      // A coexist SKU (Teams Enterprise) bundles a mailbox and Skype only to serve Teams: sold beside a suite, not one.
      b = !this.coexist.has(k) && isSuite(this.plansOf(k), this.ref);
      this.baseCache.set(k, b);
    }
    return b;
  }

  friendly(planName: string): string {
    return this.ref.plansByName.get(planName.toUpperCase())?.friendlyName || planName;
  }
}

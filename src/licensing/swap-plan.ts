// Which services a user keeps, loses and gains when one SKU replaces another, and the target
// disabledPlans that carry their choices across. Plan ids differ between SKUs (E1 -> E3 changes 15
// of them), so plans are matched by service family (data/service_families.csv) and, for plans
// outside any family, by identical servicePlanName. Pure.
import { LicensingError, type ChangeSpec, type PlanInfo, type PrincipalQuery, type ResolvedChange, type ServicePlanInfo } from './model';
import type { ReferenceData } from '../reference/data';
import { normalizeName } from './catalog';
import { sourcesOf, targetsOf } from './change-plans';

export interface CarryOverInput {
  source: PlanInfo;
  target: PlanInfo;
  /** The principal's disabledPlans on the source (plan ids). */
  sourceDisabledPlans: string[];
  ref: ReferenceData;
  /** Plan names, friendly names, family names or ids to force on or off in the target. */
  overrides?: { enable?: string[]; disable?: string[] };
}

export interface CarryOverResult {
  /** Target plan ids to disable (disabledPlans replaces: an empty list enables everything). */
  disabledPlans: string[];
  /** Services enabled today that stay enabled (family name where known, else the plan's friendly name). */
  kept: string[];
  /** Services enabled today with no enabled counterpart in the target. */
  lost: string[];
  /** Target services enabled that the user does not have enabled today. */
  gained: string[];
  /** Services kept in a higher edition, "Exchange Online mailbox: Exchange Online (Plan 1) -> Exchange Online (Plan 2)" (not in `kept`). */
  upgraded: string[];
  /** Services kept in a lower edition, "SharePoint Online / OneDrive: SharePoint (Plan 2) -> SharePoint (Plan 1)" (not in `kept`). */
  downgraded: string[];
}

interface Keyed {
  plan: ServicePlanInfo;
  key: string;
  label: string;
  tier: number;
}

function keyOf(plan: ServicePlanInfo, ref: ReferenceData): Keyed {
  const fam = ref.familyByPlanName.get(plan.name.toUpperCase());
  const family = fam?.family ?? plan.family;
  if (family) return { plan, key: `family:${family}`, label: family, tier: fam?.tier ?? 0 };
  return { plan, key: `plan:${plan.name.toUpperCase()}`, label: plan.friendlyName || plan.name, tier: 0 };
}

/** The service a plan belongs to: "family:<name>", or "plan:<NAME>" outside any family. */
export function serviceKey(plan: ServicePlanInfo, ref: ReferenceData): string {
  return keyOf(plan, ref).key;
}

const uniq = (xs: string[]) => [...new Set(xs)];

/** Matches override entries against the target's plans; unknown entries throw INVALID_INPUT. */
function resolveOverrides(entries: string[] | undefined, target: Keyed[], targetName: string): Set<string> {
  const out = new Set<string>();
  for (const raw of entries ?? []) {
    const q = raw.trim();
    if (!q) continue;
    const lower = q.toLowerCase();
    const upper = q.toUpperCase();
    const norm = normalizeName(q);
    let hits = target.filter((k) => k.plan.id === lower || k.plan.name.toUpperCase() === upper);
    if (!hits.length) hits = target.filter((k) => normalizeName(k.plan.friendlyName) === norm);
    if (!hits.length) hits = target.filter((k) => k.key.startsWith('family:') && normalizeName(k.label) === norm);
    if (!hits.length) {
      throw new LicensingError('INVALID_INPUT', `'${q}' is not a service of ${targetName}. Its services: ${target.map((k) => k.plan.name).join(', ')}.`, {
        reason: 'SERVICE_UNKNOWN',
        target: targetName,
        override: q,
        plans: target.map((k) => ({ id: k.plan.id, name: k.plan.name, friendlyName: k.plan.friendlyName })),
      });
    }
    for (const h of hits) out.add(h.plan.id);
  }
  return out;
}

/**
 * Target disabledPlans that keep each service as it is today:
 * - a service enabled today stays enabled where the target has a plan of the same family/name;
 * - a service the user had disabled stays disabled where it has a counterpart;
 * - target plans with no counterpart are enabled (gained);
 * - overrides then force plans on or off (disable wins over enable for the same plan).
 */
export function carryOverServices(input: CarryOverInput): CarryOverResult {
  const r = carryOverSet({
    sources: [{ plan: input.source, disabledPlans: input.sourceDisabledPlans }],
    targets: [input.target],
    ref: input.ref,
    ...(input.overrides ? { overrides: input.overrides } : {}),
  });
  return { ...r, disabledPlans: r.bySku[input.target.skuId.toLowerCase()] ?? [] };
}

export interface CarryOverSetInput {
  /** Every source the principal holds, each with its disabledPlans (plan ids). */
  sources: { plan: PlanInfo; disabledPlans: string[] }[];
  /** Every target, in order. */
  targets: PlanInfo[];
  ref: ReferenceData;
  /** Plan names, friendly names, family names or ids to force on or off in whichever target has them. */
  overrides?: { enable?: string[]; disable?: string[] };
}

export interface CarryOverSetResult extends CarryOverResult {
  /** Target skuId (lower case) -> its disabledPlans. `disabledPlans` is the first target's. */
  bySku: Record<string, string[]>;
}

/**
 * The carry-over of several sources into several targets (one source and one target is the plain
 * swap): the services of all sources together, as the person has them today, are carried to
 * whichever target has that service family. A service enabled today stays enabled in at least one
 * target (its richest edition among them when every counterpart was off); one the admin had turned
 * off stays off in every target that has it. Kept / lost / gained are over the union of sources
 * against the union of targets.
 */
export function carryOverSet(input: CarryOverSetInput): CarryOverSetResult {
  const { ref } = input;
  const src: { k: Keyed; on: boolean }[] = [];
  for (const s of input.sources) {
    const off = new Set(s.disabledPlans.map((id) => id.toLowerCase()));
    for (const p of s.plan.servicePlans) src.push({ k: keyOf(p, ref), on: !off.has(p.id) });
  }
  // Target plans with the index of their target: the same plan id in two targets is two plans.
  const tgt = input.targets.flatMap((t, i) => t.servicePlans.map((p) => ({ ...keyOf(p, ref), at: i })));
  const id = (k: { plan: ServicePlanInfo; at: number }) => `${k.at}|${k.plan.id}`;

  // State of each service today, by key: enabled if any source plan of that key is enabled.
  const srcEnabledKeys = new Set<string>();
  const srcKeys = new Set<string>();
  const srcByName = new Map<string, boolean>(); // plan name -> enabled in some source
  for (const { k, on } of src) {
    srcKeys.add(k.key);
    if (on) srcEnabledKeys.add(k.key);
    const name = k.plan.name.toUpperCase();
    srcByName.set(name, on || (input.sources.length > 1 && (srcByName.get(name) ?? false)));
  }

  const disabled = new Set<string>();
  for (const k of tgt) {
    const sameName = srcByName.get(k.plan.name.toUpperCase());
    if (sameName !== undefined) {
      // Identical plan on both sides: keep its exact state.
      if (!sameName) disabled.add(id(k));
    } else if (srcKeys.has(k.key) && !srcEnabledKeys.has(k.key)) {
      // Same family, every source edition disabled: stays off.
      disabled.add(id(k));
    }
  }
  // A service enabled today must stay enabled: if copying exact states left a family with no
  // enabled target plan (in any target), turn on its richest edition.
  const tgtByKey = new Map<string, (Keyed & { at: number })[]>();
  for (const k of tgt) (tgtByKey.get(k.key) ?? tgtByKey.set(k.key, []).get(k.key)!).push(k);
  for (const key of srcEnabledKeys) {
    const ks = tgtByKey.get(key);
    if (!ks || ks.some((k) => !disabled.has(id(k)))) continue;
    const best = ks.reduce((a, b) => (b.tier > a.tier ? b : a));
    disabled.delete(id(best));
  }

  const targetName = input.targets.map((t) => t.displayName).join(' + ');
  const forceOn = resolveOverrides(input.overrides?.enable, tgt, targetName);
  const forceOff = resolveOverrides(input.overrides?.disable, tgt, targetName);
  for (const k of tgt) if (forceOn.has(k.plan.id)) disabled.delete(id(k));
  for (const k of tgt) if (forceOff.has(k.plan.id)) disabled.add(id(k));

  const bySku: Record<string, string[]> = {};
  const after: ServicePlanInfo[] = [];
  input.targets.forEach((t, i) => {
    const off = t.servicePlans.filter((p) => disabled.has(`${i}|${p.id}`)).map((p) => p.id);
    bySku[t.skuId.toLowerCase()] = off;
    after.push(...enabledPlans(t.servicePlans, off));
  });
  const before = input.sources.flatMap((s) => enabledPlans(s.plan.servicePlans, s.disabledPlans));
  const first = input.targets[0] ? (bySku[input.targets[0].skuId.toLowerCase()] ?? []) : [];
  return { disabledPlans: first, bySku, ...diffServices(before, after, ref) };
}

/** kept / lost / gained / upgraded / downgraded for explicit source and target disabledPlans. */
export function describeServices(
  source: PlanInfo,
  target: PlanInfo,
  sourceDisabledPlans: string[],
  targetDisabledPlans: string[],
  ref: ReferenceData,
): Omit<CarryOverResult, 'disabledPlans'> {
  return diffServices(enabledPlans(source.servicePlans, sourceDisabledPlans), enabledPlans(target.servicePlans, targetDisabledPlans), ref);
}

/** The plans of `plans` that are not in `disabledPlans` (ids, any case). */
export function enabledPlans(plans: readonly ServicePlanInfo[], disabledPlans: readonly string[]): ServicePlanInfo[] {
  if (!disabledPlans.length) return [...plans];
  const off = new Set(disabledPlans.map((x) => x.toLowerCase()));
  return plans.filter((p) => !off.has(p.id));
}

/**
 * What changes between two sets of enabled service plans, service by service (family, or plan
 * name outside any family): a service on before and after is kept, or upgraded / downgraded when
 * its richest edition changes tier; on before only is lost; after only is gained.
 */
export function diffServices(before: readonly ServicePlanInfo[], after: readonly ServicePlanInfo[], ref: ReferenceData): Omit<CarryOverResult, 'disabledPlans'> {
  const srcOn = new Map<string, Keyed[]>();
  const tgtOn = new Map<string, Keyed[]>();
  for (const p of before) {
    const k = keyOf(p, ref);
    (srcOn.get(k.key) ?? srcOn.set(k.key, []).get(k.key)!).push(k);
  }
  for (const p of after) {
    const k = keyOf(p, ref);
    (tgtOn.get(k.key) ?? tgtOn.set(k.key, []).get(k.key)!).push(k);
  }
  const kept: string[] = [];
  const lost: string[] = [];
  const gained: string[] = [];
  const upgraded: string[] = [];
  const downgraded: string[] = [];
  for (const [key, ks] of srcOn) {
    const t = tgtOn.get(key);
    if (!t) {
      lost.push(ks[0]!.label);
      continue;
    }
    const sBest = ks.reduce((a, b) => (b.tier > a.tier ? b : a));
    const tBest = t.reduce((a, b) => (b.tier > a.tier ? b : a));
    if (tBest.tier === sBest.tier) {
      kept.push(ks[0]!.label);
      continue;
    }
    // Several editions share one friendly name ("Power Apps for Office 365"): then the plan
    // names are the only thing that tells the editions apart.
    const [from, to] = sBest.plan.friendlyName === tBest.plan.friendlyName ? [sBest.plan.name, tBest.plan.name] : [sBest.plan.friendlyName, tBest.plan.friendlyName];
    (tBest.tier > sBest.tier ? upgraded : downgraded).push(`${sBest.label}: ${from} -> ${to}`);
  }
  for (const [key, ks] of tgtOn) if (!srcOn.has(key)) gained.push(ks[0]!.label);
  return { kept: uniq(kept), lost: uniq(lost), gained: uniq(gained), upgraded: uniq(upgraded), downgraded: uniq(downgraded) };
}

/**
 * The exact reverse of a change: the target back to the source for the same principal(s), with the
 * disabledPlans each principal had on the source before (exactDisabledPlans, by principal id).
 */
export function reverseSpec(change: ResolvedChange): ChangeSpec {
  let principal: PrincipalQuery;
  if (change.kind === 'group') principal = { kind: 'group', group: change.principal.id };
  else if (change.kind === 'user') principal = { kind: 'user', user: change.principal.id };
  else principal = { kind: 'users', users: uniq(change.assignments.filter((a) => a.principal.kind === 'user').map((a) => a.principal.id)) };
  const exactDisabledPlans: Record<string, string[]> = {};
  for (const a of change.assignments) exactDisabledPlans[a.principal.id] = [...a.previousDisabledPlans];
  const spec: ChangeSpec = {
    principal,
    from: change.to.skuId,
    to: change.from.skuId,
    includeDirectCopies: change.includeDirectCopies,
    exactDisabledPlans,
  };
  // Several plans: every target back to every source, each source with the disabledPlans it had.
  const sources = sourcesOf(change);
  const targets = targetsOf(change);
  if (sources.length > 1 || targets.length > 1) {
    if (targets.length > 1) spec.alsoFrom = targets.slice(1).map((p) => p.skuId);
    if (sources.length > 1) spec.alsoTo = sources.slice(1).map((p) => p.skuId);
    const bySku: Record<string, Record<string, string[]>> = {};
    for (const a of change.assignments) {
      const prev = a.previousDisabledBySku ?? { [change.from.skuId.toLowerCase()]: a.previousDisabledPlans };
      bySku[a.principal.id] = Object.fromEntries(Object.entries(prev).map(([k, v]) => [k.toLowerCase(), [...v]]));
    }
    spec.exactDisabledBySku = bySku;
    delete spec.exactDisabledPlans;
  }
  if (change.kind === 'group') {
    // Members' own copies that the change removed or swapped: the group's undo leaves them as they are now.
    const users = change.assignments.filter((a) => a.principal.kind === 'user');
    const removed = users.filter((a) => !a.addLicenses.length).map((a) => a.principal);
    const swapped = users.filter((a) => a.addLicenses.length).map((a) => a.principal);
    if (removed.length || swapped.length) spec.directCopiesNotRestored = { removed, swapped };
  }
  // Usage locations the change set stay set: the undo says so and writes none.
  const set = change.setUsageLocation;
  if (set?.users?.length) spec.usageLocationKept = { country: set.country, users: set.users.map((p) => ({ ...p })) };
  return spec;
}

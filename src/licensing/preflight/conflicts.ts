// Conflicts and dependencies with the other SKUs a user keeps (data/plan-rules.json).
//   MUTUALLY_EXCLUSIVE  block  a target plan clashes with a plan of another BASE SKU (a suite) the
//                              user keeps: Graph refuses the direct call / the member ends in error.
//                       warn   the clashing plan is bundled in an add-on (Project, Visio, a standalone
//                              workload): commonly tolerated in practice; Graph's answer is final.
//   DEPENDENCY_BROKEN   block  an enabled plan of another SKU (or of the target itself) needs a plan
//                              that today comes from the source and that the target, as carried over,
//                              doesn't provide (e.g. Project's SHAREPOINT_PROJECT on SHAREPOINTENTERPRISE
//                              when E3 -> E1 and Project's bundled SharePoint is disabled).
//                       warn   group swap including direct copies: a member's own copy of the source
//                              is removed first, and the group's copy (still there until the group's
//                              swap) needs a plan only that own copy gave (data.directCopyRemoval):
//                              Microsoft refuses that removal, so the member keeps their own copy.
// Only newly broken dependencies are reported: one already broken today is not caused by the swap.
import type { GraphAssignedLicense } from '../../graph/types';
import type { PrincipalRef } from '../model';
import { hasOtherGroup, lc, stateActive, type Ctx, type ExclusiveHit, type UserFacts } from './context';

interface Holder {
  ref: PrincipalRef;
  licenses: GraphAssignedLicense[];
  /** Plans (upper-case names) enabled by the targets as they reach this holder. */
  targetOn: Set<string>;
  /** Plans enabled by the sources today (undefined: holds none). */
  sourceOn?: Set<string>;
  keepsSource: boolean;
}

interface ExclusiveAgg {
  principals: PrincipalRef[];
  hits: Map<string, ExclusiveHit>;
}
interface DependencyAgg {
  principals: PrincipalRef[];
  skuId: string;
  plan: string;
  requiresAnyOf: string[];
  ownPlan: boolean;
}

export function checkConflicts(ctx: Ctx): void {
  const { rules } = ctx;
  const exclusive = new Map<string, ExclusiveAgg>();
  const deps = new Map<string, DependencyAgg>();
  const hitCache = new WeakMap<Set<string>, Map<Set<string>, ExclusiveHit[]>>();
  const hitsFor = (t: Set<string>, o: Set<string>): ExclusiveHit[] => {
    let m = hitCache.get(t);
    if (!m) hitCache.set(t, (m = new Map()));
    let h = m.get(o);
    if (!h) m.set(o, (h = rules.exclusiveHits(t, o)));
    return h;
  };
  const depCache = new WeakMap<Set<string>, { plan: string; requiresAnyOf: string[] }[]>();
  const dependentsOf = (s: Set<string>) => {
    let d = depCache.get(s);
    if (!d) depCache.set(s, (d = rules.dependents(s)));
    return d;
  };

  const visit = (h: Holder) => {
    const targetOn = h.targetOn;
    const others: { skuId: string; on: Set<string> }[] = [];
    for (const a of h.licenses) {
      const sku = lc(a.skuId);
      if (ctx.sourceIds.has(sku) || ctx.targetIds.has(sku)) continue;
      const on = rules.enabledNames(sku, a.disabledPlans);
      others.push({ skuId: sku, on });
      const hits = hitsFor(targetOn, on);
      if (hits.length) {
        let agg = exclusive.get(sku);
        if (!agg) exclusive.set(sku, (agg = { principals: [], hits: new Map() }));
        agg.principals.push(h.ref);
        for (const x of hits) agg.hits.set(`${x.targetPlan}|${x.otherPlan}`, x);
      }
    }
    // Dependencies: only users whose other SKUs (or the target) carry a plan with a rule.
    const targetDeps = dependentsOf(targetOn);
    let otherDeps = false;
    for (const o of others)
      if (dependentsOf(o.on).length) {
        otherDeps = true;
        break;
      }
    if (!otherDeps && !targetDeps.length) return;
    const sourceOn = h.sourceOn;
    const before = (p: string) => (sourceOn?.has(p) ?? false) || others.some((o) => o.on.has(p));
    const after = (p: string) => targetOn.has(p) || (h.keepsSource && (sourceOn?.has(p) ?? false)) || others.some((o) => o.on.has(p));
    const note = (skuId: string, d: { plan: string; requiresAnyOf: string[] }, ownPlan: boolean) => {
      const key = `${skuId}|${d.plan}`;
      let agg = deps.get(key);
      if (!agg) deps.set(key, (agg = { principals: [], skuId, plan: d.plan, requiresAnyOf: d.requiresAnyOf, ownPlan }));
      agg.principals.push(h.ref);
    };
    for (const o of others) {
      for (const d of dependentsOf(o.on)) {
        if (!d.requiresAnyOf.some(after) && d.requiresAnyOf.some(before)) note(o.skuId, d, false);
      }
    }
    for (const d of targetDeps) {
      if (!d.requiresAnyOf.some(after)) note(ctx.multi ? targetHaving(d.plan) : ctx.targetId, d, true);
    }
  };

  /** The target whose plans include `plan` (several targets: which one a dependency is about). */
  const targetHaving = (plan: string): string => {
    for (const t of ctx.targets) if (t.servicePlans.some((p) => p.name.toUpperCase() === plan)) return lc(t.skuId);
    return ctx.targetId;
  };
  /** All targets' enabled plans for one assignment's adds (several targets), else the target's. */
  const targetOnOf = (adds: { skuId: string; disabledPlans: string[] }[]): Set<string> => {
    if (!ctx.multi) return rules.enabledNames(ctx.targetId, adds[0]?.disabledPlans ?? []);
    const out = new Set<string>();
    for (const a of adds) for (const n of rules.enabledNames(a.skuId, a.disabledPlans)) out.add(n);
    return out;
  };
  /** The sources' enabled plans on a user today (several sources: every source they hold, each with its own disabledPlans). */
  const sourceOnOf = (licenses: GraphAssignedLicense[], single: string[] | undefined): Set<string> | undefined => {
    if (!ctx.multi) return single ? rules.enabledNames(ctx.sourceId, single) : undefined;
    let out: Set<string> | undefined;
    for (const a of licenses) {
      if (!ctx.sourceIds.has(lc(a.skuId))) continue;
      out ??= new Set();
      for (const n of rules.enabledNames(a.skuId, a.disabledPlans)) out.add(n);
    }
    return out;
  };

  const subject = ctx.input.subject;
  const include = !!ctx.input.spec.includeDirectCopies;
  if (subject.kind === 'group') {
    const g = subject.group;
    const groupAdds = ctx.change.assignments.find((a) => a.principal.kind === 'group')?.addLicenses ?? [];
    const groupTargetOn = targetOnOf(groupAdds);
    const held = (g.assignedLicenses ?? []).find((a) => a.skuId.toLowerCase() === ctx.sourceId);
    // The group's own licenses: prerequisites must come from the same group.
    visit({
      ref: ctx.change.principal,
      licenses: g.assignedLicenses ?? [],
      targetOn: groupTargetOn,
      sourceOn: sourceOnOf(g.assignedLicenses ?? [], held?.disabledPlans),
      keepsSource: false,
    });
    for (const f of ctx.facts) {
      visit({
        ref: f.ref,
        licenses: f.user.assignedLicenses ?? [],
        targetOn: groupTargetOn,
        sourceOn: sourceOnOf(f.user.assignedLicenses ?? [], f.sourceEffectiveDisabled),
        keepsSource: keepsSourceInGroup(ctx, f, include),
      });
    }
  } else {
    const byId = new Map(ctx.change.assignments.filter((a) => a.addLicenses.length).map((a) => [a.principal.id, a] as const));
    for (const f of ctx.facts) {
      const a = byId.get(f.ref.id);
      if (!a) continue;
      visit({
        ref: f.ref,
        licenses: f.user.assignedLicenses ?? [],
        targetOn: targetOnOf(a.addLicenses),
        sourceOn: sourceOnOf(f.user.assignedLicenses ?? [], f.sourceEffectiveDisabled ?? f.sourceDirect),
        keepsSource: f.sourceGroups.length > 0,
      });
    }
  }

  // Several targets: two plans added together must not clash with each other (two suites' SharePoint).
  if (ctx.multi) targetsTogether(ctx);

  for (const [skuId, agg] of exclusive) {
    const base = rules.isBaseSku(skuId);
    const other = rules.skuName(skuId);
    const pairs = [...agg.hits.values()];
    ctx.add('MUTUALLY_EXCLUSIVE', base ? 'block' : 'warn', agg.principals, {
      sku: { skuId, skuPartNumber: rules.skuPartNumber(skuId), displayName: other },
      addOn: !base,
      plans: pairs.map((p) => ({ service: p.service, targetPlan: p.targetPlan, otherPlan: p.otherPlan })),
    });
  }

  // Own copies removed ahead of the group's swap that the group's copy still leans on.
  if (subject.kind === 'group' && include) {
    const byPlan = new Map<string, { principals: PrincipalRef[]; requiresAnyOf: string[] }>();
    for (const f of ctx.facts) {
      for (const u of directRemovalBreaks(ctx, f)) {
        let agg = byPlan.get(u.plan);
        if (!agg) byPlan.set(u.plan, (agg = { principals: [], requiresAnyOf: u.requiresAnyOf }));
        agg.principals.push(f.ref);
      }
    }
    for (const [plan, agg] of byPlan) {
      ctx.add('DEPENDENCY_BROKEN', 'warn', agg.principals, {
        sku: { skuId: ctx.sourceId, skuPartNumber: rules.skuPartNumber(ctx.sourceId), displayName: ctx.input.source.displayName },
        plan,
        requiresAnyOf: agg.requiresAnyOf,
        planLabel: `${rules.friendly(plan)} (${plan})`,
        requiresLabels: agg.requiresAnyOf.map((p) => `${rules.friendly(p)} (${p})`),
        targetOwnPlan: false,
        directCopyRemoval: true,
      });
    }
  }

  for (const agg of deps.values()) {
    const sku = rules.skuName(agg.skuId);
    ctx.add('DEPENDENCY_BROKEN', 'block', agg.principals, {
      sku: { skuId: agg.skuId, skuPartNumber: rules.skuPartNumber(agg.skuId), displayName: sku },
      plan: agg.plan,
      requiresAnyOf: agg.requiresAnyOf,
      // The same plans as people read them: "Project Online Service (SHAREPOINT_PROJECT)".
      planLabel: `${rules.friendly(agg.plan)} (${agg.plan})`,
      requiresLabels: agg.requiresAnyOf.map((p) => `${rules.friendly(p)} (${p})`),
      targetOwnPlan: agg.ownPlan,
    });
  }
}

/**
 * Targets that cannot sit on one user together (MUTUALLY_EXCLUSIVE block, data.betweenTargets):
 * judged per assignLicense call that adds them, with the disabled plans it carries. Named: the group
 * (a group change) or the users whose call adds both.
 */
function targetsTogether(ctx: Ctx): void {
  const { rules } = ctx;
  const pairs = new Map<string, { a: string; b: string; principals: PrincipalRef[]; hits: Map<string, ExclusiveHit> }>();
  for (const call of ctx.change.assignments) {
    const adds = call.addLicenses;
    for (let i = 0; i < adds.length; i++)
      for (let j = i + 1; j < adds.length; j++) {
        const hits = rules.exclusiveHits(rules.enabledNames(adds[j]!.skuId, adds[j]!.disabledPlans), rules.enabledNames(adds[i]!.skuId, adds[i]!.disabledPlans));
        if (!hits.length) continue;
        const key = `${lc(adds[i]!.skuId)}|${lc(adds[j]!.skuId)}`;
        let agg = pairs.get(key);
        if (!agg) pairs.set(key, (agg = { a: lc(adds[i]!.skuId), b: lc(adds[j]!.skuId), principals: [], hits: new Map() }));
        agg.principals.push(call.principal);
        for (const x of hits) agg.hits.set(`${x.targetPlan}|${x.otherPlan}`, x);
      }
  }
  for (const agg of pairs.values()) {
    const summary = (id: string) => ({ skuId: id, skuPartNumber: rules.skuPartNumber(id), displayName: rules.skuName(id) });
    ctx.add('MUTUALLY_EXCLUSIVE', 'block', agg.principals, {
      sku: summary(agg.a),
      target: summary(agg.b),
      addOn: false,
      betweenTargets: true,
      plans: [...agg.hits.values()].map((p) => ({ service: p.service, targetPlan: p.targetPlan, otherPlan: p.otherPlan })),
    });
  }
}

/**
 * Group swap including direct copies: removing this member's own copy of the source (which runs
 * before the group's swap) leaves prerequisites unmet that were met before: the plans that then
 * lack one, with what they need. Empty when the removal is fine (or not part of the change).
 */
export function directRemovalBreaks(ctx: Ctx, f: UserFacts): { plan: string; requiresAnyOf: string[]; skuId: string }[] {
  if (ctx.kind !== 'group' || !ctx.input.spec.includeDirectCopies || !f.sourceDirect || !ctx.groupId || !f.sourceGroups.includes(ctx.groupId)) return [];
  const { rules } = ctx;
  const before: { skuId: string; on: Set<string> }[] = [];
  const after: { skuId: string; on: Set<string> }[] = [];
  for (const s of f.user.licenseAssignmentStates ?? []) {
    if (!stateActive(s)) continue;
    const x = { skuId: lc(s.skuId), on: rules.enabledNames(s.skuId, s.disabledPlans) };
    before.push(x);
    if (!(ctx.sourceIds.has(x.skuId) && !s.assignedByGroup)) after.push(x);
  }
  const unmet = (list: { skuId: string; on: Set<string> }[]) => {
    const out: { plan: string; requiresAnyOf: string[]; skuId: string }[] = [];
    for (const x of list) {
      for (const d of rules.dependents(x.on)) if (!d.requiresAnyOf.some((r) => list.some((y) => y.on.has(r)))) out.push({ ...d, skuId: x.skuId });
    }
    return out;
  };
  const old = new Set(unmet(before).map((u) => u.plan));
  return unmet(after).filter((u) => !old.has(u.plan));
}

/** Group swap: will this member still hold the source after the change (from elsewhere)? */
export function keepsSourceInGroup(ctx: Ctx, f: UserFacts, include: boolean): boolean {
  return hasOtherGroup(f.sourceGroups, ctx.groupId) || (!!f.sourceDirect && !include);
}

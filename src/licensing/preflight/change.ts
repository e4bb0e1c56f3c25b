// Builds the ResolvedChange: the assignLicense calls the swap will make, with carried-over
// disabledPlans, and the services kept / lost / gained. A change has one or more sources and one
// or more targets (change-plans.ts); each principal still gets one call that adds every target and
// removes every source it holds.
import type { Assignment, PlanInfo, PlanSummary, PrincipalRef, ResolvedChange } from '../model';
import { carryOverSet, diffServices, enabledPlans, type CarryOverResult, type CarryOverSetResult } from '../swap-plan';
import { groupRef } from '../principal-ref';
import { skuIdSet } from '../change-plans';
import { lc, sourceCopies, uniqueById, userFacts, type PlanSets, type PreflightInput, type UserFacts } from './context';

export interface BuiltChange {
  change: ResolvedChange;
  facts: UserFacts[];
  carry: Map<string, CarryOverResult>;
  groupId?: string;
  /** Target disabledPlans of the group's assignment (group swaps): the first target's. */
  groupTargetDisabled?: string[];
  /** The same for every target, by lower-case skuId. */
  groupTargetBySku?: Record<string, string[]>;
  /** Every source and target, in order; their skuId sets when there are several. */
  sources: PlanInfo[];
  targets: PlanInfo[];
  sets?: PlanSets;
}

const summary = (p: { skuId: string; skuPartNumber: string; displayName: string }): PlanSummary => ({
  skuId: p.skuId,
  skuPartNumber: p.skuPartNumber,
  displayName: p.displayName,
});

/** One source copy a principal holds, with its disabledPlans. */
type Held = { plan: PlanInfo; disabledPlans: string[] };

export function buildChange(input: PreflightInput): BuiltChange {
  const { spec, source, target, ref, subject } = input;
  const sources = [source, ...(input.alsoFrom ?? [])];
  const targets = [target, ...(input.alsoTo ?? [])];
  const multi = sources.length > 1 || targets.length > 1;
  const sets: PlanSets | undefined = multi ? { sources: skuIdSet(sources), targets: skuIdSet(targets) } : undefined;
  const sourceId = source.skuId.toLowerCase();
  const targetId = target.skuId.toLowerCase();
  const same = sourceId === targetId;
  const carry = new Map<string, CarryOverResult>();
  const cache = new Map<string, CarryOverSetResult>();

  /** Carry-over for one principal: what undo stored (exactDisabledBySku / exactDisabledPlans) wins over the computed lists. */
  const carryFor = (principalId: string, held: Held[]): CarryOverSetResult => {
    const exactBySku = multi ? spec.exactDisabledBySku?.[principalId] : undefined;
    const exactOne = !multi ? spec.exactDisabledPlans?.[principalId] : undefined;
    if (exactBySku || exactOne) {
      const bySku: Record<string, string[]> = {};
      for (const t of targets) {
        const k = t.skuId.toLowerCase();
        const list = exactOne ?? exactBySku?.[k] ?? exactBySku?.[t.skuId] ?? [];
        bySku[k] = (Array.isArray(list) ? list : []).map((x) => String(x).toLowerCase());
      }
      const before = held.flatMap((h) => enabledPlans(h.plan.servicePlans, h.disabledPlans));
      const after = targets.flatMap((t) => enabledPlans(t.servicePlans, bySku[t.skuId.toLowerCase()]!));
      return { disabledPlans: bySku[targetId]!, bySku, ...diffServices(before, after, ref) };
    }
    const key = held.map((h) => `${lc(h.plan.skuId)}:${[...h.disabledPlans].sort().join(',')}`).join(';');
    let r = cache.get(key);
    if (!r) {
      r = carryOverSet({ sources: held, targets, ref, ...(spec.planOverrides ? { overrides: spec.planOverrides } : {}) });
      cache.set(key, r);
    }
    return r;
  };

  const swapOf = (principal: PrincipalRef, held: Held[]): Assignment => {
    const c = carryFor(principal.id, held);
    carry.set(principal.id, c);
    const a: Assignment = {
      principal,
      addLicenses: targets.map((t) => ({ skuId: t.skuId, disabledPlans: [...(c.bySku[t.skuId.toLowerCase()] ?? [])] })),
      removeLicenses: held.map((h) => h.plan.skuId),
      previousDisabledPlans: [...(held[0]?.disabledPlans ?? [])],
    };
    if (multi) a.previousDisabledBySku = Object.fromEntries(held.map((h) => [lc(h.plan.skuId), [...h.disabledPlans]]));
    return a;
  };

  /** The sources a user holds, each with the disabledPlans of its direct copy (else of what they have); all sources when none is held. */
  const heldBy = (u: UserFacts['user'], directOnly: boolean): Held[] => {
    const copies = sourceCopies(u, sets!.sources);
    const held: Held[] = [];
    for (const p of sources) {
      const c = copies.get(lc(p.skuId));
      const d = directOnly ? c?.direct : (c?.direct ?? c?.effective);
      if (d) held.push({ plan: p, disabledPlans: d });
    }
    return held;
  };
  const factsOf = (u: UserFacts['user']) => userFacts(u, sourceId, targetId, sets);

  let kind: ResolvedChange['kind'];
  let principal: PrincipalRef;
  let facts: UserFacts[];
  const assignments: Assignment[] = [];
  let groupId: string | undefined;
  let groupTargetDisabled: string[] | undefined;
  let groupTargetBySku: Record<string, string[]> | undefined;

  if (subject.kind === 'user') {
    kind = 'user';
    const f = factsOf(subject.user);
    facts = [f];
    principal = f.ref;
    if (!same) {
      if (!multi) assignments.push(swapOf(principal, [{ plan: source, disabledPlans: f.sourceDirect ?? f.sourceEffectiveDisabled ?? [] }]));
      else {
        const held = heldBy(subject.user, false);
        assignments.push(swapOf(principal, held.length ? held : sources.map((p) => ({ plan: p, disabledPlans: [] }))));
      }
    }
  } else if (subject.kind === 'users') {
    kind = 'users';
    facts = uniqueById(subject.users).map(factsOf);
    principal = { kind: 'user', id: `users:${facts.length}`, displayName: `${facts.length} user${facts.length === 1 ? '' : 's'}` };
    if (!same)
      for (const f of facts) {
        if (!f.sourceDirect) continue;
        assignments.push(swapOf(f.ref, multi ? heldBy(f.user, true) : [{ plan: source, disabledPlans: f.sourceDirect }]));
      }
  } else {
    kind = 'group';
    const g = subject.group;
    groupId = g.id.toLowerCase();
    principal = groupRef(g);
    const pre = input.memberFacts;
    facts = !multi && pre && pre.members === subject.members && pre.sourceId === sourceId && pre.targetId === targetId ? pre.facts : uniqueById(subject.members).map(factsOf);
    const groupHeld: Held[] = [];
    for (const p of sources) {
      const held = (g.assignedLicenses ?? []).find((a) => a.skuId.toLowerCase() === lc(p.skuId));
      if (held || !multi) groupHeld.push({ plan: p, disabledPlans: (held?.disabledPlans ?? []).map((x) => x.toLowerCase()) });
    }
    if (!same) {
      // Direct copies go first. A member who also holds the source from this group only loses the
      // direct copy (removeLicenses only): the group's copy keeps them served, so there is no gap,
      // and the group's swap then reaches them without a MutuallyExclusiveViolation. (Group first
      // would race Entra's background processing: a member already processed would be left with
      // the target in error and, once the direct copy goes, nothing active.) A member whose source
      // comes only directly (the group's copy not applied to them) gets a full swap of that copy.
      // Several sources: remove-only when every source they hold directly also comes from this group.
      if (spec.includeDirectCopies) {
        for (const f of facts) {
          if (!f.sourceDirect) continue;
          const direct: Held[] = multi ? heldBy(f.user, true) : [{ plan: source, disabledPlans: f.sourceDirect }];
          const fromGroup = (p: PlanInfo) =>
            multi
              ? (f.user.licenseAssignmentStates ?? []).some((s) => s.assignedByGroup && lc(s.assignedByGroup) === groupId && lc(s.skuId) === lc(p.skuId))
              : f.sourceGroups.includes(groupId!);
          if (direct.every((h) => fromGroup(h.plan))) {
            const a: Assignment = {
              principal: f.ref,
              addLicenses: [],
              removeLicenses: direct.map((h) => h.plan.skuId),
              previousDisabledPlans: [...(direct[0]?.disabledPlans ?? [])],
            };
            if (multi) a.previousDisabledBySku = Object.fromEntries(direct.map((h) => [lc(h.plan.skuId), [...h.disabledPlans]]));
            assignments.push(a);
          } else {
            assignments.push(swapOf(f.ref, direct));
          }
        }
      }
      const a = swapOf(principal, groupHeld.length ? groupHeld : sources.map((p) => ({ plan: p, disabledPlans: [] })));
      groupTargetDisabled = a.addLicenses[0]!.disabledPlans;
      groupTargetBySku = Object.fromEntries(a.addLicenses.map((l) => [lc(l.skuId), l.disabledPlans]));
      assignments.push(a);
    }
  }

  // Services: union over the principals whose assignment adds the target.
  const kept = new Set<string>();
  const lost = new Set<string>();
  const gained = new Set<string>();
  const upgraded = new Set<string>();
  const downgraded = new Set<string>();
  for (const c of carry.values()) {
    c.kept.forEach((x) => kept.add(x));
    c.lost.forEach((x) => lost.add(x));
    c.gained.forEach((x) => gained.add(x));
    c.upgraded.forEach((x) => upgraded.add(x));
    c.downgraded.forEach((x) => downgraded.add(x));
  }

  const change: ResolvedChange = {
    kind,
    principal,
    from: summary(source),
    to: summary(target),
    ...(targets.length > 1 ? { alsoTo: targets.slice(1).map(summary) } : {}),
    ...(sources.length > 1 ? { alsoFrom: sources.slice(1).map(summary) } : {}),
    assignments,
    affectedUsers: kind === 'users' ? assignments.length : facts.length,
    seats: { needed: 0, available: target.available },
    servicesKept: [...kept],
    servicesLost: [...lost],
    servicesGained: [...gained],
    servicesUpgraded: [...upgraded],
    servicesDowngraded: [...downgraded],
    includeDirectCopies: !!spec.includeDirectCopies,
  };
  return { change, facts, carry, groupId, groupTargetDisabled, ...(groupTargetBySku ? { groupTargetBySku } : {}), sources, targets, ...(sets ? { sets } : {}) };
}

// Builds the ResolvedChange: the assignLicense calls the swap will make, with carried-over
// disabledPlans, and the services kept / lost / gained.
import type { Assignment, PlanSummary, PrincipalRef, ResolvedChange } from '../model';
import { carryOverServices, describeServices, type CarryOverResult } from '../swap-plan';
import { groupRef } from '../principal-ref';
import { uniqueById, userFacts, type PreflightInput, type UserFacts } from './context';

export interface BuiltChange {
  change: ResolvedChange;
  facts: UserFacts[];
  carry: Map<string, CarryOverResult>;
  groupId?: string;
  /** Target disabledPlans of the group's assignment (group swaps). */
  groupTargetDisabled?: string[];
}

const summary = (p: { skuId: string; skuPartNumber: string; displayName: string }): PlanSummary => ({
  skuId: p.skuId,
  skuPartNumber: p.skuPartNumber,
  displayName: p.displayName,
});

export function buildChange(input: PreflightInput): BuiltChange {
  const { spec, source, target, ref, subject } = input;
  const sourceId = source.skuId.toLowerCase();
  const targetId = target.skuId.toLowerCase();
  const same = sourceId === targetId;
  const carry = new Map<string, CarryOverResult>();
  const cache = new Map<string, CarryOverResult>();

  /** Carry-over for one principal: spec.exactDisabledPlans wins over the computed list. */
  const carryFor = (principalId: string, sourceDisabled: string[]): CarryOverResult => {
    const exact = spec.exactDisabledPlans?.[principalId];
    if (exact) {
      const disabledPlans = exact.map((x) => x.toLowerCase());
      return { disabledPlans, ...describeServices(source, target, sourceDisabled, disabledPlans, ref) };
    }
    const key = [...sourceDisabled].sort().join(',');
    let r = cache.get(key);
    if (!r) {
      r = carryOverServices({ source, target, sourceDisabledPlans: sourceDisabled, ref, overrides: spec.planOverrides });
      cache.set(key, r);
    }
    return r;
  };

  const swapOf = (principal: PrincipalRef, sourceDisabled: string[]): Assignment => {
    const c = carryFor(principal.id, sourceDisabled);
    carry.set(principal.id, c);
    return {
      principal,
      addLicenses: [{ skuId: target.skuId, disabledPlans: [...c.disabledPlans] }],
      removeLicenses: [source.skuId],
      previousDisabledPlans: [...sourceDisabled],
    };
  };

  let kind: ResolvedChange['kind'];
  let principal: PrincipalRef;
  let facts: UserFacts[];
  const assignments: Assignment[] = [];
  let groupId: string | undefined;
  let groupTargetDisabled: string[] | undefined;

  if (subject.kind === 'user') {
    kind = 'user';
    const f = userFacts(subject.user, sourceId, targetId);
    facts = [f];
    principal = f.ref;
    if (!same) assignments.push(swapOf(principal, f.sourceDirect ?? f.sourceEffectiveDisabled ?? []));
  } else if (subject.kind === 'users') {
    kind = 'users';
    facts = uniqueById(subject.users).map((u) => userFacts(u, sourceId, targetId));
    principal = { kind: 'user', id: `users:${facts.length}`, displayName: `${facts.length} user${facts.length === 1 ? '' : 's'}` };
    if (!same) for (const f of facts) if (f.sourceDirect) assignments.push(swapOf(f.ref, f.sourceDirect));
  } else {
    kind = 'group';
    const g = subject.group;
    groupId = g.id.toLowerCase();
    principal = groupRef(g);
    const pre = input.memberFacts;
    facts =
      pre && pre.members === subject.members && pre.sourceId === sourceId && pre.targetId === targetId
        ? pre.facts
        : uniqueById(subject.members).map((u) => userFacts(u, sourceId, targetId));
    const held = (g.assignedLicenses ?? []).find((a) => a.skuId.toLowerCase() === sourceId);
    const groupDisabled = (held?.disabledPlans ?? []).map((x) => x.toLowerCase());
    if (!same) {
      // Direct copies go first. A member who also holds the source from this group only loses the
      // direct copy (removeLicenses only): the group's copy keeps them served, so there is no gap,
      // and the group's swap then reaches them without a MutuallyExclusiveViolation. (Group first
      // would race Entra's background processing: a member already processed would be left with
      // the target in error and, once the direct copy goes, nothing active.) A member whose source
      // comes only directly (the group's copy not applied to them) gets a full swap of that copy.
      if (spec.includeDirectCopies) {
        for (const f of facts) {
          if (!f.sourceDirect) continue;
          if (f.sourceGroups.includes(groupId)) {
            assignments.push({ principal: f.ref, addLicenses: [], removeLicenses: [source.skuId], previousDisabledPlans: [...f.sourceDirect] });
          } else {
            assignments.push(swapOf(f.ref, f.sourceDirect));
          }
        }
      }
      const a = swapOf(principal, groupDisabled);
      groupTargetDisabled = a.addLicenses[0]!.disabledPlans;
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
  return { change, facts, carry, groupId, groupTargetDisabled };
}

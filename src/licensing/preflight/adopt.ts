// The preflight of an adopt: a group takes over the plan its members hold directly (Microsoft's
// "migrate users with individual licenses to groups"). Pure, like runPreflight: the snapshot in
// (source = target = the plan), the plan of calls and the findings out.
//
// Plan of calls: the group's assignLicense (only when the group lacks the plan), then one
// removal of the direct copy per member, each run only once the member's inherited copy is
// Active and covers it (the runner checks before every wave: LicensePort.adoptCheck).
//
//   ADOPT_NO_DIRECT_COPIES      block  no direct member holds the plan directly: nothing to adopt.
//   ADOPT_GROUP_PLAN            info   what the group gets (or has): its services off, and from where
//                                      (the members' agreeing copies, or only what all have off).
//   ADOPT_SERVICES_NOT_COVERED  warn   members whose direct copy has services on that the group's copy
//                                      turns off: they keep their direct copy, or (accepted) lose them.
//   ADOPT_NEW_SEATS             info   members who hold the plan from nowhere get it from the group:
//                                      these are the only new seats (SEATS_SHORT blocks beyond the free).
//   ADOPT_GROUP_COPY_CONFLICT   warn   members whose group copy will be in error (a plan they hold
//                                      clashes with it): they keep their direct copy.
// Reused as in a group swap: TARGET_NOT_ACTIVE / TARGET_NOT_ASSIGNABLE, USAGE_LOCATION_MISSING
// (group licensing falls back to the tenant's country), GROUP_NOT_SECURITY, GROUP_SYNCED,
// GROUP_DYNAMIC, NESTED_GROUPS (nested members do not inherit: they keep their own copy),
// GROUP_PROCESSING, MEMBERS_IN_ERROR (data.adopt: their direct copy stays).
import type { AdoptKept, Assignment, Finding, FindingCode, PreflightResult, PrincipalRef, ResolvedChange, Severity } from '../model';
import { chooseGroupDisabledPlans, memberCopies, servicesNotCovered, type MemberCopies } from '../adopt';
import { carryOverServices, diffServices, enabledPlans } from '../swap-plan';
import { groupRef } from '../principal-ref';
import { RuleIndex, uniqueById, userFacts, type Ctx, type PreflightInput, type UserFacts } from './context';
import { checkGroupHealth } from './group-health';
import { checkGroupKind } from './group-kind';
import { checkTargetStatus } from './target-status';
import { checkUsageLocation } from './usage-location';

const ORDER: Record<Severity, number> = { block: 0, warn: 1, info: 2 };

export function runAdoptPreflight(input: PreflightInput): PreflightResult {
  const { subject, target: plan, ref, spec } = input;
  if (subject.kind !== 'group') throw new Error('an adopt is checked on a group');
  const g = subject.group;
  const groupId = g.id.toLowerCase();
  const sku = plan.skuId.toLowerCase();
  const rules = new RuleIndex(ref, input.catalog);
  const findings: Finding[] = [];
  const add = (code: FindingCode, severity: Severity, principals: PrincipalRef[], data: Record<string, unknown> = {}) => findings.push({ code, severity, principals, data });
  const principal = groupRef(g);

  const members = uniqueById(subject.members);
  const facts: UserFacts[] = members.map((u) => userFacts(u, sku, sku));
  const copies = new Map<string, MemberCopies>(members.map((u) => [u.id, memberCopies(u, sku)]));
  const holders = facts.filter((f) => copies.get(f.ref.id)!.direct);

  // What the group gets: its own copy when it has one; else the members' choice, then overrides.
  const held = (g.assignedLicenses ?? []).find((l) => l.skuId.toLowerCase() === sku);
  let groupDisabled: string[];
  let disabledFrom: 'group' | 'members' | 'union' | 'none';
  if (held) {
    groupDisabled = (held.disabledPlans ?? []).map((x) => x.toLowerCase());
    disabledFrom = 'group';
  } else {
    const chosen = chooseGroupDisabledPlans(holders.map((f) => copies.get(f.ref.id)!.direct!));
    disabledFrom = chosen.from;
    groupDisabled = spec.planOverrides
      ? carryOverServices({ source: plan, target: plan, sourceDisabledPlans: chosen.disabledPlans, ref, overrides: spec.planOverrides }).disabledPlans
      : chosen.disabledPlans;
  }
  const groupOn = rules.enabledNames(sku, groupDisabled);

  // Would the group's copy clash with another plan the member holds (then it lands in error)?
  const clashes = (f: UserFacts): string | undefined => {
    for (const s of f.user.licenseAssignmentStates ?? []) {
      if (s.skuId.toLowerCase() === sku || /error/i.test(String(s.state ?? ''))) continue;
      if (rules.exclusiveHits(groupOn, rules.enabledNames(s.skuId, s.disabledPlans)).length) return rules.skuName(s.skuId);
    }
    return undefined;
  };

  const accepted = new Set((spec.adopt?.acceptLoss ?? []).map((x) => x.toLowerCase()));
  const keep: AdoptKept[] = [];
  const notCovered: { ref: PrincipalRef; services: string[]; accepted: boolean }[] = [];
  const conflicts: { ref: PrincipalRef; sku: string }[] = [];
  const newSeats: PrincipalRef[] = [];
  const removals: Assignment[] = [];
  const kept = new Set<string>();
  const lost = new Set<string>();
  const gained = new Set<string>();
  const groupServices = enabledPlans(plan.servicePlans, groupDisabled);

  for (const f of facts) {
    const c = copies.get(f.ref.id)!;
    const clash = clashes(f);
    if (!c.direct) {
      // Holds it from nowhere (no Active copy at all): the group's copy is a new seat, unless it clashes.
      if (!f.sourceAny && !c.inherited.size && !clash && !(held && c.inError.has(groupId))) newSeats.push(f.ref);
      if (clash && !held) conflicts.push({ ref: f.ref, sku: clash });
      continue;
    }
    if (clash) {
      conflicts.push({ ref: f.ref, sku: clash });
      keep.push({ principal: f.ref, reason: 'error', error: 'MutuallyExclusiveViolation' });
      continue;
    }
    // Covered by the group's copy and any other Active inherited copy they hold.
    const others = [...c.inherited.entries()].filter(([id]) => id !== groupId).map(([, d]) => d);
    const missing = servicesNotCovered(plan, c.direct, [groupDisabled, ...others]);
    // Accepted by id, or by UPN as an admin types it on the command line.
    const ok = accepted.has(f.ref.id.toLowerCase()) || (!!f.ref.userPrincipalName && accepted.has(f.ref.userPrincipalName.toLowerCase()));
    if (missing.length) {
      notCovered.push({ ref: f.ref, services: missing, accepted: ok });
      if (!ok) {
        keep.push({ principal: f.ref, reason: 'servicesNotCovered', services: missing });
        continue;
      }
    }
    removals.push({ principal: f.ref, addLicenses: [], removeLicenses: [plan.skuId], previousDisabledPlans: [...c.direct] });
    const d = diffServices(enabledPlans(plan.servicePlans, c.direct), groupServices, ref);
    d.kept.forEach((x) => kept.add(x));
    [...d.lost, ...d.downgraded].forEach((x) => lost.add(x));
    [...d.gained, ...d.upgraded].forEach((x) => gained.add(x));
  }

  // The group's write comes first and apart: the removals (assignments) may run in waves after it.
  const groupWrite: Assignment | undefined = held
    ? undefined
    : { principal, addLicenses: [{ skuId: plan.skuId, disabledPlans: [...groupDisabled] }], removeLicenses: [], previousDisabledPlans: [] };
  const assignments: Assignment[] = removals;

  const change: ResolvedChange = {
    kind: 'adopt',
    principal,
    from: { skuId: plan.skuId, skuPartNumber: plan.skuPartNumber, displayName: plan.displayName },
    to: { skuId: plan.skuId, skuPartNumber: plan.skuPartNumber, displayName: plan.displayName },
    assignments,
    affectedUsers: holders.length,
    seats: { needed: newSeats.length, available: plan.available },
    servicesKept: [...kept],
    servicesLost: [...lost],
    servicesGained: [...gained],
    servicesUpgraded: [],
    servicesDowngraded: [],
    includeDirectCopies: false,
    adopt: {
      groupHasPlan: !!held,
      ...(groupWrite ? { groupWrite } : {}),
      groupDisabledPlans: [...groupDisabled],
      disabledFrom,
      keep,
      acceptLoss: notCovered.filter((x) => x.accepted).map((x) => x.ref.id),
      newSeats: newSeats.length,
    },
  };

  // The shared checks read a group swap's context: source = target = the plan.
  const ctx: Ctx = {
    input,
    kind: 'group',
    sourceId: sku,
    targetId: sku,
    sources: [plan],
    targets: [plan],
    sourceIds: new Set([sku]),
    targetIds: new Set([sku]),
    multi: false,
    targetsOnFor: () => rules.enabledNames(sku, groupDisabled),
    groupId,
    facts,
    change,
    carry: new Map(),
    rules,
    findings,
    targetDisabledFor: () => groupDisabled,
    keptSourceClash: () => false,
    add,
    groupName: (id) => input.groupNames[id] ?? input.groupNames[id.toLowerCase()] ?? id,
  };

  if (!holders.length || (!assignments.length && !groupWrite)) {
    // Nobody holds it directly, or every holder keeps their copy and the group has the plan: no call to make.
    add('ADOPT_NO_DIRECT_COPIES', 'block', [principal], {
      plan: plan.displayName,
      members: facts.length,
      groupHasPlan: !!held,
      nested: subject.nestedGroups.length,
      allKept: holders.length,
    });
  }
  if (holders.length) {
    checkTargetStatus(ctx);
    const off = plan.servicePlans.filter((p) => groupDisabled.includes(p.id.toLowerCase())).map((p) => p.friendlyName || p.name);
    const gainers = removals.filter((a) => a.previousDisabledPlans.some((id) => !groupDisabled.includes(id.toLowerCase()))).map((a) => a.principal);
    add('ADOPT_GROUP_PLAN', 'info', gainers, { plan: plan.displayName, groupHasPlan: !!held, disabledFrom, servicesOff: off, gainers: gainers.length, holders: holders.length });
    const refused = notCovered.filter((x) => !x.accepted);
    const taken = notCovered.filter((x) => x.accepted);
    const servicesOf = (xs: typeof notCovered) => [...new Set(xs.flatMap((x) => x.services))];
    if (refused.length)
      add(
        'ADOPT_SERVICES_NOT_COVERED',
        'warn',
        refused.map((x) => x.ref),
        { count: refused.length, services: servicesOf(refused), accepted: false, ids: refused.map((x) => x.ref.id) },
      );
    if (taken.length)
      add(
        'ADOPT_SERVICES_NOT_COVERED',
        'warn',
        taken.map((x) => x.ref),
        { count: taken.length, services: servicesOf(taken), accepted: true, ids: taken.map((x) => x.ref.id) },
      );
    if (conflicts.length)
      add(
        'ADOPT_GROUP_COPY_CONFLICT',
        'warn',
        conflicts.map((x) => x.ref),
        { count: conflicts.length, skus: [...new Set(conflicts.map((x) => x.sku))] },
      );
    if (newSeats.length) {
      if (newSeats.length > plan.available)
        add('SEATS_SHORT', 'block', newSeats, { needed: newSeats.length, available: plan.available, short: newSeats.length - plan.available, skuId: plan.skuId, adopt: true });
      else add('ADOPT_NEW_SEATS', 'info', newSeats, { count: newSeats.length, available: plan.available, plan: plan.displayName });
    }
    checkUsageLocation(ctx);
  }
  checkGroupKind(ctx);
  checkGroupHealth(ctx);
  // The shared group texts say what an adopt means for them (membership, members in error).
  for (const f of findings) if (['GROUP_SYNCED', 'GROUP_DYNAMIC', 'MEMBERS_IN_ERROR', 'NESTED_GROUPS', 'SEATS_SHORT'].includes(f.code)) f.data = { ...f.data, adopt: true };

  findings.sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  const counts = { block: 0, warn: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return { change, findings, counts, blocked: counts.block > 0, checkedAt: (input.now ?? new Date()).toISOString() };
}

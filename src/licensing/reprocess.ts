// Reprocess, the pure part: which group licenses of a member are in error, the change a reprocess
// is (no assignments; the members to re-evaluate), and what the members' states say afterwards.
// Entra leaves a member in error until the user is reprocessed, even when the cause is gone
// (seats bought or freed, a usage location set, a clashing license removed).
import type { Finding, LicenseInError, MemberError, MembersInError, PlanSummary, PreflightResult, PrincipalRef, ResolvedChange } from './model';
import { explainMemberError } from './explain';

/** What a member's state needs to be judged: its group licenses and their errors. */
export interface StatesOf {
  licenseAssignmentStates: { skuId: string; assignedByGroup: string | null; state: string; error: string | null }[];
}

/** The error of one state, or null when it took (Active, error None). */
export function stateError(state: string | null | undefined, error: string | null | undefined): string | null {
  const e = (error ?? '').trim();
  const hasError = !!e && e.toLowerCase() !== 'none';
  if (hasError) return e;
  const st = (state ?? '').toLowerCase();
  return st === 'error' || st === 'activewitherror' ? 'Other' : null;
}

/** A member's group licenses in error: from `groupId` only, or from any group. */
export function groupLicenseErrors(user: StatesOf, plan: (skuId: string) => PlanSummary, groupId?: string): LicenseInError[] {
  const g = groupId?.toLowerCase();
  const out: LicenseInError[] = [];
  for (const s of user.licenseAssignmentStates ?? []) {
    if (!s.assignedByGroup || (g && s.assignedByGroup.toLowerCase() !== g)) continue;
    const error = stateError(s.state, s.error);
    if (error) out.push({ plan: plan(s.skuId), groupId: s.assignedByGroup, error });
  }
  return out;
}

/** The users a reprocess spec names, among those in error now (all of them when it names none). */
export function pickUsers(list: MembersInError, userIds: readonly string[]): MembersInError['members'] {
  if (!userIds.length) return list.members;
  const wanted = new Set(userIds.map((id) => id.toLowerCase()));
  return list.members.filter((m) => wanted.has(m.principal.id.toLowerCase()) || (m.principal.userPrincipalName && wanted.has(m.principal.userPrincipalName.toLowerCase())));
}

/**
 * The preflight of a reprocess: the members to re-evaluate, with their errors counted by kind
 * (REPROCESS_MEMBERS, info); nobody in error any more blocks it (NOTHING_TO_REPROCESS).
 */
export function reprocessPreflight(list: MembersInError, userIds: readonly string[], fallbackPlan: PlanSummary, now = new Date(), preferSkuId?: string): PreflightResult {
  const members = pickUsers(list, userIds);
  const users = members.map((m) => m.principal);
  // The plan shown: the one the request named when someone still has it in error (a re-check then
  // means the same change), else the first one in error.
  const prefer = preferSkuId?.toLowerCase();
  const plan = (prefer ? members.flatMap((m) => m.errors).find((e) => e.plan.skuId.toLowerCase() === prefer)?.plan : undefined) ?? members[0]?.errors[0]?.plan ?? fallbackPlan;
  const byError: Record<string, number> = {};
  for (const m of members) for (const e of new Set(m.errors.map((x) => x.error))) byError[e] = (byError[e] ?? 0) + 1;
  const findings: Finding[] = users.length
    ? [{ code: 'REPROCESS_MEMBERS', severity: 'info', principals: users, data: { count: users.length, byError, name: list.principal.displayName } }]
    : [{ code: 'NOTHING_TO_REPROCESS', severity: 'block', principals: [list.principal], data: { name: list.principal.displayName } }];
  const change: ResolvedChange = {
    kind: list.principal.kind,
    principal: list.principal,
    from: plan,
    to: plan,
    assignments: [],
    affectedUsers: users.length,
    seats: { needed: 0, available: 0 },
    servicesKept: [],
    servicesLost: [],
    servicesGained: [],
    includeDirectCopies: false,
    reprocess: { users, ...(list.principal.kind === 'group' ? { groupId: list.principal.id } : {}) },
  };
  const counts = { block: 0, warn: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return { change, findings, counts, blocked: counts.block > 0, checkedAt: now.toISOString() };
}

/**
 * After the reprocess: each user read back is done (no group license in error; from the group
 * reprocessed, or any group for a single user) or still in error with the first error and what to
 * do about it. Users not read back (gone) are left out.
 */
export function reprocessOutcome(
  users: readonly (StatesOf & { id: string })[],
  refOf: (u: StatesOf & { id: string }) => PrincipalRef,
  groupId?: string,
): { done: PrincipalRef[]; errors: MemberError[] } {
  const done: PrincipalRef[] = [];
  const errors: MemberError[] = [];
  const g = groupId?.toLowerCase();
  for (const u of users) {
    let error: string | null = null;
    for (const s of u.licenseAssignmentStates ?? []) {
      if (!s.assignedByGroup || (g && s.assignedByGroup.toLowerCase() !== g)) continue;
      error = stateError(s.state, s.error);
      if (error) break;
    }
    if (error) errors.push({ principal: refOf(u), error, message: explainMemberError(error) });
    else done.push(refOf(u));
  }
  return { done, errors };
}

// Group licensing already in trouble before the swap (group swaps only).
//   GROUP_PROCESSING  warn  licenseProcessingState is not ProcessingComplete: an earlier change is
//                           still being applied (or failed); results would mix.
//   MEMBERS_IN_ERROR  warn  members already in Error / ActiveWithError for this group (from
//                           membersWithLicenseErrors and the members' own states), counted by error.
import type { PrincipalRef } from '../model';
import { lc, type Ctx } from './context';
import { userRef } from '../principal-ref';

export function checkGroupHealth(ctx: Ctx): void {
  const subject = ctx.input.subject;
  if (subject.kind !== 'group') return;
  const g = subject.group;
  const state = g.licenseProcessingState?.state;
  if (state && state !== 'ProcessingComplete') {
    ctx.add('GROUP_PROCESSING', 'warn', [ctx.change.principal], { state });
  }

  const seen = new Map<string, { ref: PrincipalRef; error: string }>();
  const byError: Record<string, number> = {};
  const note = (ref: PrincipalRef, error: string) => {
    if (seen.has(ref.id)) return;
    seen.set(ref.id, { ref, error });
    byError[error] = (byError[error] ?? 0) + 1;
  };
  // What a member's (state, error) pair means: the error to report, or null when the license took.
  const errorOf = (state: string | null | undefined, error: string | null | undefined): string | null => {
    const st = (state ?? '').toLowerCase();
    const e = (error ?? '').trim();
    const hasError = !!e && e.toLowerCase() !== 'none';
    return st === 'error' || st === 'activewitherror' || hasError ? (hasError ? e : 'Other') : null;
  };
  const fromThisGroup = (u: (typeof subject.members)[number]): string | undefined => {
    for (const s of u.licenseAssignmentStates ?? []) {
      if (!s.assignedByGroup || (s.assignedByGroup !== ctx.groupId && lc(s.assignedByGroup) !== ctx.groupId)) continue;
      const r = errorOf(s.state, s.error);
      if (r !== null) return r;
    }
    return undefined;
  };
  for (const f of ctx.facts) {
    const e = fromThisGroup(f.user);
    if (e) note(f.ref, e);
  }
  for (const u of subject.membersWithErrors) {
    if (seen.has(u.id)) continue;
    note(userRef(u), fromThisGroup(u) ?? 'Other');
  }
  if (!seen.size) return;
  const refs = [...seen.values()].map((x) => x.ref);
  ctx.add('MEMBERS_IN_ERROR', 'warn', refs, { count: refs.length, byError });
}

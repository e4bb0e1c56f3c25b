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
  // What a (state, error) pair means, worked out once per distinct pair: the same few strings
  // ("Active", "None") repeat for every member.
  const meaning = new Map<string | null | undefined, Map<string | null | undefined, string | null>>();
  // And the last pair asked about, which the next member nearly always repeats.
  let lastState: string | null | undefined;
  let lastError: string | null | undefined;
  let lastMeaning: string | null = null;
  let asked = false;
  const errorOf = (state: string | null | undefined, error: string | null | undefined): string | null => {
    if (asked && state === lastState && error === lastError) return lastMeaning;
    asked = true;
    lastState = state;
    lastError = error;
    return (lastMeaning = meaningOf(state, error));
  };
  const meaningOf = (state: string | null | undefined, error: string | null | undefined): string | null => {
    let byError = meaning.get(state);
    if (!byError) meaning.set(state, (byError = new Map()));
    let r = byError.get(error);
    if (r === undefined) {
      const st = (state ?? '').toLowerCase();
      const e = (error ?? '').trim();
      const hasError = !!e && e.toLowerCase() !== 'none';
      r = st === 'error' || st === 'activewitherror' || hasError ? (hasError ? e : 'Other') : null;
      byError.set(error, r);
    }
    return r;
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

// A repeated "Request approval" (a second click on a card Teams could not tie to its message, a
// retried invoke, the same command typed twice) must not leave two pending requests for one
// change: approvers would be asked twice and could approve both. Same requester, same change,
// still pending within its approval time: that request is the answer.
import type { ResolvedChange } from '../licensing/model';
import { planIds } from '../licensing/change-plans';
import type { Actor, ChangeRequest, RequestStore } from './types';

/** What makes two changes the same: who, from which plan to which, and with which members. */
export function changeKey(change: ResolvedChange): string {
  const who = change.assignments.map((a) => `${a.principal.kind}:${a.principal.id.toLowerCase()}`).sort();
  // A reprocess assigns nothing: the members it re-evaluates are what it is about.
  if (change.reprocess) who.push('reprocess', ...change.reprocess.users.map((u) => `user:${u.id.toLowerCase()}`).sort());
  const plans = planIds(change);
  return [change.kind, change.principal.id.toLowerCase(), plans.from, plans.to, change.includeDirectCopies ? 'direct' : '', ...who].join('|');
}

/** The requester's pending, unexpired request for the same change (and the same undo), if any. */
export async function findDuplicatePending(
  store: Pick<RequestStore, 'list'>,
  requester: Actor,
  change: ResolvedChange,
  opts: { now: Date; undoOf?: string },
): Promise<ChangeRequest | undefined> {
  const key = changeKey(change);
  const now = opts.now.getTime();
  return (await store.list({ states: ['pending'], requesterId: requester.id })).find(
    (r) =>
      r.requester.tenantId.toLowerCase() === requester.tenantId.toLowerCase() &&
      Date.parse(r.expiresAt) > now &&
      (r.undoOf ?? undefined) === (opts.undoOf ?? undefined) &&
      changeKey(r.preflight.change) === key,
  );
}

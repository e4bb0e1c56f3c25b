// Reprocess, from chat ("reprocess Support", "verwerk Support opnieuw") and from the "Reprocess
// after fixing" button: the members of the group (or the one user) whose group licenses are in
// error now are re-evaluated by Entra. REPROCESS_APPROVAL=none runs it at once (a request
// approved by the rule); required makes it a four-eyes request. Either way the completion notice
// says who is now licensed and who is still in error, with why and the fix.
import type { ChangeRequest } from '../requests/types';
import type { ChangeSpec, PrincipalQuery } from '../licensing/model';
import type { Turn } from './turn';
import type { PrincipalTarget } from './parser';
import { errorCard, noticeCard } from './cards/notice';
import { requestCard } from './cards/request';
import { md, type AdaptiveCard } from './cards/render';
import { preflightCard } from './cards/preflight';
import { isLicensingError, licensingErrorCard } from './error-card';
import { refusalText } from './refusals';
import { resolveTarget, type NextStep } from './names';

/** What a click on a chosen principal does: reprocess it. */
export const reprocessNext: NextStep = (q) => ({
  verb: 'reprocess',
  data: { principal: q.kind === 'user' ? { kind: 'user', id: q.user } : { kind: 'group', id: q.kind === 'group' ? q.group : '' } },
});

/** The answer to "reprocess X": the card to show, and the request when one was made. */
export async function reprocessTarget(turn: Turn, target: PrincipalTarget | undefined): Promise<{ card?: AdaptiveCard; text?: string; request?: ChangeRequest }> {
  if (!target || target.kind === 'users') return { text: turn.t.reprocess.askWhich };
  const resolved = await resolveTarget(turn, target, reprocessNext);
  if ('card' in resolved) return { card: resolved.card };
  return reprocessQuery(turn, resolved.query);
}

/** Reprocess the members in error of a resolved group or user, as the approval rule says. */
export async function reprocessQuery(turn: Turn, query: PrincipalQuery): Promise<{ card?: AdaptiveCard; text?: string; request?: ChangeRequest }> {
  const { t, deps } = turn;
  let preflight;
  try {
    preflight = await deps.licenses.preflight({ principal: query, to: '', reprocess: { userIds: [] } });
  } catch (err) {
    if (isLicensingError(err)) return { card: await licensingErrorCard(turn, err, undefined, reprocessNext) };
    throw err;
  }
  const change = preflight.change;
  const users = change.reprocess?.users ?? [];
  if (!users.length) return { card: noticeCard({ text: t.reprocess.nothing(md(change.principal.displayName), change.principal.kind === 'group'), tone: 'info' }) };
  // Exactly these people, by id: what is approved (or run) is what was shown.
  const spec: ChangeSpec = {
    principal: change.principal.kind === 'group' ? { kind: 'group', group: change.principal.id } : { kind: 'user', user: change.principal.id },
    to: change.to.skuId,
    reprocess: { userIds: users.map((u) => u.id) },
  };
  const required = deps.reprocessApproval === 'required';
  const res = required
    ? await deps.requests.request(turn.actor, spec, preflight, turn.conversationKey)
    : await deps.requests.reprocessNow(turn.actor, spec, preflight, turn.conversationKey);
  if (!res.ok) {
    if (res.reason === 'blocked' && res.preflight) return { card: preflightCard(t, res.preflight) };
    return { card: errorCard(res.reason === 'not_requester' ? t.reprocess.notAllowed : refusalText(t, res, '')) };
  }
  const note = required ? t.reprocess.requested(md(res.request.id)) : t.reprocess.started(md(res.request.id), users.length, md(change.principal.displayName));
  return { card: requestCard(t, res.request, { view: 'status', note: { text: note, tone: 'done' } }), request: res.request };
}

// verb "request": ask for approval. The preflight runs again (the tenant may have changed since the
// card was drawn); the request starts pending and the approvers are asked by the notifier.
import type { InvokeResponse } from '../sdk';
import { cardResponse } from '../invoke';
import { preflightCard } from '../cards/preflight';
import { requestCard } from '../cards/request';
import { md } from '../cards/render';
import { isLicensingError, licensingErrorCard } from '../error-card';
import type { Turn } from '../turn';
import { specFromData, type ActionDataOf } from './data';
import { refusalCard, trackCard, updateForEveryone } from './common';
import type { ActionHandler, InvokeInfo } from './types';

/** Teams retries a slow invoke: the same click (same card) gets the same answer, never a second request. */
const inFlight = new Map<string, Promise<InvokeResponse>>();

export const request: ActionHandler<'request'> = async (turn, data, info) => {
  if (!info.replyToId) return run(turn, data, info);
  const key = `${turn.conversationKey}:${info.replyToId}`;
  const earlier = await turn.conv.requestFromCard(turn.conversationKey, info.replyToId);
  if (earlier) {
    const res = await turn.deps.requests.status(earlier, turn.actor);
    if (res.ok) return cardResponse(requestCard(turn.t, res.request, { view: 'status' }));
  }
  let p = inFlight.get(key);
  if (!p) {
    p = run(turn, data, info).finally(() => inFlight.delete(key));
    inFlight.set(key, p);
  }
  return p;
};

async function run(turn: Turn, data: ActionDataOf<'request'>, info: InvokeInfo): Promise<InvokeResponse> {
  const { t, deps } = turn;
  const spec = specFromData(data.spec);
  let result;
  try {
    result = await deps.licenses.preflight(spec, { onProgress: turn.progress });
  } catch (err) {
    if (isLicensingError(err)) return cardResponse(await licensingErrorCard(turn, err, spec));
    throw err;
  }
  if (result.blocked) return cardResponse(preflightCard(t, result, spec));
  const res = await deps.requests.request(turn.actor, spec, result, turn.conversationKey);
  if (!res.ok) {
    if (res.reason === 'blocked' && res.preflight) return cardResponse(preflightCard(t, res.preflight, spec));
    return cardResponse(refusalCard(turn, res, ''));
  }
  if (info.replyToId) await turn.conv.saveRequestFromCard(turn.conversationKey, info.replyToId, res.request.id);
  // The notifier redraws this card with who was reached once the approval cards are out.
  const card = requestCard(t, res.request, {
    view: 'status',
    note: { text: t.request.requested(md(res.request.id)), tone: 'done' },
    reach: [{ text: t.reach.asking, tone: 'info' }],
  });
  await trackCard(turn, res.request, info);
  updateForEveryone(turn, info, card);
  return cardResponse(card);
}

// verb "cancel": drop a preflight card (nothing was requested yet), or withdraw a pending request.
import { cardResponse } from '../invoke';
import { noticeCard } from '../cards/notice';
import { requestCard } from '../cards/request';
import { refusalCard, trackCard, updateForEveryone } from './common';
import type { ActionHandler } from './types';

export const cancel: ActionHandler<'cancel'> = async (turn, data, info) => {
  if (!('requestId' in data)) {
    const card = noticeCard({ text: turn.t.preflight.cancelled });
    updateForEveryone(turn, info, card);
    return cardResponse(card);
  }
  const res = await turn.deps.requests.cancel(turn.actor, data.requestId, data.version, data.reason || undefined);
  if (!res.ok) return cardResponse(refusalCard(turn, res, data.requestId, 'cancel'));
  await trackCard(turn, res.request, info);
  return cardResponse(requestCard(turn.t, res.request, { view: 'status' }));
};

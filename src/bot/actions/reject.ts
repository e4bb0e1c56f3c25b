// verb "reject": an approver says no, with an optional reason typed on the card.
import { cardResponse } from '../invoke';
import { requestCard } from '../cards/request';
import { refusalCard, trackCard } from './common';
import type { ActionHandler } from './types';

export const reject: ActionHandler<'reject'> = async (turn, data, info) => {
  const res = await turn.deps.requests.reject(turn.actor, data.requestId, data.version, data.reason || undefined);
  if (!res.ok) return cardResponse(refusalCard(turn, res, data.requestId, 'reject'));
  await trackCard(turn, res.request, info);
  return cardResponse(requestCard(turn.t, res.request, { view: 'status' }));
};

// verb "pause": a change running in waves stops before its next wave (the wave being sent finishes).
import { cardResponse } from '../invoke';
import { requestCard } from '../cards/request';
import { refusalCard, trackCard } from './common';
import type { ActionHandler } from './types';

export const pause: ActionHandler<'pause'> = async (turn, data, info) => {
  const res = await turn.deps.requests.pause(turn.actor, data.requestId);
  if (!res.ok) return cardResponse(refusalCard(turn, res, data.requestId, 'pause'));
  await trackCard(turn, res.request, info);
  return cardResponse(requestCard(turn.t, res.request, { view: 'status' }));
};

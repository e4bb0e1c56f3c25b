// verb "resume": a paused change carries on from its next wave (the card's version: a stale card is refused).
import { cardResponse } from '../invoke';
import { requestCard } from '../cards/request';
import { refusalCard, trackCard } from './common';
import type { ActionHandler } from './types';

export const resume: ActionHandler<'resume'> = async (turn, data, info) => {
  const res = await turn.deps.requests.resume(turn.actor, data.requestId, data.version);
  if (!res.ok) return cardResponse(refusalCard(turn, res, data.requestId, 'resume'));
  await trackCard(turn, res.request, info);
  return cardResponse(requestCard(turn.t, res.request, { view: 'status', note: { text: turn.t.waves.resumed(res.request.id), tone: 'done' } }));
};

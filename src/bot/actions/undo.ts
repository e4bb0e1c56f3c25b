// verb "undo": ask for the reverse of a completed change (a new request, approved like any other).
import { cardResponse } from '../invoke';
import { preflightCard } from '../cards/preflight';
import { requestCard } from '../cards/request';
import { md } from '../cards/render';
import { refusalCard, trackCard } from './common';
import type { ActionHandler } from './types';

export const undo: ActionHandler<'undo'> = async (turn, data, info) => {
  const { t } = turn;
  const res = await turn.deps.requests.undo(turn.actor, data.requestId, turn.conversationKey);
  if (!res.ok) {
    if (res.reason === 'blocked' && res.preflight) return cardResponse(preflightCard(t, res.preflight));
    return cardResponse(refusalCard(turn, res, data.requestId, 'undo'));
  }
  await trackCard(turn, res.request, info);
  const note = { text: t.request.undoRequested(md(res.request.id), md(res.request.undoOf ?? data.requestId)), tone: 'done' as const };
  return cardResponse(requestCard(t, res.request, { view: 'status', note }));
};

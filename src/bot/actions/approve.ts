// verbs "approve" and "run" (an approver's alias): the workflow checks the approver, the card
// version and the state (compare-and-set), and starts the run in the background. The click is
// answered at once with a card without buttons; the notifier updates it as the run goes.
import { cardResponse } from '../invoke';
import { requestCard } from '../cards/request';
import { refusalCard, trackCard } from './common';
import type { ActionHandler } from './types';

export const approve: ActionHandler<'approve'> = async (turn, data, info) => {
  const res = await turn.deps.requests.approve(turn.actor, data.requestId, data.version, data.reason || undefined);
  if (!res.ok) {
    // A Teams retry of this approver's own click: show where it stands, not an error.
    const r = res.request;
    if (res.reason === 'already_decided' && r?.approver && r.approver.id.toLowerCase() === turn.actor.id.toLowerCase() && r.state !== 'rejected') {
      const running = r.state === 'approved' || r.state === 'running';
      return cardResponse(requestCard(turn.t, r, { view: running ? 'running' : 'status' }));
    }
    return cardResponse(refusalCard(turn, res, data.requestId, 'approve'));
  }
  await trackCard(turn, res.request, info);
  const running = res.request.state === 'approved' || res.request.state === 'running';
  return cardResponse(requestCard(turn.t, res.request, { view: running ? 'running' : 'status' }));
};

export const run: ActionHandler<'run'> = (turn, data, info) => approve(turn, data, info);

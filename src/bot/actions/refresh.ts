// verb "refresh": the card as this person should see it now. Approvers of a pending request get
// Approve/Reject; everyone else the status. Teams calls it by itself for the users in
// refresh.userIds; the "Refresh" and "Open" buttons call it too.
import { cardResponse } from '../invoke';
import { requestCard } from '../cards/request';
import { approverTeamsIds, refusalCard } from './common';
import type { ActionHandler } from './types';
import { reachLines } from '../approver-reach';

export const refresh: ActionHandler<'refresh'> = async (turn, data) => {
  const res = await turn.deps.requests.status(data.requestId, turn.actor);
  if (!res.ok) return cardResponse(refusalCard(turn, res, data.requestId));
  const r = res.request;
  let view: 'status' | 'approval' = 'status';
  if (r.state === 'pending' && (await turn.deps.approvers.canApprove(turn.actor, r)).ok) view = 'approval';
  const refreshUserIds = r.state === 'pending' ? await approverTeamsIds(turn, r) : [];
  // The status of a pending request keeps saying whom it reached (approver-reach.ts).
  const reach = view === 'status' && r.state === 'pending' && turn.deps.reach ? reachLines(turn.t, await turn.deps.reach.record(r.id)) : [];
  return cardResponse(requestCard(turn.t, r, { view, refreshUserIds, ...(reach.length ? { reach } : {}) }));
};

// verb "preflight": check a change (from the guided card, a choice, or "include direct copies").
import { cardResponse } from '../invoke';
import { guideTargetCard } from '../cards/guide';
import { errorCard } from '../cards/notice';
import { preflightOrExplain } from '../error-card';
import { specFromData } from './data';
import type { ActionHandler } from './types';

export const preflight: ActionHandler<'preflight'> = async (turn, data) => {
  if (!data.to) {
    // The guided card's last step was sent without a target plan: show it again and say so.
    if (data.principal.kind === 'users' || !data.from) return cardResponse(errorCard(turn.t.guide.needTarget));
    const [status, plans, from] = await Promise.all([turn.deps.licenses.status(data.principal), turn.deps.licenses.listPlans(), turn.deps.licenses.resolvePlan(data.from)]);
    return cardResponse(guideTargetCard(turn.t, status.principal, from, plans, turn.t.guide.needTarget));
  }
  return cardResponse(await preflightOrExplain(turn, specFromData({ ...data, to: data.to })));
};

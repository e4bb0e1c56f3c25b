// verb "reprocess": the "Reprocess after fixing" button (completion notice, watch notice, a choose
// card). The members in error are read again now; the card only names the group or user.
import { cardResponse } from '../invoke';
import { noticeCard } from '../cards/notice';
import { reprocessQuery } from '../reprocess';
import { trackCard } from './common';
import type { ActionHandler } from './types';

export const reprocess: ActionHandler<'reprocess'> = async (turn, data, info) => {
  const p = data.principal;
  const answer = await reprocessQuery(turn, p.kind === 'user' ? { kind: 'user', user: p.id } : { kind: 'group', group: p.id });
  if (answer.request) await trackCard(turn, answer.request, info);
  return cardResponse(answer.card ?? noticeCard({ text: answer.text ?? turn.t.reprocess.askWhich }));
};

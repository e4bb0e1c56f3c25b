// Helpers shared by the verb handlers.
import type { ChangeRequest, WorkflowResult } from '../../requests/types';
import { eligibleApprovers } from '../../requests/approvers';
import type { Turn } from '../turn';
import type { InvokeInfo } from './types';
import { cardAttachment, type AdaptiveCard } from '../cards/render';
import { errorCard } from '../cards/notice';
import { requestCard } from '../cards/request';
import { refusalText } from '../refusals';

type Refusal = Extract<WorkflowResult, { ok: false }>;

/** Remember the clicked card as showing this request, so later changes update it in place. */
export async function trackCard(turn: Turn, request: ChangeRequest, info: InvokeInfo, view: 'status' | 'approval' = 'status'): Promise<void> {
  if (!info.replyToId) return;
  await turn.conv.addCard(request.id, { conversationKey: turn.conversationKey, activityId: info.replyToId, view, lang: turn.lang });
}

/** Replace the clicked card for everyone (the invoke answer only replaces it for the clicker). */
export function updateForEveryone(turn: Turn, info: InvokeInfo, card: AdaptiveCard): void {
  const id = info.replyToId;
  if (!id) return;
  turn.later('update the card for everyone', () => turn.conv.update(turn.conversationKey, id, cardAttachment(card)));
}

/** A refusal: the request's current card with the reason on top, or just the reason. */
export function refusalCard(turn: Turn, res: Refusal, id: string, action?: 'approve' | 'reject' | 'cancel' | 'undo' | 'pause' | 'resume'): AdaptiveCard {
  const text = refusalText(turn.t, res, id, action);
  if (res.request) return requestCard(turn.t, res.request, { view: 'status', note: { text, tone: 'block' } });
  return errorCard(text);
}

/** Teams ids of the people who may approve `request` (for refresh userIds). */
export async function approverTeamsIds(turn: Turn, request: ChangeRequest): Promise<string[]> {
  try {
    return await turn.conv.teamsIds(await eligibleApprovers(turn.deps.approvers, request));
  } catch (err) {
    turn.log.warn('approvers.list_failed', { error: String(err) });
    return [];
  }
}

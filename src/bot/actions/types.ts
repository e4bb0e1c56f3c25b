import type { InvokeResponse } from '../sdk';
import type { Turn } from '../turn';
import type { ActionDataOf, Verb } from './data';

export interface InvokeInfo {
  /** The card's activity id: the card to update in place. */
  replyToId?: string;
  /** manual (a click) or automatic (a refresh). */
  trigger?: string;
}

export type ActionHandler<V extends Verb> = (turn: Turn, data: ActionDataOf<V>, info: InvokeInfo) => Promise<InvokeResponse>;

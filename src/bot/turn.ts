// One accepted activity: who is behind it, in which language to answer, and the shared services.
import type { Activity, TurnContext } from './sdk';
import type { PrincipalRef, ReadProgress } from '../licensing/model';
import type { Actor } from '../requests/types';
import type { BotDeps, Logger } from './deps';
import type { Conversations } from './conversations';
import type { ChoiceStore } from './choices';
import type { Messages } from '../i18n';
import type { Lang } from './parser';

export interface Turn {
  ctx: TurnContext;
  deps: BotDeps;
  conv: Conversations;
  log: Logger;
  /** From activity.from.aadObjectId (looked up in the directory) and the activity's tenant. */
  actor: Actor;
  person: PrincipalRef;
  lang: Lang;
  t: Messages;
  /** Key of this conversation's stored reference (conv:<id>). */
  conversationKey: string;
  /** Long user lists kept server-side for card buttons (src/bot/choices.ts). */
  choices: ChoiceStore;
  /** Work that must not delay the answer (card updates, notices). */
  later(what: string, task: () => Promise<void>): void;
  /** Posts an activity in this chat: in the turn while it lasts, then proactively (jobs.ts). Never use ctx.sendActivity. */
  send(activity: Partial<Activity>): Promise<string | undefined>;
  /** How far a long read has come, for the progress card. */
  progress(p: ReadProgress): void;
  /** Aborted when a newer command in this chat supersedes the work. */
  signal: AbortSignal;
}

/**
 * The activity's tenant: conversation.tenantId and channelData.tenant.id (Teams sends both, the
 * same). Either alone is taken; when both are there and disagree the activity has no tenant (it
 * is refused): which of the two a forger filled in cannot be told.
 */
export function activityTenant(activity: TurnContext['activity']): string | undefined {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const fromConversation = text(activity.conversation?.tenantId);
  const fromChannel = text((activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id);
  if (fromConversation && fromChannel && fromConversation.toLowerCase() !== fromChannel.toLowerCase()) return undefined;
  return fromConversation ?? fromChannel;
}

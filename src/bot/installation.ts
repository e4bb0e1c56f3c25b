// Teams' installation events (conversationUpdate with the bot among membersAdded/membersRemoved,
// and installationUpdate add/remove), one family of activities:
//   personal chat   the person's chat becomes known: an approver gets the approval cards of the
//                   requests waiting for them that never reached them (after a proactive
//                   installation, or when they open Plan Switch for the first time)
//   channel / group chat, added by an approver
//                   it becomes an approvals channel (approvals-channels.ts): every approval card
//                   is posted there from now on
//   removed         an approvals channel is dropped, with a log line and a notice to the approvers
// Teams sends both activities for one installation; what is said is said once.
import { ActivityTypes, type Activity, type TurnContext } from './sdk';
import type { ChangeRequest } from '../requests/types';
import type { ApproverReach } from './approver-reach';
import { channelLabel, type ApprovalsChannel } from './approvals-channels';
import type { Conversations } from './conversations';
import { convKey } from './conversations';
import type { BotDeps, Logger } from './deps';
import { messagesFor, pickLang } from '../i18n';
import { activityTenant } from './turn';
import { helpCard } from './cards/help';
import { noticeCard } from './cards/notice';
import { cardAttachment } from './cards/render';

export interface InstallationContext {
  deps: BotDeps;
  conv: Conversations;
  log: Logger;
  /** Runs after the turn is answered (card updates), tracked by the bot's whenIdle(). */
  later(what: string, task: () => Promise<void>): void;
}

type Scope = 'personal' | 'channel' | 'groupChat';

function scopeOf(a: Partial<Activity>): Scope {
  const t = a.conversation?.conversationType;
  return t === 'channel' ? 'channel' : t === 'groupChat' || (a.conversation?.isGroup && t !== 'personal') ? 'groupChat' : 'personal';
}

/** "IT › Licenses" from a channel's channelData (team and channel names), or a group chat's topic. */
export function placeName(a: Partial<Activity>): string | undefined {
  const cd = (a.channelData ?? {}) as { team?: { id?: string; name?: string }; channel?: { id?: string; name?: string } };
  if (scopeOf(a) === 'channel') {
    const team = cd.team?.name?.trim();
    // The General channel has the team's id and, in Teams' events, often no name.
    const channel = cd.channel?.name?.trim() || (cd.channel?.id && cd.channel.id === cd.team?.id ? 'General' : undefined);
    return [team, channel].filter(Boolean).join(' › ') || a.conversation?.name || undefined;
  }
  return a.conversation?.name?.trim() || undefined;
}

export async function onInstallation(ctx: TurnContext, x: InstallationContext): Promise<void> {
  const a = ctx.activity;
  const botId = a.recipient?.id;
  const added =
    (a.type === ActivityTypes.InstallationUpdate && /^add/i.test(a.action ?? '')) ||
    (a.type === ActivityTypes.ConversationUpdate && (a.membersAdded ?? []).some((m) => m.id === botId));
  const removed =
    (a.type === ActivityTypes.InstallationUpdate && /^remove/i.test(a.action ?? '')) ||
    (a.type === ActivityTypes.ConversationUpdate && (a.membersRemoved ?? []).some((m) => m.id === botId));
  if (!added && !removed) return;
  const tenant = activityTenant(a);
  if (!tenant || tenant.toLowerCase() !== x.deps.tenantId.toLowerCase()) return;
  const scope = scopeOf(a);
  const reach = x.deps.reach;

  if (removed) {
    if (scope === 'personal' || !reach || !a.conversation?.id) return;
    const dropped = await reach.channels.drop(a.conversation.id, 'removed', { by: a.from?.aadObjectId ?? null });
    if (dropped) x.later('tell the approvers a channel was dropped', () => reach.channelDropped(dropped));
    return;
  }

  const lang = pickLang(undefined, a.locale);
  const t = messagesFor(lang);
  // Store the conversation so notices can reach it.
  await x.conv.remember(a, lang);
  const aad = a.from?.aadObjectId;
  const actor = aad ? { id: aad, tenantId: tenant, ...(a.from?.name ? { name: a.from.name } : {}) } : undefined;
  const isApprover = actor ? await x.deps.approvers.isApprover(actor).catch(() => false) : false;
  const botAdded = a.type === ActivityTypes.ConversationUpdate;

  if (scope === 'personal') {
    // Say hello once (Teams sends both activities); then what waits for an approver.
    if (botAdded) await ctx.sendActivity({ attachments: [cardAttachment(helpCard(t))] });
    if (actor && isApprover && reach) x.later('send the approval cards waiting for a new approver', () => deliverWaiting(x, reach, actor));
    return;
  }

  if (actor && isApprover && reach && a.conversation?.id) {
    const name = placeName(a);
    const channel: ApprovalsChannel = {
      key: convKey(a.conversation.id),
      conversationId: a.conversation.id,
      kind: scope,
      ...(name ? { name } : {}),
      addedBy: actor.id,
    };
    if (await reach.channels.add(channel)) {
      await ctx.sendActivity({ attachments: [cardAttachment(noticeCard({ text: t.reach.channelAdded(channelLabel(t, channel)), tone: 'done' }))] });
    }
    return;
  }
  if (botAdded) await ctx.sendActivity({ attachments: [cardAttachment(noticeCard({ text: t.reach.channelHello }))] });
}

/** The approval cards of every request waiting for `actor` that never reached them, then the requesters' cards updated. */
async function deliverWaiting(x: InstallationContext, reach: ApproverReach, actor: { id: string; tenantId: string }): Promise<void> {
  const waiting: ChangeRequest[] = await x.deps.requests.pending(actor);
  if (!waiting.length) return;
  const changed = await reach.deliverAfterInstall(actor.id, waiting);
  if (changed.length && x.deps.onReachChanged) for (const r of changed) await x.deps.onReachChanged(r);
}

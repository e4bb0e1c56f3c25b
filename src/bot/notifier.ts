// RequestNotifier over proactive Teams messages. The workflow calls it on every transition:
//   requested   approval cards to the approvers: in the request's conversation (with refresh so
//               approvers see Approve/Reject and others the status) and in each approver's
//               personal chat where a conversation reference exists
//   any change  every card that shows the request is updated in place
//   decided/finished  a notice in the request's conversation (completion: members done, in error
//               and why, what next)
// Conversation references come from the durable store, so this works after a restart.
import { CardFactory } from 'botbuilder';
import type { PlanInfo, TrackingProgress } from '../licensing/model';
import type { ChangeRequest, RequestEvent, RequestNotifier } from '../requests/types';
import type { ApproversPort, Logger } from './deps';
import type { Conversations } from './conversations';
import { messagesFor } from './i18n';
import { noticeCard } from './cards/notice';
import { progressText, requestCard } from './cards/request';
import { resultCard } from './cards/result';
import { md } from './cards/render';

const NOTICE_EVENTS: readonly RequestEvent[] = ['rejected', 'cancelled', 'expired', 'worsened', 'completed', 'failed', 'partial'];

export interface NotifierOptions {
  /** Minimum time between two progress updates of one request's cards (default 5 s). */
  progressEveryMs?: number;
  now?: () => number;
  /** The tenant's plans and seats, read when a change has run so its cards show the seats after it. */
  plans?: () => Promise<PlanInfo[]>;
}

const RAN: readonly ChangeRequest['state'][] = ['completed', 'partial', 'failed'];

export class BotNotifier implements RequestNotifier {
  private readonly lastProgress = new Map<string, number>();
  private readonly progressEveryMs: number;
  private readonly now: () => number;

  constructor(
    private readonly conv: Conversations,
    private readonly approvers: ApproversPort,
    private readonly log: Logger,
    opts: NotifierOptions = {},
  ) {
    this.progressEveryMs = opts.progressEveryMs ?? 5_000;
    this.now = opts.now ?? Date.now;
    this.plans = opts.plans;
  }

  private readonly plans?: () => Promise<PlanInfo[]>;

  /** Seats after a change that ran; undefined when not wanted or not readable (the cards then label the check's figures). */
  private async seatsAfter(r: ChangeRequest): Promise<PlanInfo[] | undefined> {
    if (!this.plans || !RAN.includes(r.state) || !r.result?.swap?.changed.length) return undefined;
    try {
      return await this.plans();
    } catch (err) {
      this.log.warn('notice.seats_unreadable', { changeId: r.id, error: String(err) });
      return undefined;
    }
  }

  async changed(request: ChangeRequest, event: RequestEvent): Promise<void> {
    if (event === 'requested') {
      await this.askApprovers(request);
      return;
    }
    const plans = await this.seatsAfter(request);
    await this.updateCards(request, undefined, plans);
    if (NOTICE_EVENTS.includes(event)) {
      this.lastProgress.delete(request.id);
      await this.notice(request, event, plans);
    }
  }

  async progress(request: ChangeRequest, p: TrackingProgress): Promise<void> {
    const last = this.lastProgress.get(request.id) ?? 0;
    const now = this.now();
    if (now - last < this.progressEveryMs) return;
    this.lastProgress.set(request.id, now);
    await this.updateCards(request, p);
  }

  /** Entra ids of everyone who may approve this request (not the requester unless self-approval is on). */
  private async eligibleApprovers(r: ChangeRequest): Promise<string[]> {
    const out: string[] = [];
    for (const id of await this.approvers.approverIds()) {
      if ((await this.approvers.canApprove({ id, tenantId: r.requester.tenantId }, r)).ok) out.push(id);
    }
    return out;
  }

  private async askApprovers(r: ChangeRequest): Promise<void> {
    const approvers = await this.eligibleApprovers(r);
    if (!approvers.length) this.log.warn('notice.no_approvers', { changeId: r.id });
    const teamsIds = this.conv.teamsIds(approvers);
    const sent = new Set<string>();

    // In the request's conversation: the status for everyone, Approve/Reject for approvers (refresh).
    // Not in the requester's own personal chat unless they may approve it themselves: no approver
    // would see it there, and the requester's card already shows the status.
    const where = r.conversationKey ? this.conv.ref(r.conversationKey) : undefined;
    const personal = where?.conversation?.conversationType === 'personal';
    const requesterApproves = approvers.some((a) => a.toLowerCase() === r.requester.id.toLowerCase());
    if (r.conversationKey && where && (!personal || requesterApproves)) {
      const lang = this.conv.langOf(r.conversationKey);
      const card = requestCard(messagesFor(lang), r, { view: 'status', refreshUserIds: teamsIds });
      const id = await this.safeSend(r.conversationKey, card);
      if (id) this.conv.addCard(r.id, { conversationKey: r.conversationKey, activityId: id, view: 'status', lang });
      sent.add(r.conversationKey);
    }

    // In each approver's personal chat.
    for (const aad of approvers) {
      const key = this.conv.personalChatKey(aad);
      if (!key || sent.has(key)) continue;
      sent.add(key);
      const lang = this.conv.langOf(key);
      const own = this.conv.teamsIds([aad]);
      const card = requestCard(messagesFor(lang), r, { view: 'approval', refreshUserIds: own });
      const id = await this.safeSend(key, card);
      if (id) this.conv.addCard(r.id, { conversationKey: key, activityId: id, view: 'approval', lang });
    }
  }

  private async updateCards(r: ChangeRequest, p?: TrackingProgress, plans?: PlanInfo[]): Promise<void> {
    const cards = this.conv.cards(r.id);
    if (!cards.length) return;
    const pending = r.state === 'pending';
    const refreshUserIds = pending ? this.conv.teamsIds(await this.eligibleApprovers(r)) : [];
    for (const c of cards) {
      const t = messagesFor(c.lang);
      const progress = p ? progressText(t, p) : undefined;
      const card = requestCard(t, r, {
        view: c.view === 'approval' && pending ? 'approval' : 'status',
        ...(progress ? { progress } : {}),
        ...(plans ? { plans } : {}),
        ...(pending ? { refreshUserIds } : {}),
      });
      try {
        await this.conv.update(c.conversationKey, c.activityId, CardFactory.adaptiveCard(card));
      } catch (err) {
        this.log.warn('notice.card_update_failed', { changeId: r.id, conversationKey: c.conversationKey, error: String(err) });
      }
    }
  }

  private async notice(r: ChangeRequest, event: RequestEvent, plans?: PlanInfo[]): Promise<void> {
    const key = r.conversationKey;
    if (!key || !this.conv.ref(key)) return;
    const t = messagesFor(this.conv.langOf(key));
    let card;
    switch (event) {
      case 'rejected':
        card = noticeCard({
          title: t.request.statusTitle(md(r.id)),
          text: t.request.rejectedBy(md(r.approver?.name || r.approver?.id || '?')),
          tone: 'block',
          details: [...(r.result?.reason ? [t.request.reason(md(r.result.reason))] : []), t.common.nothingChanged],
        });
        break;
      case 'cancelled':
        card = noticeCard({
          title: t.request.statusTitle(md(r.id)),
          text: r.result?.cancelledBy ? t.request.cancelledBy(md(r.result.cancelledBy.name || r.result.cancelledBy.id)) : t.preflight.cancelled,
          ...(r.result?.reason ? { details: [t.request.reason(md(r.result.reason))] } : {}),
        });
        break;
      case 'expired':
        card = noticeCard({ title: t.request.statusTitle(md(r.id)), text: t.request.expiredNote, tone: 'warn' });
        break;
      default:
        card = resultCard(t, r, plans);
    }
    await this.safeSend(key, card);
  }

  private async safeSend(key: string, card: ReturnType<typeof noticeCard>): Promise<string | undefined> {
    try {
      return await this.conv.send(key, { type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
    } catch (err) {
      this.log.warn('notice.send_failed', { conversationKey: key, error: String(err) });
      return undefined;
    }
  }
}

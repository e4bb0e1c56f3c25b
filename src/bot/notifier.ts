// RequestNotifier over proactive Teams messages. The workflow calls it on every transition:
//   requested   approval cards to the approvers (approver-reach.ts): the request's conversation,
//               each approver's personal chat, every approvals channel; the requester's card
//               then names who was reached, and a notice says so when nobody was
//   reminder    the approval cards again, once (APPROVAL_REMINDER)
//   any change  every card that shows the request is updated in place
//   decided/finished  a notice in the request's conversation (completion: members done, in error
//               and why, what next)
// Conversation references come from the durable store, so this works after a restart.
import { CardFactory } from './sdk';
import type { PlanInfo, TrackingProgress } from '../licensing/model';
import type { ChangeRequest, RequestEvent, RequestNotifier } from '../requests/types';
import type { ApproversPort, Logger } from './deps';
import type { Conversations } from './conversations';
import { messagesFor } from '../i18n';
import { noticeCard } from './cards/notice';
import { waveTotals } from '../requests/waves';
import { progressText, requestCard } from './cards/request';
import { resultCard } from './cards/result';
import { md } from './cards/render';
import { action } from './cards/common';
import { specToData } from './actions/data';
import { ApprovalsChannels } from './approvals-channels';
import { ApproverReach, nobodyReached, reachLines } from './approver-reach';
import { stampLang } from './card-data';
import { pausedText, waveActions, waveMisses, waveProgressText } from './cards/waves';

const NOTICE_EVENTS: readonly RequestEvent[] = ['rejected', 'cancelled', 'expired', 'worsened', 'completed', 'failed', 'partial', 'paused'];

export interface NotifierOptions {
  /** Minimum time between two progress updates of one request's cards (default 5 s). */
  progressEveryMs?: number;
  now?: () => number;
  /** The tenant's plans and seats, read when a change has run so its cards show the seats after it. */
  plans?: () => Promise<PlanInfo[]>;
  /** Who the approval cards go to (personal chats, approvals channels, app installation). */
  reach?: ApproverReach;
}

const RAN: readonly ChangeRequest['state'][] = ['completed', 'partial', 'failed'];

export class BotNotifier implements RequestNotifier {
  private readonly lastProgress = new Map<string, number>();
  private readonly progressEveryMs: number;
  private readonly now: () => number;

  private readonly reach: ApproverReach;

  constructor(
    private readonly conv: Conversations,
    approvers: ApproversPort,
    private readonly log: Logger,
    opts: NotifierOptions = {},
  ) {
    this.reach = opts.reach ?? new ApproverReach(conv, approvers, new ApprovalsChannels(conv, log), log);
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

  /** The approval cards, then the truth to the requester: their card names who was reached; a notice when nobody was. */
  private async askApprovers(r: ChangeRequest): Promise<void> {
    const rec = await this.reach.ask(r);
    await this.updateCards(r, undefined, undefined, r.conversationKey);
    const key = r.conversationKey;
    if (!nobodyReached(rec) || !key || !(await this.conv.ref(key))) return;
    const t = messagesFor(await this.conv.langOf(key));
    const lines = reachLines(t, rec);
    await this.safeSend(key, noticeCard({ title: t.request.statusTitle(md(r.id)), text: lines[0]?.text ?? t.reach.nobody(''), tone: 'warn' }));
  }

  /** The request reached someone more (an approver's installation event): the requester's card says so. */
  async reachChanged(r: ChangeRequest): Promise<void> {
    await this.updateCards(r, undefined, undefined, r.conversationKey);
  }

  /** APPROVAL_REMINDER: the approval card again, wherever it reached. */
  async reminder(r: ChangeRequest): Promise<void> {
    await this.reach.remind(r);
  }

  /** Every card of the request (or only those in `onlyIn`), redrawn for where it stands now. */
  private async updateCards(r: ChangeRequest, p?: TrackingProgress, plans?: PlanInfo[], onlyIn?: string): Promise<void> {
    const cards = (await this.conv.cards(r.id)).filter((c) => !onlyIn || c.conversationKey === onlyIn);
    if (!cards.length) return;
    const pending = r.state === 'pending';
    const refreshUserIds = pending ? await this.conv.teamsIds(await this.reach.eligible(r)) : [];
    const rec = pending ? await this.reach.record(r.id) : undefined;
    const channels = pending ? new Set((await this.reach.channels.list()).map((c) => c.key)) : new Set<string>();
    for (const c of cards) {
      const t = messagesFor(c.lang);
      const progress = p ? progressText(t, p) : undefined;
      const inChannel = channels.has(c.conversationKey);
      const card = requestCard(t, r, {
        view: c.view === 'approval' && pending ? 'approval' : 'status',
        ...(progress ? { progress } : {}),
        ...(plans ? { plans } : {}),
        ...(pending ? { refreshUserIds } : {}),
        // The requester's side says who was reached; the approvers' cards do not need it.
        ...(pending && c.view === 'status' && !inChannel ? { reach: reachLines(t, rec) } : {}),
        ...(inChannel ? { showMyOptions: true } : {}),
      });
      try {
        await this.conv.update(c.conversationKey, c.activityId, CardFactory.adaptiveCard(stampLang(card, c.lang)));
      } catch (err) {
        this.log.warn('notice.card_update_failed', { changeId: r.id, conversationKey: c.conversationKey, error: String(err) });
      }
    }
  }

  /**
   * A run paused between waves: the requester's conversation and every conversation showing the
   * request (the approvers' chats, approvals channels) get why, per person, and what to do.
   */
  private async pausedNotice(r: ChangeRequest): Promise<void> {
    const w = r.result?.waves;
    if (!w) return;
    const keys = new Set<string>([...(r.conversationKey ? [r.conversationKey] : []), ...(await this.conv.cards(r.id)).map((c) => c.conversationKey)]);
    for (const key of keys) {
      if (!(await this.conv.ref(key))) continue;
      const t = messagesFor(await this.conv.langOf(key));
      const misses = waveMisses(t, w);
      const card = noticeCard({
        title: t.waves.paused(md(r.id)),
        text: pausedText(t, w),
        tone: 'warn',
        details: [
          waveProgressText(t, w),
          ...(misses.failedTotal ? [t.waves.whyTitle(misses.failedTotal), ...misses.failed] : []),
          ...(misses.skippedTotal ? [t.waves.skippedTitle(misses.skippedTotal), ...misses.skipped] : []),
          t.waves.pausedNext(md(r.id)),
        ],
        actions: waveActions(t, r),
      });
      await this.safeSend(key, card);
    }
  }

  private async notice(r: ChangeRequest, event: RequestEvent, plans?: PlanInfo[]): Promise<void> {
    if (event === 'paused') {
      await this.pausedNotice(r);
      return;
    }
    const key = r.conversationKey;
    if (!key || !(await this.conv.ref(key))) return;
    const t = messagesFor(await this.conv.langOf(key));
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
        if (r.result?.waves) {
          // Cancelled between waves: what ran stays changed (undo reverses it).
          const w = r.result.waves;
          const by = r.result.cancelledBy;
          card = noticeCard({
            title: t.request.statusTitle(md(r.id)),
            text: t.waves.cancelled(w.next, w.count, waveTotals(w).done),
            tone: 'warn',
            details: [...(by ? [`${t.request.cancelledByLabel}: ${md(by.name || by.id)}`] : []), ...(r.result.reason ? [t.request.reason(md(r.result.reason))] : [])],
            ...(r.result.swap?.changed.length && !r.undoOf ? { actions: [action(t.request.undo, 'undo', { requestId: r.id })] } : {}),
          });
          break;
        }
        card = noticeCard({
          title: t.request.statusTitle(md(r.id)),
          text: r.result?.cancelledBy ? t.request.cancelledBy(md(r.result.cancelledBy.name || r.result.cancelledBy.id)) : t.preflight.cancelled,
          ...(r.result?.reason ? { details: [t.request.reason(md(r.result.reason))] } : {}),
        });
        break;
      case 'expired':
        // One click asks again: the request verb runs a fresh preflight of the same change.
        card = noticeCard({
          title: t.request.statusTitle(md(r.id)),
          text: t.request.expiredNote,
          tone: 'warn',
          actions: [action(t.reach.askAgain, 'request', { spec: specToData(r.spec) }, 'positive')],
        });
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

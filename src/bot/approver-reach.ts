// Reaching the approvers of a request, and telling the requester the truth about it. In Teams a
// bot can only message someone whose conversation it already knows, so for each eligible
// approver the approval card goes to
//   their personal chat with Plan Switch, when they have one;
//   else, with TEAMS_APP_ID and the Graph permission, the app is installed for them and the card
//     follows Teams' installation event (installation.ts calls deliverAfterInstall);
//   else nowhere: they are named as not reached;
// and to every approvals channel (approvals-channels.ts), where the card shows the status to
// everyone and Approve/Reject to approvers (refresh userIds, and "Show my options" because Teams
// refreshes automatically for at most 60 people). What was reached is kept per request
// (reach:<id>), so every later rendering of the requester's card says it.
import { CardFactory, type ConversationReference } from './sdk';
import type { ChangeRequest } from '../requests/types';
import type { Person, ReachRecord } from '../requests/conversation-store';
import { eligibleApprovers } from '../requests/approvers';
import type { ApproversPort, Logger } from './deps';
import type { Conversations } from './conversations';
import { channelLabel, isRefusedPost, type ApprovalsChannel, type ApprovalsChannels } from './approvals-channels';
import { messagesFor, type Messages } from '../i18n';
import { formatTime, requestCard } from './cards/request';
import { noticeCard } from './cards/notice';
import { md, type AdaptiveCard } from './cards/render';
import type { Tone } from './cards/common';

/** Installs the Teams app for a person (src/graph/teams-apps.ts through the composition root). */
export interface AppInstaller {
  install(userId: string): Promise<'installed' | 'already' | 'denied' | 'unknown' | 'failed'>;
}

/** Display names of directory users the bot has not met (the license service's resolveUser). */
export interface Directory {
  displayName(id: string): Promise<string | undefined>;
}

export type { Person, ReachRecord };

export interface ApproverReachOptions {
  installer?: AppInstaller;
  directory?: Directory;
}

const INSTALL_WAIT_MS = 15 * 60_000;

/** The lines the requester's card shows about who was reached, in the reader's language. */
export function reachLines(t: Messages, rec: ReachRecord | undefined): { text: string; tone: Tone }[] {
  if (!rec) return [];
  if (rec.noApprovers) return [{ text: t.reach.noneConfigured, tone: 'block' }];
  const names = (people: Person[]) => people.map((p) => md(p.name));
  const out: { text: string; tone: Tone }[] = [];
  if (rec.people.length || rec.places.length)
    out.push({
      text: t.reach.sentTo(
        names(rec.people),
        rec.places.map((p) => channelLabel(t, p)),
      ),
      tone: 'done',
    });
  if (rec.installing.length) out.push({ text: t.reach.installing(t.reach.list(names(rec.installing))), tone: 'info' });
  if (!rec.people.length && !rec.places.length && !rec.installing.length) out.push({ text: t.reach.nobody(t.reach.orList(names(rec.unreached))), tone: 'block' });
  else if (rec.unreached.length) out.push({ text: t.reach.notReached(t.reach.list(names(rec.unreached))), tone: 'warn' });
  return out;
}

/** True when the requester must act: nobody got the card and nothing is on its way. */
export function nobodyReached(rec: ReachRecord): boolean {
  return !!rec.noApprovers || (!rec.people.length && !rec.places.length && !rec.installing.length);
}

export class ApproverReach {
  /** The installer said the Graph permission is missing: logged once, then not asked again until a restart. */
  private installDenied = false;

  constructor(
    private readonly conv: Conversations,
    private readonly approvers: ApproversPort,
    readonly channels: ApprovalsChannels,
    private readonly log: Logger,
    private readonly opts: ApproverReachOptions = {},
  ) {}

  /** Entra ids of everyone who may approve this request (not the requester unless self-approval is on). */
  eligible(r: ChangeRequest): Promise<string[]> {
    return eligibleApprovers(this.approvers, r);
  }

  async record(requestId: string): Promise<ReachRecord | undefined> {
    return this.conv.store.reach(requestId);
  }

  /** Sends the approval cards of a new request and records who they reached. */
  async ask(r: ChangeRequest): Promise<ReachRecord> {
    const approvers = await this.eligible(r);
    const rec: ReachRecord = { people: [], places: [], installing: [], unreached: [] };
    if (!approvers.length) {
      this.log.warn('notice.no_approvers', { changeId: r.id });
      rec.noApprovers = true;
      await this.conv.store.saveReach(r.id, rec);
      return rec;
    }
    const teamsIds = await this.conv.teamsIds(approvers);
    const sent = new Set<string>();

    // In the request's conversation: the status for everyone, Approve/Reject for approvers (refresh).
    // Not in the requester's own personal chat unless they may approve it themselves: no approver
    // would see it there, and the requester's card already shows the status.
    const where = r.conversationKey ? await this.conv.ref(r.conversationKey) : undefined;
    const personal = where?.conversation?.conversationType === 'personal';
    const requesterApproves = approvers.some((a) => a.toLowerCase() === r.requester.id.toLowerCase());
    if (r.conversationKey && where && (!personal || requesterApproves)) {
      const lang = await this.conv.langOf(r.conversationKey);
      const card = requestCard(messagesFor(lang), r, { view: 'status', refreshUserIds: teamsIds });
      const id = await this.send(r.conversationKey, card);
      if (id) await this.conv.addCard(r.id, { conversationKey: r.conversationKey, activityId: id, view: 'status', lang });
      sent.add(r.conversationKey);
    }

    // Each approver's personal chat; the ones without one are installed for, or named.
    const missing: string[] = [];
    for (const aad of approvers) {
      const key = await this.conv.personalChatKey(aad);
      if (!key) {
        missing.push(aad);
        continue;
      }
      if (sent.has(key) || (await this.sendApproval(r, aad, key))) {
        sent.add(key);
        rec.people.push(await this.person(aad));
      } else missing.push(aad);
    }
    for (const aad of missing) {
      if (await this.install(aad)) rec.installing.push(await this.person(aad));
      else rec.unreached.push(await this.person(aad));
    }

    // Every approvals channel.
    const template = where ?? (await this.anyRef(approvers));
    for (const ch of await this.channels.list()) {
      if (sent.has(ch.key)) {
        rec.places.push(place(ch));
        continue;
      }
      if (await this.postToChannel(r, ch, teamsIds, template, rec)) {
        sent.add(ch.key);
        rec.places.push(place(ch));
      }
    }
    await this.conv.store.saveReach(r.id, rec);
    this.log.info('request.reach', {
      changeId: r.id,
      people: rec.people.length,
      places: rec.places.length,
      installing: rec.installing.length,
      unreached: rec.unreached.map((p) => p.id),
    });
    return rec;
  }

  /**
   * The approver's personal chat just became known (Teams' installation event): the approval
   * cards of `pending` requests that did not reach them go there now. Returns the requests whose
   * record changed (their requester's card says so on its next update).
   */
  async deliverAfterInstall(aad: string, pending: ChangeRequest[]): Promise<ChangeRequest[]> {
    const key = await this.conv.personalChatKey(aad);
    if (!key) return [];
    const changed: ChangeRequest[] = [];
    for (const r of pending) {
      const rec = await this.record(r.id);
      if (rec?.people.some((p) => same(p.id, aad))) continue;
      if (!(await this.sendApproval(r, aad, key))) continue;
      const person = rec?.installing.find((p) => same(p.id, aad)) ?? rec?.unreached.find((p) => same(p.id, aad)) ?? (await this.person(aad));
      const next: ReachRecord = rec ?? { people: [], places: [], installing: [], unreached: [] };
      next.people = [...next.people, person];
      next.installing = next.installing.filter((p) => !same(p.id, aad));
      next.unreached = next.unreached.filter((p) => !same(p.id, aad));
      await this.conv.store.saveReach(r.id, next);
      this.log.info('request.reach_after_install', { changeId: r.id, approver: aad });
      changed.push(r);
    }
    return changed;
  }

  /** The one reminder: the approval card again, with a reminder line, wherever it reached. */
  async remind(r: ChangeRequest): Promise<void> {
    const rec = await this.record(r.id);
    const note = (t: Messages) => ({ text: t.reach.reminder(formatTime(r.expiresAt)), tone: 'warn' as Tone });
    for (const p of rec?.people ?? []) {
      const key = await this.conv.personalChatKey(p.id);
      if (key) await this.sendApproval(r, p.id, key, note);
    }
    const approvers = await this.eligible(r);
    const teamsIds = await this.conv.teamsIds(approvers);
    const channels = await this.channels.list();
    for (const pl of rec?.places ?? []) {
      const ch = channels.find((c) => c.conversationId === pl.conversationId);
      if (ch) await this.postToChannel(r, ch, teamsIds, undefined, undefined, note);
    }
  }

  /**
   * A notice that is not a request (the error watch): each approver's personal chat, in their
   * language, and every approvals channel. Returns how many places it reached.
   */
  async tellApprovers(card: (t: Messages) => AdaptiveCard): Promise<number> {
    const approvers = [...(await this.approvers.approverIds())];
    const sent = new Set<string>();
    for (const aad of approvers) {
      const key = await this.conv.personalChatKey(aad);
      if (!key || sent.has(key)) continue;
      if (await this.send(key, card(messagesFor(await this.conv.langOf(key))))) sent.add(key);
    }
    const template = await this.anyRef(approvers);
    for (const ch of await this.channels.list()) {
      if (sent.has(ch.key) || !(await this.channels.ref(ch, template))) continue;
      if (await this.send(ch.key, card(messagesFor(await this.conv.langOf(ch.key))))) sent.add(ch.key);
    }
    return sent.size;
  }

  /** Tells the approvers the bot can still reach that a channel was dropped. */
  async channelDropped(ch: ApprovalsChannel): Promise<void> {
    for (const aad of await this.approvers.approverIds()) {
      const key = await this.conv.personalChatKey(aad);
      if (!key) continue;
      const t = messagesFor(await this.conv.langOf(key));
      await this.send(key, noticeCard({ text: t.reach.channelDropped(channelLabel(t, ch)), tone: 'warn' }));
    }
  }

  private async sendApproval(r: ChangeRequest, aad: string, key: string, note?: (t: Messages) => { text: string; tone: Tone }): Promise<boolean> {
    const lang = await this.conv.langOf(key);
    const t = messagesFor(lang);
    const own = await this.conv.teamsIds([aad]);
    const card = requestCard(t, r, { view: 'approval', refreshUserIds: own, ...(note ? { note: note(t) } : {}) });
    const id = await this.send(key, card);
    if (id) await this.conv.addCard(r.id, { conversationKey: key, activityId: id, view: 'approval', lang });
    return !!id;
  }

  /** Posts the channel's card; a refusal (403/404) drops the channel and tells the approvers. */
  private async postToChannel(
    r: ChangeRequest,
    ch: ApprovalsChannel,
    teamsIds: string[],
    template: Partial<ConversationReference> | undefined,
    rec?: ReachRecord,
    note?: (t: Messages) => { text: string; tone: Tone },
  ): Promise<boolean> {
    if (!(await this.channels.ref(ch, template))) {
      this.log.warn('approvals_channel.no_reference', { conversationId: ch.conversationId });
      return false;
    }
    const lang = await this.conv.langOf(ch.key);
    const t = messagesFor(lang);
    const card = requestCard(t, r, { view: 'status', refreshUserIds: teamsIds, showMyOptions: true, ...(note ? { note: note(t) } : {}) });
    try {
      const id = await this.conv.send(ch.key, { type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
      if (id) await this.conv.addCard(r.id, { conversationKey: ch.key, activityId: id, view: 'status', lang });
      return !!id;
    } catch (err) {
      if (!isRefusedPost(err)) {
        this.log.warn('notice.send_failed', { conversationKey: ch.key, error: String(err) });
        return false;
      }
      const dropped = await this.channels.drop(ch.conversationId, 'refused', { changeId: r.id, error: String(err) });
      if (dropped) {
        if (rec) rec.places = rec.places.filter((p) => p.conversationId !== ch.conversationId);
        await this.channelDropped(dropped);
      }
      return false;
    }
  }

  /** Installs the app for `aad` when configured and allowed; true when its installation event is now awaited. */
  private async install(aad: string): Promise<boolean> {
    if (!this.opts.installer || this.installDenied) return false;
    let outcome: Awaited<ReturnType<AppInstaller['install']>>;
    try {
      outcome = await this.opts.installer.install(aad);
    } catch (err) {
      this.log.warn('teams_app.install_failed', { approver: aad, error: String(err) });
      return false;
    }
    if (outcome === 'installed') {
      this.log.info('teams_app.installed', { approver: aad });
      await this.conv.store.saveInstalledAt(aad, new Date().toISOString());
      return true;
    }
    // Installed by us a moment ago for an earlier request: Teams' event is still on its way.
    const since = await this.conv.store.installedAt(aad);
    if (outcome === 'already' && since && Date.now() - Date.parse(since) < INSTALL_WAIT_MS) return true;
    if (outcome === 'denied') {
      this.installDenied = true;
      this.log.warn('teams_app.install_denied', {
        approver: aad,
        msg: 'Installing Plan Switch for an approver was refused: grant the application permission TeamsAppInstallation.ReadWriteSelfForUser.All (docs/deploy.md), or ask approvers to open Plan Switch themselves',
      });
      return false;
    }
    // 'already': installed, yet the bot never got its chat (state lost): it cannot post there.
    this.log.warn('teams_app.install_' + outcome, { approver: aad });
    return false;
  }

  private async person(aad: string): Promise<Person> {
    const met = await this.conv.store.member(aad);
    let name = met?.name;
    if (!name && this.opts.directory) name = await this.opts.directory.displayName(aad).catch(() => undefined);
    return { id: aad, name: name || aad };
  }

  /** Some stored reference of this tenant (an approver's chat), to post into a configured channel. */
  private async anyRef(approvers: string[]): Promise<Partial<ConversationReference> | undefined> {
    for (const aad of approvers) {
      const key = await this.conv.personalChatKey(aad);
      const ref = key ? await this.conv.ref(key) : undefined;
      if (ref) return ref;
    }
    return undefined;
  }

  private async send(key: string, card: AdaptiveCard): Promise<string | undefined> {
    try {
      return await this.conv.send(key, { type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
    } catch (err) {
      this.log.warn('notice.send_failed', { conversationKey: key, error: String(err) });
      return undefined;
    }
  }
}

function place(ch: ApprovalsChannel): ReachRecord['places'][number] {
  return { conversationId: ch.conversationId, kind: ch.kind, ...(ch.name ? { name: ch.name } : {}) };
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

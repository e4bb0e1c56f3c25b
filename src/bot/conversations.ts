// Conversation references and where each request's cards are shown, kept in the durable store
// (the ConversationStore port, src/requests/conversation-store.ts) so completion notices and card
// updates survive a restart. What it keeps:
//   conversations  every conversation the bot has seen (conv:<id>), and each person's own chat
//                  with it (personal:<aad object id>) for approver notices
//   members        a person's Teams id (29:...) for refresh userIds
//   cards          the card activities that show a request, to update in place
//   requests from cards  the request an "ask for approval" click created
import { TurnContext, type Activity, type Attachment, type ConversationReference } from './sdk';
import type { CardInstance, ConversationStore, MemberInfo, StoredConversation } from '../requests/conversation-store';
import type { Logger, Proactive } from './deps';
import type { Lang } from './parser';
import { langFromLocale } from '../i18n';
import { stampLang } from './card-data';

export type { CardInstance };

export const convKey = (conversationId: string) => `conv:${conversationId}`;
export const personalKey = (aadObjectId: string) => `personal:${aadObjectId.toLowerCase()}`;

const MAX_CARDS_PER_REQUEST = 50;
/** Names of records for the write-then-read ordering below (conversations go by their key). */
const memberRecord = (aadObjectId: string) => `member:${aadObjectId.toLowerCase()}`;
const cardsRecord = (requestId: string) => `cards:${requestId}`;

export class Conversations {
  /**
   * This instance's writes still on their way (a database round trip each), by record: a read of
   * that record waits for them, so a turn reads what it wrote while its writes overlap its work.
   */
  private readonly writing = new Map<string, Promise<void>>();
  /** addCard is read, change, write: one at a time per request in this process. */
  private readonly cardWrites = new Map<string, Promise<void>>();

  /** `store`: the typed records, for the bot modules that keep records of their own (approver-reach.ts, approvals-channels.ts). */
  constructor(
    readonly store: ConversationStore,
    private readonly proactive: Proactive,
    private readonly log: Logger,
  ) {}

  /** Runs a write of `record`; later reads of the record in this instance wait for it. */
  private save(record: string, write: () => Promise<void>): Promise<void> {
    const before = this.writing.get(record) ?? Promise.resolve();
    const p = before.then(write);
    this.writing.set(record, p);
    const done = () => {
      if (this.writing.get(record) === p) this.writing.delete(record);
    };
    p.then(done, done);
    return p;
  }

  private async load<T>(record: string, read: () => Promise<T>): Promise<T> {
    await this.writing.get(record)?.catch(() => undefined);
    return read();
  }

  /**
   * Called on every accepted activity. `lang` is the language the person was answered in. The
   * turn starts it, does its work meanwhile (reads of these keys wait for it), and awaits it
   * before it ends: with several instances, the next notice may be sent by another one.
   */
  async remember(activity: Partial<Activity>, lang: Lang): Promise<void> {
    try {
      const ref = TurnContext.getConversationReference(activity) as Partial<ConversationReference>;
      const withLang = { ...ref, locale: lang === 'nl' ? 'nl-NL' : activity.locale && !/^nl/i.test(activity.locale) ? activity.locale : 'en-US' } as unknown as StoredConversation;
      const writes: Promise<void>[] = [];
      const saveConversation = (key: string) => writes.push(this.save(key, () => this.store.saveConversation(key, withLang)));
      if (activity.conversation?.id) saveConversation(convKey(activity.conversation.id));
      const aad = activity.from?.aadObjectId;
      if (aad && activity.from?.id) {
        if (activity.conversation?.conversationType === 'personal') saveConversation(personalKey(aad));
        const member: MemberInfo = { teamsId: activity.from.id, ...(activity.from.name ? { name: activity.from.name } : {}) };
        const prev = await this.load(memberRecord(aad), () => this.store.member(aad));
        if (!prev || prev.teamsId !== member.teamsId || prev.name !== member.name) writes.push(this.save(memberRecord(aad), () => this.store.saveMember(aad, member)));
      }
      await Promise.all(writes);
    } catch (err) {
      this.log.warn('conversation.store_failed', { error: String(err) });
    }
  }

  async ref(conversationKey: string): Promise<Partial<ConversationReference> | undefined> {
    return (await this.load(conversationKey, () => this.store.conversation(conversationKey))) as Partial<ConversationReference> | undefined;
  }

  async langOf(conversationKey: string): Promise<Lang> {
    return langFromLocale((await this.ref(conversationKey))?.locale);
  }

  async personalChatKey(aadObjectId: string): Promise<string | undefined> {
    const key = personalKey(aadObjectId);
    return (await this.ref(key)) ? key : undefined;
  }

  /** Teams ids (29:...) of these Entra users, for those the bot has met. */
  async teamsIds(aadObjectIds: Iterable<string>): Promise<string[]> {
    const out: string[] = [];
    for (const id of aadObjectIds) {
      const m = await this.load(memberRecord(id), () => this.store.member(id));
      if (m?.teamsId) out.push(m.teamsId);
    }
    return out;
  }

  cards(requestId: string): Promise<CardInstance[]> {
    return this.load(cardsRecord(requestId), () => this.store.cards(requestId));
  }

  addCard(requestId: string, card: CardInstance): Promise<void> {
    const write = async () => {
      const list = (await this.cards(requestId)).filter((c) => !(c.conversationKey === card.conversationKey && c.activityId === card.activityId));
      list.push(card);
      await this.save(cardsRecord(requestId), () => this.store.saveCards(requestId, list.slice(-MAX_CARDS_PER_REQUEST)));
    };
    const next = (this.cardWrites.get(requestId) ?? Promise.resolve()).then(write, write);
    const settled = next.catch(() => undefined);
    this.cardWrites.set(requestId, settled);
    void settled.then(() => {
      if (this.cardWrites.get(requestId) === settled) this.cardWrites.delete(requestId);
    });
    return next;
  }

  /** The request an "ask for approval" click on this card created (a Teams retry gets the same answer). */
  requestFromCard(conversationKey: string, activityId: string): Promise<string | undefined> {
    return this.store.requestFromCard(conversationKey, activityId);
  }

  saveRequestFromCard(conversationKey: string, activityId: string, requestId: string): Promise<void> {
    return this.store.saveRequestFromCard(conversationKey, activityId, requestId);
  }

  /** Posts an activity into a stored conversation; the new activity's id, or undefined. */
  async send(conversationKey: string, activity: Partial<Activity>): Promise<string | undefined> {
    const ref = await this.ref(conversationKey);
    if (!ref) {
      this.log.warn('conversation.unknown', { conversationKey });
      return undefined;
    }
    let id: string | undefined;
    // Cards answer a click in the conversation's language (src/bot/card-data.ts).
    const lang = langFromLocale(ref.locale);
    const stamped = activity.attachments ? { ...activity, attachments: activity.attachments.map((a) => stampAttachment(a, lang)) } : activity;
    await this.proactive.continue(ref, async (ctx) => {
      const res = await ctx.sendActivity(stamped);
      id = res?.id;
    });
    return id;
  }

  /** Replaces a card in place for everyone. */
  async update(conversationKey: string, activityId: string, attachment: Attachment): Promise<void> {
    await this.replace(conversationKey, activityId, { type: 'message', attachments: [attachment] });
  }

  /** Replaces a posted activity (a progress card becomes the answer). */
  async replace(conversationKey: string, activityId: string, activity: Partial<Activity>): Promise<void> {
    const ref = await this.ref(conversationKey);
    if (!ref) return;
    await this.proactive.continue(ref, async (ctx) => {
      const lang = langFromLocale(ref.locale);
      const stamped = activity.attachments ? { ...activity, attachments: activity.attachments.map((x) => stampAttachment(x, lang)) } : activity;
      await ctx.updateActivity({ type: 'message', ...stamped, id: activityId, conversation: ref.conversation } as Partial<Activity>);
    });
  }
}

function stampAttachment(a: Attachment, lang: Lang): Attachment {
  return a.contentType === 'application/vnd.microsoft.card.adaptive' && a.content ? { ...a, content: stampLang(a.content, lang) } : a;
}

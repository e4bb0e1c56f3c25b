// Conversation references and where each request's cards are shown, kept in the durable store so
// completion notices and card updates survive a restart.
//
// Keys:  conv:<conversation id>     the reference of every conversation the bot has seen
//        personal:<aad object id>   a user's personal chat with the bot (approver notices)
//        member:<aad object id>     the user's Teams id (29:...) for refresh userIds
//        cards:<request id>         the card activities that show a request, to update in place
//        reach:<request id>         who its approval request reached (approver-reach.ts)
//        approvals:channels         the approvals channels and group chats (approvals-channels.ts)
import { TurnContext, type Activity, type Attachment, type ConversationReference } from 'botbuilder';
import type { ConversationRefStore, Logger, Proactive } from './deps';
import type { Lang } from './parser';
import { langFromLocale } from './i18n';
import { stampLang } from './card-data';

export const convKey = (conversationId: string) => `conv:${conversationId}`;
export const personalKey = (aadObjectId: string) => `personal:${aadObjectId.toLowerCase()}`;
export const memberKey = (aadObjectId: string) => `member:${aadObjectId.toLowerCase()}`;
export const cardsKey = (requestId: string) => `cards:${requestId}`;

export interface CardInstance {
  conversationKey: string;
  activityId: string;
  /** approval: shown to an approver in their personal chat; status: everyone else. */
  view: 'status' | 'approval';
  /** The language the card was written in. */
  lang: Lang;
}

interface MemberInfo {
  teamsId: string;
  name?: string;
}

const MAX_CARDS_PER_REQUEST = 50;

export class Conversations {
  /**
   * This instance's writes still on their way (a database round trip each), by key: a read of
   * that key waits for them, so a turn reads what it wrote while its writes overlap its work.
   */
  private readonly writing = new Map<string, Promise<void>>();

  constructor(
    private readonly store: ConversationRefStore,
    private readonly proactive: Proactive,
    private readonly log: Logger,
  ) {}

  private save(key: string, value: unknown): Promise<void> {
    const before = this.writing.get(key) ?? Promise.resolve();
    const p = before.then(async () => {
      await this.store.saveConversationRef(key, value);
    });
    this.writing.set(key, p);
    const done = () => {
      if (this.writing.get(key) === p) this.writing.delete(key);
    };
    p.then(done, done);
    return p;
  }

  private async load(key: string): Promise<unknown> {
    await this.writing.get(key)?.catch(() => undefined);
    return this.store.getConversationRef(key);
  }

  /**
   * Called on every accepted activity. `lang` is the language the person was answered in. The
   * turn starts it, does its work meanwhile (reads of these keys wait for it), and awaits it
   * before it ends: with several instances, the next notice may be sent by another one.
   */
  async remember(activity: Partial<Activity>, lang: Lang): Promise<void> {
    try {
      const ref = TurnContext.getConversationReference(activity) as Partial<ConversationReference>;
      const withLang = { ...ref, locale: lang === 'nl' ? 'nl-NL' : activity.locale && !/^nl/i.test(activity.locale) ? activity.locale : 'en-US' };
      const writes: Promise<void>[] = [];
      if (activity.conversation?.id) writes.push(this.save(convKey(activity.conversation.id), withLang));
      const aad = activity.from?.aadObjectId;
      if (aad && activity.from?.id) {
        if (activity.conversation?.conversationType === 'personal') writes.push(this.save(personalKey(aad), withLang));
        const member: MemberInfo = { teamsId: activity.from.id, ...(activity.from.name ? { name: activity.from.name } : {}) };
        const prev = (await this.load(memberKey(aad))) as MemberInfo | undefined;
        if (!prev || prev.teamsId !== member.teamsId || prev.name !== member.name) writes.push(this.save(memberKey(aad), member));
      }
      await Promise.all(writes);
    } catch (err) {
      this.log.warn('conversation.store_failed', { error: String(err) });
    }
  }

  async ref(conversationKey: string): Promise<Partial<ConversationReference> | undefined> {
    const r = await this.load(conversationKey);
    return r && typeof r === 'object' && (r as ConversationReference).conversation ? (r as Partial<ConversationReference>) : undefined;
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
      const m = (await this.load(memberKey(id))) as MemberInfo | undefined;
      if (m?.teamsId) out.push(m.teamsId);
    }
    return out;
  }

  async cards(requestId: string): Promise<CardInstance[]> {
    const v = await this.load(cardsKey(requestId));
    return Array.isArray(v) ? (v as CardInstance[]) : [];
  }

  async addCard(requestId: string, card: CardInstance): Promise<void> {
    const list = (await this.cards(requestId)).filter((c) => !(c.conversationKey === card.conversationKey && c.activityId === card.activityId));
    list.push(card);
    await this.save(cardsKey(requestId), list.slice(-MAX_CARDS_PER_REQUEST));
  }

  /** Other durable state under its own key (approvals channels, who a request reached: approver-reach.ts). */
  async read<T>(key: string): Promise<T | undefined> {
    return (await this.load(key)) as T | undefined;
  }

  async write(key: string, value: unknown): Promise<void> {
    await this.save(key, value);
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

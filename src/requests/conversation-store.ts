// The conversation state the bot keeps across turns and restarts, as a port with one typed pair of
// methods per kind of record. The state stores (src/state) implement it; the bot
// (src/bot/conversations.ts) uses it. Async, so a store on the network implements it as well as
// SQLite. A new kind of record is a new typed pair here, not a new key in a shared bag.
import type { Lang } from '../i18n';

/**
 * Where the bot talks with someone: Bot Framework's ConversationReference as plain JSON, with the
 * locale the person was last answered in.
 */
export interface StoredConversation {
  conversation: { id: string; conversationType?: string; tenantId?: string; [key: string]: unknown };
  locale?: string;
  [key: string]: unknown;
}

/** A person the bot has met: their Teams id (29:...), for a card's refresh userIds. */
export interface MemberInfo {
  teamsId: string;
  name?: string;
}

/** A card activity that shows a request, to update in place. */
export interface CardInstance {
  conversationKey: string;
  activityId: string;
  /** approval: shown to an approver in their personal chat; status: everyone else. */
  view: 'status' | 'approval';
  /** The language the card was written in. */
  lang: Lang;
}

/** An approver named on a request's reach record. */
export interface Person {
  id: string;
  name: string;
}

/** An approvals channel or group chat the bot posts approval cards in (src/bot/approvals-channels.ts). */
export interface ApprovalsChannel {
  /** conv:<conversation id> */
  key: string;
  conversationId: string;
  kind: 'channel' | 'groupChat';
  /** "IT › Licenses" (team › channel) or the group chat's topic, when Teams told us. */
  name?: string;
  /** Entra id of the approver who added the bot there; absent for APPROVALS_CHANNEL. */
  addedBy?: string;
  configured?: boolean;
}

/** Who a request's approval cards reached (src/bot/approver-reach.ts). */
export interface ReachRecord {
  /** Approval card delivered in their personal chat. */
  people: Person[];
  /** Approvals channels and group chats the card was posted in. */
  places: Pick<ApprovalsChannel, 'conversationId' | 'kind' | 'name'>[];
  /** The app is being installed for them; the card follows Teams' installation event. */
  installing: Person[];
  /** Eligible approvers the bot could not reach. */
  unreached: Person[];
  /** Nobody at all may approve it (APPROVERS empty, or only the requester). */
  noApprovers?: boolean;
}

/**
 * A choice id (src/bot/choices.ts): random base64url. Anything else is refused before a lookup,
 * so a forged id never reaches a query.
 */
export const CHOICE_ID = /^[A-Za-z0-9_-]{16,64}$/;

export interface ConversationStore {
  /**
   * A conversation by its key: conv:<conversation id> for every conversation the bot has seen,
   * personal:<aad object id> for a person's own chat with the bot.
   */
  saveConversation(conversationKey: string, ref: StoredConversation): Promise<void>;
  conversation(conversationKey: string): Promise<StoredConversation | undefined>;
  saveMember(aadObjectId: string, member: MemberInfo): Promise<void>;
  member(aadObjectId: string): Promise<MemberInfo | undefined>;
  saveCards(requestId: string, cards: CardInstance[]): Promise<void>;
  cards(requestId: string): Promise<CardInstance[]>;
  /** The request an "ask for approval" click on this card created, so a Teams retry gets the same answer. */
  saveRequestFromCard(conversationKey: string, activityId: string, requestId: string): Promise<void>;
  requestFromCard(conversationKey: string, activityId: string): Promise<string | undefined>;
  saveReach(requestId: string, record: ReachRecord): Promise<void>;
  reach(requestId: string): Promise<ReachRecord | undefined>;
  /** The approvals channels approvers added the bot to. */
  saveApprovalsChannels(channels: ApprovalsChannel[]): Promise<void>;
  approvalsChannels(): Promise<ApprovalsChannel[]>;
  /** Conversation ids of configured channels that were dropped (removed, refused): not used until the bot is added again. */
  saveDroppedChannels(conversationIds: string[]): Promise<void>;
  droppedChannels(): Promise<string[]>;
  /** When the bot installed itself for this approver (ISO time; its installation event should follow). */
  saveInstalledAt(aadObjectId: string, at: string): Promise<void>;
  installedAt(aadObjectId: string): Promise<string | undefined>;
  /**
   * A card button's long list of users (src/bot/choices.ts) under its random id (CHOICE_ID), kept
   * for `ttlMs` from now by the store's clock. An id is used once: saving one that exists fails.
   */
  saveChoice(id: string, users: string[], ttlMs: number): Promise<void>;
  /** That list, or undefined when the id is not a CHOICE_ID, unknown, or its time is up. */
  choice(id: string): Promise<string[] | undefined>;
  /** Deletes the lists whose time is up; how many. */
  sweepChoices(): Promise<number>;
}

// ConversationStore (src/requests/conversation-store.ts) over a store's one key/value table, for
// every store alike: which key holds which record lives here, once. The keys are the ones
// conversation_refs has always held, so existing databases keep working:
//   conv:<conversation id>, personal:<aad object id>   StoredConversation
//   member:<aad object id>                            MemberInfo
//   cards:<request id>                                CardInstance[]
//   requested:<conversation key>:<card activity id>   { requestId }
//   reach:<request id>                                ReachRecord
//   approvals:channels                                ApprovalsChannel[]
//   approvals:dropped                                 string[] (conversation ids)
//   installed:<aad object id>                         ISO time the bot installed itself for them
// Card choices (a button's long list of users) have a table of their own, card_choices, with an
// expiry that a sweep deletes by: one row per choice id, the users as a JSON array.
import {
  CHOICE_ID,
  type ApprovalsChannel,
  type CardInstance,
  type ConversationStore,
  type MemberInfo,
  type ReachRecord,
  type StoredConversation,
} from '../requests/conversation-store';

/** A store's raw key/value rows (JSON values). */
export interface KeyValueRows {
  get(key: string): unknown | Promise<unknown>;
  put(key: string, value: unknown): void | Promise<void>;
}

/** A store's card_choices rows; the store's clock says when a row's time is up. */
export interface ChoiceRows {
  insert(id: string, usersJson: string, ttlMs: number): void | Promise<void>;
  /** The users column of the row, while its time is not up. */
  get(id: string): string | undefined | Promise<string | undefined>;
  deleteExpired(): number | Promise<number>;
}

const memberKey = (aadObjectId: string) => `member:${aadObjectId.toLowerCase()}`;
const cardsKey = (requestId: string) => `cards:${requestId}`;
const requestedKey = (conversationKey: string, activityId: string) => `requested:${conversationKey}:${activityId}`;
const reachKey = (requestId: string) => `reach:${requestId}`;
const CHANNELS_KEY = 'approvals:channels';
const DROPPED_KEY = 'approvals:dropped';
const installedKey = (aadObjectId: string) => `installed:${aadObjectId.toLowerCase()}`;

export function conversationRecords(rows: KeyValueRows, choices: ChoiceRows): ConversationStore {
  const get = async (key: string) => (await rows.get(key)) as unknown;
  const put = async (key: string, value: unknown) => {
    await rows.put(key, value);
  };
  return {
    saveConversation: (conversationKey, ref) => put(conversationKey, ref),
    async conversation(conversationKey) {
      const r = await get(conversationKey);
      return r && typeof r === 'object' && (r as StoredConversation).conversation ? (r as StoredConversation) : undefined;
    },
    saveMember: (aadObjectId, member) => put(memberKey(aadObjectId), member),
    async member(aadObjectId) {
      const m = await get(memberKey(aadObjectId));
      return m && typeof m === 'object' && typeof (m as MemberInfo).teamsId === 'string' ? (m as MemberInfo) : undefined;
    },
    saveCards: (requestId, cards) => put(cardsKey(requestId), cards),
    async cards(requestId) {
      const v = await get(cardsKey(requestId));
      return Array.isArray(v) ? (v as CardInstance[]) : [];
    },
    saveRequestFromCard: (conversationKey, activityId, requestId) => put(requestedKey(conversationKey, activityId), { requestId }),
    async requestFromCard(conversationKey, activityId) {
      const v = (await get(requestedKey(conversationKey, activityId))) as { requestId?: unknown } | undefined;
      return typeof v?.requestId === 'string' ? v.requestId : undefined;
    },
    saveReach: (requestId, record) => put(reachKey(requestId), record),
    async reach(requestId) {
      const v = await get(reachKey(requestId));
      return v && typeof v === 'object' && Array.isArray((v as ReachRecord).people) ? (v as ReachRecord) : undefined;
    },
    saveApprovalsChannels: (channels) => put(CHANNELS_KEY, channels),
    async approvalsChannels() {
      const v = await get(CHANNELS_KEY);
      return Array.isArray(v) ? (v as ApprovalsChannel[]).filter((c) => c && typeof c.key === 'string') : [];
    },
    saveDroppedChannels: (ids) => put(DROPPED_KEY, ids),
    async droppedChannels() {
      const v = await get(DROPPED_KEY);
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    },
    saveInstalledAt: (aadObjectId, at) => put(installedKey(aadObjectId), at),
    async installedAt(aadObjectId) {
      const v = await get(installedKey(aadObjectId));
      return typeof v === 'string' ? v : undefined;
    },
    async saveChoice(id, users, ttlMs) {
      if (!CHOICE_ID.test(id)) throw new Error('not a choice id');
      await choices.insert(id, JSON.stringify(users), ttlMs);
    },
    async choice(id) {
      if (typeof id !== 'string' || !CHOICE_ID.test(id)) return undefined;
      const raw = await choices.get(id);
      if (raw === undefined) return undefined;
      const users = JSON.parse(raw) as unknown;
      return Array.isArray(users) && users.every((u) => typeof u === 'string') ? users : undefined;
    },
    sweepChoices: async () => choices.deleteExpired(),
  };
}

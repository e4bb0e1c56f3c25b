// Long lists stay on the server: a card button that would carry a list of users ("move users"
// with 39 or 500 UPNs, repeated in every button of a plan-choice card) carries a short choice id
// instead, and the list is kept in the state database until it expires. Teams refuses cards over
// about 28 KB.
//
//   compactCard   before a card is sent: every { kind: 'users', users: [...] } longer than
//                 INLINE_USERS in an action's data becomes { kind: 'users', choice, count }
//   expandChoices when a click arrives, before its data is validated: the reverse
//
// The lists live in the ConversationStore (card_choices, SQLite or PostgreSQL), so a click works
// after a restart and on any instance behind the load balancer. An id is 128 random bits, checked
// against CHOICE_ID before any lookup; a forged, unknown or expired one gets "this card has
// expired, type the command again" and changes nothing.
import { randomBytes } from 'node:crypto';
import { CHOICE_ID, type ConversationStore } from '../requests/conversation-store';
import { errorText, type Logger } from '../log';

/** Lists up to this long stay in the card (they are short, and need no lookup). */
export const INLINE_USERS = 3;
export const CHOICE_TTL_MS = 24 * 60 * 60 * 1000;
/** How often an instance deletes expired lists (at its first card, then at most this often). */
export const CHOICE_SWEEP_EVERY_MS = 60 * 60 * 1000;

export interface ChoiceStore {
  /** Keeps `users` and returns its id. */
  put(users: string[]): Promise<string>;
  /** The list, or undefined when the id is unknown or expired. */
  get(id: string): Promise<string[] | undefined>;
}

/** Choices in the state database, CHOICE_TTL_MS each; expired rows are swept now and then, not on every call. */
export class StoredChoices implements ChoiceStore {
  private nextSweep = 0;

  constructor(
    private readonly store: Pick<ConversationStore, 'saveChoice' | 'choice' | 'sweepChoices'>,
    private readonly opts: { ttlMs?: number; sweepEveryMs?: number; now?: () => number; log?: Logger } = {},
  ) {}

  async put(users: string[]): Promise<string> {
    this.sweepNowAndThen();
    const id = randomBytes(16).toString('base64url');
    await this.store.saveChoice(id, users.slice(), this.opts.ttlMs ?? CHOICE_TTL_MS);
    return id;
  }

  get(id: string): Promise<string[] | undefined> {
    return this.store.choice(id);
  }

  /** In the background: a sweep that fails (a database role without DELETE) costs a log line, not a card. */
  private sweepNowAndThen(): void {
    const now = (this.opts.now ?? Date.now)();
    if (now < this.nextSweep) return;
    this.nextSweep = now + (this.opts.sweepEveryMs ?? CHOICE_SWEEP_EVERY_MS);
    void Promise.resolve()
      .then(() => this.store.sweepChoices())
      .then(
        (n) => {
          if (n > 0) this.opts.log?.info('choices.swept', { deleted: n });
        },
        (err) => this.opts.log?.warn('choices.sweep_failed', { error: errorText(err) }),
      );
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

function isUsersList(v: Obj): v is { kind: 'users'; users: string[] } {
  return v.kind === 'users' && Array.isArray(v.users) && v.users.every((u) => typeof u === 'string');
}

/** A copy of `card` whose action data carries choice ids instead of long user lists (one id per distinct list). */
export async function compactCard<T>(card: T, store: ChoiceStore): Promise<T> {
  // First the distinct long lists (most cards have none: no store call), stored together; then the copy.
  const lists = new Map<string, string[]>();
  const find = (v: unknown, inData: boolean): void => {
    if (Array.isArray(v)) return v.forEach((x) => find(x, inData));
    if (!isObj(v)) return;
    if (inData && isUsersList(v) && v.users.length > INLINE_USERS) lists.set(JSON.stringify(v.users), v.users);
    else for (const [k, x] of Object.entries(v)) find(x, inData || k === 'data');
  };
  find(card, false);
  const ids = new Map(await Promise.all([...lists].map(async ([key, users]) => [key, await store.put(users)] as const)));
  const walk = (v: unknown, inData: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, inData));
    if (!isObj(v)) return v;
    if (inData && isUsersList(v) && v.users.length > INLINE_USERS) {
      const { users: _users, ...rest } = v;
      return { ...rest, choice: ids.get(JSON.stringify(v.users))!, count: v.users.length };
    }
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, inData || k === 'data');
    return out;
  };
  return walk(card, false) as T;
}

/** Choice ids a click's data may name; more is not a card of ours. */
const MAX_CHOICES = 8;

/** `data` with every { kind: 'users', choice } put back as the list; ok: false when a choice is forged, unknown or expired. */
export async function expandChoices(data: Obj, store: ChoiceStore): Promise<{ ok: true; data: Obj } | { ok: false }> {
  // First every choice the data names, each checked by pattern before any lookup; then the lookups; then the copy.
  const named = new Set<string>();
  let forged = false;
  const find = (v: unknown, depth: number): void => {
    if (depth > 8) return;
    if (Array.isArray(v)) return v.forEach((x) => find(x, depth + 1));
    if (!isObj(v)) return;
    if (v.kind === 'users' && 'choice' in v) {
      if (typeof v.choice === 'string' && CHOICE_ID.test(v.choice)) named.add(v.choice);
      else forged = true;
      return;
    }
    for (const x of Object.values(v)) find(x, depth + 1);
  };
  find(data, 0);
  if (forged || named.size > MAX_CHOICES) return { ok: false };
  if (!named.size) return { ok: true, data };
  const lists = new Map<string, string[] | undefined>(await Promise.all([...named].map(async (id) => [id, await store.get(id)] as const)));
  if ([...lists.values()].some((users) => !users)) return { ok: false };
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 8) return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (!isObj(v)) return v;
    if (v.kind === 'users' && 'choice' in v) {
      const { choice, count: _count, ...rest } = v;
      return { ...rest, users: lists.get(choice as string)!.slice() };
    }
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1);
    return out;
  };
  return { ok: true, data: walk(data, 0) as Obj };
}

// Long lists stay on the server: a card button that would carry a list of users ("move users"
// with 39 or 500 UPNs, repeated in every button of a plan-choice card) carries a short choice id
// instead, and the list is kept here until it expires. Teams refuses cards over about 28 KB.
//
//   compactCard   before a card is sent: every { kind: 'users', users: [...] } longer than
//                 INLINE_USERS in an action's data becomes { kind: 'users', choice, count }
//   expandChoices when a click arrives, before its data is validated: the reverse
//
// The store is a port; the bot uses the in-memory one (a choice lives as long as the card is
// likely to be clicked; after a restart, or on another instance, a click on an old card gets
// "this card has expired, type the command again" and changes nothing).
import { randomBytes } from 'node:crypto';

/** Lists up to this long stay in the card (they are short, and a card keeps working after a restart). */
export const INLINE_USERS = 3;
export const CHOICE_TTL_MS = 24 * 60 * 60 * 1000;
const CHOICE_ID = /^[A-Za-z0-9_-]{16,64}$/;

export interface ChoiceStore {
  /** Keeps `users` and returns its id. */
  put(users: string[]): string;
  /** The list, or undefined when the id is unknown or expired. */
  get(id: string): string[] | undefined;
}

export class MemoryChoiceStore implements ChoiceStore {
  private readonly entries = new Map<string, { users: string[]; until: number }>();

  constructor(
    private readonly ttlMs = CHOICE_TTL_MS,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  put(users: string[]): string {
    this.sweep();
    const id = randomBytes(12).toString('base64url');
    this.entries.set(id, { users: users.slice(), until: this.now() + this.ttlMs });
    // Oldest first out when full (a Map keeps insertion order).
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return id;
  }

  get(id: string): string[] | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    if (e.until <= this.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return e.users.slice();
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, e] of this.entries) if (e.until <= now) this.entries.delete(id);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

function isUsersList(v: Obj): v is { kind: 'users'; users: string[] } {
  return v.kind === 'users' && Array.isArray(v.users) && v.users.every((u) => typeof u === 'string');
}

/** A copy of `card` whose action data carries choice ids instead of long user lists (one id per distinct list). */
export function compactCard<T>(card: T, store: ChoiceStore): T {
  const ids = new Map<string, string>();
  const walk = (v: unknown, inData: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, inData));
    if (!isObj(v)) return v;
    if (inData && isUsersList(v) && v.users.length > INLINE_USERS) {
      const key = JSON.stringify(v.users);
      let id = ids.get(key);
      if (!id) ids.set(key, (id = store.put(v.users)));
      const { users: _users, ...rest } = v;
      return { ...rest, choice: id, count: v.users.length };
    }
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, inData || k === 'data');
    return out;
  };
  return walk(card, false) as T;
}

/** `data` with every { kind: 'users', choice } put back as the list; ok: false when a choice is unknown or expired. */
export function expandChoices(data: Obj, store: ChoiceStore): { ok: true; data: Obj } | { ok: false } {
  let missing = false;
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 8) return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (!isObj(v)) return v;
    if (v.kind === 'users' && 'choice' in v) {
      const users = typeof v.choice === 'string' && CHOICE_ID.test(v.choice) ? store.get(v.choice) : undefined;
      if (!users) {
        missing = true;
        return v;
      }
      const { choice: _choice, count: _count, ...rest } = v;
      return { ...rest, users };
    }
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1);
    return out;
  };
  const out = walk(data, 0) as Obj;
  return missing ? { ok: false } : { ok: true, data: out };
}

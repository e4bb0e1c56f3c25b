// Teams delivers a message again when the bot was slow to answer it (or the connection dropped):
// the same activity id arrives twice. The second one is recognised here and not handled again.
//
// This memory is per process. With several instances behind a load balancer the second delivery
// may reach another instance: a durable store (the PostgreSQL one) implements the same interface
// with an insert that fails on a duplicate key.

export interface ActivityDedupe {
  /** True the first time `key` is seen (within the memory's time), false for a repeat. */
  firstSeen(key: string): boolean | Promise<boolean>;
}

/** Bounded memory of recent activity keys: at most `max`, each kept `ttlMs`. */
export class MemoryDedupe implements ActivityDedupe {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly max = 10_000,
    /** Teams retries within seconds; a quarter of an hour is ample. */
    private readonly ttlMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  firstSeen(key: string): boolean {
    const t = this.now();
    const until = this.seen.get(key);
    if (until !== undefined && until > t) return false;
    this.seen.delete(key);
    this.seen.set(key, t + this.ttlMs);
    // Oldest first in a Map: drop expired ones from the front, and the oldest beyond the bound.
    for (const [k, u] of this.seen) {
      if (this.seen.size <= this.max && u > t) break;
      this.seen.delete(k);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}

/** The key of an activity: its conversation and its id (ids are unique per conversation). */
export function activityKey(activity: { id?: string; conversation?: { id?: string } }): string | undefined {
  if (!activity.id || !activity.conversation?.id) return undefined;
  return `${activity.conversation.id}\n${activity.id}`;
}

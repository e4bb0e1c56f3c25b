// Graph-like throttling (fixture behavior.throttle): Microsoft's identity limits for one app in one
// tenant, as two token buckets. Every request costs one resource unit (items of a $batch count one
// by one; the $batch envelope itself costs nothing), writes (POST, PATCH, DELETE) also one write.
// A bucket holds its quota (bursts up to it) and refills evenly over its window; a request that
// finds a bucket empty gets 429 with Retry-After in whole seconds until a unit is free again.

export interface ThrottleLimits {
  resourceUnitsPer10s: number;
  writesPer150s: number;
}

class Bucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly capacity: number,
    private readonly windowMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.at = now;
  }
  private refill(now: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) * this.capacity) / this.windowMs);
    this.at = now;
  }
  /** Ms until one unit is free (0: free now). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * this.windowMs) / this.capacity);
  }
  take(): void {
    this.tokens -= 1;
  }
}

export class Throttle {
  private units?: Bucket;
  private writes?: Bucket;
  private limits?: ThrottleLimits;

  /**
   * Counts one request under `limits` (null: no throttling). Returns the Retry-After in seconds
   * when it is throttled (then it costs nothing), undefined when it may run.
   */
  take(method: string, limits: ThrottleLimits | null, now = Date.now()): number | undefined {
    if (!limits) return undefined;
    if (this.limits?.resourceUnitsPer10s !== limits.resourceUnitsPer10s || this.limits.writesPer150s !== limits.writesPer150s) {
      this.limits = { ...limits };
      this.units = new Bucket(limits.resourceUnitsPer10s, 10_000, now);
      this.writes = new Bucket(limits.writesPer150s, 150_000, now);
    }
    const write = method !== 'GET' && method !== 'HEAD';
    const wait = Math.max(this.units!.waitMs(now), write ? this.writes!.waitMs(now) : 0);
    if (wait > 0) return Math.max(1, Math.ceil(wait / 1000));
    this.units!.take();
    if (write) this.writes!.take();
    return undefined;
  }

  reset(): void {
    this.limits = undefined;
  }
}

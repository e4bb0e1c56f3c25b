// Test controls that are not Graph: injected faults (the next N matching requests fail with 429,
// 500 or 503) and the log of every Graph request served, batch sub-requests included.

export interface FaultSpec {
  /** HTTP method, or "*" / absent for any. */
  method?: string;
  /** Path glob below /v1.0 (a /v1.0 prefix is ignored); "*" matches any run of characters. */
  path: string;
  /** The failure status; leave it out with `withhold`. */
  status?: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Retry-After header in seconds (default 1 for 429; none for 5xx unless given). */
  retryAfterSeconds?: number;
  /** The request takes effect, yet the caller sees the fault (Graph has been seen to do this on writes). */
  hideSuccess?: boolean;
  /**
   * No failure: the request is served, but these properties are left out of the object (or of
   * each object of a collection), as Graph does with a field the app may not read.
   */
  withhold?: string[];
}

export interface Fault extends Required<Omit<FaultSpec, 'retryAfterSeconds' | 'withhold' | 'status'>> {
  /** 0 for a withhold fault. */
  status: number;
  retryAfterSeconds?: number;
  withhold?: string[];
  id: number;
  remaining: number;
}

/** Strips the version prefix and query: faults and logs speak of "/users/x/assignLicense". */
export function graphPath(path: string): string {
  const p = path.split('?')[0];
  const stripped = p.replace(/^\/?(v1\.0|beta)(?=\/|$)/i, '');
  return stripped.startsWith('/') ? stripped : `/${stripped}`;
}

function globToRegExp(glob: string): RegExp {
  const body = graphPath(glob)
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}/?$`, 'i');
}

export class Faults {
  private faults: (Fault & { re: RegExp })[] = [];
  private nextId = 1;

  /** Validates a fault from JSON; returns a problem message or the stored fault. */
  add(raw: unknown): Fault | string {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'a fault is an object { method, path, status, times, retryAfterSeconds }';
    const o = raw as Record<string, unknown>;
    const known = new Set(['method', 'path', 'status', 'times', 'retryAfterSeconds', 'hideSuccess', 'withhold']);
    const unknown = Object.keys(o).filter((k) => !known.has(k));
    if (unknown.length) return `unknown field(s): ${unknown.join(', ')}`;
    if (typeof o.path !== 'string' || !o.path) return 'path (a glob such as "/users/*/assignLicense") is required';
    if (o.method !== undefined && (typeof o.method !== 'string' || !o.method)) return 'method must be a string such as "POST"';
    const withhold = o.withhold;
    if (withhold !== undefined) {
      if (!Array.isArray(withhold) || !withhold.length || withhold.some((f) => typeof f !== 'string' || !f)) return 'withhold must be a list of property names';
      if (o.status !== undefined || o.hideSuccess !== undefined || o.retryAfterSeconds !== undefined)
        return 'withhold serves the request: leave status, hideSuccess and retryAfterSeconds out';
    } else if (typeof o.status !== 'number' || !Number.isInteger(o.status) || o.status < 400 || o.status > 599) return 'status must be 429, 500 or 503 (any 4xx/5xx is accepted)';
    if (o.times !== undefined && (typeof o.times !== 'number' || !Number.isInteger(o.times) || o.times < 1)) return 'times must be a whole number of 1 or more';
    if (o.retryAfterSeconds !== undefined && (typeof o.retryAfterSeconds !== 'number' || o.retryAfterSeconds < 0)) return 'retryAfterSeconds must be 0 or more';
    if (o.hideSuccess !== undefined && typeof o.hideSuccess !== 'boolean') return 'hideSuccess must be true or false';
    const fault = {
      id: this.nextId++,
      method: ((o.method as string | undefined) ?? '*').toUpperCase(),
      path: o.path,
      status: (o.status as number | undefined) ?? 0,
      ...(withhold ? { withhold: withhold as string[] } : {}),
      times: (o.times as number | undefined) ?? 1,
      remaining: (o.times as number | undefined) ?? 1,
      retryAfterSeconds: (o.retryAfterSeconds as number | undefined) ?? (o.status === 429 ? 1 : undefined),
      hideSuccess: o.hideSuccess === true,
      re: globToRegExp(o.path),
    };
    this.faults.push(fault);
    return publicFault(fault);
  }

  /** The fault the request runs into, if any (its remaining count goes down). */
  take(method: string, path: string): Fault | undefined {
    const p = graphPath(path);
    const m = method.toUpperCase();
    const f = this.faults.find((x) => (x.method === '*' || x.method === m) && x.re.test(p));
    if (!f) return undefined;
    f.remaining--;
    if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
    return publicFault(f);
  }

  list(): Fault[] {
    return this.faults.map(publicFault);
  }

  clear(): void {
    this.faults = [];
  }
}

function publicFault(f: Fault & { re?: RegExp }): Fault {
  const { re: _re, ...rest } = f;
  return { ...rest };
}

export interface RequestLogEntry {
  method: string;
  /** Path below the version, without the query: "/users/alice@contoso.example/assignLicense". */
  path: string;
  /** The query string without "?" ("" when none). */
  query: string;
  /** As requested below the host: "/v1.0/users/...?$select=...". */
  url: string;
  status: number;
  /** ISO time the request arrived. */
  at: string;
  /** True for a request inside a $batch. */
  batch: boolean;
  /** Set when an injected fault answered the request. */
  fault?: boolean;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  /** Bounded so a long benchmark cannot eat the memory. */
  constructor(private readonly max = 100_000) {}

  add(e: RequestLogEntry): void {
    this.entries.push(e);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
  }
  all(): RequestLogEntry[] {
    return this.entries.slice();
  }
  clear(): void {
    this.entries = [];
  }
}

// The one error type the Graph gateway throws. It carries what a caller can act on (HTTP status,
// Graph's error code and message) and nothing else: no stack of the HTTP client, no request
// bodies, no tokens.

export class GraphError extends Error {
  constructor(
    /** HTTP status; 0 when no answer came back (network error, timeout). */
    readonly status: number,
    /** Graph's error code (`Request_BadRequest`, `Request_ResourceNotFound`, ...) or our own: `NetworkError`, `Timeout`, `Throttled`. */
    readonly code: string,
    message: string,
    /** Milliseconds Graph asked us to wait (Retry-After), when it said so. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'GraphError';
  }

  /** 429, 5xx (but 501), or no answer at all: the request may be tried again (reads) or must be verified first (writes). */
  get transient(): boolean {
    return isTransientStatus(this.status);
  }

  toJSON(): { status: number; code: string; message: string } {
    return { status: this.status, code: this.code, message: this.message };
  }
}

export function isTransientStatus(status: number): boolean {
  return status === 0 || status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

/** Retry-After as Graph sends it: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value == null || value === '') return undefined;
  const s = Number(value);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const rec = headers as Record<string, unknown>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : String(rec[key]);
}

/**
 * Turns whatever the Graph client threw (its GraphError, a fetch TypeError, an AbortError) into our
 * GraphError. Only status, code, message and Retry-After survive.
 */
export function toGraphError(err: unknown): GraphError {
  if (err instanceof GraphError) return err;
  const e = (err ?? {}) as {
    statusCode?: number;
    status?: number;
    code?: string | null;
    message?: string;
    name?: string;
    headers?: unknown;
    body?: unknown;
  };
  let status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : 0;
  if (status < 0) status = 0;
  let code = typeof e.code === 'string' && e.code ? e.code : '';
  let message = typeof e.message === 'string' ? e.message : '';
  // Read as bytes (the gateway asks for ArrayBuffer), the error body arrives undecoded.
  if (e.body instanceof ArrayBuffer || ArrayBuffer.isView(e.body)) {
    const bytes = e.body instanceof ArrayBuffer ? new Uint8Array(e.body) : new Uint8Array(e.body.buffer, e.body.byteOffset, e.body.byteLength);
    e.body = Buffer.from(bytes).toString('utf8');
  }
  // The client puts Graph's { error: { code, message } } in body when the response was not JSON-parsed as an error.
  if ((!code || !message) && typeof e.body === 'string') {
    try {
      const parsed = JSON.parse(e.body) as { code?: string; message?: string; error?: { code?: string; message?: string } };
      const inner = parsed.error ?? parsed;
      code ||= inner.code ?? '';
      message ||= inner.message ?? '';
    } catch {
      /* not JSON */
    }
  }
  if (status === 0) {
    const timeout = e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'TimeoutError' || /timed? ?out|aborted/i.test(message);
    code = timeout ? 'Timeout' : 'NetworkError';
    message = timeout ? 'Microsoft Graph did not answer in time.' : `Microsoft Graph could not be reached${message ? `: ${message}` : '.'}`;
  }
  if (!code) code = status === 429 ? 'TooManyRequests' : `Http${status}`;
  if (!message) message = status === 429 ? 'Microsoft Graph is throttling requests.' : `Microsoft Graph answered ${status}.`;
  return new GraphError(status, code, message, parseRetryAfter(headerValue(e.headers, 'Retry-After')));
}

/** A sub-response of a $batch as an error. */
export function batchError(status: number, body: unknown, headers?: Record<string, string>): GraphError {
  const b = (body ?? {}) as { error?: { code?: string; message?: string } };
  const code = b.error?.code || (status === 429 ? 'TooManyRequests' : `Http${status}`);
  const message = b.error?.message || (status === 429 ? 'Microsoft Graph is throttling requests.' : `Microsoft Graph answered ${status}.`);
  return new GraphError(status, code, message, parseRetryAfter(headerValue(headers, 'Retry-After')));
}

// Graph as `plan-switch doctor` sees it: every answer kept as Graph sent it (status, headers, the
// JSON untouched), so the doctor can tell a refused permission from a field Graph left out. The
// gateway, by contrast, normalises answers for the product and throws on errors.
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { toGraphError } from './errors';

export interface RawAnswer {
  /** HTTP status; 0 when no answer came back (network error, timeout). */
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON, the text when it was not JSON, undefined when empty. */
  body: unknown;
}

export class RawGraphReads {
  constructor(private readonly client: Client) {}

  get(path: string, headers?: Record<string, string>): Promise<RawAnswer> {
    return this.send(path, 'GET', undefined, headers);
  }

  /** Only for $batch (reads inside): the doctor never writes. */
  post(path: string, body: unknown): Promise<RawAnswer> {
    return this.send(path, 'POST', body);
  }

  private async send(path: string, method: 'GET' | 'POST', body?: unknown, headers?: Record<string, string>): Promise<RawAnswer> {
    let raw: Response;
    try {
      let req = this.client.api(path).responseType(ResponseType.RAW);
      if (headers) req = req.headers(headers);
      raw = (await (method === 'GET' ? req.get() : req.post(body))) as Response;
    } catch (err) {
      // No answer at all (network, timeout) or the client's own refusal.
      const e = toGraphError(err);
      return { status: e.status, headers: {}, body: { error: { code: e.code, message: e.message } } };
    }
    const out: Record<string, string> = {};
    raw.headers.forEach((v, k) => {
      out[k.toLowerCase()] = v;
    });
    const text = raw.status === 204 ? '' : await raw.text();
    let parsed: unknown = text || undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        /* keep the text */
      }
    }
    return { status: raw.status, headers: out, body: parsed };
  }
}

/**
 * The credential a sandbox (or a sandbox started apart on loopback) hands out: an app-only token
 * from its `POST /_sandbox/token` control, whose `roles` claim is the fixture's `app.roles`, so
 * the doctor reads permissions the same way as on a real tenant.
 */
export function sandboxCredential(origin: string): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      const res = await fetch(`${origin.replace(/\/$/, '')}/_sandbox/token`, { method: 'POST' });
      if (!res.ok) throw new Error(`the sandbox at ${origin} gave no token (HTTP ${res.status})`);
      const t = (await res.json()) as { access_token?: string; expires_in?: number };
      if (!t.access_token) throw new Error(`the sandbox at ${origin} gave no token`);
      return { token: t.access_token, expiresOnTimestamp: Date.now() + (t.expires_in ?? 3600) * 1000 };
    },
  };
}

// The last link of the Graph client's middleware chain: sends the request with node:http(s) over
// keep-alive connections, in place of the SDK's HTTPMessageHandler (global fetch).
//
// Why: reading a 100,000-member group is a hundred 500 KB pages. Through fetch every page also
// goes through web streams and undici's fetch machinery: about 100 ms more CPU for those pages on
// a 2-core VM than a Node stream, and a little more time per round trip. The response is a small
// Response look-alike (status, headers, json(), text(), arrayBuffer(), body) so the SDK and the
// middleware read it as they read fetch's; the gateway reads `nodeBody()` directly.
//
// Kept as fetch gives it: gzip/deflate/br decoded (Graph compresses when asked), redirects left to
// the SDK's RedirectHandler, the caller's AbortSignal (timeouts) honoured before and during the
// body, and failures raised as fetch raises them (TypeError "fetch failed" with the cause), so
// errors.ts and client.ts classify them unchanged.
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/** A fetch Response as far as the Graph SDK, the middleware and the gateway use one. */
export class NodeHttpResponse {
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  private used = false;

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly url: string,
    private readonly stream: Readable,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  /** The body as a Node stream, read once (the gateway's page reader). */
  nodeBody(): Readable {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.stream;
  }

  private webBody?: ReadableStream<Uint8Array>;
  /** The body as a web stream, as fetch gives it (made on first use). */
  get body(): ReadableStream<Uint8Array> | null {
    if (!this.webBody) this.webBody = Readable.toWeb(this.nodeBody()) as unknown as ReadableStream<Uint8Array>;
    return this.webBody;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.bytes()], { type: this.headers.get('content-type') ?? '' });
  }

  private async bytes(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of this.nodeBody()) chunks.push(c as Buffer);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }
}

/** Raised as fetch raises a network failure: TypeError("fetch failed") with the cause. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function headerObject(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (h instanceof Headers) h.forEach((v, k) => (out[k] = v));
  else if (Array.isArray(h)) for (const [k, v] of h as [string, string][]) out[k] = v;
  else for (const [k, v] of Object.entries(h as Record<string, unknown>)) if (v !== undefined && v !== null) out[k] = String(v);
  return out;
}

function bodyBytes(body: unknown): Buffer | undefined | null {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  return null; // a form, a blob, a stream: left to fetch
}

function decoded(res: http.IncomingMessage): Readable {
  const enc = String(res.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const decoder = enc === 'gzip' || enc === 'x-gzip' ? zlib.createGunzip() : enc === 'deflate' ? zlib.createInflate() : enc === 'br' ? zlib.createBrotliDecompress() : undefined;
  if (!decoder) return res;
  res.on('error', (e) => decoder.destroy(e));
  return res.pipe(decoder);
}

// Idle pooled connections are closed after 4 s, as undici (fetch) does: a connection the server
// has just closed is then rarely picked up again. (Node destroys only idle sockets on this
// timeout; a slow answer in progress is left to the caller's abort signal.)
const AGENT = { keepAlive: true, maxSockets: 32, timeout: 4_000 };

export class NodeHttpHandler implements Middleware {
  private readonly httpAgent = new http.Agent(AGENT);
  private readonly httpsAgent = new https.Agent(AGENT);

  async execute(context: Context): Promise<void> {
    const options = (context.options ?? {}) as RequestInit & { headers?: unknown };
    const body = bodyBytes(options.body);
    if (typeof context.request !== 'string' || body === null) {
      // Not what the Graph SDK sends for JSON calls: fetch knows every other form.
      context.response = await fetch(context.request, context.options);
      return;
    }
    context.response = (await this.send(context.request, options, body)) as unknown as Response;
  }

  private send(url: string, options: RequestInit & { headers?: unknown }, body: Buffer | undefined): Promise<NodeHttpResponse> {
    const signal = options.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let target: URL;
    try {
      target = new URL(url);
    } catch (err) {
      return Promise.reject(fetchFailed(err));
    }
    const secure = target.protocol === 'https:';
    if (!secure && target.protocol !== 'http:') return Promise.reject(fetchFailed(new Error(`unsupported protocol ${target.protocol}`)));
    const headers = headerObject(options.headers);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'accept-encoding')) headers['accept-encoding'] = 'gzip, deflate, br';
    if (body) headers['content-length'] = String(body.length);
    return new Promise<NodeHttpResponse>((resolve, reject) => {
      const req = (secure ? https : http).request(target, {
        method: (options.method ?? 'GET').toUpperCase(),
        headers,
        agent: secure ? this.httpsAgent : this.httpAgent,
      });
      let settled = false;
      let response: http.IncomingMessage | undefined;
      const onAbort = () => {
        const reason = signal!.reason;
        if (!settled) {
          settled = true;
          reject(reason);
        }
        // Mid-body: the reader sees the abort reason, as with fetch.
        (response ?? req).destroy(reason instanceof Error ? reason : new Error(String(reason)));
        req.destroy();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      req.on('error', (err) => {
        done();
        if (!settled) {
          settled = true;
          reject(fetchFailed(err));
        }
      });
      req.on('response', (res) => {
        response = res;
        settled = true;
        res.once('end', done);
        res.once('close', done);
        // Nothing to read after a 204 or 304: the connection goes back to the pool at once.
        if (res.statusCode === 204 || res.statusCode === 304) res.resume();
        const h = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        resolve(new NodeHttpResponse(res.statusCode ?? 0, res.statusMessage ?? '', h, url, decoded(res)));
      });
      req.end(body);
    });
  }
}

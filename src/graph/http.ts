// GraphHttp: the requests every Graph read and write goes through (one GET, one POST, every page of
// a collection), over the client from createGraphClient. The gateway's modules (users, groups,
// members, skus, writes, batch) build paths and read answers; this file moves the bytes.
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import { GraphError, toGraphError } from './errors';
import { newStats, resolvedPolicy, type GraphStats, type RetryPolicy } from './client';

export const PAGE_SIZE = 999;
export const BATCH_LIMIT = 20;

export interface GatewayOptions {
  /** Requests per $batch (Graph's limit is 20). */
  batchSize?: number;
  /** $batch requests in flight at once. Default 4. */
  batchConcurrency?: number;
  /** Attempts for one write (first one included) and for a throttled batch item. Default 6. */
  maxAttempts?: number;
  /** Waits and timeouts (shared with the client's read retries). */
  retry?: RetryPolicy;
  /** Counters; pass the same object to createGraphClient to see HTTP requests too. */
  stats?: GraphStats;
}

export interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

/**
 * The top-level @odata.nextLink when it comes before the "value" array (as Graph writes it), read
 * from the first bytes without parsing the page; undefined otherwise (the caller then takes it
 * from the parsed page).
 */
export function peekNextLink(bytes: Buffer | undefined): string | undefined {
  if (!bytes) return undefined;
  const head = bytes.toString('latin1', 0, Math.min(bytes.length, 8192));
  const valueAt = head.indexOf('"value"');
  const m = /^\s*\{[^[{]*?"@odata\.nextLink"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(valueAt >= 0 ? head.slice(0, valueAt) : head);
  if (!m) return undefined;
  try {
    const link = JSON.parse(`"${m[1]}"`) as string;
    return /^[\x20-\x7e]+$/.test(link) ? link : undefined;
  } catch {
    return undefined;
  }
}

/** How much of a page getBytes hands to `onHead` (peekNextLink reads no further). */
const HEAD_BYTES = 8192;

const notJson = () => new GraphError(502, 'InvalidResponse', 'Microsoft Graph answered with something that is not JSON.');

/** The body of a response failed half way: reported as the client reported it (status and the error's name). */
function bodyReadError(err: unknown, raw: Response): GraphError {
  const e = err as Error | undefined;
  return toGraphError({ statusCode: raw.status, code: e?.name ?? '', message: e?.message ?? String(err), headers: raw.headers });
}

export interface ListOptions<T> {
  /** Sees each page as it arrives. */
  onPage?: (items: T[], page: number) => void;
  headers?: Record<string, string>;
  /** Keep every item for the answer (default true); false when onPage keeps what it needs. */
  keep?: boolean;
  signal?: AbortSignal;
}

export class GraphHttp {
  readonly stats: GraphStats;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly policy: ReturnType<typeof resolvedPolicy>;
  private readonly hostPath: string;

  /**
   * @param client a Graph client from createGraphClient (its ReadRetryHandler retries reads)
   * @param host the client's host root (to turn @odata.nextLink back into a path), e.g. http://127.0.0.1:3979/
   */
  constructor(
    private readonly client: Client,
    host: string,
    opts: GatewayOptions = {},
  ) {
    this.stats = opts.stats ?? newStats();
    this.batchSize = Math.min(BATCH_LIMIT, Math.max(1, opts.batchSize ?? BATCH_LIMIT));
    this.concurrency = Math.max(1, opts.batchConcurrency ?? 4);
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 6);
    this.policy = resolvedPolicy(opts.retry);
    this.hostPath = new URL(host).pathname.replace(/\/?$/, '/');
  }

  /**
   * GET, handing each chunk of the body to `onChunk` as it arrives; resolves with the body's size
   * (0 for 204 or an empty body). Errors as the client's byte response reported them: Graph's
   * status and undecoded error body, or the failure of the body half way.
   */
  private async receive(path: string, headers: Record<string, string> | undefined, onChunk: (chunk: Buffer) => void): Promise<number> {
    let raw: Response;
    try {
      let req = this.client.api(path).responseType(ResponseType.RAW);
      if (headers) req = req.headers(headers);
      raw = (await req.get()) as Response;
    } catch (err) {
      throw toGraphError(err);
    }
    if (raw.status === 204) return 0;
    if (!raw.ok) {
      let body: ArrayBuffer;
      try {
        body = await raw.arrayBuffer();
      } catch (err) {
        throw bodyReadError(err, raw);
      }
      throw toGraphError({ statusCode: raw.status, body, headers: raw.headers });
    }
    let size = 0;
    try {
      if (raw.body) {
        for await (const chunk of raw.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          onChunk(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        }
      }
    } catch (err) {
      throw bodyReadError(err, raw);
    }
    return size;
  }

  /**
   * GET as bytes (undefined when there is no body). `onHead` gets the first bytes (8 KB, or the
   * whole body when shorter) as soon as they are in: paging asks for the next page from them.
   */
  private async getBytes(path: string, headers?: Record<string, string>, onHead?: (head: Buffer) => void): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    let headGiven = !onHead;
    await this.receive(path, headers, (chunk) => {
      chunks.push(chunk);
      size += chunk.length;
      if (!headGiven && size >= HEAD_BYTES) {
        headGiven = true;
        onHead!(Buffer.concat(chunks, size));
      }
    });
    if (!size) return undefined;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    if (!headGiven) onHead!(body);
    return body;
  }

  /** A body parsed with JSON.parse (undefined when there is none). */
  private static parse<T>(body: Buffer | undefined): T | undefined {
    if (!body) return undefined;
    try {
      return JSON.parse(body.toString('utf8')) as T;
    } catch {
      throw notJson();
    }
  }

  /** GET one page of a collection (see getBytes for `onHead`). */
  private async getPage<T>(path: string, headers?: Record<string, string>, onHead?: (head: Buffer) => void): Promise<Page<T>> {
    return GraphHttp.parse<Page<T>>(await this.getBytes(path, headers, onHead)) ?? {};
  }

  /** GET, parsed with JSON.parse. */
  async get<T>(path: string, headers?: Record<string, string>): Promise<T> {
    return GraphHttp.parse<T>(await this.getBytes(path, headers)) as T;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    try {
      return (await this.client.api(path).post(body)) as T;
    } catch (err) {
      throw toGraphError(err);
    }
  }

  /** PATCH (204 No Content on success: resolves to undefined). */
  async patch<T>(path: string, body: unknown): Promise<T> {
    try {
      return (await this.client.api(path).patch(body)) as T;
    } catch (err) {
      throw toGraphError(err);
    }
  }

  /** @odata.nextLink is absolute (and over http the SDK would mangle it): make it a path under the version root. */
  relativeLink(link: string): string {
    if (!/^https?:\/\//i.test(link)) return link;
    const u = new URL(link);
    let p = u.pathname;
    if (p.startsWith(this.hostPath)) p = '/' + p.slice(this.hostPath.length);
    p = p.replace(/^\/(v1\.0|beta)(?=\/)/i, '');
    return p + u.search;
  }

  /**
   * Every page of a collection, in order. Graph writes @odata.nextLink ahead of "value": the next
   * page is asked for as soon as the first bytes of this one are in, so its round trip overlaps the
   * rest of this page's transfer and its parsing.
   */
  async getAll<T>(path: string, opts: ListOptions<T> = {}): Promise<{ items: T[]; pages: number }> {
    const { onPage, headers, keep = true, signal } = opts;
    interface Pending {
      page: Promise<Page<T>>;
      next?: Pending;
    }
    const abandoned = () => new GraphError(0, 'Aborted', 'The listing was abandoned.');
    const request = (p: string): Pending => {
      // An aborted listing asks for no further page (its caller no longer wants the answer).
      if (signal?.aborted) throw abandoned();
      const pending: Pending = {} as Pending;
      pending.page = this.getPage<T>(p, headers, (head) => {
        const link = peekNextLink(head);
        if (link && !signal?.aborted) pending.next = request(this.relativeLink(link));
      });
      // Surfaced by the await in the loop below when its turn comes; until then, not unhandled.
      pending.page.catch(() => undefined);
      return pending;
    };
    const items: T[] = [];
    let pages = 0;
    let current: Pending | undefined = request(path);
    while (current) {
      const page: Page<T> = await current.page;
      if (signal?.aborted) throw abandoned();
      const next: Pending | undefined = current.next;
      pages++;
      const value = page.value ?? [];
      if (keep) for (const v of value) items.push(v);
      onPage?.(value, pages);
      const link: string | undefined = page['@odata.nextLink'];
      current = next ?? (link ? request(this.relativeLink(link)) : undefined);
    }
    return { items, pages };
  }
}

// GraphGateway: the only code in Plan Switch that calls Microsoft Graph.
//
// Reads: plain GETs (the client's ReadRetryHandler retries them on 429/5xx with Retry-After), paged
// with $top=999 and @odata.nextLink, and $batch (20 per request, a few in flight) where many small
// reads are needed; throttled items inside a batch are retried on their own after their Retry-After.
//
// Writes (assignLicense): a 429, 5xx, timeout or network error may hide a write that went through.
// Before any second attempt the gateway re-reads the principal; when it already holds what the
// write adds and no longer holds what it removes, the write counts as done and is not sent again.
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import { batchError, GraphError, isTransientStatus, toGraphError } from './errors';
import { PageParser } from './page-parser';
import { NodeHttpResponse } from './transport';
import { newStats, resolvedPolicy, retryDelay, type GraphStats, type RetryPolicy } from './client';
import type {
  AssignLicenseBody,
  GraphAssignedLicense,
  GraphGroup,
  GraphLicenseAssignmentState,
  GraphOrganization,
  GraphSubscribedSku,
  GraphUser,
} from './types';

export const USER_SELECT = 'id,userPrincipalName,displayName,usageLocation,accountEnabled,department,assignedLicenses,licenseAssignmentStates';
export const GROUP_SELECT = 'id,displayName,securityEnabled,groupTypes,membershipRule,onPremisesSyncEnabled,assignedLicenses,licenseProcessingState';
/** What a write needs re-read to know whether it went through. */
const VERIFY_USER_SELECT = 'id,assignedLicenses,licenseAssignmentStates';
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

/** A directory object from /members that is not a user. */
export interface DirectoryObjectRef {
  id: string;
  displayName: string;
  type: string;
}

export interface GroupMembers {
  users: GraphUser[];
  groups: DirectoryObjectRef[];
  /** Devices, service principals, contacts: members that never receive licenses. */
  others: DirectoryObjectRef[];
  pages: number;
}

/** Outcome of one assignLicense call after retries. */
export type WriteOutcome =
  | { id: string; ok: true; /** true when a transient failure hid the write and a re-read showed it applied. */ verified: boolean; attempts: number }
  | { id: string; ok: false; error: GraphError; attempts: number };

export interface BatchRequest {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version root: /users/{id}?$select=... */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}
export interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

const enc = encodeURIComponent;
/** An OData string literal inside a URL: quotes doubled, then URL-encoded. */
const literal = (s: string) => enc(`'${s.replace(/'/g, "''")}'`);

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Canonical copies of the strings that repeat across users (SKU and plan ids, group ids, states,
 * timestamps, countries). A 100,000-member read parses about a million such strings; keeping one
 * copy of each lets the duplicates die young instead of being carried through every GC.
 */
export class Interner {
  private readonly map = new Map<string, string>();
  /**
   * The last canonical string per field (slot): consecutive users mostly repeat it, and comparing
   * two strings is cheaper than hashing a fresh one for the map.
   */
  private readonly last: (string | undefined)[] = [];
  get(v: string): string {
    const hit = this.map.get(v);
    if (hit !== undefined) return hit;
    if (this.map.size < 100_000) this.map.set(v, v);
    return v;
  }
  /** Lower case and canonical. */
  id(v: unknown): string {
    return this.get(typeof v === 'string' ? v.toLowerCase() : String(v).toLowerCase());
  }
  /** get(v), remembering the answer for `slot` (one slot per field). */
  at(slot: number, v: string): string {
    const last = this.last[slot];
    if (last === v) return last;
    return (this.last[slot] = this.get(v));
  }
  private prevLicenses?: GraphAssignedLicense[];
  private prevStates?: GraphLicenseAssignmentState[];

  /**
   * Normalised license lists: the previous user's list when this one holds exactly the same
   * entries (every field the same canonical value, no other field), as strings are shared. Most
   * members of a big group hold the same licenses the same way: their copies die young instead of
   * being carried through every garbage collection. Nothing writes to a normalised list.
   */
  licenses(list: GraphAssignedLicense[]): GraphAssignedLicense[] {
    const prev = this.prevLicenses;
    if (prev && prev.length === list.length) {
      let same = true;
      for (let i = 0; i < list.length && same; i++) {
        const a = list[i]!;
        const b = prev[i]!;
        same = a.skuId === b.skuId && a.disabledPlans === b.disabledPlans && fieldCount(a) === 2;
      }
      if (same) return prev;
    }
    let plain = true;
    for (let i = 0; i < list.length && plain; i++) plain = fieldCount(list[i]!) === 2;
    if (plain) this.prevLicenses = list;
    return list;
  }

  /** As licenses(), for licenseAssignmentStates. */
  states(list: GraphLicenseAssignmentState[]): GraphLicenseAssignmentState[] {
    const prev = this.prevStates;
    if (prev && prev.length === list.length) {
      let same = true;
      for (let i = 0; i < list.length && same; i++) {
        const a = list[i]!;
        const b = prev[i]!;
        same =
          a.skuId === b.skuId &&
          a.assignedByGroup === b.assignedByGroup &&
          a.state === b.state &&
          a.error === b.error &&
          a.disabledPlans === b.disabledPlans &&
          a.lastUpdatedDateTime === b.lastUpdatedDateTime &&
          fieldCount(a) === 6;
      }
      if (same) return prev;
    }
    let plain = true;
    for (let i = 0; i < list.length && plain; i++) plain = fieldCount(list[i]!) === 6;
    if (plain) this.prevStates = list;
    return list;
  }

  /** id(v), remembering the answer for `slot`: a string equal to the last (lower-case) answer is its own lower case. */
  idAt(slot: number, v: unknown): string {
    const last = this.last[slot];
    if (last !== undefined && last === v) return last;
    return (this.last[slot] = this.id(v));
  }
}

function fieldCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

// Interner slots of normalizeUser's fields.
const S_USAGE = 0;
const S_TYPE = 1;
const S_LICENSE_SKU = 2;
const S_STATE_SKU = 3;
const S_GROUP = 4;
const S_STATE = 5;
const S_ERROR = 6;
const S_UPDATED = 7;

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

/** How much of a page getPage hands to `onHead` (peekNextLink reads no further). */
const HEAD_BYTES = 8192;

const notJson = () => new GraphError(502, 'InvalidResponse', 'Microsoft Graph answered with something that is not JSON.');

/** The body of a response failed half way: reported as the client reported it (status and the error's name). */
function bodyReadError(err: unknown, raw: Response): GraphError {
  const e = err as Error | undefined;
  return toGraphError({ statusCode: raw.status, code: e?.name ?? '', message: e?.message ?? String(err), headers: raw.headers });
}

/** Shared by every empty disabledPlans list (frozen: nobody may push into it). */
const NO_PLANS: string[] = Object.freeze([]) as unknown as string[];

/** Lower-cases and interns the ids of a list in place. */
function lowerIds(list: unknown, intern: Interner): string[] {
  if (!Array.isArray(list) || list.length === 0) return NO_PLANS;
  for (let i = 0; i < list.length; i++) list[i] = intern.id(list[i]);
  return list as string[];
}

function lowerLicenses(list: unknown, intern = new Interner()): GraphAssignedLicense[] {
  if (!Array.isArray(list)) return [];
  for (const l of list as GraphAssignedLicense[]) {
    l.skuId = intern.idAt(S_LICENSE_SKU, l.skuId);
    l.disabledPlans = lowerIds(l.disabledPlans, intern);
  }
  return list as GraphAssignedLicense[];
}

/**
 * Graph JSON -> GraphUser: every field present, arrays never null, GUIDs in lower case. Works in
 * place on the parsed object (a 100,000-member read would otherwise copy every user once more);
 * pass one Interner for a whole listing to share repeated strings.
 */
export function normalizeUser(raw: Record<string, unknown>, intern = new Interner()): GraphUser {
  const u = raw as unknown as GraphUser & Record<string, unknown>;
  u.id = String(raw.id);
  if (typeof u.userPrincipalName !== 'string') u.userPrincipalName = '';
  if (typeof u.displayName !== 'string') u.displayName = '';
  u.usageLocation = typeof raw.usageLocation === 'string' ? intern.at(S_USAGE, raw.usageLocation) : null;
  u.accountEnabled = raw.accountEnabled === undefined ? true : Boolean(raw.accountEnabled);
  if (u.department === undefined) u.department = null;
  if (typeof raw['@odata.type'] === 'string') u['@odata.type'] = intern.at(S_TYPE, raw['@odata.type']);
  u.assignedLicenses = intern.licenses(lowerLicenses(raw.assignedLicenses, intern));
  const states = Array.isArray(raw.licenseAssignmentStates) ? (raw.licenseAssignmentStates as GraphLicenseAssignmentState[]) : [];
  for (const s of states) {
    s.skuId = intern.idAt(S_STATE_SKU, s.skuId);
    s.assignedByGroup = s.assignedByGroup ? intern.idAt(S_GROUP, s.assignedByGroup) : null;
    s.state = typeof s.state === 'string' ? intern.at(S_STATE, s.state) : s.state;
    s.error = typeof s.error === 'string' ? intern.at(S_ERROR, s.error) : null;
    s.disabledPlans = lowerIds(s.disabledPlans, intern);
    s.lastUpdatedDateTime = typeof s.lastUpdatedDateTime === 'string' ? intern.at(S_UPDATED, s.lastUpdatedDateTime) : null;
  }
  u.licenseAssignmentStates = intern.states(states);
  return u;
}

export function normalizeGroup(raw: Record<string, unknown>): GraphGroup {
  return {
    id: String(raw.id),
    displayName: (raw.displayName as string) ?? '',
    securityEnabled: Boolean(raw.securityEnabled),
    groupTypes: (raw.groupTypes as string[] | null | undefined) ?? [],
    membershipRule: (raw.membershipRule as string | null | undefined) ?? null,
    onPremisesSyncEnabled: (raw.onPremisesSyncEnabled as boolean | null | undefined) ?? null,
    assignedLicenses: lowerLicenses(raw.assignedLicenses),
    licenseProcessingState: (raw.licenseProcessingState as { state: string } | null | undefined) ?? null,
  };
}

/**
 * Did `body` take effect on a principal? Everything it adds is held (directly, for users: from
 * licenseAssignmentStates with assignedByGroup null) and nothing it removes is held directly.
 */
export function writeApplied(
  held: { assignedLicenses: GraphAssignedLicense[]; licenseAssignmentStates?: GraphLicenseAssignmentState[] },
  body: AssignLicenseBody,
): boolean {
  const states = held.licenseAssignmentStates;
  const direct =
    states && states.length
      ? new Set(states.filter((s) => !s.assignedByGroup).map((s) => s.skuId.toLowerCase()))
      : new Set(held.assignedLicenses.map((l) => l.skuId.toLowerCase()));
  return body.addLicenses.every((a) => direct.has(a.skuId.toLowerCase())) && body.removeLicenses.every((r) => !direct.has(r.toLowerCase()));
}

export class GraphGateway {
  readonly stats: GraphStats;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly policy: ReturnType<typeof resolvedPolicy>;
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

  // ---------------------------------------------------------------- plumbing

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
      throw toGraphError({ statusCode: raw.status, body });
    }
    let size = 0;
    try {
      // The transport's Node stream when there is one (no web-stream layer), else fetch's body.
      const body = raw instanceof NodeHttpResponse ? raw.nodeBody() : raw.body;
      if (body) {
        for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          onChunk(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        }
      }
    } catch (err) {
      throw bodyReadError(err, raw);
    }
    return size;
  }

  /** GET as bytes (undefined when there is no body). Buffer's UTF-8 decoder beats fetch's json(). */
  private async getBytes(path: string, headers?: Record<string, string>): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    const size = await this.receive(path, headers, (c) => chunks.push(c));
    return size ? (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)) : undefined;
  }

  /**
   * GET one page of a collection, parsed in pieces while it arrives (PageParser: a big page never
   * becomes one half-megabyte string). `onHead` gets the first bytes (8 KB, or the whole body when
   * shorter) as soon as they are in: paging asks for the next page from them.
   */
  private async getPage<T>(path: string, headers?: Record<string, string>, onHead?: (head: Buffer) => void, onItems?: (items: T[]) => void): Promise<Page<T>> {
    const parser = new PageParser(undefined, onItems as ((items: unknown[]) => void) | undefined);
    let head: Buffer[] | undefined = onHead ? [] : undefined;
    let headSize = 0;
    const size = await this.receive(path, headers, (chunk) => {
      // The head first: the next page is asked for before this chunk is parsed, not after.
      if (head) {
        head.push(chunk);
        headSize += chunk.length;
        if (headSize >= HEAD_BYTES) {
          const h = head.length === 1 ? head[0]! : Buffer.concat(head, headSize);
          head = undefined;
          onHead!(h);
        }
      }
      parser.push(chunk);
    });
    if (head?.length) onHead!(head.length === 1 ? head[0]! : Buffer.concat(head, headSize));
    if (!size) return {};
    try {
      return (parser.end() ?? {}) as Page<T>;
    } catch {
      throw notJson();
    }
  }

  private static parse<T>(buf: Buffer | undefined): T {
    if (!buf) return undefined as T;
    try {
      return JSON.parse(buf.toString('utf8')) as T;
    } catch {
      throw notJson();
    }
  }

  private async get<T>(path: string, headers?: Record<string, string>): Promise<T> {
    return GraphGateway.parse<T>(await this.getBytes(path, headers));
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    try {
      return (await this.client.api(path).post(body)) as T;
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
   * Every page of a collection, in order. `onPage` sees each page as it arrives. Graph writes
   * @odata.nextLink ahead of "value": the next page is asked for as soon as the first bytes of
   * this one are in, so its round trip overlaps the rest of this page's transfer and its parsing.
   */
  async getAll<T>(
    path: string,
    onPage?: (items: T[], page: number) => void,
    headers?: Record<string, string>,
    keep = true,
    signal?: AbortSignal,
    /** Sees items as soon as a piece of a page is parsed (a hint: `onPage` has the page's final items). */
    onItems?: (items: T[]) => void,
  ): Promise<{ items: T[]; pages: number }> {
    interface Pending {
      page: Promise<Page<T>>;
      next?: Pending;
    }
    const abandoned = () => new GraphError(0, 'Aborted', 'The listing was abandoned.');
    const request = (p: string): Pending => {
      // An aborted listing asks for no further page (its caller no longer wants the answer).
      if (signal?.aborted) throw abandoned();
      const pending: Pending = {} as Pending;
      pending.page = this.getPage<T>(
        p,
        headers,
        (head) => {
          const link = peekNextLink(head);
          if (link && !signal?.aborted) pending.next = request(this.relativeLink(link));
        },
        onItems,
      );
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

  /** One POST /$batch. Throws GraphError when the envelope itself fails. */
  private async sendBatch(requests: BatchRequest[]): Promise<BatchResponse[]> {
    this.stats.batchSubRequests += requests.length;
    const body = {
      requests: requests.map((r) => ({
        id: r.id,
        method: r.method,
        url: r.url,
        ...(r.body !== undefined ? { body: r.body, headers: { 'Content-Type': 'application/json', ...(r.headers ?? {}) } } : r.headers ? { headers: r.headers } : {}),
      })),
    };
    const res = await this.post<{ responses?: { id: string; status: number; headers?: Record<string, string>; body?: unknown }[] }>('/$batch', body);
    return (res?.responses ?? []).map((r) => ({ id: String(r.id), status: Number(r.status), headers: r.headers ?? {}, body: r.body ?? null }));
  }

  /**
   * Reads through $batch: 20 per request, `batchConcurrency` in flight. A throttled or failed item
   * (429/5xx) is sent again on its own after its Retry-After; a failed envelope is sent again whole
   * (reads are safe to repeat). Every request gets an answer, possibly an error status.
   */
  async batchRead(requests: BatchRequest[]): Promise<Map<string, BatchResponse>> {
    const answers = new Map<string, BatchResponse>();
    await mapLimit(chunk(requests, this.batchSize), this.concurrency, async (group) => {
      let pending = group;
      for (let attempt = 1; pending.length; attempt++) {
        let responses: BatchResponse[];
        let waitMs: number | undefined;
        try {
          responses = await this.sendBatch(pending);
        } catch (err) {
          const e = toGraphError(err);
          if (!e.transient || attempt >= this.maxAttempts) {
            for (const r of pending) answers.set(r.id, { id: r.id, status: e.status, headers: {}, body: { error: { code: e.code, message: e.message } } });
            return;
          }
          if (e.status === 429) this.stats.throttled++;
          this.stats.retries++;
          await this.policy.sleep(retryDelay(this.policy, attempt, e.retryAfterMs));
          continue;
        }
        const byId = new Map(responses.map((r) => [r.id, r]));
        const again: BatchRequest[] = [];
        for (const r of pending) {
          const a = byId.get(r.id) ?? { id: r.id, status: 0, headers: {}, body: { error: { code: 'NoAnswer', message: 'The batch returned no answer for this request.' } } };
          if (isTransientStatus(a.status) && attempt < this.maxAttempts) {
            if (a.status === 429) this.stats.throttled++;
            const e = batchError(a.status, a.body, a.headers);
            waitMs = Math.max(waitMs ?? 0, retryDelay(this.policy, attempt, e.retryAfterMs));
            again.push(r);
          } else answers.set(r.id, a);
        }
        if (again.length) {
          this.stats.retries += again.length;
          await this.policy.sleep(waitMs ?? 0);
        }
        pending = again;
      }
    });
    return answers;
  }

  // ---------------------------------------------------------------- tenant

  async organization(): Promise<GraphOrganization> {
    const page = await this.get<Page<GraphOrganization>>('/organization?$select=id,displayName,countryLetterCode');
    const org = page.value?.[0];
    if (!org) throw new GraphError(404, 'Request_ResourceNotFound', 'Graph returned no organization for this tenant.');
    return { id: org.id, displayName: org.displayName, countryLetterCode: org.countryLetterCode ?? null };
  }

  async subscribedSkus(): Promise<GraphSubscribedSku[]> {
    const { items } = await this.getAll<GraphSubscribedSku>('/subscribedSkus');
    return items;
  }

  // ---------------------------------------------------------------- users

  /** A user by object id or UPN, with the license fields; null when Graph says 404. */
  async getUser(idOrUpn: string, select = USER_SELECT): Promise<GraphUser | null> {
    try {
      return normalizeUser(await this.get<Record<string, unknown>>(`/users/${enc(idOrUpn)}?$select=${select}`));
    } catch (err) {
      if (err instanceof GraphError && err.status === 404) return null;
      throw err;
    }
  }

  /** Many users by id or UPN through $batch. `notFound` keeps the caller's spelling. */
  async getUsers(idsOrUpns: string[], select = USER_SELECT): Promise<{ users: GraphUser[]; notFound: string[]; byQuery: Map<string, GraphUser> }> {
    const unique = [...new Set(idsOrUpns.map((s) => s.trim()).filter(Boolean))];
    const answers = await this.batchRead(unique.map((q, i) => ({ id: String(i), method: 'GET', url: `/users/${enc(q)}?$select=${select}` })));
    const users: GraphUser[] = [];
    const seen = new Set<string>();
    const notFound: string[] = [];
    const byQuery = new Map<string, GraphUser>();
    unique.forEach((q, i) => {
      const a = answers.get(String(i))!;
      if (a.status >= 200 && a.status < 300) {
        const u = normalizeUser(a.body as Record<string, unknown>);
        byQuery.set(q, u);
        if (!seen.has(u.id)) {
          seen.add(u.id);
          users.push(u);
        }
      } else if (a.status === 404) notFound.push(q);
      else throw batchError(a.status, a.body, a.headers);
    });
    return { users, notFound, byQuery };
  }

  /**
   * Users whose display name or UPN starts with `prefix`, or whose display name has a word starting
   * with it ("de Vries" finds Jan de Vries: Dutch surnames come after the given name), in one
   * $batch, at most `top`.
   */
  async searchUsers(prefix: string, top = 10): Promise<GraphUser[]> {
    const t = Math.min(999, Math.max(1, top));
    const sel = 'id,userPrincipalName,displayName,department,usageLocation,accountEnabled';
    const requests: BatchRequest[] = [
      { id: 'name', method: 'GET', url: `/users?$filter=${enc('startswith(displayName,')}${literal(prefix)})&$select=${sel}&$top=${t}` },
      { id: 'upn', method: 'GET', url: `/users?$filter=${enc('startswith(userPrincipalName,')}${literal(prefix)})&$select=${sel}&$top=${t}` },
    ];
    // $search needs ConsistencyLevel: eventual; a quote or backslash would need escaping, so such names skip it.
    const words = prefix.trim();
    if (words.length >= 2 && !/["\\]/.test(words)) {
      requests.push({ id: 'words', method: 'GET', url: `/users?$search=${enc(`"displayName:${words}"`)}&$select=${sel}&$top=${t}`, headers: { ConsistencyLevel: 'eventual' } });
    }
    const answers = await this.batchRead(requests);
    const out = new Map<string, GraphUser>();
    for (const { id } of requests) {
      const a = answers.get(id)!;
      if (a.status < 200 || a.status >= 300) throw batchError(a.status, a.body, a.headers);
      for (const raw of (a.body as Page<Record<string, unknown>>).value ?? []) {
        const u = normalizeUser(raw);
        if (!out.has(u.id)) out.set(u.id, u);
      }
    }
    return [...out.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)).slice(0, t);
  }

  // ---------------------------------------------------------------- groups

  async getGroup(id: string, select = GROUP_SELECT): Promise<GraphGroup | null> {
    try {
      return normalizeGroup(await this.get<Record<string, unknown>>(`/groups/${enc(id)}?$select=${select}`));
    } catch (err) {
      if (err instanceof GraphError && err.status === 404) return null;
      throw err;
    }
  }

  /** Groups named exactly `name` (Graph's eq is case-insensitive) or starting with it. */
  async findGroups(name: string, match: 'exact' | 'prefix' = 'exact', top = 25): Promise<GraphGroup[]> {
    const filter = match === 'exact' ? `displayName eq ${literal(name)}` : `${enc('startswith(displayName,')}${literal(name)})`;
    const t = Math.min(999, Math.max(1, top));
    const path = `/groups?$filter=${filter.replace(/ /g, '%20')}&$select=${GROUP_SELECT}&$top=${t}`;
    // Every group of that exact name (there may be several); for a prefix, the first page only.
    const items = match === 'exact' ? (await this.getAll<Record<string, unknown>>(path)).items : ((await this.get<Page<Record<string, unknown>>>(path))?.value ?? []);
    return items.map((raw) => normalizeGroup(raw)).slice(0, match === 'exact' ? items.length : t);
  }

  /** Only the processing state (the cheap poll while a group change is processed). */
  async groupProcessingState(id: string): Promise<string | null> {
    const g = await this.get<{ licenseProcessingState?: { state?: string } | null }>(`/groups/${enc(id)}?$select=id,licenseProcessingState`);
    return g.licenseProcessingState?.state ?? null;
  }

  /** Display names of groups by id, through $batch; ids Graph does not know are left out. */
  async groupNames(ids: string[]): Promise<Record<string, string>> {
    const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
    if (!unique.length) return {};
    const answers = await this.batchRead(unique.map((id) => ({ id, method: 'GET', url: `/groups/${enc(id)}?$select=id,displayName` })));
    const out: Record<string, string> = {};
    for (const id of unique) {
      const a = answers.get(id)!;
      if (a.status >= 200 && a.status < 300) out[id] = String((a.body as { displayName?: string }).displayName ?? id);
      else if (a.status !== 404) throw batchError(a.status, a.body, a.headers);
    }
    return out;
  }

  /**
   * All direct members of a group in ONE paged read of /groups/{id}/members ($top=999) with the
   * user license fields in $select, split by @odata.type: users (with their licenses), nested
   * groups, and other objects. This finds nested groups without a second pass over the members.
   */
  async listGroupMembers(
    groupId: string,
    opts: {
      select?: string;
      onPage?: (users: GraphUser[], page: number) => void;
      /** Raw members as soon as a piece of a page is parsed, before normalisation: a hint (e.g. to start look-ups early). */
      onRawMembers?: (raw: Record<string, unknown>[]) => void;
      signal?: AbortSignal;
    } = {},
  ): Promise<GroupMembers> {
    const users: GraphUser[] = [];
    const groups: DirectoryObjectRef[] = [];
    const others: DirectoryObjectRef[] = [];
    const select = opts.select ?? USER_SELECT;
    const intern = new Interner();
    const { pages } = await this.getAll<Record<string, unknown>>(`/groups/${enc(groupId)}/members?$select=${select}&$top=${PAGE_SIZE}`, (items, page) => {
      const pageUsers: GraphUser[] = [];
      for (const raw of items) {
        const type = String(raw['@odata.type'] ?? '').toLowerCase();
        if (type === '#microsoft.graph.user' || (!type && raw.userPrincipalName !== undefined)) {
          const u = normalizeUser(raw, intern);
          users.push(u);
          pageUsers.push(u);
        } else {
          const ref = { id: String(raw.id), displayName: String(raw.displayName ?? raw.id), type: type.replace('#microsoft.graph.', '') || 'unknown' };
          (type === '#microsoft.graph.group' ? groups : others).push(ref);
        }
      }
      opts.onPage?.(pageUsers, page);
    }, undefined, false, opts.signal, opts.onRawMembers);
    return { users, groups, others, pages };
  }

  /** About how many members a group has (GET /members/$count; an estimate: Graph counts eventually). */
  async memberCount(groupId: string): Promise<number> {
    return Number(await this.get<number>(`/groups/${enc(groupId)}/members/$count`, { ConsistencyLevel: 'eventual' }));
  }

  /** Direct user members only, via /members/microsoft.graph.user (paged, $top=999). */
  async listGroupUserMembers(groupId: string, select = USER_SELECT): Promise<GraphUser[]> {
    const { items } = await this.getAll<Record<string, unknown>>(`/groups/${enc(groupId)}/members/microsoft.graph.user?$select=${select}&$top=${PAGE_SIZE}`);
    return items.map((raw) => normalizeUser(raw));
  }

  /** Nested groups among the direct members (reads /members with id and name only). */
  async listNestedGroups(groupId: string): Promise<DirectoryObjectRef[]> {
    return (await this.listGroupMembers(groupId, { select: 'id,displayName' })).groups;
  }

  async membersWithLicenseErrors(groupId: string, select = USER_SELECT): Promise<GraphUser[]> {
    const { items } = await this.getAll<Record<string, unknown>>(`/groups/${enc(groupId)}/membersWithLicenseErrors?$select=${select}&$top=${PAGE_SIZE}`);
    return items.map((raw) => normalizeUser(raw));
  }

  // ---------------------------------------------------------------- writes

  /**
   * POST /users/{id}/assignLicense. A 4xx refusal comes back as { ok: false }. After a 429, 5xx,
   * timeout or network error the user is re-read: if the change is already there it counts as
   * done (verified), otherwise it is sent again after Retry-After.
   */
  async assignUserLicense(userId: string, body: AssignLicenseBody): Promise<WriteOutcome> {
    return this.writeWithVerify(userId, () => this.post(`/users/${enc(userId)}/assignLicense`, body), async () => {
      const u = await this.getUser(userId, VERIFY_USER_SELECT);
      return u !== null && writeApplied(u, body);
    });
  }

  /** POST /groups/{id}/assignLicense (202: Entra processes the members afterwards). Same re-read rule, on the group's assignedLicenses. */
  async assignGroupLicense(groupId: string, body: AssignLicenseBody): Promise<WriteOutcome> {
    return this.writeWithVerify(groupId, () => this.post(`/groups/${enc(groupId)}/assignLicense`, body), async () => {
      const g = await this.getGroup(groupId, 'id,assignedLicenses');
      return g !== null && writeApplied({ assignedLicenses: g.assignedLicenses }, body);
    });
  }

  private async writeWithVerify(id: string, send: () => Promise<unknown>, applied: () => Promise<boolean>): Promise<WriteOutcome> {
    let attempt = 0;
    for (;;) {
      attempt++;
      let e: GraphError;
      try {
        await send();
        return { id, ok: true, verified: false, attempts: attempt };
      } catch (err) {
        e = toGraphError(err);
      }
      if (!e.transient || attempt >= this.maxAttempts) {
        // A refusal of a second attempt may mean an earlier one went through after all (a stale
        // re-read): look once more before calling it a failure.
        if (attempt > 1 && (await applied().catch(() => false))) return { id, ok: true, verified: true, attempts: attempt };
        return { id, ok: false, error: e, attempts: attempt };
      }
      if (e.status === 429) this.stats.throttled++;
      // Wait as told, then find out whether the write happened. Never send again without knowing.
      let wait = retryDelay(this.policy, attempt, e.retryAfterMs);
      let known: boolean | undefined;
      for (let check = 1; known === undefined; check++) {
        await this.policy.sleep(wait);
        try {
          known = await applied();
        } catch (readErr) {
          if (check >= this.maxAttempts) return { id, ok: false, error: unconfirmed(e, readErr), attempts: attempt };
          wait = retryDelay(this.policy, check, toGraphError(readErr).retryAfterMs);
        }
      }
      if (known) return { id, ok: true, verified: true, attempts: attempt };
      this.stats.retries++;
    }
  }

  /**
   * Many user assignLicense calls through $batch (20 per request, `batchConcurrency` in flight).
   * Items answered 429/5xx, or in a batch that failed as a whole, are uncertain: after the longest
   * Retry-After they are re-read (also through $batch) and only those not applied are sent again.
   * An item that cannot be re-read is never sent again; it ends as failed "Unconfirmed". No user is
   * written twice for one change.
   */
  async assignUserLicenses(items: { userId: string; body: AssignLicenseBody }[]): Promise<WriteOutcome[]> {
    type Item = { userId: string; body: AssignLicenseBody };
    type Uncertain = { item: Item; error: GraphError; until: number; final?: boolean };
    const results = new Map<string, WriteOutcome>();
    const attempts = new Map<string, number>();
    const fail = (it: Item, error: GraphError) => results.set(it.userId, { id: it.userId, ok: false, error, attempts: attempts.get(it.userId) ?? 0 });
    let pending: Item[] = [...new Map(items.map((i) => [i.userId, i])).values()];
    let uncertain: Uncertain[] = [];
    for (let round = 1; pending.length || uncertain.length; round++) {
      const fresh: Uncertain[] = [];
      await mapLimit(chunk(pending, this.batchSize), this.concurrency, async (group) => {
        for (const it of group) attempts.set(it.userId, (attempts.get(it.userId) ?? 0) + 1);
        let responses: BatchResponse[];
        try {
          responses = await this.sendBatch(group.map((it) => ({ id: it.userId, method: 'POST', url: `/users/${enc(it.userId)}/assignLicense`, body: it.body })));
        } catch (err) {
          const e = toGraphError(err);
          if (e.status === 429) this.stats.throttled++;
          for (const it of group) {
            if (e.transient) fresh.push({ item: it, error: e, until: Date.now() + retryDelay(this.policy, round, e.retryAfterMs) });
            else if (round > 1) fresh.push({ item: it, error: e, until: 0, final: true });
            else fail(it, e);
          }
          return;
        }
        const answered = new Map(responses.map((r) => [r.id, r]));
        for (const it of group) {
          const a = answered.get(it.userId);
          if (a && a.status >= 200 && a.status < 300) {
            results.set(it.userId, { id: it.userId, ok: true, verified: false, attempts: attempts.get(it.userId)! });
            continue;
          }
          const e = a ? batchError(a.status, a.body, a.headers) : new GraphError(0, 'NoAnswer', 'The batch returned no answer for this request.');
          if (e.status === 429) this.stats.throttled++;
          if (e.transient) fresh.push({ item: it, error: e, until: Date.now() + retryDelay(this.policy, round, e.retryAfterMs) });
          // A refusal of a second attempt may mean an earlier one went through after all: re-read, never resend.
          else if (round > 1) fresh.push({ item: it, error: e, until: 0, final: true });
          else fail(it, e);
        }
      });
      uncertain = [...uncertain, ...fresh];
      pending = [];
      if (!uncertain.length) break;
      const wait = Math.max(...uncertain.map((u) => u.until)) - Date.now();
      if (wait > 0) await this.policy.sleep(wait);
      // Re-read before any second write.
      let check: Awaited<ReturnType<GraphGateway['getUsers']>> | undefined;
      let readError: unknown;
      try {
        check = await this.getUsers(uncertain.map((u) => u.item.userId), VERIFY_USER_SELECT);
      } catch (err) {
        readError = err;
      }
      if (!check) {
        // Could not look: nothing is sent again; try to look again next round, or give up as unconfirmed.
        if (round >= this.maxAttempts) {
          for (const u of uncertain) fail(u.item, unconfirmed(u.error, readError));
          break;
        }
        await this.policy.sleep(retryDelay(this.policy, round, toGraphError(readError).retryAfterMs));
        uncertain = uncertain.map((u) => ({ ...u, until: 0 }));
        continue;
      }
      for (const u of uncertain) {
        const id = u.item.userId;
        const now = check.byQuery.get(id);
        if (now && writeApplied(now, u.item.body)) results.set(id, { id, ok: true, verified: true, attempts: attempts.get(id)! });
        else if (!now) fail(u.item, new GraphError(404, 'Request_ResourceNotFound', 'The user no longer exists.'));
        else if (u.final || round >= this.maxAttempts) fail(u.item, u.error);
        else pending.push(u.item);
      }
      uncertain = [];
      this.stats.retries += pending.length;
    }
    return items.map((i) => results.get(i.userId)!);
  }

  async reprocessUser(userId: string): Promise<void> {
    await this.post(`/users/${enc(userId)}/reprocessLicenseAssignment`, {});
  }
}

/** A write whose fate could not be read back: reported, never retried blindly. */
function unconfirmed(writeError: GraphError, readError: unknown): GraphError {
  const r = toGraphError(readError);
  return new GraphError(
    writeError.status,
    'Unconfirmed',
    `The change was sent but Graph answered ${writeError.status || 'nothing'} (${writeError.code}), and re-reading to check it failed too (${r.code}): it may or may not have been applied. Check the licenses before trying again.`,
  );
}

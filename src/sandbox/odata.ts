// OData query options on collections: $select, $top (1..999), $filter, $search (needs
// ConsistencyLevel: eventual), $count, $orderby (displayName / userPrincipalName), and paging by
// @odata.nextLink with an opaque $skiptoken, as Graph pages directory objects.
import { errors } from './graph-errors';
import { checkFilterProperties, evaluateFilter, parseFilter, type FilterExpr, type PropertyReader } from './odata-filter';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 999;

/** What a resource type supports in query options (names compared case-insensitively). */
export interface ResourceQuerySupport<T> {
  /** Graph type name for messages, e.g. "User". */
  typeName: string;
  /** Properties allowed in $filter, lower case; collections usable with any(). */
  filterable: Set<string>;
  filterCollections: Set<string>;
  /** Properties allowed in "prop:term" $search clauses, lower case. */
  searchable: Set<string>;
  /** Properties allowed in $orderby, lower case. */
  sortable: Set<string>;
  read: PropertyReader<T>;
}

interface SearchClause {
  prop: string;
  term: string;
}
type SearchExpr = { any: SearchClause[][] }; // OR of ANDs

export interface ListQuery {
  select?: string[];
  top: number;
  offset: number;
  filter?: FilterExpr;
  search?: SearchExpr;
  count: boolean;
  orderby?: { prop: string; desc: boolean };
}

/** Query option by name, with or without "$" (Graph v1.0 accepts both). */
export function option(params: URLSearchParams, name: string): string | undefined {
  for (const [k, v] of params) {
    const key = k.toLowerCase();
    if (key === `$${name}` || key === name) return v;
  }
  return undefined;
}

export function parseSelect(params: URLSearchParams): string[] | undefined {
  const raw = option(params, 'select');
  if (raw === undefined) return undefined;
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length ? list : undefined;
}

export function parseTop(params: URLSearchParams): number {
  const raw = option(params, 'top');
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > MAX_PAGE_SIZE) throw errors.pageSize(raw);
  return n;
}

/** Opaque to callers; the offset of the next page inside, with a check so a mangled token is a 400. */
export function encodeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ v: 1, o: offset })).toString('base64url');
}
export function decodeSkipToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; v?: unknown };
    if (parsed.v === 1 && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    /* fall through */
  }
  throw errors.badSkipToken();
}

function parseSearch(raw: string, support: ResourceQuerySupport<unknown>): SearchExpr {
  const text = raw.trim();
  const groups: SearchClause[][] = [[]];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }
    if (text[i] !== '"') {
      const word = /^\S+/.exec(text.slice(i))![0];
      if (word === 'OR') groups.push([]);
      else if (word !== 'AND') {
        const colon = word.indexOf(':');
        throw errors.searchSyntax(
          colon >= 0 ? `character ':' is not valid at position ${i + colon} in '${text}'.` : `search clause '${word}' must be written "property:term" in double quotes.`,
        );
      }
      i += word.length;
      continue;
    }
    const end = text.indexOf('"', i + 1);
    if (end < 0) throw errors.searchSyntax(`unterminated string at position ${i} in '${text}'.`);
    const clause = text.slice(i + 1, end);
    const colon = clause.indexOf(':');
    if (colon <= 0) throw errors.searchProperty(clause);
    const prop = clause.slice(0, colon).trim();
    if (!support.searchable.has(prop.toLowerCase())) throw errors.searchProperty(prop);
    groups[groups.length - 1].push({
      prop,
      term: clause
        .slice(colon + 1)
        .trim()
        .toLowerCase(),
    });
    i = end + 1;
  }
  const any = groups.filter((g) => g.length);
  if (!any.length) throw errors.searchSyntax(`empty $search in '${text}'.`);
  return { any };
}

/** Graph's directory $search: a term matches the start of the value or of any word in it. */
function searchMatches(value: unknown, term: string): boolean {
  if (typeof value !== 'string') return false;
  const v = value.toLowerCase();
  if (v.startsWith(term)) return true;
  const words = v.split(/[\s._@\-()]+/);
  if (words.some((w) => w.startsWith(term))) return true;
  return term.includes(' ') && v.includes(` ${term}`);
}

const SUPPORTED_OPTIONS = new Set(['select', 'top', 'filter', 'search', 'count', 'orderby', 'skiptoken']);

/** Parses the query options of a collection GET; throws Graph's 400 for anything it cannot honour. */
export function parseListQuery<T>(params: URLSearchParams, headers: Record<string, string | undefined>, support: ResourceQuerySupport<T>): ListQuery {
  for (const [k] of params) {
    const key = k.toLowerCase().replace(/^\$/, '');
    if (k.startsWith('$') && !SUPPORTED_OPTIONS.has(key)) throw errors.unsupportedQuery(`Query option '${k}' is not supported by the sandbox.`);
  }
  const eventual = (headers['consistencylevel'] ?? '').toLowerCase() === 'eventual';
  const q: ListQuery = { select: parseSelect(params), top: parseTop(params), offset: 0, count: false };
  const filter = option(params, 'filter');
  if (filter !== undefined) {
    q.filter = parseFilter(filter);
    checkFilterProperties(q.filter, support.filterable, support.filterCollections, support.typeName);
  }
  const search = option(params, 'search');
  if (search !== undefined) {
    if (!eventual) throw errors.searchNeedsConsistency();
    q.search = parseSearch(search, support as ResourceQuerySupport<unknown>);
  }
  const count = option(params, 'count');
  if (count !== undefined) {
    if (count.toLowerCase() !== 'true' && count.toLowerCase() !== 'false') throw errors.unsupportedQuery(`Invalid $count value '${count}'.`);
    if (count.toLowerCase() === 'true' && !eventual) throw errors.countNeedsConsistency();
    q.count = count.toLowerCase() === 'true';
  }
  const orderby = option(params, 'orderby');
  if (orderby !== undefined) {
    const m = /^\s*([\w]+)(\s+(asc|desc))?\s*$/i.exec(orderby);
    if (!m || !support.sortable.has(m[1].toLowerCase())) throw errors.unsupportedQuery(`Sorting by '${orderby}' is not supported.`);
    q.orderby = { prop: m[1], desc: (m[3] ?? '').toLowerCase() === 'desc' };
  }
  const token = option(params, 'skiptoken');
  if (token !== undefined) q.offset = decodeSkipToken(token);
  return q;
}

/** Applies $filter, $search and $orderby; returns the matching items (all of them, unpaged). */
export function applyListQuery<T>(items: readonly T[], q: ListQuery, support: ResourceQuerySupport<T>): readonly T[] {
  let out: readonly T[] = items;
  if (q.filter) {
    const f = q.filter;
    out = out.filter((x) => evaluateFilter(f, x, support.read));
  }
  if (q.search) {
    const s = q.search;
    out = out.filter((x) => s.any.some((all) => all.every((c) => searchMatches(support.read(x, c.prop), c.term))));
  }
  if (q.orderby) {
    const { prop, desc } = q.orderby;
    const key = (x: T) => String(support.read(x, prop) ?? '').toLowerCase();
    out = [...out].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (desc ? -1 : 1));
  }
  return out;
}

/** The absolute @odata.nextLink after this page, or undefined on the last page. */
function nextLink(total: number, q: ListQuery, selfUrl: URL): string | undefined {
  if (q.offset + q.top >= total) return undefined;
  // Keep the caller's options as they were written (Graph's links show "$top", not "%24top").
  const kept = selfUrl.search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p && !/^(\$|%24)?skiptoken=/i.test(p));
  kept.push(`$skiptoken=${encodeSkipToken(q.offset + q.top)}`);
  return `${selfUrl.origin}${selfUrl.pathname}?${kept.join('&')}`;
}

/** A response body written into a reused buffer; `release` hands the buffer back once it is sent. */
export interface PooledBytes {
  bytes: Buffer;
  release(): void;
}

// Page bodies are written into a few reused buffers: a fresh half-megabyte allocation for every
// page (JSON.stringify of the page, then its encoding) costs more than the writing itself, because
// fresh memory has to be mapped in each time.
const spare: Buffer[] = [];
const MIN_BUFFER = 1 << 20;

function takeBuffer(min: number): Buffer {
  const i = spare.findIndex((b) => b.length >= min);
  return i >= 0 ? spare.splice(i, 1)[0] : Buffer.allocUnsafeSlow(Math.max(min, MIN_BUFFER));
}

function giveBuffer(b: Buffer): void {
  if (spare.length < 4) spare.push(b);
}

class BodyWriter {
  private buf = takeBuffer(MIN_BUFFER);
  private at = 0;

  write(text: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    if (this.at + text.length * 3 > this.buf.length) {
      const bigger = takeBuffer(Math.max(this.buf.length * 2, this.at + text.length * 3));
      this.buf.copy(bigger, 0, 0, this.at);
      giveBuffer(this.buf);
      this.buf = bigger;
    }
    this.at += this.buf.write(text, this.at, 'utf8');
  }

  done(): PooledBytes {
    const buf = this.buf;
    let released = false;
    return {
      bytes: buf.subarray(0, this.at),
      release: () => {
        if (released) return;
        released = true;
        giveBuffer(buf);
      },
    };
  }
}

/**
 * One page of a collection as Graph returns it, as UTF-8 JSON: "@odata.context", "@odata.count"
 * (when asked), "@odata.nextLink" (when more follow), then "value". `selfUrl` is the absolute URL
 * of the request; the next link repeats its options with a new $skiptoken. The bytes are those of
 * JSON.stringify of the page object, written item by item (`serialize` gives each item's JSON
 * text) into a reused buffer.
 */
export function pageBytes<T>(items: readonly T[], q: ListQuery, selfUrl: URL, context: string, serialize: (item: T) => string): PooledBytes {
  const w = new BodyWriter();
  w.write(`{"@odata.context":${JSON.stringify(context)}`);
  if (q.count) w.write(`,"@odata.count":${items.length}`);
  const next = nextLink(items.length, q, selfUrl);
  if (next !== undefined) w.write(`,"@odata.nextLink":${JSON.stringify(next)}`);
  w.write(',"value":[');
  const end = Math.min(items.length, q.offset + q.top);
  for (let i = q.offset; i < end; i++) {
    if (i > q.offset) w.write(',');
    w.write(serialize(items[i]));
  }
  w.write(']}');
  return w.done();
}

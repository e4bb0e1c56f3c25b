// POST /$batch (JSON batching) as Graph does it: at most 20 requests, each answered on its own
// { id, status, headers, body } inside a 200. A request's url is relative to the version
// ("/users/x" or "users/x"): an absolute URL makes the whole batch a 400 ("Invalid batch payload
// format."), and a url that repeats the version ("/v1.0/users/x") is that item's 400 ("Resource
// not found for the segment 'v1.0'."). Items run in any order: shuffled by default (seeded, so a
// test can repeat an order), or as sent with behavior.batchOrder "sequential"; the responses come
// in the order the items ran. dependsOn is honoured: an item runs after the items it depends on,
// and gets 424 when one of them failed.
import { errors, GraphError } from './graph-errors';
import { errorResponse, type GraphResponse } from './graph-routes';

export const MAX_BATCH_REQUESTS = 20;

export interface BatchSubRequest {
  id: string;
  method: string;
  /** Path below the version with its query, e.g. "/users?$top=5". */
  path: string;
  headers: Record<string, string | undefined>;
  body?: unknown;
}

export interface BatchResponseItem {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface BatchOptions {
  /** Picks the next item among those ready to run: an index below `n`. Absent: the first (as sent). */
  pick?: (n: number) => number;
  /** The envelope's client-request-id (for its own error answers). */
  clientRequestId?: string;
}

/** A seeded pseudo-random number generator (mulberry32): the same seed gives the same orders. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** "/users/x?$select=id" from a relative url ("users/x" too); null for an absolute URL. */
export function batchPath(url: string): string | null {
  const u = url.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(u) || u.startsWith('//')) return null;
  return u.startsWith('/') ? u : `/${u}`;
}

/** The items in the order they run: each after its dependencies, the next one chosen by `pick`. */
function runOrder<T extends { id: string; dependsOn: string[] }>(subs: T[], pick: (n: number) => number): T[] {
  const done = new Set<string>();
  const left = [...subs];
  const order: T[] = [];
  while (left.length) {
    const ready = left.filter((s) => s.dependsOn.every((d) => done.has(d)));
    if (!ready.length) throw errors.batchInvalid('The dependsOn of the requests form a cycle.');
    const next = ready[Math.min(ready.length - 1, Math.max(0, pick(ready.length)))]!;
    left.splice(left.indexOf(next), 1);
    done.add(next.id);
    order.push(next);
  }
  return order;
}

export function runBatch(body: unknown, malformed: boolean, execute: (sub: BatchSubRequest) => GraphResponse, opts: BatchOptions = {}): GraphResponse {
  try {
    if (malformed) throw errors.malformedJson();
    const requests = (body as { requests?: unknown } | undefined)?.requests;
    if (!body || typeof body !== 'object' || !Array.isArray(requests)) throw errors.batchInvalid("The body must be an object with a 'requests' array.");
    if (requests.length > MAX_BATCH_REQUESTS) throw errors.batchTooLarge();
    const subs: (BatchSubRequest & { dependsOn: string[] })[] = [];
    const ids = new Set<string>();
    requests.forEach((r, i) => {
      const o = r as Record<string, unknown> | null;
      if (!o || typeof o !== 'object') throw errors.batchInvalid(`requests[${i}] must be an object.`);
      const id = typeof o.id === 'number' ? String(o.id) : o.id;
      if (typeof id !== 'string' || !id) throw errors.batchInvalid(`requests[${i}].id is required.`);
      if (ids.has(id)) throw errors.batchInvalid(`Request id '${id}' is used more than once.`);
      ids.add(id);
      if (typeof o.method !== 'string' || !o.method) throw errors.batchInvalid(`requests[${i}].method is required.`);
      if (typeof o.url !== 'string' || !o.url) throw errors.batchInvalid(`requests[${i}].url is required.`);
      const path = batchPath(o.url);
      if (path === null) throw errors.batchInvalid(`requests[${i}].url must be relative to the version ("/users/{id}"), not an absolute URL.`);
      const headers: Record<string, string | undefined> = {};
      if (o.headers && typeof o.headers === 'object') for (const [k, v] of Object.entries(o.headers)) headers[k.toLowerCase()] = String(v);
      const dependsOn = Array.isArray(o.dependsOn) ? o.dependsOn.map(String) : [];
      for (const d of dependsOn)
        if (!requests.some((x) => String((x as Record<string, unknown>)?.id) === d)) throw errors.batchInvalid(`Request '${id}' depends on unknown request '${d}'.`);
      let b = o.body;
      // Bodies may come as JSON text (or base64 for binary, which Graph's licensing never takes).
      if (typeof b === 'string' && /json/i.test(headers['content-type'] ?? 'application/json')) {
        try {
          b = JSON.parse(b);
        } catch {
          /* leave as text: the route reports a bad body */
        }
      }
      subs.push({ id, method: o.method.toUpperCase(), path, headers, body: b, dependsOn });
    });

    const status = new Map<string, number>();
    let items = 0;
    const responses: BatchResponseItem[] = runOrder(subs, opts.pick ?? (() => 0)).map((sub) => {
      const failedDep = sub.dependsOn.find((d) => !(status.get(d)! >= 200 && status.get(d)! < 300));
      const cid = sub.headers['client-request-id'];
      const version = /^\/(v1\.0|beta)(?=\/|\?|$)/i.exec(sub.path);
      let res: GraphResponse;
      if (failedDep !== undefined) {
        res = errorResponse(new GraphError(424, 'FailedDependency', `Request '${sub.id}' was not run because request '${failedDep}' failed.`), cid);
      } else if (version) {
        res = errorResponse(errors.segmentNotFound(version[1]!), cid);
      } else if (/^\/\$batch(\?|$)/i.test(sub.path)) {
        res = errorResponse(errors.batchInvalid('A batch cannot contain another batch.'), cid);
      } else {
        res = execute(sub);
      }
      status.set(sub.id, res.status);
      const item: BatchResponseItem = { id: sub.id, status: res.status, headers: res.headers };
      if (res.body !== undefined) item.body = res.body;
      items += res.items ?? 1;
      res.bytes?.release(); // parsed into item.body just above
      return item;
    });
    return { status: 200, headers: { 'Content-Type': 'application/json' }, body: { responses }, items };
  } catch (e) {
    if (e instanceof GraphError) return errorResponse(e, opts.clientRequestId);
    return errorResponse(new GraphError(500, 'InternalServerError', `Sandbox error: ${(e as Error).message}`), opts.clientRequestId);
  }
}

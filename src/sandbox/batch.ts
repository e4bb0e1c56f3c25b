// POST /$batch (JSON batching): at most 20 requests, each answered on its own { id, status,
// headers, body } inside a 200; a request's url may be relative ("/users/x", "users/x"), carry
// the /v1.0 prefix (the Graph SDK keeps it) or be absolute. dependsOn is honoured: a request whose
// dependency failed gets 424, as Graph does.
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

/** Normalises a batch request url to "/<path>?<query>" below the version. */
export function batchPath(url: string): string {
  let u = url.trim();
  const abs = /^https?:\/\/[^/]+(\/.*)?$/i.exec(u);
  if (abs) u = abs[1] ?? '/';
  if (!u.startsWith('/')) u = `/${u}`;
  return u.replace(/^\/(v1\.0|beta)(?=\/|\?|$)/i, '') || '/';
}

export function runBatch(body: unknown, malformed: boolean, execute: (sub: BatchSubRequest) => GraphResponse): GraphResponse {
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
      const headers: Record<string, string | undefined> = {};
      if (o.headers && typeof o.headers === 'object') for (const [k, v] of Object.entries(o.headers)) headers[k.toLowerCase()] = String(v);
      const dependsOn = Array.isArray(o.dependsOn) ? o.dependsOn.map(String) : [];
      for (const d of dependsOn) if (!requests.some((x) => String((x as Record<string, unknown>)?.id) === d)) throw errors.batchInvalid(`Request '${id}' depends on unknown request '${d}'.`);
      let b = o.body;
      // Bodies may come as JSON text (or base64 for binary, which Graph's licensing never takes).
      if (typeof b === 'string' && /json/i.test(headers['content-type'] ?? 'application/json')) {
        try {
          b = JSON.parse(b);
        } catch {
          /* leave as text: the route reports a bad body */
        }
      }
      subs.push({ id, method: o.method.toUpperCase(), path: batchPath(o.url), headers, body: b, dependsOn });
    });

    const status = new Map<string, number>();
    const responses: BatchResponseItem[] = subs.map((sub) => {
      const failedDep = sub.dependsOn.find((d) => !(status.get(d)! >= 200 && status.get(d)! < 300));
      let res: GraphResponse;
      if (failedDep !== undefined) {
        res = errorResponse(new GraphError(424, 'FailedDependency', `Request '${sub.id}' was not run because request '${failedDep}' failed.`));
      } else if (/^\/\$batch(\?|$)/i.test(sub.path)) {
        res = errorResponse(errors.batchInvalid('A batch cannot contain another batch.'));
      } else {
        res = execute(sub);
      }
      status.set(sub.id, res.status);
      const item: BatchResponseItem = { id: sub.id, status: res.status, headers: res.headers };
      if (res.body !== undefined) item.body = res.body;
      res.bytes?.release(); // parsed into item.body just above
      return item;
    });
    return { status: 200, headers: { 'Content-Type': 'application/json' }, body: { responses } };
  } catch (e) {
    if (e instanceof GraphError) return errorResponse(e);
    return errorResponse(new GraphError(500, 'InternalServerError', `Sandbox error: ${(e as Error).message}`));
  }
}

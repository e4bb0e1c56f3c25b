// The HTTP side (plain node:http): Graph under /v1.0 with latency, faults and the request log, and
// the test controls under /_sandbox. Any failure is answered in Graph's error shape; the server
// keeps serving whatever a request contained.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { runBatch, seededRandom } from './batch';
import { graphPath, Faults, RequestLog, type RequestLogEntry } from './faults';
import { resolveBehavior, type FixtureResult, type SandboxBehavior } from './fixture';
import { BehaviorSchema, schemaProblems } from './fixture-schema';
import { errors, GraphError } from './graph-errors';
import { errorResponse, handleGraphRequest, type GraphResponse } from './graph-routes';
import { sandboxAccessToken } from './permissions';
import { Tenant } from './tenant';
import { Throttle } from './throttle';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class SandboxHost {
  tenant: Tenant;
  readonly faults = new Faults();
  readonly log = new RequestLog();
  private readonly throttle = new Throttle();
  /** Orders the items of each $batch (behavior.batchOrder "shuffled"), seeded by behavior.seed. */
  private random: () => number;

  /** `reload` re-reads the fixture (its file, if it came from one) for POST /_sandbox/reset. */
  constructor(
    tenant: Tenant,
    private readonly reload: () => FixtureResult,
  ) {
    this.tenant = tenant;
    this.random = seededRandom(tenant.behavior.seed);
  }

  /** Rebuilds the tenant from the fixture; faults and the request log start empty again. */
  reset(): FixtureResult {
    const result = this.reload();
    if (!result.ok) return result;
    this.tenant.dispose();
    this.tenant = new Tenant(result.fixture);
    this.faults.clear();
    this.log.clear();
    this.throttle.reset();
    this.random = seededRandom(this.tenant.behavior.seed);
    return result;
  }

  close(): void {
    this.tenant.dispose();
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = new Date().toISOString();
    let out: GraphResponse;
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    } catch {
      return send(res, errorResponse(errors.invalidBody('bad request URL')));
    }
    const method = (req.method ?? 'GET').toUpperCase();
    let text = '';
    try {
      text = await readBody(req);
    } catch (e) {
      return send(res, errorResponse(e instanceof GraphError ? e : errors.invalidBody('could not read the request body')));
    }
    let body: unknown;
    let malformed = false;
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        malformed = true;
      }
    }

    if (/^\/_sandbox(\/|$)/i.test(url.pathname)) return send(res, this.control(method, url, body, malformed));

    if (!/^\/v1\.0(\/|$)/i.test(url.pathname)) {
      out = errorResponse(new GraphError(404, 'Request_ResourceNotFound', `Only Graph v1.0 is served here (${url.origin}/v1.0).`));
    } else {
      const headers = lowerHeaders(req.headers);
      const cid = headers['client-request-id'];
      const pathAndQuery = sdkNextLinkPath(url.pathname.replace(/^\/v1\.0/i, '')) + url.search;
      if (/^\/\$batch\/?$/i.test(url.pathname.replace(/^\/v1\.0/i, ''))) {
        const taken = this.faults.take(method, '/$batch');
        const fault = taken?.withhold ? undefined : taken;
        const b = this.tenant.behavior;
        out = fault
          ? faultResponse(fault.status, fault.retryAfterSeconds, cid)
          : method !== 'POST'
            ? errorResponse(errors.methodNotAllowed(), cid)
            : runBatch(
                body,
                malformed,
                (sub) => this.graph(sub.method, sub.path, url.origin, { ...sub.headers, 'client-request-id': sub.headers['client-request-id'] ?? cid }, sub.body, false, true),
                {
                  ...(b.batchOrder === 'shuffled' ? { pick: (n: number) => Math.floor(this.random() * n) } : {}),
                  ...(cid ? { clientRequestId: cid } : {}),
                },
              );
        this.logEntry(method, '/$batch', url.search, out.status, at, false, !!fault);
      } else {
        out = this.graph(method, pathAndQuery, url.origin, headers, body, malformed, false, at);
      }
      // Every answer names its request as Graph does (an error's ids are those of its innerError).
      out.headers['request-id'] ??= randomUUID();
      out.headers['client-request-id'] ??= cid ?? randomUUID();
    }
    // latencyMs is added to every Graph answer, as the fixture spec says: it models the network
    // on top of the sandbox's own work (which stands in for Graph's server time); latencyPerItemMs
    // per object in the answer (a page's members, a batch's items) models Graph's own work.
    const { latencyMs, latencyPerItemMs } = this.tenant.behavior;
    const latency = latencyMs + latencyPerItemMs * (out.items ?? 1);
    if (latency > 0) await sleep(latency);
    send(res, out);
  }

  /** One Graph request (top level or inside a batch): fault, route, log. */
  private graph(
    method: string,
    pathAndQuery: string,
    origin: string,
    headers: Record<string, string | undefined>,
    body: unknown,
    malformed: boolean,
    batch: boolean,
    at = new Date().toISOString(),
  ): GraphResponse {
    const [path, query = ''] = splitQuery(pathAndQuery);
    const cid = headers['client-request-id'];
    // Graph's own quotas first: a throttled request does nothing (and meets no injected fault).
    const throttledFor = this.throttle.take(method.toUpperCase(), this.tenant.behavior.throttle);
    if (throttledFor !== undefined) {
      const res = errorResponse(errors.throttled(throttledFor), cid);
      this.logEntry(method, path, query, res.status, at, batch, false);
      return res;
    }
    const fault = this.faults.take(method, path);
    let res: GraphResponse;
    if (fault?.withhold) {
      const url = new URL(`${origin}/v1.0${path}${query ? `?${query}` : ''}`);
      res = withholdFields(handleGraphRequest(this.tenant, { method, path, url, headers, body, malformed }), fault.withhold);
    } else if (fault && !fault.hideSuccess) {
      res = faultResponse(fault.status, fault.retryAfterSeconds, cid);
    } else {
      const url = new URL(`${origin}/v1.0${path}${query ? `?${query}` : ''}`);
      res = handleGraphRequest(this.tenant, { method, path, url, headers, body, malformed });
      if (fault) {
        res.bytes?.release();
        res = faultResponse(fault.status, fault.retryAfterSeconds, cid);
      }
    }
    this.logEntry(method, path, query, res.status, at, batch, !!fault);
    return res;
  }

  /** `path` below the version, as the spec writes Graph paths and fault globs ("/users/x/assignLicense"). */
  private logEntry(method: string, path: string, query: string, status: number, at: string, batch: boolean, fault: boolean): void {
    const q = query.replace(/^\?/, '');
    const e: RequestLogEntry = { method, path, query: q, url: `/v1.0${path}${q ? `?${q}` : ''}`, status, at, batch };
    if (fault) e.fault = true;
    this.log.add(e);
  }

  /** Test controls: not Graph, never delayed, never logged, never faulted. */
  private control(method: string, url: URL, body: unknown, malformed: boolean): GraphResponse {
    const what = url.pathname
      .replace(/^\/_sandbox\/?/i, '')
      .replace(/\/$/, '')
      .toLowerCase();
    const ok = (status: number, b?: unknown): GraphResponse => ({ status, headers: { 'Content-Type': 'application/json' }, body: b });
    const bad = (message: string) => ok(400, { error: { code: 'BadRequest', message } });
    if (malformed) return bad('body is not valid JSON');
    switch (`${method} ${what}`) {
      case 'GET requests':
        return ok(200, this.log.all());
      case 'DELETE requests':
        this.log.clear();
        return ok(204);
      case 'GET faults':
        return ok(200, this.faults.list());
      case 'POST faults': {
        const specs = Array.isArray(body) ? body : [body];
        const added = [];
        for (const spec of specs) {
          const f = this.faults.add(spec);
          if (typeof f === 'string') return bad(`fault: ${f}`);
          added.push(f);
        }
        return ok(201, Array.isArray(body) ? added : added[0]);
      }
      case 'DELETE faults':
        this.faults.clear();
        return ok(204);
      case 'POST reset': {
        const r = this.reset();
        return r.ok ? ok(200, { tenant: tenantInfo(this.tenant) }) : ok(400, { error: { code: 'InvalidFixture', message: 'the fixture is invalid', problems: r.problems } });
      }
      case 'GET token':
      case 'POST token':
        // An app-only token whose roles claim is the fixture's app.roles (permissions.ts).
        return ok(200, { token_type: 'Bearer', expires_in: 3599, access_token: sandboxAccessToken(this.tenant) });
      case 'GET state':
        return ok(200, {
          tenant: tenantInfo(this.tenant),
          behavior: this.tenant.behavior,
          processing: this.tenant.processing,
          faults: this.faults.list().length,
          requests: this.log.all().length,
        });
      case 'POST behavior':
      case 'PATCH behavior': {
        // Any field of the fixture's behavior, checked as the fixture is; null throttle = off.
        const b = { ...((body ?? {}) as Record<string, unknown>) };
        const off = b.throttle === null;
        if (off) delete b.throttle;
        const parsed = BehaviorSchema.safeParse(b);
        if (!parsed.success)
          return bad(
            schemaProblems(parsed.error)
              .map((p) => `${p.path}: ${p.message}`)
              .join('; '),
          );
        const resolved = resolveBehavior(b);
        const target = this.tenant.behavior as unknown as Record<string, unknown>;
        for (const k of Object.keys(b) as (keyof SandboxBehavior)[]) target[k] = resolved[k];
        if (off) this.tenant.behavior.throttle = null;
        if ('seed' in b) this.random = seededRandom(this.tenant.behavior.seed);
        return ok(200, this.tenant.behavior);
      }
      case 'POST seats': {
        // Seats bought or cancelled in the admin center: { "sku": part number or skuId, "enabled": n }.
        // Members already in error stay so until they are reprocessed, as in Entra.
        const b = (body ?? {}) as { sku?: unknown; enabled?: unknown };
        const key = typeof b.sku === 'string' ? b.sku.trim().toLowerCase() : '';
        const sku = this.tenant.skus.find((x) => x.skuPartNumber.toLowerCase() === key || x.skuId === key);
        if (!sku) return bad(`seats: no subscription ${JSON.stringify(b.sku)} (a skuPartNumber or skuId of the fixture)`);
        if (typeof b.enabled !== 'number' || !Number.isInteger(b.enabled) || b.enabled < 0 || b.enabled > 10_000_000)
          return bad('seats: enabled must be a whole number, 0 or more');
        (sku as { enabled: number }).enabled = b.enabled;
        return ok(200, { sku: sku.skuPartNumber, skuId: sku.skuId, enabled: sku.enabled, consumed: sku.consumed });
      }
      default:
        return ok(404, {
          error: {
            code: 'NotFound',
            message: `No sandbox control ${method} ${url.pathname}. Try GET|DELETE /_sandbox/requests, GET|POST|DELETE /_sandbox/faults, POST /_sandbox/reset, GET /_sandbox/state, POST /_sandbox/behavior, POST /_sandbox/seats, POST /_sandbox/token.`,
          },
        });
    }
  }
}

export function tenantInfo(t: Tenant): { id: string; displayName: string; defaultUsageLocation: string | null } {
  return { id: t.id, displayName: t.displayName, defaultUsageLocation: t.defaultUsageLocation };
}

export function createHttpServer(host: SandboxHost): http.Server {
  const server = http.createServer((req, res) => {
    host.handle(req, res).catch((e: unknown) => {
      // Last resort: answer something Graph-shaped and keep serving.
      if (!res.headersSent) send(res, errorResponse(new GraphError(500, 'InternalServerError', `Sandbox error: ${(e as Error).message}`)));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  return server;
}

/** A served answer without `fields` on its object or on each object of its collection (a withhold fault). */
function withholdFields(res: GraphResponse, fields: readonly string[]): GraphResponse {
  if (res.status < 200 || res.status >= 300) return res;
  const body = res.body as Record<string, unknown> | undefined;
  res.bytes?.release();
  if (!body || typeof body !== 'object') return { status: res.status, headers: res.headers, body };
  const strip = (o: unknown) => {
    if (o && typeof o === 'object') for (const f of fields) delete (o as Record<string, unknown>)[f];
  };
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  if (Array.isArray(copy.value)) copy.value.forEach(strip);
  else strip(copy);
  return { status: res.status, headers: res.headers, body: copy };
}

function faultResponse(status: number, retryAfterSeconds?: number, clientRequestId?: string): GraphResponse {
  return errorResponse(status === 429 ? errors.throttled(retryAfterSeconds ?? 1) : errors.serverError(status, retryAfterSeconds), clientRequestId);
}

/**
 * The Graph SDK strips only an "https://" host from an absolute URL, so `client.api(nextLink)` on
 * this http server requests "/v1.0/http://127.0.0.1:PORT/v1.0/users?...". Real Graph links are
 * https and work; serve the embedded path so PageIterator works here too.
 */
function sdkNextLinkPath(path: string): string {
  const m = /^\/https?:\/\/?[^/]+\/v1\.0(\/.*)?$/i.exec(path);
  return m ? (m[1] ?? '/') : path;
}

function splitQuery(pathAndQuery: string): [string, string] {
  const i = pathAndQuery.indexOf('?');
  return i < 0 ? [pathAndQuery, ''] : [pathAndQuery.slice(0, i), pathAndQuery.slice(i + 1)];
}

function lowerHeaders(h: http.IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(errors.invalidBody('the request body is too large'));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, r: GraphResponse): void {
  if (res.headersSent) {
    r.bytes?.release();
    return;
  }
  let bytes: Buffer | undefined;
  if (r.bytes) {
    // Already JSON (pages of collections): its buffer goes back to the pool once written out.
    const pooled = r.bytes;
    bytes = r.status === 204 || !pooled.bytes.length ? undefined : pooled.bytes;
    res.once('finish', pooled.release);
    res.once('close', pooled.release);
  } else if (r.status !== 204 && r.body !== undefined) {
    const body = r.body;
    const text = typeof body === 'string' && (r.headers['Content-Type'] ?? '').startsWith('text/plain');
    const payload = text ? (body as string) : JSON.stringify(body);
    // Encoded once: its length is the Content-Length.
    if (payload) bytes = Buffer.from(payload, 'utf8');
  }
  const headers: Record<string, string | number> = { ...r.headers };
  if (bytes) headers['Content-Length'] = bytes.length;
  else delete headers['Content-Type'];
  res.writeHead(r.status, headers);
  res.end(bytes);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export { graphPath };

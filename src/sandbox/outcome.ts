// The sandbox in one process, for checking outcomes: a fixture's tenant answered to the real Graph
// client through a last middleware instead of a socket (the same routes, $batch and errors as the
// HTTP server, without faults or latency), group processing run at once, and each person's
// licenses and enabled service plans read straight from the tenant.
//
//   const sb = OutcomeSandbox.fromFixture(fixture);
//   const service = new LicenseService(new GraphGateway(sb.graphClient(), OutcomeSandbox.HOST));
//   const before = sb.people();
//   await service.swap(change); await sb.settle();
//   const after = sb.people();
//
// Why in process: the outcome oracle (test/oracle) builds a tenant per case, hundreds per run; a
// server and a socket per tenant would cost more than the checks themselves.
import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { runBatch } from './batch';
import { validateFixture, formatProblems, type TenantFixture } from './fixture';
import { errors, GraphError } from './graph-errors';
import { errorResponse, handleGraphRequest, type GraphResponse } from './graph-routes';
import { Tenant, type LicenseState, type UserRec } from './tenant';

/** One license state of a person as Entra keeps it: per SKU and source. */
export interface PersonLicense {
  skuId: string;
  /** null = direct. */
  assignedByGroup: string | null;
  state: LicenseState['state'];
  error: LicenseState['error'];
  disabledPlans: string[];
}

/** A person's licenses and the service plans they have enabled (from their Active licenses). */
export interface PersonState {
  id: string;
  userPrincipalName: string;
  displayName: string;
  licenses: PersonLicense[];
  /** Enabled service plans: the union over Active states of each SKU's plans less its disabledPlans. */
  enabledPlans: { id: string; name: string }[];
}

export class OutcomeSandbox {
  /** The host the in-process client pretends to talk to (give it to GraphGateway). */
  static readonly HOST = 'https://sandbox.invalid/';

  private constructor(readonly tenant: Tenant) {}

  /** Throws with every problem when the fixture is invalid. Group processing is immediate. */
  static fromFixture(fixture: TenantFixture): OutcomeSandbox {
    const r = validateFixture(fixture);
    if (!r.ok) throw new Error(`invalid fixture:\n${formatProblems(r.problems)}`);
    const tenant = new Tenant(r.fixture);
    // Immediate and current: no processing time, no late start, no replication lag, no throttling.
    tenant.behavior = { ...tenant.behavior, groupProcessingMs: 0, latencyMs: 0, latencyPerItemMs: 0, processingStartMs: 0, replicationLagMs: 0, throttle: null };
    return new OutcomeSandbox(tenant);
  }

  /** A Graph SDK client answered by this tenant (no network). */
  graphClient(): Client {
    return Client.initWithMiddleware({ middleware: new InProcessGraph(this.tenant), baseUrl: OutcomeSandbox.HOST, defaultVersion: 'v1.0' });
  }

  /** Resolves once no group change is waiting for processing. */
  async settle(): Promise<void> {
    while (this.tenant.processing) await new Promise((r) => setTimeout(r, 0));
  }

  /** Every user, as they stand now. */
  people(): PersonState[] {
    return this.tenant.users.map((u) => this.person(u));
  }

  person(u: UserRec): PersonState {
    const enabled = new Map<string, { id: string; name: string }>();
    for (const s of u.states) {
      if (s.state !== 'Active') continue;
      const off = new Set(s.disabledPlans);
      for (const p of this.tenant.sku(s.skuId)?.servicePlans ?? []) if (!off.has(p.id)) enabled.set(p.id, { id: p.id, name: p.name });
    }
    return {
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      displayName: u.displayName,
      licenses: u.states.map((s) => ({ skuId: s.skuId, assignedByGroup: s.assignedByGroup, state: s.state, error: s.error, disabledPlans: [...s.disabledPlans] })),
      enabledPlans: [...enabled.values()],
    };
  }

  dispose(): void {
    this.tenant.dispose();
  }
}

/** The last link of the Graph client's middleware: answers from the tenant as the HTTP server would. */
class InProcessGraph implements Middleware {
  constructor(private readonly tenant: Tenant) {}

  async execute(context: Context): Promise<void> {
    const url = new URL(typeof context.request === 'string' ? context.request : context.request.url);
    const options = (context.options ?? {}) as RequestInit;
    const method = (options.method ?? 'GET').toUpperCase();
    const headers = lowerHeaders(options.headers);
    const text = typeof options.body === 'string' ? options.body : options.body ? Buffer.from(options.body as ArrayBuffer).toString('utf8') : '';
    let body: unknown;
    let malformed = false;
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        malformed = true;
      }
    }
    const path = url.pathname.replace(/^\/v1\.0/i, '');
    let out: GraphResponse;
    if (/^\/\$batch\/?$/i.test(path)) {
      out = method !== 'POST' ? errorResponse(errors.methodNotAllowed()) : runBatch(body, malformed, (sub) => this.route(sub.method, sub.path, sub.headers, sub.body, false));
    } else {
      out = this.route(method, path + url.search, headers, body, malformed);
    }
    context.response = toResponse(out);
  }

  private route(method: string, pathAndQuery: string, headers: Record<string, string | undefined>, body: unknown, malformed: boolean): GraphResponse {
    const i = pathAndQuery.indexOf('?');
    const path = i < 0 ? pathAndQuery : pathAndQuery.slice(0, i);
    const query = i < 0 ? '' : pathAndQuery.slice(i + 1);
    try {
      const url = new URL(`${OutcomeSandbox.HOST}v1.0${path}${query ? `?${query}` : ''}`);
      return handleGraphRequest(this.tenant, { method, path, url, headers, body, malformed });
    } catch (e) {
      return errorResponse(e instanceof GraphError ? e : new GraphError(500, 'InternalServerError', `Sandbox error: ${(e as Error).message}`));
    }
  }
}

function lowerHeaders(h: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (!h) return out;
  if (h instanceof Headers) h.forEach((v, k) => (out[k.toLowerCase()] = v));
  else if (Array.isArray(h)) for (const [k, v] of h as [string, string][]) out[k.toLowerCase()] = v;
  else for (const [k, v] of Object.entries(h as Record<string, unknown>)) if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  return out;
}

function toResponse(r: GraphResponse): Response {
  let bytes: Buffer | undefined;
  if (r.bytes) {
    bytes = Buffer.from(r.bytes.bytes); // a copy: the pooled buffer goes back at once
    r.bytes.release();
  } else if (r.body !== undefined) {
    const plain = typeof r.body === 'string' && (r.headers['Content-Type'] ?? '').startsWith('text/plain');
    bytes = Buffer.from(plain ? (r.body as string) : JSON.stringify(r.body), 'utf8');
  }
  const empty = r.status === 204 || r.status === 304 || !bytes || !bytes.length;
  const headers = new Headers(r.headers);
  if (empty) headers.delete('Content-Type');
  return new Response(empty ? null : bytes, { status: r.status, headers });
}

// The Graph v1.0 surface of the sandbox: one function per route, all synchronous over the
// in-memory tenant. Used for top-level requests and for each request inside a $batch alike.
import { isGuid } from './ids';
import { errors, GraphError } from './graph-errors';
import { permissionDenied } from './permissions';
import { installedAppsRoute } from './teams-apps';
import { applyListQuery, pageBytes, parseListQuery, parseSelect, type PooledBytes, type ResourceQuerySupport } from './odata';
import {
  directoryObjectJsonText,
  groupJson,
  groupJsonText,
  groupQuerySupport,
  memberQuerySupport,
  organizationJson,
  resolveSelect,
  skuJson,
  userJson,
  userJsonText,
  userQuerySupport,
  USER_PROPERTIES,
  type ObjectKind,
} from './resources';
import { countryCode } from '../reference/countries';
import type { GroupRec, LicenseChange, Tenant, UserRec } from './tenant';

export interface GraphRequest {
  method: string;
  /** Path below the version, e.g. "/users/abc/assignLicense" (still URL-encoded). */
  path: string;
  /** Absolute URL of the request as the caller would page it (with /v1.0), for @odata.nextLink. */
  url: URL;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** Parsed JSON body; `malformed` when the body was not JSON. */
  body?: unknown;
  malformed?: boolean;
  /** Set by the router for a trailing /$count segment. */
  countOnly?: boolean;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  /** The body already written as UTF-8 JSON (pages of collections); `body` then parses it when read. */
  bytes?: PooledBytes;
  /** Objects in the answer (a page's items; absent: one), for behavior.latencyPerItemMs. */
  items?: number;
}

const JSON_TYPE = 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): GraphResponse => ({
  status,
  headers: { 'Content-Type': JSON_TYPE, ...headers },
  body,
});

/** A JSON answer already written as bytes: sent as they are; `body` (for $batch) is parsed only when read. */
function jsonBytes(status: number, bytes: PooledBytes): GraphResponse {
  let parsed: unknown;
  return {
    status,
    headers: { 'Content-Type': JSON_TYPE },
    bytes,
    get body() {
      return (parsed ??= JSON.parse(bytes.bytes.toString('utf8')));
    },
  };
}

/** Graph's error answer; the request-id and client-request-id headers repeat the body's innerError. */
export function errorResponse(e: GraphError, clientRequestId?: string): GraphResponse {
  const body = e.body(clientRequestId);
  return json(e.status, body, { ...e.headers, 'request-id': body.error.innerError['request-id'], 'client-request-id': body.error.innerError['client-request-id'] });
}

/** Runs one Graph request against the tenant; every failure becomes Graph's error JSON. */
export function handleGraphRequest(tenant: Tenant, req: GraphRequest): GraphResponse {
  try {
    return route(tenant, req);
  } catch (e) {
    const cid = req.headers['client-request-id'];
    if (e instanceof GraphError) return errorResponse(e, cid);
    // A sandbox bug must not look like a tenant answer nor stop the server.
    return errorResponse(new GraphError(500, 'InternalServerError', `Sandbox error: ${(e as Error).message}`), cid);
  }
}

/** `users('key')` (OData key syntax, quotes doubled inside) -> ['users', 'key']. */
function keySegments(segs: string[]): string[] {
  const m = segs.length ? /^(users|groups)\('((?:[^']|'')*)'\)$/i.exec(segs[0]!) : null;
  return m ? [m[1]!, m[2]!.replace(/''/g, "'"), ...segs.slice(1)] : segs;
}

function route(tenant: Tenant, req: GraphRequest): GraphResponse {
  const raw = req.path.split('/').filter(Boolean).map(decodeSegment);
  // "$..." after /users or /groups is a system segment ($count, $ref...), never a key: a UPN that
  // starts with "$" must use the key form /users('$x').
  if (raw.length >= 2 && /^(users|groups)$/i.test(raw[0]!) && raw[1]!.startsWith('$') && raw[1]!.toLowerCase() !== '$count') throw errors.segmentNotFound(raw[1]!);
  const segs = keySegments(raw);
  const lower = segs.map((s) => s.toLowerCase());
  // /users/$count, /groups/{id}/members/microsoft.graph.user/$count ...: the collection's size.
  if (segs.length >= 2 && lower[lower.length - 1] === '$count') {
    segs.pop();
    lower.pop();
    req = { ...req, countOnly: true };
  }
  const m = req.method.toUpperCase();
  const denied = permissionDenied(tenant, m, segs);
  if (denied) throw denied;
  const ctx = `${req.url.origin}/v1.0/$metadata#`;
  const only = (method: string) => {
    if (m !== method) throw errors.methodNotAllowed();
  };

  switch (lower[0]) {
    case 'organization': {
      only('GET');
      if (segs.length === 1) return json(200, { '@odata.context': `${ctx}organization`, value: [organizationJson(tenant)] });
      if (segs.length === 2 && segs[1].toLowerCase() === tenant.id) return json(200, { '@odata.context': `${ctx}organization/$entity`, ...organizationJson(tenant) });
      throw errors.notFound(segs[1]);
    }
    case 'subscribedskus': {
      only('GET');
      if (segs.length === 1) return json(200, { '@odata.context': `${ctx}subscribedSkus`, value: tenant.skus.map(skuJson) });
      const sku = tenant.skus.find((s) => s.id.toLowerCase() === lower[1] || s.skuId === lower[1]);
      if (segs.length === 2 && sku) return json(200, { '@odata.context': `${ctx}subscribedSkus/$entity`, ...skuJson(sku) });
      throw errors.notFound(segs[1] ?? '');
    }
    case 'users':
      return usersRoute(tenant, req, segs, lower, ctx);
    case 'groups':
      return groupsRoute(tenant, req, segs, lower, ctx);
    default:
      throw errors.noRoute(req.path);
  }
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new GraphError(400, 'BadRequest', `Invalid URL segment '${s}'.`);
  }
}

function usersRoute(tenant: Tenant, req: GraphRequest, segs: string[], lower: string[], ctx: string): GraphResponse {
  const m = req.method.toUpperCase();
  if (segs.length === 1) {
    if (m !== 'GET') throw errors.methodNotAllowed();
    return list(tenant.users, req, userQuerySupport(tenant), 'user', `${ctx}users`, (u, sel) => userJsonText(u, tenant, sel));
  }
  const user = tenant.user(segs[1]);
  if (!user) throw errors.notFound(segs[1]);
  if (segs.length === 2) {
    if (m === 'PATCH') {
      tenant.updateUser(user, userPatch(req));
      return { status: 204, headers: {} };
    }
    if (m !== 'GET') throw errors.methodNotAllowed();
    const select = resolveSelect(parseSelect(req.url.searchParams), 'user');
    return json(200, { '@odata.context': `${ctx}users/$entity`, ...userJson(user, tenant, select) });
  }
  if (segs.length === 3 && lower[2] === 'assignlicense') {
    if (m !== 'POST') throw errors.methodNotAllowed();
    tenant.assignUserLicense(user, licenseChange(req));
    return json(200, { '@odata.context': `${ctx}users/$entity`, ...userJson(user, tenant) });
  }
  if (segs.length === 3 && lower[2] === 'reprocesslicenseassignment') {
    if (m !== 'POST') throw errors.methodNotAllowed();
    tenant.reprocessUser(user);
    return json(200, { '@odata.context': `${ctx}users/$entity`, ...userJson(user, tenant) });
  }
  if (segs.length === 4 && lower[2] === 'teamwork' && lower[3] === 'installedapps') {
    const res = installedAppsRoute(tenant, user, req, ctx);
    return res.body === undefined ? { status: res.status, headers: {} } : json(res.status, res.body);
  }
  if (segs.length === 3 && lower[2] === 'memberof') {
    if (m !== 'GET') throw errors.methodNotAllowed();
    return list(user.memberOf, req, memberQuerySupport(tenant), 'directoryObject', `${ctx}directoryObjects`, (g, sel) => directoryObjectJsonText(g, tenant, sel, true));
  }
  throw errors.noRoute(req.path);
}

function groupsRoute(tenant: Tenant, req: GraphRequest, segs: string[], lower: string[], ctx: string): GraphResponse {
  const m = req.method.toUpperCase();
  if (segs.length === 1) {
    if (m !== 'GET') throw errors.methodNotAllowed();
    return list(tenant.groups, req, groupQuerySupport(tenant), 'group', `${ctx}groups`, (g, sel) => groupJsonText(g, tenant, sel));
  }
  const group = tenant.group(segs[1]);
  if (!group) throw errors.notFound(segs[1]);
  if (segs.length === 2 && m === 'DELETE') {
    tenant.deleteGroup(group);
    return { status: 204, headers: {} };
  }
  if (segs.length === 4 && lower[2] === 'members' && lower[3] === '$ref') {
    // { "@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}" }
    if (m !== 'POST') throw errors.methodNotAllowed();
    const ref = (req.body as { '@odata.id'?: unknown } | undefined)?.['@odata.id'];
    const id = typeof ref === 'string' ? (ref.split('/').pop() ?? '') : '';
    const user = id ? tenant.user(id) : undefined;
    if (!user) throw errors.notFound(id);
    tenant.addMember(group, user);
    return { status: 204, headers: {} };
  }
  if (segs.length === 2) {
    if (m !== 'GET') throw errors.methodNotAllowed();
    const select = resolveSelect(parseSelect(req.url.searchParams), 'group');
    return json(200, { '@odata.context': `${ctx}groups/$entity`, ...groupJson(group, tenant, select) });
  }
  const sub = lower[2];
  if (sub === 'assignlicense' && segs.length === 3) {
    if (m !== 'POST') throw errors.methodNotAllowed();
    tenant.assignGroupLicense(group, licenseChange(req));
    return json(202, { '@odata.context': `${ctx}groups/$entity`, ...groupJson(group, tenant) });
  }
  if (m !== 'GET') throw errors.methodNotAllowed();
  if (sub === 'members' && segs.length === 3) {
    return list(group.members, req, memberQuerySupport(tenant), 'directoryObject', `${ctx}directoryObjects`, (o, sel) => directoryObjectJsonText(o, tenant, sel, true));
  }
  if (sub === 'members' && segs.length === 4 && (lower[3] === 'microsoft.graph.user' || lower[3] === 'microsoft.graph.group')) {
    // Cast segments narrow the members to one type, as in Graph.
    if (lower[3] === 'microsoft.graph.user') {
      return list(group.userMembers, req, userQuerySupport(tenant), 'user', `${ctx}users`, (u, sel) => directoryObjectJsonText(u, tenant, sel));
    }
    const groups = group.members.filter((o): o is GroupRec => o.kind === 'group');
    return list(groups, req, groupQuerySupport(tenant), 'group', `${ctx}groups`, (g, sel) => directoryObjectJsonText(g, tenant, sel));
  }
  if (sub === 'memberswithlicenseerrors' && segs.length === 3) {
    const users: (UserRec | GroupRec)[] = tenant.membersWithLicenseErrors(group);
    return list(users, req, memberQuerySupport(tenant), 'directoryObject', `${ctx}directoryObjects`, (o, sel) => directoryObjectJsonText(o, tenant, sel, true));
  }
  throw errors.noRoute(req.path);
}

function list<T>(
  items: readonly T[],
  req: GraphRequest,
  support: ResourceQuerySupport<T>,
  kind: ObjectKind,
  context: string,
  /** The item's JSON text with $select applied. */
  serialize: (item: T, select?: string[]) => string,
): GraphResponse {
  const q = parseListQuery(req.url.searchParams, req.headers, support);
  const select = resolveSelect(q.select, kind);
  const matching = applyListQuery(items, q, support);
  if (req.countOnly) {
    if ((req.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual') throw errors.countNeedsConsistency();
    return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: String(matching.length) };
  }
  const res = jsonBytes(
    200,
    pageBytes(matching, q, req.url, context, (x) => serialize(x, select)),
  );
  res.items = Math.max(0, Math.min(matching.length, q.offset + q.top) - q.offset);
  return res;
}

/** What PATCH /users/{id} may change in the sandbox (Graph has more; the sandbox models these). */
const USER_WRITABLE = new Set(['usageLocation', 'displayName', 'department', 'accountEnabled']);
/** Properties Graph computes itself: setting them is refused. */
const USER_READ_ONLY = new Set(['id', 'assignedLicenses', 'licenseAssignmentStates', 'assignedPlans', 'provisionedPlans']);

/**
 * A PATCH /users/{id} body, checked as strictly as Graph: a JSON object of known, writable
 * properties with values of their type; usageLocation an ISO 3166-1 alpha-2 country code (not
 * nullable). Every property is checked before anything is changed (all or nothing).
 */
function userPatch(req: GraphRequest): Parameters<Tenant['updateUser']>[1] {
  if (req.malformed) throw errors.malformedJson();
  const body = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.invalidBody('expected a JSON object with the properties to change.');
  const out: Parameters<Tenant['updateUser']>[1] = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key.startsWith('@odata.')) continue;
    if (USER_READ_ONLY.has(key)) throw errors.readOnlyProperty(key);
    if (!USER_PROPERTIES.has(key)) throw errors.undeclaredProperty(key);
    if (!USER_WRITABLE.has(key)) throw errors.notModelled(key);
    if (key === 'usageLocation') {
      // Not nullable; an upper-case ISO code (the product sends upper case; how Graph treats "be" is not documented, so it is refused).
      const code = typeof value === 'string' && /^[A-Z]{2}$/.test(value) ? countryCode(value) : undefined;
      if (!code) throw errors.invalidPropertyValue('usageLocation');
      out.usageLocation = code;
    } else if (key === 'displayName') {
      if (typeof value !== 'string' || !value.trim()) throw errors.invalidPropertyValue('displayName');
      out.displayName = value;
    } else if (key === 'department') {
      if (value !== null && typeof value !== 'string') throw errors.invalidPropertyValue('department');
      out.department = value;
    } else if (key === 'accountEnabled') {
      if (typeof value !== 'boolean') throw errors.invalidPropertyValue('accountEnabled');
      out.accountEnabled = value;
    }
  }
  if (!Object.keys(out).length) throw errors.invalidBody('no property to change.');
  return out;
}

/** The assignLicense body: both lists required (Graph refuses a missing removeLicenses), GUIDs only. */
function licenseChange(req: GraphRequest): LicenseChange {
  if (req.malformed) throw errors.malformedJson();
  const body = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.invalidBody('expected a JSON object with addLicenses and removeLicenses.');
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.addLicenses)) throw errors.invalidBody("'addLicenses' is required and must be an array of assignedLicense.");
  if (!Array.isArray(b.removeLicenses)) throw errors.invalidBody("'removeLicenses' is required and must be an array of skuId.");
  const guid = (v: unknown, what: string): string => {
    if (typeof v !== 'string') throw errors.invalidBody(`${what} must be a GUID string.`);
    if (!isGuid(v)) throw errors.notAGuid();
    return v.toLowerCase();
  };
  const addLicenses = b.addLicenses.map((l, i) => {
    if (!l || typeof l !== 'object' || Array.isArray(l)) throw errors.invalidBody(`addLicenses[${i}] must be an object with skuId.`);
    const o = l as Record<string, unknown>;
    const disabled = o.disabledPlans ?? [];
    if (!Array.isArray(disabled)) throw errors.invalidBody(`addLicenses[${i}].disabledPlans must be an array of plan ids.`);
    return { skuId: guid(o.skuId, `addLicenses[${i}].skuId`), disabledPlans: [...new Set(disabled.map((p, j) => guid(p, `addLicenses[${i}].disabledPlans[${j}]`)))] };
  });
  const removeLicenses = b.removeLicenses.map((v, i) => guid(v, `removeLicenses[${i}]`));
  return { addLicenses, removeLicenses: [...new Set(removeLicenses)] };
}

// The doctor's walk through a tenant: sign in and read the token's roles, then each kind of Graph
// read the product relies on, once, on one group and one user (named, or the first licensed ones).
// Read-only: the only POST is a $batch of one GET. Every answer becomes a CallCheck (classify.ts).
import { GROUP_SELECT, USER_SELECT } from '../graph/gateway';
import { MEMBER_SELECT } from '../licensing/snapshot';
import { classify, skipped, type Answer, type CallSpec } from './classify';
import type { CallCheck, DoctorReport, Subject } from './model';
import { checkRoles, extraRoles } from './permissions';
import { decodeAccessToken } from './token';
import { isGuid } from '../guid';

/** What the doctor needs from Graph: raw answers and the app's access token (src/graph/doctor-reads.ts). */
export interface DoctorGraph {
  graphBaseUrl: string;
  accessToken(): Promise<string>;
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  post(path: string, body: unknown): Promise<Answer>;
}

export interface DoctorOptions {
  /** A group's display name or object id (default: the first group holding a license). */
  group?: string;
  /** A user's UPN or object id (default: the first licensed member of the group, else of the tenant). */
  user?: string;
  now?: () => number;
}

const enc = encodeURIComponent;
const literal = (s: string) => enc(`'${s.replace(/'/g, "''")}'`);
const SEARCH_SELECT = 'id,userPrincipalName,displayName,department,usageLocation,accountEnabled';
const field = (s: string) => s.split(',');

/** The reads, as the product makes them (same $select, page size and headers). */
export const CALLS = {
  organization: {
    call: 'organization',
    need: 'required',
    permission: 'Organization.Read.All',
    shape: 'collection',
    request: 'GET /organization?$select=id,displayName,countryLetterCode',
    fields: field('id,displayName,countryLetterCode'),
  },
  subscribedSkus: {
    call: 'subscribedSkus',
    need: 'required',
    permission: 'LicenseAssignment.Read.All',
    shape: 'collection',
    request: 'GET /subscribedSkus',
    fields: field('skuId,skuPartNumber,prepaidUnits,consumedUnits,servicePlans,appliesTo,capabilityStatus'),
  },
  findGroup: {
    call: 'findGroup',
    need: 'required',
    permission: 'GroupMember.Read.All',
    shape: 'collection',
    request: `GET /groups?$filter=displayName eq '…'&$select=${GROUP_SELECT}`,
    fields: field(GROUP_SELECT),
  },
  group: { call: 'group', need: 'required', permission: 'GroupMember.Read.All', shape: 'entity', request: `GET /groups/{id}?$select=${GROUP_SELECT}`, fields: field(GROUP_SELECT) },
  groupUsers: {
    call: 'groupUsers',
    need: 'required',
    permission: 'GroupMember.Read.All',
    shape: 'collection',
    request: `GET /groups/{id}/members/microsoft.graph.user?$select=${MEMBER_SELECT}&$top=999`,
    fields: field(MEMBER_SELECT),
  },
  nestedGroups: {
    call: 'nestedGroups',
    need: 'required',
    permission: 'GroupMember.Read.All',
    shape: 'collection',
    request: 'GET /groups/{id}/members/microsoft.graph.group?$select=id,displayName&$top=999',
    fields: field('id,displayName'),
  },
  memberCount: {
    call: 'memberCount',
    need: 'optional',
    permission: 'GroupMember.Read.All',
    shape: 'count',
    request: 'GET /groups/{id}/members/microsoft.graph.user/$count (ConsistencyLevel: eventual)',
  },
  membersWithLicenseErrors: {
    call: 'membersWithLicenseErrors',
    need: 'required',
    permission: 'GroupMember.Read.All',
    shape: 'collection',
    request: 'GET /groups/{id}/membersWithLicenseErrors?$select=id&$top=999',
    fields: field('id'),
  },
  user: { call: 'user', need: 'required', permission: 'User.Read.All', shape: 'entity', request: `GET /users/{id}?$select=${USER_SELECT}`, fields: field(USER_SELECT) },
  findUsers: {
    call: 'findUsers',
    need: 'required',
    permission: 'User.Read.All',
    shape: 'collection',
    request: `GET /users?$filter=startswith(displayName,'…')&$select=${SEARCH_SELECT}&$top=10`,
    fields: field(SEARCH_SELECT),
  },
  batch: {
    call: 'batch',
    need: 'required',
    permission: 'User.Read.All',
    shape: 'batch',
    request: `POST /$batch [GET /users/{id}?$select=${USER_SELECT}]`,
    fields: field(USER_SELECT),
  },
  teamsApps: {
    call: 'teamsApps',
    need: 'optional',
    permission: 'TeamsAppInstallation.ReadWriteSelfForUser.All',
    shape: 'collection',
    request: 'GET /users/{id}/teamwork/installedApps?$expand=teamsApp',
    fields: field('id'),
  },
} satisfies Record<string, CallSpec>;

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined);
const items = (a: Answer): Rec[] => (Array.isArray(rec(a.body)?.value) ? (rec(a.body)!.value as unknown[]).map((x) => rec(x) ?? {}) : []);
const licensed = (o: Rec) => Array.isArray(o.assignedLicenses) && o.assignedLicenses.length > 0;
const nameOf = (o: Rec, fallback: string) => String(o.displayName ?? o.userPrincipalName ?? fallback);

/** A user as a path segment: `.`/`..`/slashes refused, `$`-leading UPNs in the /users('…') form. */
export function userPath(idOrUpn: string): string | undefined {
  const v = idOrUpn.trim();
  if (!v || v === '.' || v === '..' || v.includes('/') || v.includes('\\')) return undefined;
  return v.startsWith('$') ? `/users(${literal(v)})` : `/users/${enc(v)}`;
}

export async function runDoctor(graph: DoctorGraph, opts: DoctorOptions = {}): Promise<DoctorReport> {
  const now = opts.now ?? Date.now;
  const started = now();
  const calls: CallCheck[] = [];
  const report: DoctorReport = { ok: false, graphBaseUrl: graph.graphBaseUrl, signIn: { ok: false }, permissions: [], extraRoles: [], calls, ms: 0 };

  // Sign in: the token's claims say which app, which tenant, which application permissions.
  let roles: string[] = [];
  try {
    const claims = decodeAccessToken(await graph.accessToken());
    if (!claims) throw new Error('the access token could not be read');
    roles = claims.roles;
    report.signIn = { ok: true, ...(claims.appId ? { appId: claims.appId } : {}), ...(claims.tenantId ? { tenantId: claims.tenantId } : {}) };
  } catch (err) {
    report.signIn = { ok: false, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
    report.ms = now() - started;
    return report;
  }
  report.permissions = checkRoles(roles);
  report.extraRoles = extraRoles(roles);

  const run = async (spec: CallSpec, send: () => Promise<Answer>): Promise<{ check: CallCheck; answer: Answer }> => {
    const t0 = now();
    const answer = await send();
    const check = classify(spec, answer, now() - t0);
    calls.push(check);
    return { check, answer };
  };

  const org = await run(CALLS.organization, () => graph.get('/organization?$select=id,displayName,countryLetterCode'));
  const o = items(org.answer)[0];
  if (o && typeof o.id === 'string') report.tenant = { id: o.id, displayName: nameOf(o, o.id) };
  await run(CALLS.subscribedSkus, () => graph.get('/subscribedSkus'));

  // The group: named (by id or name) or the first one holding a license.
  let group: Subject | undefined;
  const named = opts.group?.trim();
  if (named && !isGuid(named)) {
    const found = await run(CALLS.findGroup, () => graph.get(`/groups?$filter=displayName%20eq%20${literal(named)}&$select=${GROUP_SELECT}&$top=25`));
    const g = items(found.answer)[0];
    if (g && typeof g.id === 'string') group = { id: g.id, displayName: nameOf(g, g.id), chosen: 'named' };
    else if (found.check.status === 'ok') found.check.status = 'notFound';
  } else if (named) {
    group = { id: named.toLowerCase(), displayName: named, chosen: 'named' };
  } else {
    const t0 = now();
    const list = await graph.get(`/groups?$select=${GROUP_SELECT}&$top=999`);
    const check = classify({ ...CALLS.findGroup, request: `GET /groups?$select=${GROUP_SELECT}&$top=999` }, list, now() - t0);
    calls.push(check);
    const all = items(list);
    const g = all.find(licensed) ?? all.find((x) => x.securityEnabled === true) ?? all[0];
    if (g && typeof g.id === 'string') group = { id: g.id, displayName: nameOf(g, g.id), chosen: 'firstLicensed' };
  }

  const memberUsers: Rec[] = [];
  if (group) {
    const gid = enc(group.id);
    const one = await run(CALLS.group, () => graph.get(`/groups/${gid}?$select=${GROUP_SELECT}`));
    const g = rec(one.answer.body);
    if (one.check.status === 'ok' && g?.displayName) group.displayName = String(g.displayName);
    if (named && isGuid(named) && one.check.status === 'ok') {
      // Named by id: the by-name search is still a read the product makes (chat names groups).
      await run(CALLS.findGroup, () => graph.get(`/groups?$filter=displayName%20eq%20${literal(group!.displayName)}&$select=${GROUP_SELECT}&$top=25`));
    }
    report.group = group;
    const users = await run(CALLS.groupUsers, () => graph.get(`/groups/${gid}/members/microsoft.graph.user?$select=${MEMBER_SELECT}&$top=999`));
    memberUsers.push(...items(users.answer));
    await run(CALLS.nestedGroups, () => graph.get(`/groups/${gid}/members/microsoft.graph.group?$select=id,displayName&$top=999`));
    await run(CALLS.memberCount, () => graph.get(`/groups/${gid}/members/microsoft.graph.user/$count`, { ConsistencyLevel: 'eventual' }));
    await run(CALLS.membersWithLicenseErrors, () => graph.get(`/groups/${gid}/membersWithLicenseErrors?$select=id&$top=999`));
  } else {
    for (const spec of [CALLS.group, CALLS.groupUsers, CALLS.nestedGroups, CALLS.memberCount, CALLS.membersWithLicenseErrors]) calls.push(skipped(spec));
  }

  // The user: named, else the group's first licensed member, else the tenant's first licensed user.
  let user: Subject | undefined;
  const namedUser = opts.user?.trim();
  let userAnswer: Rec | undefined;
  if (namedUser) {
    const path = userPath(namedUser);
    if (!path) {
      calls.push({ ...skipped(CALLS.user), status: 'notFound', error: { status: 0, code: 'NotAUserName', message: `'${namedUser}' is not a user name or id.` } });
    } else {
      const one = await run(CALLS.user, () => graph.get(`${path}?$select=${USER_SELECT}`));
      const u = rec(one.answer.body);
      if (one.answer.status === 200 && u && typeof u.id === 'string') {
        user = { id: u.id, displayName: nameOf(u, namedUser), chosen: 'named' };
        userAnswer = u;
      }
    }
  } else {
    let u: Rec | undefined = memberUsers.find(licensed) ?? memberUsers[0];
    if (!u) u = items(await graph.get(`/users?$select=id,displayName,userPrincipalName,assignedLicenses&$top=999`)).find(licensed);
    if (u && typeof u.id === 'string') {
      user = { id: u.id, displayName: nameOf(u, u.id), chosen: 'firstLicensed' };
      const one = await run(CALLS.user, () => graph.get(`/users/${enc(user!.id)}?$select=${USER_SELECT}`));
      userAnswer = rec(one.answer.body);
    } else calls.push(skipped(CALLS.user));
  }
  if (user) {
    report.user = user;
    const uid = enc(user.id);
    const prefix = String(userAnswer?.displayName ?? user.displayName).slice(0, 3);
    await run(CALLS.findUsers, () => graph.get(`/users?$filter=${enc('startswith(displayName,')}${literal(prefix)})&$select=${SEARCH_SELECT}&$top=10`));
    await run(CALLS.batch, () => graph.post('/$batch', { requests: [{ id: '1', method: 'GET', url: `/users/${uid}?$select=${USER_SELECT}` }] }));
    await run(CALLS.teamsApps, () => graph.get(`/users/${uid}/teamwork/installedApps?$expand=teamsApp`));
  } else {
    for (const spec of [CALLS.findUsers, CALLS.batch, CALLS.teamsApps]) calls.push(skipped(spec));
  }

  report.ok =
    report.signIn.ok &&
    report.permissions.every((p) => p.granted || p.need === 'optional') &&
    calls.every((c) => c.need === 'optional' || c.status === 'ok' || c.status === 'skipped');
  report.ms = now() - started;
  return report;
}

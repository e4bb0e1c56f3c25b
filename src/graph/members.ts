// Group member reads, through the OData casts Graph documents: users from
// /groups/{id}/members/microsoft.graph.user (license fields in $select, $top=999, paged), nested
// groups from /members/microsoft.graph.group. The untyped /members collection is a directoryObject
// list: nothing documents that it carries user-only properties such as licenseAssignmentStates,
// so it is not read for them. Each page goes through http.getAll (one place parses pages).
import { PAGE_SIZE, type GraphHttp } from './http';
import { normalizeUser, requireFields, selectedFields } from './normalize';
import { groupPath } from './paths';
import type { GraphUser } from './types';
import { USER_SELECT } from './users';

/** A nested group among a group's members. */
export interface DirectoryObjectRef {
  id: string;
  displayName: string;
  type: string;
}

export interface GroupMembers {
  users: GraphUser[];
  groups: DirectoryObjectRef[];
  /** Pages of user members read. */
  pages: number;
}

export interface MemberReadOptions {
  select?: string;
  onPage?: (users: GraphUser[], page: number) => void;
  signal?: AbortSignal;
}

/** A listing that stops asking for pages when `outer` aborts or the reader gives up (abort()). */
function linkedAbort(outer?: AbortSignal): AbortController {
  const ac = new AbortController();
  if (outer?.aborted) ac.abort();
  else outer?.addEventListener('abort', () => ac.abort(), { once: true });
  return ac;
}

/** Direct user members with `select`, page by page, each checked for every selected property. */
export async function readUserMembers(http: GraphHttp, groupId: string, opts: MemberReadOptions & { keep?: boolean } = {}): Promise<{ users: GraphUser[]; pages: number }> {
  const select = opts.select ?? USER_SELECT;
  const path = `${groupPath(groupId)}/members/microsoft.graph.user?$select=${select}&$top=${PAGE_SIZE}`;
  const fields = selectedFields(select);
  const users: GraphUser[] = [];
  const ac = linkedAbort(opts.signal);
  try {
    const { pages } = await http.getAll<Record<string, unknown>>(path, {
      keep: false,
      signal: ac.signal,
      onPage: (items, page) => {
        const pageUsers: GraphUser[] = [];
        for (const raw of items) {
          requireFields(raw, fields, 'user', path);
          pageUsers.push(normalizeUser(raw));
        }
        if (opts.keep !== false) for (const u of pageUsers) users.push(u);
        opts.onPage?.(pageUsers, page);
      },
    });
    return { users, pages };
  } catch (err) {
    ac.abort(); // no further page for a read that failed
    throw err;
  }
}

/** Nested groups among the direct members (id and name). */
export async function listNestedGroups(http: GraphHttp, groupId: string, signal?: AbortSignal): Promise<DirectoryObjectRef[]> {
  const path = `${groupPath(groupId)}/members/microsoft.graph.group?$select=id,displayName&$top=${PAGE_SIZE}`;
  const { items } = await http.getAll<Record<string, unknown>>(path, signal ? { signal } : {});
  return items.map((raw) => ({ id: String(raw.id), displayName: String(raw.displayName ?? raw.id), type: 'group' }));
}

/**
 * All direct members of a group: the users (with `select`, default the license fields) and, read
 * beside them, the nested groups. Devices, contacts and service principals never hold licenses
 * and are not read.
 */
export async function listGroupMembers(http: GraphHttp, groupId: string, opts: MemberReadOptions = {}): Promise<GroupMembers> {
  const groupsP = listNestedGroups(http, groupId, opts.signal);
  groupsP.catch(() => undefined); // awaited below; not unhandled while the users are read
  const { users, pages } = await readUserMembers(http, groupId, opts);
  return { users, groups: await groupsP, pages };
}

/** About how many members a group has (GET /members/$count; an estimate: Graph counts eventually). */
export async function memberCount(http: GraphHttp, groupId: string): Promise<number> {
  return Number(await http.get<number>(`${groupPath(groupId)}/members/$count`, { ConsistencyLevel: 'eventual' }));
}

/** Direct user members only. */
export async function listGroupUserMembers(http: GraphHttp, groupId: string, select = USER_SELECT): Promise<GraphUser[]> {
  return (await readUserMembers(http, groupId, { select })).users;
}

/** Members whose group license is in error (Graph's membersWithLicenseErrors), with `select`. */
export async function membersWithLicenseErrors(http: GraphHttp, groupId: string, select = USER_SELECT): Promise<GraphUser[]> {
  const path = `${groupPath(groupId)}/membersWithLicenseErrors?$select=${select}&$top=${PAGE_SIZE}`;
  const { items } = await http.getAll<Record<string, unknown>>(path);
  const fields = selectedFields(select);
  return items.map((raw) => {
    requireFields(raw, fields, 'user', path);
    return normalizeUser(raw);
  });
}

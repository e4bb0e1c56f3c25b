// User reads: one user by id or UPN, many through $batch, and a name-prefix search. Every answer is
// checked for the properties it selected (normalize.ts: a missing one fails the read).
import { batchRead, type BatchRequest } from './batch';
import { batchError } from './errors';
import type { GraphHttp, Page } from './http';
import { getSelected, normalizeUser, requireFields, selectedFields } from './normalize';
import { enc, literal, userPath } from './paths';
import type { GraphUser } from './types';

export const USER_SELECT = 'id,userPrincipalName,displayName,usageLocation,accountEnabled,department,assignedLicenses,licenseAssignmentStates';

/** A user by object id or UPN, with the license fields; null when Graph says 404. */
export async function getUser(http: GraphHttp, idOrUpn: string, select = USER_SELECT): Promise<GraphUser | null> {
  const raw = await getSelected(http, `${userPath(idOrUpn)}?$select=${select}`, select, 'user');
  return raw && normalizeUser(raw);
}

/** Many users by id or UPN through $batch. `notFound` keeps the caller's spelling. */
export async function getUsers(http: GraphHttp, idsOrUpns: string[], select = USER_SELECT): Promise<{ users: GraphUser[]; notFound: string[]; byQuery: Map<string, GraphUser> }> {
  const unique = [...new Set(idsOrUpns.map((s) => s.trim()).filter(Boolean))];
  // Every key is checked before the first request goes out.
  const urls = unique.map((q) => `${userPath(q)}?$select=${select}`);
  const answers = await batchRead(
    http,
    urls.map((url, i) => ({ id: String(i), method: 'GET', url })),
  );
  const fields = selectedFields(select);
  const users: GraphUser[] = [];
  const seen = new Set<string>();
  const notFound: string[] = [];
  const byQuery = new Map<string, GraphUser>();
  unique.forEach((q, i) => {
    const a = answers.get(String(i))!;
    if (a.status >= 200 && a.status < 300) {
      const raw = a.body as Record<string, unknown>;
      requireFields(raw, fields, 'user', urls[i]!);
      const u = normalizeUser(raw);
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
export async function searchUsers(http: GraphHttp, prefix: string, top = 10): Promise<GraphUser[]> {
  const t = Math.min(999, Math.max(1, top));
  const sel = 'id,userPrincipalName,displayName,department,usageLocation,accountEnabled';
  const fields = selectedFields(sel);
  const requests: BatchRequest[] = [
    { id: 'name', method: 'GET', url: `/users?$filter=${enc('startswith(displayName,')}${literal(prefix)})&$select=${sel}&$top=${t}` },
    { id: 'upn', method: 'GET', url: `/users?$filter=${enc('startswith(userPrincipalName,')}${literal(prefix)})&$select=${sel}&$top=${t}` },
  ];
  // $search needs ConsistencyLevel: eventual; a quote or backslash would need escaping, so such names skip it.
  const words = prefix.trim();
  if (words.length >= 2 && !/["\\]/.test(words)) {
    requests.push({ id: 'words', method: 'GET', url: `/users?$search=${enc(`"displayName:${words}"`)}&$select=${sel}&$top=${t}`, headers: { ConsistencyLevel: 'eventual' } });
  }
  const answers = await batchRead(http, requests);
  const out = new Map<string, GraphUser>();
  for (const { id } of requests) {
    const a = answers.get(id)!;
    if (a.status < 200 || a.status >= 300) throw batchError(a.status, a.body, a.headers);
    for (const raw of (a.body as Page<Record<string, unknown>>).value ?? []) {
      requireFields(raw, fields, 'user', '/users');
      const u = normalizeUser(raw);
      if (!out.has(u.id)) out.set(u.id, u);
    }
  }
  return [...out.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)).slice(0, t);
}

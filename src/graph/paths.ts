// Graph URL paths built from names people typed (chat, card data, CLI). A key is one path segment:
// "." and ".." would be read as "this" and "the parent" (`/users/..` is the version root), and a
// "/" or "\" would add segments, so such keys are refused before any request is sent. A UPN that
// starts with "$" would read as a system segment (`/users/$count`): it goes in the key form
// `/users('$x')`. Everything else is percent-encoded ("#" as %23, "?" as %3F).
import { GraphError } from './errors';

export const enc = encodeURIComponent;

/** An OData string literal inside a URL: quotes doubled, then URL-encoded. */
export const literal = (s: string): string => enc(`'${s.replace(/'/g, "''")}'`);

/** The code of the error a key that cannot be a path segment gets. */
export const UNSAFE_KEY = 'InvalidPathSegment';

/** Why `key` cannot be one path segment, or undefined when it can. */
export function unsafeKeyReason(key: string): string | undefined {
  if (!key.trim()) return 'it is empty';
  if (key === '.' || key === '..') return `"${key}" would be read as part of the URL path`;
  if (/[/\\]/.test(key)) return 'it contains "/" or "\\", which would be read as part of the URL path';
  return undefined;
}

/** Throws GraphError(400, InvalidPathSegment) naming the input when `key` cannot be a path segment. */
export function checkKey(key: string, what: 'user' | 'group'): void {
  const why = unsafeKeyReason(key);
  if (why) throw new GraphError(400, UNSAFE_KEY, `'${key.length > 80 ? `${key.slice(0, 80)}…` : key}' cannot name a ${what}: ${why}.`);
}

/** `/users/{key}`, or `/users('{key}')` for a key starting with "$". */
export function userPath(idOrUpn: string): string {
  checkKey(idOrUpn, 'user');
  return idOrUpn.startsWith('$') ? `/users(${literal(idOrUpn)})` : `/users/${enc(idOrUpn)}`;
}

/** `/groups/{id}` (groups are addressed by object id only). */
export function groupPath(id: string): string {
  checkKey(id, 'group');
  return id.startsWith('$') ? `/groups(${literal(id)})` : `/groups/${enc(id)}`;
}

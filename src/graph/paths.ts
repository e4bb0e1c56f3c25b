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

/** Why a key cannot be one path segment: empty, "." or "..", or it holds "/" or "\\". */
export type UnsafeKeyWhy = 'empty' | 'dot' | 'slash';

/** Why `key` cannot be one path segment, or undefined when it can. */
export function unsafeKeyReason(key: string): UnsafeKeyWhy | undefined {
  if (!key.trim()) return 'empty';
  if (key === '.' || key === '..') return 'dot';
  if (/[/\\]/.test(key)) return 'slash';
  return undefined;
}

const WHY_TEXT: Record<UnsafeKeyWhy, (key: string) => string> = {
  empty: () => 'it is empty',
  dot: (key) => `"${key}" would be read as part of the URL path`,
  slash: () => 'it contains "/" or "\\", which would be read as part of the URL path',
};

/** A name refused before any request: what it is and why, so the sentence can be said in the reader's language. */
export class UnsafeKeyError extends GraphError {
  constructor(
    /** As typed (cut to 80 characters). */
    readonly key: string,
    readonly what: 'user' | 'group',
    readonly why: UnsafeKeyWhy,
  ) {
    super(400, UNSAFE_KEY, `'${key}' cannot name a ${what}: ${WHY_TEXT[why](key)}.`);
  }
}

/** Throws UnsafeKeyError (GraphError 400, InvalidPathSegment) naming the input when `key` cannot be a path segment. */
export function checkKey(key: string, what: 'user' | 'group'): void {
  const why = unsafeKeyReason(key);
  if (why) throw new UnsafeKeyError(key.length > 80 ? `${key.slice(0, 80)}…` : key, what, why);
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

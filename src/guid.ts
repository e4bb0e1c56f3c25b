// What a GUID looks like (object ids, skuIds, service plan ids, tenant and app ids), once for every
// folder. A leaf: it imports nothing.

/** The pattern without anchors or flags, for composing (e.g. "a GUID or a domain name"). */
export const GUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** A whole string that is a GUID, any case. */
export const GUID_RE = new RegExp(`^${GUID_PATTERN}$`, 'i');

/** A GUID? For a value of unknown type it also tells the compiler it is a string. */
export function isGuid(s: string): boolean;
export function isGuid(s: unknown): s is string;
export function isGuid(s: unknown): boolean {
  return typeof s === 'string' && GUID_RE.test(s);
}

// Stable identifiers for fixture objects that do not name their own id. A fixture must always yield
// the same ids (tests and the bot's config refer to them), so ids are name-based UUIDs (RFC 4122
// version 5: SHA-1 over a fixed namespace and the object's kind and name), never random.
import { createHash } from 'node:crypto';

/** Fixed namespace of the sandbox (itself a v5 UUID of "plan-switch-sandbox" in the URL namespace). */
const NAMESPACE = Buffer.from('3f1c7a52a1e95d0b8c4a6e2f9b7d1c30', 'hex');

export { GUID_RE, isGuid } from '../guid';

/** Version-5 UUID of `kind:name` (name compared case-insensitively, as Entra compares UPNs). */
export function nameBasedId(kind: 'user' | 'group' | 'tenant', name: string): string {
  // One hash and one hex string per id: a 100,000-user fixture computes 100,000 of them.
  const x = createHash('sha1').update(NAMESPACE).update(`${kind}:${name.toLowerCase()}`).digest('hex');
  const variant = ((parseInt(x[16], 16) & 0x3) | 0x8).toString(16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-5${x.slice(13, 16)}-${variant}${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

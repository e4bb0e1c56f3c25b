// Target status: can the target SKU be assigned to users at all right now?
//   TARGET_NOT_ACTIVE      block  capabilityStatus Suspended, Deleted or LockedOut.
//                          warn   Warning (grace period after expiry: works, but not for long) or
//                                 any status we don't know.
//   TARGET_NOT_ASSIGNABLE  block  appliesTo is not "User" (a tenant-level SKU).
import type { Ctx } from './context';

const DEAD = new Set(['suspended', 'deleted', 'lockedout', 'disabled']);

export function checkTargetStatus(ctx: Ctx): void {
  const t = ctx.input.target;
  const status = (t.capabilityStatus ?? '').trim();
  const s = status.toLowerCase();
  if (s && s !== 'enabled') {
    const block = DEAD.has(s);
    const message = block
      ? `The ${t.displayName} subscription is ${status}: its licenses can't be assigned. Renew or reactivate it first.`
      : s === 'warning'
        ? `The ${t.displayName} subscription is in its grace period (Warning): it has expired or is about to, and will stop working unless it is renewed.`
        : `The ${t.displayName} subscription reports the status '${status}'. Check it in the admin center before going ahead.`;
    ctx.add('TARGET_NOT_ACTIVE', block ? 'block' : 'warn', [], message, { capabilityStatus: status, skuId: t.skuId });
  }
  if ((t.appliesTo ?? '').toLowerCase() !== 'user') {
    ctx.add('TARGET_NOT_ASSIGNABLE', 'block', [], `${t.displayName} is a ${t.appliesTo || 'non-user'} subscription and can't be assigned to users or groups.`, {
      appliesTo: t.appliesTo,
      skuId: t.skuId,
    });
  }
}

// Target status: can the target SKU be assigned to users at all right now?
//   TARGET_NOT_ACTIVE      block  capabilityStatus Suspended, Deleted or LockedOut.
//                          warn   Warning (grace period after expiry: works, but not for long) or
//                                 any status we don't know.
//   TARGET_NOT_ASSIGNABLE  block  appliesTo is not "User" (a tenant-level SKU).
import type { Ctx } from './context';

const DEAD = new Set(['suspended', 'deleted', 'lockedout', 'disabled']);

export function checkTargetStatus(ctx: Ctx): void {
  for (const t of ctx.targets) checkOne(ctx, t);
}

function checkOne(ctx: Ctx, t: Ctx['targets'][number]): void {
  const status = (t.capabilityStatus ?? '').trim();
  const s = status.toLowerCase();
  if (s && s !== 'enabled') {
    const block = DEAD.has(s);
    ctx.add('TARGET_NOT_ACTIVE', block ? 'block' : 'warn', [], { capabilityStatus: status, skuId: t.skuId, plan: t.displayName, unusable: block });
  }
  if ((t.appliesTo ?? '').toLowerCase() !== 'user') {
    ctx.add('TARGET_NOT_ASSIGNABLE', 'block', [], { appliesTo: t.appliesTo, skuId: t.skuId });
  }
}

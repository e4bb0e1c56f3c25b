// Service continuity: every service enabled today should stay enabled in the target.
//   SERVICES_LOST  warn  some enabled service has no enabled counterpart in the target (a downgrade),
//                        or is kept in a lower edition (data.downgraded). A choice, not a fault.
//                        Also, in a group swap that includes direct copies: a member whose own copy
//                        of the source has a service the group's copy turns off loses it when that
//                        copy goes (data.fromDirectCopies), since afterwards only the group's
//                        target, with the group's services, reaches them.
import type { PrincipalRef } from '../model';
import { describeServices } from '../swap-plan';
import { uniqueById, type Ctx, type UserFacts } from './context';

export function checkContinuity(ctx: Ctx): void {
  const lost = new Map<string, PrincipalRef[]>();
  const down = new Map<string, PrincipalRef[]>();
  const who: PrincipalRef[] = [];
  for (const a of ctx.change.assignments) {
    const c = ctx.carry.get(a.principal.id);
    if (!c || (!c.lost.length && !c.downgraded.length)) continue;
    who.push(a.principal);
    for (const s of c.lost) (lost.get(s) ?? lost.set(s, []).get(s)!).push(a.principal);
    for (const s of c.downgraded) (down.get(s) ?? down.set(s, []).get(s)!).push(a.principal);
  }
  const direct = lostWithDirectCopies(ctx);
  if (!who.length && !direct.members.length) return;
  // Counted per service over both causes (a member is counted once per service).
  const all = new Map(lost);
  for (const [s, ps] of direct.lost) all.set(s, uniqueById([...(all.get(s) ?? []), ...ps]));
  ctx.add('SERVICES_LOST', 'warn', uniqueById([...who, ...direct.members]), {
    lost: [...all.keys()],
    downgraded: [...down.keys()],
    byService: Object.fromEntries([...all].map(([s, ps]) => [s, ps.length])),
    ...(direct.members.length ? { fromDirectCopies: direct.members.map((p) => p.id), directLost: [...direct.lost.keys()] } : {}),
  });
}

/**
 * Group swap with includeDirectCopies: members who hold the source from this group and directly
 * only lose the direct copy. Their services afterwards are the group's target (as carried over);
 * what their own copy enabled beyond the group's is lost. Worked out once per distinct
 * effective source (members mostly repeat a few).
 */
function lostWithDirectCopies(ctx: Ctx): { members: PrincipalRef[]; lost: Map<string, PrincipalRef[]> } {
  const out = { members: [] as PrincipalRef[], lost: new Map<string, PrincipalRef[]>() };
  if (ctx.kind !== 'group' || !ctx.input.spec.includeDirectCopies || !ctx.groupId) return out;
  const { source, target, ref } = ctx.input;
  const memo = new Map<string, string[]>();
  for (const f of ctx.facts) {
    if (!f.sourceDirect || !f.sourceGroups.includes(ctx.groupId)) continue;
    const targetOff = ctx.targetDisabledFor(f) ?? [];
    const today = effectiveSourceDisabled(f);
    const key = `${today.join(',')}|${targetOff.join(',')}`;
    let lost = memo.get(key);
    if (!lost) memo.set(key, (lost = describeServices(source, target, today, targetOff, ref).lost));
    if (!lost.length) continue;
    out.members.push(f.ref);
    for (const s of lost) (out.lost.get(s) ?? out.lost.set(s, []).get(s)!).push(f.ref);
  }
  return out;
}

/** The source's plans off for this user today, all copies together (a plan is on when any copy has it on). */
function effectiveSourceDisabled(f: UserFacts): string[] {
  return [...(f.sourceEffectiveDisabled ?? f.sourceDirect ?? [])].map((x) => x.toLowerCase()).sort();
}

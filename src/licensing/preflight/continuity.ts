// Service continuity: every service enabled today should stay enabled in the target.
//   SERVICES_LOST  warn  some enabled service has no enabled counterpart in the target (a downgrade),
//                        or is kept in a lower edition (data.downgraded). A choice, not a fault.
import type { PrincipalRef } from '../model';
import { names, type Ctx } from './context';

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
  if (!who.length) return;
  const src = ctx.input.source.displayName;
  const tgt = ctx.input.target.displayName;
  const subject = ctx.input.subject;
  const whom = subject.kind === 'group' ? `members of ${subject.group.displayName}` : names(who);
  const parts: string[] = [];
  if (lost.size) parts.push(`${whom} will lose ${[...lost.keys()].join(', ')}: ${tgt} has no such service`);
  if (down.size) parts.push(`${lost.size ? 'and will' : `${whom} will`} get a smaller edition of ${[...down.keys()].join('; ')}`);
  ctx.add('SERVICES_LOST', 'warn', who, `Moving from ${src} to ${tgt}, ${parts.join(', ')}.`, {
    lost: [...lost.keys()],
    downgraded: [...down.keys()],
    byService: Object.fromEntries([...lost].map(([s, ps]) => [s, ps.length])),
  });
}

// Service continuity: every service enabled today should stay enabled in the target.
//   SERVICES_LOST  warn  someone the change goes through for loses an enabled service (no counterpart
//                        left on them: not in the target as carried over, nor from another license
//                        they hold) or keeps it in a lower edition (data.downgraded). Worked out per
//                        person, whole person (person-services.ts). A choice, not a fault.
//                        Also, in a group swap that includes direct copies: a member whose own copy
//                        of the source has a service the group's copy turns off loses it when that
//                        copy goes (data.fromDirectCopies, data.directLost).
//                        A group without user members: what its license would give a member
//                        (source vs target as carried over), naming the group.
import type { PrincipalRef } from '../model';
import type { Ctx } from './context';

export function checkContinuity(ctx: Ctx): void {
  // Per service, how many people lose it (counted, not listed: a big group's members repeat a few pictures).
  const lost = new Map<string, number>();
  const down = new Map<string, number>();
  const direct = { members: [] as PrincipalRef[], lost: new Map<string, number>() };
  const who: PrincipalRef[] = [];
  const add = (m: Map<string, number>, s: string, n: number) => m.set(s, (m.get(s) ?? 0) + n);

  if (ctx.kind === 'group' && !ctx.facts.length) {
    // Nobody to look at: what the group's license gives a member who has nothing else.
    for (const a of ctx.change.assignments) {
      const c = ctx.carry.get(a.principal.id);
      if (!c || (!c.lost.length && !c.downgraded.length)) continue;
      who.push(a.principal);
      for (const s of c.lost) add(lost, s, 1);
      for (const s of c.downgraded) add(down, s, 1);
    }
  } else {
    // What the group's own copy loses for everyone; beyond that, a direct-copy member's loss comes from their copy.
    const groupLost = new Set(ctx.groupId ? (ctx.carry.get(ctx.change.principal.id)?.lost ?? []) : []);
    for (const p of ctx.services?.people ?? []) {
      const n = p.refs.length;
      for (const r of p.refs) who.push(r);
      let fromCopy = false;
      for (const s of p.delta.lost) {
        if (p.directCopy && !groupLost.has(s)) {
          add(direct.lost, s, n);
          fromCopy = true;
        } else add(lost, s, n);
      }
      for (const s of p.delta.downgraded) add(down, s, n);
      if (fromCopy) for (const r of p.refs) direct.members.push(r);
    }
  }
  if (!who.length) return;
  // Counted per service over both causes (each person is counted once per service: one cause each).
  const all = new Map(lost);
  for (const [s, n] of direct.lost) add(all, s, n);
  ctx.add('SERVICES_LOST', 'warn', who, {
    lost: [...all.keys()],
    downgraded: [...down.keys()],
    byService: Object.fromEntries(all),
    ...(direct.members.length ? { fromDirectCopies: direct.members.map((p) => p.id), directLost: [...direct.lost.keys()] } : {}),
  });
}

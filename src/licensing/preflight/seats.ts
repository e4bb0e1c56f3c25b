// Seats: are there enough free target licenses, and who holds the target already?
//   SEATS_SHORT             block  needed > available. needed = users who will receive the target
//                                  and don't consume it today (group: members that will actually get
//                                  it, so not those whose target will fail on a clash with a copy of
//                                  the source kept elsewhere). Freed source seats don't help.
//   TARGET_ALREADY_ASSIGNED block  user / users swap, a user holds the target DIRECTLY: the call would
//                                  overwrite that copy's disabledPlans and an undo would remove it
//                                  altogether; remove the source on its own instead.
//                           warn   group swap, the group itself already holds the target: its
//                                  disabledPlans will be replaced by the carried-over ones.
//                           info   users/members who hold the target from a group already: they need
//                                  no new seat.
import type { PrincipalRef } from '../model';
import { type Ctx, type UserFacts } from './context';

export interface SeatsNeeded {
  needed: number;
  receivers: PrincipalRef[];
  facts: UserFacts[];
  disabledAccounts: number;
}

/** Worked out once per preflight and target: checkSeats and checkSuiteStacked both need it (a pass over every member). */
const counted = new WeakMap<Ctx, Map<string, SeatsNeeded>>();

/**
 * Users who will newly receive (and consume) the target; `facts` in the same order as `receivers`.
 * Several targets: of the target `targetId` (default the first), each counted on its own seat line.
 */
export function seatsNeeded(ctx: Ctx, targetId: string = ctx.targetId): SeatsNeeded {
  let byTarget = counted.get(ctx);
  if (!byTarget) counted.set(ctx, (byTarget = new Map()));
  let seats = byTarget.get(targetId);
  if (!seats) byTarget.set(targetId, (seats = countSeats(ctx, targetId)));
  return seats;
}

function countSeats(ctx: Ctx, targetId: string): SeatsNeeded {
  let needed = 0;
  let disabledAccounts = 0;
  const receivers: PrincipalRef[] = [];
  const facts: UserFacts[] = [];
  const holds = (f: UserFacts) => (f.targetsHeld ? f.targetsHeld.has(targetId) : f.targetAny);
  if (ctx.kind === 'group') {
    for (const f of ctx.facts) {
      if (holds(f)) continue;
      // Their target will fail: no seat taken (several targets: judged per target).
      if (ctx.multi && ctx.keptSourceClashWith ? ctx.keptSourceClashWith(f, targetId) : ctx.keptSourceClash(f)) continue;
      needed++;
      receivers.push(f.ref);
      facts.push(f);
      if (f.user.accountEnabled === false) disabledAccounts++;
    }
  } else {
    const adding = new Set(ctx.change.assignments.filter((a) => a.addLicenses.length).map((a) => a.principal.id));
    for (const f of ctx.facts) {
      if (!adding.has(f.ref.id) || holds(f)) continue;
      needed++;
      receivers.push(f.ref);
      facts.push(f);
      if (f.user.accountEnabled === false) disabledAccounts++;
    }
  }
  return { needed, receivers, facts, disabledAccounts };
}

export function checkSeats(ctx: Ctx): void {
  const lines: NonNullable<typeof ctx.change.seatsByTarget> = [];
  for (const target of ctx.targets) {
    const { needed, receivers, disabledAccounts } = seatsNeeded(ctx, target.skuId.toLowerCase());
    const available = target.available;
    if (target === ctx.targets[0]) ctx.change.seats = { needed, available };
    lines.push({ skuId: target.skuId, skuPartNumber: target.skuPartNumber, displayName: target.displayName, needed, available });
    if (needed > available) {
      ctx.add('SEATS_SHORT', 'block', receivers, {
        needed,
        available,
        short: needed - available,
        disabledAccounts,
        skuId: target.skuId,
        ...(ctx.multi ? { plan: target.displayName } : {}),
      });
    }
  }
  // Several targets: each has its own seat line on the card.
  if (ctx.multi) ctx.change.seatsByTarget = lines;
}

export function checkTargetAlreadyAssigned(ctx: Ctx): void {
  const subject = ctx.input.subject;
  if (subject.kind === 'group') {
    const g = subject.group;
    if ((g.assignedLicenses ?? []).some((a) => ctx.targetIds.has(a.skuId.toLowerCase()))) {
      ctx.add('TARGET_ALREADY_ASSIGNED', 'warn', [ctx.change.principal], { group: true });
    }
    const members = ctx.facts.filter((f) => f.targetAny).map((f) => f.ref);
    if (members.length) {
      ctx.add('TARGET_ALREADY_ASSIGNED', 'info', members, { count: members.length });
    }
    return;
  }
  const direct: PrincipalRef[] = [];
  const inherited: PrincipalRef[] = [];
  for (const f of ctx.facts) {
    if (f.targetDirect) direct.push(f.ref);
    else if (f.targetAny || f.targetGroups.length) inherited.push(f.ref);
  }
  if (direct.length) {
    ctx.add('TARGET_ALREADY_ASSIGNED', 'block', direct, { direct: direct.length });
  }
  if (inherited.length) {
    ctx.add('TARGET_ALREADY_ASSIGNED', 'info', inherited, { inherited: inherited.length });
  }
}

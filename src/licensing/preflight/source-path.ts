// Source path: does the principal hold the source, and only where the swap can remove it?
//   SAME_PLAN             block  source and target are the same SKU.
//   SOURCE_NOT_ASSIGNED   block  the user/group doesn't hold the source (users list: each such user,
//                                and every name that was not found; group: the members who hold it
//                                directly or from other groups, with how to move them instead).
//   SOURCE_INHERITED      block  user or users swap: a copy of the source comes from a group; it can't
//                                be removed on the user and, where it is their only copy or it clashes
//                                with the target, the call fails.
//                         warn   the user also holds a direct copy, which the swap replaces, and the
//                                group's copy does not clash with the target: the call works and they
//                                keep the source from the group beside the target (data.keepsGroupCopy).
//   SOURCE_ALSO_ELSEWHERE warn   group swap: members also holding the source directly or from another
//                                group (a copy in effect, not one in error) keep it. One finding for
//                                those whose kept copy, with its own disabledPlans, clashes with the
//                                target (data.clash: their new target fails) and one for the others
//                                (they hold both).
//   TARGET_ALREADY_HELD   block  no source was named and the user, every listed user, or the group
//                                already holds the target (directly or from a group, named): there is
//                                nothing to move, and no call is planned. (With a source named, see
//                                TARGET_ALREADY_ASSIGNED in seats.ts.)
import type { PrincipalRef } from '../model';
import { groupRef } from '../principal-ref';
import { lc, uniqueById, type Ctx, type UserFacts } from './context';

export function checkSamePlan(ctx: Ctx): boolean {
  const { source, target } = ctx.input;
  if (ctx.sourceId !== ctx.targetId) return false;
  ctx.add('SAME_PLAN', 'block', [ctx.change.principal], { skuId: source.skuId, plan: target.displayName });
  return true;
}

/** The principal already holds the target and no source was named: say so, plan nothing. True when it did. */
export function checkAlreadyHeld(ctx: Ctx): boolean {
  const held = ctx.input.alreadyHeld;
  if (!held) return false;
  const { target } = ctx.input;
  const groups = held.groups.map((id) => ({ id, displayName: ctx.groupName(id) }));
  const subject = ctx.input.subject;
  const principals = subject.kind === 'users' ? ctx.facts.map((f) => f.ref) : [ctx.change.principal];
  ctx.add('TARGET_ALREADY_HELD', 'block', principals, {
    target: { skuId: target.skuId, skuPartNumber: target.skuPartNumber, displayName: target.displayName },
    direct: held.direct,
    group: !!held.group,
    groups,
  });
  return true;
}

export function checkSourcePath(ctx: Ctx): void {
  const { input } = ctx;
  const subject = input.subject;

  if (subject.kind === 'group') {
    const g = subject.group;
    const held = (g.assignedLicenses ?? []).some((a) => a.skuId.toLowerCase() === ctx.sourceId);
    if (!held) {
      groupWithoutSource(ctx);
      return;
    }
    // Several sources: the group must hold each of them (it is the group's copy that is replaced).
    for (const p of ctx.sources.slice(1)) {
      if ((g.assignedLicenses ?? []).some((a) => lc(a.skuId) === lc(p.skuId))) continue;
      ctx.add('SOURCE_NOT_ASSIGNED', 'block', [groupRef(g)], {
        skuId: p.skuId,
        plan: p.displayName,
        group: true,
        directHolders: 0,
        suggestUsers: [],
        directUsers: [],
        otherGroups: [],
      });
    }
    checkAlsoElsewhere(ctx);
    return;
  }

  // user / users
  const missing: PrincipalRef[] = [];
  const inherited: PrincipalRef[] = [];
  const groups = new Map<string, number>();
  const kept: PrincipalRef[] = [];
  const keptGroups = new Map<string, number>();
  // Several sources: who lacks which (each person should hold every plan the change removes).
  const lacking = new Map<string, PrincipalRef[]>();
  for (const f of ctx.facts) {
    if (!f.sourceAny) {
      missing.push(f.ref);
      continue;
    }
    if (f.sourcesHeld)
      for (const p of ctx.sources) {
        const k = lc(p.skuId);
        if (!f.sourcesHeld.has(k)) (lacking.get(k) ?? lacking.set(k, []).get(k)!).push(f.ref);
      }
    if (f.sourceGroups.length) {
      // A direct copy too: the swap replaces it and works, unless a group's copy clashes with the target.
      const works = !!f.sourceDirect && !groupCopyClashes(ctx, f);
      (works ? kept : inherited).push(f.ref);
      const counts = works ? keptGroups : groups;
      for (const id of f.sourceGroups) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  if (kept.length) {
    const gs = [...keptGroups.entries()].map(([id, count]) => ({ id, displayName: ctx.groupName(id), members: count }));
    ctx.add('SOURCE_INHERITED', 'warn', kept, { groups: gs, keepsGroupCopy: true });
  }
  const notFound = subject.kind === 'users' ? subject.notFound : [];
  if (missing.length || notFound.length) {
    ctx.add('SOURCE_NOT_ASSIGNED', 'block', missing, {
      skuId: input.source.skuId,
      notFound: [...notFound],
      ...(ctx.multi ? { plans: ctx.sources.map((p) => p.displayName) } : {}),
    });
  }
  for (const p of ctx.sources) {
    const who = lacking.get(lc(p.skuId));
    if (who?.length) ctx.add('SOURCE_NOT_ASSIGNED', 'block', who, { skuId: p.skuId, plan: p.displayName, notFound: [] });
  }
  if (inherited.length) {
    const gs = [...groups.entries()].map(([id, count]) => ({ id, displayName: ctx.groupName(id), members: count }));
    ctx.add('SOURCE_INHERITED', 'block', inherited, { groups: gs });
  }
}

/** Does a copy of the source this user gets from a group clash with the target as it will be added? */
function groupCopyClashes(ctx: Ctx, f: UserFacts): boolean {
  const targetOn = ctx.targetsOnFor(f);
  for (const s of f.user.licenseAssignmentStates ?? []) {
    if (!s.assignedByGroup || !ctx.sourceIds.has(lc(s.skuId))) continue;
    if (ctx.rules.exclusiveHits(targetOn, ctx.rules.enabledNames(s.skuId, s.disabledPlans)).length) return true;
  }
  return false;
}

/** A plan as an admin would type it in a command: its first alias, else its part number; quoted when it has a space. */
function typedName(p: { aliases: string[]; skuPartNumber: string }): string {
  const n = p.aliases[0] ?? p.skuPartNumber;
  return /\s/.test(n) ? `"${n}"` : n;
}

/** How many members' commands are spelled out in the suggestion (a chat message stays short). */
const SUGGEST_MAX = 10;

/**
 * The group does not hold the source: nothing to swap on it. Where its members do get the source
 * (directly, as in a group used only for mail, or from other groups) the finding says so and how to
 * move them, instead of the group-swap warnings (SOURCE_ALSO_ELSEWHERE), whose premise, a swap on
 * this group, is false.
 */
function groupWithoutSource(ctx: Ctx): void {
  const { input } = ctx;
  const g = (input.subject as { group: { id: string; displayName: string } }).group;
  const direct: PrincipalRef[] = [];
  const fromGroups: PrincipalRef[] = [];
  const otherGroups = new Map<string, number>();
  for (const f of ctx.facts) {
    if (f.sourceDirect) direct.push(f.ref);
    if (f.sourceGroups.length) fromGroups.push(f.ref);
    for (const id of f.sourceGroups) otherGroups.set(id, (otherGroups.get(id) ?? 0) + 1);
  }
  ctx.add('SOURCE_NOT_ASSIGNED', 'block', uniqueById([groupRef(g), ...direct, ...fromGroups]), {
    skuId: input.source.skuId,
    group: true,
    directHolders: direct.length,
    // The members to name in a "move users ..." suggestion (all of them when there are few).
    suggestUsers: direct.length <= SUGGEST_MAX ? direct.map((r) => r.userPrincipalName ?? r.id) : [],
    // All of them, by id: the card's "check moving them as users" button (kept server-side when long).
    directUsers: direct.map((r) => r.id),
    // The plans as an admin types them, for that suggestion.
    from: input.source.aliases[0] ?? input.source.skuPartNumber,
    to: input.target.aliases[0] ?? input.target.skuPartNumber,
    // Several plans: every plan of each side, as typed in a command (quoted when it has spaces).
    ...(ctx.multi ? { fromPlans: ctx.sources.map(typedName), toPlans: ctx.targets.map(typedName) } : {}),
    otherGroups: [...otherGroups.entries()].map(([id, members]) => ({ id, displayName: ctx.groupName(id), members })),
  });
}

function checkAlsoElsewhere(ctx: Ctx): void {
  // Members who keep a copy elsewhere, split by whether a kept copy clashes with the target (then
  // the target fails for them) or not (then they hold both): one finding for each that occurs.
  const include = !!ctx.input.spec.includeDirectCopies;
  const parts = { clash: [] as UserFacts[], both: [] as UserFacts[] };
  for (const f of ctx.facts) {
    const elsewhere = (!!f.sourceDirect && !include) || f.sourceGroups.some((g) => g !== ctx.groupId);
    if (elsewhere) (ctx.keptSourceClash(f) ? parts.clash : parts.both).push(f);
  }
  if (parts.clash.length) alsoElsewhere(ctx, parts.clash, true);
  if (parts.both.length) alsoElsewhere(ctx, parts.both, false);
}

function alsoElsewhere(ctx: Ctx, facts: UserFacts[], clash: boolean): void {
  const { input } = ctx;
  const include = !!input.spec.includeDirectCopies;
  const direct: PrincipalRef[] = [];
  const other: PrincipalRef[] = [];
  const otherGroups = new Map<string, number>();
  for (const f of facts) {
    let inOther = false;
    for (const g of f.sourceGroups) {
      if (g === ctx.groupId) continue;
      inOther = true;
      otherGroups.set(g, (otherGroups.get(g) ?? 0) + 1);
    }
    if (inOther) other.push(f.ref);
    if (f.sourceDirect && !include) direct.push(f.ref);
  }
  const principals = uniqueById([...direct, ...other]);
  ctx.add('SOURCE_ALSO_ELSEWHERE', 'warn', principals, {
    direct,
    otherGroups: [...otherGroups.entries()].map(([id, members]) => ({ id, displayName: ctx.groupName(id), members })),
    clash,
    includeDirectCopies: include,
    suggestIncludeDirectCopies: direct.length > 0,
  });
}

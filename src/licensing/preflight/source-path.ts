// Source path: does the principal hold the source, and only where the swap can remove it?
//   SAME_PLAN             block  source and target are the same SKU.
//   SOURCE_NOT_ASSIGNED   block  the user/group doesn't hold the source (users list: each such user,
//                                and every name that was not found).
//   SOURCE_INHERITED      block  user or users swap: a copy of the source comes from a group; it can't
//                                be removed on the user and would clash with the target.
//   SOURCE_ALSO_ELSEWHERE warn   group swap: members also holding the source directly or from another
//                                group keep it; when source and target clash, their new target fails.
import type { PrincipalRef } from '../model';
import { groupRef, names, plural, type Ctx } from './context';

export function checkSamePlan(ctx: Ctx): boolean {
  const { source, target } = ctx.input;
  if (ctx.sourceId !== ctx.targetId) return false;
  ctx.add('SAME_PLAN', 'block', [ctx.change.principal], `The source and the target are the same plan (${target.displayName}); there is nothing to swap.`, {
    skuId: source.skuId,
  });
  return true;
}

export function checkSourcePath(ctx: Ctx): void {
  const { input } = ctx;
  const subject = input.subject;
  const src = input.source.displayName;

  if (subject.kind === 'group') {
    const g = subject.group;
    const held = (g.assignedLicenses ?? []).some((a) => a.skuId.toLowerCase() === ctx.sourceId);
    if (!held) {
      ctx.add('SOURCE_NOT_ASSIGNED', 'block', [groupRef(g)], `The group ${g.displayName} does not have ${src} assigned, so there is nothing to swap on it.`, {
        skuId: input.source.skuId,
      });
    }
    checkAlsoElsewhere(ctx);
    return;
  }

  // user / users
  const missing: PrincipalRef[] = [];
  const inherited: PrincipalRef[] = [];
  const groups = new Map<string, number>();
  for (const f of ctx.facts) {
    if (!f.sourceAny) { missing.push(f.ref); continue; }
    if (f.sourceGroups.length) {
      inherited.push(f.ref);
      for (const id of f.sourceGroups) groups.set(id, (groups.get(id) ?? 0) + 1);
    }
  }
  const notFound = subject.kind === 'users' ? subject.notFound : [];
  if (missing.length || notFound.length) {
    const parts: string[] = [];
    if (missing.length) parts.push(`${names(missing)} ${missing.length === 1 ? 'does' : 'do'} not have ${src}`);
    if (notFound.length) parts.push(`${plural(notFound.length, 'name')} ${notFound.length === 1 ? 'was' : 'were'} not found in the directory: ${notFound.slice(0, 5).join(', ')}${notFound.length > 5 ? ', …' : ''}`);
    ctx.add('SOURCE_NOT_ASSIGNED', 'block', missing, `${parts.join('; ')}. Remove ${missing.length + notFound.length === 1 ? 'it' : 'them'} from the change.`, {
      skuId: input.source.skuId,
      notFound: [...notFound],
    });
  }
  if (inherited.length) {
    const gs = [...groups.entries()].map(([id, count]) => ({ id, displayName: ctx.groupName(id), members: count }));
    const gNames = gs.map((g) => g.displayName).join(', ');
    const who = subject.kind === 'user' ? inherited[0]!.displayName : names(inherited);
    ctx.add(
      'SOURCE_INHERITED',
      'block',
      inherited,
      `${who} ${inherited.length === 1 ? 'gets' : 'get'} ${src} from ${gs.length === 1 ? 'the group' : 'the groups'} ${gNames}. A license that comes from a group can't be removed on the user: swap the group's license instead, or take ${inherited.length === 1 ? 'the user' : 'them'} out of the group first.`,
      { groups: gs },
    );
  }
}

function checkAlsoElsewhere(ctx: Ctx): void {
  const { input } = ctx;
  const include = !!input.spec.includeDirectCopies;
  const direct: PrincipalRef[] = [];
  const other: PrincipalRef[] = [];
  const otherGroups = new Map<string, number>();
  for (const f of ctx.facts) {
    let inOther = false;
    for (const g of f.sourceGroups) {
      if (g === ctx.groupId) continue;
      inOther = true;
      otherGroups.set(g, (otherGroups.get(g) ?? 0) + 1);
    }
    if (inOther) other.push(f.ref);
    if (f.sourceDirect && !include) direct.push(f.ref);
  }
  if (!direct.length && !other.length) return;
  const src = input.source.displayName;
  const tgt = input.target.displayName;
  const clash = ctx.sourceTargetClash();
  const principals = dedupe([...direct, ...other]);
  const parts: string[] = [];
  if (direct.length) parts.push(`${names(direct)} also ${direct.length === 1 ? 'holds' : 'hold'} ${src} directly`);
  if (other.length) {
    const gs = [...otherGroups.keys()].map((id) => ctx.groupName(id)).join(', ');
    parts.push(`${names(other)} also ${other.length === 1 ? 'gets' : 'get'} ${src} from ${otherGroups.size === 1 ? 'the group' : 'the groups'} ${gs}`);
  }
  const effect = clash
    ? `They keep ${src}, and ${tgt} from this group will fail for them (MutuallyExclusiveViolation): they stay on ${src} with ${tgt} in error.`
    : `They keep ${src} next to ${tgt} and use two licenses.`;
  const fix = [
    direct.length ? 'include their direct copies in this change' : '',
    other.length ? `change the other group${otherGroups.size === 1 ? '' : 's'} too` : '',
  ].filter(Boolean).join(', or ');
  ctx.add('SOURCE_ALSO_ELSEWHERE', 'warn', principals, `${parts.join('; ')}. ${effect} To avoid this, ${fix}.`, {
    direct,
    otherGroups: [...otherGroups.entries()].map(([id, members]) => ({ id, displayName: ctx.groupName(id), members })),
    clash,
    includeDirectCopies: include,
    suggestIncludeDirectCopies: direct.length > 0,
  });
}

function dedupe(refs: PrincipalRef[]): PrincipalRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}

// What the change does to each person's services, the whole person counted: every license they
// hold before and after (the copies this change removes, adds or replaces, and all the others), so
// a service the target lacks is not "lost" when another license of theirs still provides it, and
// an edition they already have from elsewhere is not an "upgrade". Only the services the change is
// about count (those of any plan of the source or the target). The card's lists are the union over
// the people the change goes through for: not those whose new license will fail (a copy of the
// source kept elsewhere that clashes with the target; their own copy's removal refused; no usage
// location anywhere). A member in error from the group today is not left out for that: the new
// license is applied to them afresh (the oracle found most such errors clear with the old plan).
// Worked out once per distinct licence picture: the members of a big group repeat a few.
import type { GraphLicenseAssignmentState } from '../../graph/types';
import type { PrincipalRef, ServicePlanInfo } from '../model';
import { diffServices, serviceKey, type CarryOverResult } from '../swap-plan';
import { directRemovalBreaks } from './conflicts';
import { lc, type Ctx, type UserFacts } from './context';

export type ServiceDelta = Omit<CarryOverResult, 'disabledPlans'>;

export interface PersonServices {
  /** Union over the people the change goes through for. */
  union: ServiceDelta;
  /**
   * The people the change goes through for who lose a service or keep one in a lower edition (for
   * SERVICES_LOST), grouped by what they lose: a few groups for a big group's members.
   */
  people: { delta: ServiceDelta; directCopy: boolean; refs: PrincipalRef[] }[];
}

interface State {
  skuId: string;
  group: string | null;
  active: boolean;
  disabledPlans: readonly string[];
}

const ACTIVE = /^(active|activewitherror)?$/i;
const NONE_REMOVED: ReadonlySet<string> = new Set();

function statesOf(f: UserFacts): State[] {
  const raw: GraphLicenseAssignmentState[] = f.user.licenseAssignmentStates ?? [];
  if (!raw.length) return (f.user.assignedLicenses ?? []).map((a) => ({ skuId: lc(a.skuId), group: null, active: true, disabledPlans: a.disabledPlans ?? [] }));
  return raw.map((s) => ({
    skuId: lc(s.skuId),
    group: s.assignedByGroup ? lc(s.assignedByGroup) : null,
    active: ACTIVE.test(String(s.state ?? '')) && (!s.error || /^none$/i.test(s.error)),
    disabledPlans: s.disabledPlans ?? [],
  }));
}

/** Will the group's new license fail for this member (so the change does not go through for them)? */
export function failsForMember(ctx: Ctx, f: UserFacts): boolean {
  if (ctx.keptSourceClash(f) || directRemovalBreaks(ctx, f).length) return true;
  return !f.user.usageLocation && !ctx.input.tenant.countryLetterCode;
}

export function personServices(ctx: Ctx): PersonServices {
  const { ref } = ctx.input;
  const sourceId = ctx.sourceId;
  const { sourceIds, targetIds } = ctx;
  const inPlay = new Set([...ctx.sources, ...ctx.targets].flatMap((p) => p.servicePlans).map((p) => serviceKey(p, ref)));
  // The group's adds, every target with its disabledPlans (what reaches each member of a group change).
  const groupAdds = ctx.change.assignments.find((x) => x.principal.kind === 'group')?.addLicenses ?? [];
  const plansCache = new Map<string, ServicePlanInfo[]>();
  const enabled = (states: State[]): ServicePlanInfo[] => {
    const out = new Map<string, ServicePlanInfo>();
    for (const s of states) {
      if (!s.active) continue;
      const key = `${s.skuId}|${[...s.disabledPlans].map(lc).sort().join(',')}`;
      let plans = plansCache.get(key);
      if (!plans) {
        const off = new Set(s.disabledPlans.map(lc));
        plans = ctx.rules.plansOf(s.skuId).filter((p) => !off.has(lc(p.id)) && inPlay.has(serviceKey(p, ref)));
        plansCache.set(key, plans);
      }
      for (const p of plans) out.set(p.name.toUpperCase(), p);
    }
    return [...out.values()];
  };

  const byUser = new Map(ctx.change.assignments.filter((a) => a.principal.kind === 'user').map((a) => [a.principal.id, a] as const));
  const groupId = ctx.groupId;
  const include = !!ctx.input.spec.includeDirectCopies;
  const memo = new Map<string, ServiceDelta>();
  const counted = new Set<ServiceDelta>();
  const people: PersonServices['people'] = [];
  const peopleBy = new Map<ServiceDelta, PersonServices['people'][number][]>();
  const country = !!ctx.input.tenant.countryLetterCode;
  const union = { kept: new Set<string>(), lost: new Set<string>(), gained: new Set<string>(), upgraded: new Set<string>(), downgraded: new Set<string>() };

  /** What the group's change adds for this member: every target, as the group carries it over. */
  const groupAddsFor = (f: UserFacts): readonly { skuId: string; disabledPlans: readonly string[] }[] =>
    ctx.multi ? groupAdds : [{ skuId: ctx.targetId, disabledPlans: ctx.targetDisabledFor(f) ?? [] }];

  // Runs once per member of a big group: the licence picture is keyed without building objects,
  // and the work (states, plans, diff) is done once per distinct picture.
  for (const f of ctx.facts) {
    const a = byUser.get(f.ref.id);
    if (ctx.kind !== 'group' && !a) continue; // not changed (blocked for them, or not holding the source)
    const raw = f.user.licenseAssignmentStates ?? [];
    let sig: string;
    let fails: boolean;
    let directAdds: readonly { skuId: string; disabledPlans: readonly string[] }[] = [];
    let removed: ReadonlySet<string> = NONE_REMOVED;
    let groupAdd: readonly { skuId: string; disabledPlans: readonly string[] }[] | undefined;
    const only = raw.length === 1 ? raw[0]! : undefined;
    if (!a && only && only.state === 'Active' && only.assignedByGroup && lc(only.skuId) === sourceId && lc(only.assignedByGroup) === groupId) {
      // The common member: the source from this group and nothing else.
      fails = !f.user.usageLocation && !country;
      groupAdd = fails ? undefined : groupAddsFor(f);
      sig = `plain|${fails ? 1 : 0}|${only.disabledPlans?.length ? only.disabledPlans.join(',') : ''}`;
    } else {
      directAdds = a ? a.addLicenses.filter((l) => targetIds.has(lc(l.skuId))) : [];
      removed = a ? new Set(a.removeLicenses.map(lc).filter((r) => sourceIds.has(r))) : NONE_REMOVED;
      fails = ctx.kind === 'group' && failsForMember(ctx, f);
      groupAdd = ctx.kind === 'group' && !fails ? groupAddsFor(f) : undefined;
      const adds = (l: readonly { skuId: string; disabledPlans: readonly string[] }[] | undefined) =>
        l ? l.map((x) => (ctx.multi ? `${lc(x.skuId)}:${x.disabledPlans.join(',')}` : x.disabledPlans.join(','))).join('+') : '-';
      sig = `${directAdds.length ? adds(directAdds) : '-'}#${[...removed].join(',') || 0}#${adds(groupAdd)}`;
      if (raw.length) for (const s of raw) sig += `;${s.skuId}|${s.assignedByGroup ?? ''}|${s.state}|${s.error ?? ''}|${s.disabledPlans?.length ? s.disabledPlans.join(',') : ''}`;
      else for (const l of f.user.assignedLicenses ?? []) sig += `;${l.skuId}||${l.disabledPlans?.join(',') ?? ''}`;
    }
    let delta = memo.get(sig);
    if (!delta) {
      const states = statesOf(f);
      const after: State[] = [];
      const directlyAdded = new Set(directAdds.map((l) => lc(l.skuId)));
      for (const s of states) {
        if (s.group === null && (removed.has(s.skuId) || directlyAdded.has(s.skuId))) continue;
        if (groupId && s.group === groupId && (sourceIds.has(s.skuId) || targetIds.has(s.skuId))) continue;
        after.push(s);
      }
      for (const l of directAdds) after.push({ skuId: lc(l.skuId), group: null, active: true, disabledPlans: l.disabledPlans });
      if (groupAdd) for (const l of groupAdd) after.push({ skuId: lc(l.skuId), group: groupId!, active: true, disabledPlans: l.disabledPlans });
      delta = diffServices(enabled(states), enabled(after), ref);
      memo.set(sig, delta);
    }
    if (fails) continue;
    if (!counted.has(delta)) {
      counted.add(delta);
      for (const k of Object.keys(union) as (keyof ServiceDelta)[]) for (const x of delta[k]) union[k].add(x);
    }
    if (delta.lost.length || delta.downgraded.length) {
      const directCopy = ctx.kind === 'group' && include && !!f.sourceDirect && !!groupId && f.sourceGroups.includes(groupId);
      let list = peopleBy.get(delta);
      if (!list) peopleBy.set(delta, (list = []));
      let entry = list.find((e) => e.directCopy === directCopy);
      if (!entry) {
        list.push((entry = { delta, directCopy, refs: [] }));
        people.push(entry);
      }
      entry.refs.push(f.ref);
    }
  }
  return {
    union: { kept: [...union.kept], lost: [...union.lost], gained: [...union.gained], upgraded: [...union.upgraded], downgraded: [...union.downgraded] },
    people,
  };
}

// Teams Phone and Audio Conferencing without Teams (the Teams unbundling).
//   TEAMS_NEEDED  warn  someone the change goes through for keeps Teams Phone (MCOEV…) or Audio
//                       Conferencing (MCOMEETADV / MCOMEETBASIC…) enabled, from any license, and has
//                       Teams (TEAMS1…) today but not after the change: a suite moved to its
//                       "(no Teams)" twin without a Teams license beside it. Graph may accept the
//                       call (the no-Teams suites still carry the old Skype plan that the rule
//                       names), but the phone number and dial-in have no Teams to work in. Add a
//                       Teams license to the change (Microsoft Teams Enterprise, or Teams EEA).
//                       data.services: which of the two; data.skus: the licenses that carry them.
import type { PrincipalRef } from '../model';
import { lc, stateActive, type Ctx, type UserFacts } from './context';
import { failsForMember } from './person-services';

const TEAMS = /^TEAMS(1|_GOV|_AR_GCCHIGH|_AR_DOD)$/;
const PHONE = /^MCOEV/;
const CONFERENCING = /^MCOMEET(ADV|BASIC)/;

const hasAny = (names: Iterable<string>, re: RegExp) => {
  for (const n of names) if (re.test(n)) return true;
  return false;
};

export function checkTeamsNeeded(ctx: Ctx): void {
  const { rules } = ctx;
  const who: PrincipalRef[] = [];
  const services = new Set<'phone' | 'conferencing'>();
  const skus = new Map<string, string>();
  const adding = new Set(ctx.change.assignments.filter((a) => a.addLicenses.length).map((a) => a.principal.id));
  const groupId = ctx.groupId;
  const include = !!ctx.input.spec.includeDirectCopies;

  // Quick exit: no target set without Teams means nothing to say.
  const someTargetsOn = ctx.facts.length ? ctx.targetsOnFor(ctx.facts[0]!) : undefined;
  if (someTargetsOn && hasAny(someTargetsOn, TEAMS) && ctx.kind === 'group') return;

  const check = (f: UserFacts) => {
    const states = f.user.licenseAssignmentStates ?? [];
    const before: { sku: string; on: Set<string>; goes: boolean }[] = [];
    const list = states.length
      ? states.filter(stateActive).map((s) => ({ sku: lc(s.skuId), d: s.disabledPlans, group: s.assignedByGroup ? lc(s.assignedByGroup) : null }))
      : (f.user.assignedLicenses ?? []).map((a) => ({ sku: lc(a.skuId), d: a.disabledPlans, group: null as string | null }));
    for (const x of list) {
      const isSource = ctx.sourceIds.has(x.sku);
      // The copies this change takes away: the group's sources, or the direct sources it removes.
      const goes = isSource && (x.group === null ? ctx.kind !== 'group' || include : x.group === groupId);
      before.push({ sku: x.sku, on: rules.enabledNames(x.sku, x.d), goes });
    }
    if (!before.some((b) => b.goes && hasAny(b.on, TEAMS))) return; // Teams did not come from what goes
    const keeps = before.filter((b) => !b.goes);
    const targetOn = ctx.targetsOnFor(f);
    if (hasAny(targetOn, TEAMS) || keeps.some((b) => hasAny(b.on, TEAMS))) return; // Teams stays
    const phone = keeps.filter((b) => hasAny(b.on, PHONE));
    const conf = keeps.filter((b) => hasAny(b.on, CONFERENCING));
    const targetPhone = hasAny(targetOn, PHONE);
    const targetConf = hasAny(targetOn, CONFERENCING);
    if (!phone.length && !conf.length && !targetPhone && !targetConf) return;
    who.push(f.ref);
    if (phone.length || targetPhone) services.add('phone');
    if (conf.length || targetConf) services.add('conferencing');
    for (const b of [...phone, ...conf]) skus.set(b.sku, rules.skuName(b.sku));
    for (const t of ctx.targets)
      if ((targetPhone || targetConf) && t.servicePlans.some((p) => PHONE.test(p.name.toUpperCase()) || CONFERENCING.test(p.name.toUpperCase())))
        skus.set(lc(t.skuId), t.displayName);
  };

  for (const f of ctx.facts) {
    if (ctx.kind === 'group' ? failsForMember(ctx, f) : !adding.has(f.ref.id)) continue;
    check(f);
  }
  if (!who.length) return;
  ctx.add('TEAMS_NEEDED', 'warn', who, {
    count: who.length,
    services: [...services],
    skus: [...skus.values()],
  });
}

// The plans of a change as whole ordered lists: a change moves from one or more sources to one or
// more targets (`from` + `alsoFrom`, `to` + `alsoTo`). Every reader that cares about "the source"
// or "the target" of a change asks here, so single-plan changes and several-plans changes (and
// requests stored before alsoTo/alsoFrom existed) read the same way.
import { LicensingError, type ChangeSpec, type PlanSummary, type ResolvedChange } from './model';

/** At most this many sources, and this many targets, in one change (a suite's split is two or three). */
export const MAX_PLANS = 6;

type Plans = Pick<ResolvedChange, 'from' | 'to' | 'alsoFrom' | 'alsoTo'>;
type SpecPlans = Pick<ChangeSpec, 'from' | 'to' | 'alsoFrom' | 'alsoTo'>;

const isSpec = (c: Plans | SpecPlans): c is SpecPlans => typeof c.to === 'string' || c.to === undefined;

const names = (first: string | undefined, more: unknown): string[] => {
  const out: string[] = [];
  if (typeof first === 'string' && first.trim()) out.push(first.trim());
  if (Array.isArray(more)) for (const x of more) if (typeof x === 'string' && x.trim()) out.push(x.trim());
  return out;
};

/** Every target of the change, `to` first. A spec gives the names as typed (trimmed, blanks dropped). */
export function targetsOf(change: Plans): PlanSummary[];
export function targetsOf(spec: SpecPlans): string[];
export function targetsOf(c: Plans | SpecPlans): PlanSummary[] | string[] {
  if (isSpec(c)) return names(c.to, c.alsoTo);
  return [c.to, ...(Array.isArray(c.alsoTo) ? c.alsoTo : [])];
}

/** Every source of the change, `from` first. A spec without `from` has none yet (it is inferred). */
export function sourcesOf(change: Plans): PlanSummary[];
export function sourcesOf(spec: SpecPlans): string[];
export function sourcesOf(c: Plans | SpecPlans): PlanSummary[] | string[] {
  if (isSpec(c)) return names(c.from, c.from ? c.alsoFrom : undefined);
  return [c.from, ...(Array.isArray(c.alsoFrom) ? c.alsoFrom : [])];
}

/** More than one source or target. */
export function isMultiPlan(c: Plans | SpecPlans): boolean {
  return isSpec(c) ? targetsOf(c).length > 1 || sourcesOf(c).length > 1 : targetsOf(c).length > 1 || sourcesOf(c).length > 1;
}

/** The plans of a list joined for a sentence: "A", "A and B", "A, B and C" (`and` in the reader's language). */
export function joinPlans(labels: string[], and = 'and'): string {
  if (labels.length <= 1) return labels[0] ?? '';
  return `${labels.slice(0, -1).join(', ')} ${and} ${labels[labels.length - 1]}`;
}

/** Lower-case skuIds of a list of plans, for membership tests. */
export function skuIdSet(plans: readonly { skuId: string }[]): Set<string> {
  return new Set(plans.map((p) => p.skuId.toLowerCase()));
}

/**
 * The further plans of a spec resolved (`resolve` is the catalog's: it throws PLAN_UNKNOWN or
 * PLAN_AMBIGUOUS for a name it cannot place), and the lists checked as a whole: a plan named twice
 * in one list, or as both a source and a target of a several-plans change, is an INVALID_INPUT
 * whose data says which (reason PLAN_REPEATED / PLAN_IN_BOTH, name as typed, plan). The single
 * plan case (source = target) stays the preflight's SAME_PLAN finding.
 */
export function resolveFurtherPlans<P extends PlanSummary>(
  spec: Pick<ChangeSpec, 'alsoTo' | 'alsoFrom' | 'from' | 'to'>,
  source: P,
  target: P,
  resolve: (name: string) => P,
): { alsoTo: P[]; alsoFrom: P[] } {
  if (spec.alsoTo !== undefined && !Array.isArray(spec.alsoTo))
    throw new LicensingError('INVALID_INPUT', 'The further target plans must be a list.', { reason: 'PLANS_NOT_A_LIST', list: 'to' });
  if (spec.alsoFrom !== undefined && !Array.isArray(spec.alsoFrom))
    throw new LicensingError('INVALID_INPUT', 'The further source plans must be a list.', { reason: 'PLANS_NOT_A_LIST', list: 'from' });
  const toNames = names(undefined, spec.alsoTo);
  const fromNames = names(undefined, spec.alsoFrom);
  if (fromNames.length && !(typeof spec.from === 'string' && spec.from.trim()))
    throw new LicensingError('INVALID_INPUT', 'Several source plans need the first one named too.', { reason: 'ALSO_FROM_WITHOUT_FROM' });
  if (toNames.length + 1 > MAX_PLANS || fromNames.length + 1 > MAX_PLANS)
    throw new LicensingError('INVALID_INPUT', `At most ${MAX_PLANS} plans to add and ${MAX_PLANS} to remove in one change.`, { reason: 'TOO_MANY_PLANS', max: MAX_PLANS });
  const alsoTo = toNames.map(resolve);
  const alsoFrom = fromNames.map(resolve);
  if (!alsoTo.length && !alsoFrom.length) return { alsoTo, alsoFrom };

  const repeated = (list: P[], typed: string[], first: string | undefined, which: 'to' | 'from') => {
    const seen = new Set<string>();
    list.forEach((p, i) => {
      const id = p.skuId.toLowerCase();
      if (seen.has(id)) {
        const name = i === 0 ? (first ?? p.displayName) : typed[i - 1]!;
        throw new LicensingError('INVALID_INPUT', `${p.displayName} is named twice among the plans to ${which === 'to' ? 'add' : 'remove'} ("${name}").`, {
          reason: 'PLAN_REPEATED',
          list: which,
          name,
          plan: { skuId: p.skuId, skuPartNumber: p.skuPartNumber, displayName: p.displayName },
        });
      }
      seen.add(id);
    });
  };
  repeated([target, ...alsoTo], toNames, spec.to, 'to');
  repeated([source, ...alsoFrom], fromNames, spec.from, 'from');
  const targets = new Set([target, ...alsoTo].map((p) => p.skuId.toLowerCase()));
  for (const p of [source, ...alsoFrom]) {
    if (!targets.has(p.skuId.toLowerCase())) continue;
    throw new LicensingError('INVALID_INPUT', `${p.displayName} is both a plan to remove and a plan to add: name it on one side only.`, {
      reason: 'PLAN_IN_BOTH',
      name: p.displayName,
      plan: { skuId: p.skuId, skuPartNumber: p.skuPartNumber, displayName: p.displayName },
    });
  }
  return { alsoTo, alsoFrom };
}

/** The lower-case skuIds of each side, "a+b", for keys and comparisons (single plan: the one skuId). */
export function planIds(change: Plans): { from: string; to: string } {
  return {
    from: sourcesOf(change)
      .map((p) => p.skuId.toLowerCase())
      .join('+'),
    to: targetsOf(change)
      .map((p) => p.skuId.toLowerCase())
      .join('+'),
  };
}

/** Each side's display names joined for an English sentence ("Microsoft 365 E3 (no Teams) and Microsoft Teams Enterprise"). */
export function planNames(change: Plans, and = 'and'): { from: string; to: string } {
  return {
    from: joinPlans(
      sourcesOf(change).map((p) => p.displayName),
      and,
    ),
    to: joinPlans(
      targetsOf(change).map((p) => p.displayName),
      and,
    ),
  };
}

// Adopt: members who hold a plan directly get it from their group instead (Microsoft's "migrate
// users with individual licenses to groups"). The group gets the plan, Entra gives every member an
// inherited copy (no extra seat: a SKU counts once per person, however many copies), and each
// member's direct copy is removed once their inherited copy is Active and covers it. Pure: the
// preflight (preflight/adopt.ts) and the service's per-member check (adoptCheck) call these.
import type { GraphUser } from '../graph/types';
import type { AdoptCheck, AdoptKept, PlanInfo, PrincipalRef } from './model';
import { explainMemberError } from './explain';
import { userRef } from './principal-ref';

const lower = (xs: readonly string[]) => xs.map((x) => x.toLowerCase());

/** One member's copies of the plan: the direct one, and the Active / in-error ones from groups. */
export interface MemberCopies {
  /** disabledPlans of the direct copy; undefined when there is none. */
  direct?: string[];
  /** Active inherited copies' disabledPlans, by group id (lower case). */
  inherited: Map<string, string[]>;
  /** Inherited copies in error, by group id: Entra's error value. */
  inError: Map<string, string>;
}

const NO_ERROR = /^(|none)$/i;

export function memberCopies(u: GraphUser, skuId: string): MemberCopies {
  const sku = skuId.toLowerCase();
  const out: MemberCopies = { inherited: new Map(), inError: new Map() };
  const states = u.licenseAssignmentStates ?? [];
  for (const s of states) {
    if (s.skuId.toLowerCase() !== sku) continue;
    if (!s.assignedByGroup) {
      out.direct = lower(s.disabledPlans ?? []);
      continue;
    }
    const g = s.assignedByGroup.toLowerCase();
    const error = (s.error ?? '').trim();
    if (/error/i.test(String(s.state ?? '')) || !NO_ERROR.test(error)) out.inError.set(g, NO_ERROR.test(error) ? 'Other' : error);
    else if (!s.state || /^active$/i.test(String(s.state))) out.inherited.set(g, lower(s.disabledPlans ?? []));
  }
  // Without licenseAssignmentStates, an assigned plan can only be read as a direct copy.
  if (!states.length) {
    const a = (u.assignedLicenses ?? []).find((l) => l.skuId.toLowerCase() === sku);
    if (a) out.direct = lower(a.disabledPlans ?? []);
  }
  return out;
}

/**
 * The group's disabledPlans when it gets the plan: the members' own choice when their direct
 * copies agree; otherwise only what every one of them has off (so nobody loses a service: some
 * gain one). Overrides (plan ids) are applied after, by the caller.
 */
export function chooseGroupDisabledPlans(directCopies: readonly string[][]): { disabledPlans: string[]; from: 'members' | 'union' | 'none' } {
  if (!directCopies.length) return { disabledPlans: [], from: 'none' };
  const key = (xs: readonly string[]) => [...lower(xs)].sort().join(',');
  const first = key(directCopies[0]!);
  if (directCopies.every((d) => key(d) === first)) return { disabledPlans: first ? first.split(',') : [], from: 'members' };
  let common = new Set(lower(directCopies[0]!));
  for (const d of directCopies.slice(1)) {
    const set = new Set(lower(d));
    common = new Set([...common].filter((x) => set.has(x)));
  }
  return { disabledPlans: [...common].sort(), from: 'union' };
}

/**
 * Services the member has on in their direct copy that none of their inherited copies (Active,
 * from any group) has on: friendly names. Same SKU on both sides, so plans compare by id.
 */
export function servicesNotCovered(plan: PlanInfo, direct: readonly string[], inherited: readonly (readonly string[])[]): string[] {
  const off = new Set(lower(direct));
  const offs = inherited.map((d) => new Set(lower(d)));
  return plan.servicePlans.filter((p) => !off.has(p.id.toLowerCase()) && offs.every((o) => o.has(p.id.toLowerCase()))).map((p) => p.friendlyName || p.name);
}

/**
 * The per-member check before a direct copy is removed. For each member read:
 * - no direct copy any more: gone (nothing to do);
 * - an inherited copy from the group in error: kept ('error', with Entra's reason in plain words);
 * - no Active inherited copy from the group: kept ('notInherited'), unless the read may predate
 *   processing (the caller reads those again);
 * - an inherited copy that turns off services their direct copy has on, not accepted: kept
 *   ('servicesNotCovered', with the services);
 * - otherwise ready.
 */
export function checkAdoptMembers(input: { groupId: string; plan: PlanInfo; members: GraphUser[]; acceptLoss?: readonly string[] }): AdoptCheck {
  const groupId = input.groupId.toLowerCase();
  const accepted = new Set(lower(input.acceptLoss ?? []));
  const ready: PrincipalRef[] = [];
  const kept: AdoptKept[] = [];
  const gone: PrincipalRef[] = [];
  for (const u of input.members) {
    const ref = userRef(u);
    const c = memberCopies(u, input.plan.skuId);
    if (!c.direct) {
      gone.push(ref);
      continue;
    }
    const error = c.inError.get(groupId);
    if (error !== undefined) {
      // Codes only: the cards and the CLI say Entra's error in the reader's language.
      kept.push({ principal: ref, reason: 'error', error });
      continue;
    }
    const mine = c.inherited.get(groupId);
    if (!mine) {
      kept.push({ principal: ref, reason: 'notInherited' });
      continue;
    }
    const lost = servicesNotCovered(input.plan, c.direct, [...c.inherited.values()]);
    if (lost.length && !accepted.has(u.id.toLowerCase())) {
      kept.push({ principal: ref, reason: 'servicesNotCovered', services: lost });
      continue;
    }
    ready.push(ref);
  }
  return { ready, kept, gone };
}

/** Waves: the pilot first, then `size` at a time. */
export function adoptWaves<T>(items: readonly T[], pilot = 5, size = 100): T[][] {
  const out: T[][] = [];
  const p = Math.max(0, Math.min(pilot, items.length));
  if (p) out.push(items.slice(0, p));
  for (let i = p; i < items.length; i += Math.max(1, size)) out.push(items.slice(i, i + Math.max(1, size)));
  return out;
}

/** Why a member keeps their direct copy, without who: the codes and data stored with a request. */
export function keptWhy(k: AdoptKept): Omit<AdoptKept, 'principal'> {
  return {
    reason: k.reason,
    ...(k.error !== undefined ? { error: k.error } : {}),
    ...(k.message !== undefined ? { message: k.message } : {}),
    ...(k.services ? { services: k.services } : {}),
  };
}

/** Why a member keeps their direct copy, in plain English (Graph-side reports and logs; the cards say it from the message tables). */
export function adoptKeptReason(k: Omit<AdoptKept, 'principal'>): string {
  switch (k.reason) {
    case 'servicesNotCovered':
      return `Their own copy stays: the group's copy turns off ${(k.services ?? []).join(', ') || 'services they use'}.`;
    case 'error':
      return `Their own copy stays: their copy from the group is in error (${k.error ?? 'Other'}). ${k.message ?? explainMemberError(k.error ?? 'Other')}`.trim();
    case 'removeFailed':
      return `Removing their own copy failed: ${k.message ?? ''}`.trim();
    default:
      return 'Their own copy stays: no Active copy from the group reached them (not processed yet, or no longer a member).';
  }
}

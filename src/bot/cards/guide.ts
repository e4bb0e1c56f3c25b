// The guided card, three screens: who (type-ahead picker + typed fallback), from which current
// plan, to which assignable plan (free seats shown).
import type { PlanInfo, PrincipalRef, PrincipalStatus } from '../../licensing/model';
import type { Messages } from '../../i18n';
import { md, plain, renderCard, type AdaptiveCard } from './render';
import { planLabel } from './plans';
import { MAX_PLANS } from '../../licensing/change-plans';

export interface GuidePrincipalView {
  title: string;
  step: string;
  error: string;
  pickPlaceholder: string;
  typedLabel: string;
  typedPlaceholder: string;
  next: string;
}

export interface GuideSourceView {
  title: string;
  step: string;
  error: string;
  choices: { title: string; value: string }[];
  selected: string;
  principal: { kind: 'user' | 'group'; id: string };
  next: string;
  back: string;
}

export interface GuideTargetView {
  title: string;
  step: string;
  error: string;
  choices: { title: string; value: string }[];
  /** The first target as picked before (when "add another plan" redraws the card). */
  selected: string;
  /** "Add another plan": one more picker each (input ids alsoTo1, alsoTo2…), the plans added in the same change. */
  more: { id: string; label: string; placeholder: string; selected: string; choices: { title: string; value: string }[] }[];
  /** As the preflight verb takes it. */
  principal: { kind: 'user'; user: string } | { kind: 'group'; group: string };
  /** As the guide verb takes it. */
  guidePrincipal: { kind: 'user' | 'group'; id: string };
  from: string;
  /** How many extra pickers the "add another plan" button asks for; '' hides the button (at the limit). */
  extra: number;
  addAnother: string;
  check: string;
  back: string;
}

/** Input ids of the extra target pickers: alsoTo1 … alsoTo(MAX_PLANS - 1). */
export const EXTRA_TARGET_IDS = Array.from({ length: MAX_PLANS - 1 }, (_, i) => `alsoTo${i + 1}`);

/** What the target card showed picked so far: the first target and the extra ones. */
export interface TargetPicks {
  to?: string;
  alsoTo?: string[];
  /** How many extra pickers to show. */
  extra?: number;
}

export function guidePrincipalCard(t: Messages, error = ''): AdaptiveCard {
  const view: GuidePrincipalView = {
    title: t.guide.title,
    step: t.guide.step1,
    error,
    pickPlaceholder: t.guide.pickPlaceholder,
    typedLabel: t.guide.typedLabel,
    typedPlaceholder: t.guide.typedPlaceholder,
    next: t.guide.next,
  };
  return renderCard('guide-principal', view);
}

function principalName(p: PrincipalRef): string {
  return p.userPrincipalName ? `${p.displayName} (${p.userPrincipalName})` : p.displayName;
}

/** Current plans of the principal: its own (direct, or the group's) assignments first. */
export function guideSourceCard(t: Messages, status: PrincipalStatus, error = ''): AdaptiveCard {
  const p = status.principal;
  const seen = new Set<string>();
  const choices: GuideSourceView['choices'] = [];
  const own = status.licenses.filter((l) => l.assignedByGroup === null);
  for (const l of [...own, ...status.licenses.filter((l) => l.assignedByGroup !== null)]) {
    const id = l.plan.skuId.toLowerCase();
    if (seen.has(id)) continue;
    seen.add(id);
    const via = l.assignedByGroup === null ? '' : ` — ${t.common.inheritedFrom(l.assignedByGroupName ?? l.assignedByGroup)}`;
    choices.push({ title: plain(`${planLabel(l.plan)}${via}`), value: l.plan.skuId });
  }
  const view: GuideSourceView = {
    title: t.guide.title,
    step: choices.length ? t.guide.step2(md(principalName(p))) : t.guide.noCurrentPlans(md(principalName(p))),
    error,
    choices,
    selected: choices.length === 1 ? choices[0]!.value : '',
    principal: { kind: p.kind, id: p.id },
    next: t.guide.next,
    back: t.guide.back,
  };
  return renderCard('guide-source', view);
}

/**
 * Assignable plans (appliesTo User), other than the source, with free seats. "Add another plan"
 * redraws it with one more picker (a second or third target in the same change), keeping the picks.
 */
export function guideTargetCard(t: Messages, principal: PrincipalRef, from: PlanInfo, plans: PlanInfo[], error = '', picks: TargetPicks = {}): AdaptiveCard {
  const choices = plans
    .filter((pl) => pl.skuId.toLowerCase() !== from.skuId.toLowerCase() && (!pl.appliesTo || pl.appliesTo === 'User'))
    .sort((a, b) => planLabel(a).localeCompare(planLabel(b)))
    .map((pl) => ({ title: plain(t.guide.planChoice(planLabel(pl), pl.available)), value: pl.skuId }));
  const known = (v: string | undefined) => (v && choices.some((c) => c.value === v) ? v : '');
  const extra = Math.max(0, Math.min(EXTRA_TARGET_IDS.length, Math.floor(picks.extra ?? 0), Math.max(0, choices.length - 1)));
  const more = EXTRA_TARGET_IDS.slice(0, extra).map((id, i) => ({
    id,
    label: t.guide.anotherPlan(i + 2),
    placeholder: t.guide.anotherPlaceholder,
    selected: known(picks.alsoTo?.[i]),
    choices,
  }));
  const view: GuideTargetView = {
    title: t.guide.title,
    step: t.guide.step3(md(principalName(principal)), md(planLabel(from))),
    error,
    choices,
    selected: known(picks.to),
    more,
    principal: principal.kind === 'user' ? { kind: 'user', user: principal.id } : { kind: 'group', group: principal.id },
    guidePrincipal: { kind: principal.kind, id: principal.id },
    from: from.skuId,
    extra: extra + 1,
    addAnother: extra < EXTRA_TARGET_IDS.length && extra + 1 < choices.length ? t.guide.addAnother : '',
    check: t.guide.check,
    back: t.guide.back,
  };
  return renderCard('guide-target', view);
}

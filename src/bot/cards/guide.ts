// The guided card, three screens: who (type-ahead picker + typed fallback), from which current
// plan, to which assignable plan (free seats shown).
import type { PlanInfo, PrincipalRef, PrincipalStatus } from '../../licensing/model';
import type { Messages } from '../../i18n';
import { md, plain, renderCard, type AdaptiveCard } from './render';
import { planLabel } from './plans';

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
  /** As the preflight verb takes it. */
  principal: { kind: 'user'; user: string } | { kind: 'group'; group: string };
  from: string;
  check: string;
  back: string;
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

/** Assignable plans (appliesTo User), other than the source, with free seats. */
export function guideTargetCard(t: Messages, principal: PrincipalRef, from: PlanInfo, plans: PlanInfo[], error = ''): AdaptiveCard {
  const choices = plans
    .filter((pl) => pl.skuId.toLowerCase() !== from.skuId.toLowerCase() && (!pl.appliesTo || pl.appliesTo === 'User'))
    .sort((a, b) => planLabel(a).localeCompare(planLabel(b)))
    .map((pl) => ({ title: plain(t.guide.planChoice(planLabel(pl), pl.available)), value: pl.skuId }));
  const view: GuideTargetView = {
    title: t.guide.title,
    step: t.guide.step3(md(principalName(principal)), md(planLabel(from))),
    error,
    choices,
    principal: principal.kind === 'user' ? { kind: 'user', user: principal.id } : { kind: 'group', group: principal.id },
    from: from.skuId,
    check: t.guide.check,
    back: t.guide.back,
  };
  return renderCard('guide-target', view);
}

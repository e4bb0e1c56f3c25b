import type { PlanInfo } from '../../licensing/model';
import type { Messages } from '../../i18n';
import { md, renderCard, type AdaptiveCard } from './render';
import { signed } from './common';

export interface PlansView {
  title: string;
  hasPlans: boolean;
  empty: string;
  header: { plan: string; free: string; total: string };
  plans: { name: string; detail: string; free: string; total: string }[];
}

export function planLabel(p: Pick<PlanInfo, 'displayName' | 'skuPartNumber'>): string {
  return p.displayName && p.displayName !== p.skuPartNumber ? p.displayName : p.skuPartNumber;
}

export function plansCard(t: Messages, plans: PlanInfo[]): AdaptiveCard {
  const sorted = [...plans].sort((a, b) => planLabel(a).localeCompare(planLabel(b)));
  const view: PlansView = {
    title: t.plans.title,
    hasPlans: sorted.length > 0,
    empty: t.plans.empty,
    header: { plan: t.plans.column.plan, free: t.plans.column.free, total: t.plans.column.total },
    plans: sorted.map((p) => {
      const notes = [p.skuPartNumber];
      if (p.aliases?.length) notes.push(p.aliases.slice(0, 3).join(', '));
      if (p.appliesTo && p.appliesTo !== 'User') notes.push(t.plans.notAssignable);
      if (p.capabilityStatus && p.capabilityStatus !== 'Enabled') notes.push(t.plans.status(p.capabilityStatus));
      return {
        name: md(planLabel(p)),
        detail: md(notes.join(' · ')),
        // None free or few free: a sign, not faint red/yellow/green text.
        free: signed(p.available === 0 ? 'block' : p.available < 5 ? 'warn' : 'plain', String(p.available)),
        total: String(p.enabled),
      };
    }),
  };
  return renderCard('plans', view);
}

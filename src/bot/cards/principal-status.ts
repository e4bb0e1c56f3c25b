import type { PrincipalStatus } from '../../licensing/model';
import type { Messages } from '../../i18n';
import { md, renderCard, type AdaptiveCard } from './render';
import { signed } from './common';
import { planLabel } from './plans';

export interface PrincipalStatusView {
  title: string;
  subtitle: string;
  details: string;
  hasLines: boolean;
  none: string;
  lines: { plan: string; source: string; state: string }[];
}

export function principalStatusCard(t: Messages, s: PrincipalStatus): AdaptiveCard {
  const p = s.principal;
  const details: string[] = [];
  if (s.processingState) details.push(t.status.processing(md(t.common.processingState(s.processingState))));
  if (s.memberCount !== undefined) details.push(t.status.memberCount(s.memberCount));
  if (s.membersInError) details.push(t.status.membersInError(s.membersInError));
  const view: PrincipalStatusView = {
    title: t.status.title(md(p.displayName)),
    subtitle: md([p.kind === 'user' ? t.common.user : t.common.group, p.userPrincipalName].filter(Boolean).join(' · ')),
    details: details.join(' · '),
    hasLines: s.licenses.length > 0,
    none: t.status.none,
    lines: s.licenses.map((l) => {
      const bad = !!l.error && l.error !== 'None';
      return {
        plan: md(planLabel(l.plan)),
        source: l.assignedByGroup === null ? (p.kind === 'group' ? md(t.common.group) : t.common.direct) : t.common.inheritedFrom(md(l.assignedByGroupName ?? l.assignedByGroup)),
        state: signed(bad ? 'block' : l.state && l.state !== 'Active' ? 'warn' : 'done', md([l.state, bad ? t.status.errorOn(l.error!) : ''].filter(Boolean).join(' · '))),
      };
    }),
  };
  return renderCard('principal-status', view);
}

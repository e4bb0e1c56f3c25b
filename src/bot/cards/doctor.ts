// The doctor card: the same report as `plan-switch doctor` (src/doctor), for approvers in chat.
import type { DoctorReport } from '../../doctor/model';
import { callFix, callState, permissionState, problemCount } from '../../doctor/phrases';
import type { Messages } from '../../i18n';
import { signed, toneLine, type ToneLine } from './common';
import { md, renderCard, type AdaptiveCard } from './render';

export interface DoctorView {
  title: string;
  verdict: ToneLine;
  intro: string[];
  permissionsHeading: string;
  permissions: { line: string; detail: string }[];
  readsHeading: string;
  reads: { line: string; fix: string }[];
  footer: string;
}

export function doctorCard(t: Messages, r: DoctorReport): AdaptiveCard {
  const d = t.doctor;
  const problems = problemCount(r);
  const intro: string[] = [];
  if (r.signIn.ok) intro.push(d.signedIn(md(r.signIn.appId ?? '?'), md(r.signIn.tenantId ?? '?')));
  else intro.push(d.signInFailed(md(r.signIn.error ?? '')));
  if (r.tenant) intro.push(d.tenant(md(r.tenant.displayName), md(r.tenant.id)));
  if (r.group) intro.push(d.group(md(r.group.displayName), r.group.chosen === 'named'));
  if (r.user) intro.push(d.user(md(r.user.displayName), r.user.chosen === 'named'));
  if (r.extraRoles.length) intro.push(d.extraRoles(md(r.extraRoles.join(', '))));
  const view: DoctorView = {
    title: d.title,
    verdict: toneLine(problems ? 'block' : 'done', problems ? d.verdictBad(problems) : d.verdictOk),
    intro,
    permissionsHeading: d.permissionsHeading,
    permissions: r.permissions.map((p) => ({
      line: signed(
        p.granted ? 'done' : p.need === 'required' ? 'block' : 'info',
        `${p.permission} (${p.need === 'required' ? d.required : d.optional}): ${md(permissionState(p, t))}`,
      ),
      detail: p.granted || p.need === 'optional' ? d.feature[p.feature] : d.fix.permission(p.permission),
    })),
    readsHeading: d.readsHeading,
    reads: r.calls.map((c) => ({
      line: signed(c.status === 'ok' ? 'done' : c.status === 'skipped' ? 'info' : c.need === 'required' ? 'block' : 'warn', `${d.call[c.call]}: ${md(callState(c, t))}`),
      fix: callFix(c, t) ?? '',
    })),
    footer: `${d.graph(md(r.graphBaseUrl))} · ${d.elapsed(r.ms)}`,
  };
  return renderCard('doctor', view);
}

// `plan-switch doctor` as text: the report (src/doctor) in the words of the message tables
// (src/i18n), so the CLI and the chat card say the same thing.
import type { Messages } from '../i18n';
import type { DoctorReport } from '../doctor/model';
import { callFix, callState, permissionState, problemCount } from '../doctor/phrases';

export function doctorText(r: DoctorReport, m: Messages): string {
  const d = m.doctor;
  const out: string[] = [d.title, d.graph(r.graphBaseUrl)];
  if (!r.signIn.ok) {
    out.push('', `✗ ${d.signInFailed(r.signIn.error ?? '')}`, '', d.verdictBad(1));
    return out.join('\n');
  }
  out.push(d.signedIn(r.signIn.appId ?? '?', r.signIn.tenantId ?? '?'));
  if (r.tenant) out.push(d.tenant(r.tenant.displayName, r.tenant.id));

  out.push('', d.permissionsHeading);
  for (const p of r.permissions) {
    const mark = p.granted ? '✓' : p.need === 'required' ? '✗' : '–';
    out.push(`  ${mark} ${p.permission} (${p.need === 'required' ? d.required : d.optional}): ${permissionState(p, m)}`);
    out.push(`      ${d.feature[p.feature]}`);
    if (!p.granted && p.need === 'required') out.push(`      ${d.fix.permission(p.permission)}`);
  }
  if (r.extraRoles.length) out.push(`  ${d.extraRoles(r.extraRoles.join(', '))}`);

  out.push('');
  if (r.group) out.push(d.group(r.group.displayName, r.group.chosen === 'named'));
  if (r.user) out.push(d.user(r.user.displayName, r.user.chosen === 'named'));
  out.push('', d.readsHeading);
  for (const c of r.calls) {
    const mark = c.status === 'ok' ? '✓' : c.status === 'skipped' ? '·' : c.need === 'required' ? '✗' : '–';
    out.push(`  ${mark} ${d.call[c.call]} (${c.need === 'required' ? d.required : d.optional}): ${callState(c, m)}${c.status === 'skipped' ? '' : ` [${c.ms} ms]`}`);
    out.push(`      ${c.request}`);
    const fix = callFix(c, m);
    if (fix) out.push(`      ${fix}`);
  }
  const n = problemCount(r);
  out.push('', n ? d.verdictBad(n) : d.verdictOk, d.elapsed(r.ms));
  return out.join('\n');
}

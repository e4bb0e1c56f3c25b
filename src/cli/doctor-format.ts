// `plan-switch doctor` as text: the report (src/doctor) in the words of the message tables
// (src/bot/i18n), so the CLI and the chat card say the same thing.
import type { Messages } from '../bot/i18n';
import type { CallCheck, DoctorReport, PermissionCheck } from '../doctor/model';

/** Required things that do not work: permissions not granted and reads not ok. */
export function problemCount(r: DoctorReport): number {
  if (!r.signIn.ok) return 1;
  const perms = r.permissions.filter((p) => p.need === 'required' && !p.granted).length;
  const calls = r.calls.filter((c) => c.need === 'required' && c.status !== 'ok' && c.status !== 'skipped').length;
  return perms + calls;
}

export function permissionState(p: PermissionCheck, m: Messages): string {
  if (p.granted) return p.via ? (p.viaAsked ? m.doctor.coveredBy(p.via) : m.doctor.grantedVia(p.via)) : m.doctor.granted;
  return p.need === 'required' ? m.doctor.missing : m.doctor.missingOptional;
}

/** What happened to one read, in one phrase. */
export function callState(c: CallCheck, m: Messages): string {
  const d = m.doctor;
  switch (c.status) {
    case 'ok':
      return d.ok;
    case 'skipped':
      return d.skipped;
    case 'missingPermission':
      return d.missingPermission(c.permission);
    case 'missingField':
      return d.missingField((c.fields ?? []).join(', '));
    case 'headerWanted':
      return d.headerWanted(c.header ?? '');
    case 'notFound':
      return c.error?.message ? `${d.notFound}: ${c.error.message}` : d.notFound;
    default:
      return d.failed(c.error?.status ?? 0, c.error?.code ?? '', c.error?.message ?? '');
  }
}

/** The fix for a read that is not ok (undefined when there is nothing to fix). */
export function callFix(c: CallCheck, m: Messages): string | undefined {
  const f = m.doctor.fix;
  switch (c.status) {
    case 'missingPermission':
      return f.permission(c.permission);
    case 'missingField':
      return f.field((c.fields ?? []).join(', '));
    case 'headerWanted':
      return f.header(c.header ?? '');
    case 'notFound':
      return f.notFound;
    case 'failed':
      return f.failed;
    default:
      return undefined;
  }
}

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

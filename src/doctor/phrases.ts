// A doctor report's lines in words: shared by the CLI text (src/cli/doctor-format.ts) and the chat
// card (src/bot/cards/doctor.ts); the words themselves are in the message tables (src/i18n).
import type { Messages } from '../i18n';
import type { CallCheck, DoctorReport, PermissionCheck } from './model';

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

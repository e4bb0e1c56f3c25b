import assert from 'node:assert/strict';
import type { Finding, FindingCode, PreflightResult, Severity } from '../../../src/licensing/model';
import { runPreflight } from '../../../src/licensing/preflight';
import { en } from '../../../src/i18n';
import { input, type InputOpts } from '../builders';

export const run = (o: InputOpts): PreflightResult => runPreflight(input(o));

export function findingsOf(r: PreflightResult, code: FindingCode): Finding[] {
  return r.findings.filter((f) => f.code === code);
}

/** The one finding with this code (and severity, when given). */
export function finding(r: PreflightResult, code: FindingCode, severity?: Severity): Finding {
  const fs = findingsOf(r, code).filter((f) => !severity || f.severity === severity);
  assert.equal(fs.length, 1, `expected one ${code}${severity ? `/${severity}` : ''}, got: ${r.findings.map((f) => `${f.code}/${f.severity}`).join(', ') || 'none'}`);
  return fs[0]!;
}

export function none(r: PreflightResult, code: FindingCode): void {
  const fs = findingsOf(r, code);
  assert.equal(fs.length, 0, `expected no ${code}, got: ${fs.map((f) => text(f)).join(' | ')}`);
}

export const ids = (f: Finding) => f.principals.map((p) => p.id);

/** The finding's sentence as the CLI and the cards show it (src/i18n/en.ts). */
export const text = (f: Finding): string => (en.findings[f.code] as (d: Record<string, unknown>) => string)(f.data);

/** Whom it names: the principals' display names, listed under the sentence. */
export const names = (f: Finding): string[] => f.principals.map((p) => p.displayName);

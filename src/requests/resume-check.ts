// Before a paused run resumes, the people of the waves not yet run are checked again with the
// preflight the request was approved on (the license service's, for those people only): a run may
// sit paused for days, and by then seats may have run out, people may have left, got the target
// elsewhere or lost their usage location. What comes out:
//   - people who no longer need the change (hold the target already, left the tenant) or no longer
//     hold the plan to remove: left out of their wave, named, never counted as failed;
//   - blocking findings for the people still to be sent (not enough seats, no usage location, a
//     clash...): the run stays paused and nothing is sent;
//   - warnings: shown, they do not stop the resume.
// Reads only. The adopt is not checked here: its own check reads every member right before their
// wave (adopt-run.ts adoptWaveCheck).
import type { ChangeSpec, Finding, LicensePort, PrincipalRef } from '../licensing/model';
import { en } from '../i18n';
import { failureCause } from './errors';
import type { Actor, ChangeRequest, ResumeCheck, ResumeSkipCode } from './types';
import { wavesFrom } from './waves';

/** Names kept per finding and people kept in the skipped list (the counts stay whole). */
const KEEP_NAMES = 10;
const KEEP_SKIPPED = 100;

/** Why someone is left out, in plain English (the wave records keep it; the cards say it from the code). */
export const SKIP_REASONS: Record<ResumeSkipCode, string> = {
  'target-held': 'Already holds the new plan: nothing to change (found when the run was resumed).',
  'not-in-tenant': 'No longer in this organization: nothing to change (found when the run was resumed).',
  'source-gone': 'No longer holds the plan to remove, so there is nothing to replace; left as they are (found when the run was resumed).',
};

export interface ResumeCheckOutcome {
  check: ResumeCheck;
  /** By lower-case user id: who is left out of their wave, and why. */
  leaveOut: Record<string, ResumeSkipCode>;
  /** The audit row's detail. */
  detail: Record<string, unknown>;
}

/**
 * Checks the remaining people of paused request `req` again. Undefined when there is nothing to
 * check here (an adopt, or no wave left). Never throws: a check that cannot run blocks, with why.
 */
export async function checkBeforeResume(licenses: LicensePort, req: ChangeRequest, by: Actor, now: () => Date): Promise<ResumeCheckOutcome | undefined> {
  const change = req.preflight.change;
  const run = req.result?.waves;
  if (!run || change.kind !== 'users') return undefined;
  const remaining = wavesFrom(change.assignments, run.settings, run.next).filter((a) => a.principal.kind === 'user');
  if (!remaining.length) return undefined;
  const at = now().toISOString();
  const key = (id: string) => id.toLowerCase();
  const byId = new Map(remaining.map((a) => [key(a.principal.id), a.principal]));

  // The approved change, for these people only; its plans pinned as resolved at approval.
  const spec: ChangeSpec = {
    ...req.spec,
    principal: { kind: 'users', users: remaining.map((a) => a.principal.id) },
    from: change.from.skuId,
    to: change.to.skuId,
    ...(change.alsoFrom?.length ? { alsoFrom: change.alsoFrom.map((p) => p.skuId) } : {}),
    ...(change.alsoTo?.length ? { alsoTo: change.alsoTo.map((p) => p.skuId) } : {}),
  };
  let findings: Finding[];
  let seats: unknown = null;
  try {
    const fresh = await licenses.preflight(spec);
    findings = fresh.findings;
    seats = fresh.change.seatsByTarget ?? fresh.change.seats;
  } catch (err) {
    // Kept as a code and data (said in the reader's language); the audit row keeps the English.
    const failure = failureCause(err);
    const check: ResumeCheck = { at, by, people: remaining.length, blocked: true, findings: [], skipped: [], skippedCount: 0, failure };
    return { check, leaveOut: {}, detail: { people: remaining.length, blocked: true, error: failure.message } };
  }

  // Who no longer needs the change, or has nothing to replace.
  const leaveOut: Record<string, ResumeSkipCode> = {};
  const ids = (fs: Finding[]) => new Set(fs.flatMap((f) => f.principals.map((p) => key(p.id))));
  const holdsTargetDirectly = ids(findings.filter((f) => f.code === 'TARGET_ALREADY_ASSIGNED' && f.severity === 'block'));
  const holdsTarget = new Set([...holdsTargetDirectly, ...ids(findings.filter((f) => f.code === 'TARGET_ALREADY_ASSIGNED'))]);
  const lacksSource = (f: Finding) => f.code === 'SOURCE_NOT_ASSIGNED' && !('plan' in f.data);
  for (const f of findings.filter(lacksSource)) {
    for (const p of f.principals) leaveOut[key(p.id)] = holdsTarget.has(key(p.id)) ? 'target-held' : 'source-gone';
    for (const q of Array.isArray(f.data.notFound) ? f.data.notFound : []) if (typeof q === 'string' && byId.has(key(q))) leaveOut[key(q)] = 'not-in-tenant';
  }
  for (const id of holdsTargetDirectly) if (byId.has(id)) leaveOut[id] = 'target-held';

  // What is left is about the people still to be sent. The approved change sets these people's
  // usage location before their license call: not missing for them.
  const settingLocation = new Set((change.setUsageLocation?.users ?? []).map((p) => key(p.id)));
  const kept: (Finding & { people: number })[] = [];
  for (const f of findings) {
    if (f.severity === 'info') continue;
    if (lacksSource(f) || (f.code === 'TARGET_ALREADY_ASSIGNED' && f.severity === 'block')) continue;
    const principals = f.principals.filter((p) => !leaveOut[key(p.id)] && !(f.code === 'USAGE_LOCATION_MISSING' && settingLocation.has(key(p.id))));
    if (f.principals.length && !principals.length) continue;
    kept.push({ ...f, principals: principals.slice(0, KEEP_NAMES), people: principals.length });
  }
  const blocked = kept.some((f) => f.severity === 'block');
  const skippedAll = Object.entries(leaveOut).map(([id, code]) => ({ principal: byId.get(id) ?? ({ kind: 'user', id, displayName: id } as PrincipalRef), code }));
  const check: ResumeCheck = {
    at,
    by,
    people: remaining.length,
    blocked,
    findings: kept,
    skipped: skippedAll.slice(0, KEEP_SKIPPED),
    skippedCount: skippedAll.length,
  };
  const detail = {
    people: remaining.length,
    blocked,
    findings: kept.map((f) => ({ code: f.code, severity: f.severity, people: f.people })),
    skipped: skippedAll.length,
    skippedWho: skippedAll.slice(0, KEEP_SKIPPED).map((s) => ({ id: s.principal.id, code: s.code })),
    seats,
  };
  return { check, leaveOut, detail };
}

/** The finding's sentence from the message tables, in English (logs, the CLI's --json, fallbacks). */
function label(f: Finding): string {
  const render = en.findings[f.code] as ((d: Record<string, unknown>) => string) | undefined;
  return render ? render(f.data ?? {}) : f.code;
}

/** Why a resume was refused, in plain English (the bot and the CLI say it from the check in the reader's language). */
export function blockedMessage(id: string, c: ResumeCheck): string {
  const why = c.error
    ? `the check could not run (${c.error}).`
    : c.findings
        .filter((f) => f.severity === 'block')
        .map(label)
        .join(' ');
  return `Change request ${id} stays paused. Checking the ${c.people} remaining people again found: ${why} Nothing was sent; fix it and resume again, or cancel the rest.`;
}

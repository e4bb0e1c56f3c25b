// What a swap did, read back from Graph: used when the swap call failed mid-way or the process
// running it died before recording its answer. The swap is never called again.
import type { LicensePort, ResolvedChange, SwapOutcome, SwapResult } from '../licensing/model';
import { errorMessage } from './errors';

/** Per call: changed (or accepted, for a group) when the target is present and the source gone. */
export async function readBackChange(licenses: LicensePort, change: ResolvedChange, startedAt: string, now: () => Date): Promise<SwapResult> {
  const outcomes: SwapOutcome[] = [];
  // A reprocess writes no assignment to look for: whether Entra got each call cannot be read, only
  // where the members stand now, which the report that follows reads (track). Never sent again.
  for (const u of change.reprocess?.users ?? []) outcomes.push({ principal: u, status: 'changed' });
  for (const a of change.assignments) {
    try {
      const st = await licenses.status(a.principal.kind === 'group' ? { kind: 'group', group: a.principal.id } : { kind: 'user', user: a.principal.id });
      const direct = new Set(st.licenses.filter((l) => !l.assignedByGroup).map((l) => l.plan.skuId.toLowerCase()));
      const added = a.addLicenses.every((l) => direct.has(l.skuId.toLowerCase()));
      const removed = a.removeLicenses.every((s) => !direct.has(s.toLowerCase()));
      if (added && removed) outcomes.push({ principal: a.principal, status: a.principal.kind === 'group' ? 'accepted' : 'changed' });
      else outcomes.push({ principal: a.principal, status: 'failed', reason: 'Graph shows this part of the change was not made.' });
    } catch (err) {
      outcomes.push({
        principal: a.principal,
        status: 'failed',
        reason: `Could not read the current licenses back from Graph (${errorMessage(err)}); check by hand.`,
      });
    }
  }
  const ok = outcomes.filter((o) => o.status !== 'failed');
  return {
    kind: change.kind,
    outcomes,
    changed: ok.map((o) => o.principal),
    failed: outcomes.filter((o) => o.status === 'failed'),
    startedAt,
    finishedAt: now().toISOString(),
  };
}

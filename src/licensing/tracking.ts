// Reading a group swap's outcome from its members' licenseAssignmentStates. Pure: the service polls
// Graph and hands the snapshots here.
import type { GraphUser } from '../graph/types';
import type { MemberError, PrincipalRef, ResolvedChange } from './model';
import { explainMemberError } from './explain';
import { lc } from './preflight/context';
import { userRef } from './principal-ref';
import { skuIdSet, sourcesOf, targetsOf } from './change-plans';

const ERROR_STATES = new Set(['error', 'activewitherror']);
const NO_ERROR = new Set(['', 'none']);

function atOrAfter(ts: string | null | undefined, since: number | undefined): boolean {
  if (since === undefined || !ts) return true; // no timestamp to compare: do not hold it against the member
  const t = Date.parse(ts);
  return Number.isNaN(t) || t >= since;
}

/**
 * For each member of `groupId`:
 * - done: holds the target from this group in state Active (updated at/after `since` when given)
 *   and no longer holds the source from this group;
 * - errors: any license from this group in Error / ActiveWithError, with the reason in plain words;
 * - stillHoldingSource: still holds the source directly or from another group.
 * A member can be in `errors` and `stillHoldingSource` at once (the typical MutuallyExclusiveViolation).
 */
export function evaluateGroupOutcome(input: { groupId: string; change: ResolvedChange; members: GraphUser[]; since?: string }): {
  done: PrincipalRef[];
  errors: MemberError[];
  stillHoldingSource: PrincipalRef[];
} {
  const groupId = input.groupId.toLowerCase();
  // Several plans: done when every target is Active from this group and no source comes from it.
  const targets = skuIdSet(targetsOf(input.change));
  const sources = skuIdSet(sourcesOf(input.change));
  const sinceMs = input.since ? Date.parse(input.since) : undefined;
  const since = sinceMs !== undefined && !Number.isNaN(sinceMs) ? sinceMs : undefined;
  const done: PrincipalRef[] = [];
  const errors: MemberError[] = [];
  const stillHoldingSource: PrincipalRef[] = [];

  for (const m of input.members) {
    const targetsActive = new Set<string>();
    let sourceFromGroup = false;
    let sourceElsewhere = false;
    let error: string | undefined;
    for (const s of m.licenseAssignmentStates ?? []) {
      const sku = lc(s.skuId);
      const fromThisGroup = !!s.assignedByGroup && lc(s.assignedByGroup) === groupId;
      if (fromThisGroup) {
        const state = (s.state ?? '').toLowerCase();
        if (ERROR_STATES.has(state)) {
          const e = (s.error ?? '').trim();
          // Prefer the target's error: it is the one this change caused.
          if (error === undefined || targets.has(sku)) error = NO_ERROR.has(e.toLowerCase()) ? 'Other' : e;
        }
        if (targets.has(sku) && state === 'active' && atOrAfter(s.lastUpdatedDateTime, since)) targetsActive.add(sku);
        // (An adopt's source is its target: the group's copy is the point, not something to drop.)
        if (sources.has(sku) && !targets.has(sku)) sourceFromGroup = true;
      } else if (sources.has(sku)) {
        sourceElsewhere = true;
      }
    }
    const ref = userRef(m);
    if (targetsActive.size === targets.size && !sourceFromGroup) done.push(ref);
    if (error !== undefined) errors.push({ principal: ref, error, message: explainMemberError(error) });
    if (sourceElsewhere) stillHoldingSource.push(ref);
  }
  return { done, errors, stillHoldingSource };
}

/**
 * Members whose state does not yet show that Entra processed this group's change: no state for the
 * target from this group, or one last updated before `since` (the write). A read of them may
 * predate the write (directory replication), so it cannot say they are done, or not.
 */
export function unprocessedMembers(input: { groupId: string; change: ResolvedChange; members: GraphUser[]; since?: string }): GraphUser[] {
  const groupId = input.groupId.toLowerCase();
  const targets = skuIdSet(targetsOf(input.change));
  const sinceMs = input.since ? Date.parse(input.since) : NaN;
  const out: GraphUser[] = [];
  for (const m of input.members) {
    const seen = new Set<string>();
    for (const s of m.licenseAssignmentStates ?? []) {
      const sku = lc(s.skuId);
      if (!targets.has(sku) || !s.assignedByGroup || lc(s.assignedByGroup) !== groupId) continue;
      if (Number.isNaN(sinceMs) || atOrAfter(s.lastUpdatedDateTime, sinceMs)) seen.add(sku);
    }
    if (seen.size < targets.size) out.push(m);
  }
  return out;
}

/**
 * Does a user's read show the direct change? It holds the target directly (or its direct target
 * state is in error) and no longer holds the source directly. A read that does not may predate the
 * write.
 */
export function userShowsChange(u: GraphUser, change: ResolvedChange): boolean {
  const sources = skuIdSet(sourcesOf(change));
  const direct = u.licenseAssignmentStates.filter((s) => !s.assignedByGroup);
  return targetsOf(change).every((t) => direct.some((s) => lc(s.skuId) === lc(t.skuId))) && !direct.some((s) => sources.has(lc(s.skuId)));
}

const FINISHED = new Set(['processingcomplete', 'processingfailed']);
const UNFINISHED = new Set(['queuedforprocessing', 'processinginprogress']);

/**
 * Is a group's licenseProcessingState final? ProcessingComplete and ProcessingFailed are; Queued and
 * InProgress are not. Unknown values: terminal-sounding ones (complete, failed, error, done,
 * finished, succeeded, cancelled) count as finished; anything else, and a missing state, does not
 * (the tracker's timeout ends the wait).
 */
export function isProcessingFinished(state: string | undefined): boolean {
  const s = (state ?? '').trim().toLowerCase();
  if (!s) return false;
  if (FINISHED.has(s)) return true;
  if (UNFINISHED.has(s)) return false;
  if (/queued|progress|pending|running|notstarted|not started|waiting/.test(s)) return false;
  return /complete|fail|error|done|finish|succe|cancel|abort/.test(s);
}

// Undo: the reverse of a completed (or partial) change, limited to what actually changed, after a
// fresh preflight. The result is asked for and approved like any other request (actions.ts).
import type { ChangeSpec, LicensePort, PreflightResult, ResolvedChange } from '../licensing/model';
import { isLicensingError } from './errors';
import { describeState, refuse, type Refusal } from './refusals';
import type { ChangeRequest, RequestState } from './types';

const UNDOABLE: readonly RequestState[] = ['completed', 'partial'];

/** The change as it ran, limited to what actually changed (for undo of a partial run). */
export function changeThatRan(r: ChangeRequest): ResolvedChange {
  let change = r.preflight.change;
  const swap = r.result?.swap;
  if (!swap) return change;
  // The usage locations it did set (the undo says they stay set).
  if (change.setUsageLocation && swap.usageLocation) {
    const { setUsageLocation: _planned, ...rest } = change;
    change = swap.usageLocation.set.length ? { ...rest, setUsageLocation: { country: swap.usageLocation.country, users: swap.usageLocation.set } } : rest;
  }
  const ok = new Set(swap.outcomes.filter((o) => o.status !== 'failed').map((o) => `${o.principal.kind}:${o.principal.id.toLowerCase()}`));
  const assignments = change.assignments.filter((a) => ok.has(`${a.principal.kind}:${a.principal.id.toLowerCase()}`));
  if (assignments.length === change.assignments.length) return change;
  return { ...change, assignments, affectedUsers: change.kind === 'group' ? change.affectedUsers : assignments.length };
}

/** The spec and fresh preflight of `original`'s undo, or why there is none. `openUndo`: an undo already asked for. */
export async function prepareUndo(
  licenses: LicensePort,
  original: ChangeRequest,
  openUndo: ChangeRequest | undefined,
): Promise<{ ok: true; spec: ChangeSpec; preflight: PreflightResult } | Refusal> {
  // A wave run cancelled half-way changed some people: those can be undone like a partial run.
  const cancelledWaves = original.state === 'cancelled' && !!original.result?.waves && !!original.result.swap?.changed.length;
  if (!UNDOABLE.includes(original.state) && !cancelledWaves) {
    return refuse('not_allowed', `Only a completed change can be undone. ${describeState(original)}`, original);
  }
  if (openUndo) return refuse('not_allowed', `The undo of request ${original.id} was already asked for: request ${openUndo.id}.`, openUndo);
  const change = changeThatRan(original);
  if (change.assignments.length === 0) {
    return refuse('not_allowed', `Request ${original.id} changed nothing, so there is nothing to undo.`, original);
  }
  let spec: ChangeSpec;
  let preflight: PreflightResult;
  try {
    spec = licenses.reverse(change);
    preflight = await licenses.preflight(spec);
  } catch (err) {
    // Said from its code and data (e.g. an adopt has no undo), not as "the preflight blocks it".
    if (isLicensingError(err))
      return { ...refuse('blocked', `The undo cannot be prepared: ${err.message}`, original), error: { code: err.code, message: err.message, data: { ...(err.data ?? {}) } } };
    throw err;
  }
  if (preflight.blocked) return refuse('blocked', 'The undo is blocked by the preflight; see its findings.', original, preflight);
  return { ok: true, spec, preflight };
}

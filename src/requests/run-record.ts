// What is recorded about a run: the final state from what the swap and the tracking found, and
// the result and audit detail kept for it (tracking lists cut to their first 100 entries).
import type { RunError, SwapResult, TrackingReport } from '../licensing/model';
import { en, runErrorText } from '../i18n';
import type { ChangeRequest, RequestResult } from './types';

/** A run's failure for the result: the code and data (the cards say it per language) and the English sentence (the log). */
export function runFailure(why: RunError): Pick<RequestResult, 'error' | 'runError'> {
  // The log's English keeps the technical detail as it came (the cards say `cause` in the reader's language).
  const { cause: _said, ...asCame } = why as RunError & { cause?: unknown };
  return { error: runErrorText(en, asCame as RunError), runError: why };
}

const KEEP_IN_TRACKING = 100;

/** completed | failed | partial from what the swap and the tracking found. */
export function finalState(swap: SwapResult, tracking?: TrackingReport, trackingFailed?: boolean): 'completed' | 'failed' | 'partial' {
  const total = swap.outcomes.length;
  const failed = swap.outcomes.filter((o) => o.status === 'failed').length;
  if (total === 0 || failed === total) return 'failed';
  if (failed > 0) return 'partial';
  if (trackingFailed) return 'partial';
  if (tracking) {
    if (tracking.outcome === 'failed') return tracking.done.length === 0 ? 'failed' : 'partial';
    if (tracking.outcome === 'timeout' || tracking.errors.length > 0) return 'partial';
  }
  return 'completed';
}

/** The audit detail of a swap: counts and what Graph answered, per call. */
export function summarizeSwap(swap: SwapResult): Record<string, unknown> {
  const ul = swap.usageLocation;
  return {
    kind: swap.kind,
    // Whose usage location the change set (PATCH /users/{id}), and whose it could not.
    ...(ul
      ? {
          usageLocation: {
            country: ul.country,
            set: ul.set.map((p) => ({ id: p.id, displayName: p.displayName })),
            failed: ul.failed.map((o) => ({ id: o.principal.id, displayName: o.principal.displayName, graphCode: o.graphCode ?? null })),
          },
        }
      : {}),
    changed: swap.changed.length,
    failed: swap.failed.length,
    startedAt: swap.startedAt,
    finishedAt: swap.finishedAt,
    outcomes: swap.outcomes.map((o) => ({
      principal: { kind: o.principal.kind, id: o.principal.id, displayName: o.principal.displayName },
      status: o.status,
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.graphCode ? { graphCode: o.graphCode } : {}),
      ...(o.graphMessage ? { graphMessage: o.graphMessage } : {}),
    })),
  };
}

/** The final record of a run: state, result and audit detail. */
export function recordOfRun(
  req: ChangeRequest,
  swap: SwapResult,
  tracking: TrackingReport | undefined,
  /** Following Entra's processing failed: the cause. */
  trackingError: string | undefined,
): { state: 'completed' | 'failed' | 'partial'; result: RequestResult; detail: Record<string, unknown> } {
  const change = req.preflight.change;
  const state = finalState(swap, tracking, trackingError !== undefined);
  const result: RequestResult = { ...req.result, swap };
  const detail: Record<string, unknown> = { changed: swap.changed.length, failed: swap.failed.length };
  if (tracking) {
    result.tracking = {
      ...tracking,
      done: tracking.done.slice(0, KEEP_IN_TRACKING),
      errors: tracking.errors.slice(0, KEEP_IN_TRACKING),
      stillHoldingSource: tracking.stillHoldingSource.slice(0, KEEP_IN_TRACKING),
    };
    result.trackingTotals = { done: tracking.done.length, errors: tracking.errors.length, stillHoldingSource: tracking.stillHoldingSource.length };
    detail.tracking = {
      outcome: tracking.outcome,
      processingState: tracking.processingState,
      done: tracking.done.length,
      errors: tracking.errors.slice(0, KEEP_IN_TRACKING).map((e) => ({ id: e.principal.id, error: e.error })),
      errorCount: tracking.errors.length,
      stillHoldingSource: tracking.stillHoldingSource.length,
      polls: tracking.polls,
      elapsedMs: tracking.elapsedMs,
    };
    const processed = new Set([...tracking.done, ...tracking.errors.map((e) => e.principal)].map((p) => p.id.toLowerCase())).size;
    if (change.kind === 'group' && processed > change.affectedUsers) {
      result.membersJoined = processed - change.affectedUsers;
      detail.membersJoined = result.membersJoined;
    }
    if (tracking.outcome === 'timeout' && !result.error) Object.assign(result, runFailure({ code: 'stillProcessing', state: tracking.processingState }));
  }
  if (trackingError) {
    Object.assign(result, runFailure({ code: 'trackingFailed', detail: trackingError }));
    detail.trackingError = result.error;
  }
  return { state, result, detail };
}

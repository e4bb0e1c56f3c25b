// An approved adopt, run by the workflow: the steps (src/licensing/adopt-run.ts) with each one
// recorded on the request (result.adopt; audit swap-finished, adopt-processed, adopt-wave) and
// progress pushed to the cards. A request taken over after a crash resumes from its record.
import { keptWhy } from '../licensing/adopt';
import { recordedProgress, runAdoptSteps, type AdoptRunState } from '../licensing/adopt-run';
import type { LicensePort, TrackOptions } from '../licensing/model';
import type { WaveCheck } from './waves';
import type { WorkflowContext } from './context';
import type { NoticeOutbox } from './outbox';
import type { ChangeRequest, RequestResult } from './types';

export interface AdoptRunEnd {
  request: ChangeRequest;
  /** The group is processed and the request runs in waves: the wave engine removes the direct copies now. */
  toWaves?: boolean;
  /** Undefined: the run stopped without an end (lease lost, stopping): it stays running for recovery. */
  state?: 'completed' | 'failed' | 'partial';
  result?: RequestResult;
  detail?: Record<string, unknown>;
}

export class AdoptRunner {
  constructor(
    private readonly ctx: WorkflowContext,
    private readonly outbox: NoticeOutbox,
    private readonly trackOptions: Pick<TrackOptions, 'pollIntervalMs' | 'timeoutMs'> = {},
  ) {}

  async run(running: ChangeRequest, signal: AbortSignal): Promise<AdoptRunEnd> {
    const { store, licenses } = this.ctx;
    let req = running;
    const resultOf = (run: AdoptRunState): RequestResult => ({
      ...req.result,
      ...(run.swap ? { swap: run.swap } : {}),
      ...(run.tracking ? { tracking: run.tracking } : {}),
      adopt: recordedProgress(run.progress),
    });
    const prior = req.result?.adopt;
    const from: AdoptRunState | undefined = prior
      ? { progress: prior, ...(req.result?.swap ? { swap: req.result.swap } : {}), ...(req.result?.tracking ? { tracking: req.result.tracking } : {}) }
      : undefined;
    const end = await runAdoptSteps(
      licenses,
      req.preflight.change,
      {
        // A request that runs in waves (the wave engine: pause, resume, cancel) hands its removals over.
        groupOnly: !!req.result?.waves,
        waves: (req.spec as { waves?: { pilot?: number; size?: number; pauseAtErrorShare?: number } }).waves ?? {},
        track: this.trackOptions,
        signal,
        onProgress: (p) => this.outbox.progress(req, p),
        onStep: async (step, run) => {
          const res = await store.transition(req.id, { from: ['running'], version: req.version }, 'running', null, { result: resultOf(run) }, step.detail, step.action);
          if (!res.ok) return false;
          req = res.request;
          return true;
        },
      },
      from,
    );
    if (end.outcome === 'stopped') return { request: req };
    if (end.outcome === 'processed') return { request: req, toWaves: true };
    const p = end.run.progress;
    const result: RequestResult = { ...resultOf(end.run), ...(end.error ? { error: end.error } : {}), ...(end.why ? { runError: end.why } : {}) };
    const detail = {
      removed: p.removedCount,
      kept: p.keptCount,
      keptWhy: p.kept.slice(0, 100).map((k) => ({ id: k.principal.id, reason: k.reason, ...(k.error ? { error: k.error } : {}) })),
      waves: p.wave,
      ...(p.stoppedAfterWave ? { stoppedAfterWave: p.stoppedAfterWave } : {}),
      ...(end.error ? { error: end.error } : {}),
    };
    return { request: req, state: end.outcome, result, detail };
  }
}

/**
 * The wave engine's check before each wave of an adopt: only members whose inherited copy is
 * Active and covers their own lose it; the others are left out with the reason (not errors).
 */
export function adoptWaveCheck(licenses: LicensePort): WaveCheck {
  return async ({ change, assignments, signal }) => {
    const check = await licenses.adoptCheck(
      change,
      assignments.map((a) => a.principal.id),
      { signal },
    );
    const ready = new Set(check.ready.map((p) => p.id.toLowerCase()));
    return {
      ready: assignments.filter((a) => ready.has(a.principal.id.toLowerCase())),
      skipped: [
        // Codes and data: the cards say why in the reader's language (src/requests/stored-text.ts).
        ...check.kept.map((k) => ({ principal: k.principal, code: k.error ?? k.reason, adopt: keptWhy(k) })),
        ...check.gone.map((p) => ({ principal: p, code: 'gone', adopt: { reason: 'gone' as const } })),
      ],
    };
  };
}

// An approved adopt, run by the workflow: the steps (src/licensing/adopt-run.ts) with each one
// recorded on the request (result.adopt; audit swap-finished, adopt-processed, adopt-wave) and
// progress pushed to the cards. A request taken over after a crash resumes from its record.
import { recordedProgress, runAdoptSteps, type AdoptRunState } from '../licensing/adopt-run';
import type { TrackOptions } from '../licensing/model';
import type { WorkflowContext } from './context';
import type { NoticeOutbox } from './outbox';
import type { ChangeRequest, RequestResult } from './types';

export interface AdoptRunEnd {
  request: ChangeRequest;
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
    const p = end.run.progress;
    const result: RequestResult = { ...resultOf(end.run), ...(end.error ? { error: end.error } : {}) };
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

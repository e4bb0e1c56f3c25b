// The steps of an adopt (a group takes over the plan its members hold directly), as Microsoft's
// "migrate users with individual licenses to groups" asks, over the license port:
//   1. the group's assignLicense, when it lacks the plan (one write);
//   2. Entra's processing of the group, followed with the service's track (stale-read rules);
//   3. removals of the direct copies in waves, a pilot first, then waves of 100; before each
//      wave every member in it is checked (adoptCheck): only those holding an Active inherited
//      copy that covers their direct copy lose it; the others keep it, with the reason.
// A wave whose removals fail beyond the threshold stops the run (the later waves keep their copies).
// Every step is safe to repeat from a recorded state: a written group is not written again, a
// wave already run is skipped, a member whose direct copy is gone is left alone. The workflow's
// runner (src/requests/adopt-run.ts) records each step; the CLI runs the steps as they are.
import type { AdoptKept, AdoptProgress, Assignment, LicensePort, ResolvedChange, RunError, SwapResult, TrackingProgress, TrackingReport, TrackOptions } from './model';
import { en, runErrorText } from '../i18n';
import { adoptWaves } from './adopt';

/** Defaults of ChangeSpec.waves (the wave engine's shape): a pilot of 5, then waves of 100; stop past 10 % failures. */
export const ADOPT_WAVES = { pilot: 5, size: 100, pauseAtErrorShare: 0.1 };
const KEEP = 100;

export interface AdoptStep {
  action: 'swap-finished' | 'adopt-processed' | 'adopt-wave';
  detail: Record<string, unknown>;
}

export interface AdoptRunOptions {
  waves?: Partial<typeof ADOPT_WAVES>;
  track?: Pick<TrackOptions, 'pollIntervalMs' | 'timeoutMs'>;
  signal?: AbortSignal;
  onProgress?: (p: TrackingProgress) => void | Promise<void>;
  /** Stop once Entra has processed the group: the removals run elsewhere (the workflow's wave engine). */
  groupOnly?: boolean;
  /** After each step, with the state so far: false stops the run (the caller no longer holds it). */
  onStep?: (step: AdoptStep, run: AdoptRunState) => Promise<boolean>;
}

/** Where a run stands: what it recorded, and what it knows. */
export interface AdoptRunState {
  progress: AdoptProgress;
  swap?: SwapResult;
  tracking?: TrackingReport;
}

export type AdoptRunEnd =
  | { outcome: 'stopped'; run: AdoptRunState }
  /** groupOnly: the group holds the plan and Entra has processed it; the removals are next. */
  | { outcome: 'processed'; run: AdoptRunState }
  /** `error`: why, in English (the log, the CLI's JSON); `why`: the same as a code and data. */
  | { outcome: 'completed' | 'failed' | 'partial'; run: AdoptRunState; error?: string; why?: RunError };

export function startProgress(): AdoptProgress {
  return { phase: 'group', wave: 0, waves: 0, removed: [], removedCount: 0, kept: [], keptCount: 0, goneCount: 0 };
}

/** The progress as recorded: lists cut to their first 100. */
export function recordedProgress(p: AdoptProgress): AdoptProgress {
  return { ...p, kept: p.kept.slice(0, KEEP), removed: p.removed.slice(0, KEEP) };
}

function merge(a: SwapResult | undefined, b: SwapResult): SwapResult {
  if (!a) return b;
  const outcomes = [...a.outcomes, ...b.outcomes];
  return {
    kind: b.kind,
    outcomes,
    changed: outcomes.filter((o) => o.status !== 'failed').map((o) => o.principal),
    failed: outcomes.filter((o) => o.status === 'failed'),
    startedAt: a.startedAt,
    finishedAt: b.finishedAt,
  };
}

function waveOptions(w: Partial<typeof ADOPT_WAVES> | undefined): typeof ADOPT_WAVES {
  const n = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);
  return {
    pilot: Math.floor(n(w?.pilot, ADOPT_WAVES.pilot)),
    size: Math.max(1, Math.floor(n(w?.size, ADOPT_WAVES.size))),
    pauseAtErrorShare: n(w?.pauseAtErrorShare, ADOPT_WAVES.pauseAtErrorShare),
  };
}

/** Runs (or resumes, from `from`) an adopt. Never throws for what Graph refuses: that is in the end. */
export async function runAdoptSteps(licenses: LicensePort, change: ResolvedChange, opts: AdoptRunOptions = {}, from?: AdoptRunState): Promise<AdoptRunEnd> {
  const run: AdoptRunState = {
    progress: from ? { ...from.progress, removed: [...from.progress.removed], kept: [...from.progress.kept] } : startProgress(),
    ...(from?.swap ? { swap: from.swap } : {}),
    ...(from?.tracking ? { tracking: from.tracking } : {}),
  };
  const p = run.progress;
  // Members the check already left out (their own copy has services the group's turns off) keep theirs: said at the end too.
  if (!from && change.adopt?.keep.length) {
    p.kept.push(...change.adopt.keep);
    p.keptCount += change.adopt.keep.length;
  }
  const { signal } = opts;
  const step = async (action: AdoptStep['action'], detail: Record<string, unknown>) => (opts.onStep ? opts.onStep({ action, detail }, run) : true);
  const stopped = (): AdoptRunEnd => ({ outcome: 'stopped', run });
  const end = (outcome: 'completed' | 'failed' | 'partial', why?: RunError): AdoptRunEnd => {
    p.phase = 'done';
    return { outcome, run, ...(why ? { error: runErrorText(en, why), why } : {}) };
  };
  const started = Date.now();
  const groupWrite = change.adopt?.groupWrite ?? change.assignments.find((a) => a.principal.kind === 'group');
  const removals = change.assignments.filter((a) => a.principal.kind === 'user');
  const w = waveOptions(opts.waves);
  const waves = adoptWaves(removals, w.pilot, w.size);
  p.waves = waves.length;

  // 1. The group's write, unless the group has the plan.
  if (p.phase === 'group') {
    if (groupWrite) {
      const written = await licenses.swap({ ...change, assignments: [groupWrite] });
      run.swap = merge(run.swap, written);
      if (written.failed.length) {
        const f = written.failed[0]!;
        return end('failed', { code: 'adoptGroupRefused', detail: f.graphMessage ?? f.graphCode ?? f.reason ?? 'Graph refused it' });
      }
      p.phase = 'processing';
      if (!(await step('swap-finished', { group: groupWrite.principal.id, plan: change.to.skuId }))) return stopped();
    } else p.phase = 'removing';
  }

  // 2. Entra's processing of the group's write.
  if (p.phase === 'processing') {
    if (signal?.aborted) return stopped();
    try {
      // The group's write only: the service follows the group's processing.
      run.tracking = await licenses.track(
        { ...change, assignments: [groupWrite!] },
        {
          ...opts.track,
          ...(run.swap ? { since: run.swap.startedAt } : {}),
          ...(signal ? { signal } : {}),
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        },
      );
    } catch (err) {
      if (signal?.aborted) return stopped();
      return end('partial', { code: 'adoptTrackingFailed', detail: (err as Error)?.message ?? String(err) });
    }
    if (signal?.aborted) return stopped();
    if (run.tracking.outcome === 'timeout') {
      return end('partial', { code: 'adoptStillProcessing', state: run.tracking.processingState });
    }
    p.phase = 'removing';
    if (!(await step('adopt-processed', { processingState: run.tracking.processingState, waves: waves.length, removals: removals.length }))) return stopped();
  }

  if (opts.groupOnly) return { outcome: 'processed', run };

  // 3. The removals, wave by wave, each member checked right before their wave.
  for (let i = p.wave; i < waves.length; i++) {
    if (signal?.aborted) return stopped();
    const wave = waves[i]!;
    const check = await licenses.adoptCheck(
      change,
      wave.map((a) => a.principal.id),
      signal ? { signal } : {},
    );
    if (signal?.aborted) return stopped();
    const ready = new Set(check.ready.map((r) => r.id.toLowerCase()));
    const go: Assignment[] = wave.filter((a) => ready.has(a.principal.id.toLowerCase()));
    const kept: AdoptKept[] = [...check.kept];
    let failed = 0;
    if (go.length) {
      const written = await licenses.swap({ ...change, assignments: go });
      run.swap = merge(run.swap, written);
      for (const o of written.outcomes) {
        if (o.status === 'failed') {
          failed++;
          // Codes and Graph's own words: the cards say why in the reader's language.
          kept.push(
            o.adoptKept
              ? { principal: o.principal, ...o.adoptKept }
              : { principal: o.principal, reason: 'removeFailed', error: o.graphCode ?? 'Other', ...(o.graphMessage ? { message: o.graphMessage } : {}) },
          );
        } else {
          p.removedCount++;
          p.removed.push(o.principal);
        }
      }
    }
    p.kept.push(...kept);
    p.keptCount += kept.length;
    p.goneCount += check.gone.length;
    p.wave = i + 1;
    const detail = {
      wave: i + 1,
      of: waves.length,
      members: wave.length,
      removed: go.length - failed,
      kept: kept.map((k) => ({ id: k.principal.id, reason: k.reason })),
      gone: check.gone.length,
    };
    if (!(await step('adopt-wave', detail))) return stopped();
    await opts.onProgress?.({
      groupId: change.principal.id,
      processingState: run.tracking?.processingState ?? 'ProcessingComplete',
      elapsedMs: Date.now() - started,
      polls: run.tracking?.polls ?? 0,
      adopt: { wave: i + 1, waves: waves.length, removed: p.removedCount, total: removals.length },
    });
    // A wave with too many refused removals stops the run: the next waves would likely fail alike.
    if (go.length && failed / go.length > w.pauseAtErrorShare && i < waves.length - 1) {
      p.stoppedAfterWave = i + 1;
      const left = waves.slice(i + 1).reduce((n, x) => n + x.length, 0);
      return end('partial', { code: 'adoptWaveFailures', wave: i + 1, failed, sent: go.length, left });
    }
  }

  const changedSomething = p.removedCount > 0 || !!groupWrite;
  return end(p.keptCount === 0 ? 'completed' : changedSomething ? 'partial' : 'failed');
}

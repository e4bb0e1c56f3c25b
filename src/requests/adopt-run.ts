// Running an approved adopt (a group takes over the plan its members hold directly), as
// Microsoft's "migrate users with individual licenses to groups" asks:
//   1. the group's assignLicense, when it lacks the plan (one write);
//   2. Entra's processing of the group, followed with the service's track (stale-read rules);
//   3. removals of the direct copies in waves, a pilot first, then waves of 100; before each
//      wave every member in it is checked (licenses.adoptCheck): only those holding an Active
//      inherited copy that covers their direct copy lose it; the others keep it, with the reason.
// A wave whose removals fail beyond the threshold stops the run (the rest keep their copies).
// Each step is recorded on the request (result.adopt) and pushed as progress. Every step can
// run again safely: a group that has the plan is not written again, and a member whose direct
// copy is gone is skipped; so recovery re-runs an adopt it took over from where it stood.
import type { AdoptKept, Assignment, ResolvedChange, SwapResult, TrackingReport, TrackOptions } from '../licensing/model';
import { adoptWaves } from '../licensing/adopt';
import type { WorkflowContext } from './context';
import { errorMessage } from './errors';
import type { NoticeOutbox } from './outbox';
import { summarizeSwap } from './run-record';
import type { AdoptResult, ChangeRequest, RequestResult } from './types';

const KEEP = 100;
/** Defaults of ChangeSpec.waves (the wave engine's shape): a pilot of 5, then waves of 100; stop past 10 % failures. */
const DEFAULT_WAVES = { pilot: 5, size: 100, pauseAtErrorShare: 0.1 };

export interface AdoptRunEnd {
  request: ChangeRequest;
  /** Undefined: the run stopped without an end (lease lost, stopping): leave it running for recovery. */
  state?: 'completed' | 'failed' | 'partial';
  result?: RequestResult;
  detail?: Record<string, unknown>;
}

function wavesOf(req: ChangeRequest): { pilot: number; size: number; pauseAtErrorShare: number } {
  const w = (req.spec as { waves?: Partial<typeof DEFAULT_WAVES> }).waves ?? {};
  const n = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);
  return { pilot: n(w.pilot, DEFAULT_WAVES.pilot), size: Math.max(1, n(w.size, DEFAULT_WAVES.size)), pauseAtErrorShare: n(w.pauseAtErrorShare, DEFAULT_WAVES.pauseAtErrorShare) };
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

export class AdoptRunner {
  constructor(
    private readonly ctx: WorkflowContext,
    private readonly outbox: NoticeOutbox,
    private readonly trackOptions: Pick<TrackOptions, 'pollIntervalMs' | 'timeoutMs'> = {},
  ) {}

  async run(running: ChangeRequest, signal: AbortSignal): Promise<AdoptRunEnd> {
    const { store, licenses } = this.ctx;
    const change: ResolvedChange = running.preflight.change;
    let req = running;
    const started = Date.now();
    const prior = req.result?.adopt;
    const adopt: AdoptResult = prior
      ? { ...prior, removed: [...prior.removed], kept: [...prior.kept] }
      : { phase: 'group', wave: 0, waves: 0, removed: [], removedCount: 0, kept: [], keptCount: 0, goneCount: 0 };
    let swap = req.result?.swap;
    let tracking: TrackingReport | undefined = req.result?.tracking;

    /** Records where the run stands; false when this process no longer holds the request. */
    const record = async (detail: Record<string, unknown>, action: string, extra: Partial<RequestResult> = {}): Promise<boolean> => {
      const result: RequestResult = {
        ...req.result,
        ...extra,
        ...(swap ? { swap } : {}),
        adopt: { ...adopt, kept: adopt.kept.slice(0, KEEP), removed: adopt.removed.slice(0, KEEP) },
      };
      const res = await store.transition(req.id, { from: ['running'], version: req.version }, 'running', null, { result }, detail, action);
      if (!res.ok) return false;
      req = res.request;
      return true;
    };
    const end = (state: 'completed' | 'failed' | 'partial', error?: string): AdoptRunEnd => {
      adopt.phase = 'done';
      const result: RequestResult = {
        ...req.result,
        ...(swap ? { swap } : {}),
        ...(tracking ? { tracking } : {}),
        adopt: { ...adopt, kept: adopt.kept.slice(0, KEEP), removed: adopt.removed.slice(0, KEEP) },
        ...(error ? { error } : {}),
      };
      const detail = {
        removed: adopt.removedCount,
        kept: adopt.keptCount,
        keptWhy: adopt.kept.slice(0, KEEP).map((k) => ({ id: k.principal.id, reason: k.reason, ...(k.error ? { error: k.error } : {}) })),
        waves: adopt.wave,
        ...(adopt.stoppedAfterWave ? { stoppedAfterWave: adopt.stoppedAfterWave } : {}),
      };
      return { request: req, state, result, detail };
    };

    // 1. The group's write, unless the group has the plan (or an earlier run of this request wrote it).
    const groupWrite = change.assignments.find((a) => a.principal.kind === 'group');
    const removals = change.assignments.filter((a) => a.principal.kind === 'user');
    if (adopt.phase === 'group') {
      if (groupWrite) {
        const written = await licenses.swap({ ...change, assignments: [groupWrite] });
        swap = merge(swap, written);
        if (written.failed.length) {
          const why = written.failed[0]!.reason ?? written.failed[0]!.graphMessage ?? 'Graph refused the change';
          return end('failed', `The group could not get the plan (${why}); nothing else was changed.`);
        }
        adopt.phase = 'processing';
        if (!(await record(summarizeSwap(written), 'swap-finished'))) return { request: req };
      } else adopt.phase = 'processing';
    }

    // 2. Entra's processing of the group's write (a group that had the plan: straight to the checks,
    // which keep anyone without a working inherited copy).
    if (adopt.phase === 'processing' && !groupWrite) adopt.phase = 'removing';
    if (adopt.phase === 'processing') {
      if (signal.aborted) return { request: req };
      try {
        tracking = await licenses.track(change, {
          ...this.trackOptions,
          ...(swap ? { since: swap.startedAt } : {}),
          signal,
          onProgress: (p) => this.outbox.progress(req, p),
        });
      } catch (err) {
        if (signal.aborted) return { request: req };
        return end('partial', `Following Entra's processing of the group failed (${errorMessage(err)}); no direct copy was removed. Check with status, then run the adopt again.`);
      }
      if (signal.aborted) return { request: req };
      if (tracking.outcome === 'timeout') {
        return end(
          'partial',
          `Entra was still processing the group (${tracking.processingState}) when the bot stopped watching: no direct copy was removed. Run the adopt again once it has finished.`,
        );
      }
      adopt.phase = 'removing';
      const total = removals.length;
      const w = wavesOf(req);
      adopt.waves = adoptWaves(removals, w.pilot, w.size).length;
      if (!(await record({ processingState: tracking.processingState, waves: adopt.waves, removals: total }, 'adopt-processed', { tracking }))) return { request: req };
    }

    // 3. The removals, wave by wave, each member checked right before their wave.
    const w = wavesOf(req);
    const waves = adoptWaves(removals, w.pilot, w.size);
    adopt.waves = waves.length;
    for (let i = adopt.wave; i < waves.length; i++) {
      if (signal.aborted) return { request: req };
      const wave = waves[i]!;
      const check = await licenses.adoptCheck(
        change,
        wave.map((a) => a.principal.id),
        { signal },
      );
      if (signal.aborted) return { request: req };
      const ready = new Set(check.ready.map((p) => p.id.toLowerCase()));
      const go: Assignment[] = wave.filter((a) => ready.has(a.principal.id.toLowerCase()));
      const kept: AdoptKept[] = [...check.kept];
      let failed = 0;
      if (go.length) {
        const written = await licenses.swap({ ...change, assignments: go });
        swap = merge(swap, written);
        for (const o of written.outcomes) {
          if (o.status === 'failed') {
            failed++;
            kept.push({ principal: o.principal, reason: 'removeFailed', message: o.reason ?? o.graphMessage ?? o.graphCode ?? '' });
          } else {
            adopt.removedCount++;
            if (adopt.removed.length < KEEP) adopt.removed.push(o.principal);
          }
        }
      }
      adopt.kept.push(...kept);
      adopt.keptCount += kept.length;
      adopt.goneCount += check.gone.length;
      adopt.wave = i + 1;
      const detail = {
        wave: i + 1,
        of: waves.length,
        members: wave.length,
        removed: go.length - failed,
        kept: kept.map((k) => ({ id: k.principal.id, reason: k.reason })),
        gone: check.gone.length,
      };
      if (!(await record(detail, 'adopt-wave'))) return { request: req };
      this.outbox.progress(req, {
        groupId: change.principal.id,
        processingState: tracking?.processingState ?? 'ProcessingComplete',
        elapsedMs: Date.now() - started,
        polls: tracking?.polls ?? 0,
        adopt: { wave: i + 1, waves: waves.length, removed: adopt.removedCount, total: removals.length },
      });
      // A wave with too many refused removals stops the run: the next waves would likely fail alike.
      if (go.length && failed / go.length > w.pauseAtErrorShare && i < waves.length - 1) {
        adopt.stoppedAfterWave = i + 1;
        const left = waves.slice(i + 1).reduce((n, x) => n + x.length, 0);
        return end(
          'partial',
          `Wave ${i + 1} had too many failures (${failed} of ${go.length}): the ${left} members of the later waves keep their direct copy. Fix the cause and run the adopt again.`,
        );
      }
    }

    const anyChange = adopt.removedCount > 0 || !!groupWrite;
    const state = adopt.keptCount === 0 ? 'completed' : anyChange ? 'partial' : 'failed';
    return end(state);
  }
}

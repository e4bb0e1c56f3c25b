// Runs a large change wave by wave (waves.ts plans them). Each wave is recorded in the store twice:
// "wave-started" (the wave's index, before anything is sent) and "wave-finished" (what each person
// shows, read back from Graph), both compare-and-sets under this process's run lease. So after a
// crash the next owner (recovery.ts) knows exactly where the run stands: a recorded wave is never
// sent again, a wave started but not recorded is read back from Graph (never sent again), and the
// run continues with the next wave. Between waves it honours a pause or cancel asked for while a
// wave was in flight, and pauses by itself when a wave's error share passes the threshold.
import type { Assignment, FailureCause, ResolvedChange, SwapResult, TrackingReport } from '../licensing/model';
import type { WorkflowContext } from './context';
import { errorMessage, failureCause, isLicensingError } from './errors';
import type { Leases } from './lease';
import type { NoticeOutbox } from './outbox';
import { readBackChange } from './read-back';
import { checkBeforeResume, SKIP_REASONS } from './resume-check';
import type { Actor, ChangeRequest, RequestResult, RequestState, WaveMiss, WaveRun } from './types';
import { mergeSwaps, passesThreshold, waveFinalState, waveRecord, waveSlice, waveTotals, type WaveChecks } from './waves';

export interface WaveRunnerOptions {
  checks: WaveChecks;
  /** RECOVERY_SETTLE: wait before reading back a wave a dead process had in flight. */
  restartSettleMs: number;
}

type Updated = { ok: true; request: ChangeRequest } | { ok: false; request?: ChangeRequest };

export class WaveRunner {
  constructor(
    private readonly ctx: WorkflowContext,
    private readonly outbox: NoticeOutbox,
    private readonly leases: Leases,
    private readonly opts: WaveRunnerOptions,
  ) {}

  /**
   * Sends the waves not yet recorded of a running request whose lease this process holds, until
   * the last is recorded (final state), the run pauses or is cancelled, or `signal` says stop
   * (lease lost, shutting down: the next owner continues). `ownerGone`: taken over from a process
   * found dead just now (a wave it had in flight is read back only after RECOVERY_SETTLE).
   */
  /** run() under this process's lease on `req` (just moved to running here, or claimed by recovery). */
  async runHeld(req: ChangeRequest, ownerGone = false): Promise<ChangeRequest> {
    const lease = this.leases.hold(req.id);
    try {
      return await this.run(req, lease.signal, ownerGone);
    } catch (err) {
      // Left running: the next owner (recovery) reads back a wave in flight and continues.
      this.ctx.log.error('request.waves_failed', { changeId: req.id, error: errorMessage(err) });
      return (await this.ctx.store.get(req.id).catch(() => undefined)) ?? req;
    } finally {
      await lease.release();
    }
  }

  /**
   * `pause 12` / `cancel 12` while a wave is being sent: recorded on the request at once (any
   * instance may take the command), honoured by whoever runs it as soon as the wave in flight is
   * recorded. Asking twice changes nothing more.
   */
  async askStop(id: string, action: 'pause' | 'cancel', by: Actor, reason?: string): Promise<Updated> {
    const { store, now } = this.ctx;
    let fresh = await store.get(id);
    for (let attempt = 0; attempt < 10 && fresh; attempt++) {
      const w = fresh.result?.waves;
      if (fresh.state !== 'running' || !w) return { ok: false, request: fresh };
      if (w.stop && (w.stop.action === action || w.stop.action === 'cancel')) return { ok: true, request: fresh };
      const stop = { action, by, at: now().toISOString(), ...(reason ? { reason } : {}) };
      const res = await store.transition(
        id,
        { from: ['running'], version: fresh.version },
        'running',
        by,
        { result: { ...fresh.result, waves: { ...w, stop } } },
        { wave: w.inFlight?.index ?? w.next, reason: reason ?? null },
        `${action}-requested`,
      );
      if (res.ok) {
        this.outbox.notify(res.request, 'wave');
        return res;
      }
      fresh = res.request ?? (await store.get(id));
    }
    return { ok: false, ...(fresh ? { request: fresh } : {}) };
  }

  /**
   * paused -> running, this process holding the lease, and the waves carry on from the next one.
   * First the remaining people are checked again (resume-check.ts): a blocking finding keeps it
   * paused (audit `resume-blocked`, the cards show why) and nothing is sent; people who no longer
   * need the change are left out of their wave. The move to running is a compare-and-set on the
   * version the check started from, so of two resumes (or a resume and anything else) one wins.
   * `handOver` (the CLI, which does not stay to run it): the lease is left lapsed so a running bot
   * instance takes the run over on its next recovery tick.
   */
  async resume(cur: ChangeRequest, by: Actor, cardVersion?: number, handOver = false): Promise<Updated & { blocked?: true }> {
    const { store, now, tasks, log } = this.ctx;
    const run = cur.result!.waves!;
    const expect = { from: ['paused'] as const, version: cardVersion ?? cur.version };
    const checked = await checkBeforeResume(this.ctx.licenses, cur, by, now);
    if (checked?.check.blocked) {
      const res = await store.transition(
        cur.id,
        expect,
        'paused',
        by,
        { result: { ...cur.result, waves: { ...run, recheck: checked.check } } },
        { wave: run.next, of: run.count, ...checked.detail, ...(cardVersion !== undefined ? { cardVersion } : {}) },
        'resume-blocked',
      );
      if (!res.ok) return res;
      log.warn('request.resume_blocked', {
        changeId: cur.id,
        wave: run.next,
        findings: checked.check.findings.map((f) => f.code),
        error: checked.check.failure?.message ?? checked.check.error ?? null,
      });
      this.outbox.notify(res.request, 'resume-blocked');
      return { ok: false, request: res.request, blocked: true };
    }
    const at = now().toISOString();
    const { pause: _was, leaveOut: _before, ...rest } = run;
    const lease = handOver || this.leases.isStopping ? { owner: this.ctx.instanceId, until: at } : this.leases.next();
    const waves: WaveRun = {
      ...rest,
      resumed: { by, at },
      ...(checked ? { recheck: checked.check } : {}),
      ...(checked && Object.keys(checked.leaveOut).length ? { leaveOut: checked.leaveOut } : {}),
    };
    const res = await store.transition(
      cur.id,
      expect,
      'running',
      by,
      { result: { ...cur.result, waves }, lease },
      {
        wave: run.next,
        of: run.count,
        pausedAt: run.pause?.at ?? null,
        handOver,
        ...(cardVersion !== undefined ? { cardVersion } : {}),
        ...(checked ? { recheck: checked.detail } : {}),
      },
      'resumed',
    );
    if (!res.ok) return res;
    this.outbox.notify(res.request, 'resumed');
    if (Date.parse(lease.until) > Date.parse(at)) void tasks.spawn(this.runHeld(res.request));
    return res;
  }

  async run(req: ChangeRequest, signal: AbortSignal, ownerGone = false): Promise<ChangeRequest> {
    const { store, log } = this.ctx;
    let cur = req;
    for (;;) {
      cur = (await store.get(req.id)) ?? cur;
      const run = cur.result?.waves;
      if (cur.state !== 'running' || !run || cur.lease?.owner !== this.ctx.instanceId) return cur; // not ours any more
      if (run.inFlight) {
        const r = await this.readBackInFlight(cur, run, ownerGone);
        if (!r.ok) return r.request ?? cur;
        continue;
      }
      if (run.stop) return this.honourStop(cur, run);
      if (run.next >= run.count) return this.finish(cur, run);
      if (signal.aborted) return cur; // stopping or taken over: the next owner continues from here
      const r = await this.sendWave(cur, run, signal);
      if (!r.ok && r.request?.state === 'running' && r.request.result?.waves?.stop && r.request.lease?.owner === this.ctx.instanceId) continue; // asked to stop before it was sent
      if (!r.ok) {
        log.warn('request.wave_record_lost', { changeId: cur.id, wave: run.next, state: r.request?.state ?? null });
        return r.request ?? cur;
      }
      const wave = r.request.result!.waves!.waves.at(-1)!;
      if (passesThreshold(wave, run.settings) && r.request.result!.waves!.next < run.count && !r.request.result!.waves!.stop) {
        return this.pause(r.request, null, { wave: wave.index, errorShare: wave.errorShare });
      }
    }
  }

  /** One wave: the kind's check, "wave-started", the calls, the read-back, "wave-finished". */
  private async sendWave(cur: ChangeRequest, run: WaveRun, signal: AbortSignal): Promise<Updated> {
    const { licenses, now, log } = this.ctx;
    const change = cur.preflight.change;
    const index = run.next;
    const planned = waveSlice(change.assignments, run.settings, index);
    // Left out by the check before the last resume (they no longer need the change): never sent.
    const leave = run.leaveOut ?? {};
    const left: WaveMiss[] = planned.flatMap((a) => {
      const code = leave[a.principal.id.toLowerCase()];
      return code ? [{ principal: a.principal, kind: 'skipped' as const, code, reason: SKIP_REASONS[code] ?? code }] : [];
    });
    const candidates = left.length ? planned.filter((a) => !leave[a.principal.id.toLowerCase()]) : planned;
    let ready: Assignment[] = candidates;
    let skipped: WaveMiss[] = left;
    const check = this.opts.checks[change.kind];
    if (check && candidates.length) {
      try {
        const res = await check({ request: cur, change, wave: index, assignments: candidates, signal });
        const allowed = new Set(candidates.map((a) => a.principal.id.toLowerCase()));
        ready = res.ready.filter((a) => allowed.has(a.principal.id.toLowerCase())); // never more than planned
        skipped = [
          ...left,
          ...res.skipped.map((s) => ({
            principal: s.principal,
            kind: 'skipped' as const,
            ...(s.reason ? { reason: s.reason } : {}),
            ...(s.code ? { code: s.code } : {}),
            ...(s.adopt ? { adopt: s.adopt } : {}),
          })),
        ];
      } catch (err) {
        log.warn('request.wave_check_failed', { changeId: cur.id, wave: index, error: errorMessage(err) });
        // Why, as a code and data: the cards and the CLI say it in the reader's language.
        const paused = await this.pause(cur, null, { wave: index, checkFailed: failureCause(err) });
        return { ok: false, request: paused };
      }
    }
    const startedAt = now().toISOString();
    const readyIds = new Set(ready.map((a) => a.principal.id.toLowerCase()));
    // Recorded before anything is sent: after a crash this wave is read back, never sent again.
    const started = await this.update(
      cur,
      (w) => ({ ...w, inFlight: { index, startedAt, ...(skipped.length ? { skipped } : {}) } }),
      'wave-started',
      { wave: index, of: run.count, people: ready.length, skipped: skipped.length, ids: ready.map((a) => a.principal.id) },
      undefined,
      'running',
      null,
      true,
    );
    if (!started.ok) return started;
    this.outbox.notify(started.request, 'wave');
    const waveChange = subChange(
      change,
      planned.filter((a) => readyIds.has(a.principal.id.toLowerCase())),
    );
    let swap: SwapResult;
    let tracking: TrackingReport | undefined;
    let trackingError: string | undefined;
    let recovered = false;
    if (waveChange.assignments.length) {
      try {
        swap = await licenses.swap(waveChange);
      } catch (err) {
        if (isLicensingError(err) && (err.code === 'BLOCKED' || err.code === 'INVALID_INPUT')) {
          swap = refusedAll(waveChange, `Nothing was sent: ${err.message}`, startedAt, now);
        } else {
          log.warn('request.wave_swap_failed_reading_back', { changeId: cur.id, wave: index, error: errorMessage(err) });
          recovered = true;
          swap = await readBackChange(licenses, waveChange, startedAt, now);
        }
      }
      if (swap.changed.length) {
        try {
          // No abort signal: a read-back cut short would count people as not done.
          tracking = await licenses.track(waveChange, { since: startedAt });
        } catch (err) {
          trackingError = errorMessage(err);
        }
      }
    } else {
      swap = { kind: change.kind, outcomes: [], changed: [], failed: [], startedAt, finishedAt: now().toISOString() };
    }
    return this.recordWave(started.request, index, planned.length, swap, tracking, trackingError, skipped, startedAt, recovered);
  }

  private async recordWave(
    cur: ChangeRequest,
    index: number,
    planned: number,
    swap: SwapResult,
    tracking: TrackingReport | undefined,
    trackingError: string | undefined,
    skipped: WaveMiss[],
    startedAt: string,
    recovered: boolean,
  ): Promise<Updated> {
    const record = waveRecord({
      index,
      planned,
      swap,
      ...(tracking ? { tracking } : {}),
      ...(trackingError ? { trackingError } : {}),
      skipped,
      startedAt,
      finishedAt: this.ctx.now().toISOString(),
      recovered,
    });
    const change = cur.preflight.change;
    const res = await this.update(
      cur,
      (w) => {
        const { inFlight: _sent, ...rest } = w;
        return { ...rest, next: index + 1, waves: [...w.waves, record] };
      },
      'wave-finished',
      {
        wave: index,
        people: planned,
        done: record.done,
        failed: record.failedCount,
        skipped: record.skippedCount,
        errorShare: record.errorShare,
        ...(recovered ? { recovered: true } : {}),
        misses: [...record.failed, ...record.skipped].map((m) => ({ id: m.principal.id, kind: m.kind, code: m.code ?? null, reason: m.reason ?? m.adopt?.reason ?? null })),
      },
      (result) => ({ ...result, swap: mergeSwaps(change, result.swap, swap) }),
    );
    if (res.ok) this.outbox.notify(res.request, 'wave');
    return res;
  }

  /** A wave "wave-started" recorded but not finished (its sender died): read back, never sent again. */
  private async readBackInFlight(cur: ChangeRequest, run: WaveRun, ownerGone: boolean): Promise<Updated> {
    const { licenses, now, log } = this.ctx;
    const inFlight = run.inFlight!;
    if (ownerGone && this.opts.restartSettleMs > 0) {
      log.info?.('request.wave_settling', { changeId: cur.id, wave: inFlight.index, waitMs: this.opts.restartSettleMs });
      await new Promise((r) => setTimeout(r, this.opts.restartSettleMs));
    }
    const change = cur.preflight.change;
    const planned = waveSlice(change.assignments, run.settings, inFlight.index);
    const skipped = inFlight.skipped ?? [];
    const left = new Set(skipped.map((s) => s.principal.id.toLowerCase()));
    const sent = subChange(
      change,
      planned.filter((a) => !left.has(a.principal.id.toLowerCase())),
    );
    const swap = sent.assignments.length
      ? await readBackChange(licenses, sent, inFlight.startedAt, now)
      : { kind: change.kind, outcomes: [], changed: [], failed: [], startedAt: inFlight.startedAt, finishedAt: now().toISOString() };
    log.warn('request.wave_read_back', { changeId: cur.id, wave: inFlight.index, changed: swap.changed.length, failed: swap.failed.length });
    // The read-back already is the check: Graph shows the change on these people.
    const tracking: TrackingReport = {
      groupId: change.principal.id,
      outcome: 'complete',
      processingState: 'ProcessingComplete',
      done: swap.changed,
      errors: [],
      stillHoldingSource: [],
      polls: 1,
      elapsedMs: 0,
      finishedAt: now().toISOString(),
    };
    return this.recordWave(cur, inFlight.index, planned.length, swap, tracking, undefined, skipped, inFlight.startedAt, true);
  }

  /** A pause or cancel asked for while a wave was in flight, now that it is recorded. */
  private async honourStop(cur: ChangeRequest, run: WaveRun): Promise<ChangeRequest> {
    const stop = run.stop!;
    if (stop.action === 'pause') return this.pause(cur, stop.by, { wave: run.next - 1, ...(stop.reason ? { reason: stop.reason } : {}) });
    return this.cancelled(cur, stop.by, stop.reason, 'running');
  }

  /** running -> paused (automatically: `by` null), with why; notices to the requester and the approvers. */
  async pause(cur: ChangeRequest, by: Actor | null, why: { wave: number; errorShare?: number; reason?: string; checkFailed?: FailureCause }): Promise<ChangeRequest> {
    const at = this.ctx.now().toISOString();
    const res = await this.update(
      cur,
      (w) => {
        const { stop: _asked, ...rest } = w;
        return { ...rest, pause: { by, at, ...why } };
      },
      'paused',
      { by: by ? by.id : 'automatic', ...why },
      undefined,
      'paused',
      by,
    );
    if (!res.ok) return res.request ?? cur;
    this.ctx.log.warn('request.waves_paused', { changeId: cur.id, wave: why.wave, automatic: !by, errorShare: why.errorShare ?? null });
    this.outbox.notify(res.request, 'paused');
    return res.request;
  }

  /** running or paused -> cancelled: the waves not yet run are not run. */
  async cancelled(cur: ChangeRequest, by: Actor, reason: string | undefined, from: 'running' | 'paused', cardVersion?: number): Promise<ChangeRequest> {
    const run = cur.result!.waves!;
    const left = Math.max(0, run.count - run.next);
    const patchResult = (r: RequestResult): RequestResult => {
      const w = r.waves!;
      const { stop: _asked, ...rest } = w;
      return { ...r, waves: { ...rest, cancelledWaves: Math.max(0, w.count - w.next) }, cancelledBy: by, ...(reason ? { reason } : {}) };
    };
    const detail = { by: by.id, wavesRun: run.next, wavesCancelled: left, reason: reason ?? null, ...(cardVersion !== undefined ? { cardVersion } : {}) };
    if (from === 'paused') {
      const res = await this.ctx.store.transition(
        cur.id,
        { from: ['paused'], version: cardVersion ?? cur.version },
        'cancelled',
        by,
        { result: patchResult(cur.result!) },
        detail,
        'cancelled',
      );
      if (!res.ok) return res.request ?? cur;
      this.outbox.notify(res.request, 'cancelled');
      return res.request;
    }
    const res = await this.update(cur, (w) => w, 'cancelled', detail, patchResult, 'cancelled', by);
    if (!res.ok) return res.request ?? cur;
    this.outbox.notify(res.request, 'cancelled');
    return res.request;
  }

  /** Every wave recorded: the final state from what they did. */
  private async finish(cur: ChangeRequest, run: WaveRun): Promise<ChangeRequest> {
    const state = waveFinalState(run);
    const t = waveTotals(run);
    const res = await this.update(cur, (w) => w, state, { waves: run.count, done: t.done, failed: t.failed, skipped: t.skipped }, undefined, state);
    if (!res.ok) return res.request ?? cur;
    this.ctx.log.info?.('request.finished', { changeId: cur.id, state, waves: run.count });
    this.outbox.notify(res.request, state);
    return res.request;
  }

  /**
   * A compare-and-set from running on the request as it is now, while this process holds its
   * lease: a pause or cancel asked for meanwhile (another version) is read again and kept, never
   * overwritten. Fails when the request is no longer running here.
   */
  private async update(
    cur: ChangeRequest,
    waves: (w: WaveRun) => WaveRun,
    action: string,
    detail: Record<string, unknown>,
    result?: (r: RequestResult) => RequestResult,
    to: RequestState = 'running',
    actor: Actor | null = null,
    /** Refuse when a pause or cancel was asked for meanwhile (a wave about to be sent). */
    unlessStopAsked = false,
  ): Promise<Updated> {
    const { store, instanceId } = this.ctx;
    let fresh: ChangeRequest | undefined = cur;
    for (let attempt = 0; attempt < 10; attempt++) {
      if (!fresh || fresh.state !== 'running' || !fresh.result?.waves || fresh.lease?.owner !== instanceId) return { ok: false, ...(fresh ? { request: fresh } : {}) };
      if (unlessStopAsked && fresh.result.waves.stop) return { ok: false, request: fresh };
      const base = result ? result(fresh.result) : fresh.result;
      const next: RequestResult = { ...base, waves: waves(base.waves ?? fresh.result.waves) };
      const res = await store.transition(fresh.id, { from: ['running'], version: fresh.version }, to, actor, { result: next }, detail, action);
      if (res.ok) return res;
      fresh = res.request ?? (await store.get(cur.id));
    }
    return { ok: false, ...(fresh ? { request: fresh } : {}) };
  }
}

/** The change limited to some of its calls (one wave). */
function subChange(change: ResolvedChange, assignments: Assignment[]): ResolvedChange {
  return { ...change, assignments, affectedUsers: assignments.length };
}

function refusedAll(change: ResolvedChange, reason: string, startedAt: string, now: () => Date): SwapResult {
  const outcomes = change.assignments.map((a) => ({ principal: a.principal, status: 'failed' as const, reason }));
  return { kind: change.kind, outcomes, changed: [], failed: outcomes, startedAt, finishedAt: now().toISOString() };
}

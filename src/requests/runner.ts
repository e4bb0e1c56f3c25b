// The runner: an approved request is re-checked (a fresh preflight compared with the one that was
// approved), then moved to running and swapped, exactly once: only the caller that wins the
// approved -> running compare-and-set calls the swap. After the swap it follows a group's
// processing in Entra and records the final state. A run holds a lease (lease.ts) so another
// process can tell whether anybody is still on it (recovery.ts).
import type { PreflightResult, SwapResult, TrackingReport, TrackOptions } from '../licensing/model';
import { worsenedBetween, worsenedText } from './compare';
import { en } from '../i18n';
import type { WorkflowContext } from './context';
import { errorMessage, failureCause, isLicensingError } from './errors';
import type { Leases } from './lease';
import type { NoticeOutbox } from './outbox';
import { readBackChange } from './read-back';
import { recordOfRun, runFailure, summarizeSwap } from './run-record';
import type { ChangeRequest, RequestResult, Worsened } from './types';
import { AdoptRunner } from './adopt-run';
import type { WaveRunner } from './wave-runner';
import { DEFAULT_WAVES, newWaveRun, wavesFor } from './waves';
import type { WaveSettings } from '../licensing/model';

export class Runner {
  constructor(
    private readonly ctx: WorkflowContext,
    private readonly outbox: NoticeOutbox,
    readonly leases: Leases,
    /** Passed to licenses.track for group changes. */
    private readonly trackOptions: Pick<TrackOptions, 'pollIntervalMs' | 'timeoutMs'> = {},
    /** Large changes of per-person calls run in waves (wave-runner.ts). */
    private readonly waves?: { runner: WaveRunner; defaults: WaveSettings },
  ) {
    this.adopts = new AdoptRunner(ctx, outbox, trackOptions);
  }

  private readonly adopts: AdoptRunner;

  /** An adopt (adopt-run.ts): group write, processing, then checked waves of removals; also to resume one. */
  /** runAdopt under this process's lease (an adopt in waves: the lease carries on into the wave engine). */
  async runAdoptHeld(running: ChangeRequest): Promise<ChangeRequest> {
    const lease = this.leases.hold(running.id);
    try {
      return await this.runAdopt(running, lease.signal);
    } catch (err) {
      this.ctx.log.error('request.run_failed', { changeId: running.id, error: errorMessage(err) });
      return (await this.ctx.store.get(running.id).catch(() => undefined)) ?? running;
    } finally {
      await lease.release();
    }
  }

  async runAdopt(running: ChangeRequest, signal: AbortSignal): Promise<ChangeRequest> {
    const end = await this.adopts.run(running, signal);
    if (end.toWaves && this.waves) return this.waves.runner.run(end.request, signal);
    if (!end.state) return (await this.ctx.store.get(running.id).catch(() => undefined)) ?? end.request;
    return this.finish(end.request, end.state, end.result!, end.detail!);
  }

  /**
   * Re-checks an approved request and either stops it (worse, or the check failed) or starts the
   * run. `awaitRun`: resolve when the run has finished, not when it has started. `resumed`:
   * recovery picked it up after its approver's process stopped (recorded in the audit).
   */
  async proceed(approved: ChangeRequest, awaitRun = false, resumed?: Record<string, unknown>): Promise<ChangeRequest> {
    const { store, licenses, now, log, tasks } = this.ctx;
    const also = resumed ? { resumed } : {};
    const from = { from: ['approved'] as const, version: approved.version };
    let fresh: PreflightResult;
    try {
      fresh = await licenses.preflight(approved.spec);
    } catch (err) {
      const res = await store.transition(
        approved.id,
        from,
        'failed',
        null,
        { result: { ...approved.result, ...runFailure({ code: 'recheckFailed', detail: errorMessage(err), cause: failureCause(err) }) } },
        { error: errorMessage(err), ...also },
      );
      if (!res.ok) return res.request ?? approved;
      this.outbox.notify(res.request, 'failed');
      return res.request;
    }

    const worsened = worsenedBetween(approved.preflight, fresh);
    const recheck = {
      counts: fresh.counts,
      seats: fresh.change.seats,
      affectedUsers: fresh.change.affectedUsers,
      checkedAt: fresh.checkedAt,
      before: { counts: approved.preflight.counts, seats: approved.preflight.change.seats, checkedAt: approved.preflight.checkedAt },
    };
    if (worsened.length || fresh.blocked) {
      const lines: Worsened[] = worsened.length ? worsened : [{ code: 'nowBlocked', findings: [] }];
      const res = await store.transition(
        approved.id,
        from,
        'failed',
        null,
        { preflight: fresh, result: { ...approved.result, worsened: lines } },
        { ...recheck, worsened: lines, ...also },
        'worsened',
      );
      if (!res.ok) return res.request ?? approved;
      log.info?.('request.worsened', { changeId: approved.id, worsened: lines.map((w) => worsenedText(en, w)) });
      this.outbox.notify(res.request, 'worsened');
      return res.request;
    }

    // Stopping (a deployment): leave it approved for an instance that stays; never start a swap now.
    if (this.leases.isStopping) return approved;
    const startedAt = now().toISOString();
    const settings = this.waves ? wavesFor(fresh.change, approved.spec, this.waves.defaults ?? DEFAULT_WAVES) : undefined;
    const waves = settings ? newWaveRun(fresh.change, settings) : undefined;
    const res = await store.transition(
      approved.id,
      from,
      'running',
      null,
      { preflight: fresh, result: { ...approved.result, startedAt, ...(resumed ? { resumed: true } : {}), ...(waves ? { waves } : {}) }, lease: this.leases.next() },
      { ...recheck, ...also, ...(waves ? { waves: { ...settings, count: waves.count, people: waves.total } } : {}) },
      'started',
    );
    if (!res.ok) return res.request ?? approved; // someone else started it: never a second run
    this.outbox.notify(res.request, 'started');
    const run = tasks.spawn(this.execute(res.request));
    return awaitRun ? run : res.request;
  }

  /** The swap, exactly once: only called for a request this process just moved to running. */
  private async execute(running: ChangeRequest): Promise<ChangeRequest> {
    const { store, licenses, now, log } = this.ctx;
    // An adopt makes and follows its group's write first, then (in waves) hands the removals over.
    if (running.preflight.change.kind === 'adopt' && running.result?.waves && this.waves) return this.runAdoptHeld(running);
    if (running.result?.waves && this.waves) return this.waves.runner.runHeld(running);
    const lease = this.leases.hold(running.id);
    try {
      const change = running.preflight.change;
      await store.appendAudit(running.id, null, 'swap-started', {
        principal: change.principal,
        from: change.from,
        to: change.to,
        ...(change.alsoFrom?.length ? { alsoFrom: change.alsoFrom } : {}),
        ...(change.alsoTo?.length ? { alsoTo: change.alsoTo } : {}),
        calls: change.assignments.length,
        affectedUsers: change.affectedUsers,
        ...(change.setUsageLocation ? { setUsageLocation: { country: change.setUsageLocation.country, users: change.setUsageLocation.users.length } } : {}),
        ...(change.reprocess ? { reprocess: change.reprocess.users.length } : {}),
      });
      if (change.kind === 'adopt') return await this.runAdopt(running, lease.signal);
      let swap: SwapResult;
      let failure: ReturnType<typeof runFailure> | undefined;
      let recovered = false;
      try {
        swap = await licenses.swap(change);
      } catch (err) {
        if (isLicensingError(err) && (err.code === 'BLOCKED' || err.code === 'INVALID_INPUT')) {
          // The license service refused before writing anything.
          return await this.finish(
            running,
            'failed',
            { ...running.result, ...runFailure({ code: 'refusedBeforeWriting', detail: err.message, cause: failureCause(err) }) },
            { error: err.message, code: err.code },
          );
        }
        // Unknown how far it got: read Graph back rather than guess (and never call the swap again).
        log.warn('request.swap_failed_reading_back', { changeId: running.id, error: errorMessage(err) });
        failure = runFailure({ code: 'swapCallFailed', detail: errorMessage(err), cause: failureCause(err) });
        recovered = true;
        swap = await readBackChange(licenses, change, running.result?.startedAt ?? running.updatedAt, now);
      }
      const rec = await store.transition(
        running.id,
        { from: ['running'], version: running.version },
        'running',
        null,
        { result: { ...running.result, swap, ...(failure ?? {}), ...(recovered ? { recovered } : {}) } },
        summarizeSwap(swap),
        'swap-finished',
      );
      if (!rec.ok) {
        log.error('request.swap_record_failed', { changeId: running.id, state: rec.request?.state });
        return rec.request ?? running;
      }
      return await this.complete(rec.request, swap, lease.signal);
    } catch (err) {
      log.error('request.run_failed', { changeId: running.id, error: errorMessage(err) });
      // Left running: recovery reads Graph and finishes it once the lease lapses.
      return (await store.get(running.id).catch(() => undefined)) ?? running;
    } finally {
      await lease.release();
    }
  }

  /** After the swap: follow group processing, then record the final state. */
  async complete(req: ChangeRequest, swap: SwapResult, signal: AbortSignal): Promise<ChangeRequest> {
    const { store, licenses } = this.ctx;
    const change = req.preflight.change;
    let tracking: TrackingReport | undefined;
    let trackingError: string | undefined;
    const groupAccepted = swap.outcomes.some((o) => o.status === 'accepted' && o.principal.kind === 'group');
    // A reprocess is read back too: who is fine now and who is still in error.
    if (groupAccepted || (change.reprocess && swap.changed.length)) {
      if (signal.aborted) return (await store.get(req.id)) ?? req; // stopping or taken over: another instance follows it
      try {
        tracking = await licenses.track(change, {
          ...this.trackOptions,
          since: swap.startedAt,
          signal,
          onProgress: (p) => this.outbox.progress(req, p),
        });
      } catch (err) {
        if (signal.aborted) return (await store.get(req.id)) ?? req;
        trackingError = errorMessage(err);
      }
      if (signal.aborted) return (await store.get(req.id)) ?? req; // another process took it over
    }
    const { state, result, detail } = recordOfRun(req, swap, tracking, trackingError);
    return this.finish(req, state, result, detail);
  }

  private async finish(req: ChangeRequest, state: 'completed' | 'failed' | 'partial', result: RequestResult, detail: Record<string, unknown>): Promise<ChangeRequest> {
    const { store, log } = this.ctx;
    const res = await store.transition(req.id, { from: ['running'], version: req.version }, state, null, { result, lease: null }, detail);
    if (!res.ok) {
      log.error('request.finish_record_failed', { changeId: req.id, state: res.request?.state });
      return res.request ?? req;
    }
    log.info?.('request.finished', { changeId: req.id, state });
    this.outbox.notify(res.request, state);
    return res.request;
  }
}

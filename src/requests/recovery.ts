// Recovery after a restart (or in another process): finishes requests nobody is running.
//   running, lease lapsed or owner certainly gone  -> claim it, read back what the swap did when
//                                                    it was not recorded, follow the group, record
//   approved, its approving process gone or idle   -> re-check and run (or fail when the approval
//                                                    is older than APPROVAL_TTL)
// The swap is never called again for a request that reached running; claims are compare-and-sets,
// so of two processes recovering at once only one takes each request.
import type { WorkflowContext } from './context';
import { errorMessage } from './errors';
import type { Leases } from './lease';
import type { NoticeOutbox } from './outbox';
import { readBackChange } from './read-back';
import { runFailure, summarizeSwap } from './run-record';
import type { Runner } from './runner';
import type { ChangeRequest } from './types';
import type { WaveRunner } from './wave-runner';

export interface RecoveryOptions {
  /** Tells whether another lease owner is certainly gone (instance.ts ownerIsGone). */
  ownerIsGone: (owner: string, self: string) => boolean;
  /** RECOVERY_SETTLE: how long after its owner was found gone an unrecorded swap is read back. */
  restartSettleMs: number;
  /** approve()'s re-check budget: an approval younger than ten of these is being re-checked now. */
  recheckBudgetMs: number;
}

export class Recovery {
  private inFlight?: Promise<ChangeRequest[]>;

  constructor(
    private readonly ctx: WorkflowContext,
    private readonly outbox: NoticeOutbox,
    private readonly runner: Runner,
    private readonly leases: Leases,
    private readonly opts: RecoveryOptions,
    private readonly waves?: WaveRunner,
  ) {}

  /** One recovery pass at a time: a call while one runs joins it. */
  reconcile(): Promise<ChangeRequest[]> {
    if (!this.inFlight) {
      this.inFlight = this.ctx.tasks.spawn(this.pass()).finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  private async pass(): Promise<ChangeRequest[]> {
    return [...(await this.takeOverRunning()), ...(await this.resumeApproved())];
  }

  private async takeOverRunning(): Promise<ChangeRequest[]> {
    const { store, log, instanceId } = this.ctx;
    const out: ChangeRequest[] = [];
    const now = this.ctx.now().getTime();
    for (const r of await store.list({ states: ['running'] })) {
      if (this.leases.runsHere(r.id)) continue;
      const ownerGone = !!r.lease && this.opts.ownerIsGone(r.lease.owner, instanceId);
      if (r.lease && Date.parse(r.lease.until) > now && !ownerGone) continue; // someone is running it
      const why = ownerGone ? 'owner-gone' : 'lease-lapsed';
      const claim = await store.transition(
        r.id,
        { from: ['running'], version: r.version },
        'running',
        null,
        { lease: this.leases.next(), result: { ...r.result, resumed: true } },
        {
          previousLease: r.lease ?? null,
          why,
          swapRecorded: !!r.result?.swap,
          ...(r.result?.waves ? { wavesRecorded: r.result.waves.next, waveInFlight: r.result.waves.inFlight?.index ?? null } : {}),
        },
        'reconcile-claimed',
      );
      if (!claim.ok) continue; // another process claimed it first
      log.warn('request.reconcile_claimed', { changeId: r.id, previousOwner: r.lease?.owner ?? null, why });
      if (claim.request.result?.waves && this.waves && claim.request.preflight.change.kind !== 'adopt') {
        // Waves carry on from the next one not recorded (a wave in flight is read back first), in
        // the background: a long run must not hold up the recovery of other requests.
        void this.ctx.tasks.spawn(this.waves.runHeld(claim.request, ownerGone));
        out.push(claim.request);
        continue;
      }
      out.push(await this.finishLeftRunning(claim.request, ownerGone));
    }
    return out;
  }

  private async resumeApproved(): Promise<ChangeRequest[]> {
    const { store, log, instanceId, ttlMs } = this.ctx;
    const out: ChangeRequest[] = [];
    const now = this.ctx.now().getTime();
    for (const r of await store.list({ states: ['approved'] })) {
      // Approved but not yet running: normally its approver's process is re-checking it right now.
      // When that process is certainly gone, carry on at once; else give it time.
      const approvedBy = (await store.audit(r.id)).filter((e) => e.action === 'approved').pop()?.detail.instance;
      const approverGone = typeof approvedBy === 'string' && approvedBy !== instanceId && this.opts.ownerIsGone(approvedBy, instanceId);
      const age = now - Date.parse(r.updatedAt);
      if (!approverGone && age < Math.max(this.opts.recheckBudgetMs * 10, 60_000)) continue; // being re-checked now
      if (age > ttlMs) {
        const res = await store.transition(
          r.id,
          { from: ['approved'], version: r.version },
          'failed',
          null,
          { result: { ...r.result, ...runFailure({ code: 'tooLate' }) } },
          {},
          'reconciled',
        );
        if (res.ok) {
          this.outbox.notify(res.request, 'failed');
          out.push(res.request);
        }
        continue;
      }
      // Another process may take it at the same moment: proceed's compare-and-set lets one run it.
      const resumed = { approvedBy: approvedBy ?? null, why: approverGone ? 'approver-gone' : 'waited' };
      log.warn('request.reconcile_resumed', { changeId: r.id, ...resumed });
      out.push(await this.runner.proceed(r, true, resumed));
    }
    return out;
  }

  private async finishLeftRunning(req: ChangeRequest, ownerGone: boolean): Promise<ChangeRequest> {
    const { store, licenses, now, log } = this.ctx;
    const lease = this.leases.hold(req.id);
    try {
      // An adopt runs again from where it stood: each of its steps is safe to repeat.
      if (req.preflight.change.kind === 'adopt') return await this.runner.runAdopt(req, lease.signal);
      let current = req;
      let swap = req.result?.swap;
      if (!swap) {
        // The dead process may have had writes in flight: let them land before reading back. It
        // was found gone just now (another instance may have died a moment ago), so wait from
        // now; a lapsed lease has been silent for a whole lease already.
        const wait = ownerGone ? this.opts.restartSettleMs : 0;
        if (wait > 0) {
          log.info?.('request.reconcile_settling', { changeId: req.id, waitMs: wait });
          await new Promise((r) => setTimeout(r, wait));
        }
        swap = await readBackChange(licenses, req.preflight.change, req.result?.startedAt ?? req.updatedAt, now);
        const rec = await store.transition(
          req.id,
          { from: ['running'], version: req.version },
          'running',
          null,
          { result: { ...req.result, swap, recovered: true } },
          summarizeSwap(swap),
          'swap-verified',
        );
        if (!rec.ok) return rec.request ?? req;
        current = rec.request;
      }
      return await this.runner.complete(current, swap, lease.signal);
    } catch (err) {
      log.error('request.reconcile_failed', { changeId: req.id, error: errorMessage(err) });
      return (await store.get(req.id).catch(() => undefined)) ?? req;
    } finally {
      await lease.release();
    }
  }
}

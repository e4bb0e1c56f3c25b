// The four-eyes workflow around a license change, as the bot and the CLI call it. A request moves
//   pending -> approved -> running -> completed | failed | partial
//   pending -> rejected | cancelled | expired
//   running <-> paused (waves: pause, resume, automatic pause) -> cancelled (the waves not yet run)
// and every move is a compare-and-set in the store, so a second click, a Teams retry or another
// process on the same database finds the state already moved and gets the current request back.
//
// This file only wires the rooms that do the work:
//   actions.ts   request, approve, reject, cancel, undo, status, history, pending (four eyes)
//   runner.ts    re-check, the swap exactly once, group tracking, the final record (lease.ts)
//   recovery.ts  requests nobody is running any more: after a restart or in another process
//   expiry.ts    pending requests past APPROVAL_TTL
//   outbox.ts    notices in order per request, recorded once sent, re-sent after a restart
import type { ChangeSpec, LicensePort, PreflightResult, TrackOptions, WaveSettings } from '../licensing/model';
import { RequestActions } from './actions';
import type { ApprovalPolicy, RequestPolicy, WorkflowContext, WorkflowLog } from './context';
import { errorMessage } from './errors';
import { Deadlines } from './expiry';
import { newInstanceId, ownerIsGone } from './instance';
import { Leases } from './lease';
import { NoticeOutbox } from './outbox';
import { Recovery } from './recovery';
import { Runner } from './runner';
import { BackgroundTasks } from './tasks';
import { WaveRunner } from './wave-runner';
import { DEFAULT_WAVES, normalizeWaves, type WaveChecks } from './waves';
import { adoptWaveCheck } from './adopt-run';
import type { Actor, AuditEntry, ChangeRequest, RequestNotifier, RequestState, RequestStore, WorkflowResult } from './types';

export type { ApprovalPolicy, RequestPolicy, WorkflowLog } from './context';
export { describeState } from './refusals';
export { finalState } from './run-record';
export { owedEvent } from './outbox';
export type { WaveCheck, WaveChecks } from './waves';

export interface ChangeRequestsDeps {
  store: RequestStore;
  licenses: LicensePort;
  approvers: ApprovalPolicy;
  /** REQUESTERS: when given, request() and undo() are refused to anyone else. */
  requesters?: RequestPolicy;
  notifier: RequestNotifier;
  /** The only tenant whose activities are accepted. */
  tenantId: string;
  /** APPROVAL_TTL: how long a request waits for a decision. */
  ttlMs: number;
  now?: () => Date;
  log?: WorkflowLog;
  /** Identifies this process in run leases (default host:pid:nonce:b<boot id>, see instance.ts). */
  instanceId?: string;
  /** Tells whether another lease owner is certainly gone (default: instance.ts ownerIsGone). */
  ownerIsGone?: (owner: string, self: string) => boolean;
  /**
   * A request taken over from a process that died before recording what its swap did is read
   * back from Graph no earlier than this long after this process started, so writes the dead
   * process still had in flight have landed (RECOVERY_SETTLE, default 10 s).
   */
  restartSettleMs?: number;
  /** How long a running request's claim holds without renewal (default 2 min; renewed every third of it). */
  leaseMs?: number;
  /**
   * approve() waits at most this long for the re-check before answering with the request as
   * approved (the re-check and the run carry on; notices follow). Default 3 s: Teams retries an
   * invoke after about 5 s.
   */
  recheckBudgetMs?: number;
  /** Passed to licenses.track for group changes. */
  trackOptions?: Pick<TrackOptions, 'pollIntervalMs' | 'timeoutMs'>;
  /** APPROVAL_REMINDER: remind the approvers once after this long without a decision; undefined or 0: never. */
  reminderMs?: number;
  /** WAVE_PILOT, WAVE_SIZE, WAVE_PAUSE_AT: how large changes run in waves unless the request says otherwise (default 5 / 100 / 0.1). */
  waves?: Partial<WaveSettings>;
  /** Per kind of change (ResolvedChange.kind): who is ready before each wave (adopt). See waves.ts WaveCheck. */
  waveChecks?: WaveChecks;
}

export class ChangeRequests {
  readonly instanceId: string;
  private readonly ctx: WorkflowContext;
  private readonly actions: RequestActions;
  private readonly deadlines: Deadlines;
  private readonly outbox: NoticeOutbox;
  private readonly recovery: Recovery;
  private readonly leases: Leases;
  private timer?: NodeJS.Timeout;
  /** How large changes run in waves when the request does not say (WAVE_PILOT, WAVE_SIZE, WAVE_PAUSE_AT). */
  readonly waveDefaults: WaveSettings;

  constructor(deps: ChangeRequestsDeps) {
    this.instanceId = deps.instanceId ?? newInstanceId();
    const ctx: WorkflowContext = {
      store: deps.store,
      licenses: deps.licenses,
      now: deps.now ?? (() => new Date()),
      log: deps.log ?? { warn: () => {}, error: () => {} },
      tasks: new BackgroundTasks(),
      instanceId: this.instanceId,
      ttlMs: deps.ttlMs,
    };
    this.ctx = ctx;
    const recheckBudgetMs = deps.recheckBudgetMs ?? 3_000;
    this.outbox = new NoticeOutbox(ctx, deps.notifier);
    this.deadlines = new Deadlines(ctx, this.outbox, deps.reminderMs);
    const leases = new Leases(ctx, deps.leaseMs ?? 120_000);
    this.leases = leases;
    const restartSettleMs = deps.restartSettleMs ?? 10_000;
    // The adopt's check is always there: its removals must never run unchecked.
    const waves = new WaveRunner(ctx, this.outbox, leases, { checks: { adopt: adoptWaveCheck(ctx.licenses), ...deps.waveChecks }, restartSettleMs });
    this.waveDefaults = normalizeWaves(deps.waves, DEFAULT_WAVES);
    const runner = new Runner(ctx, this.outbox, leases, deps.trackOptions ?? {}, { runner: waves, defaults: this.waveDefaults });
    this.recovery = new Recovery(
      ctx,
      this.outbox,
      runner,
      leases,
      {
        ownerIsGone: deps.ownerIsGone ?? ownerIsGone,
        restartSettleMs,
        recheckBudgetMs,
      },
      waves,
    );
    this.actions = new RequestActions(
      ctx,
      this.outbox,
      runner,
      this.deadlines,
      {
        approvers: deps.approvers,
        ...(deps.requesters ? { requesters: deps.requesters } : {}),
        tenantId: deps.tenantId,
        recheckBudgetMs,
      },
      waves,
    );
  }

  // Actions (the bot calls these from card handlers and chat commands): see actions.ts.

  request(actor: Actor, spec: ChangeSpec, preflight: PreflightResult, conversationKey?: string, opts: { undoOf?: string } = {}): Promise<WorkflowResult> {
    return this.actions.request(actor, spec, preflight, conversationKey, opts);
  }
  /** REPROCESS_APPROVAL=none: a reprocess that runs at once (see actions.ts). */
  reprocessNow(actor: Actor, spec: ChangeSpec, preflight: PreflightResult, conversationKey?: string): Promise<WorkflowResult> {
    return this.actions.reprocessNow(actor, spec, preflight, conversationKey);
  }
  approve(actor: Actor, id: string, cardVersion?: number, reason?: string): Promise<WorkflowResult> {
    return this.actions.approve(actor, id, cardVersion, reason);
  }
  reject(actor: Actor, id: string, cardVersion?: number, reason?: string): Promise<WorkflowResult> {
    return this.actions.reject(actor, id, cardVersion, reason);
  }
  cancel(actor: Actor, id: string, cardVersion?: number, reason?: string): Promise<WorkflowResult> {
    return this.actions.cancel(actor, id, cardVersion, reason);
  }
  /** `pause 12`: a change running in waves stops before its next wave. */
  pause(actor: Actor, id: string, reason?: string): Promise<WorkflowResult> {
    return this.actions.pause(actor, id, reason);
  }
  /** `resume 12`: a paused change carries on from its next wave. `handOver`: a running bot instance runs it (the CLI). */
  resume(actor: Actor, id: string, cardVersion?: number, opts: { handOver?: boolean } = {}): Promise<WorkflowResult> {
    return this.actions.resume(actor, id, cardVersion, opts);
  }
  undo(actor: Actor, id: string, conversationKey?: string): Promise<WorkflowResult> {
    return this.actions.undo(actor, id, conversationKey);
  }
  status(id: string, actor?: Actor): Promise<WorkflowResult> {
    return this.actions.status(id, actor);
  }
  audit(id: string): Promise<AuditEntry[]> {
    return this.actions.audit(id);
  }
  history(limit = 20, filter: { requesterId?: string; states?: readonly RequestState[] } = {}): Promise<ChangeRequest[]> {
    return this.actions.history(limit, filter);
  }
  pending(actor: Actor): Promise<ChangeRequest[]> {
    return this.actions.pending(actor);
  }
  runApproved(id: string): Promise<WorkflowResult> {
    return this.actions.runApproved(id);
  }

  // Housekeeping

  /** Pending requests past their expiry become expired (with a notice). Returns those expired now. */
  expireDue(): Promise<ChangeRequest[]> {
    return this.deadlines.expireDue();
  }

  /** Pending requests due for their one reminder get it (APPROVAL_REMINDER). Returns those reminded now. */
  remindDue(): Promise<ChangeRequest[]> {
    return this.deadlines.remindDue();
  }

  /**
   * Finishes requests nobody is running (recovery.ts): 'running' ones whose lease lapsed or whose
   * owner is gone, and 'approved' ones left before their re-check. Call at start-up; start()
   * also calls it on its timer.
   */
  reconcile(): Promise<ChangeRequest[]> {
    return this.recovery.reconcile();
  }

  /**
   * Sends the notices owed from before a restart, then expires, reminds and reconciles now and
   * every `everyMs` (default 60 s).
   */
  async start(opts: { everyMs?: number } = {}): Promise<ChangeRequest[]> {
    this.stop();
    const { log } = this.ctx;
    this.timer = setInterval(() => {
      this.expireDue()
        .then(() => this.remindDue())
        .catch((err) => log.error('requests.expire_failed', { error: errorMessage(err) }));
      this.reconcile().catch((err) => log.error('requests.reconcile_failed', { error: errorMessage(err) }));
      // Notices another instance claimed and never sent (it died), or whose send failed.
      this.outbox.resendOwed().catch((err) => log.error('requests.resend_failed', { error: errorMessage(err) }));
    }, opts.everyMs ?? 60_000);
    this.timer.unref();
    try {
      await this.outbox.resendOwed();
    } catch (err) {
      log.error('requests.resend_failed', { error: errorMessage(err) });
    }
    await this.expireDue();
    await this.remindDue().catch((err) => log.error('requests.remind_failed', { error: errorMessage(err) }));
    return this.reconcile();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * A graceful stop (SIGTERM): no more timers, no new runs; a swap in progress finishes its writes
   * and records them, and every run in hand gives its lease up so another instance (or the next
   * start) takes it over at once instead of after the lease. Then wait with whenIdle().
   */
  shutdown(): void {
    this.stop();
    this.leases.handOverAll();
  }

  /** Resolves when every background run, re-check and notice started so far has finished. */
  whenIdle(): Promise<void> {
    return this.ctx.tasks.whenIdle();
  }
}

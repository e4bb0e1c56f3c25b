// The four-eyes workflow around a license change. A request moves
//   pending -> approved -> running -> completed | failed | partial
//   pending -> rejected | cancelled | expired
// and every move is a compare-and-set in the store, so a second click, a Teams retry or another
// process on the same database finds the state already moved and gets the current request back.
// Only the caller that wins approved -> running calls the swap; a process that dies mid-run is
// finished by reconcile() (which reads Graph and never runs the swap again).
//
// Identity comes from the activity (Actor); card data carries only the request id and version.
// User errors never throw: every action answers a WorkflowResult.
import {
  LicensingError,
  type ChangeSpec,
  type LicensePort,
  type PreflightResult,
  type ResolvedChange,
  type SwapOutcome,
  type SwapResult,
  type TrackingProgress,
  type TrackingReport,
  type TrackOptions,
} from '../licensing/model';
import { normalizeRequestId } from './request-id';
import { sameId, type ApprovalCheck, type RequestCheck } from './approvers';
import { worsenedBetween } from './compare';
import { newInstanceId, ownerIsGone } from './instance';
import type {
  Actor,
  AuditEntry,
  ChangeRequest,
  RefusalReason,
  RequestEvent,
  RequestNotifier,
  RequestResult,
  RequestState,
  RequestStore,
  WorkflowResult,
} from './types';

/** What the workflow needs from the approvers policy (ApproverPolicy implements it). */
export interface ApprovalPolicy {
  canApprove(actor: Actor, request?: Pick<ChangeRequest, 'requester' | 'id'>): Promise<ApprovalCheck>;
  isApprover(actor: Actor): Promise<boolean>;
}

/** Who may ask for changes (RequesterPolicy implements it). */
export interface RequestPolicy {
  canRequest(actor: Actor): Promise<RequestCheck>;
}

export interface WorkflowLog {
  info?(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

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
}

const OPEN_STATES: readonly RequestState[] = ['pending', 'approved', 'running'];
const UNDOABLE: readonly RequestState[] = ['completed', 'partial'];
const KEEP_IN_TRACKING = 100;

type Refusal = Extract<WorkflowResult, { ok: false }>;

function refuse(reason: RefusalReason, message: string, request?: ChangeRequest, preflight?: PreflightResult): Refusal {
  const r: Refusal = { ok: false, reason, message };
  if (request) r.request = request;
  if (preflight) r.preflight = preflight;
  return r;
}

function who(a: Actor | undefined): string {
  return a ? a.name || a.id : 'someone';
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isLicensingError(err: unknown): err is LicensingError {
  return err instanceof LicensingError || (err instanceof Error && err.name === 'LicensingError' && 'code' in err);
}

/** One sentence about where a request stands, for "already decided" answers and logs. */
export function describeState(r: ChangeRequest): string {
  switch (r.state) {
    case 'pending':
      return `Request ${r.id} is waiting for approval.`;
    case 'approved':
      return `Request ${r.id} was already approved by ${who(r.approver)} and is about to run.`;
    case 'running':
      return `Request ${r.id} was approved by ${who(r.approver)} and is running.`;
    case 'completed':
      return `Request ${r.id} was approved by ${who(r.approver)} and has completed.`;
    case 'failed':
      return `Request ${r.id} has already been decided: it failed${r.result?.worsened ? ' (things changed for the worse before it ran)' : ''}.`;
    case 'partial':
      return `Request ${r.id} was approved by ${who(r.approver)} and finished in part.`;
    case 'rejected':
      return `Request ${r.id} was already rejected by ${who(r.approver)}.`;
    case 'cancelled':
      return `Request ${r.id} was cancelled.`;
    case 'expired':
      return `Request ${r.id} expired without a decision.`;
  }
}

function summarizeSwap(swap: SwapResult): Record<string, unknown> {
  return {
    kind: swap.kind,
    changed: swap.changed.length,
    failed: swap.failed.length,
    startedAt: swap.startedAt,
    finishedAt: swap.finishedAt,
    // What Graph answered, per call.
    outcomes: swap.outcomes.map((o) => ({
      principal: { kind: o.principal.kind, id: o.principal.id, displayName: o.principal.displayName },
      status: o.status,
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.graphCode ? { graphCode: o.graphCode } : {}),
      ...(o.graphMessage ? { graphMessage: o.graphMessage } : {}),
    })),
  };
}

function trimTracking(t: TrackingReport): { tracking: TrackingReport; totals: NonNullable<RequestResult['trackingTotals']> } {
  return {
    tracking: {
      ...t,
      done: t.done.slice(0, KEEP_IN_TRACKING),
      errors: t.errors.slice(0, KEEP_IN_TRACKING),
      stillHoldingSource: t.stillHoldingSource.slice(0, KEEP_IN_TRACKING),
    },
    totals: { done: t.done.length, errors: t.errors.length, stillHoldingSource: t.stillHoldingSource.length },
  };
}

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

export class ChangeRequests {
  readonly instanceId: string;
  private readonly store: RequestStore;
  private readonly licenses: LicensePort;
  private readonly approvers: ApprovalPolicy;
  private readonly requesters?: RequestPolicy;
  private readonly notifier: RequestNotifier;
  private readonly tenantId: string;
  private readonly ttlMs: number;
  private readonly now: () => Date;
  private readonly log: WorkflowLog;
  private readonly leaseMs: number;
  private readonly recheckBudgetMs: number;
  private readonly trackOptions: Pick<TrackOptions, 'pollIntervalMs' | 'timeoutMs'>;
  private readonly isGone: (owner: string, self: string) => boolean;
  private readonly restartSettleMs: number;
  private readonly startedAt: number;

  private readonly background = new Set<Promise<unknown>>();
  private readonly notices = new Map<string, Promise<void>>();
  /** Requests this process is running right now (reconcile leaves them alone). */
  private readonly runningHere = new Set<string>();
  private reconciling?: Promise<ChangeRequest[]>;
  private timer?: NodeJS.Timeout;

  constructor(deps: ChangeRequestsDeps) {
    this.store = deps.store;
    this.licenses = deps.licenses;
    this.approvers = deps.approvers;
    if (deps.requesters) this.requesters = deps.requesters;
    this.notifier = deps.notifier;
    this.tenantId = deps.tenantId;
    this.ttlMs = deps.ttlMs;
    this.now = deps.now ?? (() => new Date());
    this.log = deps.log ?? { warn: () => {}, error: () => {} };
    this.instanceId = deps.instanceId ?? newInstanceId();
    this.isGone = deps.ownerIsGone ?? ownerIsGone;
    this.restartSettleMs = deps.restartSettleMs ?? 10_000;
    this.startedAt = this.now().getTime();
    this.leaseMs = deps.leaseMs ?? 120_000;
    this.recheckBudgetMs = deps.recheckBudgetMs ?? 3_000;
    this.trackOptions = deps.trackOptions ?? {};
  }

  // ---------------------------------------------------------------------------------------------
  // Actions (the bot calls these from card handlers and chat commands)

  /** A new pending request. `preflight` is the one the requester saw; a blocked one is refused. */
  async request(
    actor: Actor,
    spec: ChangeSpec,
    preflight: PreflightResult,
    conversationKey?: string,
    opts: { undoOf?: string } = {},
  ): Promise<WorkflowResult> {
    if (!this.sameTenant(actor)) return refuse('wrong_tenant', 'Your activity comes from another tenant than the one this bot serves.');
    const may = await this.mayRequest(actor);
    if (may) return may;
    if (preflight.blocked) {
      return refuse('blocked', 'The preflight found blocking problems; fix them before asking for approval.', undefined, preflight);
    }
    const request = this.store.create({
      spec,
      preflight,
      requester: actor,
      ttlMs: this.ttlMs,
      ...(opts.undoOf ? { undoOf: opts.undoOf } : {}),
      ...(conversationKey ? { conversationKey } : {}),
    });
    this.log.info?.('request.created', { changeId: request.id, requester: actor.id });
    this.notify(request, 'requested');
    return { ok: true, request };
  }

  /**
   * Approve from a card. `cardVersion` is the version the card was rendered from (undefined: no
   * version check, e.g. a typed command). Answers at once with the request as it stands after the
   * re-check (running, or failed with result.worsened), or as approved when the re-check takes
   * longer than recheckBudgetMs; the run itself is never awaited here.
   */
  async approve(actor: Actor, id: string, cardVersion?: number): Promise<WorkflowResult> {
    const loaded = this.load(actor, id);
    if (!loaded.ok) return loaded;
    const check = await this.approvers.canApprove(actor, loaded.request);
    if (!check.ok) return this.refused(actor, loaded.request, 'approve', check);

    const cas = this.store.transition(
      loaded.request.id,
      { from: ['pending'], ...(cardVersion !== undefined ? { version: cardVersion } : {}) },
      'approved',
      actor,
      { approver: actor },
      // The instance that re-checks and runs it: if it dies before the run starts, a restart
      // knows at once that nobody is on it.
      { cardVersion: cardVersion ?? null, instance: this.instanceId },
    );
    if (!cas.ok) return this.casRefusal(cas.request ?? loaded.request, cardVersion);
    const approved = cas.request;
    this.log.info?.('request.approved', { changeId: approved.id, approver: actor.id });
    this.notify(approved, 'approved');

    const next = this.spawn(this.proceed(approved));
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, this.recheckBudgetMs, undefined);
    });
    const settled = await Promise.race([next.catch(() => undefined), budget]);
    clearTimeout(timer);
    return { ok: true, request: settled ?? this.store.get(approved.id) ?? approved };
  }

  /** Reject from a card (approvers only; the requester cancels instead). */
  async reject(actor: Actor, id: string, cardVersion?: number, reason?: string): Promise<WorkflowResult> {
    const loaded = this.load(actor, id);
    if (!loaded.ok) return loaded;
    const check = await this.approvers.canApprove(actor, loaded.request);
    if (!check.ok) {
      const message = check.reason === 'own_request' ? 'You asked for this change: cancel it instead of rejecting it.' : check.message;
      return this.refused(actor, loaded.request, 'reject', { ...check, message });
    }
    const text = reason?.trim() ? reason.trim().slice(0, 1000) : undefined;
    const cas = this.store.transition(
      loaded.request.id,
      { from: ['pending'], ...(cardVersion !== undefined ? { version: cardVersion } : {}) },
      'rejected',
      actor,
      { approver: actor, ...(text ? { result: { reason: text } } : {}) },
      { reason: text ?? null, cardVersion: cardVersion ?? null },
    );
    if (!cas.ok) return this.casRefusal(cas.request ?? loaded.request, cardVersion);
    this.notify(cas.request, 'rejected');
    return { ok: true, request: cas.request };
  }

  /** Withdraw a pending request: its requester or any approver. */
  async cancel(actor: Actor, id: string, cardVersion?: number, reason?: string): Promise<WorkflowResult> {
    const loaded = this.load(actor, id);
    if (!loaded.ok) return loaded;
    const req = loaded.request;
    const mayCancel = sameId(req.requester.id, actor.id) || (await this.approvers.isApprover(actor));
    if (!mayCancel) {
      return this.refused(actor, req, 'cancel', {
        ok: false,
        reason: 'not_allowed',
        message: 'Only the person who asked for this change or an approver can cancel it.',
      });
    }
    const text = reason?.trim() ? reason.trim().slice(0, 1000) : undefined;
    const cas = this.store.transition(
      req.id,
      { from: ['pending'], ...(cardVersion !== undefined ? { version: cardVersion } : {}) },
      'cancelled',
      actor,
      text ? { result: { reason: text } } : {},
      { reason: text ?? null, cardVersion: cardVersion ?? null },
    );
    if (!cas.ok) return this.casRefusal(cas.request ?? req, cardVersion);
    this.notify(cas.request, 'cancelled');
    return { ok: true, request: cas.request };
  }

  /**
   * `undo <id>`: a new pending request for the reverse of a completed (or partial) change, after a
   * fresh preflight. It is approved like any other request.
   */
  async undo(actor: Actor, id: string, conversationKey?: string): Promise<WorkflowResult> {
    const loaded = this.load(actor, id);
    if (!loaded.ok) return loaded;
    const may = await this.mayRequest(actor);
    if (may) return may;
    const original = loaded.request;
    if (!UNDOABLE.includes(original.state)) {
      return refuse('not_allowed', `Only a completed change can be undone. ${describeState(original)}`, original);
    }
    const open = this.store.list({ undoOf: original.id, states: OPEN_STATES });
    if (open.length) {
      return refuse('not_allowed', `The undo of request ${original.id} was already asked for: request ${open[0].id}.`, open[0]);
    }
    const change = this.changeThatRan(original);
    if (change.assignments.length === 0) {
      return refuse('not_allowed', `Request ${original.id} changed nothing, so there is nothing to undo.`, original);
    }
    let spec: ChangeSpec;
    let preflight: PreflightResult;
    try {
      spec = this.licenses.reverse(change);
      preflight = await this.licenses.preflight(spec);
    } catch (err) {
      if (isLicensingError(err)) return refuse('blocked', `The undo cannot be prepared: ${err.message}`, original);
      throw err;
    }
    if (preflight.blocked) {
      return refuse('blocked', 'The undo is blocked by the preflight; see its findings.', original, preflight);
    }
    const created = await this.request(actor, spec, preflight, conversationKey, { undoOf: original.id });
    if (created.ok) this.store.appendAudit(original.id, actor, 'undo-requested', { undoRequestId: created.request.id });
    return created;
  }

  /** A request by id (`12`, `#12`), after expiring it if its time is up. */
  status(id: string, actor?: Actor): WorkflowResult {
    return this.load(actor ?? null, id, false);
  }

  /** The audit trail of one request, oldest first. */
  audit(id: string): AuditEntry[] {
    return this.store.audit(id);
  }

  /** Recent requests, newest first. */
  history(limit = 20, filter: { requesterId?: string; states?: readonly RequestState[] } = {}): ChangeRequest[] {
    this.expireDue();
    return this.store.list({ ...filter, limit });
  }

  /** Pending requests `actor` may approve (not their own unless self-approval is allowed). */
  async pending(actor: Actor): Promise<ChangeRequest[]> {
    if (!this.sameTenant(actor)) return [];
    this.expireDue();
    const out: ChangeRequest[] = [];
    for (const r of this.store.list({ states: ['pending'] })) {
      if ((await this.approvers.canApprove(actor, r)).ok) out.push(r);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Housekeeping

  /** Pending requests past their expiry become expired (with a notice). Returns those expired now. */
  expireDue(): ChangeRequest[] {
    const now = this.now().getTime();
    const out: ChangeRequest[] = [];
    for (const r of this.store.list({ states: ['pending'] })) {
      if (Date.parse(r.expiresAt) > now) continue;
      const e = this.expire(r);
      if (e) out.push(e);
    }
    return out;
  }

  /**
   * Finishes requests nobody is running: 'running' ones whose run lease has lapsed (read Graph to
   * see what the swap did, follow group processing, record and report; never call the swap
   * again), and 'approved' ones left before their re-check (re-check and run, or fail when the
   * approval is older than APPROVAL_TTL). Call at start-up; start() also calls it on its timer.
   */
  reconcile(): Promise<ChangeRequest[]> {
    if (!this.reconciling) {
      this.reconciling = this.spawn(this.reconcileNow()).finally(() => {
        this.reconciling = undefined;
      });
    }
    return this.reconciling;
  }

  /** Runs reconcile() now and then reconcile + expireDue every `everyMs` (default 60 s). */
  start(opts: { everyMs?: number } = {}): Promise<ChangeRequest[]> {
    this.stop();
    this.timer = setInterval(() => {
      try {
        this.expireDue();
      } catch (err) {
        this.log.error('requests.expire_failed', { error: errorMessage(err) });
      }
      this.reconcile().catch((err) => this.log.error('requests.reconcile_failed', { error: errorMessage(err) }));
    }, opts.everyMs ?? 60_000);
    this.timer.unref();
    try {
      this.resendOwedNotices();
    } catch (err) {
      this.log.error('requests.resend_failed', { error: errorMessage(err) });
    }
    this.expireDue();
    return this.reconcile();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resolves when every background run, re-check and notice started so far has finished. */
  async whenIdle(): Promise<void> {
    while (this.background.size) await Promise.allSettled([...this.background]);
  }

  /**
   * Runs an approved request: re-check, then (if nothing got worse) approved -> running and the
   * swap, awaited to the end. Only the caller that wins approved -> running runs the swap.
   */
  async runApproved(id: string): Promise<WorkflowResult> {
    const n = normalizeRequestId(id);
    const req = n === undefined ? undefined : this.store.get(n);
    if (!req) return refuse('unknown', `There is no request ${id}.`);
    if (req.state !== 'approved') return refuse('already_decided', describeState(req), req);
    const after = await this.proceed(req, true);
    return { ok: true, request: this.store.get(after.id) ?? after };
  }

  // ---------------------------------------------------------------------------------------------
  // Internals

  /** A refusal when REQUESTERS leaves `actor` out; undefined when they may ask. */
  private async mayRequest(actor: Actor): Promise<Refusal | undefined> {
    if (!this.requesters) return undefined;
    const check = await this.requesters.canRequest(actor);
    return check.ok ? undefined : refuse(check.reason, check.message);
  }

  private sameTenant(actor: Actor): boolean {
    return sameId(actor.tenantId, this.tenantId);
  }

  /** Tenant check, lookup, expiry; for an action (not a read), an expired request is refused. */
  private load(actor: Actor | null, id: string, action = true): { ok: true; request: ChangeRequest } | Refusal {
    if (actor && !this.sameTenant(actor)) {
      return refuse('wrong_tenant', 'Your activity comes from another tenant than the one this bot serves.');
    }
    const n = normalizeRequestId(id);
    const found = n === undefined ? undefined : this.store.get(n);
    if (!found) return refuse('unknown', `There is no request ${String(id).trim() || '(no id)'}.`);
    if (found.state === 'pending' && Date.parse(found.expiresAt) <= this.now().getTime()) {
      const expired = this.expire(found) ?? this.store.get(found.id) ?? found;
      if (action && expired.state === 'expired') return refuse('expired', `Request ${found.id} expired without a decision; ask again if it is still needed.`, expired);
      return { ok: true, request: expired };
    }
    if (action && found.state === 'expired') {
      return refuse('expired', `Request ${found.id} expired without a decision; ask again if it is still needed.`, found);
    }
    return { ok: true, request: found };
  }

  private expire(r: ChangeRequest): ChangeRequest | undefined {
    const res = this.store.transition(r.id, { from: ['pending'], version: r.version }, 'expired', null, {}, { expiresAt: r.expiresAt });
    if (!res.ok) return undefined;
    this.notify(res.request, 'expired');
    return res.request;
  }

  private refused(actor: Actor, request: ChangeRequest, action: string, check: Extract<ApprovalCheck, { ok: false }> | Refusal): Refusal {
    try {
      this.store.appendAudit(request.id, actor, 'refused', { action, reason: check.reason });
    } catch (err) {
      this.log.warn('request.audit_failed', { changeId: request.id, error: errorMessage(err) });
    }
    const r = refuse(check.reason, check.message, this.store.get(request.id) ?? request);
    if ('noApproversConfigured' in check && check.noApproversConfigured) r.noApproversConfigured = true;
    return r;
  }

  /** Why a compare-and-set from pending lost, from the request as it is now. */
  private casRefusal(current: ChangeRequest, cardVersion: number | undefined): Refusal {
    if (current.state === 'expired') {
      return refuse('expired', `Request ${current.id} expired without a decision; ask again if it is still needed.`, current);
    }
    if (current.state !== 'pending') return refuse('already_decided', describeState(current), current);
    return refuse(
      'stale',
      `This card is out of date (version ${cardVersion ?? '?'}, the request is at version ${current.version}); here is the current one.`,
      current,
    );
  }

  /** Re-check an approved request and either stop it (worse) or start the run. */
  /** `resumed`: reconcile picked it up after its approver's process stopped (recorded in the audit). */
  private async proceed(approved: ChangeRequest, awaitRun = false, resumed?: Record<string, unknown>): Promise<ChangeRequest> {
    const also = resumed ? { resumed } : {};
    let fresh: PreflightResult;
    try {
      fresh = await this.licenses.preflight(approved.spec);
    } catch (err) {
      const res = this.store.transition(
        approved.id,
        { from: ['approved'], version: approved.version },
        'failed',
        null,
        { result: { ...approved.result, error: `The change could not be checked again before running: ${errorMessage(err)}` } },
        { error: errorMessage(err), ...also },
      );
      if (!res.ok) return res.request ?? approved;
      this.notify(res.request, 'failed');
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
      const lines = worsened.length ? worsened : ['The change is now blocked.'];
      const res = this.store.transition(
        approved.id,
        { from: ['approved'], version: approved.version },
        'failed',
        null,
        { preflight: fresh, result: { ...approved.result, worsened: lines } },
        { ...recheck, worsened: lines, ...also },
        'worsened',
      );
      if (!res.ok) return res.request ?? approved;
      this.log.info?.('request.worsened', { changeId: approved.id, worsened: lines });
      this.notify(res.request, 'worsened');
      return res.request;
    }

    const startedAt = this.now().toISOString();
    const res = this.store.transition(
      approved.id,
      { from: ['approved'], version: approved.version },
      'running',
      null,
      { preflight: fresh, result: { ...approved.result, startedAt, ...(resumed ? { resumed: true } : {}) }, lease: this.newLease() },
      { ...recheck, ...also },
      'started',
    );
    if (!res.ok) return res.request ?? approved; // someone else started it: never a second run
    this.notify(res.request, 'started');
    const run = this.spawn(this.execute(res.request));
    if (awaitRun) return run;
    return res.request;
  }

  private newLease(): { owner: string; until: string } {
    return { owner: this.instanceId, until: new Date(this.now().getTime() + this.leaseMs).toISOString() };
  }

  /** Keeps this process's claim on a running request fresh until released. */
  private holdLease(id: string): { signal: AbortSignal; release(): void } {
    const ctrl = new AbortController();
    this.runningHere.add(id);
    const timer = setInterval(
      () => {
        try {
          const until = new Date(this.now().getTime() + this.leaseMs).toISOString();
          if (!this.store.renewLease(id, this.instanceId, until)) {
            this.log.warn('request.lease_lost', { changeId: id });
            ctrl.abort();
          }
        } catch (err) {
          this.log.warn('request.lease_renew_failed', { changeId: id, error: errorMessage(err) });
        }
      },
      Math.max(1000, Math.floor(this.leaseMs / 3)),
    );
    timer.unref();
    return {
      signal: ctrl.signal,
      release: () => {
        clearInterval(timer);
        this.runningHere.delete(id);
      },
    };
  }

  /** The swap, exactly once: only called for a request this process just moved to running. */
  private async execute(running: ChangeRequest): Promise<ChangeRequest> {
    const lease = this.holdLease(running.id);
    try {
      const change = running.preflight.change;
      this.store.appendAudit(running.id, null, 'swap-started', {
        principal: change.principal,
        from: change.from,
        to: change.to,
        calls: change.assignments.length,
        affectedUsers: change.affectedUsers,
      });
      let swap: SwapResult;
      let error: string | undefined;
      let recovered = false;
      try {
        swap = await this.licenses.swap(change);
      } catch (err) {
        if (isLicensingError(err) && (err.code === 'BLOCKED' || err.code === 'INVALID_INPUT')) {
          // The license service refused before writing anything.
          return this.finish(running, 'failed', { ...running.result, error: `Nothing was changed: ${err.message}` }, { error: err.message, code: err.code });
        }
        // Unknown how far it got: read Graph back rather than guess (and never call the swap again).
        this.log.warn('request.swap_failed_reading_back', { changeId: running.id, error: errorMessage(err) });
        error = `The swap call failed (${errorMessage(err)}); what changed was read back from Graph.`;
        recovered = true;
        swap = await this.verifyChange(change, running.result?.startedAt ?? running.updatedAt);
      }
      const rec = this.store.transition(
        running.id,
        { from: ['running'], version: running.version },
        'running',
        null,
        { result: { ...running.result, swap, ...(error ? { error } : {}), ...(recovered ? { recovered } : {}) } },
        summarizeSwap(swap),
        'swap-finished',
      );
      if (!rec.ok) {
        this.log.error('request.swap_record_failed', { changeId: running.id, state: rec.request?.state });
        return rec.request ?? running;
      }
      return await this.complete(rec.request, swap, lease.signal);
    } catch (err) {
      this.log.error('request.run_failed', { changeId: running.id, error: errorMessage(err) });
      const current = this.store.get(running.id) ?? running;
      if (current.state !== 'running' || lease.signal.aborted) return current;
      // Leave it running: reconcile() reads Graph and finishes it once the lease lapses.
      return current;
    } finally {
      lease.release();
    }
  }

  /** After the swap: follow group processing, then record the final state. */
  private async complete(req: ChangeRequest, swap: SwapResult, signal: AbortSignal): Promise<ChangeRequest> {
    const change = req.preflight.change;
    let tracking: TrackingReport | undefined;
    let trackingError: string | undefined;
    const groupAccepted = swap.outcomes.some((o) => o.status === 'accepted' && o.principal.kind === 'group');
    if (groupAccepted) {
      try {
        tracking = await this.licenses.track(change, {
          ...this.trackOptions,
          since: swap.startedAt,
          signal,
          onProgress: (p) => this.progress(req, p),
        });
      } catch (err) {
        if (signal.aborted) return this.store.get(req.id) ?? req;
        trackingError = `The swap was accepted but following Entra's processing failed (${errorMessage(err)}); check with status.`;
      }
      if (signal.aborted) return this.store.get(req.id) ?? req;
    }
    const state = finalState(swap, tracking, trackingError !== undefined);
    const result: RequestResult = { ...req.result, swap };
    const detail: Record<string, unknown> = { changed: swap.changed.length, failed: swap.failed.length };
    if (tracking) {
      const t = trimTracking(tracking);
      result.tracking = t.tracking;
      result.trackingTotals = t.totals;
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
      if (tracking.outcome === 'timeout' && !result.error) {
        result.error = `Entra was still processing the group (${tracking.processingState}) when the bot stopped watching; check with status.`;
      }
    }
    if (trackingError) {
      result.error = trackingError;
      detail.trackingError = trackingError;
    }
    return this.finish(req, state, result, detail);
  }

  private finish(req: ChangeRequest, state: 'completed' | 'failed' | 'partial', result: RequestResult, detail: Record<string, unknown>): ChangeRequest {
    const res = this.store.transition(req.id, { from: ['running'], version: req.version }, state, null, { result, lease: null }, detail);
    if (!res.ok) {
      this.log.error('request.finish_record_failed', { changeId: req.id, state: res.request?.state });
      return res.request ?? req;
    }
    this.log.info?.('request.finished', { changeId: req.id, state });
    this.notify(res.request, state);
    return res.request;
  }

  /** What the swap did, read back from Graph: target present and source gone, per call. */
  private async verifyChange(change: ResolvedChange, startedAt: string): Promise<SwapResult> {
    const outcomes: SwapOutcome[] = [];
    for (const a of change.assignments) {
      try {
        const st = await this.licenses.status(
          a.principal.kind === 'group' ? { kind: 'group', group: a.principal.id } : { kind: 'user', user: a.principal.id },
        );
        const direct = new Set(st.licenses.filter((l) => !l.assignedByGroup).map((l) => l.plan.skuId.toLowerCase()));
        const added = a.addLicenses.every((l) => direct.has(l.skuId.toLowerCase()));
        const removed = a.removeLicenses.every((s) => !direct.has(s.toLowerCase()));
        if (added && removed) outcomes.push({ principal: a.principal, status: a.principal.kind === 'group' ? 'accepted' : 'changed' });
        else outcomes.push({ principal: a.principal, status: 'failed', reason: 'Graph shows this part of the change was not made.' });
      } catch (err) {
        outcomes.push({
          principal: a.principal,
          status: 'failed',
          reason: `Could not read the current licenses back from Graph (${errorMessage(err)}); check by hand.`,
        });
      }
    }
    const ok = outcomes.filter((o) => o.status !== 'failed');
    return {
      kind: change.kind,
      outcomes,
      changed: ok.map((o) => o.principal),
      failed: outcomes.filter((o) => o.status === 'failed'),
      startedAt,
      finishedAt: this.now().toISOString(),
    };
  }

  private async reconcileNow(): Promise<ChangeRequest[]> {
    const out: ChangeRequest[] = [];
    const now = this.now().getTime();
    for (const r of this.store.list({ states: ['running'] })) {
      if (this.runningHere.has(r.id)) continue;
      const ownerGone = !!r.lease && this.isGone(r.lease.owner, this.instanceId);
      if (r.lease && Date.parse(r.lease.until) > now && !ownerGone) continue; // someone is running it
      const claim = this.store.transition(
        r.id,
        { from: ['running'], version: r.version },
        'running',
        null,
        { lease: this.newLease(), result: { ...r.result, resumed: true } },
        { previousLease: r.lease ?? null, why: ownerGone ? 'owner-gone' : 'lease-lapsed', swapRecorded: !!r.result?.swap },
        'reconcile-claimed',
      );
      if (!claim.ok) continue; // another process claimed it first
      this.log.warn('request.reconcile_claimed', { changeId: r.id, previousOwner: r.lease?.owner ?? null, why: ownerGone ? 'owner-gone' : 'lease-lapsed' });
      out.push(await this.finishLeftRunning(claim.request, ownerGone));
    }
    for (const r of this.store.list({ states: ['approved'] })) {
      // Approved but not yet running: normally its approver's process is re-checking it right now.
      // When that process is certainly gone, carry on at once; else give it time.
      const approvedBy = this.store
        .audit(r.id)
        .filter((e) => e.action === 'approved')
        .pop()?.detail.instance;
      const approverGone = typeof approvedBy === 'string' && approvedBy !== this.instanceId && this.isGone(approvedBy, this.instanceId);
      if (!approverGone && now - Date.parse(r.updatedAt) < Math.max(this.recheckBudgetMs * 10, 60_000)) continue; // being re-checked now
      if (now - Date.parse(r.updatedAt) > this.ttlMs) {
        const res = this.store.transition(
          r.id,
          { from: ['approved'], version: r.version },
          'failed',
          null,
          { result: { ...r.result, error: 'The bot stopped before this approved change ran, too long ago to run it now. Nothing was changed; ask again.' } },
          {},
          'reconciled',
        );
        if (res.ok) {
          this.notify(res.request, 'failed');
          out.push(res.request);
        }
        continue;
      }
      // Another process may take it at the same moment: proceed's compare-and-set lets one run it.
      const resumed = { approvedBy: approvedBy ?? null, why: approverGone ? 'approver-gone' : 'waited' };
      this.log.warn('request.reconcile_resumed', { changeId: r.id, ...resumed });
      out.push(await this.proceed(r, true, resumed));
    }
    return out;
  }

  private async finishLeftRunning(req: ChangeRequest, ownerGone = false): Promise<ChangeRequest> {
    const lease = this.holdLease(req.id);
    try {
      let current = req;
      let swap = req.result?.swap;
      if (!swap) {
        // The dead process may have had writes in flight: let them land before reading back.
        const wait = ownerGone ? this.startedAt + this.restartSettleMs - this.now().getTime() : 0;
        if (wait > 0) {
          this.log.info?.('request.reconcile_settling', { changeId: req.id, waitMs: wait });
          await new Promise((r) => setTimeout(r, wait));
        }
        swap = await this.verifyChange(req.preflight.change, req.result?.startedAt ?? req.updatedAt);
        const rec = this.store.transition(
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
      return await this.complete(current, swap, lease.signal);
    } catch (err) {
      this.log.error('request.reconcile_failed', { changeId: req.id, error: errorMessage(err) });
      return this.store.get(req.id) ?? req;
    } finally {
      lease.release();
    }
  }

  /** The change as it ran, limited to what actually changed (for undo of a partial run). */
  private changeThatRan(r: ChangeRequest): ResolvedChange {
    const change = r.preflight.change;
    const swap = r.result?.swap;
    if (!swap) return change;
    const ok = new Set(swap.outcomes.filter((o) => o.status !== 'failed').map((o) => `${o.principal.kind}:${o.principal.id.toLowerCase()}`));
    const assignments = change.assignments.filter((a) => ok.has(`${a.principal.kind}:${a.principal.id.toLowerCase()}`));
    if (assignments.length === change.assignments.length) return change;
    return { ...change, assignments, affectedUsers: change.kind === 'group' ? change.affectedUsers : assignments.length };
  }

  private spawn<T>(p: Promise<T>): Promise<T> {
    this.background.add(p);
    const done = () => this.background.delete(p);
    p.then(done, done);
    return p;
  }

  /** Notices go out in order per request, in the background; a failing notifier never breaks a run. */
  private notify(request: ChangeRequest, event: RequestEvent): void {
    this.enqueue(
      request.id,
      async () => {
        await this.notifier.changed(request, event);
        // Recorded only once sent: a notice lost with the process is sent again at the next start.
        this.store.markNotified(request.id, request.version);
      },
      event,
    );
  }

  /**
   * Notices owed when this process starts: requests changed (within the approval time, or a day)
   * whose last notice never went out because the process stopped first. Each gets the notice of
   * where it stands now; the cards it updates show the current state anyway.
   */
  private resendOwedNotices(): void {
    const since = new Date(this.now().getTime() - Math.max(this.ttlMs, 86_400_000)).toISOString();
    for (const r of this.store.list({ unnotified: true, updatedSince: since })) {
      const event = owedEvent(r, this.store.audit(r.id));
      this.log.info?.('notice.resent', { changeId: r.id, event, version: r.version, notifiedVersion: r.notifiedVersion ?? null });
      this.notify(r, event);
    }
  }

  private progress(request: ChangeRequest, p: TrackingProgress): void {
    if (this.notifier.progress) this.enqueue(request.id, () => this.notifier.progress!(request, p), 'progress');
  }

  private enqueue(id: string, send: () => Promise<void>, what: string): void {
    const prev = this.notices.get(id) ?? Promise.resolve();
    const next = prev.then(send).catch((err) => this.log.warn('notice.failed', { changeId: id, what, error: errorMessage(err) }));
    this.notices.set(id, next);
    this.spawn(next).then(() => {
      if (this.notices.get(id) === next) this.notices.delete(id);
    });
  }
}

const EVENTS: ReadonlySet<string> = new Set<RequestEvent>(['requested', 'approved', 'rejected', 'cancelled', 'expired', 'started', 'worsened', 'completed', 'failed', 'partial']);
const EVENT_OF_STATE: Record<RequestState, RequestEvent> = {
  pending: 'requested',
  approved: 'approved',
  rejected: 'rejected',
  cancelled: 'cancelled',
  expired: 'expired',
  running: 'started',
  completed: 'completed',
  partial: 'partial',
  failed: 'failed',
};

/** The notice a request is owed: its last transition's event (e.g. "worsened"), or its state's. */
export function owedEvent(r: ChangeRequest, audit: AuditEntry[]): RequestEvent {
  for (let i = audit.length - 1; i >= 0; i--) {
    const e = audit[i]!;
    if (e.toState !== r.state) continue;
    if (EVENTS.has(e.action)) return e.action as RequestEvent;
    break;
  }
  return EVENT_OF_STATE[r.state];
}

// Request actions, the four eyes: ask, approve, reject, cancel, undo, and the reads behind
// status, history and pending. Identity comes from the activity (Actor); card data carries only
// the request id and version, so a stale card or a Teams retry is recognised. Every decision is a
// compare-and-set from pending: of two clicks (or two processes) one wins and the other gets the
// request as it now stands. User errors never throw: every action answers a WorkflowResult.
import type { ChangeSpec, PreflightResult } from '../licensing/model';
import { sameId, type ApprovalCheck } from './approvers';
import type { ApprovalPolicy, RequestPolicy, WorkflowContext } from './context';
import type { Deadlines } from './expiry';
import { errorMessage } from './errors';
import { normalizeRequestId } from './request-id';
import type { NoticeOutbox } from './outbox';
import { findDuplicatePending } from './duplicates';
import { describeState, refuse, refuseExpired, WRONG_TENANT, type Refusal } from './refusals';
import { blockedMessage } from './resume-check';
import type { Runner } from './runner';
import { prepareUndo } from './undo';
import type { Actor, AuditEntry, ChangeRequest, RequestState, WorkflowResult } from './types';
import type { WaveRunner } from './wave-runner';

const OPEN_STATES: readonly RequestState[] = ['pending', 'approved', 'running', 'paused'];

export interface ActionsOptions {
  approvers: ApprovalPolicy;
  /** REQUESTERS: when given, request() and undo() are refused to anyone else. */
  requesters?: RequestPolicy;
  /** The only tenant whose activities are accepted. */
  tenantId: string;
  /** approve() waits at most this long for the re-check before answering with the request as approved. */
  recheckBudgetMs: number;
}

export class RequestActions {
  constructor(
    private readonly ctx: WorkflowContext,
    private readonly outbox: NoticeOutbox,
    private readonly runner: Runner,
    private readonly deadlines: Deadlines,
    private readonly opts: ActionsOptions,
    private readonly waves: WaveRunner,
  ) {}

  /** A new pending request. `preflight` is the one the requester saw; a blocked one is refused. */
  async request(actor: Actor, spec: ChangeSpec, preflight: PreflightResult, conversationKey?: string, extra: { undoOf?: string } = {}): Promise<WorkflowResult> {
    if (!this.sameTenant(actor)) return refuse('wrong_tenant', WRONG_TENANT);
    const may = await this.mayRequest(actor);
    if (may) return may;
    if (preflight.blocked) {
      return refuse('blocked', 'The preflight found blocking problems; fix them before asking for approval.', undefined, preflight);
    }
    // Usage locations: the approval covers exactly the people the requester saw them set for
    // (someone found without one later blocks the re-check at approval instead of being changed).
    const fix = preflight.change.setUsageLocation;
    if (spec.setUsageLocation && fix) spec = { ...spec, setUsageLocation: { country: fix.country, userIds: fix.users.map((p) => p.id) } };
    // Asked again for the same change while it waits: the same request, approvers not asked twice.
    const same = await findDuplicatePending(this.ctx.store, actor, preflight.change, { now: this.ctx.now(), ...(extra.undoOf ? { undoOf: extra.undoOf } : {}) });
    if (same) return { ok: true, request: same };
    const request = await this.ctx.store.create({
      spec,
      preflight,
      requester: actor,
      ttlMs: this.ctx.ttlMs,
      ...(extra.undoOf ? { undoOf: extra.undoOf } : {}),
      ...(conversationKey ? { conversationKey } : {}),
    });
    this.ctx.log.info?.('request.created', { changeId: request.id, requester: actor.id });
    this.outbox.notify(request, 'requested');
    return { ok: true, request };
  }

  /**
   * Approve from a card. `cardVersion` is the version the card was rendered from (undefined: no
   * version check, e.g. a typed command). Answers with the request as it stands after the
   * re-check (running, or failed with result.worsened), or as approved when the re-check takes
   * longer than the budget; the run itself is never awaited here.
   */
  async approve(actor: Actor, id: string, cardVersion?: number, reason?: string): Promise<WorkflowResult> {
    const { store, log, tasks, instanceId } = this.ctx;
    const loaded = await this.load(actor, id);
    if (!loaded.ok) return loaded;
    const check = await this.opts.approvers.canApprove(actor, loaded.request);
    if (!check.ok) return this.refused(actor, loaded.request, 'approve', check);

    // The approver's reason is kept like a rejection's: on the request and in the audit trail.
    const text = reason?.trim() ? reason.trim().slice(0, 1000) : undefined;
    const cas = await store.transition(
      loaded.request.id,
      { from: ['pending'], ...(cardVersion !== undefined ? { version: cardVersion } : {}) },
      'approved',
      actor,
      { approver: actor, ...(text ? { result: { reason: text } } : {}) },
      // The instance that re-checks and runs it: if it dies before the run starts, a restart
      // knows at once that nobody is on it.
      { cardVersion: cardVersion ?? null, instance: instanceId, reason: text ?? null },
    );
    if (!cas.ok) return this.casRefusal(cas.request ?? loaded.request, cardVersion);
    const approved = cas.request;
    log.info?.('request.approved', { changeId: approved.id, approver: actor.id });
    this.outbox.notify(approved, 'approved');

    const next = tasks.spawn(this.runner.proceed(approved));
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, this.opts.recheckBudgetMs, undefined);
    });
    const settled = await Promise.race([next.catch(() => undefined), budget]);
    clearTimeout(timer);
    return { ok: true, request: settled ?? (await store.get(approved.id)) ?? approved };
  }

  /**
   * REPROCESS_APPROVAL=none: a reprocess runs at once for someone allowed to ask for changes. It is
   * still a request (history, status, the audit trail, the completion notice, run exactly once),
   * approved by the rule: the audit row names REPROCESS_APPROVAL=none and who asked.
   */
  async reprocessNow(actor: Actor, spec: ChangeSpec, preflight: PreflightResult, conversationKey?: string): Promise<WorkflowResult> {
    if (!this.sameTenant(actor)) return refuse('wrong_tenant', WRONG_TENANT);
    const may = await this.mayRequest(actor);
    if (may) return may;
    if (!spec.reprocess || !preflight.change.reprocess) return refuse('not_allowed', 'Only a reprocess runs without a second approval.');
    if (preflight.blocked) return refuse('blocked', 'There is nothing to reprocess.', undefined, preflight);
    const request = await this.ctx.store.create({ spec, preflight, requester: actor, ttlMs: this.ctx.ttlMs, ...(conversationKey ? { conversationKey } : {}) });
    const cas = await this.ctx.store.transition(
      request.id,
      { from: ['pending'], version: request.version },
      'approved',
      actor,
      { approver: actor },
      { rule: 'REPROCESS_APPROVAL=none', instance: this.ctx.instanceId },
    );
    if (!cas.ok) return refuse('already_decided', describeState(cas.request ?? request), cas.request ?? request);
    this.ctx.log.info?.('request.reprocess_started', { changeId: request.id, requester: actor.id, users: preflight.change.affectedUsers });
    this.outbox.notify(cas.request, 'approved');
    const next = this.ctx.tasks.spawn(this.runner.proceed(cas.request));
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, this.opts.recheckBudgetMs, undefined);
    });
    const settled = await Promise.race([next.catch(() => undefined), budget]);
    clearTimeout(timer);
    return { ok: true, request: settled ?? (await this.ctx.store.get(request.id)) ?? cas.request };
  }

  /** Reject from a card (approvers only; the requester cancels instead). */
  async reject(actor: Actor, id: string, cardVersion?: number, reason?: string): Promise<WorkflowResult> {
    const loaded = await this.load(actor, id);
    if (!loaded.ok) return loaded;
    const check = await this.opts.approvers.canApprove(actor, loaded.request);
    if (!check.ok) {
      const message = check.reason === 'own_request' ? 'You asked for this change: cancel it instead of rejecting it.' : check.message;
      return this.refused(actor, loaded.request, 'reject', { ...check, message });
    }
    const text = reason?.trim() ? reason.trim().slice(0, 1000) : undefined;
    const cas = await this.ctx.store.transition(
      loaded.request.id,
      { from: ['pending'], ...(cardVersion !== undefined ? { version: cardVersion } : {}) },
      'rejected',
      actor,
      { approver: actor, ...(text ? { result: { reason: text } } : {}) },
      { reason: text ?? null, cardVersion: cardVersion ?? null },
    );
    if (!cas.ok) return this.casRefusal(cas.request ?? loaded.request, cardVersion);
    this.outbox.notify(cas.request, 'rejected');
    return { ok: true, request: cas.request };
  }

  /**
   * Withdraw a pending request, or stop a change running in waves: the waves not yet run are not
   * run (paused: at once; running: once the wave being sent is recorded). Its requester or any
   * approver.
   */
  async cancel(actor: Actor, id: string, cardVersion?: number, reason?: string): Promise<WorkflowResult> {
    const loaded = await this.load(actor, id);
    if (!loaded.ok) return loaded;
    const req = loaded.request;
    const denied = await this.mayControl(actor, req, 'cancel', 'Only the person who asked for this change or an approver can cancel it.');
    if (denied) return denied;
    const text = reason?.trim() ? reason.trim().slice(0, 1000) : undefined;
    if (req.result?.waves && (req.state === 'running' || req.state === 'paused')) return this.cancelWaves(actor, req, cardVersion, text);
    const cas = await this.ctx.store.transition(
      req.id,
      { from: ['pending'], ...(cardVersion !== undefined ? { version: cardVersion } : {}) },
      'cancelled',
      actor,
      { result: { ...(text ? { reason: text } : {}), cancelledBy: actor } },
      { reason: text ?? null, cardVersion: cardVersion ?? null },
    );
    if (!cas.ok) {
      // Lost to a run that started in waves meanwhile: cancel its waves instead.
      const now = cas.request;
      if (now?.result?.waves && (now.state === 'running' || now.state === 'paused') && cardVersion === undefined) return this.cancelWaves(actor, now, undefined, text);
      return this.casRefusal(now ?? req, cardVersion);
    }
    this.outbox.notify(cas.request, 'cancelled');
    return { ok: true, request: cas.request };
  }

  private async cancelWaves(actor: Actor, req: ChangeRequest, cardVersion: number | undefined, reason: string | undefined): Promise<WorkflowResult> {
    if (req.state === 'paused') {
      const done = await this.waves.cancelled(req, actor, reason, 'paused', cardVersion);
      if (done.state === 'cancelled' && done.version !== req.version) return { ok: true, request: done };
      return this.waveRefusal(done, cardVersion, 'cancel');
    }
    // Running: a card's version is not checked (every wave bumps it; the wish is clear).
    const asked = await this.waves.askStop(req.id, 'cancel', actor, reason);
    if (asked.ok) return { ok: true, request: asked.request };
    const now = asked.request ?? req;
    if (now.state === 'paused') return this.cancelWaves(actor, now, undefined, reason);
    return this.waveRefusal(now, undefined, 'cancel');
  }

  /**
   * `pause 12`: a change running in waves stops before its next wave (the wave being sent is
   * finished and recorded first). The requester or an approver.
   */
  async pause(actor: Actor, id: string, reason?: string): Promise<WorkflowResult> {
    const loaded = await this.load(actor, id);
    if (!loaded.ok) return loaded;
    const req = loaded.request;
    const denied = await this.mayControl(actor, req, 'pause', 'Only the person who asked for this change or an approver can pause it.');
    if (denied) return denied;
    if (req.state === 'paused') return { ok: true, request: req }; // already paused: nothing to do
    if (req.state !== 'running' || !req.result?.waves) return this.waveRefusal(req, undefined, 'pause');
    const text = reason?.trim() ? reason.trim().slice(0, 1000) : undefined;
    const asked = await this.waves.askStop(req.id, 'pause', actor, text);
    if (asked.ok) return { ok: true, request: asked.request };
    const now = asked.request ?? req;
    if (now.state === 'paused') return { ok: true, request: now };
    return this.waveRefusal(now, undefined, 'pause');
  }

  /**
   * `resume 12`: a paused change carries on from its next wave, once its remaining people pass the
   * check again (wave-runner.ts resume). A blocking finding: refused as `recheck_blocked`, still
   * paused, with the request (its `result.waves.recheck` says why). The requester or an approver.
   */
  async resume(actor: Actor, id: string, cardVersion?: number, opts: { handOver?: boolean } = {}): Promise<WorkflowResult> {
    const loaded = await this.load(actor, id);
    if (!loaded.ok) return loaded;
    let req = loaded.request;
    const denied = await this.mayControl(actor, req, 'resume', 'Only the person who asked for this change or an approver can resume it.');
    if (denied) return denied;
    // A stale card is refused before anything is read.
    if (req.state !== 'paused' || !req.result?.waves || (cardVersion !== undefined && cardVersion !== req.version)) return this.waveRefusal(req, cardVersion, 'resume');
    for (let attempt = 0; ; attempt++) {
      const res = await this.waves.resume(req, actor, cardVersion, opts.handOver);
      if (res.ok) return { ok: true, request: res.request };
      if (res.blocked && res.request) return refuse('recheck_blocked', blockedMessage(res.request.id, res.request.result!.waves!.recheck!), res.request);
      const now = res.request ?? req;
      // Typed, and the request moved meanwhile but is still paused (another check was recorded): check again on it.
      if (cardVersion === undefined && now.state === 'paused' && now.version !== req.version && now.result?.waves && attempt < 2) {
        req = now;
        continue;
      }
      return this.waveRefusal(now, cardVersion, 'resume');
    }
  }

  /** The requester or an approver may pause, resume or cancel; anyone else is refused (audited). */
  private async mayControl(actor: Actor, req: ChangeRequest, action: string, message: string): Promise<Refusal | undefined> {
    if (sameId(req.requester.id, actor.id) || (await this.opts.approvers.isApprover(actor))) return undefined;
    return this.refused(actor, req, action, { ok: false, reason: 'not_allowed', message });
  }

  /** Pause, resume or cancel found the request somewhere that means nothing. */
  private waveRefusal(current: ChangeRequest, cardVersion: number | undefined, action: 'pause' | 'resume' | 'cancel'): Refusal {
    if (current.state === 'expired') return refuseExpired(current);
    if (cardVersion !== undefined && current.version !== cardVersion && (current.state === 'paused' || current.state === 'running'))
      return refuse('stale', `This card is out of date (version ${cardVersion}, the request is at version ${current.version}); here is the current one.`, current);
    const what =
      action === 'resume'
        ? 'Only a paused change can be resumed.'
        : action === 'pause'
          ? 'Only a change running in waves can be paused.'
          : 'Only a waiting request or a change running in waves can be cancelled.';
    return refuse('wrong_state', `${what} ${describeState(current)}`, current);
  }

  /**
   * `undo <id>`: a new pending request for the reverse of a completed (or partial) change, after a
   * fresh preflight. It is approved like any other request.
   */
  async undo(actor: Actor, id: string, conversationKey?: string): Promise<WorkflowResult> {
    const loaded = await this.load(actor, id);
    if (!loaded.ok) return loaded;
    const may = await this.mayRequest(actor);
    if (may) return may;
    const original = loaded.request;
    if (original.spec.reprocess) return refuse('not_allowed', 'A reprocess assigns nothing, so there is nothing to undo.', original);
    const [openUndo] = await this.ctx.store.list({ undoOf: original.id, states: OPEN_STATES, limit: 1 });
    const prepared = await prepareUndo(this.ctx.licenses, original, openUndo);
    if (!prepared.ok) return prepared;
    const created = await this.request(actor, prepared.spec, prepared.preflight, conversationKey, { undoOf: original.id });
    if (created.ok) await this.ctx.store.appendAudit(original.id, actor, 'undo-requested', { undoRequestId: created.request.id });
    return created;
  }

  /** A request by id (`12`, `#12`), after expiring it if its time is up. */
  status(id: string, actor?: Actor): Promise<WorkflowResult> {
    return this.load(actor ?? null, id, false);
  }

  /** The audit trail of one request, oldest first. */
  audit(id: string): Promise<AuditEntry[]> {
    return this.ctx.store.audit(id);
  }

  /** Recent requests, newest first. */
  async history(limit = 20, filter: { requesterId?: string; states?: readonly RequestState[] } = {}): Promise<ChangeRequest[]> {
    await this.deadlines.expireDue();
    return this.ctx.store.list({ ...filter, limit });
  }

  /** Pending requests `actor` may approve (not their own unless self-approval is allowed). */
  async pending(actor: Actor): Promise<ChangeRequest[]> {
    if (!this.sameTenant(actor)) return [];
    await this.deadlines.expireDue();
    const out: ChangeRequest[] = [];
    for (const r of await this.ctx.store.list({ states: ['pending'] })) {
      if ((await this.opts.approvers.canApprove(actor, r)).ok) out.push(r);
    }
    return out;
  }

  /**
   * Runs an approved request: re-check, then (if nothing got worse) approved -> running and the
   * swap, awaited to the end. Only the caller that wins approved -> running runs the swap.
   */
  async runApproved(id: string): Promise<WorkflowResult> {
    const n = normalizeRequestId(id);
    const req = n === undefined ? undefined : await this.ctx.store.get(n);
    if (!req) return refuse('unknown', `There is no request ${id}.`);
    if (req.state !== 'approved') return refuse('already_decided', describeState(req), req);
    const after = await this.runner.proceed(req, true);
    return { ok: true, request: (await this.ctx.store.get(after.id)) ?? after };
  }

  /** A refusal when REQUESTERS leaves `actor` out; undefined when they may ask. */
  private async mayRequest(actor: Actor): Promise<Refusal | undefined> {
    if (!this.opts.requesters) return undefined;
    const check = await this.opts.requesters.canRequest(actor);
    return check.ok ? undefined : refuse(check.reason, check.message);
  }

  private sameTenant(actor: Actor): boolean {
    return sameId(actor.tenantId, this.opts.tenantId);
  }

  /** Tenant check, lookup, expiry; for an action (not a read), an expired request is refused. */
  private async load(actor: Actor | null, id: string, action = true): Promise<{ ok: true; request: ChangeRequest } | Refusal> {
    if (actor && !this.sameTenant(actor)) return refuse('wrong_tenant', WRONG_TENANT);
    const n = normalizeRequestId(id);
    const found = n === undefined ? undefined : await this.ctx.store.get(n);
    if (!found) return refuse('unknown', `There is no request ${String(id).trim() || '(no id)'}.`);
    if (this.deadlines.isOverdue(found)) {
      const expired = (await this.deadlines.expire(found)) ?? (await this.ctx.store.get(found.id)) ?? found;
      if (action && expired.state === 'expired') return refuseExpired(expired);
      return { ok: true, request: expired };
    }
    if (action && found.state === 'expired') return refuseExpired(found);
    return { ok: true, request: found };
  }

  private async refused(actor: Actor, request: ChangeRequest, action: string, check: Extract<ApprovalCheck, { ok: false }> | Refusal): Promise<Refusal> {
    const { store, log } = this.ctx;
    try {
      await store.appendAudit(request.id, actor, 'refused', { action, reason: check.reason });
    } catch (err) {
      log.warn('request.audit_failed', { changeId: request.id, error: errorMessage(err) });
    }
    const r = refuse(check.reason, check.message, (await store.get(request.id)) ?? request);
    if ('noApproversConfigured' in check && check.noApproversConfigured) r.noApproversConfigured = true;
    return r;
  }

  /** Why a compare-and-set from pending lost, from the request as it is now. */
  private casRefusal(current: ChangeRequest, cardVersion: number | undefined): Refusal {
    if (current.state === 'expired') return refuseExpired(current);
    if (current.state !== 'pending') return refuse('already_decided', describeState(current), current);
    return refuse('stale', `This card is out of date (version ${cardVersion ?? '?'}, the request is at version ${current.version}); here is the current one.`, current);
  }
}

// Change requests: the four-eyes workflow around a license change. Plain TypeScript; the bot
// turns clicks into calls here and renders what comes back. Identity always comes from the
// activity (Actor), never from card data.
import type {
  AdoptProgress,
  AdoptSkip,
  ChangeSpec,
  FailureCause,
  Finding,
  FindingCode,
  PreflightResult,
  PrincipalRef,
  RunError,
  SwapResult,
  TrackingReport,
  TrackingProgress,
  UsageLocationWhy,
  WaveSettings,
} from '../licensing/model';

export const REQUEST_STATES = ['pending', 'approved', 'running', 'paused', 'completed', 'failed', 'partial', 'rejected', 'cancelled', 'expired'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
export const FINAL_STATES: readonly RequestState[] = ['completed', 'failed', 'partial', 'rejected', 'cancelled', 'expired'];

/** The person behind an activity: from.aadObjectId and the activity's tenant. */
export interface Actor {
  id: string;
  tenantId: string;
  name?: string;
}

/** A finding as a worsened line names it: its code and data (the message tables say it). */
export interface FindingRef {
  code: FindingCode;
  data: Record<string, unknown>;
}

/** One thing the re-check before a run found worse than at the request (src/requests/compare.ts). */
export type Worsened =
  /** The names now resolve to another change (principal or plans) than the one approved. */
  | { code: 'differentChange'; now: { name: string; from: string[]; to: string[] }; approved: { name: string; from: string[]; to: string[] } }
  /** Fewer seats than needed for a target plan; `then`: the figures at the request. */
  | { code: 'seatsShort'; plan: string; available: number; needed: number; then?: { available: number; needed: number } }
  | { code: 'newBlock' | 'newWarning' | 'nowBlocking'; finding: FindingRef }
  /** The same problem about more people: `now` and `was` people in all. */
  | { code: 'morePeople'; finding: FindingRef; added: number; now: number; was: number }
  /** Blocked for a reason none of the above names: the blocking findings. */
  | { code: 'nowBlocked'; findings: FindingRef[] };

export interface RequestResult {
  swap?: SwapResult;
  tracking?: TrackingReport;
  /** Why the run stopped before or during the swap, in plain English (the log; rows stored before hold only this). */
  error?: string;
  /** The same as a code and data: the cards say it in the reader's language (src/i18n/run-error.ts). */
  runError?: RunError;
  /** Re-preflight at approval found things worse: what changed, as codes and data (compare.ts worsenedText says it); older rows hold English lines. */
  worsened?: (Worsened | string)[];
  /** Why it was approved, rejected or cancelled, as the person who decided gave it. */
  reason?: string;
  /** Who cancelled it (the requester or an approver). */
  cancelledBy?: Actor;
  /** When the run started (approved -> running). */
  startedAt?: string;
  /** The swap's outcome was read back from Graph (the process running it stopped or lost its answer). */
  recovered?: boolean;
  /** The process running it stopped (crash, restart) and another run of the bot finished it. */
  resumed?: boolean;
  /** Group: members processed beyond the direct members counted at the check (they joined while it ran). */
  membersJoined?: number;
  /** Full sizes of the tracking lists: `tracking` keeps at most the first 100 of each. */
  trackingTotals?: { done: number; errors: number; stillHoldingSource: number };
  /** Adopt: how far the run got and whose direct copies went or stayed (lists cut to 100). */
  adopt?: AdoptResult;
  /** A change run in waves: the plan, each wave's outcome, where it stands (src/requests/waves.ts). */
  waves?: WaveRun;
}

/** Adopt: how far the run got (src/licensing/adopt-run.ts). */
export type AdoptResult = AdoptProgress;

/** One person a wave did not change, and why (plain English; `code` lets the bot say it in the reader's language). */
export interface WaveMiss {
  principal: PrincipalRef;
  /** refused: Graph refused the call; unconfirmed: Graph does not show the change; error: the license is in error; skipped: the kind's check left them out (not ready). */
  kind: 'refused' | 'unconfirmed' | 'error' | 'skipped';
  /** Graph's error code (refused) or Entra's error value (error), when there is one. */
  code?: string;
  /** The cause in a word, so the bot can say it in the reader's language (waves.ts missCause). */
  cause?: WaveMissCause;
  /** An adopt's check left them out: why, as codes and data (said in the reader's language). */
  adopt?: AdoptSkip;
  /** Their usage location could not be set, so no license call was made: why, as a code. */
  usageLocationWhy?: UsageLocationWhy;
  /** Plain English, for the log and the audit; an adopt's skipped members have `adopt` instead (older rows: this only). */
  reason?: string;
}

export type WaveMissCause =
  'usage-location' | 'no-seats' | 'clash' | 'dependency' | 'location-not-allowed' | 'throttled' | 'not-found' | 'forbidden' | 'not-shown' | 'not-made' | 'other';

/** What one wave did, recorded before the next starts. */
export interface WaveRecord {
  /** 0 is the pilot. */
  index: number;
  /** People planned in this wave. */
  people: number;
  /** People whose change Graph shows. */
  done: number;
  /** Refused, unconfirmed or in error: they count towards the error share. At most 100 kept. */
  failed: WaveMiss[];
  failedCount: number;
  /** Left out by the kind's check before the wave (not counted as errors). At most 100 kept. */
  skipped: WaveMiss[];
  skippedCount: number;
  /** Of the skipped: people the check before resuming found no longer need the change (they count as done for the final state). */
  notNeededCount?: number;
  /** failedCount / people sent (0 when nobody was sent). */
  errorShare: number;
  startedAt: string;
  finishedAt: string;
  /** The process sending it stopped before recording it: what it did was read back from Graph. */
  recovered?: boolean;
}

/** A change run in waves, as recorded in the store (RequestResult.waves). */
export interface WaveRun {
  settings: WaveSettings;
  /** People (per-person calls) in the whole change. */
  total: number;
  /** Number of waves, the pilot included. */
  count: number;
  /** The next wave to send (count when every wave ran). */
  next: number;
  /** A wave sent but not yet recorded (set before sending): after a crash it is read back, never sent again. */
  inFlight?: { index: number; startedAt: string; skipped?: WaveMiss[] };
  waves: WaveRecord[];
  /** Why the run is paused (state paused): automatically after a wave, or by a person. */
  pause?: {
    by: Actor | null;
    at: string;
    wave: number;
    errorShare?: number;
    /** The check before wave `wave` could not run (a code and data); nothing of that wave was sent. */
    checkFailed?: FailureCause;
    /** Rows stored before checkFailed: why, in English (shown as stored). */
    reason?: string;
  };
  /** Asked while a wave was being sent: honoured once it is recorded. */
  stop?: { action: 'pause' | 'cancel'; by: Actor; at: string; reason?: string };
  /** Who resumed it last, and when. */
  resumed?: { by: Actor; at: string };
  /** The last check of the remaining people before a resume (resume-check.ts): blocked (still paused) or passed. */
  recheck?: ResumeCheck;
  /** People the check before resuming left out of their wave, by lower-case user id: why (a ResumeSkipCode). */
  leaveOut?: Record<string, ResumeSkipCode>;
  /** Waves not run because the run was cancelled. */
  cancelledWaves?: number;
}
/**
 * Why the check before resuming leaves someone out of their wave: they hold the target already,
 * are no longer in the tenant (both: they no longer need the change), or no longer hold the plan
 * to remove (nothing to replace; they are left as they are).
 */
export type ResumeSkipCode = 'target-held' | 'not-in-tenant' | 'source-gone';

/** The remaining people of a paused run checked again before it resumes (src/requests/resume-check.ts). */
export interface ResumeCheck {
  at: string;
  by: Actor;
  /** People of the waves not yet run. */
  people: number;
  /** A finding still blocks: nothing was sent, the run stays paused. */
  blocked: boolean;
  /** The preflight's blocking findings and warnings for the people who would be sent (names cut to 10; `people` counts them all). */
  findings: (Finding & { people: number })[];
  /** Left out of their wave, and why (at most 100 kept). */
  skipped: { principal: PrincipalRef; code: ResumeSkipCode }[];
  skippedCount: number;
  /** The check itself could not run (Graph did not answer): nothing was sent. Said from its code and data. */
  failure?: FailureCause;
  /** Rows stored before `failure`: why the check could not run, in English (shown as stored). */
  error?: string;
}

export interface ChangeRequest {
  /** Short id people type: `status 12`, `undo 12`. */
  id: string;
  /** Bumped by every transition; cards carry it so a stale card is recognised. */
  version: number;
  state: RequestState;
  spec: ChangeSpec;
  preflight: PreflightResult;
  requester: Actor;
  approver?: Actor;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  /** Set when this request is the undo of another. */
  undoOf?: string;
  /** Conversation the request was made in (key into the conversation references). */
  conversationKey?: string;
  result?: RequestResult;
  /** While running: which process runs it and until when its claim holds (renewed while it works). */
  lease?: RequestLease;
  /** The last version whose notice was sent; below `version` when a notice is still owed (a restart sends it). */
  notifiedVersion?: number;
}

export interface RequestLease {
  owner: string;
  until: string;
}

export interface AuditEntry {
  seq: number;
  requestId: string;
  at: string;
  actor: Actor | null;
  action: string;
  fromState: RequestState | null;
  toState: RequestState | null;
  detail: Record<string, unknown>;
}

export type TransitionResult = { ok: true; request: ChangeRequest } | { ok: false; reason: 'unknown' | 'state' | 'version'; request?: ChangeRequest };

/**
 * The store port: durable requests, their audit trail, run leases and the notice outbox. SQLite
 * (src/state/sqlite-store.ts) and PostgreSQL implement it; the workflow only ever sees this.
 * Every method answers a Promise. Every transition is a compare-and-set on (state, version)
 * that appends its audit row in the same transaction, so of two racing callers (two clicks, two
 * processes, two instances) exactly one wins.
 */
export interface RequestStore {
  create(input: { spec: ChangeSpec; preflight: PreflightResult; requester: Actor; ttlMs: number; undoOf?: string; conversationKey?: string }): Promise<ChangeRequest>;
  /** By id as people type it ("12", "#12", "R12"); undefined when there is none. */
  get(id: string): Promise<ChangeRequest | undefined>;
  transition(
    id: string,
    expect: { from: readonly RequestState[]; version?: number },
    to: RequestState,
    actor: Actor | null,
    patch?: { approver?: Actor; result?: RequestResult; preflight?: PreflightResult; lease?: RequestLease | null },
    detail?: Record<string, unknown>,
    /** Audit action name; defaults to the target state. */
    action?: string,
  ): Promise<TransitionResult>;
  /** Newest first. */
  list(filter?: RequestFilter): Promise<ChangeRequest[]>;
  /** Records that the notice of `version` went out (never lowers what is recorded). No version bump, no audit. */
  markNotified(id: string, version: number): Promise<void>;
  /** Extends a running request's lease if `owner` still holds it; false when it does not. No version bump, no audit. */
  renewLease(id: string, owner: string, until: string): Promise<boolean>;
  /**
   * One-off notices that are not a state change (the approval reminder): true for exactly one
   * caller per (id, kind), who then sends and calls markNoticeSent. A claim never marked sent
   * is given again once `claim.until` has passed by the store's clock (its sender died), so a
   * notice is neither sent twice while its sender lives nor lost when it dies. No version bump.
   */
  claimNotice(id: string, kind: string, claim: RequestLease): Promise<boolean>;
  markNoticeSent(id: string, kind: string): Promise<void>;
  /** Gives an unsent claim back (its send failed): the next claimNotice, by anyone, gets it at once. */
  releaseNotice(id: string, kind: string, owner: string): Promise<void>;
  /**
   * Once-only notices of the error watch (a member's license error in a watched group), keyed by
   * `key`, not by a request: the same rules as claimNotice / markNoticeSent / releaseNotice.
   */
  claimWatchNotice(key: string, claim: RequestLease): Promise<boolean>;
  markWatchNoticeSent(key: string): Promise<void>;
  releaseWatchNotice(key: string, owner: string): Promise<void>;
  /** Oldest first. */
  audit(requestId: string): Promise<AuditEntry[]>;
  appendAudit(requestId: string, actor: Actor | null, action: string, detail: Record<string, unknown>): Promise<void>;
  close(): Promise<void> | void;
}

export interface RequestFilter {
  states?: readonly RequestState[];
  requesterId?: string;
  undoOf?: string;
  limit?: number;
  /** Only requests whose last notice has not gone out (notifiedVersion < version). */
  unnotified?: boolean;
  /** Only requests changed at or after this ISO time. */
  updatedSince?: string;
}

/** What the workflow tells the outside world; the bot implements it with proactive messages. */
export interface RequestNotifier {
  /** Request created, approved, rejected, cancelled, expired, started, finished… */
  changed(request: ChangeRequest, event: RequestEvent): Promise<void>;
  progress?(request: ChangeRequest, progress: TrackingProgress): Promise<void>;
  /** A pending request nobody decided by APPROVAL_REMINDER: remind the approvers (once per request). */
  reminder?(request: ChangeRequest): Promise<void>;
}

export type RequestEvent =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'started'
  | 'worsened'
  | 'completed'
  | 'failed'
  | 'partial'
  /** A wave was recorded (cards show the progress), or a pause/cancel was asked for while one was sent. */
  | 'wave'
  /** The run stopped between waves (too many errors, or someone paused it): the reasons go to the requester and the approvers. */
  | 'paused'
  | 'resumed'
  /** Resume refused: the check of the remaining people found a blocking problem; still paused (cards show the findings). */
  | 'resume-blocked';

/** Why the workflow refused an action. The bot renders its own text from this; `message` is plain English. */
export type RefusalReason =
  | 'unknown'
  | 'not_approver'
  | 'not_requester'
  | 'own_request'
  | 'already_decided'
  | 'expired'
  | 'stale'
  | 'wrong_tenant'
  | 'blocked'
  | 'not_allowed'
  /** pause / resume / cancel on a request in a state where that means nothing (`request` says where it stands). */
  | 'wrong_state'
  /** resume: the remaining people were checked again and something blocks; still paused (`request.result.waves.recheck` says what). */
  | 'recheck_blocked';

/** Every ChangeRequests action answers with this; user errors never throw. */
export type WorkflowResult =
  | { ok: true; request: ChangeRequest }
  | {
      ok: false;
      reason: RefusalReason;
      message: string;
      /** The request as it stands now (render the current card from it), when there is one. */
      request?: ChangeRequest;
      /** 'blocked': the preflight that blocked it (e.g. for undo). */
      preflight?: PreflightResult;
      /** 'not_approver' because APPROVERS is empty: nobody at all can approve. */
      noApproversConfigured?: true;
      /** 'blocked' by the license service's refusal (no preflight): its code and data, said in the reader's language. */
      error?: { code: string; message: string; data: Record<string, unknown> };
    };

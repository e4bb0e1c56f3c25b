// Change requests: the four-eyes workflow around a license change. Plain TypeScript; the bot
// turns clicks into calls here and renders what comes back. Identity always comes from the
// activity (Actor), never from card data.
import type { ChangeSpec, PreflightResult, SwapResult, TrackingReport, TrackingProgress } from '../licensing/model';

export const REQUEST_STATES = [
  'pending',
  'approved',
  'running',
  'completed',
  'failed',
  'partial',
  'rejected',
  'cancelled',
  'expired',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
export const FINAL_STATES: readonly RequestState[] = ['completed', 'failed', 'partial', 'rejected', 'cancelled', 'expired'];

/** The person behind an activity: from.aadObjectId and the activity's tenant. */
export interface Actor {
  id: string;
  tenantId: string;
  name?: string;
}

export interface RequestResult {
  swap?: SwapResult;
  tracking?: TrackingReport;
  /** Why the run stopped before or during the swap, in plain words. */
  error?: string;
  /** Re-preflight at approval found things worse: what changed. */
  worsened?: string[];
  /** Why it was rejected or cancelled, as the person gave it. */
  reason?: string;
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

export type TransitionResult =
  | { ok: true; request: ChangeRequest }
  | { ok: false; reason: 'unknown' | 'state' | 'version'; request?: ChangeRequest };

/** Durable store (SQLite). Every transition is a compare-and-set in one transaction. */
export interface RequestStore {
  create(input: {
    spec: ChangeSpec;
    preflight: PreflightResult;
    requester: Actor;
    ttlMs: number;
    undoOf?: string;
    conversationKey?: string;
  }): ChangeRequest;
  get(id: string): ChangeRequest | undefined;
  transition(
    id: string,
    expect: { from: readonly RequestState[]; version?: number },
    to: RequestState,
    actor: Actor | null,
    patch?: { approver?: Actor; result?: RequestResult; preflight?: PreflightResult; lease?: RequestLease | null },
    detail?: Record<string, unknown>,
    /** Audit action name; defaults to the target state. */
    action?: string,
  ): TransitionResult;
  /** Newest first. */
  list(filter?: { states?: readonly RequestState[]; requesterId?: string; undoOf?: string; limit?: number; unnotified?: boolean; updatedSince?: string }): ChangeRequest[];
  /** Records that the notice of `version` went out (never lowers what is recorded). No version bump, no audit. */
  markNotified(id: string, version: number): void;
  /** Extends a running request's lease if `owner` still holds it; false when it does not. No version bump, no audit. */
  renewLease(id: string, owner: string, until: string): boolean;
  audit(requestId: string): AuditEntry[];
  appendAudit(requestId: string, actor: Actor | null, action: string, detail: Record<string, unknown>): void;
  saveConversationRef(key: string, ref: unknown): void;
  getConversationRef(key: string): unknown | undefined;
  /** Personal-chat references by user object id, for approver notices. */
  listConversationRefs(): { key: string; ref: unknown }[];
  close(): void;
}

/** What the workflow tells the outside world; the bot implements it with proactive messages. */
export interface RequestNotifier {
  /** Request created, approved, rejected, cancelled, expired, started, finished… */
  changed(request: ChangeRequest, event: RequestEvent): Promise<void>;
  progress?(request: ChangeRequest, progress: TrackingProgress): Promise<void>;
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
  | 'partial';

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
  | 'not_allowed';

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
    };

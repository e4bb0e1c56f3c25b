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
    patch?: { approver?: Actor; result?: RequestResult; preflight?: PreflightResult },
    detail?: Record<string, unknown>,
  ): TransitionResult;
  list(filter?: { states?: readonly RequestState[]; requesterId?: string; limit?: number }): ChangeRequest[];
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

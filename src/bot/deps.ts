// What the bot needs from the rest of the application, as narrow interfaces. The composition
// root (src/index.ts) passes the real LicenseService, ChangeRequests, store and Conversations; tests
// pass fakes. The bot never reaches Graph or HTTP itself.
import type { ConversationReference, TurnContext } from './sdk';
import type { ChangeSpec, LicensePort, PreflightResult, WaveSettings } from '../licensing/model';
import type { Actor, ChangeRequest, WorkflowResult } from '../requests/types';
import { createLogger, type Logger } from '../log';
import type { DoctorReport } from '../doctor/model';
import type { ChoiceStore } from './choices';
import type { Conversations } from './conversations';
import type { ApproverReach } from './approver-reach';
import type { ActivityDedupe } from './dedupe';
import type { JobTiming } from './jobs';

/** The request workflow as the bot uses it: src/requests/workflow.ts ChangeRequests. */
export interface RequestsPort {
  request(actor: Actor, spec: ChangeSpec, preflight: PreflightResult, conversationKey?: string): Promise<WorkflowResult>;
  /** REPROCESS_APPROVAL=none: a reprocess that runs at once for someone allowed to ask for changes. */
  reprocessNow(actor: Actor, spec: ChangeSpec, preflight: PreflightResult, conversationKey?: string): Promise<WorkflowResult>;
  approve(actor: Actor, id: string, cardVersion?: number, reason?: string): Promise<WorkflowResult>;
  reject(actor: Actor, id: string, cardVersion?: number, reason?: string): Promise<WorkflowResult>;
  cancel(actor: Actor, id: string, cardVersion?: number, reason?: string): Promise<WorkflowResult>;
  /** A change running in waves stops before its next wave. */
  pause(actor: Actor, id: string, reason?: string): Promise<WorkflowResult>;
  /** A paused change carries on from its next wave. */
  resume(actor: Actor, id: string, cardVersion?: number): Promise<WorkflowResult>;
  /** How large changes run in waves when the request does not say (WAVE_PILOT, WAVE_SIZE, WAVE_PAUSE_AT). */
  readonly waveDefaults?: WaveSettings;
  undo(actor: Actor, id: string, conversationKey?: string): Promise<WorkflowResult>;
  status(id: string, actor?: Actor): Promise<WorkflowResult>;
  history(limit?: number): Promise<ChangeRequest[]>;
  pending(actor: Actor): Promise<ChangeRequest[]>;
}

/** Who may approve: src/requests/approvers.ts ApproverPolicy. */
export interface ApproversPort {
  approverIds(): Promise<Set<string>>;
  isApprover(actor: Actor): Promise<boolean>;
  canApprove(actor: Actor, request?: Pick<ChangeRequest, 'requester' | 'id'>): Promise<{ ok: true } | { ok: false; reason: string; message: string }>;
}

/** Who may check, ask for and undo changes (REQUESTERS): src/requests/approvers.ts RequesterPolicy. */
export interface RequestersPort {
  isRequester(actor: Actor): Promise<boolean>;
}

/** The conversation state the bot keeps (a state store implements it): src/requests/conversation-store.ts. */
export type { ConversationStore } from '../requests/conversation-store';

/** Proactive messages: CloudAdapter.continueConversationAsync in production, a fake in tests. */
export interface Proactive {
  continue(ref: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

export type { Logger } from '../log';
export { silentLogger } from '../log';

/** Human-readable lines on the console (LOG_FORMAT=pretty); the app builds its own from the environment. */
export const consoleLogger: Logger = createLogger({ format: 'pretty' });

/** The read-only tenant check (src/doctor/run.ts runDoctor on the app's Graph connection). */
export interface DoctorPort {
  run(opts: { group?: string; user?: string }): Promise<DoctorReport>;
}

export interface BotDeps {
  licenses: LicensePort;
  requests: RequestsPort;
  approvers: ApproversPort;
  /** License administrators: preflight, request, undo, guide and search need it; status, history and pending need it or approver. */
  requesters: RequestersPort;
  /** The one Conversations of the app, shared with the notifier (src/bot/conversations.ts). */
  conversations: Conversations;
  /** Where card buttons keep long user lists; default: the conversations' store (src/bot/choices.ts). */
  choices?: ChoiceStore;
  /** The only tenant whose activities are served (sandbox: the sandbox tenant; else MicrosoftAppTenantId). */
  tenantId: string;
  /** REPROCESS_APPROVAL: a reprocess runs at once (none, the default) or is a four-eyes request (required). */
  reprocessApproval?: 'none' | 'required';
  /** `doctor` in chat; absent: the bot says it is not available here. */
  doctor?: DoctorPort;
  log?: Logger;
  /** Clock, for tests. */
  now?: () => Date;
  /** Who approval cards reach (approver-reach.ts): installation events add approvals channels and deliver waiting cards. */
  reach?: ApproverReach;
  /** A request's reach changed after an installation event: redraw the requester's card (BotNotifier.reachChanged). */
  onReachChanged?(request: ChangeRequest): Promise<void>;
  /** Recognises a message Teams delivered twice (default: a bounded memory in this process). */
  dedupe?: ActivityDedupe;
  /** When a turn stops waiting and how often progress is shown (jobs.ts; tests shorten them). */
  timing?: Partial<JobTiming>;
}

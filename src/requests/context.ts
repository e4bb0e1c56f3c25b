// What the workflow's rooms (actions, runner, recovery, outbox) share: the ports they are given
// and the policies they ask. Plain types; workflow.ts builds one and hands it to each room.
import type { LicensePort } from '../licensing/model';
import type { ApprovalCheck, RequestCheck } from './approvers';
import type { BackgroundTasks } from './tasks';
import type { Actor, ChangeRequest, RequestStore } from './types';

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

export interface WorkflowContext {
  store: RequestStore;
  licenses: LicensePort;
  now: () => Date;
  log: WorkflowLog;
  tasks: BackgroundTasks;
  /** This process in run leases and notice claims (instance.ts). */
  instanceId: string;
  /** APPROVAL_TTL: how long a request waits for a decision. */
  ttlMs: number;
}

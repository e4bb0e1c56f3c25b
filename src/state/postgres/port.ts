// TEMPORARY: the async store port as the workflow-approvers branch defines it in
// src/requests/types.ts; replaced by RequestStore once that lands on main.
import type { ChangeSpec, PreflightResult } from '../../licensing/model';
import type { Actor, AuditEntry, ChangeRequest, RequestLease, RequestResult, RequestState, TransitionResult } from '../../requests/types';

export interface RequestFilter {
  states?: readonly RequestState[];
  requesterId?: string;
  undoOf?: string;
  limit?: number;
  unnotified?: boolean;
  updatedSince?: string;
}

export interface AsyncRequestStore {
  create(input: { spec: ChangeSpec; preflight: PreflightResult; requester: Actor; ttlMs: number; undoOf?: string; conversationKey?: string }): Promise<ChangeRequest>;
  get(id: string): Promise<ChangeRequest | undefined>;
  transition(
    id: string,
    expect: { from: readonly RequestState[]; version?: number },
    to: RequestState,
    actor: Actor | null,
    patch?: { approver?: Actor; result?: RequestResult; preflight?: PreflightResult; lease?: RequestLease | null },
    detail?: Record<string, unknown>,
    action?: string,
  ): Promise<TransitionResult>;
  list(filter?: RequestFilter): Promise<ChangeRequest[]>;
  markNotified(id: string, version: number): Promise<void>;
  renewLease(id: string, owner: string, until: string): Promise<boolean>;
  claimNotice(id: string, kind: string, claim: RequestLease): Promise<boolean>;
  markNoticeSent(id: string, kind: string): Promise<void>;
  audit(requestId: string): Promise<AuditEntry[]>;
  appendAudit(requestId: string, actor: Actor | null, action: string, detail: Record<string, unknown>): Promise<void>;
  close(): Promise<void> | void;
}

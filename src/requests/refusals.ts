// How the workflow says no: a WorkflowResult with a reason the bot renders in the reader's
// language, and a plain-English sentence for logs and fallbacks.
import type { PreflightResult } from '../licensing/model';
import type { Actor, ChangeRequest, RefusalReason, WorkflowResult } from './types';

export type Refusal = Extract<WorkflowResult, { ok: false }>;

export function refuse(reason: RefusalReason, message: string, request?: ChangeRequest, preflight?: PreflightResult): Refusal {
  const r: Refusal = { ok: false, reason, message };
  if (request) r.request = request;
  if (preflight) r.preflight = preflight;
  return r;
}

export function refuseExpired(request: ChangeRequest): Refusal {
  return refuse('expired', `Request ${request.id} expired without a decision; ask again if it is still needed.`, request);
}

export const WRONG_TENANT = 'Your activity comes from another tenant than the one this bot serves.';

function who(a: Actor | undefined): string {
  return a ? a.name || a.id : 'someone';
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
    case 'paused':
      return `Request ${r.id} is paused between waves; resume or cancel it.`;
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

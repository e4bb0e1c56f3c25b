// The workflow's refusals in the admin's language (the workflow's own message is plain English).
import type { WorkflowResult } from '../requests/types';
import type { Messages } from '../i18n';
import { md } from './cards/render';

type Refusal = Extract<WorkflowResult, { ok: false }>;

export function refusalText(t: Messages, r: Refusal, id?: string, action?: 'approve' | 'reject' | 'cancel' | 'undo' | 'pause' | 'resume'): string {
  switch (r.reason) {
    case 'unknown':
      return t.refusals.unknown(md(id ?? r.request?.id ?? ''));
    case 'not_approver':
      return r.noApproversConfigured ? t.refusals.no_approvers : t.refusals.not_approver;
    case 'not_requester':
      return t.refusals.not_requester;
    case 'own_request':
      return action === 'reject' ? t.refusals.own_request_reject : t.refusals.own_request;
    case 'already_decided':
      return t.refusals.already_decided(r.request ? (t.request.states[r.request.state] ?? r.request.state) : '?');
    case 'expired':
      return t.refusals.expired;
    case 'stale':
      return t.refusals.stale;
    case 'wrong_tenant':
      return t.refusals.wrong_tenant;
    case 'blocked':
      return t.refusals.blocked;
    case 'not_allowed':
      if (action === 'undo' && r.request?.spec?.reprocess) return t.reprocess.nothingToUndo;
      return action === 'undo'
        ? `${t.refusals.not_undoable}${r.request ? ` #${md(r.request.id)}: ${t.request.states[r.request.state] ?? r.request.state}.` : ''}`
        : t.refusals.not_allowed;
    case 'wrong_state': {
      const state = r.request ? (t.request.states[r.request.state] ?? r.request.state) : '?';
      return t.refusals.wrong_state(action === 'pause' || action === 'resume' ? action : 'cancel', md(r.request?.id ?? id ?? ''), state);
    }
    case 'recheck_blocked':
      return t.waves.recheckBlocked(md(r.request?.id ?? id ?? ''));
    default:
      return md(r.message);
  }
}

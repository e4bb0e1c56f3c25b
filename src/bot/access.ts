// Who may use what. `help` and `plans` are open to everyone in the tenant; checking, asking for
// and undoing changes (and the type-ahead that leads there) need REQUESTERS; looking at requests
// (status, history, pending, a card's refresh) needs REQUESTERS or APPROVERS. Approving and
// rejecting are the workflow's to judge (APPROVERS, four eyes); cancel is the requester's or an
// approver's. Refused people get a polite answer in their language and nothing happens.
import type { Command } from './parser';
import type { Verb } from './actions/data';
import type { Turn } from './turn';

export type Access = 'open' | 'change' | 'read';

export function commandAccess(kind: Command['kind']): Access {
  switch (kind) {
    case 'help':
    case 'plans':
    case 'unknown':
      return 'open';
    case 'status':
    case 'history':
    case 'pending':
    case 'doctor':
      return 'read';
    // The workflow lets only the requester and the approvers do these (an approver need not be a requester).
    case 'pause':
    case 'resume':
    case 'cancel':
      return 'read';
    default:
      return 'change';
  }
}

export function verbAccess(verb: Verb): Access {
  switch (verb) {
    case 'preflight':
    case 'split':
    case 'request':
    case 'undo':
    case 'guide':
    case 'reprocess':
      return 'change';
    case 'refresh':
      return 'read';
    default:
      return 'open';
  }
}

/** May this turn's person do something that needs `access`? */
export async function allowed(turn: Pick<Turn, 'deps' | 'actor' | 'log'>, access: Access): Promise<boolean> {
  if (access === 'open') return true;
  try {
    if (await turn.deps.requesters.isRequester(turn.actor)) return true;
    if (access === 'read' && (await turn.deps.approvers.isApprover(turn.actor))) return true;
  } catch (err) {
    turn.log.warn('access.check_failed', { error: err instanceof Error ? err.message : String(err) });
  }
  turn.log.info('access.refused', { access, actor: turn.actor.id });
  return false;
}

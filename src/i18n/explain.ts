// Errors and refusals in the reader's language, from the tables: the one mapping from a code (a
// LicensingError's, a GraphError's, a workflow refusal's) to its sentence, shared by the bot's cards
// and the CLI so one error reads the same in both. `esc` is how the caller makes names from the
// tenant safe for its medium (the bot's Markdown escaping; the CLI prints them as they are).
import type { LicensingErrorCode, PlanSummary, PrincipalMatch } from '../licensing/model';
import type { Messages } from './en';

type Esc = (text: string) => string;
const plain: Esc = (s) => s;

/** A LicensingError's shape (crossing a module boundary it may be a plain Error with these fields). */
export interface ExplainableError {
  code: LicensingErrorCode | string;
  message: string;
  data?: Record<string, unknown>;
}

/** What a workflow refusal carries (src/requests/types WorkflowResult, { ok: false }). */
export interface RefusalLike {
  reason: string;
  message: string;
  noApproversConfigured?: boolean;
  request?: { id: string; state: string; spec?: { reprocess?: unknown } } | null;
}

export type RefusalAction = 'approve' | 'reject' | 'cancel' | 'undo' | 'pause' | 'resume';

export function refusalSentence(t: Messages, r: RefusalLike, id?: string, action?: RefusalAction, esc: Esc = plain): string {
  const state = (s: string) => t.request.states[s] ?? s;
  switch (r.reason) {
    case 'unknown':
      return t.refusals.unknown(esc(id ?? r.request?.id ?? ''));
    case 'not_approver':
      return r.noApproversConfigured ? t.refusals.no_approvers : t.refusals.not_approver;
    case 'not_requester':
      return t.refusals.not_requester;
    case 'own_request':
      return action === 'reject' ? t.refusals.own_request_reject : t.refusals.own_request;
    case 'already_decided':
      return t.refusals.already_decided(r.request ? state(r.request.state) : '?');
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
      return action === 'undo' ? `${t.refusals.not_undoable}${r.request ? ` #${esc(r.request.id)}: ${state(r.request.state)}.` : ''}` : t.refusals.not_allowed;
    case 'wrong_state':
      return t.refusals.wrong_state(action === 'pause' || action === 'resume' ? action : 'cancel', esc(r.request?.id ?? id ?? ''), r.request ? state(r.request.state) : '?');
    case 'recheck_blocked':
      return t.waves.recheckBlocked(esc(r.request?.id ?? id ?? ''));
    default:
      return esc(r.message);
  }
}

/** An INVALID_INPUT about the plan lists of a several-plans change (undefined: another kind). */
export function planListProblem(t: Messages, d: Record<string, unknown>, esc: Esc = plain): string | undefined {
  const plan = d.plan && typeof d.plan === 'object' ? (d.plan as PlanSummary) : undefined;
  const label = esc(plan ? plan.displayName || plan.skuPartNumber : typeof d.name === 'string' ? d.name : '');
  switch (d.reason) {
    case 'PLAN_REPEATED':
      return t.lookup.planRepeated(label, d.list === 'from' ? 'from' : 'to');
    case 'PLAN_IN_BOTH':
      return t.lookup.planInBoth(label);
    case 'TOO_MANY_PLANS':
      return t.lookup.tooManyPlans(typeof d.max === 'number' ? d.max : 0);
    case 'ALSO_FROM_WITHOUT_FROM':
      return t.lookup.alsoFromWithoutFrom;
    default:
      return undefined;
  }
}

/** "Office 365 E3 (ENTERPRISEPACK)"; the part number alone when that is its name. */
function planLabel(p: { displayName: string; skuPartNumber: string }): string {
  return !p.displayName || p.displayName === p.skuPartNumber ? p.skuPartNumber : `${p.displayName} (${p.skuPartNumber})`;
}

function principalLabel(m: PrincipalMatch): string {
  const key = m.userPrincipalName ?? m.id;
  return key && key !== m.displayName ? `${m.displayName} (${key})` : m.displayName;
}

/**
 * A LicensingError as one line of text: the sentence of its code, and the names a person picks from
 * (plans, people) where the bot offers them as buttons. `who`: the user or group the change names,
 * for SOURCE_AMBIGUOUS.
 */
export function licensingErrorSentence(t: Messages, err: ExplainableError, opts: { esc?: Esc; who?: string } = {}): string {
  const esc = opts.esc ?? plain;
  const d = err.data ?? {};
  const name = esc(typeof d.name === 'string' ? d.name : typeof d.query === 'string' ? d.query : '');
  const plans = (v: unknown) => (Array.isArray(v) ? (v as PlanSummary[]).map((p) => esc(planLabel(p))).join(', ') : '');
  const people = (v: unknown) => (Array.isArray(v) ? (v as PrincipalMatch[]).map((p) => esc(principalLabel(p))).join(', ') : '');
  const withList = (head: string, items: string) => (items ? `${head} ${items}.` : head);
  switch (err.code) {
    case 'PLAN_UNKNOWN':
      return withList(t.lookup.planUnknown(name), plans(d.candidates) || t.plans.empty);
    case 'PLAN_AMBIGUOUS':
      return withList(t.lookup.planAmbiguous(name), plans(d.candidates));
    case 'PRINCIPAL_UNKNOWN': {
      const suggestions = people(d.suggestions);
      return suggestions ? `${t.lookup.principalUnknown(name)} ${t.lookup.suggestions} ${suggestions}.` : t.lookup.principalUnknown(name);
    }
    case 'PRINCIPAL_AMBIGUOUS':
      return withList(t.lookup.principalAmbiguous(name), people(d.candidates));
    case 'SOURCE_AMBIGUOUS': {
      const candidates = plans(d.candidates);
      const who = esc(opts.who ?? '');
      return candidates ? withList(t.lookup.sourceAmbiguous(who), candidates) : t.lookup.sourceNone(who);
    }
    case 'INVALID_INPUT':
      // A usage location that is not a country code: said in the reader's language.
      if (typeof d.country === 'string') return t.usageLocation.badCountry(esc(d.country));
      return planListProblem(t, d, esc) ?? t.lookup.invalidInput(esc(err.message));
    case 'BLOCKED':
      return t.preflight.blocked;
    case 'GRAPH_ERROR':
    default:
      return t.errors.graph(esc(err.message));
  }
}

/** Graph's own error (status, code, message) when it reaches a person outside a LicensingError. */
export function graphErrorSentence(t: Messages, err: { code: string; message: string }, esc: Esc = plain): string {
  return t.errors.graph(esc(err.code ? `${err.message} (${err.code})` : err.message));
}

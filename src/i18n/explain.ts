// Errors and refusals in the reader's language, from the tables: the one mapping from a code (a
// LicensingError's, a GraphError's, a workflow refusal's) to its sentence, shared by the bot's cards
// and the CLI so one error reads the same in both. `esc` is how the caller makes names from the
// tenant safe for its medium (the bot's Markdown escaping; the CLI prints them as they are).
import type { FailureCause, LicensingErrorCode, PlanSummary, PrincipalMatch, SwapOutcome } from '../licensing/model';
import type { GraphFacts, Messages } from './en';

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
  /** 'blocked' by the license service's refusal (e.g. the undo of an adopt): said from its code and data. */
  error?: ExplainableError;
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
      return r.error ? licensingErrorSentence(t, r.error, { esc }) : t.refusals.blocked;
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

/** An INVALID_INPUT by its reason (data.reason), after "That doesn't work:"; undefined: a reason with no sentence. */
function invalidInputProblem(t: Messages, d: Record<string, unknown>, esc: Esc): string | undefined {
  const say = t.lookup.invalid;
  const text = (v: unknown) => esc(typeof v === 'string' ? v : '');
  switch (d.reason) {
    case 'UNSAFE_NAME':
      return say.unsafeName(text(d.name), d.what === 'group' ? 'group' : 'user', d.why === 'empty' || d.why === 'dot' ? d.why : 'slash');
    case 'USAGE_LOCATION_IDS':
      return say.usageLocationIds;
    case 'STATUS_ONE':
      return say.statusOne;
    case 'SPLIT_DIRECTION':
      return say.splitDirection(text(d.direction));
    case 'SPLIT_ONE':
      return say.splitOne;
    case 'REPROCESS_ONE':
      return say.reprocessOne;
    case 'REPROCESS_IDS':
      return say.reprocessIds;
    case 'REPROCESS_NO_USERS':
      return say.reprocessNoUsers;
    case 'ADOPT_NO_UNDO':
      return say.adoptNoUndo;
    case 'ADOPT_CHECK_ONLY':
      return say.adoptCheckOnly;
    case 'CHANGE_MALFORMED':
      return say.changeMalformed;
    case 'NO_USER':
      return say.noUser;
    case 'NO_GROUP':
      return say.noGroup;
    case 'NO_USERS':
      return say.noUsers;
    case 'NO_PRINCIPAL':
      return say.noPrincipal;
    case 'ADOPT_GROUP_ONLY':
      return say.adoptGroupOnly;
    case 'NO_CHANGE':
      return say.noChange;
    case 'NO_TARGET':
      return say.noTarget;
    case 'PLANS_NOT_A_LIST':
      return say.plansNotAList(d.list === 'from' ? 'from' : 'to');
    case 'SERVICE_UNKNOWN': {
      const services = Array.isArray(d.plans) ? (d.plans as { name?: string; friendlyName?: string }[]).map((p) => esc(p?.friendlyName || p?.name || '')).filter(Boolean) : [];
      return say.serviceUnknown(text(d.override), text(d.target), services.join(', '));
    }
    default:
      return undefined;
  }
}

/** Graph's status, code and own words from a GRAPH_ERROR's data (or a GraphError); an HttpNNN code says no more than the status. */
export function graphFacts(d: { status?: unknown; code?: unknown; graphMessage?: unknown; message?: unknown }, esc: Esc = plain): GraphFacts {
  const code = typeof d.code === 'string' && !/^(Http\d+|Unknown)$/.test(d.code) ? d.code : '';
  const raw = typeof d.graphMessage === 'string' ? d.graphMessage : typeof d.message === 'string' ? d.message.replace(/^Microsoft Graph: /, '') : '';
  return { status: typeof d.status === 'number' ? d.status : 0, code: esc(code), message: esc(raw.trim().replace(/\.+$/, '')) };
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
    case 'INVALID_INPUT': {
      // A usage location that is not a country code: said in the reader's language.
      if (typeof d.country === 'string') return t.usageLocation.badCountry(esc(d.country));
      const problem = planListProblem(t, d, esc);
      if (problem) return problem;
      // By its reason from the tables; a reason without a sentence (none should be left) as the service said it.
      return t.lookup.invalidInput(invalidInputProblem(t, d, esc) ?? esc(err.message));
    }
    case 'BLOCKED':
      return t.preflight.blocked;
    case 'GRAPH_ERROR':
      // Graph's status, code and words (the message repeats "Microsoft Graph:" for the log).
      return t.errors.graph(graphFacts({ ...d, message: err.message }, esc));
    default:
      return t.errors.graph(graphFacts({ message: err.message }, esc));
  }
}

/** Graph's own error (status, code, message) when it reaches a person outside a LicensingError. */
export function graphErrorSentence(t: Messages, err: { status?: number; code: string; message: string }, esc: Esc = plain): string {
  return t.errors.graph(graphFacts({ status: err.status, code: err.code, graphMessage: err.message }, esc));
}

/**
 * A technical failure kept with a request (FailureCause: the check before a wave, the check before
 * a resume) as a clause inside another sentence: Graph's error, the license service's refusal, or
 * something unexpected.
 */
export function failureText(t: Messages, f: FailureCause, esc: Esc = plain): string {
  const d = f.data ?? {};
  if (f.code === 'GRAPH_ERROR') return t.errors.graphCause(graphFacts({ ...d, message: f.message }, esc));
  if (f.code === 'UNEXPECTED') return t.errors.unexpected(esc(f.message ?? ''));
  // Inside another sentence: the problem itself, without "That doesn't work:".
  if (f.code === 'INVALID_INPUT') {
    const problem = invalidInputProblem(t, d, esc);
    if (problem) return problem;
  }
  return licensingErrorSentence(t, { code: f.code, message: f.message ?? '', data: d }, { esc });
}

/** Why a usage location could not be set, from its code; a row stored before the codes as stored. */
export function usageLocationNotSetText(t: Messages, o: Pick<SwapOutcome, 'usageLocationWhy' | 'reason' | 'graphCode' | 'graphMessage'>, esc: Esc = plain): string {
  if (o.usageLocationWhy) return t.usageLocation.notSetWhy(o.usageLocationWhy, esc(o.graphCode ?? ''), esc(o.graphMessage ?? ''));
  return esc(o.reason ?? o.graphMessage ?? '');
}

// A LicensingError as a card the admin can act on (choose a plan or a principal, suggestions, the
// tenant's plans), and the preflight run with that fallback. Name resolution is in names.ts.
import { DEFAULT_WAVES, wavesFor } from '../requests/waves';
import { isLicensingError, type LicensingError, type ChangeSpec, type PlanInfo, type PlanSummary, type PrincipalMatch } from '../licensing/model';
import { licensingErrorSentence, type Messages } from '../i18n';
import type { Turn } from './turn';
import { specToData } from './actions/data';
import { chooseCard, type ChooseOption } from './cards/choose';
import { errorCard } from './cards/notice';
import { planLabel } from './cards/plans';
import { preflightCard } from './cards/preflight';
import { md, type AdaptiveCard } from './cards/render';
import { matchLabel, preflightWith, principalChoiceCard, principalUnknownCard, type NextStep } from './names';

/** Defined once, beside LicensingError (src/licensing/model.ts). */
export { isLicensingError };

/** What a choose-card option does: re-run the preflight with one piece replaced. */
function withSpec(spec: ChangeSpec | undefined, patch: Partial<ChangeSpec>): Pick<ChooseOption, 'verb' | 'data'> {
  if (!spec) return {};
  return { verb: 'preflight', data: specToData({ ...spec, ...patch }) };
}

/** Which plan of the spec a name is: `to` / `from`, or one of the further plans (several plans in one change). */
type PlanField = 'from' | 'to' | { list: 'alsoTo' | 'alsoFrom'; index: number };

function planOptions(t: Messages, plans: (PlanSummary | PlanInfo)[], spec: ChangeSpec | undefined, field: PlanField | undefined): ChooseOption[] {
  return plans.map((p) => {
    const info = p as Partial<PlanInfo>;
    const detail = [p.skuPartNumber, typeof info.available === 'number' && typeof info.enabled === 'number' ? t.common.seatsFree(info.available, info.enabled) : '']
      .filter(Boolean)
      .join(' · ');
    let patch: Partial<ChangeSpec> | undefined;
    if (typeof field === 'string') patch = { [field]: p.skuId };
    else if (field && spec) patch = { [field.list]: (spec[field.list] ?? []).map((x, i) => (i === field.index ? p.skuId : x)) };
    return { title: md(planLabel(p)), detail: md(detail), ...(patch ? withSpec(spec, patch) : {}) };
  });
}

/** Where `name` sits among the spec's plans. */
function planField(spec: ChangeSpec | undefined, name: string): PlanField | undefined {
  if (!spec) return undefined;
  if (sameName(spec.to, name)) return 'to';
  if (sameName(spec.from, name)) return 'from';
  for (const list of ['alsoTo', 'alsoFrom'] as const) {
    const index = (spec[list] ?? []).findIndex((x) => sameName(x, name));
    if (index >= 0) return { list, index };
  }
  return undefined;
}

/** A LicensingError as a card the admin can act on. `spec`: the change it came from (options re-run it). */
export async function licensingErrorCard(turn: Turn, err: LicensingError, spec?: ChangeSpec, next?: NextStep): Promise<AdaptiveCard> {
  const { t } = turn;
  const d = err.data ?? {};
  const name = typeof d.name === 'string' ? d.name : typeof d.query === 'string' ? d.query : '';
  switch (err.code) {
    case 'PLAN_UNKNOWN':
    case 'PLAN_AMBIGUOUS': {
      let plans = Array.isArray(d.candidates) ? (d.candidates as PlanSummary[]) : [];
      if (err.code === 'PLAN_UNKNOWN') {
        // The tenant's plans, with free seats.
        try {
          plans = await turn.deps.licenses.listPlans();
        } catch {
          /* keep the candidates the error carried */
        }
      }
      const field = planField(spec, name);
      return chooseCard({
        title: err.code === 'PLAN_UNKNOWN' ? t.lookup.planUnknown(md(name)) : t.lookup.planAmbiguous(md(name)),
        buttonTitle: t.lookup.choose,
        options: planOptions(t, plans, spec, field),
        footer: plans.length ? '' : t.plans.empty,
      });
    }
    case 'PRINCIPAL_UNKNOWN':
      return principalUnknownCard(t, name, Array.isArray(d.suggestions) ? (d.suggestions as PrincipalMatch[]) : [], next ?? (spec ? preflightWith(spec) : undefined));
    case 'PRINCIPAL_AMBIGUOUS':
      return principalChoiceCard(t, name, Array.isArray(d.candidates) ? (d.candidates as PrincipalMatch[]) : [], next ?? (spec ? preflightWith(spec) : undefined));
    case 'SOURCE_AMBIGUOUS': {
      const candidates = Array.isArray(d.candidates) ? (d.candidates as PlanSummary[]) : [];
      let who = '';
      if (spec) who = spec.principal.kind === 'user' ? spec.principal.user : spec.principal.kind === 'group' ? spec.principal.group : t.common.users(spec.principal.users.length);
      if (spec && spec.principal.kind !== 'users') {
        try {
          const st = await turn.deps.licenses.status(spec.principal);
          who = matchLabel(st.principal);
        } catch {
          /* keep what was typed */
        }
      }
      if (!candidates.length) {
        // Nobody in the change holds a plan to leave (or nobody was found): offer the tenant's
        // plans; the preflight then names who is not in the directory.
        let plans: PlanInfo[] = [];
        try {
          plans = await turn.deps.licenses.listPlans();
        } catch {
          /* the card still says why */
        }
        return chooseCard({
          title: t.lookup.sourceNone(md(who)),
          buttonTitle: t.lookup.choose,
          options: planOptions(t, plans, spec, spec?.adopt ? 'to' : 'from'),
          footer: plans.length ? '' : t.plans.empty,
        });
      }
      return chooseCard({
        title: t.lookup.sourceAmbiguous(md(who)),
        buttonTitle: t.lookup.choose,
        options: planOptions(t, candidates, spec, spec?.adopt ? 'to' : 'from'),
      });
    }
    case 'INVALID_INPUT':
    case 'BLOCKED':
    case 'GRAPH_ERROR':
    default:
      // The same sentence the CLI prints (src/i18n/explain.ts).
      return errorCard(licensingErrorSentence(t, err, { esc: md }));
  }
}

function sameName(a: string | undefined, b: string): boolean {
  return !!a && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Runs the preflight and renders it, or the card that explains why it could not run. */
export async function preflightOrExplain(turn: Turn, spec: ChangeSpec): Promise<AdaptiveCard> {
  try {
    const result = await turn.deps.licenses.preflight(spec, { onProgress: turn.progress, signal: turn.signal });
    const waves = wavesFor(result.change, spec, turn.deps.requests.waveDefaults ?? DEFAULT_WAVES);
    return preflightCard(turn.t, result, spec, waves ? { waves } : {});
  } catch (err) {
    if (isLicensingError(err)) return licensingErrorCard(turn, err, spec);
    throw err;
  }
}

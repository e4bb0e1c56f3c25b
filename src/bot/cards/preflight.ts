// The preflight card: who, from, to, users affected, seats, services kept and lost, and every
// finding grouped by severity in plain words with the principals it names.
import type { ChangeSpec, Finding, PlanInfo, PreflightResult, PrincipalRef, ResolvedChange, Severity } from '../../licensing/model';
import type { Messages } from '../i18n';
import { specToData } from '../actions/data';
import { md, nameList, renderCard, type AdaptiveCard } from './render';
import { action, SEVERITY_TONE, signed, TONE_STYLE, type CardAction, type ContainerStyle, type Fact } from './common';
import { planLabel } from './plans';

export const MAX_NAMES = 10;
const MAX_SERVICES = 15;

export interface PreflightView {
  title: string;
  banner: string;
  bannerStyle: ContainerStyle;
  facts: Fact[];
  services: Fact[];
  note: string;
  findingsTitle: string;
  noFindings: string;
  /** Per severity: a heading with its sign (default colour) in a Container of the severity's style. */
  groups: { title: string; style: ContainerStyle; items: { text: string; principals: string }[] }[];
  actions: CardAction[];
}

/** Every string inside finding data made markdown-safe, recursively. */
export function escapeData<T>(value: T): T {
  if (typeof value === 'string') return md(value) as T;
  if (Array.isArray(value)) return value.map(escapeData) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeData(v)])) as T;
  }
  return value;
}

export function principalLabel(p: PrincipalRef): string {
  return p.userPrincipalName && p.userPrincipalName !== p.displayName ? `${p.displayName} (${p.userPrincipalName})` : p.displayName;
}

export function findingText(t: Messages, f: Finding): string {
  const render = t.findings[f.code];
  return render ? render(escapeData(f.data ?? {})) : md(f.code);
}

export function findingGroups(t: Messages, findings: Finding[]): PreflightView['groups'] {
  const order: Severity[] = ['block', 'warn', 'info'];
  return order
    .map((sev) => ({
      title: signed(SEVERITY_TONE[sev], t.preflight.severity[sev]),
      style: TONE_STYLE[SEVERITY_TONE[sev]],
      items: findings
        .filter((f) => f.severity === sev)
        .map((f) => ({
          text: findingText(t, f),
          principals: nameList((f.principals ?? []).map(principalLabel), MAX_NAMES, t.common.andMore),
        })),
    }))
    .filter((g) => g.items.length > 0);
}

/** The spec exactly as checked (ids, not names), for the buttons. */
export function resolvedSpec(change: ResolvedChange, original: ChangeSpec): ChangeSpec {
  const principal =
    change.kind === 'user'
      ? { kind: 'user' as const, user: change.principal.id }
      : change.kind === 'group'
        ? { kind: 'group' as const, group: change.principal.id }
        : original.principal;
  return {
    principal,
    from: change.from.skuId,
    to: change.to.skuId,
    ...(change.includeDirectCopies ? { includeDirectCopies: true } : {}),
    ...(original.planOverrides ? { planOverrides: original.planOverrides } : {}),
  };
}

/**
 * Which seat figures a card shows: the check's own ("10 needed, 11 available"), the check's
 * labelled as such once the change has run, or the tenant's seats read after the change.
 */
export type SeatsShown = { kind: 'check' } | { kind: 'at-check' } | { kind: 'now'; plans: PlanInfo[] };

export function changeFacts(t: Messages, c: ResolvedChange, seats: SeatsShown = { kind: 'check' }): Fact[] {
  // A list of users has no name of its own: "8 users", said once and in the reader's language.
  const who = c.kind === 'users' ? t.common.users(c.affectedUsers) : `${md(principalLabel(c.principal))} · ${c.kind === 'group' ? t.common.group : t.common.user}`;
  return [
    { title: t.preflight.who, value: who },
    { title: t.preflight.from, value: md(planLabel(c.from)) },
    { title: t.preflight.to, value: md(planLabel(c.to)) },
    { title: t.preflight.affected, value: String(c.affectedUsers) },
    seatsFact(t, c, seats),
  ];
}

function seatsFact(t: Messages, c: ResolvedChange, seats: SeatsShown): Fact {
  if (seats.kind === 'now') {
    const line = (skuId: string) => {
      const p = seats.plans.find((x) => x.skuId === skuId);
      return p ? `${md(planLabel(p))}: ${t.common.seatsFree(p.available, p.enabled)}` : undefined;
    };
    const lines = [line(c.to.skuId), line(c.from.skuId)].filter((x): x is string => !!x);
    if (lines.length) return { title: t.preflight.seatsNow, value: lines.join(' · ') };
  }
  return { title: seats.kind === 'check' ? t.preflight.seats : t.preflight.seatsAtCheck, value: t.preflight.seatsValue(c.seats.needed, c.seats.available) };
}

function serviceList(names: string[], t: Messages): string {
  return names.length ? nameList(names, MAX_SERVICES, t.common.andMore) : t.common.none;
}

/** "Exchange Online mailbox: Exchange Online (Plan 1) -> Exchange Online (Plan 2)" (the licensing form) in the reader's words. */
export function editionChange(t: Messages, entry: string): string {
  const m = /^(.*?): (.*) -> (.*)$/.exec(entry);
  return m ? t.preflight.editionChange(m[1]!, m[2]!, m[3]!) : entry;
}

/** Kept, upgraded, downgraded, lost and gained services (upgraded, downgraded and gained only when there are some). */
export function serviceFacts(t: Messages, c: ResolvedChange): Fact[] {
  const up = (c.servicesUpgraded ?? []).map((e) => editionChange(t, e));
  const down = (c.servicesDowngraded ?? []).map((e) => editionChange(t, e));
  const facts: Fact[] = [{ title: t.preflight.kept, value: serviceList(c.servicesKept, t) }];
  if (up.length) facts.push({ title: t.preflight.upgraded, value: serviceList(up, t) });
  if (down.length) facts.push({ title: t.preflight.downgraded, value: serviceList(down, t) });
  facts.push({ title: t.preflight.lost, value: serviceList(c.servicesLost, t) });
  if (c.servicesGained.length) facts.push({ title: t.preflight.gained, value: serviceList(c.servicesGained, t) });
  return facts;
}

/** Without `spec` the card only shows the result (no buttons). */
export function preflightCard(t: Messages, result: PreflightResult, spec?: ChangeSpec): AdaptiveCard {
  const c = result.change;
  const services = serviceFacts(t, c);

  const actions: CardAction[] = [];
  if (spec) {
    const exact = resolvedSpec(c, spec);
    const offersDirect = !c.includeDirectCopies && result.findings.some((f) => f.code === 'SOURCE_ALSO_ELSEWHERE') && c.kind === 'group';
    if (!result.blocked) {
      actions.push(action(t.preflight.requestApproval, 'request', { spec: specToData(exact) }, 'positive'));
    } else {
      actions.push(action(t.preflight.recheck, 'preflight', specToData(exact)));
    }
    if (offersDirect) actions.push(action(t.preflight.includeDirect, 'preflight', specToData({ ...exact, includeDirectCopies: true })));
    actions.push(action(t.preflight.cancel, 'cancel', { stage: 'preflight' }, 'destructive'));
  }

  const view: PreflightView = {
    title: t.preflight.title,
    // Ready reads as ready: good, or neutral when there are warnings to read first (the warnings
    // themselves are shown as warnings below). Amber is for warnings only.
    banner: result.blocked
      ? signed('block', t.preflight.blocked)
      : signed('done', result.counts.warn > 0 ? t.preflight.readyWithWarnings(result.counts.warn) : t.preflight.ready),
    bannerStyle: result.blocked ? 'attention' : result.counts.warn > 0 ? 'emphasis' : 'good',
    facts: changeFacts(t, c),
    services,
    note: c.includeDirectCopies ? t.preflight.directIncluded : '',
    findingsTitle: t.preflight.findingsTitle,
    noFindings: result.findings.length ? '' : signed('done', t.preflight.noFindings),
    groups: findingGroups(t, result.findings),
    actions,
  };
  return renderCard('preflight', view);
}

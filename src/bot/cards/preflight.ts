// The preflight card: who, from, to, users affected, seats, services kept and lost, and every
// finding grouped by severity in plain words with the principals it names.
import type { ChangeSpec, Finding, PlanInfo, PreflightResult, PrincipalRef, ResolvedChange, Severity, WaveSettings } from '../../licensing/model';
import type { Messages } from '../../i18n';
import { specToData } from '../actions/data';
import { md, nameList, renderCard, type AdaptiveCard } from './render';
import { action, SEVERITY_TONE, signed, TONE_STYLE, type CardAction, type ContainerStyle, type Fact } from './common';
import { planLabel } from './plans';
import { sourcesOf, targetsOf } from '../../licensing/change-plans';

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
  /** The usage location fix: the country to set, editable (shown with its button only when the app may set it). */
  usageLocation: { show: boolean; label: string; value: string; placeholder: string };
  actions: CardAction[];
}

/**
 * The usage location fix the preflight offers (the app may write usage locations): how many people
 * still lack one and the country offered (the organization's, or null when it has none).
 */
export function usageLocationOffer(result: PreflightResult): { people: number; country: string | null } | undefined {
  const missing = result.findings.filter((f) => f.code === 'USAGE_LOCATION_MISSING' && f.data?.fix && typeof f.data.fix === 'object');
  if (!missing.length) return undefined;
  const people = new Set(missing.flatMap((f) => f.principals.map((p) => p.id))).size;
  const country = (missing[0]!.data.fix as { country?: unknown }).country;
  return { people, country: typeof country === 'string' && country ? country : null };
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

/** `extra`: facts about the card the text may refer to (e.g. `button: true` when it offers the fix as a button). */
export function findingText(t: Messages, f: Finding, extra: Record<string, unknown> = {}): string {
  const render = t.findings[f.code];
  return render ? render({ ...escapeData(f.data ?? {}), ...extra }) : md(f.code);
}

/** Findings that mean the change would move nobody: seats, users affected and services do not apply. */
const NOTHING_TO_SWAP = new Set<Finding['code']>(['SOURCE_NOT_ASSIGNED', 'SAME_PLAN']);

export function nothingToSwap(result: PreflightResult): boolean {
  return result.blocked && result.findings.some((f) => f.severity === 'block' && NOTHING_TO_SWAP.has(f.code));
}

/**
 * A group that holds no source plan itself while members hold it directly: the change that would
 * work is moving those members as users. Their ids (or UPNs), when the finding names them.
 */
export function usersInstead(result: PreflightResult): string[] {
  const f = result.findings.find((x) => x.code === 'SOURCE_NOT_ASSIGNED' && x.data?.group);
  if (!f) return [];
  const d = f.data ?? {};
  const list = Array.isArray(d.directUsers) && d.directUsers.length ? d.directUsers : Array.isArray(d.suggestUsers) ? d.suggestUsers : [];
  return list.filter((u): u is string => typeof u === 'string' && u.length > 0);
}

export function findingGroups(t: Messages, findings: Finding[], opts: { exclude?: string; button?: Finding['code']; adoptButton?: Finding['code'] } = {}): PreflightView['groups'] {
  const order: Severity[] = ['block', 'warn', 'info'];
  return order
    .map((sev) => ({
      title: signed(SEVERITY_TONE[sev], t.preflight.severity[sev]),
      style: TONE_STYLE[SEVERITY_TONE[sev]],
      items: findings
        .filter((f) => f.severity === sev)
        .map((f) => ({
          text: findingText(t, f, { ...(opts.button === f.code ? { button: true } : {}), ...(opts.adoptButton === f.code ? { adoptButton: true } : {}) }),
          // The people a finding is about; the group being changed is not one of them.
          principals: nameList((f.principals ?? []).filter((p) => p.id !== opts.exclude).map(principalLabel), MAX_NAMES, t.common.andMore),
        })),
    }))
    .filter((g) => g.items.length > 0);
}

/** The spec exactly as checked (ids, not names), for the buttons. */
export function resolvedSpec(change: ResolvedChange, original: ChangeSpec): ChangeSpec {
  if (change.kind === 'adopt') {
    const accepted = change.adopt?.acceptLoss ?? original.adopt?.acceptLoss ?? [];
    return {
      principal: { kind: 'group', group: change.principal.id },
      to: change.to.skuId,
      adopt: accepted.length ? { acceptLoss: [...accepted] } : {},
      ...(original.planOverrides ? { planOverrides: original.planOverrides } : {}),
      ...(original.waves ? { waves: original.waves } : {}),
    };
  }
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
    ...(change.alsoTo?.length ? { alsoTo: change.alsoTo.map((p) => p.skuId) } : {}),
    ...(change.alsoFrom?.length ? { alsoFrom: change.alsoFrom.map((p) => p.skuId) } : {}),
    ...(change.includeDirectCopies ? { includeDirectCopies: true } : {}),
    ...(original.planOverrides ? { planOverrides: original.planOverrides } : {}),
    ...(original.waves ? { waves: original.waves } : {}),
    // The country only: whom it is set for is pinned from the preflight when the request is made.
    ...(change.setUsageLocation ? { setUsageLocation: { country: change.setUsageLocation.country } } : {}),
  };
}

/**
 * Which seat figures a card shows: the check's own ("10 needed, 11 available"), the check's
 * labelled as such once the change has run, or the tenant's seats read after the change.
 */
export type SeatsShown = { kind: 'check' } | { kind: 'at-check' } | { kind: 'now'; plans: PlanInfo[] };

/** `seats: 'none'`: the change would move nobody, so neither users affected nor seats are shown. */
export function changeFacts(t: Messages, c: ResolvedChange, seats: SeatsShown | { kind: 'none' } = { kind: 'check' }): Fact[] {
  // A list of users has no name of its own: "8 users", said once and in the reader's language.
  const who = c.kind === 'users' ? t.common.users(c.affectedUsers) : `${md(principalLabel(c.principal))} · ${c.kind === 'group' ? t.common.group : t.common.user}`;
  // A reprocess moves nobody between plans: who, how many are in error, and the license in error.
  if (c.reprocess)
    return [
      { title: t.preflight.who, value: who },
      { title: t.reprocess.fact, value: t.reprocess.factValue(c.reprocess.users.length) },
      { title: t.reprocess.plan, value: md(planLabel(c.to)) },
    ];
  const facts: Fact[] = [
    { title: t.preflight.who, value: who },
    { title: t.preflight.from, value: plansLabel(sourcesOf(c)) },
    { title: t.preflight.to, value: plansLabel(targetsOf(c)) },
  ];
  if (c.kind === 'adopt') return adoptFacts(t, c, seats);
  if (seats.kind === 'none') return facts;
  return [...facts, { title: t.preflight.affected, value: String(c.affectedUsers) }, seatsFact(t, c, seats)];
}

/** An adopt: the group, its plan, the own copies to remove, and seats used (unchanged: a plan counts once per person). */
function adoptFacts(t: Messages, c: ResolvedChange, seats: SeatsShown | { kind: 'none' }): Fact[] {
  const facts: Fact[] = [
    { title: t.preflight.who, value: `${md(principalLabel(c.principal))} · ${t.common.group}` },
    { title: t.preflight.plan, value: md(planLabel(c.to)) },
    { title: t.preflight.ownCopies, value: String(c.assignments.filter((a) => a.principal.kind === 'user').length) },
  ];
  if (seats.kind === 'none') return facts;
  if (seats.kind === 'now') {
    const p = seats.plans.find((x) => x.skuId === c.to.skuId);
    if (p) return [...facts, { title: t.preflight.seatsNow, value: `${md(planLabel(p))}: ${t.common.seatsFree(p.available, p.enabled)}` }];
  }
  const more = c.seats.needed;
  return [...facts, { title: t.preflight.seatsUsed, value: more ? t.preflight.seatsMore(more, c.seats.available) : t.preflight.seatsUnchanged }];
}

/** Members whose own copy has services the group's copy turns off (named on the card), and whether the admin accepted the loss. */
export function adoptLoss(result: PreflightResult): { open: string[]; accepted: string[] } {
  const ids = (accepted: boolean) =>
    result.findings
      .filter((f) => f.code === 'ADOPT_SERVICES_NOT_COVERED' && !!f.data?.accepted === accepted)
      .flatMap((f) => (Array.isArray(f.data?.ids) ? f.data.ids : []))
      .filter((x): x is string => typeof x === 'string' && x.length > 0);
  return { open: ids(false), accepted: ids(true) };
}

/** The blocked group change whose members hold the plan directly: the group can take it over instead. */
export function adoptInstead(result: PreflightResult): ChangeSpec | undefined {
  const c = result.change;
  if (c.kind !== 'group') return undefined;
  const f = result.findings.find((x) => x.code === 'SOURCE_NOT_ASSIGNED' && x.data?.group);
  if (!f || !(Number(f.data?.directHolders) > 0)) return undefined;
  return { principal: { kind: 'group', group: c.principal.id }, to: c.from.skuId, adopt: {} };
}

function seatsFact(t: Messages, c: ResolvedChange, seats: SeatsShown): Fact {
  if (seats.kind === 'now') {
    const line = (skuId: string) => {
      const p = seats.plans.find((x) => x.skuId === skuId);
      return p ? `${md(planLabel(p))}: ${t.common.seatsFree(p.available, p.enabled)}` : undefined;
    };
    const lines = [...targetsOf(c), ...sourcesOf(c)].map((p) => line(p.skuId)).filter((x): x is string => !!x);
    if (lines.length) return { title: t.preflight.seatsNow, value: lines.join(' · ') };
  }
  const title = seats.kind === 'check' ? t.preflight.seats : t.preflight.seatsAtCheck;
  // Several targets: each target's own seat line.
  if (c.seatsByTarget?.length) return { title, value: c.seatsByTarget.map((l) => `${md(planLabel(l))}: ${t.preflight.seatsValue(l.needed, l.available)}`).join(' · ') };
  return { title, value: t.preflight.seatsValue(c.seats.needed, c.seats.available) };
}

/** Every plan of one side of a change: "A (SKU_A) + B (SKU_B)" (one plan: its label). */
export function plansLabel(plans: { displayName: string; skuPartNumber: string }[]): string {
  return plans.map((p) => md(planLabel(p))).join(' + ');
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

function usageLocationAction(t: Messages, offer: { people: number; country: string | null }, exact: ChangeSpec, style: CardAction['style']): CardAction {
  const title = offer.country ? t.usageLocation.setButton(offer.country) : t.usageLocation.setButtonNoCountry;
  return action(title, 'preflight', specToData({ ...exact, setUsageLocation: { country: offer.country ?? '' } }), style);
}

/** "In 7 waves: a pilot of 5 people, then waves of 100 (650 people in all)…; it pauses by itself when more than 10% of a wave fails." */
export function wavesPlanText(t: Messages, w: WaveSettings, people: number): string {
  const count = people <= w.pilot ? 1 : 1 + Math.ceil((people - w.pilot) / w.size);
  return `${t.waves.plan(w.pilot, w.size, count, people)} ${w.pauseAtErrorShare >= 1 ? t.waves.never : t.waves.pauseAt(percent(w.pauseAtErrorShare))}`;
}

/** 0.1 -> "10%". */
export function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

/**
 * Without `spec` the card only shows the result (no buttons). `waves`: how the change would run
 * in waves (src/requests/waves.ts wavesFor), shown under the facts.
 */
export function preflightCard(t: Messages, result: PreflightResult, spec?: ChangeSpec, opts: { waves?: WaveSettings } = {}): AdaptiveCard {
  const c = result.change;
  const services = serviceFacts(t, c);

  const moot = nothingToSwap(result);
  const asUsers = c.kind === 'group' ? usersInstead(result) : [];
  const adopt = spec ? adoptInstead(result) : undefined;
  const actions: CardAction[] = [];
  const offer = spec ? usageLocationOffer(result) : undefined;
  if (spec && c.kind === 'adopt') return adoptPreflightCard(t, result, spec);
  if (spec) {
    const exact = resolvedSpec(c, spec);
    // The usage location fix, one click away: set it (to the country in the input) for those people
    // first. The first button when it is what unblocks the change.
    if (offer && result.blocked) actions.push(usageLocationAction(t, offer, exact, 'positive'));
    const offersDirect = !c.includeDirectCopies && result.findings.some((f) => f.code === 'SOURCE_ALSO_ELSEWHERE') && c.kind === 'group';
    if (!result.blocked) {
      actions.push(action(t.preflight.requestApproval, 'request', { spec: specToData(exact) }, 'positive'));
    } else {
      // The change that would work, one click away (the list is kept server-side when long: src/bot/choices.ts).
      if (asUsers.length) {
        const instead = {
          principal: { kind: 'users' as const, users: asUsers },
          from: exact.from,
          to: exact.to,
          ...(exact.alsoTo ? { alsoTo: exact.alsoTo } : {}),
          ...(exact.alsoFrom ? { alsoFrom: exact.alsoFrom } : {}),
        };
        actions.push(action(t.preflight.checkAsUsers(asUsers.length), 'preflight', specToData(instead), 'positive'));
      }
      // Or the group takes over the plan its members hold directly (then a group swap works).
      if (adopt) actions.push(action(t.preflight.adoptInstead, 'preflight', specToData(adopt), asUsers.length ? 'default' : 'positive'));
      actions.push(action(t.preflight.recheck, 'preflight', specToData(exact)));
    }
    if (offer && !result.blocked) actions.push(usageLocationAction(t, offer, exact, 'default'));
    if (offersDirect) actions.push(action(t.preflight.includeDirect, 'preflight', specToData({ ...exact, includeDirectCopies: true })));
    actions.push(action(t.preflight.cancel, 'cancel', { stage: 'preflight' }, 'destructive'));
  }

  const view: PreflightView = {
    title: t.preflight.title,
    // Ready reads as ready: good, or neutral when there are warnings to read first (the warnings
    // themselves are shown as warnings below). Amber is for warnings only.
    banner: result.blocked ? signed('block', t.preflight.blocked) : signed('done', result.counts.warn > 0 ? t.preflight.readyWithWarnings(result.counts.warn) : t.preflight.ready),
    bannerStyle: result.blocked ? 'attention' : result.counts.warn > 0 ? 'emphasis' : 'good',
    facts: changeFacts(t, c, moot ? { kind: 'none' } : { kind: 'check' }),
    // Nothing would move: no services are kept, lost or gained.
    services: moot ? [] : services,
    note: [c.includeDirectCopies ? t.preflight.directIncluded : '', opts.waves && !moot ? wavesPlanText(t, opts.waves, c.assignments.length) : ''].filter(Boolean).join('\n\n'),
    findingsTitle: t.preflight.findingsTitle,
    noFindings: result.findings.length ? '' : signed('done', t.preflight.noFindings),
    groups: findingGroups(t, result.findings, {
      ...(c.kind === 'group' ? { exclude: c.principal.id } : {}),
      ...(asUsers.length && spec ? { button: 'SOURCE_NOT_ASSIGNED' as const } : {}),
      ...(adopt ? { adoptButton: 'SOURCE_NOT_ASSIGNED' as const } : {}),
    }),
    usageLocation: {
      show: !!offer,
      label: offer ? t.usageLocation.countryLabelFor(offer.people) : t.usageLocation.countryLabel,
      value: offer?.country ?? '',
      placeholder: t.usageLocation.countryPlaceholder,
    },
    actions,
  };
  return renderCard('preflight', view);
}

/** An adopt's preflight: the group, its plan, own copies to remove, seats used; accept (or not) a loss of services. */
function adoptPreflightCard(t: Messages, result: PreflightResult, spec: ChangeSpec): AdaptiveCard {
  const c = result.change;
  const exact = resolvedSpec(c, spec);
  const loss = adoptLoss(result);
  const actions: CardAction[] = [];
  if (!result.blocked) actions.push(action(t.preflight.requestApproval, 'request', { spec: specToData(exact) }, 'positive'));
  if (loss.open.length) {
    const acceptLoss = [...new Set([...(exact.adopt?.acceptLoss ?? []), ...loss.open])];
    actions.push(action(t.preflight.acceptLoss(loss.open.length), 'preflight', specToData({ ...exact, adopt: { acceptLoss } }), result.blocked ? 'positive' : 'default'));
  }
  if (loss.accepted.length) actions.push(action(t.preflight.keepOwnCopies, 'preflight', specToData({ ...exact, adopt: {} })));
  if (result.blocked) actions.push(action(t.preflight.recheck, 'preflight', specToData(exact)));
  actions.push(action(t.preflight.cancel, 'cancel', { stage: 'preflight' }, 'destructive'));
  const moot = result.findings.some((f) => f.severity === 'block' && f.code === 'ADOPT_NO_DIRECT_COPIES');
  const view: PreflightView = {
    title: t.preflight.adoptTitle,
    banner: result.blocked ? signed('block', t.preflight.blocked) : signed('done', result.counts.warn > 0 ? t.preflight.readyWithWarnings(result.counts.warn) : t.preflight.ready),
    bannerStyle: result.blocked ? 'attention' : result.counts.warn > 0 ? 'emphasis' : 'good',
    facts: changeFacts(t, c, moot ? { kind: 'none' } : { kind: 'check' }),
    services: moot ? [] : serviceFacts(t, c),
    note: moot ? '' : t.preflight.adoptHow,
    findingsTitle: t.preflight.findingsTitle,
    noFindings: result.findings.length ? '' : signed('done', t.preflight.noFindings),
    groups: findingGroups(t, result.findings, { exclude: c.principal.id }),
    // Group licensing uses the tenant's country for people without one: nothing to set first.
    usageLocation: { show: false, label: t.usageLocation.countryLabel, value: '', placeholder: t.usageLocation.countryPlaceholder },
    actions,
  };
  return renderCard('preflight', view);
}

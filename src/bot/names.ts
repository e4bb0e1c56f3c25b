// From what the admin typed to a principal: a UPN or id goes straight to the license service, a
// bare name is looked up among users and groups; several or no matches become a card to choose
// from. Errors that come back from the license service are turned into cards in error-card.ts.
import type { ChangeSpec, PrincipalMatch, PrincipalQuery } from '../licensing/model';
import type { Messages } from '../i18n';
import type { PrincipalTarget } from './parser';
import type { Turn } from './turn';
import { specToData } from './actions/data';
import { chooseCard, type ChooseOption } from './cards/choose';
import { md, type AdaptiveCard } from './cards/render';
import { isGuid } from '../guid';

export function matchLabel(m: { displayName: string; userPrincipalName?: string }): string {
  return m.userPrincipalName && m.userPrincipalName !== m.displayName ? `${m.displayName} (${m.userPrincipalName})` : m.displayName;
}

function matchDetail(t: Messages, m: PrincipalMatch): string {
  return md([m.kind === 'user' ? t.common.user : t.common.group, m.detail].filter(Boolean).join(' · '));
}

export function queryOf(m: { kind: 'user' | 'group'; id: string }): PrincipalQuery {
  return m.kind === 'user' ? { kind: 'user', user: m.id } : { kind: 'group', group: m.id };
}

/** What clicking a principal on a choose card does next. */
export type NextStep = (q: PrincipalQuery) => Pick<ChooseOption, 'verb' | 'data'>;

/** Re-run the preflight of `spec` with the chosen principal. */
export function preflightWith(spec: Omit<ChangeSpec, 'principal'>): NextStep {
  return (q) => ({ verb: 'preflight', data: specToData({ ...spec, principal: q }) });
}

/**
 * A typed name to a principal query. Users by UPN or id and groups go straight to the license
 * service (it resolves and explains); a bare name is looked up among users and groups.
 */
export async function resolveTarget(turn: Turn, target: PrincipalTarget, next?: NextStep): Promise<{ query: PrincipalQuery } | { card: AdaptiveCard }> {
  switch (target.kind) {
    case 'group':
      return { query: { kind: 'group', group: target.name } };
    case 'users':
      return { query: { kind: 'users', users: target.names } };
    case 'user':
      if (target.name.includes('@') || isGuid(target.name)) return { query: { kind: 'user', user: target.name } };
      return pick(turn, target.name, 'user', next);
    case 'any':
      if (target.name.includes('@')) return { query: { kind: 'user', user: target.name } };
      return pick(turn, target.name, undefined, next);
  }
}

async function pick(turn: Turn, name: string, kind: 'user' | 'group' | undefined, next?: NextStep): Promise<{ query: PrincipalQuery } | { card: AdaptiveCard }> {
  const matches = await turn.deps.licenses.findPrincipals(name, { ...(kind ? { kind } : {}), top: 10 });
  const lower = name.trim().toLowerCase();
  const exact = matches.filter((m) => m.displayName.toLowerCase() === lower || m.userPrincipalName?.toLowerCase() === lower || m.id.toLowerCase() === lower);
  if (exact.length === 1) return { query: queryOf(exact[0]!) };
  if (matches.length === 1 && exact.length === 0) return { query: queryOf(matches[0]!) };
  if (matches.length === 0) return { card: principalUnknownCard(turn.t, name, [], next) };
  return { card: principalChoiceCard(turn.t, name, exact.length > 1 ? exact : matches, next) };
}

function principalOptions(t: Messages, list: PrincipalMatch[], next?: NextStep): ChooseOption[] {
  return list.map((m) => ({ title: md(matchLabel(m)), detail: matchDetail(t, m), ...(next ? next(queryOf(m)) : {}) }));
}

export function principalChoiceCard(t: Messages, name: string, candidates: PrincipalMatch[], next?: NextStep): AdaptiveCard {
  return chooseCard({
    title: t.lookup.principalAmbiguous(md(name)),
    buttonTitle: t.lookup.choose,
    options: principalOptions(t, candidates, next),
  });
}

export function principalUnknownCard(t: Messages, name: string, suggestions: PrincipalMatch[], next?: NextStep): AdaptiveCard {
  return chooseCard({
    title: t.lookup.principalUnknown(md(name)),
    text: suggestions.length ? t.lookup.suggestions : '',
    footer: suggestions.length ? '' : t.lookup.noSuggestions,
    buttonTitle: t.lookup.choose,
    options: principalOptions(t, suggestions, next),
  });
}

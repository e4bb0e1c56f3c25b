// `pending` and `history`: requests as a list, each with a button to open it.
import type { ChangeRequest } from '../../requests/types';
import type { Messages } from '../../i18n';
import { md, renderCard, type AdaptiveCard } from './render';
import { planLabel } from './plans';
import { plansLabel } from './preflight';
import { sourcesOf, targetsOf } from '../../licensing/change-plans';
import { deciderFact, formatTime, personName } from './request';

export interface RequestListView {
  title: string;
  empty: string;
  /** "and 12 more" below the list, or ''. */
  more: string;
  items: { text: string; detail: string; hasAction: boolean; buttonTitle: string; verb: string; data: Record<string, unknown> }[];
}

export function requestLine(t: Messages, r: ChangeRequest): string {
  const c = r.preflight?.change;
  const state = t.request.states[r.state] ?? r.state;
  if (!c) return `#${md(r.id)} — ${state}`;
  // A list of users has no name of its own ("8 users" from the service is English): say it in the reader's language.
  const who = c.kind === 'users' ? t.common.users(c.affectedUsers) : md(c.principal.displayName);
  if (c.kind === 'adopt') return t.history.adoptLine(md(r.id), who, md(planLabel(c.to)), state);
  if (c.reprocess) return t.reprocess.historyLine(md(r.id), who, c.reprocess.users.length, md(planLabel(c.to)), state);
  return t.history.line(md(r.id), who, plansLabel(sourcesOf(c)), plansLabel(targetsOf(c)), state);
}

/** "Rejected by Pieter Bakker: not this quarter" for the list, the reason cut short. */
function decisionLine(t: Messages, r: ChangeRequest): string {
  const d = deciderFact(t, r);
  if (!d || r.state === 'expired') return '';
  const reason = r.result?.reason;
  const short = reason && reason.length > 80 ? `${reason.slice(0, 79)}…` : reason;
  return short ? `${d.title} ${d.value}: ${md(short)}` : `${d.title} ${d.value}`;
}

/** "Usage location set to Belgium (BE) for 3 people: Ann, Bob, Cas" when the change set some. */
function usageLocationLine(t: Messages, r: ChangeRequest): string {
  const ul = r.result?.swap?.usageLocation;
  if (!ul?.set.length) return '';
  const names = ul.set.slice(0, 3).map((p) => md(p.displayName));
  if (ul.set.length > names.length) names.push(t.common.andMore(ul.set.length - names.length));
  return `${t.usageLocation.resultSet(ul.set.length, ul.country)}: ${names.join(', ')}`;
}

/** A list card stays well under Teams' card size limit: the newest this many, then "and N more". */
export const MAX_LIST_ITEMS = 25;

export function requestListCard(t: Messages, kind: 'pending' | 'history', requests: ChangeRequest[]): AdaptiveCard {
  const view: RequestListView = {
    title: kind === 'pending' ? t.pending.title : t.history.title,
    empty: kind === 'pending' ? t.pending.empty : t.history.empty,
    more: requests.length > MAX_LIST_ITEMS ? t.common.andMore(requests.length - MAX_LIST_ITEMS) : '',
    items: requests.slice(0, MAX_LIST_ITEMS).map((r) => ({
      text: requestLine(t, r),
      detail: [personName(r.requester), decisionLine(t, r), usageLocationLine(t, r), formatTime(r.updatedAt)].filter(Boolean).join(' · '),
      hasAction: true,
      buttonTitle: t.request.open,
      verb: 'refresh',
      data: { requestId: r.id },
    })),
  };
  return renderCard('request-list', view);
}

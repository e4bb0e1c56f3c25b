// "split teams for group Sales" / "splits Teams af voor groep Verkoop" (and "join teams for …"):
// the license service proposes the change (src/licensing/split-teams.ts); it is shown as the normal
// preflight card with one line saying what is proposed, then approved like any other change. When
// nothing can be proposed, a card says why (what to buy, which group to change).
import type { PrincipalQuery, SplitDirection, SplitProposal } from '../licensing/model';
import type { Turn } from './turn';
import { noticeCard } from './cards/notice';
import { escapeData } from './cards/preflight';
import { md, type AdaptiveCard } from './cards/render';
import { isLicensingError, licensingErrorCard, preflightOrExplain } from './error-card';
import { matchLabel, type NextStep } from './names';

/** What clicking a principal on a choose card does next: propose the split for that one. */
export function splitWith(direction: SplitDirection): NextStep {
  return (q) => ({ verb: 'split', data: { principal: q, direction } });
}

export async function teamsSplitCard(turn: Turn, query: PrincipalQuery, direction: SplitDirection): Promise<AdaptiveCard> {
  const { t } = turn;
  let proposal: SplitProposal;
  try {
    proposal = await turn.deps.licenses.proposeTeamsSplit(query, direction);
  } catch (err) {
    if (isLicensingError(err)) return licensingErrorCard(turn, err, undefined, splitWith(direction));
    throw err;
  }
  const who = md(matchLabel(proposal.principal));
  if (!proposal.spec) {
    const notes = proposal.notes.map((n) => t.teams.notes[n.code](escapeData(n.data)));
    return noticeCard({ title: t.teams.nothingTitle(who), text: `${notes.join(' ')} ${t.teams.nothingChanged}`, tone: 'warn' });
  }
  const names = (plans: SplitProposal['add']) => md(plans.map((p) => p.displayName).join(' + '));
  const line = (direction === 'join' ? t.teams.proposalJoin : t.teams.proposal)(who, names(proposal.remove), names(proposal.add));
  const card = await preflightOrExplain(turn, proposal.spec);
  return { ...card, body: [{ type: 'TextBlock', text: line, wrap: true, weight: 'Bolder' }, ...card.body] };
}

// verb "guide": the guided card's steps. principal -> source (the principal's current plans)
// -> target (assignable plans with free seats) -> the "preflight" verb.
import type { PrincipalQuery } from '../../licensing/model';
import { cardResponse } from '../invoke';
import { guidePrincipalCard, guideSourceCard, guideTargetCard } from '../cards/guide';
import { errorCard } from '../cards/notice';
import { isLicensingError, licensingErrorCard } from '../error-card';
import { resolveTarget, type NextStep } from '../names';
import { extraTargets, PickedPrincipal } from './data';
import type { ActionHandler } from './types';

/** Picking a principal from a "which one" card continues the guide. */
const continueGuide: NextStep = (q) => ({
  verb: 'guide',
  data: { step: 'source', principal: q.kind === 'user' ? `user:${q.user}` : q.kind === 'group' ? `group:${q.group}` : '' },
});

export const guide: ActionHandler<'guide'> = async (turn, data) => {
  const { t, deps } = turn;
  switch (data.step) {
    case 'principal':
      return cardResponse(guidePrincipalCard(t));
    case 'source': {
      let query: PrincipalQuery | undefined;
      const picked = data.principal?.trim();
      const typed = data.principalText?.trim();
      if (picked) {
        const p = PickedPrincipal.safeParse(picked);
        if (!p.success) return cardResponse(errorCard(t.errors.badCard));
        query = p.data.kind === 'user' ? { kind: 'user', user: p.data.id } : { kind: 'group', group: p.data.id };
      } else if (typed) {
        const resolved = await resolveTarget(turn, { kind: 'any', name: typed }, continueGuide);
        if ('card' in resolved) return cardResponse(resolved.card);
        query = resolved.query;
      } else {
        return cardResponse(guidePrincipalCard(t, t.guide.needPrincipal));
      }
      try {
        return cardResponse(guideSourceCard(t, await deps.licenses.status(query)));
      } catch (err) {
        if (isLicensingError(err)) return cardResponse(await licensingErrorCard(turn, err, undefined, continueGuide));
        throw err;
      }
    }
    case 'target': {
      const query: PrincipalQuery = data.principal.kind === 'user' ? { kind: 'user', user: data.principal.id } : { kind: 'group', group: data.principal.id };
      try {
        const status = await deps.licenses.status(query);
        if (!data.from) return cardResponse(guideSourceCard(t, status, t.guide.needSource));
        const [from, plans] = await Promise.all([deps.licenses.resolvePlan(data.from), deps.licenses.listPlans()]);
        // "Add another plan" comes back here with the picks so far and one more picker.
        const picks = { ...(data.to ? { to: data.to } : {}), alsoTo: extraTargets(data), extra: data.extra ?? 0 };
        return cardResponse(guideTargetCard(t, status.principal, from, plans, '', picks));
      } catch (err) {
        if (isLicensingError(err)) return cardResponse(await licensingErrorCard(turn, err, undefined, continueGuide));
        throw err;
      }
    }
  }
};

// verb "preflight": check a change (from the guided card, a choice, or "include direct copies").
import { cardResponse } from '../invoke';
import { guideTargetCard } from '../cards/guide';
import { errorCard } from '../cards/notice';
import { preflightOrExplain } from '../error-card';
import { extraTargets, specFromData } from './data';
import { md } from '../cards/render';
import { countryCode } from '../../reference/countries';
import type { ActionHandler } from './types';

export const preflight: ActionHandler<'preflight'> = async (turn, data) => {
  // The guided card's extra pickers ("add another plan"): further targets of the same change.
  const extra = extraTargets(data);
  if (!data.to && !data.adopt) {
    // The guided card's last step was sent without a target plan: show it again and say so.
    if (data.principal.kind === 'users' || !data.from) return cardResponse(errorCard(turn.t.guide.needTarget));
    const [status, plans, from] = await Promise.all([turn.deps.licenses.status(data.principal), turn.deps.licenses.listPlans(), turn.deps.licenses.resolvePlan(data.from)]);
    return cardResponse(guideTargetCard(turn.t, status.principal, from, plans, turn.t.guide.needTarget, { alsoTo: extra, extra: extra.length }));
  }
  const alsoTo = [...(data.alsoTo ?? []), ...extra];
  const spec = specFromData({ ...data, to: data.to ?? '', ...(alsoTo.length ? { alsoTo } : {}) });
  if (data.setUsageLocation) {
    // The usage location fix: the country typed on the card wins over the one the button offered.
    const typed = data.usageLocationCountry?.trim() || data.setUsageLocation.country.trim();
    if (!typed) return cardResponse(errorCard(turn.t.usageLocation.needCountry));
    const code = countryCode(typed);
    if (!code) return cardResponse(errorCard(turn.t.usageLocation.badCountry(md(typed))));
    spec.setUsageLocation = { country: code };
  }
  return cardResponse(await preflightOrExplain(turn, spec));
};

// verb "split": propose splitting Teams off (or joining it back) for the user or group chosen on a card.
import { cardResponse } from '../invoke';
import { teamsSplitCard } from '../teams-split';
import type { ActionHandler } from './types';

export const split: ActionHandler<'split'> = async (turn, data) => cardResponse(await teamsSplitCard(turn, data.principal, data.direction));

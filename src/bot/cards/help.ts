import type { Messages } from '../../i18n';
import { renderCard, type AdaptiveCard } from './render';
import { action, type CardAction, type Fact } from './common';

export interface HelpView {
  title: string;
  intro: string;
  commandsTitle: string;
  /** Each command on its own line (a narrow FactSet column broke long examples mid-word), its meaning under it. */
  commands: Fact[];
  hint: string;
  actions: CardAction[];
}

export function helpCard(t: Messages): AdaptiveCard {
  const view: HelpView = {
    title: t.help.title,
    intro: t.help.intro,
    commandsTitle: t.help.commandsTitle,
    commands: t.help.commands.map(([cmd, desc]) => ({ title: cmd, value: desc })),
    hint: t.help.dutchHint,
    actions: [action(t.help.startButton, 'guide', { step: 'principal' }, 'positive')],
  };
  return renderCard('help', view);
}

// "Which one do you mean?": ambiguous names, suggestions for unknown names, the tenant's plans
// for an unknown plan, the candidates for an ambiguous source plan.
import { renderCard, type AdaptiveCard } from './render';
import type { Verb } from '../actions/data';

export interface ChooseOption {
  /** Markdown-safe. */
  title: string;
  /** Markdown-safe. */
  detail: string;
  /** Without a verb the option is shown but not clickable. */
  verb?: Verb;
  data?: Record<string, unknown>;
}

export interface ChooseView {
  title: string;
  text: string;
  footer: string;
  options: { title: string; detail: string; hasAction: boolean; buttonTitle: string; verb: string; data: Record<string, unknown> }[];
}

export const MAX_OPTIONS = 10;

export function chooseCard(opts: { title: string; text?: string; footer?: string; buttonTitle: string; options: ChooseOption[] }): AdaptiveCard {
  const view: ChooseView = {
    title: opts.title,
    text: opts.text ?? '',
    footer: opts.footer ?? '',
    options: opts.options.slice(0, MAX_OPTIONS).map((o) => ({
      title: o.title,
      detail: o.detail,
      hasAction: !!o.verb,
      buttonTitle: opts.buttonTitle,
      verb: o.verb ?? 'refresh',
      data: o.data ?? {},
    })),
  };
  return renderCard('choose', view);
}

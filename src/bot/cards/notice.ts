// A short message on a card: errors, refusals, "approved, running…". No live buttons unless given.
import { renderCard, type AdaptiveCard } from './render';
import type { CardAction, TextColor } from './common';

export interface NoticeView {
  title: string;
  color: TextColor;
  text: string;
  details: { text: string }[];
  actions: CardAction[];
}

/** `text` and `details` must already be markdown-safe (built with md() for tenant values). */
export function noticeCard(opts: { title?: string; text: string; color?: TextColor; details?: string[]; actions?: CardAction[] }): AdaptiveCard {
  const view: NoticeView = {
    title: opts.title ?? '',
    color: opts.color ?? 'Default',
    text: opts.text,
    details: (opts.details ?? []).map((text) => ({ text })),
    actions: opts.actions ?? [],
  };
  // The title row is dropped by the template when empty; its colour applies to the text too.
  return renderCard('notice', view);
}

/** A refusal or error: the text in the attention colour, nothing to click. */
export function errorCard(text: string, details?: string[]): AdaptiveCard {
  return noticeCard({ text, details, color: 'Attention' });
}

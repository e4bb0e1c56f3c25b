// A short message on a card: errors, refusals, "approved, running…". No live buttons unless given.
import { renderCard, type AdaptiveCard } from './render';
import { signed, TONE_STYLE, type CardAction, type ContainerStyle, type Tone } from './common';

export interface NoticeView {
  title: string;
  /** The message: default-coloured text with the tone's sign, in a Container of this style. */
  style: ContainerStyle;
  text: string;
  details: { text: string }[];
  actions: CardAction[];
}

/** `text` and `details` must already be markdown-safe (built with md() for tenant values). */
export function noticeCard(opts: { title?: string; text: string; tone?: Tone; details?: string[]; actions?: CardAction[] }): AdaptiveCard {
  const tone = opts.tone ?? 'plain';
  const view: NoticeView = {
    title: opts.title ?? '',
    style: TONE_STYLE[tone],
    text: signed(tone, opts.text),
    details: (opts.details ?? []).map((text) => ({ text })),
    actions: opts.actions ?? [],
  };
  // The title row is dropped by the template when empty.
  return renderCard('notice', view);
}

/** A refusal or error: ⛔ and the text in an attention Container, nothing to click. */
export function errorCard(text: string, details?: string[]): AdaptiveCard {
  return noticeCard({ text, details, tone: 'block' });
}

// Pieces shared by the view models: facts, buttons and tones.
//
// Colour is never the only signal, and coloured text is not used for body text: yellow ("Warning")
// and green ("Good") text are too faint on a white background (contrast ~2:1). A tone is shown as
// a sign in front of default-coloured text (⛔ ⚠ ℹ ✓) and, where it helps, a styled Container
// (whose light background keeps dark text readable).
import type { Severity } from '../../licensing/model';
import type { Verb } from '../actions/data';

export interface Fact {
  title: string;
  value: string;
}

export interface CardAction {
  title: string;
  verb: Verb;
  data: Record<string, unknown>;
  style: 'default' | 'positive' | 'destructive';
}

export type ContainerStyle = 'default' | 'good' | 'warning' | 'attention' | 'accent' | 'emphasis';

/** What a line means: blocker, warning, note, done, or just text. */
export type Tone = 'block' | 'warn' | 'info' | 'done' | 'plain';

export const TONE_SIGN: Record<Tone, string> = { block: '⛔', warn: '⚠', info: 'ℹ', done: '✓', plain: '' };
export const TONE_STYLE: Record<Tone, ContainerStyle> = { block: 'attention', warn: 'warning', info: 'default', done: 'good', plain: 'default' };
export const SEVERITY_TONE: Record<Severity, Tone> = { block: 'block', warn: 'warn', info: 'info' };

/** `text` with the tone's sign in front (markdown-safe text stays markdown-safe). */
export function signed(tone: Tone, text: string): string {
  const sign = TONE_SIGN[tone];
  return sign && text ? `${sign} ${text}` : text;
}

/** A line for a template that shows it as default-coloured text in a Container of `style`. */
export interface ToneLine {
  text: string;
  style: ContainerStyle;
}

export function toneLine(tone: Tone, text: string): ToneLine {
  return { text: signed(tone, text), style: TONE_STYLE[tone] };
}

export function action(title: string, verb: Verb, data: Record<string, unknown> = {}, style: CardAction['style'] = 'default'): CardAction {
  return { title, verb, data, style };
}

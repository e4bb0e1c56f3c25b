// Card rendering: one Adaptive Card template per screen in cards/*.json, expanded with
// adaptivecards-templating from a typed view model.
//
// Safety: the templating engine expands the template only, never the data, so a display name
// "${evil}" comes out literally. What the engine does not protect against is the client: Teams
// renders markdown in TextBlock/FactSet text and formats {{DATE()}}/{{TIME()}} functions. Every
// value that comes from the tenant (names, UPNs, plan names, reasons) goes through `md()` in the
// view-model builders before it reaches a template.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'adaptivecards-templating';
import { CardFactory, type Attachment } from '../sdk';

/** Repository root: dist/src/bot/cards -> ../../../.. */
export const CARDS_DIR = join(__dirname, '..', '..', '..', '..', 'cards');

export const CARD_NAMES = [
  'notice',
  'help',
  'plans',
  'principal-status',
  'choose',
  'guide-principal',
  'guide-source',
  'guide-target',
  'preflight',
  'request',
  'result',
  'request-list',
  'doctor',
] as const;
export type CardName = (typeof CARD_NAMES)[number];

const cache = new Map<CardName, unknown>();

export function loadTemplate(name: CardName): unknown {
  let t = cache.get(name);
  if (!t) {
    t = JSON.parse(readFileSync(join(CARDS_DIR, `${name}.json`), 'utf8'));
    cache.set(name, t);
  }
  return t;
}

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string; body: unknown[] };

/** Expands the screen's template with `data`. Pure: same data, same card. */
export function renderCard(name: CardName, data: object): AdaptiveCard {
  const template = new Template(loadTemplate(name));
  const card = template.expand({ $root: data }) as AdaptiveCard;
  // The templating engine stores its own bookkeeping on nothing, but drop the schema pointer so
  // the payload sent to Teams stays small.
  delete (card as Record<string, unknown>)['$schema'];
  return card;
}

export function cardAttachment(card: AdaptiveCard): Attachment {
  return CardFactory.adaptiveCard(card);
}

const MD_SPECIAL = /[\\`*_~[\]]/g;

/**
 * Text from the tenant, made safe for a markdown TextBlock: markdown characters are escaped,
 * line breaks flattened, list/heading markers at the start neutralised and the client-side
 * {{DATE()}} / {{TIME()}} functions broken up.
 */
export function md(value: unknown): string {
  let s = value === undefined || value === null ? '' : String(value);
  s = s.replace(/[\r\n\t\u2028\u2029]+/g, ' ');
  s = s.replace(MD_SPECIAL, '\\$&');
  // "- x", "+ x", "1. x", "# x", "> x" at the start would become lists, headings or quotes.
  s = s.replace(/^(\s*)([-+>#])/, '$1\\$2').replace(/^(\s*\d+)\.(\s)/, '$1\\.$2');
  // Client-side date/time functions: {{DATE(...)}}.
  s = s.replace(/\{\{/g, '{\u200B{').replace(/\}\}/g, '}\u200B}');
  return s;
}

/** First `max` names and "and N more". Names are escaped. */
export function nameList(names: string[], max: number, andMore: (n: number) => string): string {
  const shown = names.slice(0, max).map(md);
  const rest = names.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} ${andMore(rest)}` : shown.join(', ');
}

/** Plain (non-markdown) text such as Input.ChoiceSet titles and button titles: just flattened and bounded. */
export function plain(value: unknown, max = 200): string {
  const s = (value === undefined || value === null ? '' : String(value)).replace(/[\r\n\t]+/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

// What every card sent to Teams carries in its buttons besides their own data: long user lists
// as choice ids (choices.ts), and the card's language, so that a click is answered in the
// language the card is written in (Teams sends the client's locale with a click, and a Dutch
// card in an English client would otherwise answer in English).
import { compactCard, type ChoiceStore } from './choices';
import type { Lang } from './parser';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** `card` with the language stamped on every Action.Execute's data that has none yet. */
export function stampLang<T>(card: T, lang: Lang): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObj(v)) return v;
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    if (out.type === 'Action.Execute') out.data = { lang, ...(isObj(out.data) ? out.data : {}) };
    return out;
  };
  return walk(card) as T;
}

/** A card as it leaves the bot: long lists stored, the language stamped. */
export async function outgoingCard<T>(card: T, choices: ChoiceStore, lang: Lang): Promise<T> {
  return stampLang(await compactCard(card, choices), lang);
}

/** The language a clicked card was written in (its stamp), if any. */
export function clickLang(invokeValue: unknown): Lang | undefined {
  const action = isObj(invokeValue) ? invokeValue.action : undefined;
  const data = isObj(action) ? action.data : undefined;
  const lang = isObj(data) ? data.lang : undefined;
  return lang === 'en' || lang === 'nl' ? lang : undefined;
}

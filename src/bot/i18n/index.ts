// Picks the language: a Dutch command implies Dutch; otherwise the activity's locale (nl* -> Dutch).
import { en, type Messages } from './en';
import { nl } from './nl';
import type { Lang } from '../parser';

export type { Messages };
export { en, nl };

export function messagesFor(lang: Lang): Messages {
  return lang === 'nl' ? nl : en;
}

export function langFromLocale(locale: string | undefined | null): Lang {
  return typeof locale === 'string' && /^nl\b/i.test(locale.trim()) ? 'nl' : 'en';
}

export function pickLang(commandLang: Lang | undefined, locale: string | undefined | null): Lang {
  return commandLang ?? langFromLocale(locale);
}

// The message tables: every sentence a user reads, in English (en.ts) and Dutch (nl.ts), written
// once and shared by the bot's cards and the CLI. A leaf: it imports nothing but types from
// src/licensing/model, so the CLI reads it without loading botbuilder.
//
// A new preflight finding: add its code to FindingCode (src/licensing/model.ts), let the check
// add(code, severity, principals, data), and write its sentence as findings.CODE(data) in en.ts
// and nl.ts (the compiler refuses a table that misses a code).
//
// explain.ts turns an error or a refusal (by its code) into its sentence, for the bot and the CLI alike.
//
// Picks the language: a Dutch command implies Dutch; otherwise the activity's locale (nl* -> Dutch).
import { en, type Messages } from './en';
import { nl } from './nl';

export type Lang = 'en' | 'nl';

export type { Messages };
export { en, nl };
export { runErrorText } from './run-error';
export {
  failureText,
  graphErrorSentence,
  graphFacts,
  licensingErrorSentence,
  planListProblem,
  refusalSentence,
  usageLocationNotSetText,
  type ExplainableError,
  type RefusalAction,
  type RefusalLike,
} from './explain';

export function messagesFor(lang: Lang): Messages {
  return lang === 'nl' ? nl : en;
}

export function langFromLocale(locale: string | undefined | null): Lang {
  return typeof locale === 'string' && /^nl\b/i.test(locale.trim()) ? 'nl' : 'en';
}

export function pickLang(commandLang: Lang | undefined, locale: string | undefined | null): Lang {
  return commandLang ?? langFromLocale(locale);
}

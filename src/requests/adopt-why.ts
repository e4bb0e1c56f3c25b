// Why an adopt left a member's own copy alone, in the reader's language. The request stores codes
// and data (AdoptKept, WaveMiss.adopt); rows stored before hold an English sentence, shown as stored.
import type { Messages } from '../i18n';
import type { AdoptKept, AdoptSkip } from '../licensing/model';
import { missCause } from './waves';

/** `esc`: how tenant text is escaped where it is shown (the cards' Markdown; plain for the CLI). */
export function adoptWhyText(t: Messages, k: AdoptSkip | AdoptKept, esc: (s: string) => string = (s) => s): string {
  const why = t.result.adoptWhy;
  switch (k.reason) {
    case 'gone':
      return why.gone;
    case 'servicesNotCovered':
      return why.servicesNotCovered(esc((k.services ?? []).join(', ')));
    case 'error':
      // Entra's error value: what it means and the fix, from the tables.
      return why.error(k.error ? t.reprocess.why(k.error) : esc(k.message ?? ''));
    case 'removeFailed': {
      if (!k.error) return why.removeFailed(esc(k.message ?? ''));
      // Graph's code (and its own words) in a word, said from the tables; an unknown one names the code.
      const cause = missCause(`${k.error} ${k.message ?? ''}`);
      const said = t.waves.why[cause] ?? t.waves.why.other;
      return why.removeFailed(cause === 'other' ? `${said} (${esc(k.error)})` : said);
    }
    default:
      return why.notInherited;
  }
}

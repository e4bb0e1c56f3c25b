// Why a run stopped (RunError: a code and data stored with the request), in the reader's language.
// The English sentence is also what RequestResult.error keeps for the log and the CLI's JSON.
import type { RunError } from '../licensing/model';
import type { Messages } from './en';
import { failureText } from './explain';

/** `esc`: how the technical detail is escaped where it is shown (the cards' Markdown; plain elsewhere). */
export function runErrorText(t: Messages, e: RunError, esc: (s: string) => string = (s) => s): string {
  const say = t.result.runError;
  switch (e.code) {
    case 'recheckFailed':
      return say.recheckFailed(e.cause ? failureText(t, e.cause, esc) : esc(e.detail));
    case 'refusedBeforeWriting':
      return say.refusedBeforeWriting(e.cause ? failureText(t, e.cause, esc) : esc(e.detail));
    case 'swapCallFailed':
      return say.swapCallFailed(e.cause ? failureText(t, e.cause, esc) : esc(e.detail));
    case 'trackingFailed':
      return say.trackingFailed(esc(e.detail));
    case 'stillProcessing':
      return say.stillProcessing(esc(e.state));
    case 'tooLate':
      return say.tooLate;
    case 'adoptGroupRefused':
      return say.adoptGroupRefused(esc(e.detail));
    case 'adoptTrackingFailed':
      return say.adoptTrackingFailed(esc(e.detail));
    case 'adoptStillProcessing':
      return say.adoptStillProcessing(esc(e.state));
    case 'adoptWaveFailures':
      return say.adoptWaveFailures(e.wave, e.failed, e.sent, e.left);
    default:
      return esc(String((e as { code?: unknown }).code ?? ''));
  }
}

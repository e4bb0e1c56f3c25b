// A change run in waves on its cards: where it stands ("Wave 3 of 7: 205 of 650 people done, 2
// failed"), why it paused (each person's reason in the reader's language), a pause or cancel
// asked for, and the buttons that go with the state (Pause, Resume, Cancel the rest).
import type { ChangeRequest, ResumeCheck, WaveMiss, WaveRun } from '../../requests/types';
import { failureText, usageLocationNotSetText, type Messages } from '../../i18n';
import type { PrincipalRef } from '../../licensing/model';
import { waveSize, waveTotals } from '../../requests/waves';
import { adoptWhyText } from '../../requests/adopt-why';
import { md } from './render';
import { action, toneLine, type CardAction, type ToneLine } from './common';
import { findingText, percent, principalLabel } from './preflight';

/** At most this many people named per list on a card. */
const MAX_PEOPLE = 10;

function who(a: { name?: string; id: string }): string {
  return md(a.name || a.id);
}

/** One person and why, in the reader's language (an older row's English reason as stored). */
export function missLine(t: Messages, m: WaveMiss): string {
  const name = md(principalLabel(m.principal));
  // An adopt's reason from its codes; another kind's from the skip table; an older row's English as stored.
  if (m.kind === 'skipped') return `${name}: ${m.adopt ? adoptWhyText(t, m.adopt, md) : (m.code && t.waves.skipWhy[m.code]) || md(m.reason ?? m.code ?? '')}`;
  // Their usage location could not be set (no license call was made): why, from its code.
  if (m.usageLocationWhy) return `${name}: ${usageLocationNotSetText(t, { ...m, graphCode: m.code }, md)}`;
  const cause = m.cause ?? 'other';
  const why = t.waves.why[cause] ?? md(m.reason ?? '');
  return `${name}: ${why}${cause === 'other' && m.code ? ` (${md(m.code)})` : ''}`;
}

/** The people of `misses` (of `total` in all) as lines: the first ten and "and n more". */
function people(t: Messages, misses: WaveMiss[], total: number): string[] {
  const lines = misses.slice(0, MAX_PEOPLE).map((m) => missLine(t, m));
  if (total > lines.length) lines.push(t.common.andMore(total - lines.length));
  return lines;
}

/** The progress line: waves recorded, people done of all, failed so far. */
export function waveProgressText(t: Messages, w: WaveRun): string {
  const tot = waveTotals(w);
  return t.waves.progress(w.next, w.count, tot.done, w.total, tot.failed);
}

/** Notes for a request card (empty when the change does not run in waves). */
export function waveNotes(t: Messages, r: ChangeRequest): ToneLine[] {
  const w = r.result?.waves;
  if (!w) return [];
  const lines: ToneLine[] = [];
  const tot = waveTotals(w);
  if (w.next > 0) lines.push(toneLine(tot.failed ? 'warn' : 'info', waveProgressText(t, w)));
  if (w.inFlight && r.state === 'running') {
    lines.push(toneLine('info', t.waves.sending(w.inFlight.index + 1, w.count, waveSize(w.total, w.settings, w.inFlight.index))));
  }
  if (tot.skipped > tot.notNeeded) lines.push(toneLine('warn', t.waves.skipped(tot.skipped - tot.notNeeded)));
  if (tot.notNeeded) lines.push(toneLine('info', t.waves.notNeeded(tot.notNeeded)));
  if (r.state === 'running' && w.stop) {
    lines.push(toneLine('warn', w.stop.action === 'pause' ? t.waves.pauseAsked(who(w.stop.by)) : t.waves.cancelAsked(who(w.stop.by))));
  }
  if (r.state === 'running' && w.resumed && !w.stop) {
    lines.push(toneLine('plain', t.waves.resumedBy(who(w.resumed.by))));
    if (w.recheck) lines.push(...recheckLines(t, r.id, w.recheck));
  }
  if (r.state === 'paused') {
    lines.push(toneLine('warn', pausedText(t, w)));
    const wave = w.pause ? w.waves.find((x) => x.index === w.pause!.wave) : undefined;
    if (wave?.failedCount) for (const l of people(t, wave.failed, wave.failedCount)) lines.push(toneLine('block', l));
    // A resume refused by the check of the remaining people: what blocks, and what to do.
    if (w.recheck?.blocked) lines.push(...recheckLines(t, r.id, w.recheck));
    else lines.push(toneLine('plain', t.waves.pausedNext(md(r.id))));
  }
  if (r.state === 'cancelled') lines.push(toneLine('warn', t.waves.cancelled(w.next, w.count, tot.done)));
  return lines;
}

/** A name list: the first ten and "and n more". */
function names(t: Messages, people: PrincipalRef[], total: number): string {
  const shown = people.slice(0, MAX_PEOPLE).map((p) => md(principalLabel(p)));
  return shown.length ? ` ${shown.join(', ')}${total > shown.length ? `, ${t.common.andMore(total - shown.length)}` : ''}.` : '';
}

/**
 * The check of the remaining people before a resume: per blocking finding what it is, whom it is
 * about and what to do; the warnings; who is left out of the waves and why.
 */
export function recheckLines(t: Messages, id: string, c: ResumeCheck): ToneLine[] {
  const lines: ToneLine[] = [toneLine(c.blocked ? 'block' : 'info', t.waves.recheckTitle(c.people, `${c.at.slice(0, 16).replace('T', ' ')} UTC`))];
  // Why the check could not run: from its code and data (a row stored before: its English as stored).
  if (c.failure || c.error) {
    lines.push(toneLine('block', t.waves.recheckFailed(c.failure ? failureText(t, c.failure, md) : md(c.error!))));
    lines.push(toneLine('plain', t.waves.recheckDo('CHECK_FAILED', t.waves.recheckAgain(md(id)))));
  }
  for (const f of c.findings.filter((x) => x.severity === 'block')) {
    lines.push(toneLine('block', `${findingText(t, f)}${names(t, f.principals, f.people)}`));
    lines.push(toneLine('plain', t.waves.recheckDo(f.code, t.waves.recheckAgain(md(id)))));
  }
  for (const f of c.findings.filter((x) => x.severity === 'warn')) lines.push(toneLine('warn', t.waves.recheckWarning(`${findingText(t, f)}${names(t, f.principals, f.people)}`)));
  if (c.skippedCount) {
    lines.push(toneLine('info', t.waves.recheckSkipped(c.skippedCount)));
    for (const s of c.skipped.slice(0, MAX_PEOPLE)) lines.push(toneLine('plain', `${md(principalLabel(s.principal))}: ${t.waves.skipWhy[s.code] ?? s.code}`));
    if (c.skippedCount > Math.min(c.skipped.length, MAX_PEOPLE)) lines.push(toneLine('plain', t.common.andMore(c.skippedCount - Math.min(c.skipped.length, MAX_PEOPLE))));
  }
  if (!c.blocked && !c.findings.length && !c.skippedCount) lines.push(toneLine('done', t.waves.recheckPassed));
  return lines;
}

/** Why a run is paused, in one sentence. */
export function pausedText(t: Messages, w: WaveRun): string {
  const p = w.pause;
  if (!p) return t.request.states.paused ?? 'paused';
  if (p.by) return t.waves.pausedBy(who(p.by), p.wave + 1);
  if (p.checkFailed) return t.waves.pausedCheckFailed(p.wave + 1, failureText(t, p.checkFailed, md));
  if (p.reason) return t.waves.pausedCheck(md(p.reason)); // stored before checkFailed: English, as stored
  return t.waves.pausedAuto(p.wave + 1, percent(p.errorShare ?? 0), percent(w.settings.pauseAtErrorShare));
}

/** Every person who failed or was left out, over all waves (for the pause notice and the result card). */
export function waveMisses(t: Messages, w: WaveRun): { failed: string[]; skipped: string[]; failedTotal: number; skippedTotal: number } {
  const tot = waveTotals(w);
  const failed = w.waves.flatMap((x) => x.failed);
  const skipped = w.waves.flatMap((x) => x.skipped);
  return { failed: people(t, failed, tot.failed), skipped: people(t, skipped, tot.skipped), failedTotal: tot.failed, skippedTotal: tot.skipped };
}

/** Pause / Resume / Cancel the rest, for the state the run is in (status view). */
export function waveActions(t: Messages, r: ChangeRequest): CardAction[] {
  if (!r.result?.waves) return [];
  const ref = { requestId: r.id, version: r.version };
  if (r.state === 'running' && r.result.waves.stop?.action !== 'cancel') {
    const out: CardAction[] = [];
    if (!r.result.waves.stop) out.push(action(t.waves.pause, 'pause', { requestId: r.id }));
    out.push(action(t.waves.cancelRest, 'cancel', ref, 'destructive'));
    return out;
  }
  if (r.state === 'paused') return [action(t.waves.resume, 'resume', ref, 'positive'), action(t.waves.cancelRest, 'cancel', ref, 'destructive')];
  return [];
}

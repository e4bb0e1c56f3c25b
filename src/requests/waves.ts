// Waves (issue 13): a large change's per-person calls run as a pilot wave, then waves of a fixed
// size, each read back before the next; a wave whose error share passes the threshold pauses the
// run. Pure parts here (which changes run in waves, how they split, what a wave's outcome is);
// wave-runner.ts sends them and records each wave in the store before the next.
import type { AdoptSkip, Assignment, PrincipalRef, ResolvedChange, SwapOutcome, SwapResult, TrackingReport, WaveSettings } from '../licensing/model';
import type { ChangeRequest, WaveMiss, WaveMissCause, WaveRecord, WaveRun } from './types';

/** The product's defaults (WAVE_PILOT, WAVE_SIZE, WAVE_PAUSE_AT override them). */
export const DEFAULT_WAVES: WaveSettings = { pilot: 5, size: 100, pauseAtErrorShare: 0.1 };

/** At most this many people per wave record's lists (the counts stay whole). */
const KEEP_PER_WAVE = 100;

/**
 * A kind of change's check before each wave (adopt: "only remove the direct copy of members whose
 * inherited copy is Active"). Given the wave's calls as planned, it answers which are ready; the
 * rest are left out of this wave with a reason (recorded, shown on the card in the reader's language,
 * not counted as errors, never sent later). It may read Graph; it must not write. A throw fails the
 * check of the whole wave: the run pauses with the error as its reason, nothing of the wave sent.
 */
export interface WaveCheck {
  (input: { request: ChangeRequest; change: ResolvedChange; wave: number; assignments: Assignment[]; signal: AbortSignal }): Promise<{
    ready: Assignment[];
    skipped: { principal: PrincipalRef; reason?: string; code?: string; adopt?: AdoptSkip }[];
  }>;
}

/** Checks by kind of change (`ResolvedChange.kind`): registered in the composition root. */
export type WaveChecks = Partial<Record<string, WaveCheck>>;

/** Settings in range: a pilot of at least 1, waves of at least 1, a share between 0 and 1. */
export function normalizeWaves(w: Partial<WaveSettings> | undefined, defaults: WaveSettings = DEFAULT_WAVES): WaveSettings {
  const int = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : d);
  const share = w?.pauseAtErrorShare;
  return {
    pilot: int(w?.pilot, defaults.pilot),
    size: int(w?.size, defaults.size),
    pauseAtErrorShare: typeof share === 'number' && Number.isFinite(share) && share >= 0 && share <= 1 ? share : defaults.pauseAtErrorShare,
  };
}

/**
 * The wave settings a change runs with, or undefined when it runs in one go: only changes made of
 * per-person calls (no group call) with more people than the pilot run in waves. The request's
 * own settings (ChangeSpec.waves: --pilot, --wave-size, "in waves of 50") win over the defaults.
 */
export function wavesFor(change: ResolvedChange, spec: { waves?: Partial<WaveSettings> } | undefined, defaults: WaveSettings = DEFAULT_WAVES): WaveSettings | undefined {
  const a = change.assignments ?? [];
  if (!a.length || a.some((x) => x.principal.kind !== 'user')) return undefined;
  const settings = normalizeWaves(spec?.waves, defaults);
  return a.length > settings.pilot ? settings : undefined;
}

/** How many waves `total` people make: the pilot, then waves of `size`. */
export function waveCount(total: number, s: WaveSettings): number {
  if (total <= 0) return 0;
  return total <= s.pilot ? 1 : 1 + Math.ceil((total - s.pilot) / s.size);
}

/** The calls of the waves from `next` on (the waves not yet run), in the change's order. */
export function wavesFrom<T>(items: readonly T[], s: WaveSettings, next: number): T[] {
  if (next <= 0) return items.slice();
  return items.slice(s.pilot + (next - 1) * s.size);
}

/** Skip codes of people who no longer need the change (resume-check.ts): they count as done for the final state. */
export const NOT_NEEDED: ReadonlySet<string> = new Set(['target-held', 'not-in-tenant']);

/** The calls of wave `index` (0 = the pilot), in the change's order. */
export function waveSlice<T>(items: readonly T[], s: WaveSettings, index: number): T[] {
  if (index === 0) return items.slice(0, s.pilot);
  const start = s.pilot + (index - 1) * s.size;
  return items.slice(start, start + s.size);
}

/** How many people wave `index` holds. */
export function waveSize(total: number, s: WaveSettings, index: number): number {
  if (index === 0) return Math.min(s.pilot, total);
  return Math.max(0, Math.min(s.size, total - s.pilot - (index - 1) * s.size));
}

/** A fresh wave run for a change about to start. */
export function newWaveRun(change: ResolvedChange, s: WaveSettings): WaveRun {
  const total = change.assignments.length;
  return { settings: s, total, count: waveCount(total, s), next: 0, waves: [] };
}

/** People done so far, failed so far, and left out so far (of whom `notNeeded` no longer needed the change), over the recorded waves. */
export function waveTotals(run: WaveRun): { done: number; failed: number; skipped: number; notNeeded: number; sent: number } {
  let done = 0;
  let failed = 0;
  let skipped = 0;
  let notNeeded = 0;
  for (const w of run.waves) {
    done += w.done;
    failed += w.failedCount;
    skipped += w.skippedCount;
    notNeeded += w.notNeededCount ?? 0;
  }
  return { done, failed, skipped, notNeeded, sent: done + failed };
}

/**
 * One wave's record from what the swap answered and what the read-back shows. A person counts as
 * done when Graph accepted the call and the read-back shows the change without an error; refused,
 * in error, or not shown count as failed (the error share); `skipped` came from the kind's check.
 */
export function waveRecord(input: {
  index: number;
  planned: number;
  swap: SwapResult;
  tracking?: TrackingReport;
  /** The read-back failed as a whole: nobody's change can be confirmed. */
  trackingError?: string;
  skipped: WaveMiss[];
  startedAt: string;
  finishedAt: string;
  recovered?: boolean;
}): WaveRecord {
  const key = (p: PrincipalRef) => p.id.toLowerCase();
  const failed: WaveMiss[] = [];
  const errors = new Map((input.tracking?.errors ?? []).map((e) => [key(e.principal), e]));
  const doneIds = new Set((input.tracking?.done ?? []).map(key));
  let done = 0;
  for (const o of input.swap.outcomes) {
    if (o.status === 'failed') {
      failed.push(refusedMiss(o));
      continue;
    }
    const err = errors.get(key(o.principal));
    if (err) failed.push({ principal: o.principal, kind: 'error', code: err.error, cause: missCause(err.error), reason: err.message });
    else if (input.tracking && !doneIds.has(key(o.principal)))
      failed.push({
        principal: o.principal,
        kind: 'unconfirmed',
        cause: 'not-shown',
        reason: 'Graph accepted the change but does not show it on this person yet; check them with status.',
      });
    else if (!input.tracking && input.trackingError)
      failed.push({
        principal: o.principal,
        kind: 'unconfirmed',
        cause: 'not-shown',
        reason: `The change could not be read back (${input.trackingError}); check this person with status.`,
      });
    else done++;
  }
  const sent = input.swap.outcomes.length;
  const notNeeded = input.skipped.filter((m) => m.code && NOT_NEEDED.has(m.code)).length;
  return {
    index: input.index,
    people: input.planned,
    done,
    failed: failed.slice(0, KEEP_PER_WAVE),
    failedCount: failed.length,
    skipped: input.skipped.slice(0, KEEP_PER_WAVE),
    skippedCount: input.skipped.length,
    ...(notNeeded ? { notNeededCount: notNeeded } : {}),
    errorShare: sent ? failed.length / sent : 0,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    ...(input.recovered ? { recovered: true } : {}),
  };
}

function refusedMiss(o: SwapOutcome): WaveMiss {
  return {
    principal: o.principal,
    kind: 'refused',
    ...(o.graphCode ? { code: o.graphCode } : {}),
    cause: missCause(`${o.graphCode ?? ''} ${o.graphMessage ?? ''} ${o.reason ?? ''}`),
    ...(o.usageLocationWhy ? { usageLocationWhy: o.usageLocationWhy } : {}),
    reason: o.reason ?? 'Graph refused the change.',
  };
}

/** The cause of a refusal or an error (Graph's code and message, Entra's error value) in a word. */
export function missCause(text: string): WaveMissCause {
  const t = text.toLowerCase();
  if (/was not made/.test(t)) return 'not-made';
  if (/prohibitedinusagelocation/.test(t)) return 'location-not-allowed';
  if (/usage ?location/.test(t)) return 'usage-location';
  if (/countviolation|no available licenses|not enough licenses|insufficient licenses|no free licenses/.test(t)) return 'no-seats';
  if (/mutually ?exclusive/.test(t)) return 'clash';
  if (/depend/.test(t)) return 'dependency';
  if (/throttl|too ?many ?requests|\b429\b/.test(t)) return 'throttled';
  if (/not ?found|does not exist|\b404\b/.test(t)) return 'not-found';
  if (/forbidden|insufficient privileges|requestdenied|\b403\b/.test(t)) return 'forbidden';
  return 'other';
}

/** The run pauses after this wave: its error share passed the threshold. */
export function passesThreshold(w: WaveRecord, s: WaveSettings): boolean {
  return w.failedCount > 0 && w.errorShare > s.pauseAtErrorShare;
}

/** Every wave's calls merged into one SwapResult (the request's result.swap: undo and the result card read it). */
export function mergeSwaps(change: ResolvedChange, previous: SwapResult | undefined, wave: SwapResult): SwapResult {
  const outcomes = [...(previous?.outcomes ?? []), ...wave.outcomes];
  const a = previous?.usageLocation;
  const b = wave.usageLocation;
  const usageLocation = a || b ? { country: (b ?? a)!.country, set: [...(a?.set ?? []), ...(b?.set ?? [])], failed: [...(a?.failed ?? []), ...(b?.failed ?? [])] } : undefined;
  return {
    kind: change.kind,
    ...(usageLocation ? { usageLocation } : {}),
    outcomes,
    changed: outcomes.filter((o) => o.status !== 'failed').map((o) => o.principal),
    failed: outcomes.filter((o) => o.status === 'failed'),
    startedAt: previous?.startedAt ?? wave.startedAt,
    finishedAt: wave.finishedAt,
  };
}

/**
 * completed | partial | failed at the end of a wave run (or cancelled, when it was cancelled).
 * People who no longer needed the change (found before a resume) count as done.
 */
export function waveFinalState(run: WaveRun): 'completed' | 'partial' | 'failed' {
  const t = waveTotals(run);
  if (t.done === 0) return t.notNeeded > 0 && t.notNeeded === run.total ? 'completed' : 'failed';
  return t.failed > 0 || t.skipped > t.notNeeded || t.done + t.notNeeded < run.total ? 'partial' : 'completed';
}

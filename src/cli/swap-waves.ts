// plan-switch swap of a users list in waves: a pilot, then waves, each read back before the next
// (the same plan and the same wave records as the bot's runs, src/requests/waves.ts). The CLI has
// no request to pause, so a wave whose error share passes the threshold stops the run: what ran
// stays, nothing more is sent, and each person's reason is printed (exit 1).
import type { LicensePort, PreflightResult, SwapResult, TrackingReport, WaveSettings } from '../licensing/model';
import { mergeSwaps, passesThreshold, waveCount, waveRecord, waveSlice } from '../requests/waves';
import type { WaveRecord } from '../requests/types';
import { messagesFor, usageLocationNotSetText } from '../i18n';
import type { CliOptions } from './args';
/** What these commands use of the CLI's I/O (run.ts CliIO). */
type CliIO = { stdout(text: string): void; stderr(text: string): void; env: NodeJS.ProcessEnv };

const NAME = 'plan-switch: ';

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

export async function swapInWaves(opts: CliOptions, service: LicensePort, io: CliIO, preflight: PreflightResult, s: WaveSettings): Promise<number> {
  const t = messagesFor(opts.lang);
  const change = preflight.change;
  const count = waveCount(change.assignments.length, s);
  const records: WaveRecord[] = [];
  let merged: SwapResult | undefined;
  let done = 0;
  let failed = 0;
  let stopped: WaveRecord | undefined;
  for (let i = 0; i < count; i++) {
    const assignments = waveSlice(change.assignments, s, i);
    const wave = { ...change, assignments, affectedUsers: assignments.length };
    const startedAt = new Date().toISOString();
    const swap = await service.swap(wave);
    let tracking: TrackingReport | undefined;
    let trackingError: string | undefined;
    if (swap.changed.length) {
      try {
        tracking = await service.track(wave, { since: startedAt });
      } catch (err) {
        trackingError = err instanceof Error ? err.message : String(err);
      }
    }
    const rec = waveRecord({
      index: i,
      planned: assignments.length,
      swap,
      ...(tracking ? { tracking } : {}),
      ...(trackingError ? { trackingError } : {}),
      skipped: [],
      startedAt,
      finishedAt: new Date().toISOString(),
    });
    records.push(rec);
    merged = mergeSwaps(change, merged, swap);
    done += rec.done;
    failed += rec.failedCount;
    if (!opts.json) {
      io.stdout(t.waves.progress(i + 1, count, done, change.assignments.length, failed));
      for (const m of rec.failed)
        io.stdout(
          `  ${m.principal.userPrincipalName ?? m.principal.displayName}: ${m.usageLocationWhy ? usageLocationNotSetText(t, { ...m, graphCode: m.code }) : (t.waves.why[m.cause ?? 'other'] ?? m.reason)}`,
        );
    }
    if (i < count - 1 && passesThreshold(rec, s)) {
      stopped = rec;
      break;
    }
  }
  if (opts.json) io.stdout(JSON.stringify({ change, waves: { settings: s, count, records }, result: merged, stopped: stopped ? stopped.index + 1 : null }, null, 2));
  if (stopped) {
    const notSent = change.assignments.length - records.reduce((n, r) => n + r.people, 0);
    io.stderr(`${NAME}${t.cli.wavesStopped(stopped.index + 1, count, percent(stopped.errorShare), percent(s.pauseAtErrorShare), notSent)}`);
    return 1;
  }
  if (failed) io.stderr(`${NAME}${t.cli.notEveryoneWaves(failed, change.assignments.length)}`);
  return failed ? 1 : 0;
}

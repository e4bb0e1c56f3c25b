// Reprocess and watch settings from the environment (REPROCESS_APPROVAL, WATCH_GROUPS,
// WATCH_INTERVAL). Part of the one configuration loader (src/config.ts); a bad value stops
// start-up with a message that names it.
import { parseDuration } from './requests';
import type { ReprocessApproval } from '../requests/config';

export type { ReprocessApproval };

export interface ReprocessConfig {
  /** REPROCESS_APPROVAL: none (default) runs a reprocess at once for an approver or license administrator; required makes it a four-eyes request. */
  approval: ReprocessApproval;
  /** WATCH_GROUPS: group names or ids whose new members in error the approvers are told about; empty: no watch. */
  watchGroups: string[];
  /** WATCH_INTERVAL: how often the watched groups are read (default 15 min). */
  watchIntervalMs: number;
}

export const DEFAULT_WATCH_INTERVAL_MS = 15 * 60_000;
/** Below this a watch would read Graph more often than any group changes (tests pass milliseconds directly). */
export const MIN_WATCH_INTERVAL_MS = 60_000;

export function parseReprocessApproval(value: string | undefined): ReprocessApproval {
  const v = value?.trim().toLowerCase();
  if (!v || v === 'none' || v === 'off' || v === 'no') return 'none';
  if (v === 'required' || v === 'require' || v === 'yes') return 'required';
  throw new Error(`REPROCESS_APPROVAL: ${JSON.stringify(value)} is not none or required`);
}

/** "Sales,Support" or "Sales; Support" (a name with a comma can be given by its object id). */
export function parseWatchGroups(value: string | undefined): string[] {
  const names = (value ?? '')
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (n.length > 256 || [...n].some((ch) => ch.charCodeAt(0) < 32)) throw new Error(`WATCH_GROUPS: ${JSON.stringify(n.slice(0, 60))} is not a group name or id`);
  const seen = new Set<string>();
  return names.filter((n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase()));
}

export function parseWatchInterval(value: string | undefined): number {
  if (!value?.trim()) return DEFAULT_WATCH_INTERVAL_MS;
  const ms = parseDuration(value, 'WATCH_INTERVAL');
  if (ms < MIN_WATCH_INTERVAL_MS) throw new Error(`WATCH_INTERVAL: ${JSON.stringify(value)} is shorter than a minute; group license errors do not change that fast (e.g. 15m)`);
  return ms;
}

export function loadReprocessConfig(env: NodeJS.ProcessEnv): ReprocessConfig {
  return {
    approval: parseReprocessApproval(env.REPROCESS_APPROVAL),
    watchGroups: parseWatchGroups(env.WATCH_GROUPS),
    watchIntervalMs: parseWatchInterval(env.WATCH_INTERVAL),
  };
}

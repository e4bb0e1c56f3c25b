// Environment settings of the request workflow: STATE_DB, APPROVERS, REQUESTERS,
// ALLOW_SELF_APPROVAL, APPROVAL_TTL. Parsed once at start-up; a bad value stops start-up with a message that names it.
import { DEFAULT_STATE_DB } from '../state/sqlite-store';
import { parseApprovers, type ApproverEntry } from './approvers';

export const DEFAULT_APPROVAL_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_RECOVERY_SETTLE_MS = 10_000;

export interface RequestConfig {
  stateDb: string;
  approvers: ApproverEntry[];
  /** The raw APPROVERS value, for ApproverPolicy. */
  approversRaw: string;
  /** REQUESTERS (who may check, ask for and undo changes); the approvers when unset. */
  requesters: ApproverEntry[];
  /** The raw REQUESTERS value ('' when unset). */
  requestersRaw: string;
  /** REQUESTERS is unset: the approvers may ask for changes. */
  requestersFromApprovers: boolean;
  allowSelfApproval: boolean;
  approvalTtlMs: number;
  /** RECOVERY_SETTLE: wait before reading back a dead process's unrecorded swap (default 10 s). */
  restartSettleMs: number;
}

/** "24h", "90m", "30s", "2d", "1500ms", or a bare number of seconds. */
export function parseDuration(value: string, name = 'duration'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(value);
  if (!m) throw new Error(`${name}: ${JSON.stringify(value)} is not a duration (e.g. 24h, 90m, 30s)`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  const ms = n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit as 'ms' | 's' | 'm' | 'h' | 'd'];
  if (!(ms > 0)) throw new Error(`${name}: must be more than zero`);
  return Math.round(ms);
}

export function parseBool(value: string | undefined, name: string): boolean {
  if (value === undefined || value.trim() === '') return false;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`${name}: ${JSON.stringify(value)} is not true or false`);
}

export function loadRequestConfig(env: NodeJS.ProcessEnv = process.env): RequestConfig {
  const approversRaw = env.APPROVERS ?? '';
  const requestersRaw = env.REQUESTERS ?? '';
  const approvers = parseApprovers(approversRaw);
  const requestersFromApprovers = !requestersRaw.trim();
  return {
    stateDb: env.STATE_DB?.trim() || DEFAULT_STATE_DB,
    approvers,
    approversRaw,
    requesters: requestersFromApprovers ? approvers : parseApprovers(requestersRaw, 'REQUESTERS'),
    requestersRaw,
    requestersFromApprovers,
    allowSelfApproval: parseBool(env.ALLOW_SELF_APPROVAL, 'ALLOW_SELF_APPROVAL'),
    approvalTtlMs: env.APPROVAL_TTL?.trim() ? parseDuration(env.APPROVAL_TTL, 'APPROVAL_TTL') : DEFAULT_APPROVAL_TTL_MS,
    restartSettleMs: env.RECOVERY_SETTLE?.trim() ? parseDuration(env.RECOVERY_SETTLE, 'RECOVERY_SETTLE') : DEFAULT_RECOVERY_SETTLE_MS,
  };
}

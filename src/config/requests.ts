// The request workflow's variables of the environment (APPROVERS, REQUESTERS, ALLOW_SELF_APPROVAL,
// APPROVAL_TTL, RECOVERY_SETTLE) into a RequestConfig. Part of the one configuration loader
// (src/config.ts); a bad value stops start-up with a message that names it.
import { parseApprovers } from '../requests/approvers';
import { DEFAULT_APPROVAL_TTL_MS, DEFAULT_RECOVERY_SETTLE_MS, type RequestConfig } from '../requests/config';

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

/**
 * `defaultApprovers`: APPROVERS when the variable is unset (the composition root passes the demo
 * tenant's License Admins group when it serves the bundled demo tenant).
 */
export function loadRequestConfig(env: NodeJS.ProcessEnv, defaultApprovers = ''): RequestConfig {
  const approversRaw = env.APPROVERS?.trim() ? env.APPROVERS : defaultApprovers;
  const requestersRaw = env.REQUESTERS ?? '';
  const approvers = parseApprovers(approversRaw);
  const requestersFromApprovers = !requestersRaw.trim();
  return {
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

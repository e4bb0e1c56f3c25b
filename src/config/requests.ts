// The request workflow's variables of the environment (APPROVERS, REQUESTERS, ALLOW_SELF_APPROVAL,
// APPROVAL_TTL, RECOVERY_SETTLE) into a RequestConfig. Part of the one configuration loader
// (src/config.ts); a bad value stops start-up with a message that names it.
import { parseApprovers } from '../requests/approvers';
import { DEFAULT_APPROVAL_TTL_MS, DEFAULT_RECOVERY_SETTLE_MS, DEFAULT_RUN_LEASE_MS, type ApprovalsChannelSetting, type RequestConfig } from '../requests/config';
import { isGuid } from '../guid';
import type { WaveSettings } from '../licensing/model';
import { DEFAULT_WAVES } from '../requests/waves';

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
  const approvalTtlMs = env.APPROVAL_TTL?.trim() ? parseDuration(env.APPROVAL_TTL, 'APPROVAL_TTL') : DEFAULT_APPROVAL_TTL_MS;
  const approvalsChannel = env.APPROVALS_CHANNEL?.trim() ? parseApprovalsChannel(env.APPROVALS_CHANNEL) : undefined;
  const teamsAppId = env.TEAMS_APP_ID?.trim() ? parseTeamsAppId(env.TEAMS_APP_ID) : undefined;
  return {
    approvers,
    approversRaw,
    requesters: requestersFromApprovers ? approvers : parseApprovers(requestersRaw, 'REQUESTERS'),
    requestersRaw,
    requestersFromApprovers,
    allowSelfApproval: parseBool(env.ALLOW_SELF_APPROVAL, 'ALLOW_SELF_APPROVAL'),
    approvalTtlMs,
    restartSettleMs: env.RECOVERY_SETTLE?.trim() ? parseDuration(env.RECOVERY_SETTLE, 'RECOVERY_SETTLE') : DEFAULT_RECOVERY_SETTLE_MS,
    approvalReminderMs: parseReminder(env.APPROVAL_REMINDER, approvalTtlMs),
    ...(approvalsChannel ? { approvalsChannel } : {}),
    ...(teamsAppId ? { teamsAppId } : {}),
    leaseMs: env.RUN_LEASE?.trim() ? parseDuration(env.RUN_LEASE, 'RUN_LEASE') : DEFAULT_RUN_LEASE_MS,
    waves: loadWaves(env),
  };
}

/** WAVE_PILOT and WAVE_SIZE (whole numbers of people, at least 1), WAVE_PAUSE_AT ("10%", "0.1", or "off" = never pause). */
export function loadWaves(env: NodeJS.ProcessEnv): WaveSettings {
  const count = (name: 'WAVE_PILOT' | 'WAVE_SIZE', d: number) => {
    const v = env[name]?.trim();
    if (!v) return d;
    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 100_000) throw new Error(`${name}: ${JSON.stringify(v)} is not a number of people (1 to 100000)`);
    return Number(v);
  };
  return { pilot: count('WAVE_PILOT', DEFAULT_WAVES.pilot), size: count('WAVE_SIZE', DEFAULT_WAVES.size), pauseAtErrorShare: parseShare(env.WAVE_PAUSE_AT) };
}

/** "10%", "0.1", "off" (1: never pause, every wave runs whatever fails). */
export function parseShare(value: string | undefined, name = 'WAVE_PAUSE_AT'): number {
  const v = value?.trim().toLowerCase();
  if (!v) return DEFAULT_WAVES.pauseAtErrorShare;
  if (['off', 'never', 'none'].includes(v)) return 1;
  const m = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(v);
  const n = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(n >= 0 && n <= 1)) throw new Error(`${name}: ${JSON.stringify(value)} is not a share of people (e.g. 10% or 0.1, or off)`);
  return n;
}

/** APPROVAL_REMINDER: unset = half of APPROVAL_TTL; "off"; or a duration shorter than the TTL. */
export function parseReminder(value: string | undefined, ttlMs: number): number | null {
  const v = value?.trim().toLowerCase();
  if (!v) return Math.floor(ttlMs / 2);
  if (['off', 'no', 'false', '0', 'none'].includes(v)) return null;
  const ms = parseDuration(v, 'APPROVAL_REMINDER');
  if (ms >= ttlMs) throw new Error(`APPROVAL_REMINDER: ${JSON.stringify(value)} is not shorter than APPROVAL_TTL, so it would never be sent (use "off")`);
  return ms;
}

const CONVERSATION_ID = /^19:[A-Za-z0-9_.-]+@thread\.(?:tacv2|skype|v2)$/;

/**
 * APPROVALS_CHANNEL: the channel's (or group chat's) Teams id, 19:...@thread.tacv2, or the link
 * Teams copies with "Get link to channel" (https://teams.microsoft.com/l/channel/19%3a...%40thread.tacv2/Name?groupId=...),
 * whose name is kept for messages.
 */
export function parseApprovalsChannel(value: string): ApprovalsChannelSetting {
  const v = value.trim();
  if (CONVERSATION_ID.test(v)) return { conversationId: v };
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  const m = url && /^\/l\/(?:channel|chat)\/([^/]+)(?:\/([^/?]+))?/.exec(url.pathname);
  if (url && /(^|\.)teams\.microsoft\.com$/i.test(url.hostname) && m) {
    const id = decodeURIComponent(m[1]!);
    const name = m[2] ? decodeURIComponent(m[2]).trim() : '';
    if (CONVERSATION_ID.test(id)) return { conversationId: id, ...(name && !/^conversations$/i.test(name) ? { name } : {}) };
  }
  throw new Error(
    `APPROVALS_CHANNEL: ${JSON.stringify(v.slice(0, 80))} is not a Teams channel or chat id (19:…@thread.tacv2) or a channel link from Teams ("Get link to channel")`,
  );
}

/** TEAMS_APP_ID: the app's id in the Teams app catalog (a GUID; the manifest id for a sideloaded app, the catalog's own id for an org-store app). */
export function parseTeamsAppId(value: string): string {
  const v = value.trim();
  if (!isGuid(v)) throw new Error(`TEAMS_APP_ID: ${JSON.stringify(v.slice(0, 60))} is not an app id (a GUID from the Teams admin center, Manage apps)`);
  return v;
}

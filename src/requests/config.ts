// The request workflow's settings as typed values. The environment is read once, by the
// configuration loader (src/config.ts, src/config/requests.ts for these variables).
import type { WaveSettings } from '../licensing/model';
import type { ApproverEntry } from './approvers';

export const DEFAULT_APPROVAL_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_RECOVERY_SETTLE_MS = 10_000;
export const DEFAULT_RUN_LEASE_MS = 120_000;

/** REPROCESS_APPROVAL: a reprocess runs at once for an approver or license administrator (none), or is a four-eyes request (required). */
export type ReprocessApproval = 'none' | 'required';

export interface RequestConfig {
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
  /** APPROVAL_REMINDER: remind approvers once after this long (default half of APPROVAL_TTL); null: off. */
  approvalReminderMs: number | null;
  /** APPROVALS_CHANNEL: a channel or group chat that gets every approval card, named by its Teams id or link. */
  approvalsChannel?: ApprovalsChannelSetting;
  /** TEAMS_APP_ID: the app's id in the organisation's Teams catalog, for installing it for approvers it cannot reach. */
  teamsAppId?: string;
  /**
   * RUN_LEASE: how long a running request's claim holds without renewal (default 2 min). After a
   * crash on another host, the time until another instance takes the run over.
   */
  leaseMs: number;
  /** WAVE_PILOT (5), WAVE_SIZE (100), WAVE_PAUSE_AT (10%): how large changes run in waves unless a request says otherwise. */
  waves: WaveSettings;
}

export interface ApprovalsChannelSetting {
  /** The Teams conversation id: 19:...@thread.tacv2 (channel) or 19:...@thread.v2 (group chat). */
  conversationId: string;
  /** Its name as people know it, when the link carried one. */
  name?: string;
}

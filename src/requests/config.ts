// The request workflow's settings as typed values. The environment is read once, by the
// configuration loader (src/config.ts, src/config/requests.ts for these variables).
import type { ApproverEntry } from './approvers';

export const DEFAULT_APPROVAL_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_RECOVERY_SETTLE_MS = 10_000;

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
}

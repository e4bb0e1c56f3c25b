// Composition helper for the application's start-up: state database, approvers policy and the
// workflow from the environment (STATE_DB, APPROVERS, REQUESTERS, ALLOW_SELF_APPROVAL, APPROVAL_TTL).
//
//   const requests = openRequests({ licenses, notifier, tenantId: (await licenses.tenant()).id, log });
//   await requests.workflow.start();          // reconcile left-over runs, then expire/reconcile every minute
//   ...
//   await requests.close();                   // on shutdown
import type { LicensePort } from '../licensing/model';
import { openStore, type SqliteRequestStore } from '../state/sqlite-store';
import { ApproverPolicy, RequesterPolicy, type ApproverEntry } from './approvers';
import { loadRequestConfig, type RequestConfig } from './config';
import type { RequestNotifier } from './types';
import { ChangeRequests, type ChangeRequestsDeps, type WorkflowLog } from './workflow';

export { ApproverPolicy, RequesterPolicy, parseApprovers } from './approvers';
export { loadRequestConfig } from './config';
export { ChangeRequests, describeState } from './workflow';
export type * from './types';
export { REQUEST_STATES, FINAL_STATES } from './types';

export interface OpenRequestsOptions {
  licenses: LicensePort;
  notifier: RequestNotifier;
  /** The only tenant whose activities are accepted. */
  tenantId: string;
  env?: NodeJS.ProcessEnv;
  log?: WorkflowLog;
  /** Extra workflow settings (clock, lease, re-check budget, tracking). */
  workflow?: Partial<Omit<ChangeRequestsDeps, 'store' | 'licenses' | 'approvers' | 'notifier' | 'tenantId'>>;
}

export interface OpenedRequests {
  config: RequestConfig;
  store: SqliteRequestStore;
  approvers: ApproverPolicy;
  /** REQUESTERS (the approvers when unset): who may check, ask for and undo changes. */
  requesters: RequesterPolicy;
  workflow: ChangeRequests;
  /**
   * Stops the timers, waits up to `waitMs` (default 5 s) for work in hand, closes the database.
   * A group still being tracked is left 'running': its lease lapses and reconcile() finishes it
   * after the restart (or in another process).
   */
  close(waitMs?: number): Promise<void>;
}

export function openRequests(opts: OpenRequestsOptions): OpenedRequests {
  const config = loadRequestConfig(opts.env ?? process.env);
  const store = openStore(config.stateDb);
  const entry = (e: ApproverEntry) => (e.kind === 'group' || e.kind === 'user' ? `${e.kind}:${e.value}` : e.value);
  const requesters = new RequesterPolicy({
    requesters: config.requesters.map(entry),
    fromApprovers: config.requestersFromApprovers,
    tenantId: opts.tenantId,
    licenses: opts.licenses,
    ...(opts.log ? { log: opts.log } : {}),
  });
  const approvers = new ApproverPolicy({
    approvers: config.approvers.map(entry),
    tenantId: opts.tenantId,
    licenses: opts.licenses,
    allowSelfApproval: config.allowSelfApproval,
    ...(opts.log ? { log: opts.log } : {}),
  });
  const workflow = new ChangeRequests({
    ttlMs: config.approvalTtlMs,
    restartSettleMs: config.restartSettleMs,
    ...(opts.log ? { log: opts.log } : {}),
    ...opts.workflow,
    store,
    licenses: opts.licenses,
    approvers,
    requesters,
    notifier: opts.notifier,
    tenantId: opts.tenantId,
  });
  return {
    config,
    store,
    approvers,
    requesters,
    workflow,
    async close(waitMs = 5_000) {
      workflow.stop();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([workflow.whenIdle(), new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
      clearTimeout(timer);
      store.close();
    },
  };
}

// The request workflow assembled from what the composition root hands it: a store implementing
// the RequestStore port, the typed settings, the license service and a notifier. It never opens a
// store or reads the environment itself.
//
//   const policies = requestPolicies({ config: config.requests, licenses, tenantId, log });
//   const notifier = new BotNotifier(conversations, policies.approvers, log);
//   const requests = openRequests({ store, config: config.requests, policies, licenses, notifier, tenantId, log });
//   await requests.workflow.start();          // reconcile left-over runs, then expire/reconcile every minute
//   ...
//   await requests.close();                   // on shutdown (the store is closed by whoever opened it)
import type { LicensePort } from '../licensing/model';
import { ApproverPolicy, RequesterPolicy, type ApproverEntry } from './approvers';
import type { RequestConfig } from './config';
import type { RequestNotifier, RequestStore } from './types';
import { ChangeRequests, type ChangeRequestsDeps, type WorkflowLog } from './workflow';

export { ApproverPolicy, RequesterPolicy, parseApprovers } from './approvers';
export type { RequestConfig } from './config';
export { ChangeRequests, describeState } from './workflow';
export type { WaveCheck, WaveChecks } from './workflow';
export type * from './types';
export { REQUEST_STATES, FINAL_STATES } from './types';

export interface RequestPolicies {
  approvers: ApproverPolicy;
  /** REQUESTERS (the approvers when unset): who may check, ask for and undo changes. */
  requesters: RequesterPolicy;
}

export interface PolicyOptions {
  config: RequestConfig;
  licenses: LicensePort;
  /** The only tenant whose activities are accepted. */
  tenantId: string;
  log?: WorkflowLog;
}

/** Who may approve and who may ask, from the settings; built before the notifier that needs them. */
export function requestPolicies(opts: PolicyOptions): RequestPolicies {
  const { config } = opts;
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
  return { approvers, requesters };
}

export interface OpenRequestsOptions extends PolicyOptions {
  store: RequestStore;
  notifier: RequestNotifier;
  /** Built by requestPolicies() when the caller has not built them already. */
  policies?: RequestPolicies;
  /** Extra workflow settings (clock, lease, re-check budget, tracking). */
  workflow?: Partial<Omit<ChangeRequestsDeps, 'store' | 'licenses' | 'approvers' | 'notifier' | 'tenantId'>>;
}

export interface OpenedRequests extends RequestPolicies {
  config: RequestConfig;
  store: RequestStore;
  workflow: ChangeRequests;
  /**
   * A graceful stop (workflow.shutdown()): no new runs, a swap in progress finishes its writes,
   * every run in hand gives its lease up (a group still being followed is taken over at once by
   * another instance, or by the next start); waits up to `waitMs` (default 25 s, inside the 30 s
   * Kubernetes and most supervisors give between SIGTERM and SIGKILL) for that. The store stays
   * open: whoever opened it closes it.
   */
  close(waitMs?: number): Promise<void>;
}

export function openRequests(opts: OpenRequestsOptions): OpenedRequests {
  const { config, store } = opts;
  const { approvers, requesters } = opts.policies ?? requestPolicies(opts);
  const workflow = new ChangeRequests({
    ttlMs: config.approvalTtlMs,
    restartSettleMs: config.restartSettleMs,
    ...(config.approvalReminderMs ? { reminderMs: config.approvalReminderMs } : {}),
    leaseMs: config.leaseMs,
    ...(config.waves ? { waves: config.waves } : {}),
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
    async close(waitMs = 25_000) {
      workflow.shutdown();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([workflow.whenIdle(), new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
      clearTimeout(timer);
    },
  };
}

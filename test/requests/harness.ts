// One workflow on an in-memory store with fake licenses, a recording notifier and a clock, fresh
// for each spec of the workflow's rooms (actions, runner, recovery, outbox).
//   let h: WorkflowHarness;
//   beforeEach(() => (h = new WorkflowHarness()));
//   afterEach(() => h.close());
import assert from 'node:assert/strict';
import { ApproverPolicy } from '../../src/requests/approvers';
import type { Actor, ChangeRequest, WorkflowResult } from '../../src/requests/types';
import { ChangeRequests, type ChangeRequestsDeps } from '../../src/requests/workflow';
import { openStore, type SqliteRequestStore } from '../../src/state/sqlite-store';
import { alice, APPROVERS, Clock, fakeLicenses, groupSpec, preflight, RecordingNotifier, TENANT } from './fakes';

export const HOUR = 3_600_000;

export function ok(r: WorkflowResult): ChangeRequest {
  if (!r.ok) assert.fail(`expected ok, got ${r.reason}: ${r.message}`);
  return r.request;
}

export function reason(r: WorkflowResult): string {
  return r.ok ? `ok (${r.request.state})` : r.reason;
}

export class WorkflowHarness {
  readonly clock = new Clock();
  readonly store: SqliteRequestStore = openStore(':memory:', { now: this.clock.now });
  readonly licenses = fakeLicenses();
  readonly notifier = new RecordingNotifier();
  private readonly made: ChangeRequests[] = [];
  /** The workflow ask() uses; replace it with make(...) for other settings. */
  wf: ChangeRequests;

  constructor() {
    this.wf = this.make();
  }

  /** Another workflow (another process, or a restart) on the same store. */
  make(over: Partial<ChangeRequestsDeps> = {}, policy: { allowSelfApproval?: boolean; approvers?: string } = {}): ChangeRequests {
    const w = new ChangeRequests({
      store: this.store,
      licenses: this.licenses,
      approvers: new ApproverPolicy({
        approvers: policy.approvers ?? APPROVERS,
        tenantId: TENANT,
        licenses: this.licenses,
        now: this.clock.now,
        allowSelfApproval: policy.allowSelfApproval,
      }),
      notifier: this.notifier,
      tenantId: TENANT,
      ttlMs: HOUR,
      now: this.clock.now,
      leaseMs: 60_000,
      recheckBudgetMs: 1_000,
      ...over,
    });
    this.made.push(w);
    return w;
  }

  /** A pending request by `who` (Alice by default) for the Sales group. */
  async ask(who: Actor = alice, pf = preflight()): Promise<ChangeRequest> {
    return ok(await this.wf.request(who, groupSpec, pf, 'conv-1'));
  }

  async get(id: string): Promise<ChangeRequest> {
    const r = await this.store.get(id);
    assert.ok(r, `request ${id} exists`);
    return r;
  }

  /** The audit actions of a request, oldest first. */
  async actions(id: string): Promise<string[]> {
    return (await this.store.audit(id)).map((e) => e.action);
  }

  async close(): Promise<void> {
    for (const w of this.made) {
      w.stop();
      await w.whenIdle();
    }
    this.store.close();
  }
}

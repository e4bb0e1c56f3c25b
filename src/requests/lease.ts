// Run leases: a running request carries its owner (this process's instance id) and an expiry.
// The owner renews it every third of the lease while it works; when a renewal finds the lease
// taken (another process decided this one was gone), the work in hand is told to stop.
import type { WorkflowContext } from './context';
import { errorMessage } from './errors';
import type { RequestLease } from './types';

export interface HeldLease {
  /** Aborted when the lease was lost to another process. */
  signal: AbortSignal;
  release(): void;
}

export class Leases {
  /** Requests this process is running right now (recovery leaves them alone). */
  private readonly held = new Set<string>();

  constructor(
    private readonly ctx: Pick<WorkflowContext, 'store' | 'now' | 'log' | 'instanceId'>,
    /** How long a claim holds without renewal. */
    readonly leaseMs: number,
  ) {}

  /** A fresh claim for this process. */
  next(): RequestLease {
    return { owner: this.ctx.instanceId, until: new Date(this.ctx.now().getTime() + this.leaseMs).toISOString() };
  }

  runsHere(id: string): boolean {
    return this.held.has(id);
  }

  /** Keeps this process's claim on a running request fresh until released. */
  hold(id: string): HeldLease {
    const { store, log, instanceId } = this.ctx;
    const ctrl = new AbortController();
    this.held.add(id);
    const renew = async () => {
      try {
        if (!(await store.renewLease(id, instanceId, this.next().until))) {
          log.warn('request.lease_lost', { changeId: id });
          ctrl.abort();
        }
      } catch (err) {
        log.warn('request.lease_renew_failed', { changeId: id, error: errorMessage(err) });
      }
    };
    const timer = setInterval(() => void renew(), Math.max(1000, Math.floor(this.leaseMs / 3)));
    timer.unref();
    return {
      signal: ctrl.signal,
      release: () => {
        clearInterval(timer);
        this.held.delete(id);
      },
    };
  }
}

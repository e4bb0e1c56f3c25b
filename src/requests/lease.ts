// Run leases: a running request carries its owner (this process's instance id) and an expiry.
// The owner renews it every third of the lease while it works; when a renewal finds the lease
// taken (another process decided this one was gone), the work in hand is told to stop.
//
// A graceful stop (SIGTERM: a deployment, a scale-in) hands runs over instead of letting their
// leases run out: every held run is told to stop (a swap in progress still finishes its writes
// and records them; following a group's processing stops at once), and each lease is given up
// (its expiry set to now) when its run lets go, so another instance takes it over on its next tick.
import type { WorkflowContext } from './context';
import { errorMessage } from './errors';
import type { RequestLease } from './types';

export interface HeldLease {
  /** Aborted when the lease was lost to another process, or this one is stopping. */
  signal: AbortSignal;
  /** Stops renewing; when this process is stopping, also gives the lease up in the store. */
  release(): Promise<void>;
}

export class Leases {
  /** Requests this process is running right now (recovery leaves them alone). */
  private readonly held = new Map<string, AbortController>();
  private stopping = false;

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

  /** handOverAll() was called: start no new run here. */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** Keeps this process's claim on a running request fresh until released. */
  hold(id: string): HeldLease {
    const { store, log, instanceId } = this.ctx;
    const ctrl = new AbortController();
    if (this.stopping) ctrl.abort();
    this.held.set(id, ctrl);
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
      release: async () => {
        clearInterval(timer);
        this.held.delete(id);
        if (!this.stopping) return;
        // Still running (a group being followed): let another instance take it over now.
        try {
          if (await store.renewLease(id, instanceId, this.ctx.now().toISOString())) log.info?.('request.lease_handed_over', { changeId: id });
        } catch (err) {
          log.warn('request.lease_hand_over_failed', { changeId: id, error: errorMessage(err) });
        }
      },
    };
  }

  /** This process is stopping: every run in hand winds down and gives its lease up. */
  handOverAll(): void {
    this.stopping = true;
    for (const ctrl of this.held.values()) ctrl.abort();
  }
}

// The error watch (WATCH_GROUPS, WATCH_INTERVAL): every interval it reads the watched groups'
// members in error and hands the new ones to `notify` (the bot tells the approvers). Each member's
// error is told at most once, across restarts and instances: it is claimed in the store first
// (claimWatchNotice), recorded once a notice reached someone, and given back when none did, so the
// next sweep (here or on another instance) tries again.
import type { LicenseInError, LicensePort, PrincipalRef } from '../licensing/model';
import type { WorkflowLog } from './context';
import { errorMessage } from './errors';
import type { RequestStore } from './types';

/** A watched group's members whose errors are new to the approvers. */
export interface NewErrors {
  group: PrincipalRef;
  members: { principal: PrincipalRef; errors: LicenseInError[] }[];
}

export interface ErrorWatchDeps {
  licenses: Pick<LicensePort, 'membersInError'>;
  store: Pick<RequestStore, 'claimWatchNotice' | 'markWatchNoticeSent' | 'releaseWatchNotice'>;
  /** Tells the approvers; true when the notice reached someone. */
  notify(found: NewErrors): Promise<boolean>;
  /** Group names or ids. */
  groups: readonly string[];
  intervalMs: number;
  /** This process, as the owner of its claims. */
  instanceId: string;
  log: WorkflowLog;
  now?: () => Date;
  /** How long a claim holds while its notice is being sent (default 60 s): after that another instance may send it. */
  claimMs?: number;
}

/** One member's one error: what is told once. */
export function watchKey(groupId: string, userId: string, skuId: string, error: string): string {
  return [groupId, userId, skuId, error].map((s) => s.toLowerCase()).join(':');
}

export class ErrorWatch {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private readonly now: () => Date;

  constructor(private readonly deps: ErrorWatchDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** A sweep now, then one every interval. Does nothing without watched groups. */
  start(): void {
    this.stop();
    if (!this.deps.groups.length) return;
    const tick = () => {
      void this.sweep();
    };
    this.timer = setInterval(tick, Math.max(1, this.deps.intervalMs));
    this.timer.unref();
    tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resolves when the sweep in progress (if any) has finished. */
  async whenIdle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** Reads every watched group once and tells what is new. Returns how many member errors were told. Never throws. */
  sweep(): Promise<number> {
    // One sweep at a time in this process; a slow Graph never piles sweeps up.
    if (this.running) return this.running;
    this.running = (async () => {
      let told = 0;
      for (const name of this.deps.groups) {
        try {
          told += await this.sweepGroup(name);
        } catch (err) {
          this.deps.log.warn('watch.group_failed', { group: name, error: errorMessage(err) });
        }
      }
      return told;
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweepGroup(name: string): Promise<number> {
    const { licenses, store, instanceId, log } = this.deps;
    const list = await licenses.membersInError({ kind: 'group', group: name });
    const claim = { owner: instanceId, until: new Date(this.now().getTime() + (this.deps.claimMs ?? 60_000)).toISOString() };
    const claimed: string[] = [];
    const members: NewErrors['members'] = [];
    for (const m of list.members) {
      const fresh: LicenseInError[] = [];
      for (const e of m.errors) {
        const key = watchKey(list.principal.id, m.principal.id, e.plan.skuId, e.error);
        if (await store.claimWatchNotice(key, claim)) {
          claimed.push(key);
          fresh.push(e);
        }
      }
      if (fresh.length) members.push({ principal: m.principal, errors: fresh });
    }
    if (!members.length) return 0;
    let reached = false;
    try {
      reached = await this.deps.notify({ group: list.principal, members });
    } catch (err) {
      log.warn('watch.notify_failed', { group: list.principal.id, error: errorMessage(err) });
    }
    for (const key of claimed) {
      if (reached) await store.markWatchNoticeSent(key);
      else await store.releaseWatchNotice(key, instanceId);
    }
    log.info?.(reached ? 'watch.told' : 'watch.nobody_reached', { group: list.principal.id, members: members.length });
    return reached ? claimed.length : 0;
  }
}

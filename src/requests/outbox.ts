// The notice outbox: every transition's notice goes to the RequestNotifier in order per request,
// in the background, and is recorded as sent (notified_version) only once the notifier returns.
// Several instances may share the store, so each version's notice is claimed there first
// (claimNotice, kind "v<version>"): exactly one instance sends it. A claim whose sender dies lapses
// after NOTICE_CLAIM_MS; one whose send fails is given back at once. Whatever is owed (the process
// stopped, the send failed) is swept up at start-up and on the workflow's timer, by any instance.
// A failing notifier never breaks a run.
import type { TrackingProgress } from '../licensing/model';
import type { WorkflowContext } from './context';
import { errorMessage } from './errors';
import type { AuditEntry, ChangeRequest, RequestEvent, RequestNotifier, RequestState } from './types';

/** How long a claimed notice is left to its sender before another instance may send it. */
export const NOTICE_CLAIM_MS = 60_000;

/** The claim kind of a state change's notice: one per request version. */
export const versionNotice = (version: number) => `v${version}`;

export class NoticeOutbox {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: WorkflowContext,
    private readonly notifier: RequestNotifier,
  ) {}

  /** The notice of `request`'s transition to `event`, queued behind its earlier ones. `owed`: found by the sweep. */
  notify(request: ChangeRequest, event: RequestEvent, owed = false): void {
    this.enqueue(
      request.id,
      async () => {
        const { store, now, instanceId, log } = this.ctx;
        const kind = versionNotice(request.version);
        const claim = { owner: instanceId, until: new Date(now().getTime() + NOTICE_CLAIM_MS).toISOString() };
        if (!(await store.claimNotice(request.id, kind, claim))) return; // sent, or being sent, by someone else
        if (owed) log.info?.('notice.resent', { changeId: request.id, event, version: request.version, notifiedVersion: request.notifiedVersion ?? null });
        try {
          await this.notifier.changed(request, event);
        } catch (err) {
          await store.releaseNotice(request.id, kind, instanceId).catch(() => undefined);
          throw err;
        }
        await store.markNoticeSent(request.id, kind);
        // Recorded only once sent: a notice lost with the process is sent by the next sweep.
        await store.markNotified(request.id, request.version);
      },
      event,
    );
  }

  /** The approvers' reminder, claimed by the caller; recorded as sent once the notifier returns (else its claim lapses and it is sent again). */
  remind(request: ChangeRequest): void {
    const notifier = this.notifier;
    if (!notifier.reminder) return;
    this.enqueue(
      request.id,
      async () => {
        await notifier.reminder!(request);
        await this.ctx.store.markNoticeSent(request.id, 'reminder');
      },
      'reminder',
    );
  }

  progress(request: ChangeRequest, p: TrackingProgress): void {
    if (this.notifier.progress) this.enqueue(request.id, () => this.notifier.progress!(request, p), 'progress');
  }

  /**
   * Notices owed: requests changed (within the approval time, or a day) whose last notice never
   * went out (the process stopped first, or the send failed). Each gets the notice of where it
   * stands now, if no instance holds its claim; the cards it updates show the current state anyway.
   * Run at start-up and on the workflow's timer.
   */
  async resendOwed(): Promise<void> {
    const { store, now, ttlMs } = this.ctx;
    const since = new Date(now().getTime() - Math.max(ttlMs, 86_400_000)).toISOString();
    for (const r of await store.list({ unnotified: true, updatedSince: since })) {
      if (this.queues.has(r.id)) continue; // this instance is sending its notices now
      this.notify(r, owedEvent(r, await store.audit(r.id)), true);
    }
  }

  /** Runs `send` after the notices already queued for request `id`. */
  enqueue(id: string, send: () => Promise<void>, what: string): void {
    const prev = this.queues.get(id) ?? Promise.resolve();
    const next = prev.then(send).catch((err) => this.ctx.log.warn('notice.failed', { changeId: id, what, error: errorMessage(err) }));
    this.queues.set(id, next);
    void this.ctx.tasks.spawn(next).then(() => {
      if (this.queues.get(id) === next) this.queues.delete(id);
    });
  }
}

const EVENTS: ReadonlySet<string> = new Set<RequestEvent>([
  'requested',
  'approved',
  'rejected',
  'cancelled',
  'expired',
  'started',
  'worsened',
  'completed',
  'failed',
  'partial',
  'paused',
  'resumed',
  'resume-blocked',
]);
const EVENT_OF_STATE: Record<RequestState, RequestEvent> = {
  pending: 'requested',
  approved: 'approved',
  rejected: 'rejected',
  cancelled: 'cancelled',
  expired: 'expired',
  running: 'started',
  paused: 'paused',
  completed: 'completed',
  partial: 'partial',
  failed: 'failed',
};

/** The notice a request is owed: its last transition's event (e.g. "worsened"), or its state's. */
export function owedEvent(r: ChangeRequest, audit: AuditEntry[]): RequestEvent {
  for (let i = audit.length - 1; i >= 0; i--) {
    const e = audit[i]!;
    if (e.toState !== r.state) continue;
    if (EVENTS.has(e.action)) return e.action as RequestEvent;
    break;
  }
  return EVENT_OF_STATE[r.state];
}

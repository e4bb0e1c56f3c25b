// The notice outbox: every transition's notice goes to the RequestNotifier in order per request,
// in the background, and is recorded as sent (notified_version) only once the notifier returns.
// At start-up, whatever was owed when the process stopped is sent; a failing notifier never
// breaks a run.
import type { TrackingProgress } from '../licensing/model';
import type { WorkflowContext } from './context';
import { errorMessage } from './errors';
import type { AuditEntry, ChangeRequest, RequestEvent, RequestNotifier, RequestState } from './types';

export class NoticeOutbox {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: WorkflowContext,
    private readonly notifier: RequestNotifier,
  ) {}

  /** The notice of `request`'s transition to `event`, queued behind its earlier ones. */
  notify(request: ChangeRequest, event: RequestEvent): void {
    this.enqueue(
      request.id,
      async () => {
        await this.notifier.changed(request, event);
        // Recorded only once sent: a notice lost with the process is sent again at the next start.
        await this.ctx.store.markNotified(request.id, request.version);
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
   * Notices owed when this process starts: requests changed (within the approval time, or a day)
   * whose last notice never went out because the process stopped first. Each gets the notice of
   * where it stands now; the cards it updates show the current state anyway.
   */
  async resendOwed(): Promise<void> {
    const { store, now, ttlMs, log } = this.ctx;
    const since = new Date(now().getTime() - Math.max(ttlMs, 86_400_000)).toISOString();
    for (const r of await store.list({ unnotified: true, updatedSince: since })) {
      const event = owedEvent(r, await store.audit(r.id));
      log.info?.('notice.resent', { changeId: r.id, event, version: r.version, notifiedVersion: r.notifiedVersion ?? null });
      this.notify(r, event);
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

const EVENTS: ReadonlySet<string> = new Set<RequestEvent>(['requested', 'approved', 'rejected', 'cancelled', 'expired', 'started', 'worsened', 'completed', 'failed', 'partial']);
const EVENT_OF_STATE: Record<RequestState, RequestEvent> = {
  pending: 'requested',
  approved: 'approved',
  rejected: 'rejected',
  cancelled: 'cancelled',
  expired: 'expired',
  running: 'started',
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

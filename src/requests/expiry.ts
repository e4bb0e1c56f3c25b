// Deadlines of pending requests: a request nobody decided within APPROVAL_TTL becomes expired
// (a compare-and-set, so it happens once however many callers notice) and its notice goes out;
// one reminder goes to the approvers at APPROVAL_REMINDER (half the TTL by default), claimed in
// the store so it is sent once across restarts and instances.
import type { WorkflowContext } from './context';
import type { NoticeOutbox } from './outbox';
import type { ChangeRequest } from './types';

/** How long a reminder's claim holds before another sender may take it (the first one died). */
const REMINDER_CLAIM_MS = 5 * 60_000;

export class Deadlines {
  constructor(
    private readonly ctx: WorkflowContext,
    private readonly outbox: NoticeOutbox,
    /** APPROVAL_REMINDER: after how long a pending request's approvers are reminded; undefined: never. */
    private readonly reminderMs?: number,
  ) {}

  /** Pending requests older than the reminder time (and not yet expired) get their one reminder. Returns those reminded now. */
  async remindDue(): Promise<ChangeRequest[]> {
    const { store, now, instanceId } = this.ctx;
    if (!this.reminderMs) return [];
    const t = now().getTime();
    const out: ChangeRequest[] = [];
    for (const r of await store.list({ states: ['pending'] })) {
      if (Date.parse(r.createdAt) + this.reminderMs > t || Date.parse(r.expiresAt) <= t) continue;
      const claim = { owner: instanceId, until: new Date(t + REMINDER_CLAIM_MS).toISOString() };
      if (!(await store.claimNotice(r.id, 'reminder', claim))) continue; // sent, or being sent elsewhere
      this.ctx.log.info?.('request.reminder', { changeId: r.id });
      this.outbox.remind(r);
      out.push(r);
    }
    return out;
  }

  /** Pending requests past their expiry become expired (with a notice). Returns those expired now. */
  async expireDue(): Promise<ChangeRequest[]> {
    const now = this.ctx.now().getTime();
    const out: ChangeRequest[] = [];
    for (const r of await this.ctx.store.list({ states: ['pending'] })) {
      if (Date.parse(r.expiresAt) > now) continue;
      const e = await this.expire(r);
      if (e) out.push(e);
    }
    return out;
  }

  isOverdue(r: ChangeRequest): boolean {
    return r.state === 'pending' && Date.parse(r.expiresAt) <= this.ctx.now().getTime();
  }

  /** Expires `r` if it is still at this version; undefined when someone else moved it first. */
  async expire(r: ChangeRequest): Promise<ChangeRequest | undefined> {
    const res = await this.ctx.store.transition(r.id, { from: ['pending'], version: r.version }, 'expired', null, {}, { expiresAt: r.expiresAt });
    if (!res.ok) return undefined;
    this.outbox.notify(res.request, 'expired');
    return res.request;
  }
}

// Deadlines of pending requests: a request nobody decided within APPROVAL_TTL becomes expired
// (a compare-and-set, so it happens once however many callers notice) and its notice goes out.
import type { WorkflowContext } from './context';
import type { NoticeOutbox } from './outbox';
import type { ChangeRequest } from './types';

export class Deadlines {
  constructor(
    private readonly ctx: WorkflowContext,
    private readonly outbox: NoticeOutbox,
  ) {}

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

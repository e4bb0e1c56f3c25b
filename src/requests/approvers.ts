// Who may approve a change request, and who may ask for one. APPROVERS (and REQUESTERS, same
// syntax) lists user UPNs, user object ids and group ids (members of a listed group are in);
// entries may be prefixed `user:` or `group:` to say which. REQUESTERS unset = the approvers.
// A bare GUID is tried as a group (its direct user members approve) and always counts as a user
// object id too. Membership is resolved through the LicensePort and cached for a short while.
import type { LicensePort } from '../licensing/model';
import type { Actor, ChangeRequest } from './types';
import { isGuid } from '../guid';

export type ApproverEntry =
  | { kind: 'upn'; value: string }
  | { kind: 'id'; value: string } // user or group object id: not known until resolved
  | { kind: 'user'; value: string } // `user:` prefix: UPN or object id
  | { kind: 'group'; value: string }; // `group:` prefix: group object id

export type ApprovalCheck = { ok: true } | { ok: false; reason: 'wrong_tenant' | 'not_approver' | 'own_request'; message: string; noApproversConfigured?: true };

export interface ApproverPolicyOptions {
  /** APPROVERS: comma/semicolon/space separated list, or already split. */
  approvers: string | readonly string[];
  /** The setting's name in messages and logs (default APPROVERS). */
  setting?: string;
  tenantId: string;
  licenses: Pick<LicensePort, 'resolveUser' | 'groupMemberIds'>;
  /** ALLOW_SELF_APPROVAL=true: the requester may approve their own request. */
  allowSelfApproval?: boolean;
  /** How long resolved membership is trusted, ms (default 60 s). */
  cacheTtlMs?: number;
  now?: () => Date;
  log?: { warn(message: string, meta?: Record<string, unknown>): void };
}

/** "No such group" as the LicensePort reports it: PRINCIPAL_UNKNOWN, or a Graph 404. */
function isNotFound(err: unknown): boolean {
  const e = err as { code?: unknown; status?: unknown; data?: { status?: unknown; code?: unknown } };
  return e?.code === 'PRINCIPAL_UNKNOWN' || e?.code === 'INVALID_INPUT' || e?.status === 404 || e?.data?.status === 404 || e?.data?.code === 'Request_ResourceNotFound';
}

export function sameId(a: string | undefined | null, b: string | undefined | null): boolean {
  return !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Parses APPROVERS (or REQUESTERS). Throws on an entry that is neither a UPN nor an object id (start-up config error). */
export function parseApprovers(value: string | readonly string[] | undefined, setting = 'APPROVERS'): ApproverEntry[] {
  const raw = typeof value === 'string' ? value.split(/[,;\s]+/) : [...(value ?? [])];
  const out: ApproverEntry[] = [];
  const bad: string[] = [];
  const seen = new Set<string>();
  for (const item of raw) {
    const t = item.trim();
    if (!t) continue;
    let entry: ApproverEntry | undefined;
    const prefixed = /^(user|group):(.+)$/i.exec(t);
    if (prefixed) {
      const kind = prefixed[1].toLowerCase() as 'user' | 'group';
      const v = prefixed[2].trim();
      if (kind === 'group' && isGuid(v)) entry = { kind, value: v.toLowerCase() };
      else if (kind === 'user' && (isGuid(v) || v.includes('@'))) entry = { kind, value: v.toLowerCase() };
    } else if (isGuid(t)) entry = { kind: 'id', value: t.toLowerCase() };
    else if (/^[^@\s]+@[^@\s]+$/.test(t)) entry = { kind: 'upn', value: t.toLowerCase() };
    if (!entry) {
      bad.push(t);
      continue;
    }
    const key = `${entry.kind}:${entry.value}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(entry);
    }
  }
  if (bad.length) {
    throw new Error(
      `${setting}: ${bad.map((b) => JSON.stringify(b)).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not a UPN or an object id ` +
        '(use user UPNs, user object ids or group object ids, comma-separated; `group:<id>` or `user:<id>` to be explicit)',
    );
  }
  return out;
}

/**
 * Entra ids of everyone who may approve this request: the approvers, less the requester unless
 * self-approval is on. Whom the notifier asks and whose card refresh shows the buttons.
 */
export async function eligibleApprovers(
  policy: { approverIds(): Promise<Set<string>>; canApprove(actor: Actor, request?: Pick<ChangeRequest, 'requester' | 'id'>): Promise<{ ok: boolean }> },
  request: Pick<ChangeRequest, 'requester' | 'id'>,
): Promise<string[]> {
  const out: string[] = [];
  for (const id of await policy.approverIds()) {
    if ((await policy.canApprove({ id, tenantId: request.requester.tenantId }, request)).ok) out.push(id);
  }
  return out;
}

export class ApproverPolicy {
  readonly entries: readonly ApproverEntry[];
  readonly allowSelfApproval: boolean;
  readonly tenantId: string;
  readonly setting: string;
  private readonly licenses: ApproverPolicyOptions['licenses'];
  private readonly cacheTtlMs: number;
  private readonly now: () => Date;
  private readonly log?: ApproverPolicyOptions['log'];
  private cache?: { ids: Promise<Set<string>>; until: number };

  constructor(opts: ApproverPolicyOptions) {
    this.setting = opts.setting ?? 'APPROVERS';
    this.entries = parseApprovers(opts.approvers, this.setting);
    this.allowSelfApproval = opts.allowSelfApproval ?? false;
    this.tenantId = opts.tenantId;
    this.licenses = opts.licenses;
    this.cacheTtlMs = opts.cacheTtlMs ?? 60_000;
    this.now = opts.now ?? (() => new Date());
    this.log = opts.log;
  }

  /** Object ids (lower case) of everyone who may approve, resolved and cached. */
  approverIds(): Promise<Set<string>> {
    const t = this.now().getTime();
    if (this.cache && this.cache.until > t) return this.cache.ids;
    const ids = this.resolve();
    const entry = { ids, until: t + this.cacheTtlMs };
    this.cache = entry;
    // A failed resolution is not worth caching for long: retry soon.
    ids.then(
      (s) => {
        if ((s as Set<string> & { partial?: boolean }).partial && this.cache === entry) entry.until = Math.min(entry.until, t + 5_000);
      },
      () => {
        if (this.cache === entry) this.cache = undefined;
      },
    );
    return ids;
  }

  /** Forget resolved membership (e.g. after APPROVERS groups changed). */
  invalidate(): void {
    this.cache = undefined;
  }

  async isApprover(actor: Actor): Promise<boolean> {
    if (!sameId(actor.tenantId, this.tenantId)) return false;
    return (await this.approverIds()).has(actor.id.trim().toLowerCase());
  }

  /** May `actor` approve (or reject) `request`? Tenant, then approver list, then four eyes. */
  async canApprove(actor: Actor, request?: Pick<ChangeRequest, 'requester' | 'id'>): Promise<ApprovalCheck> {
    if (!sameId(actor.tenantId, this.tenantId)) {
      return { ok: false, reason: 'wrong_tenant', message: 'This request belongs to another tenant.' };
    }
    if (!(await this.isApprover(actor))) {
      if (!this.entries.length) {
        return {
          ok: false,
          reason: 'not_approver',
          message: 'No approvers are configured (APPROVERS is empty), so nobody can approve license changes.',
          noApproversConfigured: true,
        };
      }
      return { ok: false, reason: 'not_approver', message: 'You are not one of the approvers for license changes.' };
    }
    if (request && sameId(request.requester.id, actor.id) && !this.allowSelfApproval) {
      return {
        ok: false,
        reason: 'own_request',
        message: 'You asked for this change, so someone else has to approve it.',
      };
    }
    return { ok: true };
  }

  private async resolve(): Promise<Set<string>> {
    const ids = new Set<string>() as Set<string> & { partial?: boolean };
    const add = (id: string) => ids.add(id.trim().toLowerCase());
    await Promise.all(
      this.entries.map(async (e) => {
        try {
          if (e.kind === 'upn' || (e.kind === 'user' && !isGuid(e.value))) {
            const user = await this.licenses.resolveUser(e.value);
            if (user) add(user.id);
            else this.log?.warn('approvers.no_such_user', { setting: this.setting, entry: e.value });
          } else if (e.kind === 'user') {
            add(e.value);
          } else if (e.kind === 'group') {
            for (const m of await this.licenses.groupMemberIds(e.value)) add(m);
          } else {
            // A bare object id: a group's members approve; an id that is no group is a user's.
            try {
              for (const m of await this.licenses.groupMemberIds(e.value)) add(m);
            } catch (err) {
              add(e.value);
              if (!isNotFound(err)) throw err;
            }
          }
        } catch (err) {
          ids.partial = true;
          this.log?.warn('approvers.resolve_failed', { setting: this.setting, entry: e.value, error: String(err) });
        }
      }),
    );
    return ids;
  }
}

export type RequestCheck = { ok: true } | { ok: false; reason: 'wrong_tenant' | 'not_requester'; message: string };

export interface RequesterPolicyOptions extends Omit<ApproverPolicyOptions, 'approvers' | 'allowSelfApproval' | 'setting'> {
  /** REQUESTERS, same syntax as APPROVERS. */
  requesters: string | readonly string[];
  /** True when REQUESTERS was not set and the approvers stand in (for start-up logs). */
  fromApprovers?: boolean;
}

/**
 * Who may check, ask for and undo license changes (REQUESTERS; by default the approvers): the
 * license administrators. Membership is resolved and cached like the approvers'.
 */
export class RequesterPolicy {
  readonly entries: readonly ApproverEntry[];
  readonly fromApprovers: boolean;
  private readonly list: ApproverPolicy;

  constructor(opts: RequesterPolicyOptions) {
    this.list = new ApproverPolicy({ ...opts, approvers: opts.requesters, setting: opts.fromApprovers ? 'APPROVERS' : 'REQUESTERS' });
    this.entries = this.list.entries;
    this.fromApprovers = opts.fromApprovers ?? false;
  }

  /** Object ids (lower case) of everyone who may ask for changes. */
  requesterIds(): Promise<Set<string>> {
    return this.list.approverIds();
  }

  isRequester(actor: Actor): Promise<boolean> {
    return this.list.isApprover(actor);
  }

  async canRequest(actor: Actor): Promise<RequestCheck> {
    if (!sameId(actor.tenantId, this.list.tenantId)) {
      return { ok: false, reason: 'wrong_tenant', message: 'Your activity comes from another tenant than the one this bot serves.' };
    }
    if (!(await this.isRequester(actor))) {
      return {
        ok: false,
        reason: 'not_requester',
        message: this.entries.length
          ? 'Only license administrators (REQUESTERS) can check, ask for or undo license changes.'
          : 'No license administrators are configured (REQUESTERS and APPROVERS are empty), so nobody can ask for license changes.',
      };
    }
    return { ok: true };
  }

  invalidate(): void {
    this.list.invalidate();
  }
}

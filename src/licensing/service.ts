// LicenseService: the LicensePort over the Graph gateway. It reads what the pure parts need
// (snapshot.ts), calls them (catalog, preflight, tracking, explain, swap-plan) and runs the writes.
// Every Graph failure surfaces as LicensingError('GRAPH_ERROR') with Graph's status and code in
// data; nothing from the HTTP stack leaks out.
import { GraphError } from '../graph/errors';
import { UNSAFE_KEY, UnsafeKeyError, type GraphGateway, type WriteOutcome } from '../graph/gateway';
import type { GraphUser } from '../graph/types';
import { Catalog } from './catalog';
import { explainAssignError, explainUsageLocationError, usageLocationWhy } from './explain';
import {
  LicensingError,
  type Assignment,
  type ChangeSpec,
  type LicensePort,
  type MembersInError,
  type MemberError,
  type PlanInfo,
  type PreflightOptions,
  type PreflightResult,
  type PrincipalKind,
  type PrincipalMatch,
  type PrincipalQuery,
  type PrincipalRef,
  type PrincipalStatus,
  type ResolvedChange,
  type SplitDirection,
  type SplitProposal,
  type SwapOutcome,
  type SwapResult,
  type TrackingReport,
  type TrackOptions,
  type AdoptCheck,
} from './model';
import { runPreflight } from './preflight';
import { runAdoptPreflight } from './preflight/adopt';
import { adoptKeptReason, checkAdoptMembers, keptWhy } from './adopt';
import { referenceData, type ReferenceData } from '../reference/data';
import { groupDetail, planSummary, SnapshotReader, type TenantContext } from './snapshot';
import { groupRef, userRef } from './principal-ref';
import { GUID_RE } from '../guid';
import { reverseSpec } from './swap-plan';
import { planIds, skuIdSet, sourcesOf, targetsOf } from './change-plans';
import { proposeSplit, type HeldLicence } from './split-teams';
import { evaluateGroupOutcome, isProcessingFinished, unprocessedMembers, userShowsChange } from './tracking';
import { explainMemberError, explainReprocessError } from './explain';
import { countryCode } from '../reference/countries';
import { groupLicenseErrors, reprocessOutcome, reprocessPreflight } from './reprocess';

export interface LicenseServiceOptions {
  /**
   * A fixed time between two reads of a group's licenseProcessingState. Unset (the default):
   * adaptive, see pollDelay(): every 0.5 s at first, then a tenth of the time processing has taken
   * so far, at most 60 s (Microsoft's own migration script re-read every 60 s).
   */
  pollIntervalMs?: number;
  /** How long track() follows a group before reporting 'timeout'. Default 60 min. */
  trackTimeoutMs?: number;
  /** Reuse /subscribedSkus for this long across calls. Default 0: read once per call. */
  skuCacheMs?: number;
  /**
   * May the app write users' usage locations (User.ReadWrite.All or higher in its token's roles)?
   * The entry points answer it from the access token (src/doctor/token.ts); absent: no, and the
   * preflight names the permission instead of offering the fix. Asked at most once a minute.
   */
  usageLocationWritable?: () => Promise<boolean>;
}

/** How long the answer of usageLocationWritable is reused (a token lives an hour; consent can change). */
const PERMISSION_CACHE_MS = 60_000;

const DEFAULT_TRACK_TIMEOUT_MS = 60 * 60_000;
/** What a reprocess reads of a user: who it is and its license states. */
const REPROCESS_SELECT = 'id,userPrincipalName,displayName,licenseAssignmentStates';
/**
 * Reads that may predate a write (replication) are repeated this many times at most, with
 * pollDelay() between them: a group's members after processing, users after a direct change.
 */
export const STALE_READ_ATTEMPTS = 5;
/** Wait before the n-th repeat of such a read: 0.25 s, doubling (3.75 s for all four repeats). */
export const staleReadDelay = (attempt: number): number => 250 * 2 ** (attempt - 1);

/** Adaptive polling of a group's processing: never more often than this... */
export const MIN_POLL_MS = 500;
/** ...never less often than this (Microsoft's migration script: every 60 s)... */
export const MAX_POLL_MS = 60_000;
/** ...and otherwise this share of the time processing has taken so far. */
export const POLL_SHARE = 0.1;

/**
 * Wait before the next read of a group's processing state, `elapsedMs` after the swap: a tenth of
 * the time so far, kept between 0.5 s and 60 s. The completion notice then comes at most about 10%
 * (and never more than a minute) after Entra finished, for a few reads: 10 for a group processed in
 * 5 s, about 60 in the first 10 minutes, then one a minute (about 1,500 a day, where Graph allows
 * thousands of reads a minute). A fixed interval (`pollIntervalMs`) is used as given.
 */
export function pollDelay(elapsedMs: number, fixedMs?: number): number {
  if (fixedMs !== undefined) return Math.max(1, fixedMs);
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, Math.round(elapsedMs * POLL_SHARE)));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Stable text of a change, to recognise one that a preflight of this service found blocked. */
function fingerprint(change: ResolvedChange): string {
  const more = change.alsoFrom?.length || change.alsoTo?.length ? [planIds(change)] : [];
  return JSON.stringify([
    change.kind,
    change.principal.id,
    change.from.skuId,
    change.to.skuId,
    change.assignments,
    change.setUsageLocation ?? null,
    change.adopt?.groupWrite ?? null,
    ...more,
  ]);
}

export function graphFailure(err: unknown): LicensingError {
  const e = err instanceof GraphError ? err : new GraphError(0, 'Unknown', err instanceof Error ? err.message : String(err));
  // A name that cannot be a path segment ("..", "a/b") was refused before any request: bad input.
  if (e instanceof UnsafeKeyError) return new LicensingError('INVALID_INPUT', e.message, { code: e.code, reason: 'UNSAFE_NAME', name: e.key, what: e.what, why: e.why });
  if (e.code === UNSAFE_KEY) return new LicensingError('INVALID_INPUT', e.message, { code: e.code });
  return new LicensingError('GRAPH_ERROR', `Microsoft Graph: ${e.message}${e.code && !/^Http\d+$/.test(e.code) ? ` (${e.code})` : ''}`, {
    status: e.status,
    code: e.code,
    graphMessage: e.message,
  });
}

export class LicenseService implements LicensePort {
  private readonly pollIntervalMs: number | undefined;
  private readonly trackTimeoutMs: number;
  private readonly skuCacheMs: number;
  private readonly reader: SnapshotReader;
  private orgP?: Promise<TenantContext['tenant']>;
  private skuCache?: { at: number; ctx: Promise<TenantContext> };
  /** Fingerprints of changes a preflight found blocked (bounded). */
  private readonly blocked = new Set<string>();
  /** When the swap of a change started, for track()'s "updated after the change", and who was changed. */
  private readonly swapStarted = new Map<string, string>();
  private readonly swapChanged = new Map<string, Set<string>>();
  private readonly writableProbe: (() => Promise<boolean>) | undefined;
  private writable?: { at: number; answer: Promise<boolean> };

  constructor(
    readonly gateway: GraphGateway,
    private readonly ref: ReferenceData = referenceData(),
    opts: LicenseServiceOptions = {},
  ) {
    this.pollIntervalMs = opts.pollIntervalMs === undefined ? undefined : Math.max(1, opts.pollIntervalMs);
    this.trackTimeoutMs = Math.max(0, opts.trackTimeoutMs ?? DEFAULT_TRACK_TIMEOUT_MS);
    this.skuCacheMs = Math.max(0, opts.skuCacheMs ?? 0);
    this.reader = new SnapshotReader(gateway, ref, () => this.tenantContext());
    this.writableProbe = opts.usageLocationWritable;
  }

  /** Whether the app may set usage locations (cached for a minute; a failed probe reads as no). */
  usageLocationWritable(): Promise<boolean> {
    const probe = this.writableProbe;
    if (!probe) return Promise.resolve(false);
    const now = Date.now();
    if (this.writable && now - this.writable.at < PERMISSION_CACHE_MS) return this.writable.answer;
    const answer = probe().then(
      (yes) => yes === true,
      () => false,
    );
    this.writable = { at: now, answer };
    return answer;
  }

  // ------------------------------------------------------------------ plumbing

  /** Runs `fn`, turning Graph failures into LicensingError('GRAPH_ERROR'). */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof LicensingError) throw err;
      if (err instanceof GraphError) throw graphFailure(err);
      throw err;
    }
  }

  private organization(): Promise<TenantContext['tenant']> {
    if (!this.orgP) {
      this.orgP = this.gateway.organization();
      this.orgP.catch(() => (this.orgP = undefined));
    }
    return this.orgP;
  }

  /** Organization (cached) and subscribedSkus (once per call, or per skuCacheMs). */
  private tenantContext(): Promise<TenantContext> {
    const now = Date.now();
    if (this.skuCache && this.skuCacheMs > 0 && now - this.skuCache.at < this.skuCacheMs) return this.skuCache.ctx;
    const ctx = Promise.all([this.organization(), this.gateway.subscribedSkus()]).then(([tenant, skus]) => ({
      tenant,
      skus,
      catalog: Catalog.fromSubscribedSkus(skus, this.ref),
    }));
    ctx.catch(() => {
      if (this.skuCache?.ctx === ctx) this.skuCache = undefined;
    });
    this.skuCache = { at: now, ctx };
    return ctx;
  }

  // ------------------------------------------------------------------ plans and principals

  listPlans(): Promise<PlanInfo[]> {
    return this.guard(async () => (await this.tenantContext()).catalog.plans());
  }

  resolvePlan(name: string): Promise<PlanInfo> {
    return this.guard(async () => (await this.tenantContext()).catalog.resolve(name));
  }

  findPrincipals(query: string, opts: { kind?: PrincipalKind; top?: number } = {}): Promise<PrincipalMatch[]> {
    return this.guard(async () => {
      const q = (query ?? '').trim();
      const top = Math.max(1, Math.min(50, opts.top ?? 10));
      if (!q) return [];
      const wantUsers = opts.kind !== 'group';
      const wantGroups = opts.kind !== 'user';
      if (GUID_RE.test(q)) {
        const [u, g] = await Promise.all([wantUsers ? this.gateway.getUser(q) : null, wantGroups ? this.gateway.getGroup(q) : null]);
        const out: PrincipalMatch[] = [];
        if (u) out.push({ ...userRef(u), ...(u.department ? { detail: u.department } : {}) });
        if (g) out.push({ ...groupRef(g), detail: groupDetail(g) });
        return out;
      }
      const [users, groups] = await Promise.all([
        wantUsers ? this.gateway.searchUsers(q, top) : Promise.resolve([]),
        wantGroups ? this.gateway.findGroups(q, 'prefix', top) : Promise.resolve([]),
      ]);
      const lower = q.toLowerCase();
      const matches: PrincipalMatch[] = [
        ...users.map((u) => ({ ...userRef(u), ...(u.department ? { detail: u.department } : {}) })),
        ...groups.map((g) => ({ ...groupRef(g), detail: groupDetail(g) })),
      ];
      const exact = (m: PrincipalMatch) => m.displayName.toLowerCase() === lower || (m.userPrincipalName ?? '').toLowerCase() === lower;
      matches.sort((a, b) => Number(exact(b)) - Number(exact(a)) || a.displayName.localeCompare(b.displayName));
      return matches.slice(0, top);
    });
  }

  resolveUser(idOrUpn: string): Promise<PrincipalRef | null> {
    return this.guard(async () => {
      const q = (idOrUpn ?? '').trim();
      if (!q) return null;
      const u = await this.gateway.getUser(q, 'id,userPrincipalName,displayName');
      return u ? userRef(u) : null;
    });
  }

  groupMemberIds(groupId: string): Promise<string[]> {
    return this.guard(async () => (await this.gateway.listGroupUserMembers(groupId, 'id')).map((u) => u.id));
  }

  tenant(): Promise<{ id: string; displayName: string; defaultUsageLocation: string | null }> {
    return this.guard(async () => {
      const org = await this.organization();
      return { id: org.id, displayName: org.displayName, defaultUsageLocation: org.countryLetterCode ?? null };
    });
  }

  status(principal: PrincipalQuery): Promise<PrincipalStatus> {
    return this.guard(async () => {
      if (principal?.kind === 'user') {
        const [user, ctx] = await Promise.all([this.reader.user(principal.user), this.tenantContext()]);
        const groupIds = user.licenseAssignmentStates.map((s) => s.assignedByGroup).filter((g): g is string => !!g);
        const names = await this.gateway.groupNames(groupIds);
        const states = user.licenseAssignmentStates.length
          ? user.licenseAssignmentStates
          : user.assignedLicenses.map((l) => ({ skuId: l.skuId, assignedByGroup: null, state: 'Active', error: null, disabledPlans: l.disabledPlans, lastUpdatedDateTime: null }));
        return {
          principal: userRef(user),
          licenses: states.map((s) => ({
            plan: planSummary(ctx.catalog, this.ref, s.skuId),
            assignedByGroup: s.assignedByGroup,
            ...(s.assignedByGroup ? { assignedByGroupName: names[s.assignedByGroup.toLowerCase()] ?? s.assignedByGroup } : {}),
            state: s.state,
            error: s.error && !/^none$/i.test(s.error) ? s.error : null,
            disabledPlans: s.disabledPlans,
          })),
        };
      }
      if (principal?.kind === 'group') {
        const [group, ctx] = await Promise.all([this.reader.group(principal.group), this.tenantContext()]);
        const [members, inError] = await Promise.all([this.gateway.listGroupUserMembers(group.id, 'id'), this.gateway.membersWithLicenseErrors(group.id, 'id')]);
        return {
          principal: groupRef(group),
          licenses: group.assignedLicenses.map((l) => ({ plan: planSummary(ctx.catalog, this.ref, l.skuId), assignedByGroup: null, disabledPlans: l.disabledPlans })),
          processingState: group.licenseProcessingState?.state ?? 'Unknown',
          memberCount: members.length,
          membersInError: inError.length,
        };
      }
      throw new LicensingError('INVALID_INPUT', 'Status shows one user or one group.', { reason: 'STATUS_ONE' });
    });
  }

  proposeTeamsSplit(principal: PrincipalQuery, direction: SplitDirection): Promise<SplitProposal> {
    return this.guard(async () => {
      if (direction !== 'split' && direction !== 'join')
        throw new LicensingError('INVALID_INPUT', `Unknown direction '${String(direction)}': split or join.`, {
          reason: 'SPLIT_DIRECTION',
          direction: String(direction).slice(0, 40),
        });
      const ctxP = this.tenantContext();
      ctxP.catch(() => undefined);
      let who: PrincipalRef;
      let held: HeldLicence[];
      if (principal?.kind === 'user') {
        const user = await this.reader.user(principal.user);
        who = userRef(user);
        const states = user.licenseAssignmentStates.length
          ? user.licenseAssignmentStates
          : user.assignedLicenses.map((l) => ({ skuId: l.skuId, assignedByGroup: null as string | null }));
        const names = await this.gateway.groupNames(states.map((s) => s.assignedByGroup).filter((g): g is string => !!g));
        held = states.map((s) => ({
          skuId: s.skuId,
          assignedByGroup: s.assignedByGroup,
          ...(s.assignedByGroup ? { assignedByGroupName: names[s.assignedByGroup.toLowerCase()] ?? s.assignedByGroup } : {}),
        }));
      } else if (principal?.kind === 'group') {
        const group = await this.reader.group(principal.group);
        who = groupRef(group);
        held = group.assignedLicenses.map((l) => ({ skuId: l.skuId, assignedByGroup: null }));
      } else throw new LicensingError('INVALID_INPUT', 'Split Teams works on one user or one group.', { reason: 'SPLIT_ONE' });
      const ctx = await ctxP;
      return proposeSplit({ principal: who, held, plans: ctx.catalog.plans(), ref: this.ref, direction });
    });
  }

  // ------------------------------------------------------------------ the change

  preflight(spec: ChangeSpec, opts: PreflightOptions = {}): Promise<PreflightResult> {
    return this.guard(async () => {
      if (spec?.reprocess) return this.reprocessPreflight(spec);
      const fix = spec?.setUsageLocation;
      if (fix !== undefined) {
        // A usage location that Graph would refuse is refused here, before anything is read or written.
        const raw = fix && typeof fix === 'object' ? (fix as { country?: unknown }).country : undefined;
        const code = countryCode(raw);
        if (!code) {
          const shown = typeof raw === 'string' ? raw.trim().slice(0, 40) : '';
          throw new LicensingError('INVALID_INPUT', `'${shown}' is not a two-letter ISO 3166 country code (such as BE or NL): no usage location can be set to it.`, {
            reason: 'BAD_COUNTRY',
            country: shown,
          });
        }
        const ids = (fix as { userIds?: unknown }).userIds;
        if (ids !== undefined && (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string'))) {
          throw new LicensingError('INVALID_INPUT', 'The people whose usage location is to be set must be a list of user ids.', { reason: 'USAGE_LOCATION_IDS' });
        }
        spec = { ...spec, setUsageLocation: { ...fix, country: code } };
      }
      let result: PreflightResult;
      if (spec?.adopt) result = runAdoptPreflight(await this.reader.adoptInput(spec, opts));
      else {
        const writable = this.usageLocationWritable();
        const input = await this.reader.preflightInput(spec, opts);
        input.usageLocationWritable = await writable;
        result = runPreflight(input);
      }
      const fp = fingerprint(result.change);
      if (result.blocked) {
        if (this.blocked.size >= 500) this.blocked.delete(this.blocked.values().next().value!);
        this.blocked.add(fp);
      } else this.blocked.delete(fp);
      return result;
    });
  }

  // ------------------------------------------------------------------ reprocess

  /** Members with a group license in error now: the group's (membersWithLicenseErrors, then their states), or the one user's. */
  membersInError(principal: PrincipalQuery): Promise<MembersInError> {
    return this.guard(async () => {
      const ctx = await this.tenantContext();
      const plan = (skuId: string) => planSummary(ctx.catalog, this.ref, skuId);
      if (principal?.kind === 'user') {
        const user = await this.reader.user(principal.user, REPROCESS_SELECT);
        const errors = groupLicenseErrors(user, plan);
        return { principal: userRef(user), members: errors.length ? [{ principal: userRef(user), errors }] : [] };
      }
      if (principal?.kind !== 'group') throw new LicensingError('INVALID_INPUT', 'Reprocess names one group or one user.', { reason: 'REPROCESS_ONE' });
      const group = await this.reader.group(principal.group);
      // The untyped collection carries ids only under strict Graph: the states come from the users.
      const ids = (await this.gateway.membersWithLicenseErrors(group.id, 'id')).map((u) => u.id);
      const { users } = ids.length ? await this.gateway.getUsers(ids, REPROCESS_SELECT) : { users: [] };
      const members = users.map((u) => {
        const errors = groupLicenseErrors(u, plan, group.id);
        // Listed by Graph with no error state from this group readable yet: Entra names no cause.
        return { principal: userRef(u), errors: errors.length ? errors : [{ plan: plan(group.assignedLicenses[0]?.skuId ?? ''), groupId: group.id, error: 'Other' }] };
      });
      return { principal: groupRef(group), members };
    });
  }

  private async reprocessPreflight(spec: ChangeSpec): Promise<PreflightResult> {
    const ids = spec.reprocess?.userIds;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || !id.trim()) || ids.length > 100_000)
      throw new LicensingError('INVALID_INPUT', 'A reprocess names the users by id.', { reason: 'REPROCESS_IDS' });
    const list = await this.membersInError(spec.principal);
    const ctx = await this.tenantContext();
    // Only shown when nobody is left in error: the group's plan, read then.
    const fallback = !list.members.length && list.principal.kind === 'group' ? ((await this.reader.group(list.principal.id)).assignedLicenses[0]?.skuId ?? '') : '';
    return reprocessPreflight(list, ids, planSummary(ctx.catalog, this.ref, fallback), new Date(), spec.to || undefined);
  }

  /** Entra evaluates the users' group licenses again ($batch); a refusal is that user's outcome. */
  private async reprocessUsers(change: ResolvedChange): Promise<SwapResult> {
    const users = change.reprocess?.users ?? [];
    if (!users.length || users.some((u) => u?.kind !== 'user' || !u.id))
      throw new LicensingError('INVALID_INPUT', "This reprocess can't run: it names no users.", { reason: 'REPROCESS_NO_USERS' });
    const startedAt = new Date().toISOString();
    const written = await this.gateway.reprocessUsers(users.map((u) => u.id));
    const outcomes: SwapOutcome[] = users.map((u, i) => {
      const w = written[i]!;
      return w.ok
        ? { principal: u, status: 'changed' }
        : { principal: u, status: 'failed', reason: explainReprocessError(w.error.code, w.error.message), graphCode: w.error.code, graphMessage: w.error.message };
    });
    return {
      kind: change.kind,
      outcomes,
      changed: outcomes.filter((o) => o.status !== 'failed').map((o) => o.principal),
      failed: outcomes.filter((o) => o.status === 'failed'),
      startedAt,
      finishedAt: new Date().toISOString(),
    };
  }

  /** After a reprocess: who is fine now and who is still in error (and why), read back. */
  private async reprocessReport(change: ResolvedChange, started: number): Promise<TrackingReport> {
    const users = change.reprocess?.users ?? [];
    const { users: read } = users.length
      ? await this.gateway.getUsers(
          users.map((u) => u.id),
          REPROCESS_SELECT,
        )
      : { users: [] };
    const { done, errors } = reprocessOutcome(read, (u) => userRef(u as GraphUser), change.reprocess?.groupId);
    return {
      groupId: change.reprocess?.groupId ?? change.principal.id,
      outcome: 'complete',
      processingState: 'ProcessingComplete',
      done,
      errors,
      stillHoldingSource: [],
      polls: 1,
      elapsedMs: Date.now() - started,
      finishedAt: new Date().toISOString(),
    };
  }

  reverse(change: ResolvedChange): ChangeSpec {
    if (change?.kind === 'adopt') {
      throw new LicensingError(
        'INVALID_INPUT',
        'An adopt has no undo: the members keep the plan from the group. To give someone a direct copy again, assign it to them; to end the group copy, change the group.',
        { reason: 'ADOPT_NO_UNDO', adopt: true },
      );
    }
    return reverseSpec(change);
  }

  adoptCheck(change: ResolvedChange, userIds: string[], opts: { signal?: AbortSignal } = {}): Promise<AdoptCheck> {
    return this.guard(async () => {
      this.validate(change);
      if (change.kind !== 'adopt') throw new LicensingError('INVALID_INPUT', 'Only an adopt checks members before removing their direct copies.', { reason: 'ADOPT_CHECK_ONLY' });
      return this.checkAdopt(change, userIds, opts);
    });
  }

  private async checkAdopt(change: ResolvedChange, userIds: string[], opts: { signal?: AbortSignal } = {}): Promise<AdoptCheck> {
    {
      const ids = [...new Set(userIds.filter((x) => typeof x === 'string' && x))];
      if (!ids.length) return { ready: [], kept: [], gone: [] };
      const ctx = await this.tenantContext();
      const plan = ctx.catalog.byId(change.to.skuId);
      if (!plan) throw new LicensingError('PLAN_UNKNOWN', `The tenant no longer has ${change.to.displayName}.`, { name: change.to.displayName });
      const check = (users: GraphUser[]) => checkAdoptMembers({ groupId: change.principal.id, plan, members: users, acceptLoss: change.adopt?.acceptLoss ?? [] });
      let { users } = await this.gateway.getUsers(ids);
      let result = check(users);
      // A member without an inherited copy yet may be a read from before processing reached
      // them (a replica behind): read them again a few times before keeping their direct copy.
      for (let attempt = 1; attempt < STALE_READ_ATTEMPTS && !opts.signal?.aborted; attempt++) {
        const behind = new Set(result.kept.filter((k) => k.reason === 'notInherited').map((k) => k.principal.id.toLowerCase()));
        if (!behind.size) break;
        await sleep(staleReadDelay(attempt), opts.signal);
        const again = await this.gateway.getUsers([...behind]);
        const fresh = new Map(again.users.map((u) => [u.id.toLowerCase(), u]));
        users = users.map((u) => fresh.get(u.id.toLowerCase()) ?? u);
        result = check(users);
      }
      return result;
    }
  }

  private validate(change: ResolvedChange): void {
    // A change no command builds (forged card data, a damaged stored row): the log keeps what is wrong.
    const bad = (why: string) => new LicensingError('INVALID_INPUT', `This change can't run: ${why}.`, { reason: 'CHANGE_MALFORMED' });
    if (!change || typeof change !== 'object') throw bad('no change given');
    if (!['user', 'group', 'users', 'adopt'].includes(change.kind)) throw bad(`unknown kind '${String(change.kind)}'`);
    if (!change.from?.skuId || !change.to?.skuId) throw bad('source or target plan missing');
    // (An adopt may have only its group's write: every member keeps their own copy for now.)
    if (!Array.isArray(change.assignments) || (!change.assignments.length && !(change.kind === 'adopt' && change.adopt?.groupWrite))) throw bad('it has nothing to assign');
    const seen = new Set<string>();
    for (const a of change.assignments) {
      if (!a?.principal?.id || (a.principal.kind !== 'user' && a.principal.kind !== 'group')) throw bad('an assignment names no user or group');
      if (!Array.isArray(a.addLicenses) || !Array.isArray(a.removeLicenses) || (!a.addLicenses.length && !a.removeLicenses.length))
        throw bad(`the assignment for ${a.principal.displayName || a.principal.id} changes nothing`);
      if (a.addLicenses.some((l) => !l?.skuId || !Array.isArray(l.disabledPlans))) throw bad('a license to add has no skuId');
      const key = `${a.principal.kind}:${a.principal.id.toLowerCase()}`;
      if (seen.has(key)) throw bad(`${a.principal.displayName || a.principal.id} appears twice`);
      seen.add(key);
    }
    if (change.kind === 'group' && !change.assignments.some((a) => a.principal.kind === 'group' && a.principal.id.toLowerCase() === change.principal.id.toLowerCase())) {
      throw bad('a group change must assign the group');
    }
    if (change.kind === 'adopt') {
      // The group's own write (adding the plan), and removals of members' direct copies of it.
      const sku = change.to.skuId.toLowerCase();
      for (const a of change.assignments) {
        if (a.principal.kind === 'group') {
          if (a.principal.id.toLowerCase() !== change.principal.id.toLowerCase() || a.removeLicenses.length || a.addLicenses.some((l) => l.skuId.toLowerCase() !== sku))
            throw bad('an adopt only adds its plan to its group');
        } else if (a.addLicenses.length || a.removeLicenses.some((x) => x.toLowerCase() !== sku)) throw bad("an adopt only removes members' direct copies of its plan");
      }
      return;
    }
    if (change.kind !== 'group' && change.assignments.some((a) => a.principal.kind !== 'user')) throw bad('a user change can only assign users');
    const fix = change.setUsageLocation;
    if (fix !== undefined) {
      if (!fix || !countryCode(fix.country)) throw bad(`'${String(fix?.country ?? '')}' is not a country code for a usage location`);
      if (!Array.isArray(fix.users) || fix.users.some((p) => !p?.id || p.kind !== 'user')) throw bad('the usage locations to set name no users');
    }
  }

  /**
   * PATCH the usage location of the people the change sets it for, then read them back until each
   * shows it (a replica behind the write would make the license call fail as "invalid usage
   * location"). Only people this run writes licenses for: a run of some waves carries only their
   * assignments, and a group's write reaches every member. Never throws for a refused write: the
   * people it failed for come back in `failed` (their license call is then not made).
   */
  private async writeUsageLocations(change: ResolvedChange, signal?: AbortSignal): Promise<SwapResult['usageLocation']> {
    const fix = change.setUsageLocation;
    if (!fix?.users?.length) return undefined;
    const country = countryCode(fix.country)!;
    const group = change.assignments.some((a) => a.principal.kind === 'group');
    const inRun = new Set(change.assignments.filter((a) => a.principal.kind === 'user').map((a) => a.principal.id.toLowerCase()));
    const users = fix.users.filter((p) => group || inRun.has(p.id.toLowerCase()));
    if (!users.length) return undefined;
    const written = await this.gateway.setUsageLocations(
      users.map((p) => p.id),
      country,
    );
    const set: PrincipalRef[] = [];
    const failed: SwapOutcome[] = [];
    users.forEach((p, i) => {
      const w = written[i]!;
      if (w.ok) set.push(p);
      else
        failed.push({
          principal: p,
          status: 'failed',
          reason: explainUsageLocationError(w.error.code, w.error.message, w.error.status),
          usageLocationWhy: usageLocationWhy(w.error.code, w.error.message, w.error.status),
          graphCode: w.error.code,
          graphMessage: w.error.message,
        });
    });
    // Read back until every write shows (a few times, as for the license states).
    let behind = set.map((p) => p.id);
    for (let attempt = 1; behind.length && attempt <= STALE_READ_ATTEMPTS && !signal?.aborted; attempt++) {
      try {
        const { byQuery } = await this.gateway.getUsers(behind, 'id,usageLocation');
        behind = behind.filter((id) => (byQuery.get(id)?.usageLocation ?? '').toUpperCase() !== country);
      } catch {
        break; // the writes were accepted; the license calls say whether they took
      }
      if (behind.length && attempt < STALE_READ_ATTEMPTS) await sleep(staleReadDelay(attempt), signal);
    }
    return { country, set, failed };
  }

  swap(change: ResolvedChange): Promise<SwapResult> {
    return this.guard(async () => {
      if (change?.reprocess) return this.reprocessUsers(change);
      this.validate(change);
      const fp = fingerprint(change);
      if (this.blocked.has(fp)) {
        throw new LicensingError('BLOCKED', 'The preflight of this change found problems that block it; fix them and run the preflight again.');
      }
      const startedAt = new Date().toISOString();
      this.swapStarted.set(fp, startedAt);
      if (this.swapStarted.size > 500) this.swapStarted.delete(this.swapStarted.keys().next().value!);

      // Usage locations first: a direct license call fails without one.
      const usageLocation = await this.writeUsageLocations(change);
      const noLocation = new Map((usageLocation?.failed ?? []).map((o) => [o.principal.id.toLowerCase(), o]));

      const outcomes: SwapOutcome[] = [];
      // An adopt never removes a direct copy its member still needs, whoever runs it (the adopt's
      // waves check first; this holds for any caller): the not-ready stay, reported as such.
      if (change.kind === 'adopt') {
        const users = change.assignments.filter((a) => a.principal.kind === 'user');
        if (users.length) {
          const check = await this.checkAdopt(
            change,
            users.map((a) => a.principal.id),
          );
          const ready = new Set(check.ready.map((p) => p.id.toLowerCase()));
          const kept = new Map(check.kept.map((k) => [k.principal.id.toLowerCase(), k]));
          for (const a of users) {
            const id = a.principal.id.toLowerCase();
            if (ready.has(id)) continue;
            const k = kept.get(id);
            outcomes.push(
              k
                ? { principal: a.principal, status: 'failed', reason: adoptKeptReason(k), graphCode: 'AdoptNotReady', adoptKept: keptWhy(k) }
                : { principal: a.principal, status: 'changed' }, // no direct copy any more: nothing to remove
            );
          }
          change = { ...change, assignments: change.assignments.filter((a) => a.principal.kind === 'group' || ready.has(a.principal.id.toLowerCase())) };
        }
      }
      const toOutcome = (a: Assignment, w: WriteOutcome): SwapOutcome => {
        if (w.ok) return { principal: a.principal, status: a.principal.kind === 'group' ? 'accepted' : 'changed' };
        return {
          principal: a.principal,
          status: 'failed',
          reason: explainAssignError(w.error.code, w.error.message),
          graphCode: w.error.code,
          graphMessage: w.error.message,
        };
      };
      const body = (a: Assignment) => ({
        addLicenses: a.addLicenses.map((l) => ({ skuId: l.skuId, disabledPlans: [...l.disabledPlans] })),
        removeLicenses: [...a.removeLicenses],
      });
      // In order; runs of user assignments go through $batch together.
      let i = 0;
      while (i < change.assignments.length) {
        const a = change.assignments[i]!;
        if (a.principal.kind === 'group') {
          outcomes.push(toOutcome(a, await this.gateway.assignGroupLicense(a.principal.id, body(a))));
          i++;
          continue;
        }
        let j = i;
        while (j < change.assignments.length && change.assignments[j]!.principal.kind === 'user') j++;
        const all = change.assignments.slice(i, j);
        // Whose usage location could not be set gets no license call: it would fail the same way.
        const skipped = (x: Assignment) => x.addLicenses.length > 0 && noLocation.has(x.principal.id.toLowerCase());
        const run = all.filter((x) => !skipped(x));
        for (const x of all) if (skipped(x)) outcomes.push({ ...noLocation.get(x.principal.id.toLowerCase())!, principal: x.principal });
        if (!run.length) {
          i = j;
          continue;
        }
        const written =
          run.length === 1
            ? [await this.gateway.assignUserLicense(run[0]!.principal.id, body(run[0]!))]
            : await this.gateway.assignUserLicenses(run.map((x) => ({ userId: x.principal.id, body: body(x) })));
        run.forEach((x, k) => outcomes.push(toOutcome(x, written[k]!)));
        i = j;
      }
      const failed = outcomes.filter((o) => o.status === 'failed');
      this.swapChanged.set(fp, new Set(outcomes.filter((o) => o.status !== 'failed').map((o) => o.principal.id.toLowerCase())));
      if (this.swapChanged.size > 500) this.swapChanged.delete(this.swapChanged.keys().next().value!);
      return {
        kind: change.kind,
        ...(usageLocation ? { usageLocation } : {}),
        outcomes,
        changed: outcomes.filter((o) => o.status !== 'failed').map((o) => o.principal),
        failed,
        startedAt,
        finishedAt: new Date().toISOString(),
      };
    });
  }

  track(change: ResolvedChange, opts: TrackOptions = {}): Promise<TrackingReport> {
    return this.guard(async () => {
      if (change?.reprocess) return this.reprocessReport(change, Date.now());
      this.validate(change);
      // Remembered start of the swap, less a minute for clocks that disagree with Entra's.
      const started0 = this.swapStarted.get(fingerprint(change));
      const since = opts.since ?? (started0 ? new Date(Date.parse(started0) - 60_000).toISOString() : undefined);
      const started = Date.now();
      const fixed = opts.pollIntervalMs ?? this.pollIntervalMs;
      const timeout = Math.max(0, opts.timeoutMs ?? this.trackTimeoutMs);
      // An adopt's removals (a wave of them, or all): read back that each direct copy is gone.
      if (change.kind === 'adopt' && !change.assignments.some((a) => a.principal.kind === 'group')) return this.trackAdoptRemovals(change, started, timeout, opts.signal);
      if (change.kind !== 'group' && change.kind !== 'adopt') return this.trackUsers(change, started, timeout, opts.signal);

      // A finished state counts only when processing was seen to start after the write, or every
      // member's state is newer than it: right after assignLicense Graph may still answer with the
      // group as it was (processing not started yet, or a replica behind), "ProcessingComplete"
      // from the last change, and trusting that read would report "done, nobody changed".
      const groupId = change.principal.id;
      let polls = 0;
      let state = 'Unknown';
      let finished = false;
      let seenStart = false;
      let members: GraphUser[] | undefined;
      for (;;) {
        state = (await this.gateway.groupProcessingState(groupId)) ?? 'Unknown';
        polls++;
        const elapsedMs = Date.now() - started;
        await opts.onProgress?.({ groupId, processingState: state, elapsedMs, polls });
        if (!isProcessingFinished(state)) seenStart = true;
        else if (seenStart) {
          finished = true;
          break;
        } else {
          // Finished without a start seen: believe it only when the members show the change.
          members = (await this.gateway.listGroupUserMembers(groupId)) as GraphUser[];
          if (!unprocessedMembers({ groupId, change, members, ...(since ? { since } : {}) }).length) {
            finished = true;
            break;
          }
        }
        const wait = pollDelay(elapsedMs, fixed);
        if (opts.signal?.aborted || elapsedMs + wait > timeout) break;
        await sleep(wait, opts.signal);
        if (opts.signal?.aborted) break;
      }
      // Read the members even on timeout: what is done so far is worth reporting. After a finished
      // state they are read again (a few times, within the timeout) while some still show a state
      // older than the write: a replica behind, not a member Entra skipped.
      if (!members || seenStart) members = await this.gateway.listGroupUserMembers(groupId);
      for (let attempt = 1; finished && attempt < STALE_READ_ATTEMPTS && !opts.signal?.aborted; attempt++) {
        if (!unprocessedMembers({ groupId, change, members, ...(since ? { since } : {}) }).length) break;
        const wait = staleReadDelay(attempt);
        if (Date.now() - started + wait > timeout) break;
        await sleep(wait, opts.signal);
        members = await this.gateway.listGroupUserMembers(groupId);
      }
      const outcome = evaluateGroupOutcome({ groupId, change, members, ...(since ? { since } : {}) });
      return {
        groupId,
        outcome: !finished ? 'timeout' : /^processingcomplete$/i.test(state) ? 'complete' : 'failed',
        processingState: state,
        done: outcome.done,
        errors: outcome.errors,
        stillHoldingSource: outcome.stillHoldingSource,
        polls,
        elapsedMs: Date.now() - started,
        finishedAt: new Date().toISOString(),
      };
    });
  }

  /**
   * An adopt's removals are synchronous, but a read right after them may predate them: members
   * still showing their direct copy are read again (a few times, within the timeout). Done: no
   * direct copy any more; still holding it: stillHoldingSource.
   */
  private async trackAdoptRemovals(change: ResolvedChange, started: number, timeout: number, signal?: AbortSignal): Promise<TrackingReport> {
    const sku = change.to.skuId.toLowerCase();
    const direct = (u: GraphUser) => (u.licenseAssignmentStates ?? []).some((s) => !s.assignedByGroup && s.skuId.toLowerCase() === sku);
    let { users } = await this.gateway.getUsers(change.assignments.map((a) => a.principal.id));
    for (let attempt = 1; attempt < STALE_READ_ATTEMPTS && !signal?.aborted; attempt++) {
      const behind = users.filter(direct);
      if (!behind.length) break;
      const wait = staleReadDelay(attempt);
      if (Date.now() - started + wait > timeout) break;
      await sleep(wait, signal);
      const fresh = new Map((await this.gateway.getUsers(behind.map((u) => u.id))).users.map((u) => [u.id.toLowerCase(), u]));
      users = users.map((u) => fresh.get(u.id.toLowerCase()) ?? u);
    }
    return {
      groupId: change.principal.id,
      outcome: 'complete',
      processingState: 'ProcessingComplete',
      done: users.filter((u) => !direct(u)).map(userRef),
      errors: [],
      stillHoldingSource: users.filter(direct).map(userRef),
      polls: 1,
      elapsedMs: Date.now() - started,
      finishedAt: new Date().toISOString(),
    };
  }

  /**
   * User changes are synchronous, but a read right after them may come from a replica that has not
   * seen them: the users this service changed are re-read (a few times, within the timeout) until
   * each shows its change.
   */
  private async trackUsers(change: ResolvedChange, started: number, timeout: number, signal?: AbortSignal): Promise<TrackingReport> {
    const ids = change.assignments.map((a) => a.principal.id);
    const changed = this.swapChanged.get(fingerprint(change));
    let { users } = await this.gateway.getUsers(ids);
    for (let attempt = 1; attempt < STALE_READ_ATTEMPTS && !signal?.aborted; attempt++) {
      const behind = users.filter((u) => (changed ? changed.has(u.id.toLowerCase()) : true) && !userShowsChange(u, change));
      if (!behind.length) break;
      const wait = staleReadDelay(attempt);
      if (Date.now() - started + wait > timeout) break;
      await sleep(wait, signal);
      const again = await this.gateway.getUsers(behind.map((u) => u.id));
      const fresh = new Map(again.users.map((u) => [u.id.toLowerCase(), u]));
      users = users.map((u) => fresh.get(u.id.toLowerCase()) ?? u);
    }
    // Several plans: done when every target is held directly and no source is; an error on any target is theirs.
    const targets = targetsOf(change).map((p) => p.skuId.toLowerCase());
    const sources = skuIdSet(sourcesOf(change));
    const done: PrincipalRef[] = [];
    const errors: MemberError[] = [];
    const stillHoldingSource: PrincipalRef[] = [];
    for (const u of users as GraphUser[]) {
      const direct = u.licenseAssignmentStates.filter((s) => !s.assignedByGroup);
      const ts = targets.map((id) => direct.find((s) => s.skuId.toLowerCase() === id));
      const holdsSource = u.licenseAssignmentStates.some((s) => sources.has(s.skuId.toLowerCase())) || u.assignedLicenses.some((l) => sources.has(l.skuId.toLowerCase()));
      if (ts.every((t) => !!t) && !direct.some((s) => sources.has(s.skuId.toLowerCase()))) {
        const t = ts.find((x) => (x!.error && !/^none$/i.test(x!.error)) || /error/i.test(String(x!.state))) ?? ts[0]!;
        const err = t.error && !/^none$/i.test(t.error) ? t.error : /error/i.test(String(t.state)) ? 'Other' : undefined;
        if (err) errors.push({ principal: userRef(u), error: err, message: explainMemberError(err) });
        else done.push(userRef(u));
      }
      if (holdsSource) stillHoldingSource.push(userRef(u));
    }
    return {
      groupId: change.principal.id,
      outcome: 'complete',
      processingState: 'ProcessingComplete',
      done,
      errors,
      stillHoldingSource,
      polls: 1,
      elapsedMs: Date.now() - started,
      finishedAt: new Date().toISOString(),
    };
  }
}

// The tenant in memory: users, groups, subscribed SKUs and the license logic Entra applies.
//  - A user's licenses are its licenseAssignmentStates, one per (SKU, source). Only Active states
//    count: they make up assignedLicenses and consume a seat, once per user and SKU.
//  - Direct assignment (assignUserLicense) is synchronous and all or nothing.
//  - Group assignment (assignGroupLicense) changes the group at once and its members later
//    (processGroup), each member independently, in member order, errors written into states.
// Rules are evaluated so a fixture's existing state is never re-judged: only what a change adds
// (new plans, or prerequisites it takes away) can fail it.
//  - Reads go through readStates() / groupView(): with behavior.replicationLagMs a read within that
//    time after a change still sees the version before it, and with behavior.processingStartMs a
//    group reads as before its assignLicense until processing starts. The license logic itself
//    always works on the current version.
import { referenceData } from '../reference/data';
import type { ResolvedFixture, ResolvedLicense, ResolvedSku, SandboxBehavior } from './fixture';
import { errors, GraphError } from './graph-errors';
import { RuleBook, type LicenseProfile } from './rules';

export type ProcessingState = 'QueuedForProcessing' | 'ProcessingInProgress' | 'ProcessingComplete';
export type LicenseError = 'None' | 'CountViolation' | 'MutuallyExclusiveViolation' | 'DependencyViolation' | 'ProhibitedInUsageLocationViolation';

/** States are replaced, never edited in place (their disabledPlans lists may be shared). */
export interface LicenseState {
  skuId: string;
  /** null = assigned directly. */
  assignedByGroup: string | null;
  state: 'Active' | 'Error';
  error: LicenseError;
  disabledPlans: string[];
  lastUpdatedDateTime: string;
}

export interface UserRec {
  kind: 'user';
  id: string;
  userPrincipalName: string;
  displayName: string;
  usageLocation: string | null;
  accountEnabled: boolean;
  department: string | null;
  states: LicenseState[];
  /** Groups the user is a direct member of (for reprocessLicenseAssignment). */
  memberOf: GroupRec[];
  /** Earlier versions of `states` still shown to reads (replication lag), oldest first. */
  past?: { visibleUntil: number; states: LicenseState[] }[];
  /** Earlier usage locations still shown to reads (replication lag), oldest first. */
  pastLocation?: { visibleUntil: number; value: string | null }[];
}

/** What a read of a group sees of its licensing. */
export interface GroupView {
  licenses: ResolvedLicense[];
  processingState: ProcessingState;
}

export interface GroupRec {
  kind: 'group';
  id: string;
  displayName: string;
  securityEnabled: boolean;
  groupTypes: string[];
  membershipRule: string | null;
  onPremisesSyncEnabled: boolean | null;
  licenses: ResolvedLicense[];
  /** Users and nested groups, in fixture order. */
  members: (UserRec | GroupRec)[];
  /** Only the user members, in member order (what group licensing reaches). */
  userMembers: UserRec[];
  processingState: ProcessingState;
  /** Earlier views still shown to reads (replication lag, processing not started), oldest first. */
  past?: { visibleUntil: number; view: GroupView }[];
}

export interface SkuRec extends ResolvedSku {
  consumed: number;
}

export interface LicenseChange {
  addLicenses: ResolvedLicense[];
  removeLicenses: string[];
}

const isActive = (s: LicenseState) => s.state === 'Active';

export class Tenant {
  readonly id: string;
  readonly displayName: string;
  readonly defaultUsageLocation: string | null;
  readonly skus: SkuRec[];
  readonly users: UserRec[];
  readonly groups: GroupRec[];
  readonly rules: RuleBook;
  behavior: SandboxBehavior;
  /** The app's granted permissions (permissions.ts); roles null = all. */
  readonly app: { id: string; roles: readonly string[] | null };

  private readonly skuById = new Map<string, SkuRec>();
  private readonly userById = new Map<string, UserRec>();
  private readonly userByUpn = new Map<string, UserRec>();
  private readonly groupById = new Map<string, GroupRec>();
  private readonly timers = new Map<GroupRec, NodeJS.Timeout[]>();
  private closed = false;
  /** True while the constructor processes the fixture (a steady state: nothing to replicate). */
  private loading = true;

  constructor(fx: ResolvedFixture, now: string = new Date().toISOString()) {
    this.id = fx.tenant.id;
    this.displayName = fx.tenant.displayName;
    this.defaultUsageLocation = fx.tenant.defaultUsageLocation;
    this.behavior = { ...fx.behavior };
    this.app = { id: fx.app.id, roles: fx.app.roles ? [...fx.app.roles] : null };
    const ref = referenceData();
    this.rules = new RuleBook(fx.rules, fx.skus, (name) => ref.plansByName.get(name)?.id);
    this.skus = fx.skus.map((s) => ({ ...s, consumed: 0 }));
    for (const s of this.skus) this.skuById.set(s.skuId, s);

    this.users = fx.users.map((u) => ({
      kind: 'user' as const,
      id: u.id,
      userPrincipalName: u.upn,
      displayName: u.displayName,
      usageLocation: u.usageLocation,
      accountEnabled: u.accountEnabled,
      department: u.department,
      states: u.licenses.map((l) => ({
        skuId: l.skuId,
        assignedByGroup: null,
        state: 'Active' as const,
        error: 'None' as const,
        disabledPlans: l.disabledPlans,
        lastUpdatedDateTime: now,
      })),
      memberOf: [],
    }));
    for (const u of this.users) {
      this.userById.set(u.id, u);
      this.userByUpn.set(u.userPrincipalName.toLowerCase(), u);
      // Direct licenses are taken as written, even beyond the seats (a real tenant can be over).
      for (const s of u.states) this.skuById.get(s.skuId)!.consumed++;
    }

    this.groups = fx.groups.map((g) => ({
      kind: 'group' as const,
      id: g.id,
      displayName: g.displayName,
      securityEnabled: g.securityEnabled,
      groupTypes: g.groupTypes,
      membershipRule: g.membershipRule,
      onPremisesSyncEnabled: g.onPremisesSyncEnabled,
      licenses: g.licenses,
      members: [],
      userMembers: [],
      processingState: 'ProcessingComplete' as const,
    }));
    fx.groups.forEach((g, i) => {
      const rec = this.groups[i];
      this.groupById.set(rec.id, rec);
      for (const m of g.members) {
        if (m.kind === 'user') {
          const u = this.users[m.index];
          rec.members.push(u);
          rec.userMembers.push(u);
          u.memberOf.push(rec);
        } else rec.members.push(this.groups[m.index]);
      }
    });
    // Fully processed at load, as Entra would have it: groups in fixture order, members in order.
    for (const g of this.groups) if (g.licenses.length) this.processGroupMembers(g, now);
    this.loading = false;
  }

  // Lookups ------------------------------------------------------------------------------------

  user(idOrUpn: string): UserRec | undefined {
    const key = idOrUpn.toLowerCase();
    return this.userById.get(key) ?? this.userByUpn.get(key);
  }
  group(id: string): GroupRec | undefined {
    return this.groupById.get(id.toLowerCase());
  }
  sku(skuId: string): SkuRec | undefined {
    return this.skuById.get(skuId.toLowerCase());
  }

  /** The states a read sees now: the current ones, or an earlier version within the replication lag. */
  readStates(user: UserRec, now = Date.now()): LicenseState[] {
    const past = user.past;
    if (!past) return user.states;
    while (past.length && past[0]!.visibleUntil <= now) past.shift();
    if (!past.length) {
      user.past = undefined;
      return user.states;
    }
    return past[0]!.states;
  }

  /** The usage location a read sees now: the current one, or an earlier one within the replication lag. */
  readUsageLocation(user: UserRec, now = Date.now()): string | null {
    const past = user.pastLocation;
    if (!past) return user.usageLocation;
    while (past.length && past[0]!.visibleUntil <= now) past.shift();
    if (!past.length) {
      user.pastLocation = undefined;
      return user.usageLocation;
    }
    return past[0]!.value;
  }

  /**
   * PATCH /users/{id}: the properties the sandbox models. The license logic sees a new usage
   * location at once; reads see the old one for behavior.replicationLagMs.
   */
  updateUser(user: UserRec, patch: { usageLocation?: string; displayName?: string; department?: string | null; accountEnabled?: boolean }): void {
    if (patch.usageLocation !== undefined && patch.usageLocation !== user.usageLocation) {
      const lag = this.behavior.replicationLagMs;
      if (lag > 0) (user.pastLocation ??= []).push({ visibleUntil: Date.now() + lag, value: user.usageLocation });
      user.usageLocation = patch.usageLocation;
    }
    if (patch.displayName !== undefined) user.displayName = patch.displayName;
    if (patch.department !== undefined) user.department = patch.department;
    if (patch.accountEnabled !== undefined) user.accountEnabled = patch.accountEnabled;
  }

  /** A group's licenses and processing state as a read sees them now. */
  groupView(group: GroupRec, now = Date.now()): GroupView {
    const past = group.past;
    if (past) {
      while (past.length && past[0]!.visibleUntil <= now) past.shift();
      if (past.length) return past[0]!.view;
      group.past = undefined;
    }
    return { licenses: group.licenses, processingState: group.processingState };
  }

  /** Keeps the group's current view visible to reads until `visibleUntil` (the change being made is not seen before). */
  private holdGroupView(group: GroupRec, visibleUntil: number): void {
    if (visibleUntil <= Date.now()) return;
    (group.past ??= []).push({ visibleUntil, view: { licenses: group.licenses, processingState: group.processingState } });
  }

  /** Sets a group's processing state (reads see it after the replication lag). */
  private setProcessingState(group: GroupRec, state: ProcessingState): void {
    this.holdGroupView(group, Date.now() + this.behavior.replicationLagMs);
    group.processingState = state;
  }

  /** One entry per SKU held through at least one Active state (as a read sees them); enabled plans are the union. */
  assignedLicenses(user: UserRec): { skuId: string; disabledPlans: string[] }[] {
    const out: { skuId: string; disabledPlans: string[] }[] = [];
    for (const s of this.readStates(user)) {
      if (!isActive(s)) continue;
      const prev = out.find((x) => x.skuId === s.skuId);
      if (!prev) out.push({ skuId: s.skuId, disabledPlans: s.disabledPlans.slice() });
      else prev.disabledPlans = prev.disabledPlans.filter((p) => s.disabledPlans.includes(p)); // union of enabled = intersection of disabled
    }
    return out;
  }

  /** Direct members in license error for this group (as a read sees them). */
  membersWithLicenseErrors(group: GroupRec): UserRec[] {
    return group.userMembers.filter((u) => this.readStates(u).some((s) => s.assignedByGroup === group.id && s.state === 'Error'));
  }

  // Direct assignment --------------------------------------------------------------------------

  /** POST /users/{id}/assignLicense: all or nothing; throws Graph's 400 on the first broken rule. */
  assignUserLicense(user: UserRec, change: LicenseChange, now = new Date().toISOString()): void {
    this.checkSkus(change);
    const adding = new Map(change.addLicenses.map((l) => [l.skuId, l]));
    const removing = new Set(change.removeLicenses);
    for (const skuId of removing) {
      if (user.states.some((s) => s.skuId === skuId && s.assignedByGroup === null)) continue;
      throw user.states.some((s) => s.skuId === skuId) ? errors.inherited() : errors.userLacksLicense();
    }
    if (adding.size && !user.usageLocation) throw errors.usageLocation();

    const before = user.states;
    const after: LicenseState[] = [];
    for (const s of before) {
      if (s.assignedByGroup === null && (removing.has(s.skuId) || adding.has(s.skuId))) {
        const add = adding.get(s.skuId);
        if (add) after.push(this.directState(add, s, now)); // keeps its place in the list
      } else after.push(s);
    }
    for (const add of adding.values()) {
      if (!before.some((s) => s.skuId === add.skuId && s.assignedByGroup === null)) after.push(this.directState(add, undefined, now));
    }

    const heldBefore = new Set(before.filter(isActive).map((s) => s.skuId));
    for (const skuId of adding.keys()) {
      const sku = this.skuById.get(skuId)!;
      if (!heldBefore.has(skuId) && sku.consumed >= sku.enabled) throw errors.noSeats(skuId);
    }

    const active = after.filter(isActive);
    for (const add of adding.values()) {
      const profile = this.rules.profile(add.skuId, add.disabledPlans);
      const others = active.filter((s) => !(s.skuId === add.skuId && s.assignedByGroup === null)).map((s) => this.profileOf(s));
      const c = this.rules.conflict(profile, others);
      if (c) {
        const other = others.find((o) => o.names.has(c.otherName))!;
        throw errors.mutuallyExclusive([profile.idByName.get(c.planName)!, other.idByName.get(c.otherName)!]);
      }
    }
    this.checkNewDependencies(
      before.filter(isActive).map((s) => this.profileOf(s)),
      active.map((s) => this.profileOf(s)),
    );
    this.commit(user, after);
  }

  // Group assignment ---------------------------------------------------------------------------

  /** POST /groups/{id}/assignLicense: validates and changes the group now; members follow later. */
  assignGroupLicense(group: GroupRec, change: LicenseChange): void {
    if (!group.securityEnabled) throw errors.groupNotSecurity();
    this.checkSkus(change);
    const adding = new Map(change.addLicenses.map((l) => [l.skuId, l]));
    for (const skuId of change.removeLicenses) if (!group.licenses.some((l) => l.skuId === skuId)) throw errors.groupLacksLicense();
    const removing = new Set(change.removeLicenses);
    const next: ResolvedLicense[] = [];
    for (const l of group.licenses) {
      if (adding.has(l.skuId)) next.push(adding.get(l.skuId)!);
      else if (!removing.has(l.skuId)) next.push(l);
    }
    for (const add of adding.values()) if (!group.licenses.some((l) => l.skuId === add.skuId)) next.push(add);
    // An add-on needs its prerequisite in the same group (Entra refuses the group change outright).
    this.checkNewDependencies(
      group.licenses.map((l) => this.rules.profile(l.skuId, l.disabledPlans)),
      next.map((l) => this.rules.profile(l.skuId, l.disabledPlans)),
    );
    // Reads see the group as it was until processing starts (processingStartMs) and the change
    // has replicated (replicationLagMs).
    const { processingStartMs: start, replicationLagMs: lag } = this.behavior;
    this.holdGroupView(group, Date.now() + Math.max(start, lag));
    group.licenses = next.map((l) => ({ skuId: l.skuId, disabledPlans: l.disabledPlans.slice() }));
    this.scheduleProcessing(group);
  }

  /**
   * Processing starts after processingStartMs (at once by default): QueuedForProcessing, then
   * ProcessingInProgress half way through groupProcessingMs, members changed and Complete at the end.
   */
  scheduleProcessing(group: GroupRec): void {
    for (const t of this.timers.get(group) ?? []) clearTimeout(t);
    const start = this.behavior.processingStartMs;
    const total = this.behavior.groupProcessingMs;
    const timers: NodeJS.Timeout[] = [];
    this.timers.set(group, timers);
    const queue = () => this.setProcessingState(group, 'QueuedForProcessing');
    if (start <= 0) queue();
    if (this.closed) {
      this.timers.delete(group);
      if (start > 0) queue();
      return;
    }
    if (start > 0) timers.push(setTimeout(queue, start));
    timers.push(
      setTimeout(() => this.setProcessingState(group, 'ProcessingInProgress'), start + Math.floor(total / 2)),
      setTimeout(() => {
        this.timers.delete(group);
        this.processGroupMembers(group, new Date().toISOString());
        this.setProcessingState(group, 'ProcessingComplete');
      }, start + total),
    );
  }

  /** True while any group change is still being processed. */
  get processing(): boolean {
    return this.timers.size > 0;
  }

  /** POST /users/{id}/reprocessLicenseAssignment: re-runs group licensing for one user, now. */
  reprocessUser(user: UserRec, now = new Date().toISOString()): void {
    for (const g of user.memberOf) this.processMember(g, user, now);
  }

  /**
   * POST /groups/{id}/members/$ref: `user` joins `group`. A licensed group's licenses reach the
   * new member: with the group's processing when one is pending, else at once.
   */
  addMember(group: GroupRec, user: UserRec, now = new Date().toISOString()): void {
    if (group.members.includes(user))
      throw new GraphError(400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'members'.");
    group.members.push(user);
    group.userMembers.push(user);
    user.memberOf.push(group);
    if (group.licenses.length && !this.timers.has(group)) this.processMember(group, user, now);
  }

  /** DELETE /groups/{id}: the group is gone, and with it every license its members held from it. */
  deleteGroup(group: GroupRec): void {
    for (const t of this.timers.get(group) ?? []) clearTimeout(t);
    this.timers.delete(group);
    for (const u of group.userMembers) {
      u.memberOf = u.memberOf.filter((g) => g !== group);
      this.commit(
        u,
        u.states.filter((s) => s.assignedByGroup !== group.id),
      );
    }
    for (const g of this.groups) {
      const i = g.members.indexOf(group);
      if (i >= 0) g.members.splice(i, 1);
    }
    this.groups.splice(this.groups.indexOf(group), 1);
    this.groupById.delete(group.id);
  }

  /** Stops pending group processing (the sandbox is closing or being reset). */
  dispose(): void {
    this.closed = true;
    for (const list of this.timers.values()) for (const t of list) clearTimeout(t);
    this.timers.clear();
  }

  private processGroupMembers(group: GroupRec, now: string): void {
    for (const u of group.userMembers) this.processMember(group, u, now);
  }

  /**
   * Applies the group's licenses to one member: each SKU in the group's order becomes Active or an
   * Error state (usage location, conflict with what the user already has, seats, then
   * prerequisites on the same user).
   */
  private processMember(group: GroupRec, user: UserRec, now: string): void {
    // Runs 100,000 times for a big group: plain loops, no Sets, no spreads.
    const others: LicenseState[] = [];
    const mine: LicenseState[] = [];
    for (const s of user.states) (s.assignedByGroup === group.id ? mine : others).push(s);
    const otherProfiles: LicenseProfile[] = [];
    for (const s of others) if (s.state === 'Active') otherProfiles.push(this.profileOf(s));
    const location = user.usageLocation ?? this.defaultUsageLocation;

    const results: { lic: ResolvedLicense; profile: LicenseProfile; error: LicenseError }[] = [];
    const accepted: LicenseProfile[] = [];
    let dependents = false;
    for (const lic of group.licenses) {
      const sku = this.skuById.get(lic.skuId)!;
      const profile = this.rules.profile(lic.skuId, lic.disabledPlans);
      let error: LicenseError = 'None';
      if (!location) error = 'ProhibitedInUsageLocationViolation';
      else if (this.rules.conflict(profile, otherProfiles) || this.rules.conflict(profile, accepted)) error = 'MutuallyExclusiveViolation';
      else if (!holds(user.states, lic.skuId) && sku.consumed >= sku.enabled) error = 'CountViolation';
      if (error === 'None') {
        accepted.push(profile);
        if (profile.dependents.length) dependents = true;
      }
      results.push({ lic, profile, error });
    }
    // Prerequisites must be enabled on the user from some Active source; dropping one license can
    // break another, so repeat until nothing changes.
    for (let changed = dependents; changed;) {
      changed = false;
      const unmet = this.rules.unmetDependencies(otherProfiles.concat(accepted));
      for (const r of results) {
        if (r.error !== 'None' || !unmet.some((u) => r.profile.dependents.includes(u.plan))) continue;
        r.error = 'DependencyViolation';
        accepted.splice(accepted.indexOf(r.profile), 1);
        changed = true;
      }
    }

    const next = others;
    for (const r of results) {
      const old = mine.find((s) => s.skuId === r.lic.skuId);
      const state: LicenseState['state'] = r.error === 'None' ? 'Active' : 'Error';
      const same = old && old.state === state && old.error === r.error && sameList(old.disabledPlans, r.lic.disabledPlans);
      next.push(same ? old : { skuId: r.lic.skuId, assignedByGroup: group.id, state, error: r.error, disabledPlans: r.lic.disabledPlans, lastUpdatedDateTime: now });
    }
    this.commit(user, next);
  }

  // Helpers ------------------------------------------------------------------------------------

  private directState(add: ResolvedLicense, old: LicenseState | undefined, now: string): LicenseState {
    if (old && sameList(old.disabledPlans, add.disabledPlans)) return old;
    return { skuId: add.skuId, assignedByGroup: null, state: 'Active', error: 'None', disabledPlans: add.disabledPlans.slice(), lastUpdatedDateTime: now };
  }

  private profileOf(s: LicenseState): LicenseProfile {
    return this.rules.profile(s.skuId, s.disabledPlans);
  }

  /** Every SKU must be one of the tenant's, every disabled plan one of its SKU's plans. */
  private checkSkus(change: LicenseChange): void {
    for (const l of change.addLicenses) {
      const sku = this.skuById.get(l.skuId);
      if (!sku) throw errors.invalidSku(l.skuId);
      if (sku.appliesTo !== 'User') throw errors.skuNotForUsers(l.skuId);
      for (const p of l.disabledPlans) if (!sku.servicePlans.some((sp) => sp.id === p)) throw errors.planNotInSku(p, l.skuId);
    }
    for (const skuId of change.removeLicenses) {
      if (!this.skuById.has(skuId)) throw errors.invalidSku(skuId);
      if (change.addLicenses.some((l) => l.skuId === skuId)) throw errors.addAndRemove(skuId);
    }
  }

  /** Throws for a prerequisite that `after` lacks but `before` did not already lack. */
  private checkNewDependencies(before: LicenseProfile[], after: LicenseProfile[]): void {
    const old = new Set(this.rules.unmetDependencies(before).map((u) => u.plan));
    const broken = this.rules.unmetDependencies(after).find((u) => !old.has(u.plan));
    if (!broken) return;
    const skuIds = after.map((p) => p.skuId);
    throw errors.dependency(
      this.rules.planId(broken.plan, [broken.skuId]),
      broken.requiresAnyOf.map((n) => this.rules.planId(n, skuIds)),
    );
  }

  /** Replaces a user's states, keeping seat counts right (one seat per user and held SKU). */
  private commit(user: UserRec, next: LicenseState[]): void {
    const prev = user.states;
    if (prev === next) return;
    const lag = this.behavior.replicationLagMs;
    if (lag > 0 && !this.loading) (user.past ??= []).push({ visibleUntil: Date.now() + lag, states: prev });
    prev.forEach((s, i) => {
      if (s.state === 'Active' && firstActive(prev, s.skuId) === i && !holds(next, s.skuId)) this.skuById.get(s.skuId)!.consumed--;
    });
    next.forEach((s, i) => {
      if (s.state === 'Active' && firstActive(next, s.skuId) === i && !holds(prev, s.skuId)) this.skuById.get(s.skuId)!.consumed++;
    });
    user.states = next;
  }
}

/** Whether an Active state gives the SKU (the user holds it, so it consumes a seat). */
function holds(states: readonly LicenseState[], skuId: string): boolean {
  for (const s of states) if (s.skuId === skuId && s.state === 'Active') return true;
  return false;
}

function firstActive(states: readonly LicenseState[], skuId: string): number {
  return states.findIndex((s) => s.skuId === skuId && s.state === 'Active');
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x));
}

export { GraphError };

// Gathers what the preflight needs from Graph, with as few requests as possible:
//   - organization (cached for the life of the service) and subscribedSkus (once per call), in
//     parallel with the principal lookup;
//   - a group's members in ONE paged read of /groups/{id}/members ($top=999, license fields in
//     $select), split into users and nested groups by @odata.type; members in error are taken
//     from those same license states (no call to membersWithLicenseErrors);
//   - names of the other groups that members get licenses from, through $batch, started while the
//     member pages are still coming in;
//   - a list of users through $batch (20 per request).
import { USER_SELECT, type GraphGateway } from '../graph/gateway';
import type { GraphGroup, GraphOrganization, GraphSubscribedSku, GraphUser } from '../graph/types';
import { Catalog, isSuite } from './catalog';
import { MemberReadProgress } from './member-progress';
import { LicensingError, type ChangeSpec, type PreflightOptions, type PlanInfo, type PlanSummary, type PrincipalMatch, type PrincipalQuery } from './model';
import type { PreflightInput } from './preflight';
import { userFacts, type UserFacts } from './preflight/context';
import type { ReferenceData } from '../reference/data';
import { GUID_RE } from '../guid';
import { resolveFurtherPlans } from './change-plans';
import { groupRef, userRef } from './principal-ref';

const ERROR_STATES = new Set(['error', 'activewitherror']);

export function groupDetail(g: Pick<GraphGroup, 'securityEnabled' | 'groupTypes' | 'onPremisesSyncEnabled'>): string {
  const bits: string[] = [];
  if ((g.groupTypes ?? []).includes('Unified')) bits.push('Microsoft 365');
  if (g.securityEnabled) bits.push('security');
  if ((g.groupTypes ?? []).includes('DynamicMembership')) bits.push('dynamic');
  if (g.onPremisesSyncEnabled) bits.push('synced');
  return bits.join(', ') || 'distribution';
}

export function planSummary(catalog: Catalog, ref: ReferenceData, skuId: string): PlanSummary {
  const p = catalog.byId(skuId);
  if (p) return { skuId: p.skuId, skuPartNumber: p.skuPartNumber, displayName: p.displayName };
  const r = ref.skusById.get(skuId.toLowerCase());
  return r ? { skuId: r.skuId, skuPartNumber: r.skuPartNumber, displayName: r.productName } : { skuId, skuPartNumber: skuId, displayName: skuId };
}

/** Members whose license from this group is in error, read from the member list itself. */
export function membersInError(members: GraphUser[], groupId: string): GraphUser[] {
  const g = groupId.toLowerCase();
  const out: GraphUser[] = [];
  for (const m of members) {
    const states = m.licenseAssignmentStates;
    if (!states) continue;
    for (const s of states) {
      const by = s.assignedByGroup ?? '';
      if (by !== g && by.toLowerCase() !== g) continue;
      if (stateInError(s.state, s.error)) {
        out.push(m);
        break;
      }
    }
  }
  return out;
}

/** A license state that did not take: Error / ActiveWithError, or any error other than None. */
function stateInError(state: unknown, error: string | null | undefined): boolean {
  return ERROR_STATES.has(String(state).toLowerCase()) || !!(error && !/^none$/i.test(error));
}

/**
 * What a group preflight works out per member, page by page while the rest is still being read
 * (off the critical path): the members in error for the group, and, once source and target are
 * known, each member's facts (deduplicated by id as buildChange does).
 */
class MemberPrep {
  readonly errors: GraphUser[] = [];
  private readonly pages: GraphUser[][] = [];
  private readonly seen = new Set<string>();
  private readonly facts: UserFacts[] = [];
  private plans?: { sourceId: string; targetId: string };
  private done = 0;

  constructor(private readonly groupId: string) {}

  add(users: GraphUser[]): void {
    for (const u of membersInError(users, this.groupId)) this.errors.push(u);
    this.pages.push(users);
    if (this.plans) this.catchUp();
  }

  /** Source and target are known: facts for the pages so far, and for every page from now on. */
  plansKnown(sourceId: string, targetId: string): void {
    this.plans = { sourceId: sourceId.toLowerCase(), targetId: targetId.toLowerCase() };
    this.catchUp();
  }

  private catchUp(): void {
    const { sourceId, targetId } = this.plans!;
    for (; this.done < this.pages.length; this.done++) {
      const seen = this.seen;
      for (const u of this.pages[this.done]!) {
        if (seen.has(u.id)) continue;
        seen.add(u.id);
        this.facts.push(userFacts(u, sourceId, targetId));
      }
    }
  }

  memberFacts(members: GraphUser[]): PreflightInput['memberFacts'] {
    if (!this.plans) return undefined;
    this.catchUp();
    return { members, ...this.plans, facts: this.facts };
  }
}

/** Collects the other groups that licenses come from, and looks their names up while paging goes on. */
class GroupNameCollector {
  private readonly seen = new Set<string>();
  private readonly lookups: Promise<Record<string, string>>[] = [];

  /** `skip`: group ids whose names are known already (the group being changed). */
  constructor(
    private readonly gateway: GraphGateway,
    skip: string[] = [],
  ) {
    for (const id of skip) this.seen.add(id.toLowerCase());
  }

  add(users: GraphUser[]): void {
    const fresh: string[] = [];
    for (const u of users) {
      for (const s of u.licenseAssignmentStates ?? []) {
        const g = s.assignedByGroup?.toLowerCase();
        if (g && !this.seen.has(g)) {
          this.seen.add(g);
          fresh.push(g);
        }
      }
    }
    this.lookUp(fresh);
  }

  private lookUp(fresh: string[]): void {
    if (fresh.length) {
      const p = this.gateway.groupNames(fresh);
      p.catch(() => undefined); // awaited in names(); avoid an unhandled rejection meanwhile
      this.lookups.push(p);
    }
  }

  async names(): Promise<Record<string, string>> {
    return Object.assign({}, ...(await Promise.all(this.lookups)));
  }
}

/** The further plans of a several-plans change, as PreflightInput fields (none for one plan). */
function furtherInput(f: { alsoTo: PlanInfo[]; alsoFrom: PlanInfo[] }): Pick<PreflightInput, 'alsoTo' | 'alsoFrom'> {
  return { ...(f.alsoTo.length ? { alsoTo: f.alsoTo } : {}), ...(f.alsoFrom.length ? { alsoFrom: f.alsoFrom } : {}) };
}

/** Where a principal already holds the target (see inferSource). Group ids lower case. */
export interface AlreadyHeld {
  direct: boolean;
  groups: string[];
  /** The group being changed holds the target itself. */
  group?: boolean;
}

/** Does the user hold the target already: directly, or Active from groups (which)? null when not. */
function targetHeld(u: GraphUser, targetId: string): { direct: boolean; groups: string[] } | null {
  let direct = false;
  const groups: string[] = [];
  for (const s of u.licenseAssignmentStates) {
    if (s.skuId.toLowerCase() !== targetId) continue;
    if (!s.assignedByGroup) direct = true;
    else if (!/error/i.test(String(s.state ?? '')) && (!s.error || /^none$/i.test(s.error))) groups.push(s.assignedByGroup.toLowerCase());
  }
  if (!u.licenseAssignmentStates.length && u.assignedLicenses.some((l) => l.skuId.toLowerCase() === targetId)) direct = true;
  return direct || groups.length ? { direct, groups } : null;
}

export interface TenantContext {
  tenant: GraphOrganization;
  skus: GraphSubscribedSku[];
  catalog: Catalog;
}

export type ResolvedPrincipal = { kind: 'user'; user: GraphUser } | { kind: 'group'; group: GraphGroup } | { kind: 'users'; users: GraphUser[]; notFound: string[] };

/**
 * What the preflight reads of every member: the user fields less department (no check uses it,
 * and at 100,000 members every field is megabytes to decode and parse).
 */
export const MEMBER_SELECT = USER_SELECT.split(',')
  .filter((f) => f !== 'department')
  .join(',');

/** How many group names -> ids a reader remembers (for reading members while the name is looked up). */
const KNOWN_GROUP_NAMES = 500;

export class SnapshotReader {
  /** Group display name (lower case) -> id, as last resolved by exact name. */
  private readonly groupIds = new Map<string, string>();

  constructor(
    private readonly gateway: GraphGateway,
    private readonly ref: ReferenceData,
    private readonly tenantContext: () => Promise<TenantContext>,
  ) {}

  /** A user by UPN or id; PRINCIPAL_UNKNOWN with suggestions when Graph has none. */
  async user(query: string, select?: string): Promise<GraphUser> {
    const q = query.trim();
    if (!q) throw new LicensingError('INVALID_INPUT', 'No user given: name a user by UPN (alice@contoso.com) or object id.', { reason: 'NO_USER' });
    const u = await this.gateway.getUser(q, select);
    if (u) return u;
    const prefix = q.includes('@') ? q.split('@')[0]! : q;
    const suggestions: PrincipalMatch[] = GUID_RE.test(q)
      ? []
      : (await this.gateway.searchUsers(prefix, 5)).map((s) => ({ ...userRef(s), ...(s.department ? { detail: s.department } : {}) }));
    throw new LicensingError(
      'PRINCIPAL_UNKNOWN',
      `No user '${q}' in this tenant${suggestions.length ? `. Did you mean: ${suggestions.map((s) => s.userPrincipalName).join(', ')}?` : '.'}`,
      {
        query: q,
        kind: 'user',
        suggestions,
      },
    );
  }

  /** A group by object id or exact display name; PRINCIPAL_UNKNOWN / PRINCIPAL_AMBIGUOUS otherwise. */
  async group(query: string): Promise<GraphGroup> {
    const q = query.trim();
    if (!q) throw new LicensingError('INVALID_INPUT', 'No group given: name a group by display name or object id.', { reason: 'NO_GROUP' });
    if (GUID_RE.test(q)) {
      const g = await this.gateway.getGroup(q);
      if (g) return g;
    }
    const exact = await this.gateway.findGroups(q, 'exact');
    const key = q.toLowerCase();
    this.groupIds.delete(key);
    if (exact.length === 1) {
      if (this.groupIds.size >= KNOWN_GROUP_NAMES) this.groupIds.delete(this.groupIds.keys().next().value!);
      this.groupIds.set(key, exact[0]!.id);
      return exact[0]!;
    }
    if (exact.length > 1) {
      const candidates: PrincipalMatch[] = exact.map((g) => ({ ...groupRef(g), detail: groupDetail(g) }));
      throw new LicensingError('PRINCIPAL_AMBIGUOUS', `${exact.length} groups are called '${q}': use the object id (${exact.map((g) => g.id).join(', ')}).`, {
        query: q,
        kind: 'group',
        candidates,
      });
    }
    const suggestions: PrincipalMatch[] = (await this.gateway.findGroups(q.slice(0, Math.max(1, Math.min(q.length, 3))), 'prefix', 5)).map((g) => ({
      ...groupRef(g),
      detail: groupDetail(g),
    }));
    throw new LicensingError(
      'PRINCIPAL_UNKNOWN',
      `No group '${q}' in this tenant${suggestions.length ? `. Did you mean: ${suggestions.map((s) => s.displayName).join(', ')}?` : '.'}`,
      {
        query: q,
        kind: 'group',
        suggestions,
      },
    );
  }

  async users(queries: string[]): Promise<{ users: GraphUser[]; notFound: string[] }> {
    const list = queries.map((s) => s.trim()).filter(Boolean);
    if (!list.length) throw new LicensingError('INVALID_INPUT', 'The list of users is empty.', { reason: 'NO_USERS' });
    const { users, notFound } = await this.gateway.getUsers(list);
    return { users, notFound };
  }

  async principal(query: PrincipalQuery): Promise<ResolvedPrincipal> {
    switch (query?.kind) {
      case 'user':
        return { kind: 'user', user: await this.user(query.user) };
      case 'group':
        return { kind: 'group', group: await this.group(query.group) };
      case 'users':
        if (!Array.isArray(query.users)) break;
        return { kind: 'users', ...(await this.users(query.users)) };
    }
    throw new LicensingError('INVALID_INPUT', 'The change must name a user, a group, or a list of users.', { reason: 'NO_PRINCIPAL' });
  }

  /**
   * The source plan: as typed, or inferred when the principal has exactly one candidate of the
   * target's kind (a suite for a suite, an add-on for an add-on: never the other kind unless the
   * admin names it). A principal that already holds the target has nothing to move: the target
   * comes back as the source with `alreadyHeld` saying where it comes from (the preflight then
   * says so and plans no call).
   */
  inferSource(spec: ChangeSpec, principal: ResolvedPrincipal, catalog: Catalog, target: PlanInfo): { source: PlanInfo; alreadyHeld?: AlreadyHeld } {
    if (spec.from && spec.from.trim()) return { source: catalog.resolve(spec.from) };
    const targetId = target.skuId.toLowerCase();
    const suite = (skuId: string) => {
      const p = catalog.byId(skuId);
      return isSuite(p ? p.servicePlans : (this.ref.skusById.get(skuId.toLowerCase())?.servicePlans ?? []), this.ref);
    };
    const targetSuite = isSuite(target.servicePlans, this.ref);
    const sameKind = (skuId: string) => suite(skuId) === targetSuite;
    let direct: string[];
    let inherited: string[] = [];
    let who: string;
    if (principal.kind === 'group') {
      const held = principal.group.assignedLicenses.map((l) => l.skuId.toLowerCase());
      if (held.includes(targetId)) return { source: target, alreadyHeld: { direct: false, groups: [], group: true } };
      direct = held;
      who = `group ${principal.group.displayName}`;
    } else {
      const users = principal.kind === 'user' ? [principal.user] : principal.users;
      // A user who holds the target already (directly, or Active from a group) has nothing to move.
      const holders = users.map((u) => targetHeld(u, targetId));
      if (users.length && holders.every((h) => h)) {
        const groups = [...new Set(holders.flatMap((h) => h!.groups))];
        return { source: target, alreadyHeld: { direct: holders.some((h) => h!.direct), groups } };
      }
      const d = new Set<string>();
      const any = new Set<string>();
      users.forEach((u, i) => {
        if (holders[i]) return;
        for (const s of u.licenseAssignmentStates) if (!s.assignedByGroup) d.add(s.skuId.toLowerCase());
        for (const l of u.assignedLicenses) any.add(l.skuId.toLowerCase());
        if (!u.licenseAssignmentStates.length) for (const l of u.assignedLicenses) d.add(l.skuId.toLowerCase());
      });
      direct = [...d];
      inherited = [...any].filter((x) => !d.has(x));
      who = principal.kind === 'user' ? principal.user.userPrincipalName : `these ${users.length} users`;
    }
    const others = (xs: string[]) => [...new Set(xs)].filter((c) => c !== targetId);
    // Direct copies of the target's kind first; else copies from groups of that kind (the preflight
    // then explains that a group's license is changed on the group); never the other kind.
    let candidates = others(direct).filter(sameKind);
    if (!candidates.length) candidates = others(inherited).filter(sameKind);
    if (candidates.length === 1) return { source: catalog.byId(candidates[0]!) ?? catalog.resolve(candidates[0]!) };
    // Nothing of the target's kind: the admin chooses among the rest (naming it is their call).
    if (!candidates.length) candidates = others([...direct, ...inherited]);
    const summaries = candidates.map((id) => planSummary(catalog, this.ref, id));
    throw new LicensingError(
      'SOURCE_AMBIGUOUS',
      candidates.length
        ? `Which plan should ${who} leave? It holds ${summaries.map((s) => s.displayName).join(', ')}: say 'from <plan>'.`
        : `${who} holds no plan to move from (other than ${target.displayName}): say 'from <plan>'.`,
      { candidates: summaries },
    );
  }

  /**
   * Everything runAdoptPreflight needs: the group, its members (one paged read) and the plan, as
   * named or inferred (the one plan members hold directly, preferring one the group holds).
   * Source and target are both the plan.
   */
  async adoptInput(spec: ChangeSpec, opts: PreflightOptions = {}): Promise<PreflightInput> {
    const query = spec?.principal;
    if (query?.kind !== 'group' || typeof query.group !== 'string') {
      throw new LicensingError('INVALID_INPUT', 'Adopt works on a group: name the group whose members hold the plan directly.', { reason: 'ADOPT_GROUP_ONLY' });
    }
    const ctxP = this.tenantContext();
    ctxP.catch(() => undefined);
    const group = await this.group(query.group);
    const ctx = await ctxP;
    const progress = new MemberReadProgress(this.gateway, opts.onProgress);
    progress.group(group.id, group.displayName);
    const collector = new GroupNameCollector(this.gateway, [group.id]);
    const members = await this.gateway.listGroupMembers(group.id, {
      select: MEMBER_SELECT,
      onPage: (users) => {
        collector.add(users);
        progress.page(group.id, users);
      },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const plan = typeof spec.to === 'string' && spec.to.trim() ? ctx.catalog.resolve(spec.to) : this.adoptPlan(group, members.users, ctx.catalog);
    const groupNames = await collector.names();
    groupNames[group.id.toLowerCase()] = group.displayName;
    return {
      spec,
      catalog: ctx.catalog,
      ref: this.ref,
      tenant: ctx.tenant,
      source: plan,
      target: plan,
      subject: { kind: 'group', group, members: members.users, nestedGroups: members.groups.map(groupRef), membersWithErrors: membersInError(members.users, group.id) },
      groupNames,
    };
  }

  /** The plan an adopt moves when none was named: held directly by members (one the group holds first). */
  private adoptPlan(group: GraphGroup, members: GraphUser[], catalog: Catalog): PlanInfo {
    const direct = new Map<string, number>();
    for (const u of members) {
      const states = u.licenseAssignmentStates ?? [];
      for (const s of states) if (!s.assignedByGroup) direct.set(s.skuId.toLowerCase(), (direct.get(s.skuId.toLowerCase()) ?? 0) + 1);
      if (!states.length) for (const l of u.assignedLicenses ?? []) direct.set(l.skuId.toLowerCase(), (direct.get(l.skuId.toLowerCase()) ?? 0) + 1);
    }
    const groupHeld = new Set((group.assignedLicenses ?? []).map((l) => l.skuId.toLowerCase()));
    let candidates = [...direct.keys()].filter((id) => groupHeld.has(id));
    if (!candidates.length) {
      // Suites before add-ons (an add-on is rarely what a group takes over), then the most held.
      const all = [...direct.keys()];
      const suites = all.filter((id) => isSuite(catalog.byId(id)?.servicePlans ?? this.ref.skusById.get(id)?.servicePlans ?? [], this.ref));
      candidates = suites.length ? suites : all;
    }
    if (candidates.length === 1) return catalog.byId(candidates[0]!) ?? catalog.resolve(candidates[0]!);
    const summaries = candidates.sort((a, b) => direct.get(b)! - direct.get(a)!).map((id) => planSummary(catalog, this.ref, id));
    throw new LicensingError(
      'SOURCE_AMBIGUOUS',
      summaries.length
        ? `Which plan should the group ${group.displayName} take over? Its members hold ${summaries.map((s) => s.displayName).join(', ')} directly: name the plan.`
        : `No member of ${group.displayName} holds a plan directly: there is nothing for the group to take over.`,
      { candidates: summaries, adopt: true },
    );
  }

  /** Everything runPreflight needs for one spec. */
  async preflightInput(spec: ChangeSpec, opts: PreflightOptions = {}): Promise<PreflightInput> {
    if (!spec || typeof spec !== 'object') throw new LicensingError('INVALID_INPUT', 'No change given.', { reason: 'NO_CHANGE' });
    if (typeof spec.to !== 'string' || !spec.to.trim())
      throw new LicensingError('INVALID_INPUT', "No target plan given: say which plan to move to ('to E3').", { reason: 'NO_TARGET' });
    const ctxP = this.tenantContext();
    ctxP.catch(() => undefined);
    const query = spec.principal;
    if (query?.kind === 'group') {
      const q = typeof query.group === 'string' ? query.group.trim() : '';
      // The members are read at the same time as the group is looked up when its id is known:
      // given as an id, or a name this reader resolved before. The lookup still decides: when the
      // name now means another group (or none), the early read is dropped and stopped.
      const guess = GUID_RE.test(q) ? q : this.groupIds.get(q.toLowerCase());
      const early = new AbortController();
      const progress = new MemberReadProgress(this.gateway, opts.onProgress);
      // One read of a group's members, with the other groups' names looked up and each member's
      // facts worked out page by page while it goes on.
      const readMembers = (groupId: string, signal?: AbortSignal) => {
        const names = new GroupNameCollector(this.gateway, [groupId]);
        const work = new MemberPrep(groupId);
        const members = this.gateway.listGroupMembers(groupId, {
          select: MEMBER_SELECT,
          onPage: (users) => {
            names.add(users);
            work.add(users);
            progress.page(groupId, users);
          },
          ...(signal ? { signal } : {}),
        });
        members.catch(() => undefined); // awaited below; not unhandled while the group is looked up
        return { members, names, work };
      };
      let reading = guess ? readMembers(guess, opts.signal ? AbortSignal.any([early.signal, opts.signal]) : early.signal) : undefined;
      let group: GraphGroup;
      let ctx: TenantContext;
      let target: PlanInfo;
      let source: PlanInfo;
      let alreadyHeld: AlreadyHeld | undefined;
      let further: { alsoTo: PlanInfo[]; alsoFrom: PlanInfo[] };
      try {
        group = await this.group(query.group);
        ctx = await ctxP;
        target = ctx.catalog.resolve(spec.to);
        ({ source, alreadyHeld } = this.inferSource(spec, { kind: 'group', group }, ctx.catalog, target));
        further = resolveFurtherPlans(spec, source, target, (n) => ctx.catalog.resolve(n));
      } catch (err) {
        early.abort();
        throw err;
      }
      if (!reading || group.id.toLowerCase() !== guess!.toLowerCase()) {
        early.abort();
        reading = readMembers(group.id, opts.signal);
      }
      const { names: collector, work: prep } = reading;
      progress.group(group.id, group.displayName);
      prep.plansKnown(source.skuId, target.skuId);
      const members = await reading.members;
      const groupNames = await collector.names();
      groupNames[group.id.toLowerCase()] = group.displayName;
      return {
        spec,
        catalog: ctx.catalog,
        ref: this.ref,
        tenant: ctx.tenant,
        source,
        target,
        subject: {
          kind: 'group',
          group,
          members: members.users,
          nestedGroups: members.groups.map(groupRef),
          membersWithErrors: prep.errors,
        },
        groupNames,
        memberFacts: prep.memberFacts(members.users),
        ...(alreadyHeld ? { alreadyHeld } : {}),
        ...furtherInput(further),
      };
    }

    const principal = await this.principal(query);
    const ctx = await ctxP;
    const target = ctx.catalog.resolve(spec.to);
    const users = principal.kind === 'user' ? [principal.user] : principal.kind === 'users' ? principal.users : [];
    const collector = new GroupNameCollector(this.gateway);
    collector.add(users);
    const { source, alreadyHeld } = this.inferSource(spec, principal, ctx.catalog, target);
    const further = resolveFurtherPlans(spec, source, target, (n) => ctx.catalog.resolve(n));
    const groupNames = await collector.names();
    const subject: PreflightInput['subject'] =
      principal.kind === 'user' ? { kind: 'user', user: principal.user } : { kind: 'users', users: users, notFound: principal.kind === 'users' ? principal.notFound : [] };
    return {
      spec,
      catalog: ctx.catalog,
      ref: this.ref,
      tenant: ctx.tenant,
      source,
      target,
      subject,
      groupNames,
      ...(alreadyHeld ? { alreadyHeld } : {}),
      ...furtherInput(further),
    };
  }
}

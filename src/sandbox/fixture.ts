// Fixture validation and resolution: schema problems (zod) plus the cross-references a schema cannot
// check (SKUs known to the reference data, plan names, member UPNs, duplicate ids...). Both passes
// run on every load so a broken fixture lists ALL its problems at once. The result is a
// ResolvedFixture: SKUs with their plans, licenses as skuId + plan ids, members as indexes, ids
// filled in — the tenant model is built from that without looking anything up again.
import { readFileSync } from 'node:fs';
import { coexistSkuIds, referenceData, type ReferenceData } from '../reference/data';
import { FixtureSchema, formatPath, schemaProblems, type FixtureProblem, type TenantFixture } from './fixture-schema';
import { isGuid, nameBasedId } from './ids';

export interface ResolvedPlan {
  id: string;
  name: string;
}
export interface ResolvedSku {
  /** subscribedSku id. */
  id: string;
  skuId: string;
  skuPartNumber: string;
  appliesTo: 'User' | 'Company';
  capabilityStatus: string;
  enabled: number;
  warning: number;
  suspended: number;
  lockedOut: number;
  servicePlans: ResolvedPlan[];
}
export interface ResolvedLicense {
  skuId: string;
  disabledPlans: string[];
}
export interface ResolvedUser {
  id: string;
  upn: string;
  displayName: string;
  usageLocation: string | null;
  accountEnabled: boolean;
  department: string | null;
  licenses: ResolvedLicense[];
}
export type ResolvedMember = { kind: 'user'; index: number } | { kind: 'group'; index: number };
export interface ResolvedGroup {
  id: string;
  displayName: string;
  securityEnabled: boolean;
  groupTypes: string[];
  membershipRule: string | null;
  onPremisesSyncEnabled: boolean | null;
  members: ResolvedMember[];
  licenses: ResolvedLicense[];
}
export interface ResolvedRules {
  /** Sets of plan names (upper case); a user may hold at most one plan of each set. */
  mutuallyExclusive: string[][];
  /** Plan name (upper case) -> at least one of these plan names must be enabled too. */
  dependencies: { plan: string; requiresAnyOf: string[] }[];
  /** skuIds (lower case) whose plans take no part in mutual exclusion (plan-rules.json `coexist`: Teams Enterprise). */
  coexistSkus?: string[];
}
export interface ResolvedFixture {
  tenant: { id: string; displayName: string; defaultUsageLocation: string | null };
  skus: ResolvedSku[];
  users: ResolvedUser[];
  groups: ResolvedGroup[];
  rules: ResolvedRules;
  behavior: SandboxBehavior;
  /** roles null = every permission granted (the fixture gave no app.roles). */
  app: { id: string; roles: string[] | null };
}

/** Behaviour of the sandbox's Graph (fixture `behavior`, defaults filled in). */
export interface SandboxBehavior {
  groupProcessingMs: number;
  latencyMs: number;
  latencyPerItemMs: number;
  replicationLagMs: number;
  processingStartMs: number;
  untypedMemberFields: 'omit' | 'return';
  batchOrder: 'shuffled' | 'sequential';
  seed: number;
  /** null: no throttling. */
  throttle: { resourceUnitsPer10s: number; writesPer150s: number } | null;
}

export const DEFAULT_THROTTLE = { resourceUnitsPer10s: 8000, writesPer150s: 3000 };

/** The behaviour of a fixture's `behavior` (already checked by the schema), with the defaults. */
export function resolveBehavior(b: Record<string, unknown>): SandboxBehavior {
  const n = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  const t = b.throttle && typeof b.throttle === 'object' ? (b.throttle as Record<string, unknown>) : undefined;
  return {
    groupProcessingMs: n(b.groupProcessingMs, DEFAULT_GROUP_PROCESSING_MS),
    latencyMs: n(b.latencyMs, 0),
    latencyPerItemMs: n(b.latencyPerItemMs, 0),
    replicationLagMs: n(b.replicationLagMs, 0),
    processingStartMs: n(b.processingStartMs, 0),
    untypedMemberFields: b.untypedMemberFields === 'return' ? 'return' : 'omit',
    batchOrder: b.batchOrder === 'sequential' ? 'sequential' : 'shuffled',
    seed: n(b.seed, 1),
    throttle: t ? { resourceUnitsPer10s: n(t.resourceUnitsPer10s, DEFAULT_THROTTLE.resourceUnitsPer10s), writesPer150s: n(t.writesPer150s, DEFAULT_THROTTLE.writesPer150s) } : null,
  };
}

export type FixtureResult = { ok: true; fixture: ResolvedFixture } | { ok: false; problems: FixtureProblem[] };

export const DEFAULT_GROUP_PROCESSING_MS = 1500;
/** The application (client) id in sandbox tokens when the fixture names none. */
export const SANDBOX_APP_ID = '0f5a7c1e-9b2d-4e6f-8a3c-5d7e9f1b2c40';

/** Validates a parsed fixture (JSON value). Never throws for bad input: problems are returned. */
export function validateFixture(json: unknown, ref: ReferenceData = referenceData()): FixtureResult {
  const problems: FixtureProblem[] = [];
  const parsed = FixtureSchema.safeParse(json);
  if (!parsed.success) problems.push(...schemaProblems(parsed.error));
  let resolved: ResolvedFixture | undefined;
  try {
    resolved = resolve(json, ref, problems);
  } catch (e) {
    // The semantic pass is defensive, but a shape zod already rejected must never crash the load.
    if (parsed.success) problems.push({ path: '', message: `could not resolve fixture: ${(e as Error).message}` });
  }
  const unique = dedupe(problems);
  if (unique.length || !resolved) return { ok: false, problems: unique.length ? unique : [{ path: '', message: 'invalid fixture' }] };
  return { ok: true, fixture: resolved };
}

/** Reads and validates a fixture file (problems for a missing file or bad JSON too). */
export function loadFixture(path: string, ref?: ReferenceData): FixtureResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, problems: [{ path: '', message: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, problems: [{ path: '', message: `${path} is not valid JSON: ${(e as Error).message}` }] };
  }
  return validateFixture(json, ref);
}

/** Problems as lines for a terminal: `users[3].upn: must look like name@domain`. */
export function formatProblems(problems: FixtureProblem[]): string {
  return problems.map((p) => `  - ${p.path || '(fixture)'}: ${p.message}`).join('\n');
}

export type { FixtureProblem, TenantFixture };

// ---------------------------------------------------------------------------------------------

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown, dflt: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : dflt);
const country = (v: unknown): string | null | undefined => (v === null ? null : typeof v === 'string' && /^[A-Za-z]{2}$/.test(v) ? v.toUpperCase() : undefined);

function dedupe(problems: FixtureProblem[]): FixtureProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.path}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

interface SkuIndex {
  sku: ResolvedSku;
  planByName: Map<string, ResolvedPlan>;
  planById: Map<string, ResolvedPlan>;
}

function resolve(json: unknown, ref: ReferenceData, problems: FixtureProblem[]): ResolvedFixture | undefined {
  const root = obj(json);
  if (!root) return undefined;
  const problem = (path: PropertyKey[], message: string) => problems.push({ path: formatPath(path), message });

  // Tenant ------------------------------------------------------------------------------------
  const t = obj(root.tenant) ?? {};
  const tenantName = str(t.displayName) ?? 'Tenant';
  const tenant = {
    id: (isGuid(t.id) ? t.id : nameBasedId('tenant', tenantName)).toLowerCase(),
    displayName: tenantName,
    defaultUsageLocation: country(t.defaultUsageLocation) ?? null,
  };

  // Subscriptions -----------------------------------------------------------------------------
  const skus: ResolvedSku[] = [];
  const skuByPart = new Map<string, SkuIndex>();
  const skuById = new Map<string, SkuIndex>();
  arr(root.subscriptions).forEach((raw, i) => {
    const s = obj(raw);
    const part = str(s?.sku);
    if (!s || !part) return;
    const at: PropertyKey[] = ['subscriptions', i];
    const givenSkuId = isGuid(s.skuId) ? s.skuId.toLowerCase() : undefined;
    const givenPlans = Array.isArray(s.servicePlans) ? s.servicePlans : undefined;
    const known = (givenSkuId && ref.skusById.get(givenSkuId)) || ref.skusByPartNumber.get(part.toUpperCase());
    let skuId: string | undefined;
    let partNumber = part;
    let plans: ResolvedPlan[] | undefined;
    if (givenPlans) {
      plans = givenPlans.flatMap((p) => {
        const o = obj(p);
        return o && str(o.name) && isGuid(o.id) ? [{ id: (o.id as string).toLowerCase(), name: o.name as string }] : [];
      });
      skuId = givenSkuId ?? (known && known.skuPartNumber.toUpperCase() === part.toUpperCase() ? known.skuId : undefined);
      if (!skuId) problem([...at, 'skuId'], `SKU "${part}" is not in the reference data: give its skuId`);
    } else if (!known || known.skuPartNumber.toUpperCase() !== part.toUpperCase()) {
      if (givenSkuId && known) {
        problem([...at, 'skuId'], `skuId ${givenSkuId} is ${known.skuPartNumber} in the reference data, not "${part}" (give servicePlans to define a custom SKU)`);
      } else {
        problem([...at, 'sku'], `unknown SKU part number "${part}": a SKU that is not in the reference data needs skuId and servicePlans`);
      }
      return;
    } else {
      skuId = known.skuId;
      partNumber = known.skuPartNumber;
      plans = known.servicePlans.map((p) => ({ id: p.id, name: p.name }));
    }
    if (!skuId || !plans) return;
    if (skuByPart.has(partNumber.toUpperCase())) return problem([...at, 'sku'], `SKU "${partNumber}" is listed twice`);
    if (skuById.has(skuId)) return problem([...at, 'skuId'], `skuId ${skuId} is listed twice`);
    const sku: ResolvedSku = {
      id: str(s.id) ?? `${tenant.id}_${skuId}`,
      skuId,
      skuPartNumber: partNumber,
      appliesTo: s.appliesTo === 'Company' ? 'Company' : 'User',
      capabilityStatus: str(s.capabilityStatus) ?? 'Enabled',
      enabled: num(s.enabled, 0),
      warning: num(s.warning, 0),
      suspended: num(s.suspended, 0),
      lockedOut: num(s.lockedOut, 0),
      servicePlans: plans,
    };
    const index: SkuIndex = { sku, planByName: new Map(), planById: new Map() };
    for (const p of plans) {
      index.planByName.set(p.name.toUpperCase(), p);
      index.planById.set(p.id, p);
    }
    skus.push(sku);
    skuByPart.set(partNumber.toUpperCase(), index);
    skuById.set(skuId, index);
  });

  /** A license list (user, group or generate entry) -> skuId + disabled plan ids. */
  const licenses = (raw: unknown, at: PropertyKey[]): ResolvedLicense[] => {
    const out: ResolvedLicense[] = [];
    arr(raw).forEach((l, j) => {
      const o = obj(l);
      const part = str(o?.sku);
      if (!o || !part) return;
      const idx = skuByPart.get(part.toUpperCase()) ?? (isGuid(part) ? skuById.get(part.toLowerCase()) : undefined);
      if (!idx) return problem([...at, j, 'sku'], `SKU "${part}" is not among the tenant's subscriptions`);
      if (out.some((x) => x.skuId === idx.sku.skuId)) return problem([...at, j, 'sku'], `SKU "${part}" is listed twice`);
      const disabled: string[] = [];
      arr(o.disabledPlans).forEach((d, k) => {
        if (typeof d !== 'string' || !d) return;
        const plan = idx.planByName.get(d.toUpperCase()) ?? idx.planById.get(d.toLowerCase());
        if (!plan) return problem([...at, j, 'disabledPlans', k], `"${d}" is not a service plan of ${idx.sku.skuPartNumber}`);
        if (!disabled.includes(plan.id)) disabled.push(plan.id);
      });
      out.push({ skuId: idx.sku.skuId, disabledPlans: disabled });
    });
    return out;
  };

  // Users -------------------------------------------------------------------------------------
  const users: ResolvedUser[] = [];
  const userByUpn = new Map<string, number>();
  const userById = new Map<string, number>();
  const ids = new Map<string, string>(); // id -> where, across users and groups
  const claimId = (id: string, where: PropertyKey[]) => {
    const prev = ids.get(id);
    if (prev !== undefined) problem(where, `id ${id} is already used by ${prev}`);
    else ids.set(id, formatPath(where.slice(0, -1)));
  };
  const defaultLocation = tenant.defaultUsageLocation;
  arr(root.users).forEach((raw, i) => {
    const u = obj(raw);
    const upn = str(u?.upn);
    if (!u || !upn || !upn.includes('@')) return;
    const at: PropertyKey[] = ['users', i];
    if (userByUpn.has(upn.toLowerCase())) return problem([...at, 'upn'], `UPN ${upn} is listed twice`);
    const id = (isGuid(u.id) ? u.id : nameBasedId('user', upn)).toLowerCase();
    claimId(id, [...at, 'id']);
    const loc = 'usageLocation' in u ? country(u.usageLocation) : defaultLocation;
    users.push({
      id,
      upn,
      displayName: str(u.displayName) ?? displayNameFromUpn(upn),
      usageLocation: loc === undefined ? null : loc,
      accountEnabled: u.accountEnabled !== false,
      department: typeof u.department === 'string' ? u.department : null,
      licenses: licenses(u.licenses, [...at, 'licenses']),
    });
    userByUpn.set(upn.toLowerCase(), users.length - 1);
    userById.set(id, users.length - 1);
  });

  // Groups (first their names, so members can name groups listed later) ------------------------
  const groups: ResolvedGroup[] = [];
  const groupByName = new Map<string, number>();
  const groupRaw: { raw: Raw; at: PropertyKey[] }[] = [];
  arr(root.groups).forEach((raw, i) => {
    const g = obj(raw);
    const name = str(g?.displayName);
    if (!g || !name) return;
    const at: PropertyKey[] = ['groups', i];
    if (groupByName.has(name.toLowerCase())) return problem([...at, 'displayName'], `group "${name}" is listed twice`);
    const id = (isGuid(g.id) ? g.id : nameBasedId('group', name)).toLowerCase();
    claimId(id, [...at, 'id']);
    const groupTypes = arr(g.groupTypes).filter((x): x is string => typeof x === 'string');
    const membershipRule = typeof g.membershipRule === 'string' ? g.membershipRule : null;
    if (groupTypes.includes('DynamicMembership') && !membershipRule) problem([...at, 'membershipRule'], 'a DynamicMembership group needs a membershipRule');
    groups.push({
      id,
      displayName: name,
      securityEnabled: g.securityEnabled !== false,
      groupTypes,
      membershipRule,
      onPremisesSyncEnabled: typeof g.onPremisesSyncEnabled === 'boolean' ? g.onPremisesSyncEnabled : null,
      members: [],
      licenses: licenses(g.licenses, [...at, 'licenses']),
    });
    groupByName.set(name.toLowerCase(), groups.length - 1);
    groupRaw.push({ raw: g, at });
  });
  groupRaw.forEach(({ raw, at }, gi) => {
    const group = groups[gi];
    const seen = new Set<string>();
    arr(raw.members).forEach((m, j) => {
      if (typeof m !== 'string' || !m) return;
      const key = m.toLowerCase();
      if (seen.has(key)) return problem([...at, 'members', j], `member "${m}" is listed twice`);
      seen.add(key);
      if (key.startsWith('group:')) {
        const name = m.slice('group:'.length).trim();
        const index = groupByName.get(name.toLowerCase());
        if (index === undefined) return problem([...at, 'members', j], `no group named "${name}"`);
        if (index === gi) return problem([...at, 'members', j], 'a group cannot be a member of itself');
        group.members.push({ kind: 'group', index });
      } else {
        const index = userByUpn.get(key) ?? userById.get(key);
        if (index === undefined) return problem([...at, 'members', j], `no user with UPN "${m}" (nested groups are written "group:<displayName>")`);
        group.members.push({ kind: 'user', index });
      }
    });
  });

  // Generated users -----------------------------------------------------------------------------
  arr(root.generate).forEach((raw, i) => {
    const gen = obj(raw);
    const groupName = str(gen?.group);
    const pattern = str(gen?.upn);
    const count = gen?.count;
    if (!gen || !groupName || !pattern || !pattern.includes('{n}') || !pattern.includes('@')) return;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1_000_000) return;
    const at: PropertyKey[] = ['generate', i];
    let gi = groupByName.get(groupName.toLowerCase());
    if (gi === undefined) {
      const id = nameBasedId('group', groupName);
      claimId(id, [...at, 'group']);
      groups.push({ id, displayName: groupName, securityEnabled: true, groupTypes: [], membershipRule: null, onPremisesSyncEnabled: null, members: [], licenses: [] });
      gi = groups.length - 1;
      groupByName.set(groupName.toLowerCase(), gi);
    }
    const group = groups[gi];
    for (const l of licenses(gen.groupLicenses, [...at, 'groupLicenses'])) {
      const existing = group.licenses.find((x) => x.skuId === l.skuId);
      if (!existing) group.licenses.push(l);
      else if (existing.disabledPlans.join() !== l.disabledPlans.join()) {
        problem([...at, 'groupLicenses'], `group "${groupName}" already holds this SKU with other disabledPlans`);
      }
    }
    const direct = licenses(gen.licenses, [...at, 'licenses']);
    const namePattern = str(gen.displayName) ?? displayNameFromUpn(pattern);
    const loc = 'usageLocation' in gen ? country(gen.usageLocation) : defaultLocation;
    const department = typeof gen.department === 'string' ? gen.department : null;
    const accountEnabled = gen.accountEnabled !== false;
    const where = formatPath(at);
    const lowerPattern = pattern.toLowerCase();
    // Allocation matters here (100,000 users): shared strings and, without direct licenses, one
    // shared empty list (the tenant model copies licenses into its own states).
    const noLicenses: ResolvedLicense[] = [];
    for (let n = 1; n <= count; n++) {
      const num = String(n);
      const upn = pattern.replaceAll('{n}', num);
      const key = lowerPattern.replaceAll('{n}', num);
      if (userByUpn.has(key)) {
        problem([...at, 'upn'], `generated UPN ${upn} is already used`);
        break;
      }
      // Unique UPNs give unique ids; only a listed id could collide, so generated ids are not stored.
      const id = nameBasedId('user', key);
      if (ids.has(id)) {
        problem([...at, 'upn'], `generated id ${id} of ${where} is already used by ${ids.get(id)}`);
        break;
      }
      users.push({
        id,
        upn,
        displayName: namePattern.replaceAll('{n}', num),
        usageLocation: loc === undefined ? null : loc,
        accountEnabled,
        department,
        licenses: direct.length ? direct : noLicenses,
      });
      userByUpn.set(key, users.length - 1);
      group.members.push({ kind: 'user', index: users.length - 1 });
    }
  });

  // Licenses on groups that cannot hold them -----------------------------------------------------
  groups.forEach((g, gi) => {
    if (!g.securityEnabled && g.licenses.length) {
      problem(gi < groupRaw.length ? ['groups', gi, 'licenses'] : ['generate'], `group "${g.displayName}" is not security-enabled and cannot hold licenses`);
    }
  });

  // Rules -------------------------------------------------------------------------------------
  const knownPlan = (name: string) => ref.plansByName.has(name.toUpperCase()) || [...skuByPart.values()].some((s) => s.planByName.has(name.toUpperCase()));
  const rulesRaw = obj(root.rules) ?? {};
  const rules: ResolvedRules = {
    mutuallyExclusive: ref.rules.mutuallyExclusive.map((r) => r.plans.map((p) => p.toUpperCase())),
    dependencies: ref.rules.dependencies.map((d) => ({ plan: d.plan.toUpperCase(), requiresAnyOf: d.requiresAnyOf.map((p) => p.toUpperCase()) })),
    coexistSkus: [...coexistSkuIds(ref)],
  };
  arr(rulesRaw.mutuallyExclusive).forEach((set, i) => {
    const names = arr(set).filter((x): x is string => typeof x === 'string' && x.length > 0);
    names.forEach((n, j) => {
      if (!knownPlan(n)) problem(['rules', 'mutuallyExclusive', i, j], `unknown service plan "${n}"`);
    });
    if (names.length >= 2) rules.mutuallyExclusive.push(names.map((n) => n.toUpperCase()));
  });
  arr(rulesRaw.dependencies).forEach((d, i) => {
    const o = obj(d);
    const plan = str(o?.plan);
    const req = arr(o?.requiresAnyOf).filter((x): x is string => typeof x === 'string' && x.length > 0);
    if (!plan || !req.length) return;
    if (!knownPlan(plan)) problem(['rules', 'dependencies', i, 'plan'], `unknown service plan "${plan}"`);
    req.forEach((n, j) => {
      if (!knownPlan(n)) problem(['rules', 'dependencies', i, 'requiresAnyOf', j], `unknown service plan "${n}"`);
    });
    rules.dependencies.push({ plan: plan.toUpperCase(), requiresAnyOf: req.map((n) => n.toUpperCase()) });
  });

  const b = obj(root.behavior) ?? {};
  const a = obj(root.app) ?? {};
  const app = {
    id: (isGuid(a.id) ? a.id : SANDBOX_APP_ID).toLowerCase(),
    roles: Array.isArray(a.roles) ? a.roles.filter((r): r is string => typeof r === 'string') : null,
  };
  return {
    tenant,
    skus,
    users,
    groups,
    rules,
    behavior: resolveBehavior(b),
    app,
  };
}

/** "jan.de.vries@x" -> "Jan De Vries"; "user{n}@x" -> "User {n}". */
export function displayNameFromUpn(upn: string): string {
  const local = upn.split('@')[0];
  const words = local
    .replace(/([A-Za-z])\{n\}/g, '$1 {n}')
    .split(/[._\-\s]+/)
    .filter(Boolean);
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ') || local;
}

// Seeded random tenants and changes for the outcome oracle. Same seed, same tenant and change.
import type { ChangeSpec } from '../../src/licensing/model';
import { referenceData } from '../../src/reference/data';
import { tenantFixture, type LicenseInput, type TenantFixture } from '../helpers/sandbox';

/** mulberry32: small, fast, and the same on every machine. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    some: (xs, lo, hi) => {
      const n = Math.min(xs.length, lo + Math.floor(next() * (hi - lo + 1)));
      const copy = [...xs];
      const out: (typeof xs)[number][] = [];
      while (out.length < n) out.push(copy.splice(Math.floor(next() * copy.length), 1)[0]!);
      return out;
    },
  };
}
export interface Rng {
  next(): number;
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  some<T>(xs: readonly T[], lo: number, hi: number): T[];
}

/** Suites and add-ons the tenants are made of (all in data/skus.csv). */
export const SUITES = ['STANDARDPACK', 'ENTERPRISEPACK', 'ENTERPRISEPREMIUM', 'SPE_E3', 'SPE_E5', 'O365_BUSINESS_PREMIUM', 'SPB', 'DESKLESSPACK'] as const;
export const ADDONS = ['MCOMEETADV', 'PROJECTPROFESSIONAL', 'VISIOCLIENT', 'POWER_BI_PRO', 'WORKPLACE_ANALYTICS', 'EMS'] as const;

export interface Case {
  seed: number;
  fixture: TenantFixture;
  spec: ChangeSpec;
  /** Short names ("u3") to UPNs, and group names, for the report. */
  users: string[];
  groups: string[];
}

const ref = referenceData();
const plansOf = (sku: string) => ref.skusByPartNumber.get(sku)!.servicePlans.map((p) => p.name);

export function generateCase(seed: number): Case {
  const r = rng(seed);
  const country = r.chance(0.85) ? 'NL' : null;
  const b = tenantFixture(`Oracle ${seed}`, { defaultUsageLocation: country, domain: 'oracle.example' });
  const suites = r.some(SUITES, 2, 4);
  const addons = r.some(ADDONS, 0, 3);
  const skus = [...suites, ...addons];
  const nUsers = r.int(3, 9);
  const license = (sku: string): LicenseInput => (r.chance(0.25) ? { sku, disabledPlans: r.some(plansOf(sku), 1, 3) } : sku);
  const users: string[] = [];
  const held = new Map<string, string[]>(); // user or group -> SKUs it holds (directly / on the group)
  const skuOf = (l: LicenseInput) => (typeof l === 'string' ? l : l.sku);
  for (let i = 0; i < nUsers; i++) {
    const name = `u${i}`;
    const lic: LicenseInput[] = [];
    if (r.chance(0.6)) lic.push(license(r.pick(suites)));
    if (addons.length && r.chance(0.35)) lic.push(license(r.pick(addons)));
    if (r.chance(0.08)) lic.push(license(r.pick(suites))); // now and then two suites
    const seen = new Set<string>();
    const unique = lic.filter((l) => {
      const s = typeof l === 'string' ? l : l.sku;
      if (seen.has(s)) return false;
      seen.add(s);
      return true;
    });
    held.set(name, unique.map(skuOf));
    b.user(name, {
      displayName: `User ${i}`,
      licenses: unique,
      usageLocation: r.chance(0.85) ? 'NL' : null,
      ...(r.chance(0.1) ? { accountEnabled: false } : {}),
    });
    users.push(name);
  }
  const nGroups = r.int(1, 3);
  const groups: string[] = [];
  for (let g = 0; g < nGroups; g++) {
    const name = `G${g}`;
    const kind = r.next();
    const security = !(kind < 0.07);
    const lic: LicenseInput[] = [];
    if (security && r.chance(0.8)) lic.push(license(r.pick(suites)));
    if (security && addons.length && r.chance(0.25)) lic.push(license(r.pick(addons)));
    const members: string[] = r.some(users, 1, Math.min(6, users.length));
    const groupSkus = lic.map(skuOf);
    held.set(name, groupSkus);
    for (const m of members) held.set(m, [...(held.get(m) ?? []), ...groupSkus]);
    if (groups.length && r.chance(0.2)) members.push(`group:${r.pick(groups)}`);
    b.group(name, {
      members,
      licenses: lic.filter((l, i) => lic.findIndex((x) => (typeof x === 'string' ? x : x.sku) === (typeof l === 'string' ? l : l.sku)) === i),
      ...(security ? {} : { securityEnabled: false, groupTypes: ['Unified'] }),
      ...(kind > 0.75 ? { groupTypes: ['DynamicMembership'], membershipRule: `(user.department -eq "${name}")` } : {}),
      ...(kind > 0.6 && kind <= 0.75 ? { onPremisesSyncEnabled: true } : {}),
    });
    groups.push(name);
  }
  for (const sku of skus) {
    // Mostly enough seats; sometimes just short of what a change needs.
    b.sku(sku, r.chance(0.7) ? nUsers * 2 + 5 : r.int(0, nUsers), r.chance(0.05) ? { capabilityStatus: r.pick(['Warning', 'Suspended'] as const) } : {});
  }
  b.behavior({ groupProcessingMs: 0 });

  // The change: a user, a list of users or a group; the source named or not; mostly a target
  // other than the source (the same plan now and then).
  const spec: ChangeSpec = { principal: { kind: 'user', user: '' }, to: '' };
  const k = r.next();
  if (k < 0.4) spec.principal = { kind: 'user', user: `${r.pick(users)}@oracle.example` };
  else if (k < 0.6) spec.principal = { kind: 'users', users: r.some(users, 2, 4).map((u) => `${u}@oracle.example`) };
  else {
    spec.principal = { kind: 'group', group: r.pick(groups) };
    if (r.chance(0.4)) spec.includeDirectCopies = true;
  }
  // The source: often named (mostly a plan the principal holds), otherwise inferred.
  if (r.chance(0.45)) {
    const p = spec.principal;
    const names = p.kind === 'user' ? [p.user.split('@')[0]!] : p.kind === 'users' ? p.users.map((u) => u.split('@')[0]!) : [p.group];
    const holds = [...new Set(names.flatMap((n) => held.get(n) ?? []))];
    spec.from = holds.length && r.chance(0.85) ? r.pick(holds) : r.pick(skus);
  }
  const others = skus.filter((x) => x !== spec.from);
  spec.to = others.length && r.chance(0.95) ? r.pick(others) : r.pick(skus);
  severalPlans(seed, b, spec, skus, held, nUsers);
  return { seed, fixture: b.build(), spec, users, groups };
}

/** The Teams unbundling's plans, sold to the oracle's tenants in several-plans cases. */
export const UNBUNDLED = ['Office_365_E3_(no_Teams)', 'Microsoft_365_E3_(no_Teams)', 'Microsoft_Teams_Enterprise_New'] as const;

/**
 * About one case in four becomes a change of several plans: a suite to its "(no Teams)" twin plus
 * Teams Enterprise, a further target beside the drawn one, or a second source the principal holds.
 * Drawn from its own generator, after everything else, so the single-plan cases (and the seeds
 * that reproduce them) stay as they were.
 */
function severalPlans(seed: number, b: ReturnType<typeof tenantFixture>, spec: ChangeSpec, skus: string[], held: Map<string, string[]>, nUsers: number): void {
  const m = rng((seed ^ 0x5bd1e995) >>> 0);
  if (!m.chance(0.25)) return;
  const extra = m.some(UNBUNDLED, 1, 3);
  for (const sku of extra) b.sku(sku, m.chance(0.75) ? nUsers * 2 + 5 : m.int(0, nUsers));
  const targets = [spec.to, ...extra].filter((x, i, xs) => xs.indexOf(x) === i && x !== spec.from);
  const k = m.next();
  if (k < 0.4 && extra.length >= 1) {
    // The unbundling itself: the twin(s) and Teams Enterprise instead of the drawn target.
    spec.to = extra[0]!;
    if (extra.length > 1) spec.alsoTo = extra.slice(1);
  } else if (targets.length > 1) {
    spec.to = targets[0]!;
    spec.alsoTo = targets.slice(1, 3);
  }
  // Now and then a second source: another plan the principal holds (or any, to see the block).
  if (spec.from && m.chance(0.35)) {
    const p = spec.principal;
    const names = p.kind === 'user' ? [p.user.split('@')[0]!] : p.kind === 'users' ? p.users.map((u) => u.split('@')[0]!) : [p.group];
    const taken = new Set([spec.from, spec.to, ...(spec.alsoTo ?? [])]);
    const holds = [...new Set(names.flatMap((n) => held.get(n) ?? []))].filter((x) => !taken.has(x));
    const pool = holds.length && m.chance(0.8) ? holds : skus.filter((x) => !taken.has(x));
    if (pool.length) spec.alsoFrom = [m.pick(pool)];
  }
}

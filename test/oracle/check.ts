// The outcome oracle: run the preflight of a generated change, apply what it lets through (and,
// in a copy of the tenant, what it blocks), and compare each person's licenses and services after
// group processing with what the card said.
import { GraphGateway } from '../../src/graph/gateway';
import { LicensingError, type Finding, type FindingCode, type PreflightResult, type SwapResult } from '../../src/licensing/model';
import { referenceData } from '../../src/reference/data';
import { LicenseService } from '../../src/licensing/service';
import { OutcomeSandbox, type PersonState } from '../../src/sandbox/outcome';
import type { Case } from './generate';
import { sourcesOf, targetsOf } from '../../src/licensing/change-plans';

const ref = referenceData();

export type Verdict = 'refused' | 'blocked' | 'applied';

export interface CaseResult {
  seed: number;
  verdict: Verdict;
  /** Finding codes on the card, e.g. "warn:SOURCE_ALSO_ELSEWHERE". */
  codes: string[];
  problems: string[];
}

/** What each person's services did, service by service (family, or plan name outside any family). */
interface Delta {
  kept: Set<string>;
  lost: Set<string>;
  gained: Set<string>;
  upgraded: Set<string>;
  downgraded: Set<string>;
}

/** A failure as Entra names it. */
type Reason = 'MutuallyExclusiveViolation' | 'ProhibitedInUsageLocationViolation' | 'CountViolation' | 'DependencyViolation' | 'Other';

/** Findings that may explain a failure of each kind (for a person they name). */
const EXPLAINS: Record<Reason, FindingCode[]> = {
  MutuallyExclusiveViolation: ['SOURCE_ALSO_ELSEWHERE', 'MUTUALLY_EXCLUSIVE'],
  ProhibitedInUsageLocationViolation: ['USAGE_LOCATION_MISSING'],
  CountViolation: ['SEATS_SHORT'],
  DependencyViolation: ['DEPENDENCY_BROKEN'],
  Other: [],
};

/** A failure for one person: the reason, and whether a call was refused or group processing left an error. */
interface Failure {
  reason: Reason;
  via: 'call' | 'group';
}

function reasonOfMessage(message: string): Reason {
  if (/mutually exclusive/i.test(message)) return 'MutuallyExclusiveViolation';
  if (/usage location/i.test(message)) return 'ProhibitedInUsageLocationViolation';
  if (/no available licenses/i.test(message)) return 'CountViolation';
  if (/depends on/i.test(message)) return 'DependencyViolation';
  return 'Other';
}

// ------------------------------------------------------------------------------------ services

interface Svc {
  key: string;
  label: string;
  tier: number;
  friendly: string;
}
function svcOf(planName: string): Svc {
  const fam = ref.familyByPlanName.get(planName.toUpperCase());
  const friendly = ref.plansByName.get(planName.toUpperCase())?.friendlyName || planName;
  if (fam) return { key: `family:${fam.family}`, label: fam.family, tier: fam.tier, friendly };
  return { key: `plan:${planName.toUpperCase()}`, label: friendly, tier: 0, friendly };
}

/** The services a person has on, by key, with their richest edition. */
function services(p: PersonState): Map<string, Svc> {
  const out = new Map<string, Svc>();
  for (const plan of p.enabledPlans) {
    const s = svcOf(plan.name);
    const prev = out.get(s.key);
    if (!prev || s.tier > prev.tier) out.set(s.key, s);
  }
  return out;
}

/** Keys of the services a change between these SKUs is about (any of their plans). */
function inPlay(sb: OutcomeSandbox, skuIds: string[]): Set<string> {
  const keys = new Set<string>();
  for (const id of skuIds) for (const p of sb.tenant.sku(id)?.servicePlans ?? []) keys.add(svcOf(p.name).key);
  return keys;
}

function delta(before: PersonState, after: PersonState, keys: Set<string>): Delta {
  const b = services(before);
  const a = services(after);
  const d: Delta = { kept: new Set(), lost: new Set(), gained: new Set(), upgraded: new Set(), downgraded: new Set() };
  for (const key of keys) {
    const x = b.get(key);
    const y = a.get(key);
    if (x && !y) d.lost.add(x.label);
    else if (!x && y) d.gained.add(y.label);
    else if (x && y) {
      if (x.tier === y.tier) d.kept.add(x.label);
      else (y.tier > x.tier ? d.upgraded : d.downgraded).add(x.label);
    }
  }
  return d;
}

/** The service names of a card list ("Exchange Online mailbox: A -> B" -> "Exchange Online mailbox"). */
const labels = (xs: string[] | undefined) => new Set((xs ?? []).map((x) => x.split(': ')[0]!));

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
const show = (s: Set<string>) => `[${[...s].sort().join(', ')}]`;

// ------------------------------------------------------------------------------------ states

/** A person's license states, order-free, for "did anything change". */
function stateKey(p: PersonState): string {
  return p.licenses
    .map((l) => `${l.skuId}|${l.assignedByGroup ?? 'direct'}|${l.state}|${l.error}|${[...l.disabledPlans].sort().join(',')}`)
    .sort()
    .join(';');
}

/** Error states a person has after the change that they did not have before. */
function newErrors(before: PersonState, after: PersonState): Reason[] {
  const old = new Set(before.licenses.filter((l) => l.state !== 'Active').map((l) => `${l.skuId}|${l.assignedByGroup}|${l.error}`));
  return after.licenses
    .filter((l) => l.state !== 'Active' && !old.has(`${l.skuId}|${l.assignedByGroup}|${l.error}`))
    .map((l) => (l.error === 'None' ? 'Other' : (l.error as Reason)));
}

function named(findings: Finding[], id: string, severities: string[] = ['warn', 'block']): Finding[] {
  return findings.filter((f) => severities.includes(f.severity) && f.principals.some((p) => p.id === id));
}

// ------------------------------------------------------------------------------------ a case

interface Applied {
  swap?: SwapResult;
  /** The swap refused before any write (validation), with why. */
  refused?: string;
  before: Map<string, PersonState>;
  after: Map<string, PersonState>;
  /** Person id -> why the change failed for them. */
  failed: Map<string, Failure[]>;
  /** Users the change touches: its assignments' users and the changed group's user members. */
  affected: Set<string>;
}

async function apply(sb: OutcomeSandbox, service: LicenseService, pf: PreflightResult): Promise<Applied> {
  const before = new Map(sb.people().map((p) => [p.id, p]));
  const c = pf.change;
  const affected = new Set(c.assignments.filter((a) => a.principal.kind === 'user').map((a) => a.principal.id));
  if (c.kind === 'group') for (const u of sb.tenant.group(c.principal.id)?.userMembers ?? []) affected.add(u.id);
  const out: Applied = { before, after: before, failed: new Map(), affected };
  const targetIds = new Set(targetsOf(c).map((p) => p.skuId));
  try {
    out.swap = await service.swap(c);
  } catch (e) {
    if (!(e instanceof LicensingError)) throw e;
    out.refused = `${e.code}: ${e.message}`;
    return out;
  }
  await sb.settle();
  out.after = new Map(sb.people().map((p) => [p.id, p]));
  const fail = (id: string, f: Failure) => out.failed.set(id, [...(out.failed.get(id) ?? []), f]);
  for (const o of out.swap.failed) {
    const reason = reasonOfMessage(o.graphMessage ?? o.reason ?? '');
    if (o.principal.kind === 'user') fail(o.principal.id, { reason, via: 'call' });
    else for (const id of affected) fail(id, { reason, via: 'call' });
  }
  for (const id of affected) for (const reason of newErrors(before.get(id)!, out.after.get(id)!)) fail(id, { reason, via: 'group' });
  // A member whose new license from the changed group is in error after it (still, or anew) did not get the change.
  if (c.kind === 'group') {
    for (const id of affected) {
      if (out.failed.has(id)) continue;
      for (const l of out.after.get(id)!.licenses) {
        if (l.assignedByGroup === c.principal.id && targetIds.has(l.skuId) && l.state !== 'Active')
          fail(id, { reason: l.error === 'None' ? 'Other' : (l.error as Reason), via: 'group' });
      }
    }
  }
  return out;
}

export async function runCase(c: Case): Promise<CaseResult> {
  const problems: string[] = [];
  const sb = OutcomeSandbox.fromFixture(c.fixture);
  try {
    const gateway = new GraphGateway(sb.graphClient(), OutcomeSandbox.HOST);
    const service = new LicenseService(gateway);
    const start = new Map(sb.people().map((p) => [p.id, stateKey(p)]));
    let pf: PreflightResult;
    try {
      pf = await service.preflight(c.spec);
    } catch (e) {
      if (!(e instanceof LicensingError)) throw e;
      for (const p of sb.people()) if (stateKey(p) !== start.get(p.id)) problems.push(`refused (${e.code}) but ${p.displayName}'s licenses changed`);
      return { seed: c.seed, verdict: 'refused', codes: [e.code], problems };
    }
    const codes = pf.findings.map((f) => `${f.severity}:${f.code}`);
    const byName = (id: string) => sb.tenant.user(id)?.displayName ?? id;

    if (pf.blocked) {
      checkBlocked(sb, pf, await blockedOutcome(sb, gateway, pf), problems);
      return { seed: c.seed, verdict: 'blocked', codes, problems };
    }

    const r = await apply(sb, service, pf);
    if (r.refused) {
      problems.push(`the card said it can run, but the swap refused it: ${r.refused}`);
      return { seed: c.seed, verdict: 'applied', codes, problems };
    }
    // Nobody outside the change changes.
    for (const [id, p] of r.after)
      if (!r.affected.has(id) && stateKey(p) !== stateKey(r.before.get(id)!)) problems.push(`${p.displayName} is not part of the change, yet their licenses changed`);

    const findings = pf.findings;
    // Failures: only where a finding named the person, with a reason it gives.
    for (const [id, failures] of r.failed) {
      const naming = named(findings, id);
      if (!naming.length) {
        problems.push(`the card called ${byName(id)} fine, yet the change failed for them (${failures.map((f) => f.reason).join(', ')})`);
        continue;
      }
      for (const { reason, via } of failures) {
        // A member already in error from this group was told about it (MEMBERS_IN_ERROR).
        const explains = via === 'group' ? [...EXPLAINS[reason], 'MEMBERS_IN_ERROR'] : EXPLAINS[reason];
        if (!naming.some((f) => explains.includes(f.code)))
          problems.push(`${byName(id)} failed with ${reason} (${via}), which no finding about them gave (${naming.map((f) => f.code).join(', ')})`);
      }
    }
    // Failures the card promised.
    for (const f of findings) {
      const expect: Reason | undefined =
        f.code === 'SOURCE_ALSO_ELSEWHERE' && f.data.clash === true
          ? 'MutuallyExclusiveViolation'
          : f.code === 'USAGE_LOCATION_MISSING' && f.severity === 'warn'
            ? 'ProhibitedInUsageLocationViolation'
            : undefined;
      if (!expect) continue;
      for (const p of f.principals) {
        if (p.kind !== 'user') continue;
        // Graph names one broken rule per person: another failure that a finding gave also bears it out.
        if (!r.failed.has(p.id)) problems.push(`${f.code} said ${p.displayName} would fail (${expect}); they did not`);
      }
    }

    // The seats figure: the people who newly hold the target are the seats the card said were needed
    // (several targets: each on its own seat line).
    const target = pf.change.to.skuId;
    const targets = targetsOf(pf.change).map((p) => p.skuId);
    const sources = sourcesOf(pf.change).map((p) => p.skuId);
    const holdsSku = (m: Map<string, PersonState>, id: string, sku: string) => !!m.get(id)?.licenses.some((l) => l.skuId === sku && l.state === 'Active');
    const holdsIn = (m: Map<string, PersonState>, id: string) => targets.some((t) => holdsSku(m, id, t));
    for (const line of pf.change.seatsByTarget ?? [{ ...pf.change.to, ...pf.change.seats }]) {
      const newHolders = [...r.affected].filter((id) => !holdsSku(r.before, id, line.skuId) && holdsSku(r.after, id, line.skuId)).length;
      if (!r.failed.size && newHolders !== line.needed) problems.push(`seats: the card said ${line.needed} needed, ${newHolders} people newly hold ${line.displayName}`);
      if (r.failed.size && newHolders > line.needed) problems.push(`seats: the card said ${line.needed} needed, yet ${newHolders} people newly hold ${line.displayName}`);
    }
    // What the warnings say people will hold afterwards.
    for (const f of findings) {
      for (const p of f.principals) {
        if (p.kind !== 'user' || r.failed.has(p.id) || !r.after.has(p.id)) continue;
        const held = (sku: string, group?: boolean) =>
          r.after.get(p.id)!.licenses.some((l) => l.skuId === sku && l.state === 'Active' && (group === undefined || !!l.assignedByGroup === group));
        if (f.code === 'SUITE_STACKED' && !(held((f.data.target as { skuId: string } | undefined)?.skuId ?? target) && held((f.data.sku as { skuId: string }).skuId)))
          problems.push(`SUITE_STACKED: ${p.displayName} does not hold both ${pf.change.to.displayName} and ${(f.data.sku as { displayName: string }).displayName}`);
        if (f.code === 'SOURCE_INHERITED' && f.data.keepsGroupCopy && !(targets.every((t) => held(t)) && sources.some((x) => held(x, true))))
          problems.push(`SOURCE_INHERITED: ${p.displayName} was to keep the group's ${pf.change.from.displayName} beside ${pf.change.to.displayName}`);
        if (f.code === 'TARGET_ALREADY_ASSIGNED' && f.severity === 'info' && !holdsIn(r.before, p.id))
          problems.push(`TARGET_ALREADY_ASSIGNED: ${p.displayName} did not hold ${pf.change.to.displayName}`);
      }
    }

    // Services: the union over the people the change went through for, against the card's lists.
    // Not counted: those it failed for, and those the card told it would fail for.
    const toldFail = new Set(
      findings
        .filter(
          (f) =>
            (f.code === 'SOURCE_ALSO_ELSEWHERE' && f.data.clash === true) ||
            (f.code === 'DEPENDENCY_BROKEN' && f.data.directCopyRemoval) ||
            (f.code === 'USAGE_LOCATION_MISSING' && f.severity === 'warn'),
        )
        .flatMap((f) => f.principals.map((p) => p.id)),
    );
    // "May clash" (an add-on's bundled plan): the card counts them in; if Graph refused them after all, its lists may say more than happened.
    // (Named on the group: its own licenses may clash, for every member.)
    const mayFail = new Set(
      findings.filter((f) => f.code === 'MUTUALLY_EXCLUSIVE' && f.severity === 'warn').flatMap((f) => f.principals.flatMap((p) => (p.kind === 'group' ? [...r.affected] : [p.id]))),
    );
    const refusedMay = [...mayFail].some((id) => r.failed.has(id));
    const keys = inPlay(sb, [...sources, ...targets]);
    const union: Delta = { kept: new Set(), lost: new Set(), gained: new Set(), upgraded: new Set(), downgraded: new Set() };
    const perPerson: string[] = [];
    for (const id of r.affected) {
      if (r.failed.has(id) || toldFail.has(id)) continue; // the change did not (or was not said to) go through for them
      const d = delta(r.before.get(id)!, r.after.get(id)!, keys);
      for (const k of Object.keys(union) as (keyof Delta)[]) for (const s of d[k]) union[k].add(s);
      if (d.lost.size || d.downgraded.size) perPerson.push(`${byName(id)} lost ${show(d.lost)} downgraded ${show(d.downgraded)}`);
    }
    const card: Delta = {
      kept: labels(pf.change.servicesKept),
      lost: labels(pf.change.servicesLost),
      gained: labels(pf.change.servicesGained),
      upgraded: labels(pf.change.servicesUpgraded),
      downgraded: labels(pf.change.servicesDowngraded),
    };
    const plain = [...r.affected].filter((id) => !r.failed.has(id) && !toldFail.has(id));
    if (r.affected.size) {
      for (const k of Object.keys(union) as (keyof Delta)[]) {
        const ok = refusedMay ? [...union[k]].every((x) => card[k].has(x)) : sameSet(union[k], card[k]);
        if (!ok) problems.push(`services ${k}: the card said ${show(card[k])}, the people it went through for got ${show(union[k])}`);
      }
    }
    // Lost or downgraded services must be on a SERVICES_LOST finding naming the person.
    for (const id of plain) {
      const d = delta(r.before.get(id)!, r.after.get(id)!, keys);
      if ((d.lost.size || d.downgraded.size) && !findings.some((f) => f.code === 'SERVICES_LOST' && f.principals.some((p) => p.id === id || p.id === pf.change.principal.id))) {
        problems.push(`${byName(id)} lost ${show(d.lost)} / downgraded ${show(d.downgraded)} with no SERVICES_LOST finding about them`);
      }
    }
    return { seed: c.seed, verdict: 'applied', codes, problems };
  } finally {
    sb.dispose();
  }
}

// ------------------------------------------------------------------------------------ blocked

interface BlockedOutcome {
  applied?: Applied;
  /** Everyone's licenses and each SKU's seats before it was applied (the premises are about then). */
  before: Map<string, PersonState>;
  seats: Map<string, { enabled: number; consumed: number }>;
}

/** Applies a blocked change anyway (a fresh service: the blocked one refuses it) in this sandbox. */
async function blockedOutcome(sb: OutcomeSandbox, gateway: GraphGateway, pf: PreflightResult): Promise<BlockedOutcome> {
  const before = new Map(sb.people().map((p) => [p.id, p]));
  const seats = new Map(sb.tenant.skus.map((k) => [k.skuId, { enabled: k.enabled, consumed: k.consumed }]));
  if (!pf.change.assignments.length) return { before, seats };
  return { applied: await apply(sb, new LicenseService(gateway), pf), before, seats };
}

/** The failure a block predicts, for the blocks that stand on an outcome. */
const BLOCK_REASON: Partial<Record<FindingCode, Reason>> = {
  SEATS_SHORT: 'CountViolation',
  MUTUALLY_EXCLUSIVE: 'MutuallyExclusiveViolation',
  DEPENDENCY_BROKEN: 'DependencyViolation',
  USAGE_LOCATION_MISSING: 'ProhibitedInUsageLocationViolation',
};

/**
 * A blocked change must be blocked for a true reason: a fact (the premise of the block, checked
 * here) or an outcome (applied anyway, it fails as the block said, or someone loses a service).
 * At least one block must hold, and no block may state a false fact.
 */
function checkBlocked(sb: OutcomeSandbox, pf: PreflightResult, out: BlockedOutcome, problems: string[]): void {
  const blocks = pf.findings.filter((f) => f.severity === 'block');
  const source = pf.change.from.skuId;
  const target = pf.change.to.skuId;
  // Several plans: a finding about one plan names it (data.skuId); the others are about any of them.
  const sources = sourcesOf(pf.change).map((p) => p.skuId);
  const targets = targetsOf(pf.change).map((p) => p.skuId);
  const skuOf = (f: Finding, fallback: string) => (typeof f.data.skuId === 'string' ? f.data.skuId : fallback);
  const statesOf = (id: string) => out.before.get(id)?.licenses ?? [];
  const holds = (id: string, sku: string) => statesOf(id).some((s) => s.skuId === sku && s.state === 'Active');
  const a = out.applied;
  const groupCallFailed = !!a?.swap?.failed.some((o) => o.principal.kind === 'group');
  const keys = inPlay(sb, [...sources, ...targets]);
  const lostService =
    !!a &&
    !a.refused &&
    [...a.affected].some((id) => {
      const d = delta(a.before.get(id)!, a.after.get(id)!, keys);
      return d.lost.size > 0 || d.downgraded.size > 0;
    });
  const users = (f: Finding) => f.principals.filter((p) => p.kind === 'user');
  let justified = 0;
  for (const f of blocks) {
    const premise = (ok: boolean, why: string) => {
      if (ok) justified++;
      else problems.push(`${f.code}: ${why}`);
    };
    switch (f.code) {
      case 'SAME_PLAN':
        premise(source === target, 'source and target differ');
        break;
      case 'TARGET_ALREADY_HELD':
        for (const p of f.principals) {
          const ok =
            p.kind === 'group'
              ? !!sb.tenant.group(p.id)?.licenses.some((l) => l.skuId === target)
              : holds(p.id, target) || statesOf(p.id).some((s) => s.skuId === target && !s.assignedByGroup);
          premise(ok, `${p.displayName} does not hold ${pf.change.to.displayName}`);
        }
        break;
      case 'SOURCE_NOT_ASSIGNED': {
        const sku = skuOf(f, source);
        if (f.data.group) premise(!sb.tenant.group(pf.change.principal.id)?.licenses.some((l) => l.skuId === sku), 'the group holds the source');
        else for (const p of users(f)) premise(!holds(p.id, sku), `${p.displayName} does hold ${sku}`);
        if (!f.principals.length) justified++; // names not found in the directory
        break;
      }
      case 'SOURCE_INHERITED':
        for (const p of users(f)) {
          const fromGroup = statesOf(p.id).some((s) => sources.includes(s.skuId) && s.assignedByGroup && s.state === 'Active');
          const direct = statesOf(p.id).some((s) => sources.includes(s.skuId) && !s.assignedByGroup);
          // Only a group's copy: nothing the swap can remove. A direct copy too: the swap must fail for them.
          premise(
            fromGroup && (!direct || !a || !!a.refused || a.failed.has(p.id)),
            `${p.displayName}: ${fromGroup ? 'the swap of their own copy went through' : 'no copy from a group'}`,
          );
        }
        break;
      case 'TARGET_ALREADY_ASSIGNED': // overwrites a direct copy of the target
        for (const p of users(f))
          premise(
            statesOf(p.id).some((s) => targets.includes(s.skuId) && !s.assignedByGroup),
            `${p.displayName} holds no direct ${pf.change.to.displayName}`,
          );
        break;
      case 'TARGET_NOT_ACTIVE':
        premise(sb.tenant.sku(skuOf(f, target))?.capabilityStatus !== 'Enabled', 'the subscription is Enabled');
        break;
      case 'TARGET_NOT_ASSIGNABLE':
        premise(sb.tenant.sku(skuOf(f, target))?.appliesTo !== 'User', 'the SKU applies to users');
        break;
      case 'GROUP_NOT_SECURITY':
        premise(!a || !!a.refused || groupCallFailed, 'the group took the license');
        break;
      case 'USAGE_LOCATION_MISSING':
        for (const p of users(f)) premise(!sb.tenant.user(p.id)?.usageLocation, `${p.displayName} has a usage location`);
        break;
      case 'SEATS_SHORT': {
        const short = skuOf(f, target);
        const sku = out.seats.get(short);
        premise(
          !!sku && sku.enabled - sku.consumed < (f.data.needed as number) && users(f).every((p) => !holds(p.id, short)),
          `seats: ${sku?.enabled} bought, ${sku?.consumed} used, ${String(f.data.needed)} said needed`,
        );
        break;
      }
      default: {
        if (f.code === 'MUTUALLY_EXCLUSIVE' && !f.data.betweenTargets && f.principals.length === 1 && f.principals[0]!.kind === 'group') {
          // The group's own licenses clash: a fact about the group (whoever gets both from it fails).
          const sku = (f.data.sku as { skuId: string }).skuId;
          premise(!!sb.tenant.group(f.principals[0]!.id)?.licenses.some((l) => l.skuId === sku), 'the group does not hold the SKU it names');
          break;
        }
        // Stands on the outcome. Graph names one broken rule per call, so any failure of a person it
        // names (or of the group's call) bears it out; a clean run with no loss proves it false.
        const reason = BLOCK_REASON[f.code];
        if (!a || a.refused) {
          justified++;
          break;
        }
        const named = users(f);
        const hit = groupCallFailed || (named.length ? named.some((p) => a.failed.has(p.id)) : a.failed.size > 0);
        if (hit || lostService) justified++;
        else if (!a.failed.size) problems.push(`${f.code}: applied anyway, it went through for everyone${reason ? ` (no ${reason})` : ''} and nobody lost a service`);
      }
    }
  }
  if (!justified) problems.push(`blocked by ${blocks.map((f) => f.code).join(', ')}, and not one of them holds`);
}

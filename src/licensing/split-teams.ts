// "Split Teams": for each suite a user or group holds, propose its "(no Teams)" twin plus the Teams
// licence the tenant has (Microsoft Teams Enterprise, or Microsoft Teams EEA beside an EEA twin),
// as one change of several plans; "join Teams" proposes the reverse. Never a SKU the tenant has no
// subscription for: then the notes say what to buy. Pure: plain data in, a proposal out; the
// preflight then checks the proposed change like any other.
import type { ReferenceData } from '../reference/data';
import type { PlanInfo, PlanSummary, PrincipalQuery, PrincipalRef, SplitDirection, SplitNote, SplitProposal, SplitSpec } from './model';

export type { SplitDirection, SplitNote, SplitProposal, SplitSpec };
import { TEAMS_LICENCES, TeamsTwins, teamsLicenceKind, type NamedSku, type TeamsLicenceKind } from './teams-twins';

/** A license the principal holds: a user's (SKU, source) pairs, or a group's own licenses. */
export interface HeldLicence {
  skuId: string;
  /** null: assigned directly (a group's own licenses are always null). */
  assignedByGroup: string | null;
  assignedByGroupName?: string;
}

export interface SplitInput {
  principal: PrincipalRef;
  held: readonly HeldLicence[];
  /** The tenant's subscribed SKUs. */
  plans: readonly PlanInfo[];
  ref: ReferenceData;
  direction: SplitDirection;
}

const summary = (p: PlanInfo): PlanSummary => ({ skuId: p.skuId, skuPartNumber: p.skuPartNumber, displayName: p.displayName });

/** Product names to buy, without repeats (two part numbers of one product are one purchase). */
const productNames = (skus: NamedSku[]): string[] => [...new Set(skus.map((s) => s.productName))];

function queryOf(p: PrincipalRef): PrincipalQuery {
  return p.kind === 'group' ? { kind: 'group', group: p.id } : { kind: 'user', user: p.id };
}

/** Of several subscribed SKUs that would do, the one an admin would take, or none when it is their call. */
function pickOne(candidates: PlanInfo[]): PlanInfo | 'choose' {
  if (candidates.length === 1) return candidates[0]!;
  // Part numbers of one product: the one with free seats (the other's seats are no use here).
  const names = new Set(candidates.map((c) => c.displayName.toLowerCase()));
  if (names.size === 1) {
    const withSeats = candidates.filter((c) => c.available > 0);
    if (withSeats.length === 1) return withSeats[0]!;
  }
  return 'choose';
}

export function proposeSplit(input: SplitInput): SplitProposal {
  const { principal, direction } = input;
  const twins = TeamsTwins.from(input.ref, input.plans);
  const tenant = new Map(input.plans.map((p) => [p.skuId.toLowerCase(), p]));
  const nameOf = (skuId: string) => tenant.get(skuId.toLowerCase())?.displayName ?? twins.sku(skuId)?.productName ?? skuId;
  const own = uniqueIds(input.held.filter((h) => !h.assignedByGroup).map((h) => h.skuId));
  const fromGroups = input.held.filter((h) => h.assignedByGroup);
  const heldIds = new Set(input.held.map((h) => h.skuId.toLowerCase()));
  const notes: SplitNote[] = [];
  const remove: PlanInfo[] = [];
  const add: PlanInfo[] = [];
  const none = (note: SplitNote): SplitProposal => ({ direction, principal, remove: [], add: [], notes: [note] });
  const groupNote = (pick: (skuId: string) => boolean): SplitNote | undefined => {
    const hits = fromGroups.filter((h) => pick(h.skuId) && !own.includes(h.skuId.toLowerCase()));
    if (!hits.length) return undefined;
    return {
      code: 'FROM_GROUP',
      data: { direction, plans: distinct(hits.map((h) => nameOf(h.skuId))), groups: distinct(hits.map((h) => h.assignedByGroupName ?? h.assignedByGroup!)) },
    };
  };
  const teamsOfKind = (kind: TeamsLicenceKind) => input.plans.filter((p) => teamsLicenceKind({ productName: p.displayName, skuPartNumber: p.skuPartNumber }) === kind);
  const holdsTeams = (kind: TeamsLicenceKind) => [...heldIds].some((id) => teamsOfKind(kind).some((p) => p.skuId.toLowerCase() === id));

  if (direction === 'split') {
    const suites = own.filter((id) => twins.twinsOf(id).length);
    if (!suites.length) {
      const fromGroup = groupNote((id) => twins.twinsOf(id).length > 0);
      if (fromGroup) return none(fromGroup);
      const split = [...heldIds].filter((id) => twins.twin(id));
      if (split.length) return none({ code: 'ALREADY_SPLIT', data: { plans: split.map(nameOf) } });
      return none({ code: 'NOTHING_TO_SPLIT', data: { held: [...heldIds].map(nameOf) } });
    }
    for (const suite of suites) {
      const candidates = twins.twinsOf(suite);
      const subscribed = candidates.map((c) => tenant.get(c.skuId.toLowerCase())).filter((p): p is PlanInfo => !!p);
      if (!subscribed.length) {
        // The non-EEA twin first: it is what most tenants buy.
        const order = [...candidates].sort((a, b) => Number(!!twins.twin(a.skuId)?.eea) - Number(!!twins.twin(b.skuId)?.eea));
        notes.push({ code: 'BUY_TWIN', data: { suite: nameOf(suite), buy: productNames(order) } });
        continue;
      }
      const kindOf = (p: PlanInfo): TeamsLicenceKind => (twins.twin(p.skuId)?.eea ? 'eea' : 'enterprise');
      // A twin whose Teams licence the tenant has (or the principal holds) over one it would have to buy.
      const ready = subscribed.filter((p) => holdsTeams(kindOf(p)) || teamsOfKind(kindOf(p)).length);
      const twin = pickOne(ready.length ? ready : subscribed);
      if (twin === 'choose') {
        notes.push({ code: 'CHOOSE', data: { plan: nameOf(suite), candidates: (ready.length ? ready : subscribed).map(summary) } });
        continue;
      }
      const kind = kindOf(twin);
      remove.push(tenant.get(suite) ?? summaryOfUnknown(suite, nameOf(suite)));
      add.push(twin);
      if (holdsTeams(kind) || add.some((p) => teamsLicenceKind({ productName: p.displayName, skuPartNumber: p.skuPartNumber }) === kind)) continue;
      const teams = teamsOfKind(kind);
      if (!teams.length) {
        notes.push({ code: 'BUY_TEAMS', data: { twin: twin.displayName, buy: TEAMS_LICENCES[kind].productName } });
        continue;
      }
      const licence = pickOne(teams);
      if (licence === 'choose') notes.push({ code: 'CHOOSE', data: { plan: TEAMS_LICENCES[kind].productName, candidates: teams.map(summary) } });
      else add.push(licence);
    }
  } else {
    const held = own.filter((id) => twins.twin(id));
    if (!held.length) {
      const fromGroup = groupNote((id) => !!twins.twin(id));
      if (fromGroup) return none(fromGroup);
      return none({ code: 'NOTHING_TO_JOIN', data: { held: [...heldIds].map(nameOf) } });
    }
    for (const twin of held) {
      const candidates = twins.suitesOf(twin);
      const subscribed = candidates.map((c) => tenant.get(c.skuId.toLowerCase())).filter((p): p is PlanInfo => !!p);
      if (!subscribed.length) {
        notes.push({ code: 'BUY_SUITE', data: { twin: nameOf(twin), buy: productNames(candidates) } });
        continue;
      }
      const suite = pickOne(subscribed);
      if (suite === 'choose') {
        notes.push({ code: 'CHOOSE', data: { plan: nameOf(twin), candidates: subscribed.map(summary) } });
        continue;
      }
      remove.push(tenant.get(twin) ?? summaryOfUnknown(twin, nameOf(twin)));
      if (!add.includes(suite)) add.push(suite);
    }
    // The standalone Teams licences held the same way go too: the suite brings Teams back.
    for (const id of own) {
      const p = tenant.get(id);
      if (p && teamsLicenceKind({ productName: p.displayName, skuPartNumber: p.skuPartNumber })) remove.push(p);
    }
  }

  if (notes.length || !add.length) return { direction, principal, remove: [], add: [], notes };
  const [from, ...alsoFrom] = remove.map((p) => p.skuId);
  const [to, ...alsoTo] = add.map((p) => p.skuId);
  const spec: SplitSpec = { principal: queryOf(principal), from: from!, to: to!, ...(alsoFrom.length ? { alsoFrom } : {}), ...(alsoTo.length ? { alsoTo } : {}) };
  return { direction, principal, spec, remove: remove.map(summary), add: add.map(summary), notes };
}

/** A held SKU the tenant no longer subscribes to (it can still be removed). */
function summaryOfUnknown(skuId: string, name: string): PlanInfo {
  return {
    skuId,
    skuPartNumber: skuId,
    displayName: name,
    aliases: [],
    appliesTo: 'User',
    capabilityStatus: 'Unknown',
    enabled: 0,
    warning: 0,
    suspended: 0,
    consumed: 0,
    available: 0,
    servicePlans: [],
  };
}

function uniqueIds(ids: string[]): string[] {
  return [...new Set(ids.map((s) => s.toLowerCase()))];
}
const distinct = (xs: string[]): string[] => [...new Set(xs)];

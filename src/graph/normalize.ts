// Graph JSON -> the gateway's types (GraphUser, GraphGroup): ids in lower case, arrays never null,
// repeated strings shared. Also the check that Graph returned every property a read selected: a
// property Graph leaves out (an untyped collection, a missing permission) must never be read as
// "none" (no licenses, no inherited copy), so the read fails and says what to check.
import { GraphError } from './errors';
import type { GraphHttp } from './http';
import type { GraphAssignedLicense, GraphGroup, GraphLicenseAssignmentState, GraphUser } from './types';

/** Code of the error for a selected property that Graph's answer did not carry. */
export const MISSING_PROPERTY = 'MissingProperty';

/** The property names of a $select list (id is always there). */
export function selectedFields(select: string): string[] {
  return select
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f && f !== 'id');
}

/** The first of `fields` that `raw` does not carry (present with null counts as carried). */
export function missingField(raw: Record<string, unknown>, fields: readonly string[]): string | undefined {
  for (let i = 0; i < fields.length; i++) if (!(fields[i]! in raw)) return fields[i];
  return undefined;
}

/**
 * The error for a read whose answer lacks a property it selected. Status 200: Graph answered, but
 * not what was asked; not transient (asking again gives the same answer).
 */
export function missingProperty(field: string, what: string, path: string): GraphError {
  return new GraphError(
    200,
    MISSING_PROPERTY,
    `Graph's answer for ${what} has no '${field}', although the read asked for it (${path.split('?')[0]}). ` +
      `Plan Switch does not guess it (that would read as "no licenses" or "no inherited copy"). ` +
      `Check that the app has the application permissions in docs/deploy.md (User.Read.All, GroupMember.Read.All, ` +
      `LicenseAssignment.ReadWrite.All) with admin consent, and that GRAPH_BASE_URL is Graph v1.0.`,
  );
}

/** Throws missingProperty when `raw` lacks one of `fields`. */
export function requireFields(raw: Record<string, unknown>, fields: readonly string[], kind: 'user' | 'group', path: string): void {
  const field = missingField(raw, fields);
  if (field === undefined) return;
  const name = raw.userPrincipalName ?? raw.displayName ?? raw.id;
  throw missingProperty(field, `${kind} ${typeof name === 'string' ? name : 'unknown'}`, path);
}

/**
 * Canonical copies of the strings that repeat across users (SKU and plan ids, group ids, states,
 * timestamps, countries). A 100,000-member read parses about a million such strings; keeping one
 * copy of each lets the duplicates die young instead of being carried through every GC.
 */
export class Interner {
  private readonly map = new Map<string, string>();
  /**
   * The last canonical string per field (slot): consecutive users mostly repeat it, and comparing
   * two strings is cheaper than hashing a fresh one for the map.
   */
  private readonly last: (string | undefined)[] = [];
  get(v: string): string {
    const hit = this.map.get(v);
    if (hit !== undefined) return hit;
    if (this.map.size < 100_000) this.map.set(v, v);
    return v;
  }
  /** Lower case and canonical. */
  id(v: unknown): string {
    return this.get(typeof v === 'string' ? v.toLowerCase() : String(v).toLowerCase());
  }
  /** get(v), remembering the answer for `slot` (one slot per field). */
  at(slot: number, v: string): string {
    const last = this.last[slot];
    if (last === v) return last;
    return (this.last[slot] = this.get(v));
  }
  private prevLicenses?: GraphAssignedLicense[];
  private prevStates?: GraphLicenseAssignmentState[];

  /**
   * Normalised license lists: the previous user's list when this one holds exactly the same
   * entries (every field the same canonical value, no other field), as strings are shared. Most
   * members of a big group hold the same licenses the same way: their copies die young instead of
   * being carried through every garbage collection. Nothing writes to a normalised list.
   */
  licenses(list: GraphAssignedLicense[]): GraphAssignedLicense[] {
    const prev = this.prevLicenses;
    if (prev && prev.length === list.length) {
      let same = true;
      for (let i = 0; i < list.length && same; i++) {
        const a = list[i]!;
        const b = prev[i]!;
        same = a.skuId === b.skuId && a.disabledPlans === b.disabledPlans && fieldCount(a) === 2;
      }
      if (same) return prev;
    }
    let plain = true;
    for (let i = 0; i < list.length && plain; i++) plain = fieldCount(list[i]!) === 2;
    if (plain) this.prevLicenses = list;
    return list;
  }

  /** As licenses(), for licenseAssignmentStates. */
  states(list: GraphLicenseAssignmentState[]): GraphLicenseAssignmentState[] {
    const prev = this.prevStates;
    if (prev && prev.length === list.length) {
      let same = true;
      for (let i = 0; i < list.length && same; i++) {
        const a = list[i]!;
        const b = prev[i]!;
        same =
          a.skuId === b.skuId &&
          a.assignedByGroup === b.assignedByGroup &&
          a.state === b.state &&
          a.error === b.error &&
          a.disabledPlans === b.disabledPlans &&
          a.lastUpdatedDateTime === b.lastUpdatedDateTime &&
          fieldCount(a) === 6;
      }
      if (same) return prev;
    }
    let plain = true;
    for (let i = 0; i < list.length && plain; i++) plain = fieldCount(list[i]!) === 6;
    if (plain) this.prevStates = list;
    return list;
  }

  /** id(v), remembering the answer for `slot`: a string equal to the last (lower-case) answer is its own lower case. */
  idAt(slot: number, v: unknown): string {
    const last = this.last[slot];
    if (last !== undefined && last === v) return last;
    return (this.last[slot] = this.id(v));
  }
}

function fieldCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

// Interner slots of normalizeUser's fields.
const S_USAGE = 0;
const S_TYPE = 1;
const S_LICENSE_SKU = 2;
const S_STATE_SKU = 3;
const S_GROUP = 4;
const S_STATE = 5;
const S_ERROR = 6;
const S_UPDATED = 7;

/** Shared by every empty disabledPlans list (frozen: nobody may push into it). */
const NO_PLANS: string[] = Object.freeze([]) as unknown as string[];

/** Lower-cases and interns the ids of a list in place. */
function lowerIds(list: unknown, intern: Interner): string[] {
  if (!Array.isArray(list) || list.length === 0) return NO_PLANS;
  for (let i = 0; i < list.length; i++) list[i] = intern.id(list[i]);
  return list as string[];
}

function lowerLicenses(list: unknown, intern = new Interner()): GraphAssignedLicense[] {
  if (!Array.isArray(list)) return [];
  for (const l of list as GraphAssignedLicense[]) {
    l.skuId = intern.idAt(S_LICENSE_SKU, l.skuId);
    l.disabledPlans = lowerIds(l.disabledPlans, intern);
  }
  return list as GraphAssignedLicense[];
}

/**
 * Graph JSON -> GraphUser: every field present, arrays never null, GUIDs in lower case. Works in
 * place on the parsed object (a 100,000-member read would otherwise copy every user once more);
 * pass one Interner for a whole listing to share repeated strings.
 */
export function normalizeUser(raw: Record<string, unknown>, intern = new Interner()): GraphUser {
  const u = raw as unknown as GraphUser & Record<string, unknown>;
  u.id = String(raw.id);
  if (typeof u.userPrincipalName !== 'string') u.userPrincipalName = '';
  if (typeof u.displayName !== 'string') u.displayName = '';
  u.usageLocation = typeof raw.usageLocation === 'string' ? intern.at(S_USAGE, raw.usageLocation) : null;
  u.accountEnabled = raw.accountEnabled === undefined ? true : Boolean(raw.accountEnabled);
  if (u.department === undefined) u.department = null;
  if (typeof raw['@odata.type'] === 'string') u['@odata.type'] = intern.at(S_TYPE, raw['@odata.type']);
  u.assignedLicenses = intern.licenses(lowerLicenses(raw.assignedLicenses, intern));
  const states = Array.isArray(raw.licenseAssignmentStates) ? (raw.licenseAssignmentStates as GraphLicenseAssignmentState[]) : [];
  for (const s of states) {
    s.skuId = intern.idAt(S_STATE_SKU, s.skuId);
    s.assignedByGroup = s.assignedByGroup ? intern.idAt(S_GROUP, s.assignedByGroup) : null;
    s.state = typeof s.state === 'string' ? intern.at(S_STATE, s.state) : s.state;
    s.error = typeof s.error === 'string' ? intern.at(S_ERROR, s.error) : null;
    s.disabledPlans = lowerIds(s.disabledPlans, intern);
    s.lastUpdatedDateTime = typeof s.lastUpdatedDateTime === 'string' ? intern.at(S_UPDATED, s.lastUpdatedDateTime) : null;
  }
  u.licenseAssignmentStates = intern.states(states);
  return u;
}

export function normalizeGroup(raw: Record<string, unknown>): GraphGroup {
  return {
    id: String(raw.id),
    displayName: (raw.displayName as string) ?? '',
    securityEnabled: Boolean(raw.securityEnabled),
    groupTypes: (raw.groupTypes as string[] | null | undefined) ?? [],
    membershipRule: (raw.membershipRule as string | null | undefined) ?? null,
    onPremisesSyncEnabled: (raw.onPremisesSyncEnabled as boolean | null | undefined) ?? null,
    assignedLicenses: lowerLicenses(raw.assignedLicenses),
    licenseProcessingState: (raw.licenseProcessingState as { state: string } | null | undefined) ?? null,
  };
}

/**
 * One user or group read with `$select`: null when Graph says 404, and the read fails when Graph left
 * out a property it selected (see requireFields).
 */
export async function getSelected(http: GraphHttp, path: string, select: string, kind: 'user' | 'group'): Promise<Record<string, unknown> | null> {
  let raw: Record<string, unknown>;
  try {
    raw = await http.get<Record<string, unknown>>(path);
  } catch (err) {
    if (err instanceof GraphError && err.status === 404) return null;
    throw err;
  }
  requireFields(raw, selectedFields(select), kind, path);
  return raw;
}

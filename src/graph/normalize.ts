// Graph JSON -> the gateway's types (GraphUser, GraphGroup): ids in lower case, arrays never null.
// Also the check that Graph returned every property a read selected: a property Graph leaves out (an untyped collection, a missing permission) must never be read as
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

/** Shared by every empty disabledPlans list (frozen: nobody may push into it). */
const NO_PLANS: string[] = Object.freeze([]) as unknown as string[];

/** A GUID as the rest of the code compares it: lower case. */
const lowerId = (v: unknown): string => (typeof v === 'string' ? v : String(v)).toLowerCase();

/** Lower-cases the ids of a list in place. */
function lowerIds(list: unknown): string[] {
  if (!Array.isArray(list) || list.length === 0) return NO_PLANS;
  for (let i = 0; i < list.length; i++) list[i] = lowerId(list[i]);
  return list as string[];
}

function lowerLicenses(list: unknown): GraphAssignedLicense[] {
  if (!Array.isArray(list)) return [];
  for (const l of list as GraphAssignedLicense[]) {
    l.skuId = lowerId(l.skuId);
    l.disabledPlans = lowerIds(l.disabledPlans);
  }
  return list as GraphAssignedLicense[];
}

/**
 * Graph JSON -> GraphUser: every field present, arrays never null, GUIDs in lower case. Works in
 * place on the parsed object (a 100,000-member read would otherwise copy every user once more).
 */
export function normalizeUser(raw: Record<string, unknown>): GraphUser {
  const u = raw as unknown as GraphUser & Record<string, unknown>;
  u.id = String(raw.id);
  if (typeof u.userPrincipalName !== 'string') u.userPrincipalName = '';
  if (typeof u.displayName !== 'string') u.displayName = '';
  u.usageLocation = typeof raw.usageLocation === 'string' ? raw.usageLocation : null;
  u.accountEnabled = raw.accountEnabled === undefined ? true : Boolean(raw.accountEnabled);
  if (u.department === undefined) u.department = null;
  if (typeof raw['@odata.type'] === 'string') u['@odata.type'] = raw['@odata.type'];
  u.assignedLicenses = lowerLicenses(raw.assignedLicenses);
  const states = Array.isArray(raw.licenseAssignmentStates) ? (raw.licenseAssignmentStates as GraphLicenseAssignmentState[]) : [];
  for (const s of states) {
    s.skuId = lowerId(s.skuId);
    s.assignedByGroup = s.assignedByGroup ? lowerId(s.assignedByGroup) : null;
    if (typeof s.error !== 'string') s.error = null;
    s.disabledPlans = lowerIds(s.disabledPlans);
    if (typeof s.lastUpdatedDateTime !== 'string') s.lastUpdatedDateTime = null;
  }
  u.licenseAssignmentStates = states;
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

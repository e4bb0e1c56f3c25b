// JSON as Graph returns it for users, groups, directory objects (members), subscribedSkus and the
// organization, with $select applied: only the named properties plus id. Without $select, Graph's
// default property sets: the license properties (assignedLicenses, licenseAssignmentStates,
// usageLocation, accountEnabled; a group's assignedLicenses and licenseProcessingState) come only
// when selected. hasMembersWithLicenseErrors is never returned (it is for $filter only).
// On the untyped members collections (/members, /memberOf, /membersWithLicenseErrors) a member
// carries only its type's default properties, even when others are selected, unless the fixture
// says behavior.untypedMemberFields: "return" (Graph's behaviour there is not documented).
import { errors } from './graph-errors';
import type { ResourceQuerySupport } from './odata';
import type { GroupRec, LicenseState, SkuRec, Tenant, UserRec } from './tenant';

type Field<T> = (obj: T, tenant: Tenant) => unknown;

const USER_FIELDS: Record<string, Field<UserRec>> = {
  id: (u) => u.id,
  userPrincipalName: (u) => u.userPrincipalName,
  displayName: (u) => u.displayName,
  mail: (u) => u.userPrincipalName,
  givenName: () => null,
  surname: () => null,
  jobTitle: () => null,
  businessPhones: () => [],
  mobilePhone: () => null,
  officeLocation: () => null,
  preferredLanguage: () => null,
  usageLocation: (u, t) => t.readUsageLocation(u),
  accountEnabled: (u) => u.accountEnabled,
  department: (u) => u.department,
  userType: () => 'Member',
  onPremisesSyncEnabled: () => null,
  companyName: () => null,
  assignedLicenses: (u, t) => t.assignedLicenses(u),
  licenseAssignmentStates: (u, t) =>
    t.readStates(u).map((s) => ({
      assignedByGroup: s.assignedByGroup,
      disabledPlans: s.disabledPlans.slice(),
      error: s.error,
      lastUpdatedDateTime: s.lastUpdatedDateTime,
      skuId: s.skuId,
      state: s.state,
    })),
};
/** Every user property the sandbox knows (for PATCH: a name outside these is not a property of user). */
export const USER_PROPERTIES: ReadonlySet<string> = new Set(Object.keys(USER_FIELDS));
/** Without $select: Graph's default user properties (v1.0). */
const USER_DEFAULT = ['id', 'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'];

const GROUP_FIELDS: Record<string, Field<GroupRec>> = {
  id: (g) => g.id,
  displayName: (g) => g.displayName,
  description: () => null,
  mail: () => null,
  mailEnabled: (g) => g.groupTypes.includes('Unified'),
  mailNickname: (g) => g.displayName.replace(/[^A-Za-z0-9]/g, ''),
  securityEnabled: (g) => g.securityEnabled,
  groupTypes: (g) => g.groupTypes.slice(),
  membershipRule: (g) => g.membershipRule,
  membershipRuleProcessingState: (g) => (g.groupTypes.includes('DynamicMembership') ? 'On' : null),
  onPremisesSyncEnabled: (g) => g.onPremisesSyncEnabled,
  visibility: () => null,
  assignedLicenses: (g, t) => t.groupView(g).licenses.map((l) => ({ disabledPlans: l.disabledPlans.slice(), skuId: l.skuId })),
  licenseProcessingState: (g, t) => ({ state: t.groupView(g).processingState }),
  hasMembersWithLicenseErrors: (g, t) => t.membersWithLicenseErrors(g).length > 0,
};
/** Without $select: Graph's default group properties (the licensing ones are $select-only). */
const GROUP_DEFAULT = [
  'id',
  'description',
  'displayName',
  'groupTypes',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'onPremisesSyncEnabled',
  'securityEnabled',
  'visibility',
];
/** Filter-only properties: accepted in $select, never in an answer. */
const NEVER_RETURNED = new Set(['hasMembersWithLicenseErrors']);
const USER_DEFAULT_SET = new Set(USER_DEFAULT);
const GROUP_DEFAULT_SET = new Set(GROUP_DEFAULT);

const canonical = (fields: Record<string, unknown>) => new Map(Object.keys(fields).map((k) => [k.toLowerCase(), k]));
const USER_NAMES = canonical(USER_FIELDS);
const GROUP_NAMES = canonical(GROUP_FIELDS);

export type ObjectKind = 'user' | 'group' | 'directoryObject';

/** Resolves $select names to canonical property names; unknown ones are Graph's 400. */
export function resolveSelect(select: string[] | undefined, kind: ObjectKind): string[] | undefined {
  if (!select) return undefined;
  return select.map((raw) => {
    const key = raw.toLowerCase();
    const name = kind === 'user' ? USER_NAMES.get(key) : kind === 'group' ? GROUP_NAMES.get(key) : (USER_NAMES.get(key) ?? GROUP_NAMES.get(key));
    if (!name) throw errors.selectUnknown(raw, kind);
    return name;
  });
}

function project<T>(obj: T, tenant: Tenant, fields: Record<string, Field<T>>, names: readonly string[], head: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = head;
  out.id = fields.id(obj, tenant);
  for (const n of names) {
    const f = fields[n];
    if (f && n !== 'id' && !NEVER_RETURNED.has(n)) out[n] = f(obj, tenant);
  }
  return out;
}

/** On an untyped collection (strict mode), only the default properties of the member's own type. */
function untypedNames(select: string[] | undefined, defaults: Set<string>, mode: 'omit' | 'return'): string[] | undefined {
  if (!select || mode === 'return') return select;
  return select.filter((n) => defaults.has(n));
}

export function userJson(u: UserRec, tenant: Tenant, select?: string[]): Record<string, unknown> {
  return project(u, tenant, USER_FIELDS, select ?? USER_DEFAULT);
}

export function groupJson(g: GroupRec, tenant: Tenant, select?: string[]): Record<string, unknown> {
  return project(g, tenant, GROUP_FIELDS, select ?? GROUP_DEFAULT);
}

/**
 * A member as a members collection returns it: typed with @odata.type, properties of its own type
 * only. `untyped`: read through the untyped directoryObject collection (see the top of the file).
 */
export function directoryObjectJson(o: UserRec | GroupRec, tenant: Tenant, select?: string[], untyped = false): Record<string, unknown> {
  const mode = untyped ? tenant.behavior.untypedMemberFields : 'return';
  return o.kind === 'user'
    ? project(o, tenant, USER_FIELDS, untypedNames(select, USER_DEFAULT_SET, mode) ?? USER_DEFAULT, { '@odata.type': '#microsoft.graph.user' })
    : project(o, tenant, GROUP_FIELDS, untypedNames(select, GROUP_DEFAULT_SET, mode) ?? GROUP_DEFAULT, { '@odata.type': '#microsoft.graph.group' });
}

// Pages as text ---------------------------------------------------------------------------------

/**
 * A user's JSON text is kept until its license states change: the tenant replaces `states` with a
 * new array on every change (Tenant.commit) and never edits a user's other properties, so a
 * 999-member page is mostly copying instead of building and stringifying 999 objects (about a
 * tenth of the time). One entry per user: the last $select it was read with.
 */
const userTexts = new WeakMap<UserRec, { states: readonly LicenseState[]; key: string; text: string }>();

function cachedUserText(u: UserRec, tenant: Tenant, key: string, build: () => Record<string, unknown>): string {
  const states = tenant.readStates(u);
  const hit = userTexts.get(u);
  if (hit && hit.states === states && hit.key === key) return hit.text;
  const text = JSON.stringify(build());
  userTexts.set(u, { states, key, text });
  return text;
}

// One $select array serves a whole page: its key is worked out once.
const selectKeys = new WeakMap<string[], string>();
function selectKey(select: string[] | undefined): string {
  if (!select) return '*';
  let key = selectKeys.get(select);
  if (key === undefined) selectKeys.set(select, (key = select.join(',')));
  return key;
}

export function userJsonText(u: UserRec, tenant: Tenant, select?: string[]): string {
  return cachedUserText(u, tenant, `user:${selectKey(select)}`, () => userJson(u, tenant, select));
}

export function groupJsonText(g: GroupRec, tenant: Tenant, select?: string[]): string {
  return JSON.stringify(groupJson(g, tenant, select));
}

export function directoryObjectJsonText(o: UserRec | GroupRec, tenant: Tenant, select?: string[], untyped = false): string {
  const key = `${untyped ? `untyped-${tenant.behavior.untypedMemberFields}` : 'member'}:${selectKey(select)}`;
  return o.kind === 'user'
    ? cachedUserText(o, tenant, key, () => directoryObjectJson(o, tenant, select, untyped))
    : JSON.stringify(directoryObjectJson(o, tenant, select, untyped));
}

export function skuJson(s: SkuRec): Record<string, unknown> {
  return {
    accountId: null,
    appliesTo: s.appliesTo,
    capabilityStatus: s.capabilityStatus,
    consumedUnits: s.consumed,
    id: s.id,
    skuId: s.skuId,
    skuPartNumber: s.skuPartNumber,
    prepaidUnits: { enabled: s.enabled, suspended: s.suspended, warning: s.warning, lockedOut: s.lockedOut },
    servicePlans: s.servicePlans.map((p) => ({ servicePlanId: p.id, servicePlanName: p.name, provisioningStatus: 'Success', appliesTo: s.appliesTo })),
  };
}

export function organizationJson(t: Tenant): Record<string, unknown> {
  const domains = [...new Set(t.users.slice(0, 1000).map((u) => u.userPrincipalName.split('@')[1].toLowerCase()))];
  return {
    id: t.id,
    displayName: t.displayName,
    countryLetterCode: t.defaultUsageLocation,
    preferredLanguage: null,
    tenantType: 'AAD',
    verifiedDomains: domains.map((name, i) => ({ capabilities: 'Email, OfficeCommunicationsOnline', isDefault: i === 0, isInitial: false, name, type: 'Managed' })),
  };
}

// Query support ---------------------------------------------------------------------------------

const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));

function reader<T>(fields: Record<string, Field<T>>, names: Map<string, string>, tenant: Tenant) {
  return (obj: T, name: string): unknown => {
    const n = names.get(name.toLowerCase());
    return n ? fields[n](obj, tenant) : undefined;
  };
}

export function userQuerySupport(tenant: Tenant): ResourceQuerySupport<UserRec> {
  return {
    typeName: 'User',
    filterable: lower([
      'id',
      'userPrincipalName',
      'displayName',
      'mail',
      'department',
      'usageLocation',
      'accountEnabled',
      'givenName',
      'surname',
      'jobTitle',
      'userType',
      'onPremisesSyncEnabled',
    ]),
    filterCollections: lower(['assignedLicenses']),
    searchable: lower(['displayName', 'userPrincipalName', 'mail', 'givenName', 'surname']),
    sortable: lower(['displayName', 'userPrincipalName']),
    read: reader(USER_FIELDS, USER_NAMES, tenant),
  };
}

export function groupQuerySupport(tenant: Tenant): ResourceQuerySupport<GroupRec> {
  return {
    typeName: 'Group',
    filterable: lower(['id', 'displayName', 'mail', 'mailEnabled', 'mailNickname', 'securityEnabled', 'onPremisesSyncEnabled', 'hasMembersWithLicenseErrors']),
    filterCollections: lower(['groupTypes', 'assignedLicenses']),
    searchable: lower(['displayName', 'description', 'mail']),
    sortable: lower(['displayName']),
    read: reader(GROUP_FIELDS, GROUP_NAMES, tenant),
  };
}

/** Members mix users and groups: a property read on the other type is simply absent. */
export function memberQuerySupport(tenant: Tenant): ResourceQuerySupport<UserRec | GroupRec> {
  const u = userQuerySupport(tenant);
  const g = groupQuerySupport(tenant);
  return {
    typeName: 'DirectoryObject',
    filterable: new Set([...u.filterable, ...g.filterable]),
    filterCollections: new Set([...u.filterCollections, ...g.filterCollections]),
    searchable: new Set([...u.searchable, ...g.searchable]),
    sortable: new Set([...u.sortable, ...g.sortable]),
    read: (o, name) => (o.kind === 'user' ? u.read(o, name) : g.read(o, name)),
  };
}

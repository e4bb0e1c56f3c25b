// Small builders for licensing specs: real skuIds and plan ids from the reference data.
import type { GraphAssignedLicense, GraphGroup, GraphLicenseAssignmentState, GraphOrganization, GraphSubscribedSku, GraphUser } from '../../src/graph/types';
import { Catalog } from '../../src/licensing/catalog';
import type { ChangeSpec, PlanInfo, PrincipalRef } from '../../src/licensing/model';
import type { PreflightInput } from '../../src/licensing/preflight';
import { referenceData } from '../../src/reference/data';

export const ref = referenceData();

export const SKU = {
  E1: 'STANDARDPACK',
  E3: 'ENTERPRISEPACK',
  E5: 'ENTERPRISEPREMIUM',
  M365_E3: 'SPE_E3',
  M365_E5: 'SPE_E5',
  BUSINESS_BASIC: 'O365_BUSINESS_ESSENTIALS',
  BUSINESS_STANDARD: 'O365_BUSINESS_PREMIUM',
  BUSINESS_PREMIUM: 'SPB',
  F3: 'SPE_F1',
  PROJECT_P3: 'PROJECTPROFESSIONAL',
  VISIO_P2: 'VISIOCLIENT',
  // The Teams unbundling (several plans in one change).
  M365_E3_NO_TEAMS: 'Microsoft_365_E3_(no_Teams)',
  O365_E3_NO_TEAMS: 'Office_365_E3_(no_Teams)',
  TEAMS_ENTERPRISE: 'Microsoft_Teams_Enterprise_New',
  TEAMS_ESSENTIALS: 'Teams_Ess',
  TEAMS_PHONE: 'MCOEV',
  AUDIO_CONF: 'MCOMEETADV',
  BUSINESS_BASIC_SKU: 'O365_BUSINESS_ESSENTIALS',
} as const;

export function skuId(partNumber: string): string {
  const s = ref.skusByPartNumber.get(partNumber.toUpperCase());
  if (!s) throw new Error(`no SKU ${partNumber} in reference data`);
  return s.skuId;
}

/** Plan id of a service plan, by servicePlanName, within a SKU when given. */
export function planId(planName: string, partNumber?: string): string {
  const plans = partNumber ? ref.skusByPartNumber.get(partNumber.toUpperCase())!.servicePlans : [...ref.plansById.values()];
  const p = plans.find((x) => x.name.toUpperCase() === planName.toUpperCase());
  if (!p) throw new Error(`no plan ${planName}${partNumber ? ` in ${partNumber}` : ''}`);
  return p.id;
}
export const planIds = (names: string[], partNumber?: string) => names.map((n) => planId(n, partNumber));

export interface SkuOpts {
  enabled?: number;
  consumed?: number;
  capabilityStatus?: string;
  appliesTo?: string;
}

export function subscribedSku(partNumber: string, o: SkuOpts = {}): GraphSubscribedSku {
  const s = ref.skusByPartNumber.get(partNumber.toUpperCase());
  if (!s) throw new Error(`no SKU ${partNumber}`);
  return {
    id: `tenant_${s.skuId}`,
    skuId: s.skuId,
    skuPartNumber: s.skuPartNumber,
    appliesTo: o.appliesTo ?? 'User',
    capabilityStatus: o.capabilityStatus ?? 'Enabled',
    consumedUnits: o.consumed ?? 10,
    prepaidUnits: { enabled: o.enabled ?? 100, suspended: 0, warning: 0 },
    servicePlans: s.servicePlans.map((p) => ({ servicePlanId: p.id, servicePlanName: p.name, provisioningStatus: 'Success', appliesTo: 'User' })),
  };
}

/** A tenant catalog; by default E1, E3, E5, M365 E3, Project Plan 3 with plenty of seats. */
export function catalog(skus: GraphSubscribedSku[] = defaultSkus()): Catalog {
  return Catalog.fromSubscribedSkus(skus, ref);
}
export function defaultSkus(over: Partial<Record<string, SkuOpts>> = {}): GraphSubscribedSku[] {
  return [SKU.E1, SKU.E3, SKU.E5, SKU.M365_E3, SKU.PROJECT_P3].map((p) => subscribedSku(p, over[p] ?? {}));
}

export interface LicenseSpec {
  sku: string; // part number
  /** Group id it comes from; omitted = direct. */
  group?: string;
  /** Plan names disabled in this copy. */
  disabled?: string[];
  state?: string;
  error?: string | null;
  lastUpdated?: string | null;
}

let seq = 0;
export interface UserOpts {
  id?: string;
  name?: string;
  upn?: string;
  usageLocation?: string | null;
  accountEnabled?: boolean;
  licenses?: LicenseSpec[];
}

export function user(o: UserOpts = {}): GraphUser {
  const n = ++seq;
  const name = o.name ?? `User ${n}`;
  const id = o.id ?? `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const states: GraphLicenseAssignmentState[] = (o.licenses ?? []).map((l) => ({
    skuId: skuId(l.sku),
    assignedByGroup: l.group ?? null,
    state: l.state ?? 'Active',
    error: l.error === undefined ? 'None' : l.error,
    disabledPlans: planIds(l.disabled ?? [], l.sku),
    lastUpdatedDateTime: l.lastUpdated === undefined ? '2026-01-01T00:00:00Z' : l.lastUpdated,
  }));
  // assignedLicenses: one per SKU among Active copies; a plan is disabled only if every copy disables it.
  const bySku = new Map<string, string[][]>();
  for (const s of states) {
    if (s.state !== 'Active' && s.state !== 'ActiveWithError') continue;
    (bySku.get(s.skuId) ?? bySku.set(s.skuId, []).get(s.skuId)!).push(s.disabledPlans);
  }
  const assignedLicenses: GraphAssignedLicense[] = [...bySku].map(([sku, lists]) => ({
    skuId: sku,
    disabledPlans: lists.reduce((a, b) => a.filter((x) => b.includes(x))),
  }));
  return {
    id,
    userPrincipalName: o.upn ?? `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@contoso.example`,
    displayName: name,
    usageLocation: o.usageLocation === undefined ? 'NL' : o.usageLocation,
    accountEnabled: o.accountEnabled ?? true,
    department: null,
    assignedLicenses,
    licenseAssignmentStates: states,
  };
}

export interface GroupOpts {
  id?: string;
  name?: string;
  securityEnabled?: boolean;
  groupTypes?: string[];
  membershipRule?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  licenses?: { sku: string; disabled?: string[] }[];
  processing?: string | null;
}

export function group(o: GroupOpts = {}): GraphGroup {
  const n = ++seq;
  return {
    id: o.id ?? `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`,
    displayName: o.name ?? `Group ${n}`,
    securityEnabled: o.securityEnabled ?? true,
    groupTypes: o.groupTypes ?? [],
    membershipRule: o.membershipRule ?? null,
    onPremisesSyncEnabled: o.onPremisesSyncEnabled ?? null,
    assignedLicenses: (o.licenses ?? []).map((l) => ({ skuId: skuId(l.sku), disabledPlans: planIds(l.disabled ?? [], l.sku) })),
    licenseProcessingState: o.processing === null ? null : { state: o.processing ?? 'ProcessingComplete' },
  };
}

export const tenant = (country: string | null = 'NL'): GraphOrganization => ({ id: 'tenant-1', displayName: 'Contoso', countryLetterCode: country });

type Subject = PreflightInput['subject'];
export const forUser = (u: GraphUser): Subject => ({ kind: 'user', user: u });
export const forUsers = (users: GraphUser[], notFound: string[] = []): Subject => ({ kind: 'users', users, notFound });
export const forGroup = (g: GraphGroup, members: GraphUser[], o: { nested?: PrincipalRef[]; membersWithErrors?: GraphUser[] } = {}): Subject => ({
  kind: 'group',
  group: g,
  members,
  nestedGroups: o.nested ?? [],
  membersWithErrors: o.membersWithErrors ?? [],
});

export interface InputOpts {
  from?: string;
  to?: string;
  /** Several plans in one change: the further targets and sources (names the catalog resolves). */
  alsoTo?: string[];
  alsoFrom?: string[];
  subject: Subject;
  cat?: Catalog;
  spec?: Partial<ChangeSpec>;
  country?: string | null;
  groupNames?: Record<string, string>;
}

/** A preflight input: from/to are names the catalog resolves (default E1 -> E3). */
export function input(o: InputOpts): PreflightInput {
  const cat = o.cat ?? catalog();
  const from = o.from ?? 'E1';
  const to = o.to ?? 'E3';
  const source: PlanInfo = cat.resolve(from);
  const target: PlanInfo = cat.resolve(to);
  const principal: ChangeSpec['principal'] =
    o.subject.kind === 'user'
      ? { kind: 'user', user: o.subject.user.userPrincipalName }
      : o.subject.kind === 'group'
        ? { kind: 'group', group: o.subject.group.id }
        : { kind: 'users', users: o.subject.users.map((u) => u.userPrincipalName) };
  return {
    spec: { principal, from, to, ...(o.alsoTo ? { alsoTo: o.alsoTo } : {}), ...(o.alsoFrom ? { alsoFrom: o.alsoFrom } : {}), ...o.spec },
    catalog: cat,
    ref,
    tenant: tenant(o.country === undefined ? 'NL' : o.country),
    source,
    target,
    ...(o.alsoTo ? { alsoTo: o.alsoTo.map((n) => cat.resolve(n)) } : {}),
    ...(o.alsoFrom ? { alsoFrom: o.alsoFrom.map((n) => cat.resolve(n)) } : {}),
    subject: o.subject,
    groupNames: o.groupNames ?? {},
    now: new Date('2026-03-01T12:00:00Z'),
  };
}

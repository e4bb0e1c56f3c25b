// The fixture file format (docs/tenant-fixture.md), as zod schemas. Every object is
// `.strict()` so a misspelt or unknown field is reported by name instead of being ignored: outside
// acceptance checks write their own fixtures and must learn about a typo at start-up.
import { z } from 'zod';
import { GUID_RE } from './ids';

const guid = z.string().regex(GUID_RE, 'must be a GUID (8-4-4-4-12 hex digits)');
const countryCode = z.string().regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code such as "NL"');
const seats = z.number().int('must be a whole number').min(0, 'must be 0 or more');

export const LicenseRefSchema = z
  .object({
    sku: z.string().min(1),
    /** Plan names (servicePlanName) or plan ids. */
    disabledPlans: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const ServicePlanSchema = z.object({ name: z.string().min(1), id: guid }).strict();

export const SubscriptionSchema = z
  .object({
    /** Optional like every id; Graph's subscribedSku id is "<tenantId>_<skuId>" when absent. */
    id: z.string().min(1).optional(),
    sku: z.string().min(1),
    skuId: guid.optional(),
    appliesTo: z.enum(['User', 'Company']).optional(),
    servicePlans: z.array(ServicePlanSchema).min(1).optional(),
    enabled: seats.optional(),
    warning: seats.optional(),
    suspended: seats.optional(),
    lockedOut: seats.optional(),
    capabilityStatus: z.enum(['Enabled', 'Warning', 'Suspended', 'Deleted', 'LockedOut']).optional(),
  })
  .strict();

export const UserSchema = z
  .object({
    id: guid.optional(),
    upn: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'must look like name@domain'),
    displayName: z.string().min(1).optional(),
    /** null = no usage location. Absent = the tenant's defaultUsageLocation. */
    usageLocation: countryCode.nullable().optional(),
    accountEnabled: z.boolean().optional(),
    department: z.string().nullable().optional(),
    licenses: z.array(LicenseRefSchema).optional(),
  })
  .strict();

export const GroupSchema = z
  .object({
    id: guid.optional(),
    displayName: z.string().min(1),
    securityEnabled: z.boolean().optional(),
    groupTypes: z.array(z.string().min(1)).optional(),
    membershipRule: z.string().nullable().optional(),
    onPremisesSyncEnabled: z.boolean().nullable().optional(),
    /** UPNs, or `group:<displayName>` for a nested group. */
    members: z.array(z.string().min(1)).optional(),
    licenses: z.array(LicenseRefSchema).optional(),
  })
  .strict();

export const GenerateSchema = z
  .object({
    group: z.string().min(1),
    count: z.number().int().min(1).max(1_000_000),
    upn: z.string().regex(/^[^@\s]*\{n\}[^@\s]*@[^@\s]+$|^[^@\s]+@[^@\s]*\{n\}[^@\s]*$/, 'must look like name{n}@domain'),
    /** Display-name pattern with {n}; by default the UPN's local part, capitalised ("user{n}" -> "User 1"). */
    displayName: z.string().includes('{n}', { message: 'must contain {n}' }).optional(),
    usageLocation: countryCode.nullable().optional(),
    department: z.string().nullable().optional(),
    accountEnabled: z.boolean().optional(),
    licenses: z.array(LicenseRefSchema).optional(),
    groupLicenses: z.array(LicenseRefSchema).optional(),
  })
  .strict();

export const RulesSchema = z
  .object({
    mutuallyExclusive: z.array(z.array(z.string().min(1)).min(2, 'a mutually exclusive set names at least two plans')).optional(),
    dependencies: z.array(z.object({ plan: z.string().min(1), requiresAnyOf: z.array(z.string().min(1)).min(1) }).strict()).optional(),
  })
  .strict();

/** Graph-like quotas (Microsoft's identity limits for one app in one tenant); absent = no throttling. */
export const ThrottleSchema = z
  .object({
    /** Requests (one resource unit each; $batch items count one by one) per 10 s. Default 8000 (a large tenant). */
    resourceUnitsPer10s: z.number().int().min(1).max(1_000_000).optional(),
    /** Writes (POST, PATCH, DELETE) per 150 s. Default 3000. */
    writesPer150s: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();

export const BehaviorSchema = z
  .object({
    groupProcessingMs: z.number().int().min(0).max(600_000).optional(),
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    /** Added per item in an answer (members of a page, items of a $batch): a 999-member page costs more than one user. */
    latencyPerItemMs: z.number().min(0).max(1_000).optional(),
    /** A read within this time after a license change may return the state before it (directory replication). */
    replicationLagMs: z.number().int().min(0).max(600_000).optional(),
    /** A group reads as before its assignLicense until processing starts this long after it. */
    processingStartMs: z.number().int().min(0).max(600_000).optional(),
    /** User-only properties selected on the untyped /groups/{id}/members collection: left out (default) or returned. */
    untypedMemberFields: z.enum(['omit', 'return']).optional(),
    /** Order in which the items of a $batch run: shuffled (default, as Graph may) or as sent. */
    batchOrder: z.enum(['shuffled', 'sequential']).optional(),
    /** Seed of the $batch shuffle (same seed, same orders). Default 1. */
    seed: z.number().int().optional(),
    throttle: ThrottleSchema.optional(),
  })
  .strict();

/** The app registration as the sandbox tenant sees it (docs/tenant-fixture.md "app"). */
export const AppSchema = z
  .object({
    /** Application (client) id shown in the sandbox's access token. */
    id: guid.optional(),
    /** Application permissions granted (admin consent). Absent = every permission granted. */
    roles: z.array(z.string().regex(/^[A-Za-z]+(\.[A-Za-z]+)+$/, 'must be a Graph permission name such as "User.Read.All"')).optional(),
  })
  .strict();

export const TenantSchema = z
  .object({
    id: guid.optional(),
    displayName: z.string().min(1),
    defaultUsageLocation: countryCode.nullable().optional(),
  })
  .strict();

export const FixtureSchema = z
  .object({
    tenant: TenantSchema,
    subscriptions: z.array(SubscriptionSchema).optional(),
    users: z.array(UserSchema).optional(),
    groups: z.array(GroupSchema).optional(),
    generate: z.array(GenerateSchema).optional(),
    rules: RulesSchema.optional(),
    behavior: BehaviorSchema.optional(),
    app: AppSchema.optional(),
  })
  .strict();

/** A fixture as written (JSON): optional fields may be left out. */
export type TenantFixture = z.input<typeof FixtureSchema>;
export type FixtureLicenseRef = z.infer<typeof LicenseRefSchema>;
export type FixtureUser = z.infer<typeof UserSchema>;
export type FixtureGroup = z.infer<typeof GroupSchema>;
export type FixtureSubscription = z.infer<typeof SubscriptionSchema>;
export type FixtureGenerate = z.infer<typeof GenerateSchema>;
export type ParsedFixture = z.infer<typeof FixtureSchema>;

export interface FixtureProblem {
  /** Where, e.g. `users[3].licenses[0].sku` ("" = the whole file). */
  path: string;
  message: string;
}

export function formatPath(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** zod issues -> problems; an unknown field becomes one problem per field, at its own path. */
export function schemaProblems(error: z.ZodError): FixtureProblem[] {
  const out: FixtureProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath([...issue.path, key]), message: `unknown field "${key}"` });
    } else {
      out.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  return out;
}

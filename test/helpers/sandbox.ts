// Test helpers for the sandbox tenant (src/sandbox). Use them in any mocha spec that needs Graph:
//
//   import { withSandbox, tenantFixture } from '../helpers/sandbox';
//
//   describe('my feature', () => {
//     const sb = withSandbox(
//       tenantFixture('Contoso')                       // tenant NL, domain contoso.example
//         .sku('STANDARDPACK', 10).sku('ENTERPRISEPACK', 5)
//         .user('alice', { licenses: ['STANDARDPACK'] })  // alice@contoso.example, "Alice", usage NL
//         .group('Sales', { members: ['alice'], licenses: ['STANDARDPACK'] })
//         .build(),
//       { resetEach: true },                           // fresh tenant before every test (optional)
//     );
//     it('reads', async () => {
//       const me = await sb.client().api('/users/alice@contoso.example').get();
//       const raw = await sb.get('/subscribedSkus');   // { status, body, headers } via fetch
//     });
//   });
//
// withSandbox starts the sandbox on a free port before the suite and closes it after. Its
// accessors (url, graphBaseUrl, client()) are valid inside hooks and tests, not at describe time.
import { Client } from '@microsoft/microsoft-graph-client';
import { referenceData } from '../../src/reference/data';
import { startSandbox, type FaultSpec, type RequestLogEntry, type RunningSandbox, type TenantFixture } from '../../src/sandbox/index';

export type { TenantFixture, FaultSpec, RequestLogEntry, RunningSandbox };
/** A fixture's `behavior` as written (every field optional). */
export type FixtureBehavior = NonNullable<TenantFixture['behavior']>;

// Graph client ---------------------------------------------------------------------------------

/** A Graph SDK client on the sandbox (no real token: the SDK sends none to a non-Graph host). */
export function sandboxGraphClient(url: string): Client {
  const root = url.replace(/\/v1\.0\/?$/, '').replace(/\/$/, '');
  return Client.initWithMiddleware({ authProvider: { getAccessToken: async () => 'sandbox' }, baseUrl: `${root}/`, defaultVersion: 'v1.0' });
}

// withSandbox ----------------------------------------------------------------------------------

export interface RawResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface SandboxAccess {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** http://127.0.0.1:PORT/v1.0 */
  readonly graphBaseUrl: string;
  readonly sandbox: RunningSandbox;
  /** A Graph SDK client on this sandbox (one per sandbox). */
  client(): Client;
  /** Raw HTTP to Graph: `path` below /v1.0 ("/users?$top=5") or an absolute URL (a nextLink). */
  get<T = any>(path: string, headers?: Record<string, string>): Promise<RawResponse<T>>;
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<RawResponse<T>>;
  /** Every Graph request served since the start or the last reset/clearRequests. */
  requests(): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  /** The next `times` requests matching method + path glob fail with `status`. */
  fault(spec: FaultSpec): Promise<void>;
  clearFaults(): Promise<void>;
  /** Reloads the fixture: the tenant as it was at start; faults and request log emptied. */
  reset(): Promise<void>;
  /** Changes latency or group processing time of the running sandbox. */
  behavior(b: FixtureBehavior | (Omit<FixtureBehavior, 'throttle'> & { throttle: null })): Promise<void>;
  /** A subscription's seats, as after buying licenses (POST /_sandbox/seats); nobody is re-evaluated. */
  seats(sku: string, enabled: number): Promise<void>;
  /** Polls the group until licenseProcessingState is ProcessingComplete (default 5 s). */
  waitForGroup(groupId: string, timeoutMs?: number): Promise<void>;
}

export interface WithSandboxOptions {
  /** POST /_sandbox/reset before each test, so tests cannot see each other's changes. */
  resetEach?: boolean;
}

/** Starts a sandbox for the enclosing describe() (before/after hooks) and returns accessors. */
export function withSandbox(fixture: TenantFixture | string | (() => TenantFixture | string), opts: WithSandboxOptions = {}): SandboxAccess {
  let sb: RunningSandbox | undefined;
  let client: Client | undefined;
  const running = (): RunningSandbox => {
    if (!sb) throw new Error('withSandbox: the sandbox runs only inside hooks and tests (not at describe time)');
    return sb;
  };
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${running().url}/_sandbox/${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`sandbox control ${method} ${path} failed: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const raw = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> => {
    const target = /^https?:/.test(path) ? path : `${running().graphBaseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(target, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep the text */
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };

  before(async function () {
    this.timeout(30_000);
    sb = await startSandbox({ fixture: typeof fixture === 'function' ? fixture() : fixture, port: 0 });
  });
  after(async () => {
    await sb?.close();
    sb = undefined;
    client = undefined;
  });
  if (opts.resetEach) {
    beforeEach(async () => {
      await control('POST', 'reset');
    });
  }

  return {
    get url() {
      return running().url;
    },
    get graphBaseUrl() {
      return running().graphBaseUrl;
    },
    get sandbox() {
      return running();
    },
    client() {
      client ??= sandboxGraphClient(running().url);
      return client;
    },
    get: (path, headers) => raw('GET', path, undefined, headers),
    post: (path, body, headers) => raw('POST', path, body, headers),
    requests: () => control('GET', 'requests'),
    clearRequests: async () => {
      await control('DELETE', 'requests');
    },
    fault: async (spec) => {
      await control('POST', 'faults', spec);
    },
    clearFaults: async () => {
      await control('DELETE', 'faults');
    },
    reset: async () => {
      await control('POST', 'reset');
    },
    behavior: async (b) => {
      await control('POST', 'behavior', b);
    },
    seats: async (sku, enabled) => {
      await control('POST', 'seats', { sku, enabled });
    },
    waitForGroup: async (groupId, timeoutMs = 5_000) => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const r = await raw('GET', `/groups/${groupId}?$select=licenseProcessingState`);
        if (r.body?.licenseProcessingState?.state === 'ProcessingComplete') return;
        if (Date.now() > end) throw new Error(`group ${groupId} still ${r.body?.licenseProcessingState?.state} after ${timeoutMs} ms`);
        await new Promise((res) => setTimeout(res, 10));
      }
    },
  };
}

// Fixture builder ------------------------------------------------------------------------------

export type LicenseInput = string | { sku: string; disabledPlans?: string[] };

export interface UserOptions {
  licenses?: LicenseInput[];
  /** Default: the tenant's defaultUsageLocation. null = none. */
  usageLocation?: string | null;
  displayName?: string;
  id?: string;
  department?: string | null;
  accountEnabled?: boolean;
}

export interface GroupOptions {
  /** Short user names ("alice"), UPNs, or "group:<displayName>" for nested groups. */
  members?: string[];
  licenses?: LicenseInput[];
  id?: string;
  securityEnabled?: boolean;
  groupTypes?: string[];
  membershipRule?: string | null;
  onPremisesSyncEnabled?: boolean | null;
}

type FixtureUsers = NonNullable<TenantFixture['users']>;
type FixtureGroups = NonNullable<TenantFixture['groups']>;
type FixtureSubscriptions = NonNullable<TenantFixture['subscriptions']>;
type FixtureGenerate = NonNullable<TenantFixture['generate']>[number];

/**
 * Short per-test fixtures. Names without "@" get the tenant's domain; licenses may be written as a
 * part number or { sku, disabledPlans }. Group processing defaults to 50 ms (fast tests).
 */
export class FixtureBuilder {
  private readonly subscriptions: FixtureSubscriptions = [];
  private readonly userList: FixtureUsers = [];
  private readonly groups: FixtureGroups = [];
  private readonly generated: FixtureGenerate[] = [];
  private readonly exclusive: string[][] = [];
  private readonly dependencies: { plan: string; requiresAnyOf: string[] }[] = [];
  private behaviorValue: FixtureBehavior = { groupProcessingMs: 50 };

  constructor(
    private readonly tenant: { id?: string; displayName: string; defaultUsageLocation?: string | null },
    readonly domain: string,
  ) {}

  /** user name -> UPN ("alice" -> "alice@contoso.example"). */
  upn(name: string): string {
    return name.includes('@') ? name : `${name}@${this.domain}`;
  }

  /** A subscription: a known part number, or a custom SKU when `extra` has skuId + servicePlans. */
  sku(partNumber: string, enabled: number, extra: Omit<FixtureSubscriptions[number], 'sku' | 'enabled'> = {}): this {
    this.subscriptions.push({ sku: partNumber, enabled, ...extra });
    return this;
  }

  user(name: string, opts: UserOptions = {}): this {
    const upn = this.upn(name);
    const u: FixtureUsers[number] = { upn, displayName: opts.displayName ?? capitalise(upn.split('@')[0]) };
    if (opts.id) u.id = opts.id;
    if (opts.usageLocation !== undefined) u.usageLocation = opts.usageLocation;
    if (opts.department !== undefined) u.department = opts.department;
    if (opts.accountEnabled !== undefined) u.accountEnabled = opts.accountEnabled;
    if (opts.licenses) u.licenses = opts.licenses.map(license);
    this.userList.push(u);
    return this;
  }

  /** Several users with the same options. */
  users(names: string[], opts: UserOptions = {}): this {
    for (const n of names) this.user(n, opts);
    return this;
  }

  group(displayName: string, opts: GroupOptions = {}): this {
    const g: FixtureGroups[number] = { displayName };
    if (opts.id) g.id = opts.id;
    if (opts.securityEnabled !== undefined) g.securityEnabled = opts.securityEnabled;
    if (opts.groupTypes) g.groupTypes = opts.groupTypes;
    if (opts.membershipRule !== undefined) g.membershipRule = opts.membershipRule;
    if (opts.onPremisesSyncEnabled !== undefined) g.onPremisesSyncEnabled = opts.onPremisesSyncEnabled;
    if (opts.members) g.members = opts.members.map((m) => (m.startsWith('group:') ? m : this.upn(m)));
    if (opts.licenses) g.licenses = opts.licenses.map(license);
    this.groups.push(g);
    return this;
  }

  /** `count` users "<prefix>{n}@domain" in `group`, e.g. generate('All Staff', 1000, { groupLicenses: ['STANDARDPACK'] }). */
  generate(group: string, count: number, opts: { prefix?: string; licenses?: LicenseInput[]; groupLicenses?: LicenseInput[]; usageLocation?: string | null } = {}): this {
    const g: FixtureGenerate = { group, count, upn: `${opts.prefix ?? 'user'}{n}@${this.domain}` };
    if (opts.licenses) g.licenses = opts.licenses.map(license);
    if (opts.groupLicenses) g.groupLicenses = opts.groupLicenses.map(license);
    if (opts.usageLocation !== undefined) g.usageLocation = opts.usageLocation;
    this.generated.push(g);
    return this;
  }

  mutuallyExclusive(...plans: string[]): this {
    this.exclusive.push(plans);
    return this;
  }

  dependency(plan: string, requiresAnyOf: string[]): this {
    this.dependencies.push({ plan, requiresAnyOf });
    return this;
  }

  behavior(b: FixtureBehavior): this {
    this.behaviorValue = { ...this.behaviorValue, ...b };
    return this;
  }

  build(): TenantFixture {
    const fx: TenantFixture = { tenant: { ...this.tenant }, subscriptions: this.subscriptions, users: this.userList, groups: this.groups, behavior: this.behaviorValue };
    if (this.generated.length) fx.generate = this.generated;
    if (this.exclusive.length || this.dependencies.length) fx.rules = { mutuallyExclusive: this.exclusive, dependencies: this.dependencies };
    return JSON.parse(JSON.stringify(fx)) as TenantFixture;
  }
}

/** Starts a fixture: tenant `displayName` (default usage location NL, domain from the name). */
export function tenantFixture(displayName = 'Contoso', opts: { id?: string; defaultUsageLocation?: string | null; domain?: string } = {}): FixtureBuilder {
  const tenant: { id?: string; displayName: string; defaultUsageLocation?: string | null } = {
    displayName,
    defaultUsageLocation: opts.defaultUsageLocation === undefined ? 'NL' : opts.defaultUsageLocation,
  };
  if (opts.id) tenant.id = opts.id;
  return new FixtureBuilder(tenant, opts.domain ?? `${displayName.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`);
}

function license(l: LicenseInput): { sku: string; disabledPlans?: string[] } {
  return typeof l === 'string' ? { sku: l } : { ...l };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// Reference ids --------------------------------------------------------------------------------

/** skuId of a part number from the reference data, e.g. skuId('STANDARDPACK'). */
export function skuId(partNumber: string): string {
  const sku = referenceData().skusByPartNumber.get(partNumber.toUpperCase());
  if (!sku) throw new Error(`unknown SKU ${partNumber}`);
  return sku.skuId;
}

/** Plan id of a service plan name, e.g. planId('SHAREPOINTSTANDARD'). */
export function planId(name: string): string {
  const plan = referenceData().plansByName.get(name.toUpperCase());
  if (!plan) throw new Error(`unknown service plan ${name}`);
  return plan.id;
}

// The bot on the real stack against a sandbox of the demo tenant, as the bot specs that run whole
// changes need it: Graph client, license service, a request store (in memory, or a SQLite file that
// two stacks share as two instances would), the approver and requester policies (the demo tenant's
// license admins), the notifier and the harness that plays Teams.
import { join } from 'node:path';
import { connectGraph, type GraphConnection } from '../../src/graph/connect';
import { loopbackGraph } from '../../src/graph/config';
import { LicenseService, type LicenseServiceOptions } from '../../src/licensing/service';
import { openStore, type SqliteRequestStore } from '../../src/state/sqlite-store';
import { ApproverPolicy, RequesterPolicy } from '../../src/requests/approvers';
import { ChangeRequests } from '../../src/requests/workflow';
import { BotNotifier } from '../../src/bot/notifier';
import { Conversations } from '../../src/bot/conversations';
import { silentLogger } from '../../src/bot/deps';
import { harness, type Harness } from './fakes';
import { tenantFixture, type SandboxAccess, type TenantFixture } from '../helpers/sandbox';

export const DEMO_TENANT_ID = '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';
export const DEMO_LICENSE_ADMINS = 'a11ce000-0000-4000-8000-000000000100';

export interface DemoStack {
  graph: GraphConnection;
  licenses: LicenseService;
  store: SqliteRequestStore;
  workflow: ChangeRequests;
  h: Harness;
}

/**
 * `licenseOptions`: added to the license service's options, given the Graph connection (e.g. a
 * permission read from its token). `stateDb`: the SQLite file (default: a database in memory).
 */
export function demoStack(graphBaseUrl: string, licenseOptions?: (graph: GraphConnection) => Partial<LicenseServiceOptions>, stateDb = ':memory:'): DemoStack {
  const graph = connectGraph(loopbackGraph(graphBaseUrl));
  const licenses = new LicenseService(graph.gateway, undefined, { pollIntervalMs: 25, trackTimeoutMs: 10_000, ...licenseOptions?.(graph) });
  const store = openStore(stateDb);
  const approvers = new ApproverPolicy({ approvers: `group:${DEMO_LICENSE_ADMINS}`, tenantId: DEMO_TENANT_ID, licenses });
  const tmp = harness();
  const conv = new Conversations(store, tmp.proactive, silentLogger);
  const notifier = new BotNotifier(conv, approvers, silentLogger, { progressEveryMs: 0, plans: () => licenses.listPlans() });
  const workflow = new ChangeRequests({
    store,
    licenses,
    approvers,
    notifier,
    tenantId: DEMO_TENANT_ID,
    ttlMs: 3_600_000,
    recheckBudgetMs: 0,
    trackOptions: { pollIntervalMs: 25, timeoutMs: 10_000 },
  });
  const requesters = new RequesterPolicy({ requesters: `group:${DEMO_LICENSE_ADMINS}`, fromApprovers: true, tenantId: DEMO_TENANT_ID, licenses });
  const h = harness({ licenses, requests: workflow, approvers, requesters, refs: store, proactive: tmp.proactive, tenantId: DEMO_TENANT_ID });
  return { graph, licenses, store, workflow, h };
}

/** The demo tenant's fixture and its two license admins as Teams names them. */
export const DEMO_TENANT_FILE = join(__dirname, '..', '..', '..', 'data', 'demo-tenant.json');
export const SANNE = { id: '29:sanne', aadObjectId: 'a11ce000-0000-4000-8000-000000000001', name: 'Sanne de Vries' };
export const PIETER = { id: '29:pieter', aadObjectId: 'a11ce000-0000-4000-8000-000000000002', name: 'Pieter Bakker' };

export interface DemoStackPerSpec extends DemoStack {
  /** Waits until the workflow and the bot have nothing left to do (a run, its notices). */
  settle(): Promise<void>;
}

/**
 * A fresh demo stack for every spec of the enclosing describe: built in a beforeEach (with Entra's
 * group processing at `groupProcessingMs`, default 50 ms; null leaves the sandbox's behaviour as it
 * is), drained and closed in an afterEach. Its fields are the running spec's stack.
 */
export function demoStackPerSpec(
  sb: SandboxAccess,
  opts: { license?: (graph: GraphConnection) => Partial<LicenseServiceOptions>; groupProcessingMs?: number | null } = {},
): DemoStackPerSpec {
  const stack = {
    async settle() {
      for (let i = 0; i < 5; i++) {
        await stack.workflow.whenIdle();
        await stack.h.bot.whenIdle();
      }
    },
  } as DemoStackPerSpec;
  beforeEach(async () => {
    const groupProcessingMs = opts.groupProcessingMs === undefined ? 50 : opts.groupProcessingMs;
    if (groupProcessingMs !== null) await sb.behavior({ groupProcessingMs });
    Object.assign(stack, demoStack(sb.graphBaseUrl, opts.license));
  });
  afterEach(async () => {
    await stack.workflow.whenIdle();
    await stack.h.bot.whenIdle();
    stack.store.close();
    await stack.graph.close();
  });
  return stack;
}

/** Contoso with the two license admins and `bulk` users bulk1..bulkN holding E1 directly. */
export function bulkTenant(bulk: number): TenantFixture {
  return tenantFixture('Contoso', { id: DEMO_TENANT_ID, domain: 'contoso.example' })
    .sku('STANDARDPACK', 100)
    .sku('ENTERPRISEPACK', 100)
    .user('sanne', { id: SANNE.aadObjectId, displayName: SANNE.name })
    .user('pieter', { id: PIETER.aadObjectId, displayName: PIETER.name })
    .group('License Admins', { id: DEMO_LICENSE_ADMINS, members: ['sanne', 'pieter'] })
    .generate('Bulk', bulk, { prefix: 'bulk', licenses: ['STANDARDPACK'] })
    .build();
}

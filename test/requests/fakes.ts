// Test doubles for the request workflow: a fake LicensePort with sinon stubs, preflight builders,
// a recording notifier and a controllable clock.
import sinon from 'sinon';
import type { ChangeSpec, Finding, LicensePort, PreflightResult, PrincipalRef, ResolvedChange, SwapResult, TrackingReport } from '../../src/licensing/model';
import type { Actor, ChangeRequest, RequestEvent, RequestNotifier } from '../../src/requests/types';

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const OTHER_TENANT = '22222222-2222-4222-8222-222222222222';
export const E1 = { skuId: '18181a46-0d4e-45cd-891e-60aabd171b4e', skuPartNumber: 'STANDARDPACK', displayName: 'Office 365 E1' };
export const E3 = { skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900', skuPartNumber: 'ENTERPRISEPACK', displayName: 'Office 365 E3' };

export const ids = {
  alice: 'a0000000-0000-4000-8000-00000000000a',
  bob: 'b0000000-0000-4000-8000-00000000000b',
  carol: 'c0000000-0000-4000-8000-00000000000c',
  dave: 'd0000000-0000-4000-8000-00000000000d',
  approversGroup: 'e0000000-0000-4000-8000-00000000000e',
  sales: 'f0000000-0000-4000-8000-00000000000f',
};

/** Alice asks; Bob approves (listed by UPN); Dave approves (member of the approvers group); Carol is nobody. */
export const alice: Actor = { id: ids.alice, tenantId: TENANT, name: 'Alice' };
export const bob: Actor = { id: ids.bob, tenantId: TENANT, name: 'Bob' };
export const carol: Actor = { id: ids.carol, tenantId: TENANT, name: 'Carol' };
export const dave: Actor = { id: ids.dave, tenantId: TENANT, name: 'Dave' };
export const APPROVERS = `bob@contoso.example, ${ids.approversGroup}`;

export const salesGroup: PrincipalRef = { kind: 'group', id: ids.sales, displayName: 'Sales' };

export const groupSpec: ChangeSpec = { principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' };

export function finding(code: Finding['code'], severity: Finding['severity'], principals: PrincipalRef[] = [], data: Record<string, unknown> = {}): Finding {
  return { code, severity, principals, data };
}

export function user(n: number): PrincipalRef {
  return { kind: 'user', id: `90000000-0000-4000-8000-${String(n).padStart(12, '0')}`, displayName: `User ${n}`, userPrincipalName: `user${n}@contoso.example` };
}

export function groupChange(over: Partial<ResolvedChange> = {}): ResolvedChange {
  return {
    kind: 'group',
    principal: salesGroup,
    from: E1,
    to: E3,
    assignments: [{ principal: salesGroup, addLicenses: [{ skuId: E3.skuId, disabledPlans: [] }], removeLicenses: [E1.skuId], previousDisabledPlans: [] }],
    affectedUsers: 10,
    seats: { needed: 10, available: 15 },
    servicesKept: ['Exchange Online'],
    servicesLost: [],
    servicesGained: ['Microsoft Purview'],
    includeDirectCopies: false,
    ...over,
  };
}

export function usersChange(users: PrincipalRef[]): ResolvedChange {
  const synthetic: PrincipalRef = { kind: 'user', id: `users:${users.length}`, displayName: `${users.length} users` };
  return groupChange({
    kind: 'users',
    principal: synthetic,
    assignments: users.map((u) => ({
      principal: u,
      addLicenses: [{ skuId: E3.skuId, disabledPlans: [] }],
      removeLicenses: [E1.skuId],
      previousDisabledPlans: [],
    })),
    affectedUsers: users.length,
    seats: { needed: users.length, available: 15 },
  });
}

export function preflight(change: ResolvedChange = groupChange(), findings: Finding[] = []): PreflightResult {
  const counts = { block: 0, warn: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return { change, findings, counts, blocked: counts.block > 0, checkedAt: '2026-01-01T00:00:00.000Z' };
}

export function swapResult(change: ResolvedChange, failedIds: string[] = []): SwapResult {
  const outcomes = change.assignments.map((a) =>
    failedIds.includes(a.principal.id)
      ? { principal: a.principal, status: 'failed' as const, reason: 'Graph refused', graphCode: 'Request_BadRequest', graphMessage: 'License assignment failed' }
      : { principal: a.principal, status: a.principal.kind === 'group' ? ('accepted' as const) : ('changed' as const) },
  );
  return {
    kind: change.kind,
    outcomes,
    changed: outcomes.filter((o) => o.status !== 'failed').map((o) => o.principal),
    failed: outcomes.filter((o) => o.status === 'failed'),
    startedAt: '2026-01-01T00:00:01.000Z',
    finishedAt: '2026-01-01T00:00:02.000Z',
  };
}

export function trackingReport(over: Partial<TrackingReport> = {}): TrackingReport {
  return {
    groupId: ids.sales,
    outcome: 'complete',
    processingState: 'ProcessingComplete',
    done: [user(1), user(2)],
    errors: [],
    stillHoldingSource: [],
    polls: 2,
    elapsedMs: 1500,
    finishedAt: '2026-01-01T00:00:03.000Z',
    ...over,
  };
}

type Stubbed<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? sinon.SinonStub<A, R> : T[K] };

/** A LicensePort whose every method is a sinon stub with a sensible default. */
export function fakeLicenses(opts: { preflight?: PreflightResult } = {}): Stubbed<LicensePort> {
  const pf = opts.preflight ?? preflight();
  const users: Record<string, PrincipalRef> = {
    'bob@contoso.example': { kind: 'user', id: ids.bob, displayName: 'Bob', userPrincipalName: 'bob@contoso.example' },
    'alice@contoso.example': { kind: 'user', id: ids.alice, displayName: 'Alice', userPrincipalName: 'alice@contoso.example' },
  };
  const groups: Record<string, string[]> = { [ids.approversGroup]: [ids.dave] };
  const f = {
    listPlans: sinon.stub().resolves([]),
    resolvePlan: sinon.stub().rejects(new Error('not used')),
    proposeTeamsSplit: sinon.stub().rejects(new Error('not used')),
    findPrincipals: sinon.stub().resolves([]),
    status: sinon.stub().rejects(new Error('status not stubbed')),
    preflight: sinon.stub().callsFake(async () => structuredClone(pf)),
    swap: sinon.stub().callsFake(async (change: ResolvedChange) => swapResult(change)),
    track: sinon.stub().callsFake(async () => trackingReport()),
    adoptCheck: sinon.stub().callsFake(async (_c: ResolvedChange, ids: string[]) => ({ ready: ids.map((id) => ({ kind: 'user', id, displayName: id })), kept: [], gone: [] })),
    reverse: sinon.stub().callsFake((change: ResolvedChange): ChangeSpec => ({
      principal: change.kind === 'group' ? { kind: 'group', group: change.principal.id } : { kind: 'users', users: change.assignments.map((a) => a.principal.id) },
      from: change.to.skuId,
      to: change.from.skuId,
    })),
    resolveUser: sinon.stub().callsFake(async (q: string) => users[q.toLowerCase()] ?? null),
    groupMemberIds: sinon.stub().callsFake(async (id: string) => {
      const m = groups[id.toLowerCase()];
      if (!m) throw Object.assign(new Error(`no group ${id}`), { name: 'LicensingError', code: 'PRINCIPAL_UNKNOWN' });
      return m;
    }),
    tenant: sinon.stub().resolves({ id: TENANT, displayName: 'Contoso', defaultUsageLocation: 'NL' }),
  };
  return f as unknown as Stubbed<LicensePort>;
}

export interface Notice {
  id: string;
  state: string;
  event: RequestEvent | 'progress' | 'reminder';
}

export class RecordingNotifier implements RequestNotifier {
  readonly notices: Notice[] = [];
  fail = false;
  async changed(request: ChangeRequest, event: RequestEvent): Promise<void> {
    this.notices.push({ id: request.id, state: request.state, event });
    if (this.fail) throw new Error('Teams is down');
  }
  async progress(request: ChangeRequest): Promise<void> {
    this.notices.push({ id: request.id, state: request.state, event: 'progress' });
  }
  async reminder(request: ChangeRequest): Promise<void> {
    this.notices.push({ id: request.id, state: request.state, event: 'reminder' });
    if (this.fail) throw new Error('Teams is down');
  }
  events(id?: string): string[] {
    return this.notices.filter((n) => id === undefined || n.id === id).map((n) => n.event);
  }
}

export class Clock {
  t: number;
  constructor(iso = '2026-03-02T09:00:00.000Z') {
    this.t = Date.parse(iso);
  }
  now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

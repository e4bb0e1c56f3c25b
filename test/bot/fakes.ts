// Test doubles for the bot: a fake LicensePort over a tiny tenant, a fake request workflow,
// in-memory conversation references, a recording proactive channel, and a TestAdapter harness.
import sinon from 'sinon';
import { BotAdapter, TestAdapter, TurnContext, type Activity, type ConversationReference, type InvokeResponse, type ResourceResponse } from 'botbuilder';
import {
  LicensingError,
  type ChangeSpec,
  type Finding,
  type LicensePort,
  type PlanInfo,
  type PreflightResult,
  type PrincipalMatch,
  type PrincipalQuery,
  type PrincipalRef,
  type PrincipalStatus,
  type ResolvedChange,
  type SplitProposal,
} from '../../src/licensing/model';
import type { Actor, ChangeRequest, RequestState, WorkflowResult } from '../../src/requests/types';
import type { ApproversPort, BotDeps, ConversationStore, Proactive, RequestersPort, RequestsPort } from '../../src/bot/deps';
import { conversationRecords } from '../../src/state/conversation-records';
import { silentLogger } from '../../src/bot/deps';
import { PlanSwitchBot } from '../../src/bot/bot';
import { Conversations } from '../../src/bot/conversations';

export const TENANT = '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';
export const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';

export const ids = {
  alice: 'a0000000-0000-4000-8000-00000000000a', // requester
  bob: 'b0000000-0000-4000-8000-00000000000b', // approver
  carol: 'c0000000-0000-4000-8000-00000000000c', // nobody special
  sales: 'f0000000-0000-4000-8000-00000000000f',
  sales2: 'f0000000-0000-4000-8000-0000000000f2',
  verkoop: 'f0000000-0000-4000-8000-0000000000f3',
};

export const people: Record<'alice' | 'bob' | 'carol', PrincipalRef> = {
  alice: { kind: 'user', id: ids.alice, displayName: 'Alice de Vries', userPrincipalName: 'alice@contoso.example' },
  bob: { kind: 'user', id: ids.bob, displayName: 'Bob Bakker', userPrincipalName: 'bob@contoso.example' },
  carol: { kind: 'user', id: ids.carol, displayName: 'Carol Smit', userPrincipalName: 'carol@contoso.example' },
};

export const actors: Record<'alice' | 'bob' | 'carol', Actor> = {
  alice: { id: ids.alice, tenantId: TENANT, name: 'Alice de Vries' },
  bob: { id: ids.bob, tenantId: TENANT, name: 'Bob Bakker' },
  carol: { id: ids.carol, tenantId: TENANT, name: 'Carol Smit' },
};

export const groups: PrincipalMatch[] = [
  { kind: 'group', id: ids.sales, displayName: 'Sales', detail: 'security' },
  { kind: 'group', id: ids.sales2, displayName: 'Sales Interns', detail: 'security' },
  { kind: 'group', id: ids.verkoop, displayName: 'Verkoop', detail: 'security' },
];

function plan(skuId: string, skuPartNumber: string, displayName: string, aliases: string[], enabled: number, consumed: number): PlanInfo {
  return {
    skuId,
    skuPartNumber,
    displayName,
    aliases,
    appliesTo: 'User',
    capabilityStatus: 'Enabled',
    enabled,
    warning: 0,
    suspended: 0,
    consumed,
    available: Math.max(0, enabled - consumed),
    servicePlans: [],
  };
}

export const E1 = plan('18181a46-0d4e-45cd-891e-60aabd171b4e', 'STANDARDPACK', 'Office 365 E1', ['E1', 'O365 E1'], 60, 40);
export const E3 = plan('6fd2c87f-b296-42f0-b197-1e91e994b900', 'ENTERPRISEPACK', 'Office 365 E3', ['E3', 'O365 E3'], 25, 10);
export const E5 = plan('c7df2760-2c81-4ef7-b578-5b5392b571df', 'ENTERPRISEPREMIUM', 'Office 365 E5', ['E5', 'O365 E5'], 5, 5);
export const PLANS = [E1, E3, E5];
/** Teams unbundling: known to the fake service, kept out of PLANS (the plans card stays as it was). */
export const E1_NO_TEAMS = plan('f8ced641-8e17-4dc5-b014-f5a2d53f6ac8', 'Office_365_E1_(no_Teams)', 'Office 365 E1 (no Teams)', ['E1 no Teams'], 20, 0);
export const TEAMS_ENTERPRISE = plan('7e31c0d9-9551-471d-836f-32ee72be4a01', 'Microsoft_Teams_Enterprise_New', 'Microsoft Teams Enterprise', ['Teams Enterprise'], 20, 0);

const summary = (p: PlanInfo) => ({ skuId: p.skuId, skuPartNumber: p.skuPartNumber, displayName: p.displayName });

export function finding(code: Finding['code'], severity: Finding['severity'], principals: PrincipalRef[] = [], data: Record<string, unknown> = {}): Finding {
  return { code, severity, principals, data };
}

export function resolvePlanName(name: string): PlanInfo {
  const n = name.trim().toLowerCase();
  const p = [...PLANS, E1_NO_TEAMS, TEAMS_ENTERPRISE].find(
    (x) => x.skuId === n || x.skuPartNumber.toLowerCase() === n || x.displayName.toLowerCase() === n || x.aliases.some((a) => a.toLowerCase() === n),
  );
  if (!p) throw new LicensingError('PLAN_UNKNOWN', `No plan called '${name}'`, { name, candidates: PLANS.map(summary) });
  return p;
}

/** The principal behind a query, as the real service would resolve it. */
export function resolvePrincipal(q: PrincipalQuery): PrincipalRef {
  if (q.kind === 'users') throw new Error('not in the fake');
  const typed = q.kind === 'user' ? q.user : q.group;
  const wanted = typed.toLowerCase();
  if (q.kind === 'user') {
    const u = Object.values(people).find((p) => p.id === wanted || p.userPrincipalName === wanted);
    if (!u) throw new LicensingError('PRINCIPAL_UNKNOWN', `No user '${typed}'`, { query: typed, kind: 'user', suggestions: [] });
    return u;
  }
  const g = groups.filter((x) => x.id === wanted || x.displayName.toLowerCase() === wanted);
  if (!g.length) {
    const suggestions = groups.filter((x) => x.displayName.toLowerCase().startsWith(wanted.slice(0, 3)));
    throw new LicensingError('PRINCIPAL_UNKNOWN', `No group '${typed}'`, { query: typed, kind: 'group', suggestions });
  }
  return g[0]!;
}

export interface PreflightOptions {
  findings?: Finding[];
  blocked?: boolean;
  affectedUsers?: number;
  /** Principals with more than one source plan (SOURCE_AMBIGUOUS when from is missing). */
  ambiguousSource?: boolean;
}

export function preflightResult(spec: ChangeSpec, opts: PreflightOptions = {}): PreflightResult {
  const principal = resolvePrincipal(spec.principal);
  const from = resolvePlanName(spec.from ?? 'E1');
  const to = resolvePlanName(spec.to);
  const findings = opts.findings ?? [];
  const change: ResolvedChange = {
    kind: principal.kind === 'group' ? 'group' : 'user',
    principal,
    from: summary(from),
    to: summary(to),
    assignments: [{ principal, addLicenses: [{ skuId: to.skuId, disabledPlans: [] }], removeLicenses: [from.skuId], previousDisabledPlans: [] }],
    affectedUsers: opts.affectedUsers ?? (principal.kind === 'group' ? 11 : 1),
    seats: { needed: opts.affectedUsers ?? 11, available: to.available },
    servicesKept: ['Exchange Online', 'SharePoint Online'],
    servicesLost: [],
    servicesGained: ['Microsoft Purview'],
    includeDirectCopies: !!spec.includeDirectCopies,
  };
  const counts = { block: 0, warn: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return { change, findings, counts, blocked: opts.blocked ?? counts.block > 0, checkedAt: '2026-01-01T10:00:00.000Z' };
}

export type FakeLicenses = { [K in keyof LicensePort]: sinon.SinonStub & LicensePort[K] } & { preflightOptions: PreflightOptions };

export function fakeLicenses(): FakeLicenses {
  const f = {
    preflightOptions: {} as PreflightOptions,
  } as FakeLicenses;
  f.listPlans = sinon.stub().callsFake(async () => PLANS) as never;
  f.resolvePlan = sinon.stub().callsFake(async (n: string) => resolvePlanName(n)) as never;
  f.findPrincipals = sinon.stub().callsFake(async (q: string, opts: { kind?: string; top?: number } = {}) => {
    const s = q.trim().toLowerCase();
    const all: PrincipalMatch[] = [...Object.values(people), ...groups];
    return all
      .filter((p) => !opts.kind || p.kind === opts.kind)
      .filter((p) => p.displayName.toLowerCase().includes(s) || p.userPrincipalName?.toLowerCase().startsWith(s) || p.id === s)
      .slice(0, opts.top ?? 10);
  }) as never;
  f.status = sinon.stub().callsFake(async (q: PrincipalQuery): Promise<PrincipalStatus> => {
    const principal = resolvePrincipal(q);
    const licenses =
      principal.id === ids.alice
        ? [
            { plan: summary(E1), assignedByGroup: null, state: 'Active', error: null, disabledPlans: [] },
            { plan: summary(E5), assignedByGroup: ids.sales, assignedByGroupName: 'Sales', state: 'Active', error: null, disabledPlans: [] },
          ]
        : [{ plan: summary(E1), assignedByGroup: null, state: 'Active', error: null, disabledPlans: [] }];
    return { principal, licenses, ...(principal.kind === 'group' ? { processingState: 'ProcessingComplete', memberCount: 11, membersInError: 0 } : {}) };
  }) as never;
  f.preflight = sinon.stub().callsFake(async (spec: ChangeSpec) => {
    if (!spec.from && f.preflightOptions.ambiguousSource) {
      throw new LicensingError('SOURCE_AMBIGUOUS', 'Which plan?', { candidates: [summary(E1), summary(E5)] });
    }
    return preflightResult(spec, f.preflightOptions);
  }) as never;
  // Teams unbundling: everyone holds E1 and the fake tenant has its "(no Teams)" twin and Teams.
  f.proposeTeamsSplit = sinon.stub().callsFake(async (q: PrincipalQuery, direction: 'split' | 'join'): Promise<SplitProposal> => {
    const principal = resolvePrincipal(q);
    if (direction === 'join') return { direction, principal, remove: [], add: [], notes: [{ code: 'NOTHING_TO_JOIN', data: { held: ['Office 365 E1'] } }] };
    const spec = { principal: q, from: E1.skuId, to: E1_NO_TEAMS.skuId, alsoTo: [TEAMS_ENTERPRISE.skuId] };
    return { direction, principal, spec, remove: [summary(E1)], add: [summary(E1_NO_TEAMS), summary(TEAMS_ENTERPRISE)], notes: [] };
  }) as never;
  f.swap = sinon.stub().rejects(new Error('swap must not be called by the bot')) as never;
  f.track = sinon.stub().rejects(new Error('track must not be called by the bot')) as never;
  f.adoptCheck = sinon.stub().rejects(new Error('adoptCheck must not be called by the bot')) as never;
  f.reverse = sinon.stub().throws(new Error('reverse must not be called by the bot')) as never;
  f.resolveUser = sinon
    .stub()
    .callsFake(async (id: string) => Object.values(people).find((p) => p.id === id.toLowerCase() || p.userPrincipalName === id.toLowerCase()) ?? null) as never;
  f.groupMemberIds = sinon.stub().resolves([]) as never;
  f.tenant = sinon.stub().resolves({ id: TENANT, displayName: 'Contoso', defaultUsageLocation: 'NL' }) as never;
  return f;
}

// Requests --------------------------------------------------------------------------------------

export function changeRequest(over: Partial<ChangeRequest> = {}, spec?: ChangeSpec): ChangeRequest {
  const s = spec ?? { principal: { kind: 'group', group: ids.sales }, from: E1.skuId, to: E3.skuId };
  return {
    id: '12',
    version: 1,
    state: 'pending',
    spec: s,
    preflight: preflightResult(s, { findings: [finding('GROUP_DYNAMIC', 'info', [], { membershipRule: 'user.department -eq "Sales"' })] }),
    requester: actors.alice,
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    expiresAt: '2026-01-02T10:00:00.000Z',
    conversationKey: 'conv:conv-1',
    ...over,
  };
}

export type FakeRequests = { [K in keyof RequestsPort]: sinon.SinonStub & RequestsPort[K] };

export function fakeRequests(): FakeRequests {
  const ok = (request: ChangeRequest): WorkflowResult => ({ ok: true, request });
  return {
    request: sinon
      .stub()
      .callsFake(async (actor: Actor, spec: ChangeSpec, preflight: PreflightResult, conversationKey?: string) =>
        ok(changeRequest({ requester: actor, spec, preflight, ...(conversationKey ? { conversationKey } : {}) }, spec)),
      ) as never,
    reprocessNow: sinon
      .stub()
      .callsFake(async (actor: Actor, spec: ChangeSpec, preflight: PreflightResult, conversationKey?: string) =>
        ok(changeRequest({ requester: actor, approver: actor, state: 'running', spec, preflight, ...(conversationKey ? { conversationKey } : {}) }, spec)),
      ) as never,
    approve: sinon
      .stub()
      .callsFake(async (actor: Actor, id: string, version?: number) => ok(changeRequest({ id, version: (version ?? 1) + 1, state: 'approved', approver: actor }))) as never,
    reject: sinon
      .stub()
      .callsFake(async (actor: Actor, id: string, version?: number, reason?: string) =>
        ok(changeRequest({ id, version: (version ?? 1) + 1, state: 'rejected', approver: actor, ...(reason ? { result: { reason } } : {}) })),
      ) as never,
    cancel: sinon.stub().callsFake(async (_actor: Actor, id: string, version?: number) => ok(changeRequest({ id, version: (version ?? 1) + 1, state: 'cancelled' }))) as never,
    pause: sinon.stub().callsFake(async (_actor: Actor, id: string) => ok(changeRequest({ id, state: 'paused' as RequestState }))) as never,
    resume: sinon.stub().callsFake(async (_actor: Actor, id: string, version?: number) => ok(changeRequest({ id, version: (version ?? 1) + 1, state: 'running' }))) as never,
    undo: sinon
      .stub()
      .callsFake(async (actor: Actor, id: string, conversationKey?: string) =>
        ok(changeRequest({ id: '13', requester: actor, undoOf: id, ...(conversationKey ? { conversationKey } : {}) })),
      ) as never,
    status: sinon
      .stub()
      .callsFake(async (id: string) => (id === '12' ? ok(changeRequest()) : ({ ok: false, reason: 'unknown', message: `There is no request ${id}.` } as WorkflowResult))) as never,
    history: sinon.stub().callsFake(async () => [changeRequest({ id: '11', state: 'completed' as RequestState }), changeRequest()]) as never,
    pending: sinon.stub().callsFake(async () => [changeRequest()]) as never,
  };
}

/** Bob approves; Alice may not approve her own; Carol is not an approver. */
export function fakeApprovers(opts: { allowSelf?: boolean } = {}): ApproversPort & { [K in keyof ApproversPort]: sinon.SinonStub } {
  const approverIds = new Set([ids.bob, ...(opts.allowSelf ? [ids.alice] : [])]);
  return {
    approverIds: sinon.stub().callsFake(async () => new Set(approverIds)),
    isApprover: sinon.stub().callsFake(async (a: Actor) => a.tenantId === TENANT && approverIds.has(a.id)),
    canApprove: sinon.stub().callsFake(async (a: Actor, r?: Pick<ChangeRequest, 'requester'>) => {
      if (a.tenantId !== TENANT) return { ok: false, reason: 'wrong_tenant', message: 'other tenant' };
      if (!approverIds.has(a.id)) return { ok: false, reason: 'not_approver', message: 'You are not one of the approvers for license changes.' };
      if (r && r.requester.id === a.id && !opts.allowSelf) return { ok: false, reason: 'own_request', message: 'own' };
      return { ok: true };
    }),
  } as never;
}

/** Alice and Bob are license administrators (REQUESTERS); Carol is not. */
export function fakeRequesters(list: string[] = [ids.alice, ids.bob]): RequestersPort & { isRequester: sinon.SinonStub } {
  const set = new Set(list);
  return { isRequester: sinon.stub().callsFake(async (a: Actor) => a.tenantId === TENANT && set.has(a.id)) };
}

/** ConversationStore in memory, over the same rows (and keys) as the database's conversation_refs. */
export class MemoryRefs implements ConversationStore {
  readonly map = new Map<string, unknown>();
  /** card_choices: users JSON and expiry (ms), by id. */
  readonly choiceRows = new Map<string, { users: string; until: number }>();
  private readonly records = conversationRecords(
    { get: (key) => this.map.get(key), put: (key, value) => this.saveConversationRef(key, value) },
    {
      insert: (id, users, ttlMs) => {
        if (this.choiceRows.has(id)) throw new Error('UNIQUE constraint failed: card_choices.id');
        this.choiceRows.set(id, { users, until: this.now() + ttlMs });
      },
      get: (id) => {
        const row = this.choiceRows.get(id);
        return row && row.until > this.now() ? row.users : undefined;
      },
      deleteExpired: () => {
        const expired = [...this.choiceRows].filter(([, row]) => row.until <= this.now());
        for (const [id] of expired) this.choiceRows.delete(id);
        return expired.length;
      },
    },
  );

  constructor(private readonly now: () => number = Date.now) {}
  readonly saveConversation = this.records.saveConversation;
  readonly conversation = this.records.conversation;
  readonly saveMember = this.records.saveMember;
  readonly member = this.records.member;
  readonly saveCards = this.records.saveCards;
  readonly cards = this.records.cards;
  readonly saveRequestFromCard = this.records.saveRequestFromCard;
  readonly requestFromCard = this.records.requestFromCard;
  readonly saveReach = this.records.saveReach;
  readonly reach = this.records.reach;
  readonly saveApprovalsChannels = this.records.saveApprovalsChannels;
  readonly approvalsChannels = this.records.approvalsChannels;
  readonly saveDroppedChannels = this.records.saveDroppedChannels;
  readonly droppedChannels = this.records.droppedChannels;
  readonly saveInstalledAt = this.records.saveInstalledAt;
  readonly installedAt = this.records.installedAt;
  readonly saveChoice = this.records.saveChoice;
  readonly choice = this.records.choice;
  readonly sweepChoices = this.records.sweepChoices;

  /** A raw row, as the table holds it (specs seed and read these). */
  saveConversationRef(key: string, ref: unknown): void {
    this.map.set(key, JSON.parse(JSON.stringify(ref)));
  }
  getConversationRef(key: string): unknown {
    return this.map.get(key);
  }
}

/** Proactive messages recorded instead of sent. */
export class RecordingProactive extends BotAdapter implements Proactive {
  sent: { conversationId: string; activity: Partial<Activity>; id: string }[] = [];
  updated: { conversationId: string; activity: Partial<Activity> }[] = [];
  /** Conversations where Teams refuses posts, with the status it answers (403: the bot was removed; 404: gone). */
  readonly refuse = new Map<string, number>();
  private n = 0;

  async sendActivities(ctx: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const status = this.refuse.get(ctx.activity.conversation.id);
    if (status) throw Object.assign(new Error(status === 403 ? 'Forbidden: the bot is not part of the conversation roster.' : 'Conversation not found.'), { statusCode: status });
    return activities.map((activity) => {
      const id = `proactive-${++this.n}`;
      this.sent.push({ conversationId: ctx.activity.conversation.id, activity, id });
      return { id };
    });
  }
  async updateActivity(ctx: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    this.updated.push({ conversationId: ctx.activity.conversation.id, activity });
  }
  async deleteActivity(): Promise<void> {}
  override async continueConversation(ref: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
    const ctx = new TurnContext(this, TurnContext.applyConversationReference({ type: 'event', name: 'continue' }, ref, true));
    await this.runMiddleware(ctx, logic);
  }
  continue(ref: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
    return this.continueConversation(ref, logic);
  }
}

// Harness ---------------------------------------------------------------------------------------

export interface Harness {
  bot: PlanSwitchBot;
  adapter: TestAdapter;
  licenses: FakeLicenses;
  requests: FakeRequests;
  approvers: ReturnType<typeof fakeApprovers>;
  requesters: RequestersPort;
  refs: MemoryRefs;
  proactive: RecordingProactive;
  /** The activity the harness would send (for specs that drive the adapter themselves). */
  activity(type: string, opts?: ActivityOptions): Partial<Activity>;
  /** Sends a message as `who`; returns the bot's replies. */
  say(text: string, opts?: ActivityOptions): Promise<Partial<Activity>[]>;
  /** Sends an invoke; returns the invoke response. */
  invoke(name: string, value: unknown, opts?: ActivityOptions): Promise<InvokeResponse & { body?: any }>;
  /** Sends an Action.Execute click. */
  click(verb: string, data: unknown, opts?: ActivityOptions): Promise<InvokeResponse & { body?: any }>;
  /**
   * Delivers Teams' installation events as Teams does when the app is added to (or removed from) a
   * personal chat, a team channel or a group chat: a conversationUpdate with the bot among
   * membersAdded/membersRemoved and an installationUpdate (add/remove). Returns the bot's replies.
   */
  install(opts: InstallOptions): Promise<Partial<Activity>[]>;
}

export interface InstallOptions extends ActivityOptions {
  /** Default personal. */
  scope?: 'personal' | 'channel' | 'groupChat';
  /** Default add. */
  action?: 'add' | 'remove';
  /** Channel: the team's and the channel's names as Teams puts them in channelData. */
  team?: string;
  channel?: string;
  /** Group chat: its topic (conversation.name). */
  topic?: string;
  /** Only one of the two activities (Teams sends both). */
  only?: 'conversationUpdate' | 'installationUpdate';
}

export interface ActivityOptions {
  who?: 'alice' | 'bob' | 'carol' | { id: string; aadObjectId?: string; name?: string };
  tenantId?: string;
  /** channelData.tenant.id when it should differ from conversation.tenantId (a forged activity). */
  channelTenantId?: string;
  locale?: string;
  conversationId?: string;
  conversationType?: 'personal' | 'groupChat' | 'channel';
  replyToId?: string;
  /** The activity's id (Teams sends one; a repeat of an id is a redelivery). */
  id?: string;
}

export function harness(over: Partial<BotDeps> & { proactive?: Proactive; refs?: ConversationStore } = {}, approverOpts: { allowSelf?: boolean } = {}): Harness {
  // Fakes unless the caller passes real ones (the integration specs): the harness exposes whichever is used.
  const licenses = (over.licenses ?? fakeLicenses()) as FakeLicenses;
  const requests = (over.requests ?? fakeRequests()) as FakeRequests;
  const approvers = (over.approvers ?? fakeApprovers(approverOpts)) as ReturnType<typeof fakeApprovers>;
  const requesters = over.requesters ?? fakeRequesters();
  const refs = (over.refs ?? new MemoryRefs()) as MemoryRefs;
  const proactive = (over.proactive ?? new RecordingProactive()) as RecordingProactive;
  const { proactive: _proactive, refs: _refs, ...deps } = over;
  const conversations = new Conversations(refs, proactive, silentLogger);
  // Answers stay in the turn however busy the machine is, unless a spec sets its own timing (the
  // background path has its own specs: turns.test.ts).
  const bot = new PlanSwitchBot({
    tenantId: TENANT,
    log: silentLogger,
    timing: { answerWithinMs: 30_000, messageWithinMs: 30_000 },
    ...deps,
    licenses,
    requests,
    approvers,
    requesters,
    conversations,
  });
  const adapter = new TestAdapter(async (ctx) => {
    await bot.run(ctx);
  });

  const activity = (type: string, opts: ActivityOptions = {}): Partial<Activity> => {
    const who = opts.who ?? 'alice';
    const from =
      typeof who === 'string'
        ? { id: `29:${who}`, aadObjectId: ids[who], name: people[who].displayName }
        : { id: who.id, ...(who.aadObjectId ? { aadObjectId: who.aadObjectId } : {}), name: who.name ?? 'Someone' };
    const tenantId = opts.tenantId ?? TENANT;
    return {
      type,
      channelId: 'msteams',
      serviceUrl: 'https://smba.example/',
      locale: opts.locale ?? 'en-US',
      from,
      recipient: { id: '28:plan-switch', name: 'Plan Switch' },
      conversation: {
        id: opts.conversationId ?? 'conv-1',
        tenantId,
        conversationType: opts.conversationType ?? 'personal',
        isGroup: opts.conversationType === 'groupChat',
      } as never,
      channelData: { tenant: { id: opts.channelTenantId ?? tenantId } },
      ...(opts.replyToId ? { replyToId: opts.replyToId } : {}),
      ...(opts.id ? { id: opts.id } : {}),
    };
  };

  const run = async (a: Partial<Activity>) => {
    adapter.activeQueue.splice(0);
    await adapter.processActivity(a);
    await bot.whenIdle();
    return [...adapter.activeQueue];
  };

  const h: Harness = {
    bot,
    adapter,
    licenses,
    requests,
    approvers,
    requesters,
    refs,
    proactive,
    activity,
    say: (text, opts) => run({ ...activity('message', opts), text }),
    invoke: async (name, value, opts) => {
      const out = await run({ ...activity('invoke', opts), name, value } as Partial<Activity>);
      const res = out.find((a) => a.type === 'invokeResponse');
      if (!res) throw new Error(`no invokeResponse; got ${JSON.stringify(out)}`);
      return res.value as InvokeResponse;
    },
    click: (verb, data, opts) => h.invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, { replyToId: 'card-1', ...opts }),
    install: async (opts) => {
      const scope = opts.scope ?? 'personal';
      const base = activity('conversationUpdate', { ...opts, conversationType: scope });
      const conversation = { ...(base.conversation as object), ...(opts.topic ? { name: opts.topic } : {}), isGroup: scope !== 'personal' } as never;
      const teamId = `19:team-${opts.conversationId ?? 'conv-1'}`;
      const channelData =
        scope === 'channel'
          ? {
              tenant: { id: opts.tenantId ?? TENANT },
              team: { id: teamId, name: opts.team ?? 'IT' },
              channel: { id: opts.conversationId ?? 'conv-1', ...(opts.channel ? { name: opts.channel } : {}) },
            }
          : base.channelData;
      const bot = base.recipient!;
      const replies: Partial<Activity>[] = [];
      const removing = opts.action === 'remove';
      if (opts.only !== 'installationUpdate') {
        replies.push(...(await run({ ...base, conversation, channelData, ...(removing ? { membersRemoved: [bot] } : { membersAdded: [bot] }) } as Partial<Activity>)));
      }
      if (opts.only !== 'conversationUpdate') {
        replies.push(...(await run({ ...base, type: 'installationUpdate', action: removing ? 'remove' : 'add', conversation, channelData } as Partial<Activity>)));
      }
      return replies;
    },
  };
  return h;
}

/** The Adaptive Card of a reply or an invoke answer. */
export function cardOf(x: Partial<Activity> | (InvokeResponse & { body?: any })): any {
  if ('body' in x && x.body) return x.body.value;
  const att = (x as Partial<Activity>).attachments?.[0];
  return att?.content;
}

/** Every TextBlock/Fact text of a card, joined: for "does the card say X" assertions. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      if (typeof o.title === 'string') out.push(o.title);
      if (typeof o.value === 'string' && o.type === undefined) out.push(o.value);
      for (const [k, v] of Object.entries(o)) if (k !== 'data') walk(v);
    }
  };
  walk(card);
  return out.join('\n');
}

/** The Action.Execute buttons of a card (anywhere in it). */
export function actionsOf(card: unknown): { title: string; verb: string; data: any }[] {
  const out: { title: string; verb: string; data: any }[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute' && typeof o.verb === 'string') out.push({ title: String(o.title), verb: o.verb, data: o.data });
      for (const [k, v] of Object.entries(o)) if (k !== 'refresh') walk(v);
    }
  };
  walk(card);
  return out;
}

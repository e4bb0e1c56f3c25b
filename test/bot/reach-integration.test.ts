// The day Plan Switch is installed, on the real stack (sandbox demo tenant, LicenseService, SQLite
// store, ChangeRequests, BotNotifier): nobody has opened the bot, Sanne asks for a change, and is
// told so; an approver then opens Plan Switch (Teams' installation event) and the card reaches
// him; Sanne's card says so; he approves and it runs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withSandbox } from '../helpers/sandbox';
import { connectGraph, type GraphConnection } from '../../src/graph/connect';
import { loopbackGraph } from '../../src/graph/config';
import { LicenseService } from '../../src/licensing/service';
import { openStore, type SqliteRequestStore } from '../../src/state/sqlite-store';
import { ApproverPolicy, RequesterPolicy } from '../../src/requests/approvers';
import { ChangeRequests } from '../../src/requests/workflow';
import { BotNotifier } from '../../src/bot/notifier';
import { Conversations } from '../../src/bot/conversations';
import { ApprovalsChannels } from '../../src/bot/approvals-channels';
import { ApproverReach } from '../../src/bot/approver-reach';
import { silentLogger } from '../../src/bot/deps';
import { actionsOf, cardOf, cardText, harness, RecordingProactive, type Harness } from './fakes';

const DEMO = join(__dirname, '..', '..', '..', 'data', 'demo-tenant.json');
const TENANT = '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';
const SANNE = { id: '29:sanne', aadObjectId: 'a11ce000-0000-4000-8000-000000000001', name: 'Sanne de Vries' };
const PIETER = { id: '29:pieter', aadObjectId: 'a11ce000-0000-4000-8000-000000000002', name: 'Pieter Bakker' };
const LICENSE_ADMINS = 'a11ce000-0000-4000-8000-000000000100';

describe('bot on the sandbox tenant: the day Plan Switch is installed, approvers are reached', function () {
  this.timeout(30_000);
  const sb = withSandbox(DEMO, { resetEach: true });
  let graph: GraphConnection;
  let store: SqliteRequestStore;
  let workflow: ChangeRequests;
  let h: Harness;

  beforeEach(async () => {
    await sb.behavior({ groupProcessingMs: 50 });
    graph = connectGraph(loopbackGraph(sb.graphBaseUrl));
    const licenses = new LicenseService(graph.gateway, undefined, { pollIntervalMs: 25, trackTimeoutMs: 10_000 });
    store = openStore(':memory:');
    const approvers = new ApproverPolicy({ approvers: `group:${LICENSE_ADMINS}`, tenantId: TENANT, licenses });
    const proactive = new RecordingProactive();
    const conv = new Conversations(store, proactive, silentLogger);
    const reach = new ApproverReach(conv, approvers, new ApprovalsChannels(conv, silentLogger), silentLogger, {
      directory: { displayName: async (id) => (await licenses.resolveUser(id))?.displayName },
    });
    const notifier = new BotNotifier(conv, approvers, silentLogger, { progressEveryMs: 0, reach });
    workflow = new ChangeRequests({
      store,
      licenses,
      approvers,
      notifier,
      tenantId: TENANT,
      ttlMs: 3_600_000,
      recheckBudgetMs: 0,
      trackOptions: { pollIntervalMs: 25, timeoutMs: 10_000 },
    });
    const requesters = new RequesterPolicy({ requesters: `group:${LICENSE_ADMINS}`, fromApprovers: true, tenantId: TENANT, licenses });
    h = harness({ licenses, requests: workflow, approvers, requesters, refs: store, proactive, tenantId: TENANT, reach, onReachChanged: (r) => notifier.reachChanged(r) });
  });

  afterEach(async () => {
    await workflow.whenIdle();
    await h.bot.whenIdle();
    store.close();
    await graph.close();
  });

  async function settle() {
    for (let i = 0; i < 5; i++) {
      await workflow.whenIdle();
      await h.bot.whenIdle();
    }
  }

  const sanneCard = () => {
    const u = h.proactive.updated.filter((x) => x.activity.id === 'pre-1').pop();
    assert.ok(u, "Sanne's card was redrawn");
    return cardText(u.activity.attachments![0]!.content);
  };

  it('nobody has opened it: Sanne is told whom to ask (Dutch); Pieter opens it, gets the card, approves, it runs', async () => {
    const [pre] = await h.say('verplaats groep Verkoop naar E3', { who: SANNE, conversationId: 'sanne-chat', conversationType: 'personal', locale: 'nl-NL' });
    const requestBtn = actionsOf(cardOf(pre!)).find((a) => a.verb === 'request');
    assert.ok(requestBtn, cardText(cardOf(pre!)));
    const asked = await h.click('request', requestBtn.data, { who: SANNE, conversationId: 'sanne-chat', conversationType: 'personal', replyToId: 'pre-1', locale: 'nl-NL' });
    assert.match(cardText(cardOf(asked)), /De goedkeurders worden gevraagd/);
    await settle();
    assert.match(sanneCard(), /Nog geen goedkeurder heeft Plan Switch geopend: vraag Pieter Bakker of Fatima El Amrani om het in Teams te openen/);
    assert.ok(h.proactive.sent.some((s) => s.conversationId === 'sanne-chat' && /Nog geen goedkeurder/.test(cardText(s.activity.attachments?.[0]?.content))));

    // Pieter opens Plan Switch in Teams: Teams sends the installation events of his chat.
    await h.install({ who: PIETER, conversationId: 'pieter-chat' });
    await settle();
    const toPieter = h.proactive.sent.find((s) => s.conversationId === 'pieter-chat' && actionsOf(s.activity.attachments?.[0]?.content).some((a) => a.verb === 'approve'));
    assert.ok(toPieter, 'the waiting approval card reached Pieter');
    assert.match(sanneCard(), /Verstuurd naar Pieter Bakker\./);
    assert.match(sanneCard(), /Niet bereikt: Fatima El Amrani/);

    const approveBtn = actionsOf(toPieter.activity.attachments![0]!.content).find((a) => a.verb === 'approve')!;
    await h.click('approve', approveBtn.data, { who: PIETER, conversationId: 'pieter-chat', replyToId: toPieter.id });
    await settle();
    const final = await workflow.status('1');
    assert.equal(final.ok && final.request.state, 'completed');
  });
});

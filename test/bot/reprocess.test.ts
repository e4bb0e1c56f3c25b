// Reprocess in chat and from the buttons, on the demo tenant (Support: Hugo Vink and Charlotte
// Mertens in CountViolation for Audio Conferencing), with the real license service, store,
// workflow and notifier: REPROCESS_APPROVAL none and required, English and Dutch, bad input.
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
import { ApproverReach } from '../../src/bot/approver-reach';
import { ApprovalsChannels } from '../../src/bot/approvals-channels';
import { watchCard, watchNotifier } from '../../src/bot/watch-notice';
import { resultCard } from '../../src/bot/cards/result';
import { silentLogger } from '../../src/bot/deps';
import { parseCommand } from '../../src/bot/parser';
import { actionsOf, cardOf, cardText, changeRequest, harness, type Harness } from './fakes';
import { en, nl } from '../../src/i18n';
import type { BotDeps } from '../../src/bot/deps';

const DEMO = join(__dirname, '..', '..', '..', 'data', 'demo-tenant.json');
const TENANT = '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';
const SANNE = { id: '29:sanne', aadObjectId: 'a11ce000-0000-4000-8000-000000000001', name: 'Sanne de Vries' };
const PIETER = { id: '29:pieter', aadObjectId: 'a11ce000-0000-4000-8000-000000000002', name: 'Pieter Bakker' };
const LICENSE_ADMINS = 'a11ce000-0000-4000-8000-000000000100';

describe('bot: reprocess (demo tenant, real stack)', function () {
  this.timeout(30_000);
  const sb = withSandbox(DEMO, { resetEach: true });
  let graph: GraphConnection;
  let store: SqliteRequestStore;
  let workflow: ChangeRequests;
  let licenses: LicenseService;
  let h: Harness;
  let approvers: ApproverPolicy;
  let conv: Conversations;

  function start(over: Partial<BotDeps> = {}) {
    graph = connectGraph(loopbackGraph(sb.graphBaseUrl));
    licenses = new LicenseService(graph.gateway);
    store = openStore(':memory:');
    approvers = new ApproverPolicy({ approvers: `group:${LICENSE_ADMINS}`, tenantId: TENANT, licenses });
    const tmp = harness();
    conv = new Conversations(store, tmp.proactive, silentLogger);
    const notifier = new BotNotifier(conv, approvers, silentLogger, { progressEveryMs: 0 });
    workflow = new ChangeRequests({ store, licenses, approvers, notifier, tenantId: TENANT, ttlMs: 3_600_000, recheckBudgetMs: 0 });
    const requesters = new RequesterPolicy({ requesters: `group:${LICENSE_ADMINS}`, fromApprovers: true, tenantId: TENANT, licenses });
    h = harness({ licenses, requests: workflow, approvers, requesters, refs: store, proactive: tmp.proactive, tenantId: TENANT, ...over });
  }

  afterEach(async () => {
    if (!h) return;
    await settle();
    store.close();
    await graph.close();
    h = undefined as unknown as Harness;
  });

  async function settle() {
    for (let i = 0; i < 5; i++) {
      await workflow.whenIdle();
      await h.bot.whenIdle();
    }
  }
  const reprocessCalls = async () => (await sb.requests()).filter((r) => /reprocessLicenseAssignment$/i.test(r.path));
  /** The completion notices pushed to a conversation, newest last. */
  const notices = (title: RegExp) =>
    h.proactive.sent.filter((s) => s.activity.attachments?.length && title.test(cardText(cardOf(s.activity as never)))).map((s) => s.activity as never);

  it('parses the commands in English and Dutch', () => {
    assert.deepEqual(parseCommand('reprocess Support'), { command: { kind: 'reprocess', principal: { kind: 'any', name: 'Support' } }, lang: 'en' });
    assert.deepEqual(parseCommand('reprocess group Sales Interns').command, { kind: 'reprocess', principal: { kind: 'group', name: 'Sales Interns' } });
    for (const nlText of ['verwerk Support opnieuw', 'verwerk opnieuw Support', 'opnieuw verwerken Support', 'herverwerk Support', 'Support opnieuw verwerken']) {
      assert.deepEqual(parseCommand(nlText), { command: { kind: 'reprocess', principal: { kind: 'any', name: 'Support' } }, lang: 'nl' }, nlText);
    }
    assert.deepEqual(parseCommand('verwerk gebruiker hugo.vink@contoso.example opnieuw').command, {
      kind: 'reprocess',
      principal: { kind: 'user', name: 'hugo.vink@contoso.example' },
    });
    assert.deepEqual(parseCommand('reprocess').command, { kind: 'reprocess' });
  });

  it('REPROCESS_APPROVAL=none (default): runs at once; the notice says who is still in error, why and the fix, with the button; then seats are bought and the button fixes both', async () => {
    start();
    const [reply] = await h.say('reprocess Support', { who: SANNE });
    assert.match(cardText(cardOf(reply!)), /Reprocess 1: Entra evaluates the group licenses of 2 members of Support again/);
    await settle();
    assert.equal((await reprocessCalls()).length, 2);
    const r1 = (await workflow.status('1')).ok && (await store.get('1'))!;
    assert.ok(r1);
    assert.equal(r1.state, 'partial');
    const audit = await store.audit('1');
    assert.ok(audit.some((a) => a.action === 'approved' && a.detail.rule === 'REPROCESS_APPROVAL=none' && a.actor?.id === SANNE.aadObjectId));
    const [notice] = notices(/Reprocess 1 finished/);
    assert.ok(notice, 'the completion notice');
    const text = cardText(cardOf(notice));
    assert.match(text, /2 members still in error/);
    assert.match(text, /Hugo Vink.*not enough licenses.*Fix: buy more licenses/);
    const buttons = actionsOf(cardOf(notice));
    assert.ok(buttons.some((a: any) => a.title === 'Reprocess after fixing' && a.verb === 'reprocess'));
    assert.ok(!buttons.some((a: any) => a.verb === 'undo'), 'a reprocess has nothing to undo');

    // Seats bought in the admin center; one click on the notice's button.
    await sb.seats('MCOMEETADV', 10);
    const button = buttons.find((a: any) => a.verb === 'reprocess');
    const res = await h.click('reprocess', button!.data, { who: SANNE });
    assert.match(cardText(res.body.value), /Reprocess 2/);
    await settle();
    const done = notices(/Reprocess 2 finished/)[0];
    assert.ok(done);
    assert.match(cardText(cardOf(done)), /Done: every member reprocessed now has the license/);
    assert.match(cardText(cardOf(done)), /2 members now licensed/);
    assert.equal((await store.get('2'))!.state, 'completed');
    const hugo = (await sb.get('/users/hugo.vink@contoso.example?$select=licenseAssignmentStates')).body.licenseAssignmentStates;
    assert.ok(hugo.every((s: any) => s.state === 'Active'));
    const [undo] = await h.say('undo 2', { who: SANNE });
    assert.match(cardText(cardOf(undo!)), /nothing to undo|niets/i);
  });

  it('in Dutch: "verwerk Support opnieuw" answers and notifies in Dutch', async () => {
    start();
    const [reply] = await h.say('verwerk Support opnieuw', { who: SANNE });
    assert.match(cardText(cardOf(reply!)), /Opnieuw verwerken 1: Entra beoordeelt de groepslicenties van 2 leden van Support opnieuw/);
    await settle();
    const [notice] = notices(/Opnieuw verwerken 1 is klaar/);
    assert.ok(notice);
    assert.match(cardText(cardOf(notice)), /2 leden hebben nog een fout/);
    assert.match(cardText(cardOf(notice)), /te weinig licenties.*Oplossing: koop meer licenties/);
    assert.ok(actionsOf(cardOf(notice)).some((a: any) => a.title === 'Opnieuw verwerken na herstel'));
  });

  it('REPROCESS_APPROVAL=required: a four-eyes request; nothing runs until a second administrator approves', async () => {
    start({ reprocessApproval: 'required' });
    const [reply] = await h.say('reprocess Support', { who: SANNE });
    assert.match(cardText(cardOf(reply!)), /Reprocess 1 asked for: a second administrator approves it/);
    const [again] = await h.say('reprocess Support', { who: SANNE });
    assert.match(cardText(cardOf(again!)), /Reprocess 1 asked for/, 'asked again while it waits: the same request');
    await settle();
    assert.equal((await store.get('1'))!.state, 'pending');
    assert.equal((await store.list()).length, 1);
    assert.equal((await reprocessCalls()).length, 0);
    const own = await workflow.approve({ id: SANNE.aadObjectId, tenantId: TENANT }, '1');
    assert.equal(own.ok, false, 'not by the one who asked');
    await sb.seats('MCOMEETADV', 10);
    const ok = await workflow.approve({ id: PIETER.aadObjectId, tenantId: TENANT, name: PIETER.name }, '1');
    assert.ok(ok.ok);
    await settle();
    assert.equal((await store.get('1'))!.state, 'completed');
    assert.equal((await reprocessCalls()).length, 2);
  });

  it('bad input changes nothing: an unknown group, nobody in error, someone not allowed, forged button data', async () => {
    start();
    const [unknown] = await h.say('reprocess group Nobody Here', { who: SANNE });
    assert.match(cardText(cardOf(unknown!)), /can't find|Nobody Here/);
    const [none] = await h.say('reprocess Sales', { who: SANNE });
    assert.match(cardText(cardOf(none!)), /No member of Sales has a license error from the group now/);
    const jan = (await sb.get('/users/jan.devries@contoso.example')).body.id;
    const [refused] = await h.say('reprocess Support', { who: { id: '29:jan', aadObjectId: jan, name: 'Jan de Vries' } });
    assert.match(String(refused!.text ?? cardText(cardOf(refused!))), /not|niet/i);
    const forged = await h.click('reprocess', { principal: { kind: 'group', id: '../../users' } }, { who: SANNE });
    assert.doesNotMatch(cardText(forged.body.value), /Reprocess \d/);
    const bad = await h.click('reprocess', { principal: { kind: 'tenant', id: 'x' } }, { who: SANNE });
    assert.match(cardText(bad.body.value), /card|kaart/i);
    const [ask] = await h.say('reprocess', { who: SANNE });
    assert.match(String(ask!.text), /Reprocess whom\?/);
    await settle();
    assert.equal((await reprocessCalls()).length, 0);
    assert.equal((await store.list()).length, 0, 'no request made');
  });

  it('the watch notice reaches the approvers in their own chat, with the reason, the fix and the button', async () => {
    start();
    await h.say('help', { who: PIETER, conversationId: 'pieter-chat' });
    await h.say('hulp', { who: SANNE, conversationId: 'sanne-chat', locale: 'nl-NL' });
    const reach = new ApproverReach(conv, approvers, new ApprovalsChannels(conv, silentLogger), silentLogger);
    const list = await licenses.membersInError({ kind: 'group', group: 'Support' });
    const before = h.proactive.sent.length;
    assert.equal(await watchNotifier(reach)({ group: list.principal, members: list.members }), true);
    const sent = h.proactive.sent.slice(before);
    const pieter = sent.find((s) => s.conversationId === 'pieter-chat');
    const sanne = sent.find((s) => s.conversationId === 'sanne-chat');
    assert.ok(pieter && sanne, sent.map((s) => s.conversationId).join(', '));
    assert.match(cardText(cardOf(pieter.activity as never)), /New license errors in Support.*2 members of Support have a new license error/s);
    assert.match(cardText(cardOf(pieter.activity as never)), /Charlotte Mertens.*not enough licenses/);
    assert.match(cardText(cardOf(sanne.activity as never)), /Nieuwe licentiefouten in Support/);
    assert.ok(actionsOf(cardOf(pieter.activity as never)).some((a: any) => a.verb === 'reprocess' && a.data.principal.id === list.principal.id));
  });
});

describe('cards: the "Reprocess after fixing" button', () => {
  it('on the completion notice of a group change with members in error, not on one without', () => {
    const r = changeRequest({
      state: 'partial',
      result: {
        tracking: {
          groupId: 'g1',
          outcome: 'complete',
          processingState: 'ProcessingComplete',
          done: [],
          errors: [{ principal: { kind: 'user', id: 'u1', displayName: 'Hugo' }, error: 'CountViolation', message: '' }],
          stillHoldingSource: [],
          polls: 1,
          elapsedMs: 1,
          finishedAt: '2026-01-01T10:00:00.000Z',
        },
      },
    });
    const card = resultCard(en, r);
    const button = actionsOf(card).find((a: any) => a.verb === 'reprocess');
    assert.ok(button, JSON.stringify(actionsOf(card)));
    assert.equal(button.title, en.reprocess.button);
    assert.deepEqual(button.data.principal.kind, r.preflight.change.kind === 'group' ? 'group' : 'user');
    assert.match(cardText(resultCard(nl, r)), /Hugo: te weinig licenties/);
    const clean = changeRequest({ state: 'completed', result: {} });
    assert.ok(!actionsOf(resultCard(en, clean)).some((a: any) => a.verb === 'reprocess'));
  });

  it('the watch card in both languages', () => {
    const found = {
      group: { kind: 'group' as const, id: 'g1', displayName: 'Support' },
      members: [
        {
          principal: { kind: 'user' as const, id: 'u1', displayName: 'Hugo Vink', userPrincipalName: 'hugo@x' },
          errors: [{ plan: { skuId: 's', skuPartNumber: 'MCOMEETADV', displayName: 'Audio Conferencing' }, groupId: 'g1', error: 'ProhibitedInUsageLocationViolation' }],
        },
      ],
    };
    assert.match(cardText(watchCard(en, found)), /1 member of Support has a new license error.*usage location/s);
    assert.match(cardText(watchCard(nl, found)), /1 lid van Support heeft een nieuwe licentiefout.*gebruikslocatie/s);
  });
});

// Several plans in one change through the bot, on the demo tenant with the real service, store and
// workflow: the README's command in English and Dutch, the preflight card listing every source and
// target with a seat line each, approval, the swap (one call per group), the completion notice,
// history naming all plans, and undo.
import assert from 'node:assert/strict';
import { withSandbox } from '../helpers/sandbox';
import { actionsOf, cardOf, cardText } from './fakes';
import { DEMO_TENANT_FILE, PIETER, SANNE, demoStackPerSpec } from './demo-stack';

const E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';
const MOVE = 'move group "Finance (AD sync)" from E3 to "Office 365 E3 (no Teams)" and "Microsoft Teams Enterprise"';

describe('bot: several plans in one change (demo tenant, real stack)', function () {
  this.timeout(30_000);
  const sb = withSandbox(DEMO_TENANT_FILE, { resetEach: true });
  const stack = demoStackPerSpec(sb);
  const { settle } = stack;

  it('the README command: a preflight card with every plan and a seat line per target; approved, one group call, members hold both; history names all; undo puts E3 back', async () => {
    await stack.h.say('help', { who: PIETER, conversationId: 'pieter-chat', conversationType: 'personal' });
    const [pre] = await stack.h.say(MOVE, { who: SANNE, conversationId: 'fin', conversationType: 'groupChat' });
    const card = cardOf(pre!);
    const text = cardText(card);
    assert.match(text, /From\nOffice 365 E3\n/);
    assert.match(text, /To\nOffice 365 E3 \(no Teams\) \+ Microsoft Teams Enterprise/);
    assert.match(text, /Office 365 E3 \(no Teams\): 6 needed, 10 available · Microsoft Teams Enterprise: 6 needed, 20 available/);
    const request = actionsOf(card).find((a) => a.verb === 'request');
    assert.ok(request, `not blocked: ${text}`);
    assert.equal(request.data.spec.alsoTo.length, 1);

    await sb.clearRequests();
    await stack.h.click('request', request.data, { who: SANNE, conversationId: 'fin', conversationType: 'groupChat', replyToId: 'pre-1' });
    await settle();
    const approve = actionsOf(stack.h.proactive.sent.find((s) => s.conversationId === 'pieter-chat')!.activity.attachments![0]!.content).find((a) => a.verb === 'approve')!;
    await stack.h.click('approve', approve.data, { who: PIETER, conversationId: 'pieter-chat' });
    await settle();
    const done = await stack.workflow.status('1');
    assert.ok(done.ok);
    assert.equal(done.request.state, 'completed', JSON.stringify(done.request.result));
    const writes = (await sb.requests()).filter((r) => r.method === 'POST' && /assignLicense$/i.test(r.path));
    assert.equal(writes.length, 1, 'one assignLicense for the group, both adds and the remove in it');
    const group = await stack.licenses.status({ kind: 'group', group: 'Finance (AD sync)' });
    assert.deepEqual(group.licenses.map((l) => l.plan.skuPartNumber).sort(), ['Microsoft_Teams_Enterprise_New', 'Office_365_E3_(no_Teams)']);
    const member = await stack.licenses.status({ kind: 'user', user: 'henk.jansen@contoso.example' });
    assert.deepEqual(member.licenses.map((l) => `${l.plan.skuPartNumber}:${l.state}`).sort(), ['Microsoft_Teams_Enterprise_New:Active', 'Office_365_E3_(no_Teams):Active']);

    const [history] = await stack.h.say('history', { who: SANNE });
    assert.match(cardText(cardOf(history!)), /Office 365 E3 \(no Teams\) \+ Microsoft Teams Enterprise/);
    const [geschiedenis] = await stack.h.say('geschiedenis', { who: SANNE });
    assert.match(cardText(cardOf(geschiedenis!)), /Microsoft Teams Enterprise/);

    // Undo: a new request for the exact reverse, approved like any other.
    const [undo] = await stack.h.say('undo 1', { who: SANNE, conversationId: 'fin', conversationType: 'groupChat' });
    assert.match(cardText(cardOf(undo!)), /From\nOffice 365 E3 \(no Teams\) \+ Microsoft Teams Enterprise/);
    await settle();
    const approveUndo = stack.h.proactive.sent
      .filter((s) => s.conversationId === 'pieter-chat')
      .map((s) => actionsOf(s.activity.attachments![0]!.content).find((a) => a.verb === 'approve' && a.data.requestId === '2'))
      .find(Boolean)!;
    await stack.h.click('approve', approveUndo.data, { who: PIETER, conversationId: 'pieter-chat' });
    await settle();
    const undone = await stack.workflow.status('2');
    assert.ok(undone.ok);
    assert.equal(undone.request.state, 'completed', JSON.stringify(undone.request.result));
    const after = await stack.licenses.status({ kind: 'group', group: 'Finance (AD sync)' });
    assert.deepEqual(
      after.licenses.map((l) => l.plan.skuId),
      [E3],
    );
  });

  it('Dutch: the same move in Dutch gets a Dutch card with both plans', async () => {
    const [pre] = await stack.h.say('verplaats groep "Finance (AD sync)" van E3 naar "Office 365 E3 (no Teams)" en "Microsoft Teams Enterprise"', { who: SANNE });
    const text = cardText(cardOf(pre!));
    assert.match(text, /Controle vooraf/);
    assert.match(text, /Office 365 E3 \(no Teams\) \+ Microsoft Teams Enterprise/);
  });

  for (const [say, en, nl] of [
    ['move group "Finance (AD sync)" from E3 to E1 and "Office 365 E1"', /named twice among the plans to add/, null],
    ['verplaats groep "Finance (AD sync)" van E3 naar E1 en E3', null, /staat zowel bij de licentieplannen die weggaan als bij die erbij komen/],
    ['move group "Finance (AD sync)" from E3 to E1 and "Teams Deluxe"', /The tenant has no plan called "Teams Deluxe"/, null],
  ] as const) {
    it(`a clear answer that changes nothing: ${say}`, async () => {
      await sb.clearRequests();
      const [reply] = await stack.h.say(say, { who: SANNE });
      const text = reply!.attachments?.length ? cardText(cardOf(reply!)) : String(reply!.text);
      assert.match(text, (en ?? nl)!);
      if (nl) assert.match(text, /Er is niets gewijzigd/);
      else if (!/no plan called/.test(text)) assert.match(text, /Nothing was changed/);
      assert.equal((await sb.requests()).filter((r) => r.method === 'POST').length, 0);
    });
  }
});

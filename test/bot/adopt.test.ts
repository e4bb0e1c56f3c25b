// Adopt in the bot (issue 13 part 3), on the real stack and the demo tenant: Marketing's members hold
// E1 directly; the blocked group card offers the adopt, the chat command (EN and NL) checks it, and
// the approved run leaves everyone on the group's copy with a completion notice that says so.
import assert from 'node:assert/strict';
import { withSandbox } from '../helpers/sandbox';
import { actionsOf, cardOf, cardText } from './fakes';
import { DEMO_TENANT_FILE, PIETER, SANNE, demoStackPerSpec } from './demo-stack';

const E1 = '18181a46-0d4e-45cd-891e-60aabd171b4e';

describe('bot: move the members of a group onto the group (adopt)', function () {
  this.timeout(30_000);
  const sb = withSandbox(DEMO_TENANT_FILE, { resetEach: true });
  const stack = demoStackPerSpec(sb);
  const { settle } = stack;

  it('the blocked Marketing card offers the adopt beside "as users"; the click checks it (EN and NL)', async () => {
    const [reply] = await stack.h.say('move group Marketing from E1 to E3', { who: SANNE });
    const card = cardOf(reply!);
    const titles = actionsOf(card).map((a) => a.title);
    assert.ok(titles.includes('Check these 8 people as users'), JSON.stringify(titles));
    const adopt = actionsOf(card).find((a) => a.title === 'Move the members onto the group');
    assert.ok(adopt, JSON.stringify(titles));
    assert.match(cardText(card), /the second button checks that/);
    assert.deepEqual((adopt.data as { adopt?: unknown }).adopt, {});
    const next = cardText(cardOf(await stack.h.click('preflight', adopt.data, { who: SANNE })));
    assert.match(next, /Preflight check: members onto the group/);
    assert.match(next, /Own copies to remove\n8\n/);
    assert.match(next, /Seats used\nunchanged: a plan counts once per person/);
    assert.match(next, /The group gets Office 365 E1 with every service on/);
    assert.match(next, /Roos Verbeek/, 'she gains Sway (hers was off): named');

    const [nl] = await stack.h.say('verplaats groep Marketing van E1 naar E3', { who: SANNE });
    const nlAdopt = actionsOf(cardOf(nl!)).find((a) => a.title === 'Leden overzetten op de groep');
    assert.ok(nlAdopt, JSON.stringify(actionsOf(cardOf(nl!)).map((a) => a.title)));
    const nlNext = cardText(cardOf(await stack.h.click('preflight', nlAdopt.data, { who: SANNE })));
    assert.match(nlNext, /Controle vooraf: leden overzetten op de groep/);
    assert.match(nlNext, /Licenties in gebruik\nongewijzigd/);
  });

  it('zet de leden van Marketing over op de groep: the Dutch command checks the adopt in Dutch', async () => {
    const [reply] = await stack.h.say('zet de leden van Marketing over op de groep', { who: SANNE });
    const text = cardText(cardOf(reply!));
    assert.match(text, /Controle vooraf: leden overzetten op de groep/);
    assert.match(text, /Eigen licenties te verwijderen\n8\n/);
    assert.match(text, /De groep krijgt Office 365 E1 met alle services aan/);
    assert.match(text, /Joost van Dam/, "no usage location: the group uses the organization's country, said");
  });

  it('move the members of Marketing onto the group: request, approval, the run, and a notice that says who gets it from the group', async () => {
    await stack.h.say('help', { who: PIETER, conversationId: 'pieter-chat', conversationType: 'personal' });
    const before = (await stack.licenses.listPlans()).find((p) => p.skuId === E1)!.consumed;
    const [pre] = await stack.h.say('move the members of Marketing onto the group', { who: SANNE, conversationId: 'ops', conversationType: 'groupChat' });
    const preCard = cardOf(pre!);
    const requestBtn = actionsOf(preCard).find((a) => a.verb === 'request');
    assert.ok(requestBtn, cardText(preCard));
    assert.deepEqual((requestBtn.data as { spec: { adopt?: unknown; to: string } }).spec.adopt, {});
    assert.equal((requestBtn.data as { spec: { to: string } }).spec.to, E1);
    await stack.h.click('request', requestBtn.data, { who: SANNE, conversationId: 'ops', conversationType: 'groupChat', replyToId: 'pre-1' });
    await settle();
    const toPieter = stack.h.proactive.sent.find((s) => s.conversationId === 'pieter-chat')!;
    const approvalText = cardText(toPieter.activity.attachments![0]!.content);
    assert.match(approvalText, /Own copies to remove\n8\n/);
    const approveBtn = actionsOf(toPieter.activity.attachments![0]!.content as any).find((a) => a.verb === 'approve')!;
    await stack.h.click('approve', approveBtn.data, { who: PIETER, conversationId: 'pieter-chat', replyToId: toPieter.id });
    await settle();

    const final = await stack.workflow.status('1');
    assert.ok(final.ok);
    assert.equal(final.request.state, 'completed', JSON.stringify(final.request.result));
    assert.equal((await stack.licenses.listPlans()).find((p) => p.skuId === E1)!.consumed, before, 'seats used: unchanged');
    const members = await stack.licenses.status({ kind: 'user', user: 'anouk.vanwijk@contoso.example' });
    assert.deepEqual(
      members.licenses.map((l) => [l.plan.skuId, l.assignedByGroupName ?? null]),
      [[E1, 'Marketing']],
    );
    const notice = stack.h.proactive.sent.filter((s) => s.conversationId === 'ops').map((s) => cardText(s.activity.attachments![0]!.content));
    const finished = notice.find((t) => /Change request 1 finished/.test(t));
    assert.ok(finished, notice.join('\n---\n'));
    assert.match(finished, /Done: everyone who held the plan directly now gets it from the group/);
    assert.match(finished, /8 own copies removed/);
    assert.doesNotMatch(finished, /Undo/);
    // Progress was shown on the request's cards while the waves ran.
    assert.ok(
      stack.h.proactive.updated.some((u) => /Removing own copies: wave \d of 2/.test(cardText(u.activity.attachments?.[0]?.content ?? { body: [] }))),
      'wave progress on the card',
    );
  });
});

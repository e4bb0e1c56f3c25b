// The bot on the real stack: sandbox tenant (data/demo-tenant.json) + LicenseService + SQLite
// store + ApproverPolicy + ChangeRequests + BotNotifier (test/bot/demo-stack.ts), driven through TestAdapter as Teams would.
import assert from 'node:assert/strict';
import { withSandbox } from '../helpers/sandbox';
import { actionsOf, cardOf, cardText } from './fakes';
import { DEMO_TENANT_FILE, PIETER, SANNE, demoStackPerSpec } from './demo-stack';
import { en, nl } from '../../src/i18n';
import { preflightCard } from '../../src/bot/cards/preflight';

const E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';

describe('bot on the sandbox tenant (real LicenseService, store and workflow)', function () {
  this.timeout(30_000);
  const sb = withSandbox(DEMO_TENANT_FILE, { resetEach: true });
  const stack = demoStackPerSpec(sb);
  const { settle } = stack;

  it('plans and status read the demo tenant', async () => {
    const [plans] = await stack.h.say('licenties', { who: SANNE });
    assert.match(cardText(cardOf(plans!)), /Office 365 E3/);
    const [status] = await stack.h.say('status Sales', { who: SANNE });
    assert.match(cardText(cardOf(status!)), /Licenses of Sales/);
    assert.match(cardText(cardOf(status!)), /Office 365 E1/);
  });

  it('an activity from someone who is not in the sandbox tenant is refused', async () => {
    const [reply] = await stack.h.say('plans', { who: { id: '29:ghost', aadObjectId: '00000000-0000-4000-8000-000000000999' } });
    assert.match(String(reply!.text), /can't find you/);
  });

  it('move group Sales to E3: preflight, request, approval by another admin, swap, completion notice', async () => {
    // Pieter has talked to the bot before: his personal chat is known.
    await stack.h.say('help', { who: PIETER, conversationId: 'pieter-chat', conversationType: 'personal' });

    const [pre] = await stack.h.say('move group Sales to E3', { who: SANNE, conversationId: 'sales-ops', conversationType: 'groupChat' });
    const firstCard = cardOf(pre!);
    assert.match(cardText(firstCard), /Preflight check/);
    // Jan de Vries also holds E1 directly: the card warns and offers to include direct copies.
    assert.match(cardText(firstCard), /also hold the source plan directly/);
    assert.match(cardText(firstCard), /Jan de Vries/);
    const withDirect = actionsOf(firstCard).find((a) => a.verb === 'preflight' && a.data.includeDirectCopies)!;
    assert.ok(withDirect);
    const again = await stack.h.click('preflight', withDirect.data, { who: SANNE, conversationId: 'sales-ops', conversationType: 'groupChat', replyToId: 'pre-0' });
    const preCard = cardOf(again);
    assert.match(cardText(preCard), /Direct copies of the source held by members are included/);
    const requestBtn = actionsOf(preCard).find((a) => a.verb === 'request');
    assert.ok(requestBtn, `not blocked: ${cardText(preCard)}`);

    const asked = await stack.h.click('request', requestBtn.data, { who: SANNE, conversationId: 'sales-ops', conversationType: 'groupChat', replyToId: 'pre-1' });
    assert.match(cardText(cardOf(asked)), /Change request 1\b/);
    await settle();

    const toPieter = stack.h.proactive.sent.find((s) => s.conversationId === 'pieter-chat');
    assert.ok(toPieter, "an approval card went to the approver's personal chat");
    const approvalCard = toPieter.activity.attachments![0]!.content as any;
    const approveBtn = actionsOf(approvalCard).find((a) => a.verb === 'approve')!;
    assert.deepEqual(approveBtn.data, { requestId: '1', version: 1, lang: 'en' });
    const inGroup = stack.h.proactive.sent.find((s) => s.conversationId === 'sales-ops');
    assert.ok(inGroup, 'and one into the group chat, with refresh for the approvers');
    assert.ok((inGroup.activity.attachments![0]!.content as any).refresh.userIds.includes('29:pieter'));

    // Sanne cannot approve her own request.
    const own = await stack.h.click('approve', approveBtn.data, { who: SANNE, conversationId: 'sales-ops', conversationType: 'groupChat' });
    assert.match(cardText(cardOf(own)), /someone else has to approve/);
    const still = await stack.workflow.status('1');
    assert.equal(still.ok && still.request.state, 'pending');

    const approved = await stack.h.click(
      'approve',
      { ...approveBtn.data, reason: 'Budget agreed with Finance' },
      { who: PIETER, conversationId: 'pieter-chat', replyToId: toPieter.id },
    );
    assert.match(cardText(cardOf(approved)), /Approved — running…/);
    assert.deepEqual(actionsOf(cardOf(approved)), []);
    await settle();

    const final = await stack.workflow.status('1');
    assert.ok(final.ok);
    assert.equal(final.request.state, 'completed', JSON.stringify(final.request.result?.error ?? final.request.result?.worsened));
    const group = await stack.licenses.status({ kind: 'group', group: 'Sales' });
    assert.ok(group.licenses.some((l) => l.plan.skuId === E3));

    const notice = stack.h.proactive.sent.filter((s) => s.conversationId === 'sales-ops').map((s) => cardText(s.activity.attachments![0]!.content));
    assert.ok(
      notice.some((t) => /Change request 1 finished/.test(t) && /members done/.test(t)),
      notice.join('\n---\n'),
    );
    // Every card showing the request was updated in place along the way.
    assert.ok(stack.h.proactive.updated.some((u) => u.activity.id === toPieter.id));
    assert.ok(stack.h.proactive.updated.some((u) => u.activity.id === 'pre-1'));

    // The completion notice shows the seats as they are after the change, not the check's.
    const e3 = (await stack.licenses.listPlans()).find((p) => p.skuId === E3)!;
    const finished = notice.find((t) => /Change request 1 finished/.test(t))!;
    assert.ok(finished.includes(`Seats after the change\nOffice 365 E3: ${e3.available} of ${e3.enabled} free`), finished);
    assert.doesNotMatch(finished, /needed/);
    // The approver's reason is kept: on the request, in the audit trail, on the card, in status and history.
    assert.equal(final.request.result?.reason, 'Budget agreed with Finance');
    assert.equal((await stack.store.audit('1')).find((a) => a.action === 'approved')?.detail.reason, 'Budget agreed with Finance');
    const [status] = await stack.h.say('status 1', { who: SANNE });
    const statusText = cardText(cardOf(status!));
    assert.match(statusText, /Approved by\nPieter Bakker/);
    assert.match(statusText, /Reason given by Pieter Bakker: Budget agreed with Finance/);
    const [history] = await stack.h.say('history', { who: SANNE });
    assert.match(cardText(cardOf(history!)), /Approved by Pieter Bakker: Budget agreed with Finance/);
  });

  it('a rejected request says who rejected it and why, never "Approved by"; a cancelled one who cancelled it', async () => {
    for (const [n, how] of [
      ['1', 'reject'],
      ['2', 'cancel'],
    ] as const) {
      const [pre] = await stack.h.say('move group Sales to E3', { who: SANNE });
      const requestBtn = actionsOf(cardOf(pre!)).find((a) => a.verb === 'request')!;
      await stack.h.click('request', requestBtn.data, { who: SANNE, replyToId: `pre-${n}` });
      await settle();
      const who = how === 'reject' ? PIETER : SANNE;
      const card = cardOf(await stack.h.click(how, { requestId: n, version: 1, reason: 'Wait for the new budget' }, { who }));
      const text = cardText(card);
      assert.doesNotMatch(text, /Approved by/);
      assert.match(text, how === 'reject' ? /Rejected by\nPieter Bakker/ : /Cancelled by\nSanne de Vries/);
      assert.match(text, new RegExp(`Reason given by ${who.name}: Wait for the new budget`));
      const [nl] = await stack.h.say(`status ${n}`, { who: SANNE, locale: 'nl-NL' });
      assert.match(cardText(cardOf(nl!)), how === 'reject' ? /Afgewezen door\nPieter Bakker/ : /Geannuleerd door\nSanne de Vries/);
      await settle();
    }
  });

  it('a stale card, a non-approver and a forged request id change nothing', async () => {
    const [pre] = await stack.h.say('move group Sales to E3', { who: SANNE });
    const requestBtn = actionsOf(cardOf(pre!)).find((a) => a.verb === 'request')!;
    await stack.h.click('request', requestBtn.data, { who: SANNE, replyToId: 'pre-2' });
    await settle();
    const jan = await stack.licenses.resolveUser('jan.devries@contoso.example');
    const nobody = await stack.h.click('approve', { requestId: '1', version: 1 }, { who: { id: '29:jan', aadObjectId: jan!.id, name: 'Jan' } });
    assert.match(cardText(cardOf(nobody)), /not one of the approvers/);
    const stale = await stack.h.click('approve', { requestId: '1', version: 7 }, { who: PIETER });
    assert.match(cardText(cardOf(stale)), /out of date/);
    const forged = await stack.h.click('approve', { requestId: '99', version: 1 }, { who: PIETER });
    assert.match(cardText(cardOf(forged)), /There is no change request 99/);
    await settle();
    const r = await stack.workflow.status('1');
    assert.ok(r.ok);
    assert.equal(r.request.state, 'pending');
    const group = await stack.licenses.status({ kind: 'group', group: 'Sales' });
    assert.ok(!group.licenses.some((l) => l.plan.skuId === E3), 'no swap happened');
  });

  it('unknown plan and unknown group answer from the tenant', async () => {
    const [plan] = await stack.h.say('verplaats groep Verkoop naar E9', { who: SANNE });
    const text = cardText(cardOf(plan!));
    assert.match(text, /De tenant heeft geen licentieplan "E9"|Ik kan geen gebruiker of groep "Verkoop" vinden/);
    const [plan2] = await stack.h.say('move group Sales to E9', { who: SANNE });
    assert.match(cardText(cardOf(plan2!)), /The tenant has no plan called "E9"/);
    assert.match(cardText(cardOf(plan2!)), /Office 365 E5/);
    const [group] = await stack.h.say('move group Salez to E3', { who: SANNE });
    assert.match(cardText(cardOf(group!)), /can't find a user or group called "Salez"/);
  });

  it('a group that holds no plan itself (Marketing): no figures that do not apply, and a button that checks moving its members as users', async () => {
    const [reply] = await stack.h.say('move group Marketing from E1 to E3', { who: SANNE });
    const card = cardOf(reply!);
    const text = cardText(card);
    assert.match(text, /The group does not have the source plan/);
    assert.doesNotMatch(text, /include their direct copies/);
    // Nothing would move: no seats ("0 needed"), no users affected, no service lists.
    assert.doesNotMatch(text, /needed|Users affected|Services kept|Services lost|Services gained/);
    // The people the finding is about are the members, not the group being changed.
    const findings = text.slice(text.indexOf('Findings'));
    assert.match(findings, /Anouk van Wijk/);
    assert.doesNotMatch(findings, /Marketing/);
    assert.match(findings, /the first button below checks exactly that/);
    const button = actionsOf(card).find((a) => a.title === 'Check these 8 people as users');
    assert.ok(button, JSON.stringify(actionsOf(card).map((a) => a.title)));
    // The card carries a choice id, not the list of eight.
    const principal = (button.data as { principal: Record<string, unknown> }).principal;
    assert.equal(principal.kind, 'users');
    assert.equal(principal.count, 8);
    assert.equal(principal.users, undefined);
    const next = await stack.h.click('preflight', button.data, { who: SANNE });
    const second = cardText(cardOf(next));
    assert.match(second, /Preflight check/);
    assert.match(second, /Who\n8 users\n/);
    assert.doesNotMatch(second, /The source plan is not assigned here/);
    const [nl] = await stack.h.say('verplaats groep Marketing van E1 naar E3', { who: SANNE });
    const nlCard = cardOf(nl!);
    assert.ok(
      actionsOf(nlCard).some((a) => a.title === 'Controleer deze 8 als gebruikers'),
      JSON.stringify(actionsOf(nlCard).map((a) => a.title)),
    );
    assert.match(cardText(nlCard), /de eerste knop hieronder controleert precies dat/);
    // A click on a Dutch card answers in Dutch, whatever the client's locale says.
    const nlButton = actionsOf(nlCard).find((a) => a.title === 'Controleer deze 8 als gebruikers')!;
    const nlNext = cardText(cardOf(await stack.h.click('preflight', nlButton.data, { who: SANNE, locale: 'en-US' })));
    assert.match(nlNext, /Controle vooraf/);
    assert.match(nlNext, /Wie\n8 gebruikers\n/);
    // A choice id the bot does not know (an old card after a restart, or forged): a clear answer, nothing checked.
    const forged = await stack.h.click('preflight', { ...button.data, principal: { kind: 'users', choice: 'AAAAAAAAAAAAAAAAAAAAAAAA', count: 8 } }, { who: SANNE });
    assert.match(cardText(cardOf(forged)), /This card has expired/);
  });

  it('the guided card walks a real group through to its preflight', async () => {
    const s1 = await stack.h.click('guide', { step: 'source', principal: '', principalText: 'Engineering' }, { who: SANNE });
    const next = actionsOf(cardOf(s1)).find((a) => a.data?.step === 'target')!;
    const from = cardOf(s1).body.find((b: any) => b.id === 'from');
    const s2 = await stack.h.click('guide', { ...next.data, from: from.value }, { who: SANNE });
    const check = actionsOf(cardOf(s2)).find((a) => a.verb === 'preflight')!;
    const s3 = await stack.h.click('preflight', { ...check.data, to: E3 }, { who: SANNE });
    const text = cardText(cardOf(s3));
    assert.match(text, /Preflight check/);
    assert.match(text, /Engineering/);
    assert.match(text, /dynamic membership/i);
  });

  it('every finding the real preflight produces reads well in both languages', async () => {
    const specs = [
      { principal: { kind: 'group' as const, group: 'Sales' }, to: 'E3' },
      { principal: { kind: 'group' as const, group: 'Engineering' }, to: 'E5' },
      { principal: { kind: 'group' as const, group: 'Finance (AD sync)' }, to: 'E1' },
      { principal: { kind: 'user' as const, user: 'jan.devries@contoso.example' }, from: 'E1', to: 'E3' },
      { principal: { kind: 'user' as const, user: 'sophie.vandenberg@contoso.example' }, from: 'E3', to: 'E1' },
      { principal: { kind: 'user' as const, user: 'emma.janssen@contoso.example' }, from: 'E1', to: 'E3' },
    ];
    const codes = new Set<string>();
    for (const spec of specs) {
      const result = await stack.licenses.preflight(spec);
      for (const f of result.findings) codes.add(f.code);
      for (const t of [en, nl]) {
        const text = cardText(preflightCard(t, result, spec));
        assert.doesNotMatch(text, /undefined|\[object Object\]|NaN|see the list above|zie de lijst hierboven/, `${JSON.stringify(spec)}: ${text}`);
      }
    }
    assert.ok(codes.size >= 5, [...codes].join(', '));
  });

  it('type-ahead search finds sandbox users and groups', async () => {
    const res = await stack.h.invoke('application/search', { queryText: 'Sales', dataset: 'principals' }, { who: SANNE });
    const values = res.body.value.results.map((r: any) => r.title);
    assert.ok(
      values.some((t: string) => /^Sales/.test(t)),
      values.join(', '),
    );
  });
});

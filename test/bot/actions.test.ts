import assert from 'node:assert/strict';
import { actionsOf, cardOf, cardText, changeRequest, E1, E3, E5, finding, harness, ids, OTHER_TENANT, TENANT } from './fakes';

const SPEC = { principal: { kind: 'group', group: ids.sales }, from: E1.skuId, to: E3.skuId };
const CARD = 'application/vnd.microsoft.card.adaptive';
const ERROR = 'application/vnd.microsoft.error';

function noWrites(h: ReturnType<typeof harness>) {
  assert.equal(h.licenses.swap.callCount, 0, 'no swap');
  for (const m of ['request', 'approve', 'reject', 'cancel', 'undo'] as const) assert.equal(h.requests[m].callCount, 0, `no ${m}`);
}

describe('bot/actions: card verbs', () => {
  describe('preflight', () => {
    it('checks the change the card names and answers with the preflight card', async () => {
      const h = harness();
      const res = await h.click('preflight', SPEC);
      assert.equal(res.status, 200);
      assert.equal(res.body.type, CARD);
      assert.deepEqual(h.licenses.preflight.firstCall.args[0], SPEC);
      assert.match(cardText(cardOf(res)), /Preflight check/);
    });

    it('passes includeDirectCopies through', async () => {
      const h = harness();
      await h.click('preflight', { ...SPEC, includeDirectCopies: true });
      assert.equal(h.licenses.preflight.firstCall.args[0].includeDirectCopies, true);
    });

    it('from the guided card without a target asks again for the target', async () => {
      const h = harness();
      const res = await h.click('preflight', { principal: SPEC.principal, from: E1.skuId, to: '' });
      const card = cardOf(res);
      assert.match(cardText(card), /Pick the plan to move to/);
      assert.ok(card.body.some((b: any) => b.id === 'to'));
      assert.equal(h.licenses.preflight.callCount, 0);
    });
  });

  describe('request', () => {
    it('re-checks, creates the request with the actor from the activity, answers with a status card and updates the card for everyone', async () => {
      const h = harness();
      const res = await h.click('request', { spec: SPEC }, { who: 'alice', replyToId: 'preflight-card' });
      assert.equal(h.licenses.preflight.callCount, 1);
      const [actor, spec, preflight, conversationKey] = h.requests.request.firstCall.args;
      assert.equal(actor.id, ids.alice);
      assert.deepEqual(spec, SPEC);
      assert.equal(preflight.change.principal.id, ids.sales);
      assert.equal(conversationKey, 'conv:conv-1');
      const card = cardOf(res);
      assert.match(cardText(card), /Change request 12/);
      assert.match(cardText(card), /waiting for approval/i);
      assert.ok(!actionsOf(card).some((a) => a.verb === 'approve'), 'the requester gets no approve button');
      assert.deepEqual(
        (await h.bot.conv.cards('12')).map((c) => c.activityId),
        ['preflight-card'],
      );
      assert.equal(h.proactive.updated.length, 1);
      assert.equal(h.proactive.updated[0]!.activity.id, 'preflight-card');
    });

    it('a Teams retry of the same click does not create a second request', async () => {
      const h = harness();
      await h.click('request', { spec: SPEC }, { replyToId: 'same-card' });
      const again = await h.click('request', { spec: SPEC }, { replyToId: 'same-card' });
      assert.equal(h.requests.request.callCount, 1);
      assert.match(cardText(cardOf(again)), /Change request 12/);
    });

    it('when the re-check is now blocked it shows the preflight and asks nothing', async () => {
      const h = harness();
      h.licenses.preflightOptions.findings = [finding('SEATS_SHORT', 'block', [], { needed: 11, available: 0 })];
      const res = await h.click('request', { spec: SPEC });
      assert.match(cardText(cardOf(res)), /Not enough licenses/);
      assert.equal(h.requests.request.callCount, 0);
    });
  });

  describe('approve / run', () => {
    it('approve answers at once with a card without live buttons', async () => {
      const h = harness();
      const res = await h.click('approve', { requestId: '12', version: 1 }, { who: 'bob' });
      const [actor, id, version] = h.requests.approve.firstCall.args;
      assert.equal(actor.id, ids.bob);
      assert.equal(actor.tenantId.length > 0, true);
      assert.equal(id, '12');
      assert.equal(version, 1);
      const card = cardOf(res);
      assert.match(cardText(card), /Approved — running…/);
      assert.deepEqual(actionsOf(card), []);
      assert.equal(card.refresh, undefined);
      assert.deepEqual(
        (await h.bot.conv.cards('12')).map((c) => c.activityId),
        ['card-1'],
      );
    });

    it('run is an alias of approve', async () => {
      const h = harness();
      await h.click('run', { requestId: '12', version: 1 }, { who: 'bob' });
      assert.equal(h.requests.approve.callCount, 1);
    });

    it('a version given as text is accepted', async () => {
      const h = harness();
      await h.click('approve', { requestId: 12, version: '3' }, { who: 'bob' });
      assert.deepEqual(h.requests.approve.firstCall.args.slice(1), ['12', 3, undefined]);
    });

    it('approve passes the reason typed on the card', async () => {
      const h = harness();
      await h.click('approve', { requestId: '12', version: 1, reason: ' Budget agreed ' }, { who: 'bob' });
      assert.deepEqual(h.requests.approve.firstCall.args.slice(1), ['12', 1, 'Budget agreed']);
    });

    it('someone without rights gets the reason on the current card; nothing changes', async () => {
      const h = harness();
      h.requests.approve.resolves({ ok: false, reason: 'not_approver', message: 'You are not one of the approvers for license changes.', request: changeRequest() });
      const res = await h.click('approve', { requestId: '12', version: 1 }, { who: 'carol' });
      const card = cardOf(res);
      assert.match(cardText(card), /You are not one of the approvers/);
      assert.ok(!actionsOf(card).some((a) => a.verb === 'approve'));
      assert.equal(h.licenses.swap.callCount, 0);
    });

    it('own request: someone else has to approve (in Dutch for a Dutch client)', async () => {
      const h = harness();
      h.requests.approve.resolves({ ok: false, reason: 'own_request', message: 'own', request: changeRequest() });
      const res = await h.click('approve', { requestId: '12', version: 1 }, { who: 'alice', locale: 'nl-NL' });
      assert.match(cardText(cardOf(res)), /iemand anders moet haar goedkeuren/);
    });

    it('a stale card gets the current state and a clear message', async () => {
      const h = harness();
      h.requests.approve.resolves({ ok: false, reason: 'stale', message: 'stale', request: changeRequest({ version: 3 }) });
      const res = await h.click('approve', { requestId: '12', version: 1 }, { who: 'bob' });
      const text = cardText(cardOf(res));
      assert.match(text, /This card is out of date/);
      assert.match(text, /Change request 12/);
    });

    it("the approver's own retry shows where it stands, not an error", async () => {
      const h = harness();
      const r = changeRequest({ state: 'running', version: 3, approver: { id: ids.bob, tenantId: 't', name: 'Bob Bakker' } });
      h.requests.approve.resolves({ ok: false, reason: 'already_decided', message: 'already', request: r });
      const res = await h.click('approve', { requestId: '12', version: 1 }, { who: 'bob' });
      const text = cardText(cardOf(res));
      assert.match(text, /Approved — running…/);
      assert.doesNotMatch(text, /already been decided/);
    });
  });

  describe('reject / cancel / undo / refresh', () => {
    it('reject passes the typed reason', async () => {
      const h = harness();
      const res = await h.click('reject', { requestId: '12', version: 1, reason: 'Budget' }, { who: 'bob' });
      assert.deepEqual(h.requests.reject.firstCall.args.slice(1), ['12', 1, 'Budget']);
      const text = cardText(cardOf(res));
      assert.match(text, /Rejected/);
      assert.match(text, /Rejected by\nBob Bakker/);
      assert.match(text, /Reason given by Bob Bakker: Budget/);
    });

    it('cancel on a preflight card changes nothing and says so, for everyone', async () => {
      const h = harness();
      const res = await h.click('cancel', { stage: 'preflight' });
      assert.match(cardText(cardOf(res)), /Cancelled\. Nothing was changed\./);
      assert.equal(h.proactive.updated.length, 1);
      noWrites(h);
    });

    it('cancel of a request goes through the workflow', async () => {
      const h = harness();
      const res = await h.click('cancel', { requestId: '12', version: 1, lang: 'en' });
      assert.equal(h.requests.cancel.callCount, 1);
      assert.match(cardText(cardOf(res)), /Cancelled/);
    });

    it('undo asks for the reverse', async () => {
      const h = harness();
      const res = await h.click('undo', { requestId: '11' });
      assert.deepEqual(h.requests.undo.firstCall.args.slice(1), ['11', 'conv:conv-1']);
      assert.match(cardText(cardOf(res)), /Undo of change 11 requested as change request 13/);
    });

    it('refresh: an approver sees Approve/Reject with a reason field', async () => {
      const h = harness();
      await h.say('help', { who: 'bob', conversationId: 'bob-chat' }); // Bob's Teams id becomes known
      const res = await h.invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'refresh', data: { requestId: '12' } }, trigger: 'automatic' }, { who: 'bob' });
      const card = cardOf(res);
      assert.deepEqual(
        actionsOf(card).map((a) => a.verb),
        ['approve', 'reject'],
      );
      assert.deepEqual(actionsOf(card)[0]!.data, { requestId: '12', version: 1, lang: 'en' });
      assert.ok(card.body.some((b: any) => b.id === 'reason'));
      assert.deepEqual(card.refresh.userIds, ['29:bob']);
      assert.equal(card.refresh.action.verb, 'refresh');
    });

    it('refresh: a license administrator who cannot approve it sees the status', async () => {
      const h = harness();
      const res = await h.click('refresh', { requestId: '12' }, { who: 'alice' });
      assert.ok(!actionsOf(cardOf(res)).some((a) => a.verb === 'approve'));
      assert.match(cardText(cardOf(res)), /waiting for approval/i);
    });

    it('refresh: someone who is neither requester nor approver is politely refused', async () => {
      const h = harness();
      const res = await h.click('refresh', { requestId: '12' }, { who: 'carol' });
      assert.match(cardText(cardOf(res)), /only license administrators/i);
      assert.equal(h.requests.status.callCount, 0);
    });

    it('refresh of an unknown request says so', async () => {
      const h = harness();
      const res = await h.click('refresh', { requestId: '404' });
      assert.match(cardText(cardOf(res)), /There is no change request 404/);
    });
  });

  describe('guide', () => {
    it('principal -> the start screen', async () => {
      const h = harness();
      const res = await h.click('guide', { step: 'principal' });
      assert.ok(cardOf(res).body.some((b: any) => b.id === 'principal'));
    });

    it('source: a picked principal shows its current plans', async () => {
      const h = harness();
      const res = await h.click('guide', { step: 'source', principal: `user:${ids.alice}`, principalText: '' });
      const card = cardOf(res);
      const from = card.body.find((b: any) => b.id === 'from');
      assert.deepEqual(
        from.choices.map((c: any) => c.value),
        [E1.skuId, 'c7df2760-2c81-4ef7-b578-5b5392b571df'],
      );
      assert.deepEqual(actionsOf(card)[0]!.data, { step: 'target', principal: { kind: 'user', id: ids.alice }, lang: 'en' });
    });

    it('source: the typed fallback looks the name up', async () => {
      const h = harness();
      const res = await h.click('guide', { step: 'source', principal: '', principalText: 'Sales' });
      assert.match(cardText(cardOf(res)), /Which plan of Sales should be replaced/);
    });

    it('source: nothing picked or typed asks again', async () => {
      const h = harness();
      const res = await h.click('guide', { step: 'source' });
      assert.match(cardText(cardOf(res)), /Pick or type a user or group first/);
    });

    it('target: assignable plans other than the source, with free seats; the button runs the preflight', async () => {
      const h = harness();
      const res = await h.click('guide', { step: 'target', principal: { kind: 'group', id: ids.sales }, from: E1.skuId });
      const card = cardOf(res);
      const to = card.body.find((b: any) => b.id === 'to');
      assert.deepEqual(
        to.choices.map((c: any) => c.title),
        ['Office 365 E3 (15 free)', 'Office 365 E5 (0 free)'],
      );
      const check = actionsOf(card).find((a) => a.verb === 'preflight')!;
      assert.deepEqual(check.data, { principal: { kind: 'group', group: ids.sales }, from: E1.skuId, lang: 'en' });
    });

    it('target: "add another plan" redraws the card with the pick kept and a second picker; Check sends every target in one change', async () => {
      const h = harness();
      const first = cardOf(await h.click('guide', { step: 'target', principal: { kind: 'group', id: ids.sales }, from: E1.skuId }));
      const add = actionsOf(first).find((a) => a.verb === 'guide' && a.title === 'Add another plan')!;
      assert.ok(add, JSON.stringify(actionsOf(first).map((a) => a.title)));
      assert.deepEqual(add.data, { step: 'target', principal: { kind: 'group', id: ids.sales }, from: E1.skuId, extra: 1, lang: 'en' });
      // Teams merges the inputs into the clicked action's data.
      const second = cardOf(await h.click('guide', { ...add.data, to: E3.skuId }));
      assert.equal(second.body.find((b: any) => b.id === 'to').value, E3.skuId);
      const picker = second.body.flatMap((b: any) => b.items ?? []).find((b: any) => b.id === 'alsoTo1');
      assert.ok(picker, JSON.stringify(second.body));
      assert.match(cardText(second), /Plan 2, added in the same change/);
      // At most as many pickers as there are other plans: E3 and E5 here, so no third.
      assert.equal(
        actionsOf(second).some((a) => a.title === 'Add another plan'),
        false,
      );
      const check = actionsOf(second).find((a) => a.verb === 'preflight')!;
      await h.click('preflight', { ...check.data, to: E3.skuId, alsoTo1: E5.skuId });
      const spec = h.licenses.preflight.firstCall.args[0];
      assert.equal(spec.to, E3.skuId);
      assert.deepEqual(spec.alsoTo, [E5.skuId]);
      // Left empty: a single-plan change as before.
      await h.click('preflight', { ...check.data, to: E3.skuId, alsoTo1: '' });
      assert.equal(h.licenses.preflight.secondCall.args[0].alsoTo, undefined);
    });

    it('target in Dutch: "Nog een licentieplan toevoegen"', async () => {
      const h = harness();
      const card = cardOf(
        await h.click('guide', { step: 'target', principal: { kind: 'group', id: ids.sales }, from: E1.skuId, extra: 1, to: E3.skuId, lang: 'nl' }, { locale: 'nl-NL' }),
      );
      assert.match(cardText(card), /Licentieplan 2, in dezelfde wijziging erbij/);
    });

    it('target without a source asks for the source', async () => {
      const h = harness();
      const res = await h.click('guide', { step: 'target', principal: { kind: 'group', id: ids.sales }, from: '' });
      assert.match(cardText(cardOf(res)), /Pick the plan to replace/);
    });
  });

  describe('bad input changes nothing', () => {
    const cases: [string, unknown][] = [
      ['approve without data', undefined],
      ['approve without a version', { requestId: '12' }],
      ['approve with a forged request id object', { requestId: { $ne: 1 }, version: 1 }],
      ['approve with a negative version', { requestId: '12', version: -1 }],
    ];
    for (const [name, data] of cases) {
      it(name, async () => {
        const h = harness();
        const res = await h.click('approve', data, { who: 'bob' });
        assert.equal(res.status, 200);
        assert.match(cardText(cardOf(res)), /This card is damaged or out of date/);
        noWrites(h);
      });
    }

    it('request with a forged spec', async () => {
      const h = harness();
      const res = await h.click('request', { spec: { principal: { kind: 'everyone' }, to: 'E3' } });
      assert.match(cardText(cardOf(res)), /damaged or out of date/);
      assert.equal(h.licenses.preflight.callCount, 0);
      noWrites(h);
    });

    it('a picked principal that is not a choice value', async () => {
      const h = harness();
      const res = await h.click('guide', { step: 'source', principal: 'drop table' });
      assert.match(cardText(cardOf(res)), /damaged or out of date/);
    });

    it('the bad-card message is Dutch for a Dutch client', async () => {
      const h = harness();
      const res = await h.click('approve', {}, { who: 'bob', locale: 'nl-BE' });
      assert.match(cardText(cardOf(res)), /Deze kaart is beschadigd of verouderd/);
    });

    it('an unknown verb gets a proper error answer', async () => {
      const h = harness();
      const res = await h.click('format-disk', {});
      assert.equal(res.status, 400);
      assert.equal(res.body.type, ERROR);
      assert.match(res.body.value.message, /format-disk/);
      noWrites(h);
    });

    it('a malformed invoke (no action) gets a proper error answer, not an empty 501', async () => {
      const h = harness();
      const res = await h.invoke('adaptiveCard/action', { nothing: true });
      assert.equal(res.status, 400);
      assert.equal(res.body.type, ERROR);
      assert.match(res.body.value.message, /could not be read/);
    });

    it('an Action.Submit-style value is refused with an error', async () => {
      const h = harness();
      const res = await h.invoke('adaptiveCard/action', { action: { type: 'Action.Submit', verb: 'approve', data: {} } });
      assert.equal(res.status, 400);
      noWrites(h);
    });

    it('an unknown invoke name gets an error answer with a body', async () => {
      const h = harness();
      const res = await h.invoke('composeExtension/query', {});
      assert.equal(res.status, 501);
      assert.equal(res.body.type, ERROR);
    });

    it('another tenant clicking Approve is refused and nothing is called', async () => {
      const h = harness();
      const res = await h.click('approve', { requestId: '12', version: 1 }, { who: 'bob', tenantId: OTHER_TENANT });
      assert.match(cardText(cardOf(res)), /only serves its own organization/);
      noWrites(h);
      assert.equal(h.licenses.resolveUser.callCount, 0);
    });

    it('an approval whose conversation and channelData name different tenants is refused either way round', async () => {
      for (const [tenantId, channelTenantId] of [
        [TENANT, OTHER_TENANT],
        [OTHER_TENANT, TENANT],
      ] as const) {
        const h = harness();
        const res = await h.click('approve', { requestId: '12', version: 1 }, { who: 'bob', tenantId, channelTenantId });
        assert.match(cardText(cardOf(res)), /only serves its own organization/);
        assert.equal(h.requests.approve.callCount, 0, `${tenantId} / ${channelTenantId}`);
        noWrites(h);
      }
      // The same click with both tenants ours goes through.
      const h = harness();
      await h.click('approve', { requestId: '12', version: 1 }, { who: 'bob' });
      assert.equal(h.requests.approve.callCount, 1);
    });

    it('an unknown person clicking Approve is refused politely', async () => {
      const h = harness();
      const res = await h.click('approve', { requestId: '12', version: 1 }, { who: { id: '29:x', aadObjectId: '12345678-1234-4234-8234-123456789012' } });
      assert.match(cardText(cardOf(res)), /can't find you/);
      noWrites(h);
    });

    it('an exception inside a handler becomes an error answer', async () => {
      const h = harness();
      h.licenses.preflight.rejects(new Error('boom'));
      const res = await h.click('preflight', SPEC);
      assert.equal(res.status, 500);
      assert.equal(res.body.type, ERROR);
      assert.match(res.body.value.message, /Something went wrong/);
    });
  });
  describe('a user with no rights (not in REQUESTERS or APPROVERS)', () => {
    const spec = { principal: { kind: 'group', group: ids.sales }, from: 'E1', to: 'E3' };
    const cases: [string, unknown][] = [
      ['preflight', spec],
      ['request', { spec }],
      ['undo', { requestId: '12' }],
      ['guide', { step: 'source', principalText: 'Sales' }],
      ['refresh', { requestId: '12' }],
    ];
    for (const [verb, data] of cases) {
      it(`${verb}: a polite refusal card; nothing looked up or changed`, async () => {
        const h = harness();
        const res = await h.click(verb, data, { who: 'carol' });
        assert.equal(res.status, 200);
        assert.match(cardText(cardOf(res)), /Sorry, only license administrators/);
        assert.equal(h.licenses.preflight.callCount + h.licenses.status.callCount + h.licenses.findPrincipals.callCount, 0);
        assert.equal(h.requests.request.callCount + h.requests.undo.callCount + h.requests.status.callCount, 0);
      });
    }

    it('in Dutch for a Dutch client', async () => {
      const h = harness();
      const res = await h.click('request', { spec }, { who: 'carol', locale: 'nl-NL' });
      assert.match(cardText(cardOf(res)), /alleen licentiebeheerders/);
    });

    it('type-ahead search answers 403 and searches nothing', async () => {
      const h = harness();
      const res = await h.invoke('application/search', { queryText: 'Sal', dataset: 'principals' }, { who: 'carol' });
      assert.equal(res.status, 403);
      assert.match(res.body.value.message, /only license administrators/);
      assert.equal(h.licenses.findPrincipals.callCount, 0);
    });

    it("approve still gets the approvers' answer (not one of the approvers)", async () => {
      const h = harness();
      h.requests.approve.resolves({ ok: false, reason: 'not_approver', message: 'You are not one of the approvers for license changes.', request: changeRequest() });
      const res = await h.click('approve', { requestId: '12', version: 1 }, { who: 'carol' });
      assert.match(cardText(cardOf(res)), /not one of the approvers/);
    });
  });
});

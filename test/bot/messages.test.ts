import assert from 'node:assert/strict';
import { LicensingError } from '../../src/licensing/model';
import { actionsOf, cardOf, cardText, E1, E3, finding, harness, ids, OTHER_TENANT, people } from './fakes';

const noWrites = (h: ReturnType<typeof harness>) => {
  assert.equal(h.licenses.swap.callCount, 0, 'no swap');
  assert.equal(h.requests.request.callCount, 0, 'no request');
  assert.equal(h.requests.approve.callCount, 0, 'no approval');
  assert.equal(h.requests.undo.callCount, 0, 'no undo');
};

describe('bot/messages: chat commands', () => {
  it('help answers with the help card and a button to the guided card', async () => {
    const h = harness();
    const [reply] = await h.say('help');
    const card = cardOf(reply!);
    assert.equal(card.version, '1.5');
    assert.match(cardText(card), /move group Sales to E3/);
    assert.deepEqual(
      actionsOf(card).map((a) => a.verb),
      ['guide'],
    );
  });

  it('hulp answers in Dutch even with an English locale', async () => {
    const h = harness();
    const [reply] = await h.say('hulp', { locale: 'en-US' });
    assert.match(cardText(cardOf(reply!)), /verplaats groep Verkoop naar E3/);
    assert.match(cardText(cardOf(reply!)), /Opdrachten/);
  });

  it('a Dutch locale gets Dutch replies for neutral commands', async () => {
    const h = harness();
    const [reply] = await h.say('status Sales', { locale: 'nl-NL' });
    assert.match(cardText(cardOf(reply!)), /Licentietoewijzingen van Sales/);
  });

  it('new sends the guided card with the type-ahead picker and the typed fallback', async () => {
    const h = harness();
    const [reply] = await h.say('new');
    const card = cardOf(reply!);
    const picker = card.body.find((b: any) => b.id === 'principal');
    assert.equal(picker.type, 'Input.ChoiceSet');
    assert.equal(picker.style, 'filtered');
    assert.deepEqual(picker['choices.data'], { type: 'Data.Query', dataset: 'principals' });
    assert.ok(card.body.find((b: any) => b.id === 'principalText' && b.type === 'Input.Text'));
    assert.deepEqual(actionsOf(card)[0]!.data, { step: 'source', lang: 'en' });
  });

  it('plans / licenties list the plans with free seats', async () => {
    const h = harness();
    const en = cardText(cardOf((await h.say('plans'))[0]!));
    assert.match(en, /Plans in this tenant/);
    assert.match(en, /Office 365 E3/);
    assert.match(en, /\b15\b/); // E3: 25 - 10 free
    const nl = cardText(cardOf((await h.say('licenties'))[0]!));
    assert.match(nl, /Licentieplannen in deze tenant/);
  });

  describe('move', () => {
    it('move group Sales to E3: preflight card with Request approval and Cancel', async () => {
      const h = harness();
      const [reply] = await h.say('move group Sales to E3');
      assert.deepEqual(h.licenses.preflight.firstCall.args[0], { principal: { kind: 'group', group: 'Sales' }, to: 'E3' });
      const card = cardOf(reply!);
      const text = cardText(card);
      assert.match(text, /Preflight check/);
      assert.match(text, /Sales/);
      assert.match(text, /Office 365 E1/);
      assert.match(text, /Office 365 E3/);
      assert.match(text, /11 needed, 15 available/);
      const actions = actionsOf(card);
      assert.deepEqual(
        actions.map((a) => a.verb),
        ['request', 'cancel'],
      );
      // The button carries the change as checked: ids, not names.
      assert.deepEqual(actions[0]!.data, { spec: { principal: { kind: 'group', group: ids.sales }, from: E1.skuId, to: E3.skuId }, lang: 'en' });
      noWrites(h);
    });

    it('move user … from E1 to E3 passes the user and the source', async () => {
      const h = harness();
      await h.say('move user alice@contoso.example from E1 to E3');
      assert.deepEqual(h.licenses.preflight.firstCall.args[0], { principal: { kind: 'user', user: 'alice@contoso.example' }, from: 'E1', to: 'E3' });
    });

    it('verplaats gebruiker … van E1 naar E3 answers in Dutch', async () => {
      const h = harness();
      const [reply] = await h.say('verplaats gebruiker alice@contoso.example van E1 naar E3');
      const text = cardText(cardOf(reply!));
      assert.match(text, /Controle vooraf/);
      assert.deepEqual(
        actionsOf(cardOf(reply!)).map((a) => a.title),
        ['Goedkeuring aanvragen', 'Annuleren'],
      );
    });

    it('move Sales to E3 looks the name up and picks the exact match', async () => {
      const h = harness();
      await h.say('move Sales to E3');
      assert.equal(h.licenses.findPrincipals.firstCall.args[0], 'Sales');
      assert.deepEqual(h.licenses.preflight.firstCall.args[0].principal, { kind: 'group', group: ids.sales });
    });

    it('an ambiguous name gets a card to choose, each choice re-runs the preflight', async () => {
      const h = harness();
      const [reply] = await h.say('move Sal to E3'); // Sales, Sales Interns
      const card = cardOf(reply!);
      assert.match(cardText(card), /More than one user or group matches "Sal"/);
      const actions = actionsOf(card);
      assert.ok(actions.length >= 1);
      assert.ok(actions.every((a) => a.verb === 'preflight' && a.data.to === 'E3'));
      assert.equal(h.licenses.preflight.callCount, 0);
    });

    it('an unknown group gets suggestions', async () => {
      const h = harness();
      const [reply] = await h.say('move group Salez to E3');
      const card = cardOf(reply!);
      assert.match(cardText(card), /can't find a user or group called "Salez"/);
      assert.match(cardText(card), /Did you mean/);
      assert.ok(actionsOf(card).some((a) => a.verb === 'preflight' && a.data.principal.group === ids.sales));
      noWrites(h);
    });

    it('an unknown name with nothing similar says so', async () => {
      const h = harness();
      const [reply] = await h.say('move Zebra to E3');
      assert.match(cardText(cardOf(reply!)), /can't find a user or group called "Zebra"/);
      assert.equal(h.licenses.preflight.callCount, 0);
    });

    it("an unknown plan lists the tenant's plans, each a choice", async () => {
      const h = harness();
      const [reply] = await h.say('move group Sales to E9');
      const card = cardOf(reply!);
      const text = cardText(card);
      assert.match(text, /no plan called "E9"/);
      assert.match(text, /Office 365 E1/);
      assert.match(text, /Office 365 E5/);
      const targets = actionsOf(card).map((a) => a.data.to);
      assert.deepEqual(targets.sort(), [E1.skuId, E3.skuId, '' + 'c7df2760-2c81-4ef7-b578-5b5392b571df'].sort());
      noWrites(h);
    });

    it('a missing source with more than one candidate asks on a card', async () => {
      const h = harness();
      h.licenses.preflightOptions.ambiguousSource = true;
      const [reply] = await h.say('move user alice@contoso.example to E3');
      const card = cardOf(reply!);
      assert.match(cardText(card), /Alice de Vries \(alice@contoso\.example\) has more than one plan/);
      const choices = actionsOf(card);
      assert.deepEqual(
        choices.map((c) => c.data.from),
        [E1.skuId, 'c7df2760-2c81-4ef7-b578-5b5392b571df'],
      );
      assert.ok(choices.every((c) => c.verb === 'preflight'));
    });

    it('a blocked preflight says what to fix and has no request button', async () => {
      const h = harness();
      h.licenses.preflightOptions.findings = [finding('SEATS_SHORT', 'block', [], { needed: 11, available: 3 })];
      const [reply] = await h.say('move group Sales to E3');
      const card = cardOf(reply!);
      assert.match(cardText(card), /cannot run until the blocking findings are fixed/);
      assert.match(cardText(card), /Not enough licenses: 11 needed, 3 available/);
      assert.ok(!actionsOf(card).some((a) => a.verb === 'request'));
    });

    it('a group whose members also hold the source elsewhere offers the re-check with direct copies', async () => {
      const h = harness();
      h.licenses.preflightOptions.findings = [finding('SOURCE_ALSO_ELSEWHERE', 'warn', [people.alice])];
      const [reply] = await h.say('move group Sales to E3');
      const again = actionsOf(cardOf(reply!)).find((a) => a.verb === 'preflight');
      assert.ok(again);
      assert.equal(again.data.includeDirectCopies, true);
    });

    it('an incomplete move says what is missing', async () => {
      const h = harness();
      const [r1] = await h.say('move group Sales');
      assert.match(String(r1!.text), /To which plan/);
      const [r2] = await h.say('verplaats naar E3');
      assert.match(String(r2!.text), /Wie moet er verplaatst worden/);
    });

    it('a Graph failure is explained and nothing is changed', async () => {
      const h = harness();
      h.licenses.preflight.rejects(new LicensingError('GRAPH_ERROR', 'Microsoft Graph: throttled (429)'));
      const [reply] = await h.say('move group Sales to E3');
      assert.match(cardText(cardOf(reply!)), /Microsoft Graph could not answer/);
      noWrites(h);
    });
  });

  describe('status, history, pending, undo', () => {
    it("status Sales shows the group's licenses", async () => {
      const h = harness();
      const [reply] = await h.say('status Sales');
      const text = cardText(cardOf(reply!));
      assert.match(text, /Licenses of Sales/);
      assert.match(text, /Office 365 E1/);
    });

    it('status 12 shows the change request and remembers the card', async () => {
      const h = harness();
      const [reply] = await h.say('status 12');
      assert.match(cardText(cardOf(reply!)), /Change request 12/);
      assert.equal((await h.bot.conv.cards('12')).length, 1);
    });

    it('status without a name asks which', async () => {
      const h = harness();
      const [reply] = await h.say('status');
      assert.match(String(reply!.text), /Status of which user/);
    });

    it('history / geschiedenis list recent changes', async () => {
      const h = harness();
      const en = cardText(cardOf((await h.say('history'))[0]!));
      assert.match(en, /Recent changes/);
      assert.match(en, /#11 Sales: Office 365 E1 → Office 365 E3 — completed/);
      const nl = cardText(cardOf((await h.say('geschiedenis'))[0]!));
      assert.match(nl, /Recente wijzigingen/);
      assert.match(nl, /voltooid/);
    });

    it('pending lists requests this person may approve', async () => {
      const h = harness();
      const [reply] = await h.say('pending', { who: 'bob' });
      assert.equal(h.requests.pending.firstCall.args[0].id, ids.bob);
      const card = cardOf(reply!);
      assert.match(cardText(card), /Waiting for approval/);
      assert.deepEqual(actionsOf(card)[0], { title: 'Open', verb: 'refresh', data: { requestId: '12', lang: 'en' } });
    });

    it('undo 12 / ongedaan maken 12 ask the workflow for the reverse', async () => {
      const h = harness();
      const [reply] = await h.say('undo 12');
      assert.deepEqual(h.requests.undo.firstCall.args, [{ id: ids.alice, tenantId: h.requests.undo.firstCall.args[0].tenantId, name: 'Alice de Vries' }, '12', 'conv:conv-1']);
      assert.match(cardText(cardOf(reply!)), /Undo of change 12 requested as change request 13/);
      const [nl] = await h.say('ongedaan maken 12');
      assert.match(cardText(cardOf(nl!)), /Ongedaan maken van wijziging 12 aangevraagd/);
    });

    it('undo of something that cannot be undone says so', async () => {
      const h = harness();
      h.requests.undo.resolves({ ok: false, reason: 'unknown', message: 'There is no request 99.' });
      const [reply] = await h.say('undo 99');
      assert.match(cardText(cardOf(reply!)), /There is no change request 99/);
    });

    it('undo without a number asks which', async () => {
      const h = harness();
      const [reply] = await h.say('undo');
      assert.match(String(reply!.text), /Which change should I undo/);
      assert.equal(h.requests.undo.callCount, 0);
    });
  });

  it('unknown text gets a pointer to help (and the text is escaped)', async () => {
    const h = harness();
    const [reply] = await h.say('do the *thing*');
    assert.match(String(reply!.text), /I didn't understand "do the \\\*thing\\\*"/);
  });

  describe('a user with no rights (not in REQUESTERS or APPROVERS)', () => {
    const carol = 'carol' as const;
    for (const text of [
      'move group Sales to E3',
      'move user bob@contoso.example from E1 to E3',
      'move group Sales',
      'new',
      'undo 12',
      'status 12',
      'status Sales',
      'history',
      'pending',
    ]) {
      it(`"${text}": a polite refusal, nothing looked up or changed`, async () => {
        const h = harness();
        const replies = await h.say(text, { who: carol });
        assert.equal(replies.length, 1);
        assert.match(String(replies[0]!.text), /Sorry, only license administrators can check, request or undo license changes/);
        assert.equal(h.licenses.preflight.callCount, 0);
        assert.equal(h.licenses.status.callCount, 0);
        assert.equal(h.licenses.findPrincipals.callCount, 0);
        assert.equal(h.requests.status.callCount + h.requests.history.callCount + h.requests.pending.callCount, 0);
        noWrites(h);
      });
    }

    it('is refused in Dutch for a Dutch command or locale', async () => {
      const h = harness();
      const [a] = await h.say('verplaats groep Verkoop naar E3', { who: carol });
      assert.match(String(a!.text), /alleen licentiebeheerders kunnen licentiewijzigingen controleren/);
      const [b] = await h.say('status 12', { who: carol, locale: 'nl-NL' });
      assert.match(String(b!.text), /alleen licentiebeheerders/);
      noWrites(h);
    });

    it('may still ask for help and the plans', async () => {
      const h = harness();
      const [help] = await h.say('help', { who: carol });
      assert.match(cardText(cardOf(help!)), /move group Sales to E3/);
      const [plans] = await h.say('plans', { who: carol });
      assert.match(cardText(cardOf(plans!)), /Office 365 E3/);
    });

    it('an approver who is not a requester may look at status and history, but not ask for changes', async () => {
      const h = harness({ requesters: { isRequester: async () => false } });
      const [status] = await h.say('status 12', { who: 'bob' });
      assert.match(cardText(cardOf(status!)), /Change request 12/);
      const [move] = await h.say('move group Sales to E3', { who: 'bob' });
      assert.match(String(move!.text), /only license administrators/);
      noWrites(h);
    });
  });

  describe('the gate', () => {
    it('refuses another tenant with a clear message and calls nothing', async () => {
      const h = harness();
      const [reply] = await h.say('move group Sales to E3', { tenantId: OTHER_TENANT });
      assert.match(String(reply!.text), /only serves its own organization/);
      assert.equal(h.licenses.preflight.callCount, 0);
      assert.equal(h.licenses.resolveUser.callCount, 0);
      assert.equal(h.refs.map.size, 0, 'nothing stored for a foreign tenant');
      noWrites(h);
    });

    it('refuses another tenant in Dutch for a Dutch command', async () => {
      const h = harness();
      const [reply] = await h.say('verplaats groep Verkoop naar E3', { tenantId: OTHER_TENANT });
      assert.match(String(reply!.text), /werkt alleen voor de eigen organisatie/);
    });

    it('refuses an unknown person politely', async () => {
      const h = harness();
      const [reply] = await h.say('plans', { who: { id: '29:ghost', aadObjectId: '12345678-1234-4234-8234-123456789012' } });
      assert.match(String(reply!.text), /can't find you in this organization's directory/);
      assert.equal(h.licenses.listPlans.callCount, 0);
    });

    it('refuses an activity without an Entra object id', async () => {
      const h = harness();
      const [reply] = await h.say('plans', { who: { id: '29:anon' } });
      assert.match(String(reply!.text), /can't tell who you are/);
    });

    it('stores the conversation reference (and the personal chat) of accepted activities', async () => {
      const h = harness();
      await h.say('help');
      const ref = h.refs.getConversationRef('conv:conv-1') as any;
      assert.equal(ref.conversation.id, 'conv-1');
      assert.equal(ref.serviceUrl, 'https://smba.example/');
      assert.ok(h.refs.getConversationRef(`personal:${ids.alice}`));
      assert.deepEqual(h.refs.getConversationRef(`member:${ids.alice}`), { teamsId: '29:alice', name: 'Alice de Vries' });
    });

    it('looks the person up once and caches them', async () => {
      const h = harness();
      await h.say('help');
      await h.say('help');
      assert.equal(h.licenses.resolveUser.callCount, 1);
    });
  });
});

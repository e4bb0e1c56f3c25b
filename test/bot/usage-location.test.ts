// Issue 13 part 6 in chat, on the demo tenant (Joost van Dam has no usage location): the preflight
// card offers to set it (the organization's country, editable) when the app may; the click checks
// again with the fix; request, approval by another admin, the run, the completion notice, history
// and the undo card all say whose usage location was set. A bad code and a missing permission get
// a clear answer in English and Dutch, and change nothing.
import assert from 'node:assert/strict';
import { withSandbox } from '../helpers/sandbox';
import { mayWriteUsageLocation } from '../../src/doctor/permissions';
import { usageLocationWritableFrom } from '../../src/doctor/token';
import { actionsOf, cardOf, cardText } from './fakes';
import { DEMO_TENANT_FILE, PIETER, SANNE, demoStackPerSpec } from './demo-stack';
import { parseCommand } from '../../src/bot/parser';

const JOOST = 'joost.vandam@contoso.example';
const MOVE_JOOST = `move user ${JOOST} from E1 to E3`;

/** Every element of a card (body and nested), to find an input by id. */
function elements(card: any): any[] {
  const out: any[] = [];
  const walk = (v: any) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    if (v.type) out.push(v);
    for (const k of ['body', 'items', 'columns']) if (v[k]) walk(v[k]);
  };
  walk(card);
  return out;
}

describe('bot: usage location fixed in the change (demo tenant)', function () {
  this.timeout(30_000);
  const sb = withSandbox(DEMO_TENANT_FILE, { resetEach: true });
  let writable: () => Promise<boolean>;
  const stack = demoStackPerSpec(sb, {
    license: (g) => {
      // As the entry points do it: the permission from the token (the demo tenant grants every one).
      writable = usageLocationWritableFrom(() => g.accessToken(), mayWriteUsageLocation);
      return { usageLocationWritable: () => writable() };
    },
  });
  const { settle } = stack;

  it('offer, check with the fix, request, approval, run, notice, history and undo', async () => {
    await stack.h.say('help', { who: PIETER, conversationId: 'pieter-chat', conversationType: 'personal' });
    const [pre] = await stack.h.say(MOVE_JOOST, { who: SANNE, conversationId: 'ops', conversationType: 'groupChat' });
    const card = cardOf(pre!);
    const text = cardText(card);
    assert.match(text, /cannot run until the blocking findings are fixed/);
    assert.match(text, /Plan Switch can set it to Netherlands \(NL\), the organization's country, or another country, as part of this change/);
    const input = elements(card).find((e) => e.type === 'Input.Text' && e.id === 'usageLocationCountry');
    assert.ok(input, 'an input for the country');
    assert.equal(input.value, 'NL');
    const fix = actionsOf(card)[0]!;
    assert.equal(fix.title, 'Set usage location to NL first');
    assert.match(input.label, /for this person/, 'whose usage location: said by the input, not the button');
    assert.equal(fix.verb, 'preflight');
    assert.equal(fix.data.setUsageLocation.country, 'NL');
    assert.equal(actionsOf(card).filter((a) => a.verb === 'request').length, 0);

    // The admin picks Belgium in the input, then clicks: checked again with the fix, ready.
    const again = await stack.h.click(
      'preflight',
      { ...fix.data, usageLocationCountry: 'be' },
      { who: SANNE, conversationId: 'ops', conversationType: 'groupChat', replyToId: 'pre-0' },
    );
    const fixed = cardOf(again);
    assert.match(cardText(fixed), /Usage location will be set to Belgium \(BE\) for 1 person before the license change/);
    assert.doesNotMatch(cardText(fixed), /No usage location/);
    const request = actionsOf(fixed).find((a) => a.verb === 'request')!;
    assert.ok(request, cardText(fixed));
    assert.deepEqual(request.data.spec.setUsageLocation, { country: 'BE' });

    const asked = await stack.h.click('request', request.data, { who: SANNE, conversationId: 'ops', conversationType: 'groupChat', replyToId: 'pre-1' });
    assert.match(cardText(cardOf(asked)), /Change request 1\b/);
    assert.match(cardText(cardOf(asked)), /Usage location will be set to Belgium \(BE\)/);
    await settle();
    const stored = await stack.workflow.status('1');
    assert.ok(stored.ok);
    // The approval covers exactly Joost.
    const joost = stored.request.preflight.change.setUsageLocation!.users[0]!;
    assert.equal(joost.userPrincipalName, JOOST);
    assert.deepEqual(stored.request.spec.setUsageLocation, { country: 'BE', userIds: [joost.id] });

    const toPieter = stack.h.proactive.sent.find((s) => s.conversationId === 'pieter-chat')!;
    const approvalText = cardText(toPieter.activity.attachments![0]!.content);
    assert.match(approvalText, /Usage location will be set to Belgium \(BE\) for 1 person/);
    const approve = actionsOf(toPieter.activity.attachments![0]!.content).find((a) => a.verb === 'approve')!;
    await stack.h.click('approve', approve.data, { who: PIETER, conversationId: 'pieter-chat', replyToId: toPieter.id });
    await settle();

    const done = await stack.workflow.status('1');
    assert.ok(done.ok);
    assert.equal(done.request.state, 'completed', JSON.stringify(done.request.result));
    const user = await sb.get(`/users/${JOOST}?$select=usageLocation,assignedLicenses`);
    assert.equal(user.body.usageLocation, 'BE');
    assert.ok(user.body.assignedLicenses.some((l: { skuId: string }) => l.skuId === '6fd2c87f-b296-42f0-b197-1e91e994b900'));

    // Audited: the run's record names whose usage location was set.
    const audit = await stack.store.audit('1');
    const started = audit.find((a) => a.action === 'swap-started')!;
    assert.deepEqual(started.detail.setUsageLocation, { country: 'BE', users: 1 });
    const finished = audit.find((a) => a.action === 'swap-finished')!;
    assert.deepEqual((finished.detail.usageLocation as any).set, [{ id: joost.id, displayName: 'Joost van Dam' }]);

    const notice = stack.h.proactive.sent
      .filter((s) => s.conversationId === 'ops')
      .map((s) => cardText(s.activity.attachments![0]!.content))
      .find((t) => /Change request 1 finished/.test(t))!;
    assert.match(notice, /Usage location set to Belgium \(BE\) for 1 person/);
    assert.match(notice, /Joost van Dam/);

    const [status] = await stack.h.say('status 1', { who: SANNE, conversationId: 'ops', conversationType: 'groupChat' });
    assert.match(cardText(cardOf(status!)), /Usage location set to Belgium \(BE\) for 1 person: Joost van Dam/);
    const [history] = await stack.h.say('history', { who: SANNE, conversationId: 'ops', conversationType: 'groupChat' });
    assert.match(cardText(cardOf(history!)), /Usage location set to Belgium \(BE\) for 1 person: Joost van Dam/);

    const [undo] = await stack.h.say('undo 1', { who: SANNE, conversationId: 'ops', conversationType: 'groupChat' });
    const undoText = cardText(cardOf(undo!));
    assert.match(undoText, /The change set the usage location to Belgium \(BE\) for 1 person: this undo leaves it set/);
  });

  it('in Dutch: the offer, and the answer to a code that is not a country, changing nothing', async () => {
    const [pre] = await stack.h.say(`verplaats gebruiker ${JOOST} van E1 naar E3`, { who: SANNE });
    const card = cardOf(pre!);
    assert.match(cardText(card), /Plan Switch kan die in deze wijziging instellen op Nederland \(NL\), het land van de organisatie/);
    const fix = actionsOf(card)[0]!;
    assert.equal(fix.title, 'Eerst gebruikslocatie NL instellen');
    await sb.clearRequests();
    for (const [bad, lang] of [
      ['UK', 'nl'],
      ['XX', 'en'],
    ] as const) {
      // (The card carries its language: an English card's click is answered in English.)
      const res = await stack.h.click('preflight', { ...fix.data, lang, usageLocationCountry: bad }, { who: SANNE });
      const answer = cardText(cardOf(res));
      assert.match(
        answer,
        lang === 'nl' ? new RegExp(`'${bad}' is geen landcode.*Er is niets gewijzigd`) : new RegExp(`'${bad}' is not a country code.*Nothing was changed`),
        answer,
      );
    }
    // Forged card data with a bad code (no input) is refused by the service, in the reader's words.
    const forged = await stack.h.click('preflight', { ...fix.data, lang: 'en', setUsageLocation: { country: 'Belgium' } }, { who: SANNE });
    assert.match(cardText(cardOf(forged)), /'Belgium' is not a country code/);
    assert.equal((await sb.requests()).filter((r) => r.method !== 'GET' && r.path !== '/$batch').length, 0, 'nothing written');
    assert.equal((await sb.get(`/users/${JOOST}?$select=usageLocation`)).body.usageLocation, null);
  });

  it('without User.ReadWrite.All: no offer, the finding stays blocking and names the permission', async () => {
    writable = async () => false;
    const [pre] = await stack.h.say(MOVE_JOOST, { who: SANNE });
    const card = cardOf(pre!);
    assert.match(cardText(card), /With the application permission User\.ReadWrite\.All Plan Switch could set it as part of the change \(see doctor\)/);
    assert.equal(
      elements(card).some((e) => e.id === 'usageLocationCountry'),
      false,
    );
    assert.equal(
      actionsOf(card).some((a) => a.data?.setUsageLocation),
      false,
    );
    // A click on an old card (or forged data) asking for the fix anyway: still blocked, nothing written.
    await sb.clearRequests();
    const res = await stack.h.click('preflight', { principal: { kind: 'user', user: JOOST }, from: 'E1', to: 'E3', setUsageLocation: { country: 'BE' } }, { who: SANNE });
    assert.match(cardText(cardOf(res)), /cannot run until the blocking findings are fixed/);
    assert.equal((await sb.requests()).filter((r) => r.method === 'PATCH').length, 0);
  });

  it('typed: "... with usage location BE" / "... met gebruikslocatie BE" checks with the fix; a bad code is answered', async () => {
    const [en] = await stack.h.say(`${MOVE_JOOST} with usage location BE`, { who: SANNE });
    assert.match(cardText(cardOf(en!)), /Usage location will be set to Belgium \(BE\) for 1 person/);
    assert.ok(actionsOf(cardOf(en!)).some((a) => a.verb === 'request'));
    const [nlCard] = await stack.h.say(`verplaats gebruiker ${JOOST} van E1 naar E3 met gebruikslocatie DE`, { who: SANNE, conversationId: 'nl-chat' });
    assert.match(cardText(cardOf(nlCard!)), /De gebruikslocatie wordt vóór de licentiewijziging ingesteld op Duitsland \(DE\) voor 1 persoon/);
    await sb.clearRequests();
    const [bad] = await stack.h.say(`${MOVE_JOOST} with usage location UK`, { who: SANNE, conversationId: 'bad-chat' });
    assert.match(String(bad!.text), /'UK' is not a country code.*Nothing was changed/);
    assert.deepEqual(await sb.requests(), [], 'nothing looked up');
  });
});

describe('parser: the usage location clause', () => {
  const move = (text: string) => parseCommand(text).command as { kind: string; to?: string; from?: string; setUsageLocation?: string; principal?: unknown };
  it('English and Dutch forms, anywhere after the plans; the rest parses as before', () => {
    for (const [text, code] of [
      ['move user ann@contoso.example from E1 to E3 with usage location BE', 'BE'],
      ['move user ann@contoso.example from E1 to E3 and set usage location to nl', 'nl'],
      ['move group Sales to E3, usage location DE', 'DE'],
      ['verplaats gebruiker ann@contoso.example van E1 naar E3 met gebruikslocatie BE', 'BE'],
      ['verplaats groep Verkoop naar E3 en zet gebruikslocatie op FR', 'FR'],
    ] as const) {
      const c = move(text);
      assert.equal(c.kind, 'move', text);
      assert.equal(c.setUsageLocation, code, text);
      assert.equal(c.to, 'E3', text);
    }
    assert.equal(parseCommand('verplaats groep Verkoop naar E3 met gebruikslocatie BE').lang, 'nl');
    assert.equal(move('move group Sales to E3').setUsageLocation, undefined);
    // A plan or a name that merely ends in such words is left alone.
    assert.equal(move('move group "usage location BE" to E3').setUsageLocation, undefined);
  });
});

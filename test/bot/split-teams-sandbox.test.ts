// "split teams for …" end to end on the demo tenant: command -> proposal on the preflight card ->
// request -> a second admin approves -> one assignLicense that adds the "(no Teams)" twin and
// Microsoft Teams Enterprise and removes the suite at once, keeping the services the person had.
import assert from 'node:assert/strict';
import { withSandbox, skuId, planId } from '../helpers/sandbox';
import { actionsOf, cardOf, cardText } from './fakes';
import { DEMO_TENANT_FILE, PIETER, SANNE, demoStackPerSpec } from './demo-stack';

const E1 = skuId('STANDARDPACK');
const E1_NT = skuId('Office_365_E1_(no_Teams)');
const TEAMS = skuId('Microsoft_Teams_Enterprise_New');

describe('split Teams on the sandbox tenant (real LicenseService, store and workflow)', function () {
  this.timeout(30_000);
  const sb = withSandbox(DEMO_TENANT_FILE, { resetEach: true });
  const stack = demoStackPerSpec(sb);
  const { settle } = stack;

  /** Says `command` as Sanne, requests the proposed change, lets Pieter approve it; returns the request id. */
  async function splitAndApprove(command: string, locale?: string): Promise<{ id: string; preflight: string }> {
    await stack.h.say('help', { who: PIETER, conversationId: 'pieter-chat', conversationType: 'personal' });
    const [pre] = await stack.h.say(command, { who: SANNE, conversationId: 'ops', ...(locale ? { locale } : {}) });
    const card = cardOf(pre!);
    const requestBtn = actionsOf(card).find((a) => a.verb === 'request');
    assert.ok(requestBtn, `not blocked: ${cardText(card)}`);
    const asked = await stack.h.click('request', requestBtn.data, { who: SANNE, conversationId: 'ops', replyToId: 'pre-1' });
    const id = /(?:Change request|Wijzigingsaanvraag) (\d+)/.exec(cardText(cardOf(asked)))?.[1];
    assert.ok(id, cardText(cardOf(asked)));
    await settle();
    const toPieter = stack.h.proactive.sent.find((s) => s.conversationId === 'pieter-chat');
    assert.ok(toPieter, 'an approval card went to Pieter');
    const approveBtn = actionsOf(toPieter.activity.attachments![0]!.content as any).find((a) => a.verb === 'approve')!;
    await stack.h.click('approve', approveBtn.data, { who: PIETER, conversationId: 'pieter-chat', replyToId: toPieter.id });
    await settle();
    const final = await stack.workflow.status(id);
    assert.ok(final.ok);
    assert.equal(final.request.state, 'completed', JSON.stringify(final.request.result?.error ?? final.request.result?.worsened));
    return { id, preflight: cardText(card) };
  }

  const writesTo = async (path: RegExp) => (await sb.requests()).filter((r) => r.method === 'POST' && /assignLicense$/i.test(r.path) && path.test(r.path));

  it('a user: E1 -> E1 (no Teams) + Teams Enterprise in one assignLicense; Sway stays off as she had it', async () => {
    await sb.clearRequests();
    const { preflight } = await splitAndApprove('split teams for roos.verbeek@contoso.example');
    assert.match(preflight, /Split Teams for Roos Verbeek \(roos\.verbeek@contoso\.example\): Office 365 E1 → Office 365 E1 \(no Teams\) \+ Microsoft Teams Enterprise/);
    assert.match(preflight, /Preflight check/);
    assert.equal((await writesTo(/roos\.verbeek|\/users\//i)).length, 1, 'one assignLicense for Roos');
    const u = (await sb.get('/users/roos.verbeek@contoso.example?$select=assignedLicenses')).body as { assignedLicenses: { skuId: string; disabledPlans: string[] }[] };
    assert.deepEqual(u.assignedLicenses.map((l) => l.skuId).sort(), [E1_NT, TEAMS].sort());
    const twin = u.assignedLicenses.find((l) => l.skuId === E1_NT)!;
    assert.deepEqual(twin.disabledPlans, [planId('SWAY')], 'Sway kept off, everything else on');
    assert.deepEqual(u.assignedLicenses.find((l) => l.skuId === TEAMS)!.disabledPlans, []);
  });

  it('a group, in Dutch: Verkoop gets the twin and Teams Enterprise in one group assignLicense; members follow', async () => {
    await sb.clearRequests();
    const { preflight } = await splitAndApprove('splits Teams af voor groep Verkoop');
    assert.match(preflight, /Teams afsplitsen voor Verkoop: Office 365 E1 → Office 365 E1 \(no Teams\) \+ Microsoft Teams Enterprise/);
    assert.match(preflight, /Controle vooraf/);
    assert.equal((await writesTo(/^\/groups\//)).length, 1, 'one assignLicense for the group');
    assert.equal((await writesTo(/^\/users\//)).length, 0, 'none for its members');
    const g = (await sb.get("/groups?$filter=displayName eq 'Verkoop'&$select=id,assignedLicenses")).body.value[0] as { assignedLicenses: { skuId: string }[] };
    assert.deepEqual(g.assignedLicenses.map((l) => l.skuId).sort(), [E1_NT, TEAMS].sort());
    const noor = (await sb.get('/users/noor.vandenbosch@contoso.nl?$select=assignedLicenses')).body as { assignedLicenses: { skuId: string }[] };
    assert.deepEqual(noor.assignedLicenses.map((l) => l.skuId).sort(), [E1_NT, TEAMS].sort());
    assert.ok(!noor.assignedLicenses.some((l) => l.skuId === E1));
  });

  it('nothing to split (E5 without a twin subscription): says what to buy, offers no request', async () => {
    const [reply] = await stack.h.say('split teams for jeroen.vandijk@contoso.example', { who: SANNE });
    const text = cardText(cardOf(reply!));
    assert.match(text, /Nothing to propose for Jeroen van Dijk/);
    assert.match(text, /Buy Office 365 E5 EEA \(no Teams\)/);
    assert.deepEqual(
      actionsOf(cardOf(reply!)).filter((a) => a.verb === 'request'),
      [],
    );
    assert.equal((await writesTo(/./)).length, 0);
  });
});

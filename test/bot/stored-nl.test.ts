// What a request stores is said in the reader's language: why an adopt left a member's own copy
// alone and what the re-check before a run found worse are kept as codes and data, and a Dutch
// administrator reads them in Dutch on the notice and the status card. Rows stored before (English
// sentences) are still shown, as stored. On the demo tenant through the bot, and on stored rows.
import assert from 'node:assert/strict';
import { withSandbox } from '../helpers/sandbox';
import type { PrincipalRef } from '../../src/licensing/model';
import type { ChangeRequest, RequestResult, WaveRecord } from '../../src/requests/types';
import { en, nl } from '../../src/i18n';
import { resultCard } from '../../src/bot/cards/result';
import { requestCard } from '../../src/bot/cards/request';
import { runFailure } from '../../src/requests/run-record';
import { actionsOf, cardOf, cardText, changeRequest, ids, preflightResult } from './fakes';
import { DEMO_TENANT_FILE, PIETER, SANNE, demoStackPerSpec } from './demo-stack';

const E1 = '18181a46-0d4e-45cd-891e-60aabd171b4e';
const E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';
/** English a Dutch card must not show (the adopt's reasons and the worsened lines as the code used to store them). */
const ENGLISH = /own copy|group's copy|copy from the group|nothing to remove|seats any more|New warning|New blocking/;

describe("bot: stored reasons in the reader's language (demo tenant)", function () {
  this.timeout(30_000);
  const sb = withSandbox(DEMO_TENANT_FILE, { resetEach: true });
  const stack = demoStackPerSpec(sb);
  const { settle } = stack;

  /** Pieter approves the request from his own chat (he opened the bot there first). */
  async function approveAsPieter() {
    const toPieter = stack.h.proactive.sent.find((s) => s.conversationId === 'pieter-chat')!;
    const approve = actionsOf(toPieter.activity.attachments![0]!.content).find((a) => a.verb === 'approve')!;
    await stack.h.click('approve', approve.data, { who: PIETER, conversationId: 'pieter-chat', replyToId: toPieter.id });
    await settle();
  }

  function noticeIn(conversationId: string, title: RegExp): string {
    const texts = stack.h.proactive.sent.filter((s) => s.conversationId === conversationId).map((s) => cardText(s.activity.attachments![0]!.content));
    const found = texts.find((t) => title.test(t));
    assert.ok(found, texts.join('\n---\n'));
    return found;
  }

  it('adopt onto a group whose E1 has Sway off: the Dutch notice says in Dutch who keeps their own copy and why', async () => {
    // The group holds E1 already, with Sway off (set up outside Plan Switch): members with Sway on keep their own copy.
    const sku = ((await sb.get('/subscribedSkus')).body.value as { skuId: string; servicePlans: { servicePlanId: string; servicePlanName: string }[] }[]).find(
      (s) => s.skuId === E1,
    )!;
    const sway = sku.servicePlans.find((p) => p.servicePlanName === 'SWAY')!.servicePlanId;
    const group = ((await sb.get(`/groups?$filter=displayName eq 'Marketing'`)).body.value as { id: string }[])[0]!;
    const written = await sb.post(`/groups/${group.id}/assignLicense`, { addLicenses: [{ skuId: E1, disabledPlans: [sway] }], removeLicenses: [] });
    assert.ok(written.status < 300, JSON.stringify(written.body));
    await sb.waitForGroup(group.id);

    await stack.h.say('help', { who: PIETER, conversationId: 'pieter-chat', conversationType: 'personal' });
    const [pre] = await stack.h.say('zet de leden van Marketing over op de groep', { who: SANNE, conversationId: 'ops', conversationType: 'groupChat' });
    const preCard = cardOf(pre!);
    assert.match(cardText(preCard), /de groepslicentie schakelt dat uit: ze houden hun eigen licentie/);
    const titles = actionsOf(preCard).map((a) => a.title);
    assert.ok(titles.includes('7 eigen licenties toch verwijderen'), JSON.stringify(titles));
    for (const title of titles) assert.ok(title.length <= 40, `button title too long for Teams: ${title}`);
    const request = actionsOf(preCard).find((a) => a.verb === 'request')!;
    assert.ok(request, cardText(preCard));
    await stack.h.click('request', request.data, { who: SANNE, conversationId: 'ops', conversationType: 'groupChat', replyToId: 'pre-1' });
    await settle();
    await approveAsPieter();

    const done = await stack.workflow.status('1');
    assert.ok(done.ok);
    assert.equal(done.request.state, 'partial', JSON.stringify(done.request.result));
    // Stored: codes and data, no sentence.
    const kept = done.request.result?.adopt?.kept ?? [];
    assert.equal(kept.length, 7);
    // (The sandbox's plans have no friendly service names: Sway is SWAY here.)
    assert.deepEqual([...new Set(kept.map((k) => `${k.reason}:${(k.services ?? []).join(',')}`))], ['servicesNotCovered:SWAY']);
    assert.doesNotMatch(JSON.stringify(done.request.result), /Their own copy|group's copy/);

    const notice = noticeIn('ops', /Wijzigingsaanvraag 1 is klaar/);
    assert.match(notice, /7 leden houden hun eigen licentie/);
    assert.match(notice, /Anouk van Wijk \(anouk\.vanwijk@contoso\.example\): de groepslicentie schakelt SWAY uit/);
    assert.match(notice, /1 eigen licentie verwijderd/);
    assert.doesNotMatch(notice, ENGLISH);
    // The same stored row, read by an English administrator.
    assert.match(cardText(resultCard(en, done.request)), /Anouk van Wijk \(anouk\.vanwijk@contoso\.example\): the group's copy turns off SWAY/);
  });

  it('verplaats groep Verkoop naar E3, then seats run short before the approval: the Dutch notice says what got worse in Dutch', async () => {
    await stack.h.say('help', { who: PIETER, conversationId: 'pieter-chat', conversationType: 'personal' });
    const [pre] = await stack.h.say('verplaats groep Verkoop naar E3', { who: SANNE, conversationId: 'ops', conversationType: 'groupChat' });
    const request = actionsOf(cardOf(pre!)).find((a) => a.verb === 'request')!;
    assert.ok(request, cardText(cardOf(pre!)));
    await stack.h.click('request', request.data, { who: SANNE, conversationId: 'ops', conversationType: 'groupChat', replyToId: 'pre-1' });
    await settle();
    // Someone takes E3's free seats meanwhile: one is left for Verkoop's three members.
    const e3 = (await stack.licenses.listPlans()).find((p) => p.skuId === E3)!;
    await sb.seats(E3, e3.consumed + 1);
    await approveAsPieter();

    const done = await stack.workflow.status('1');
    assert.ok(done.ok);
    assert.equal(done.request.state, 'failed');
    assert.deepEqual(
      done.request.result?.worsened?.map((w) => (typeof w === 'string' ? 'text' : w.code)),
      ['seatsShort'],
    );
    const notice = noticeIn('ops', /Wijzigingsaanvraag 1 is klaar/);
    assert.match(notice, /De situatie is sinds de aanvraag veranderd/);
    assert.match(notice, /Niet genoeg licenties meer voor Office 365 E3: 1 beschikbaar, 3 nodig \(bij de aanvraag waren er \d+ beschikbaar voor 3\)/);
    assert.doesNotMatch(notice, ENGLISH);
    const [status] = await stack.h.say('status 1', { who: SANNE, conversationId: 'ops', conversationType: 'groupChat', locale: 'nl-NL' });
    assert.match(cardText(cardOf(status!)), /Niet genoeg licenties meer voor Office 365 E3: 1 beschikbaar, 3 nodig/);
  });
});

describe('bot: stored rows on Dutch cards, new and old', () => {
  const person = (n: number, name: string): PrincipalRef => ({ kind: 'user', id: `u${n}`, displayName: name });

  function adoptRequest(result: RequestResult): ChangeRequest {
    const spec = { principal: { kind: 'group' as const, group: ids.sales }, to: E1, adopt: {} };
    const pf = preflightResult(spec);
    return changeRequest({ state: 'partial', preflight: { ...pf, change: { ...pf.change, kind: 'adopt' } }, result }, spec);
  }

  function wave(skipped: WaveRecord['skipped'], failed: WaveRecord['failed'] = []): WaveRecord {
    return {
      index: 0,
      people: skipped.length + failed.length,
      done: 0,
      failed,
      failedCount: failed.length,
      skipped,
      skippedCount: skipped.length,
      errorShare: 0,
      startedAt: 'x',
      finishedAt: 'y',
    };
  }

  it("an adopt's reasons stored as codes read in Dutch; an old row's English reason shows as stored", () => {
    const r = adoptRequest({
      adopt: {
        phase: 'done',
        wave: 1,
        waves: 1,
        removed: [],
        removedCount: 0,
        kept: [
          { principal: person(1, 'Anouk'), reason: 'servicesNotCovered', services: ['Sway'] },
          { principal: person(2, 'Joost'), reason: 'error', error: 'ProhibitedInUsageLocationViolation' },
          { principal: person(3, 'Bas'), reason: 'removeFailed', error: 'Request_ResourceNotFound', message: 'Resource not found.' },
          { principal: person(4, 'Lieke'), reason: 'notInherited' },
          // Stored before the codes: Graph's refusal explained in English.
          { principal: person(5, 'Oud'), reason: 'removeFailed', message: 'Microsoft Graph refused the change (Oops). Nothing was changed for this one.' },
        ],
        keptCount: 5,
        goneCount: 0,
      },
    });
    const text = cardText(resultCard(nl, r));
    assert.match(text, /5 leden houden hun eigen licentie/);
    assert.match(text, /Anouk: de groepslicentie schakelt Sway uit/);
    assert.match(text, /Joost: hun licentie via de groep heeft een fout: .*gebruikslocatie/);
    assert.match(text, /Bas: verwijderen mislukte: de gebruiker bestaat niet meer/);
    assert.match(text, /Lieke: er kwam geen licentie via de groep bij hen aan/);
    assert.match(text, /Oud: verwijderen mislukte: Microsoft Graph refused the change \(Oops\)\. Nothing was changed for this one\./);
    assert.match(cardText(resultCard(en, r)), /Joost: their copy from the group is in error: .*usage location/);
  });

  it("members an adopt's wave left out, in Dutch; an old row's English reason shows as stored", () => {
    const r = adoptRequest({
      waves: {
        settings: { pilot: 5, size: 100, pauseAtErrorShare: 0.1 },
        total: 3,
        count: 1,
        next: 1,
        waves: [
          wave([
            { principal: person(1, 'Niels'), kind: 'skipped', code: 'notInherited', adopt: { reason: 'notInherited' } },
            { principal: person(2, 'Vera'), kind: 'skipped', code: 'gone', adopt: { reason: 'gone' } },
            { principal: person(3, 'Pim'), kind: 'skipped', code: 'notInherited', reason: 'Their own copy stays: no Active copy from the group reached them.' },
          ]),
        ],
      },
    });
    const text = cardText(resultCard(nl, r));
    assert.match(text, /Niels: er kwam geen licentie via de groep bij hen aan/);
    assert.match(text, /Vera: geen eigen licentie meer: er is niets te verwijderen/);
    assert.match(text, /Pim: Their own copy stays: no Active copy from the group reached them\./);
    assert.doesNotMatch(text.replace(/Pim: .*/, ''), ENGLISH);
  });

  it('worsened lines stored as codes read in Dutch on the notice and the status card; an old English line shows as stored', () => {
    const r = changeRequest({
      state: 'failed',
      result: {
        worsened: [
          { code: 'seatsShort', plan: 'Office 365 E3', available: 2, needed: 11, then: { available: 15, needed: 11 } },
          { code: 'newWarning', finding: { code: 'USAGE_LOCATION_MISSING', data: { count: 1, defaultCountry: null } } },
          'Seats: 2 available now, 11 needed.',
        ],
      },
    });
    for (const text of [cardText(resultCard(nl, r)), cardText(requestCard(nl, r, { view: 'status' }))]) {
      assert.match(text, /Niet genoeg licenties meer voor Office 365 E3: 2 beschikbaar, 11 nodig \(bij de aanvraag waren er 15 beschikbaar voor 11\)/);
      assert.match(text, /Nieuwe waarschuwing: Geen gebruikslocatie/);
      assert.match(text, /Seats: 2 available now, 11 needed\./);
    }
    assert.match(cardText(resultCard(en, r)), /Not enough Office 365 E3 seats any more: 2 available, 11 needed/);
  });

  it('why a run stopped, stored as a code and data, reads in Dutch; an old row holding only English shows as stored', () => {
    const failure = runFailure({ code: 'recheckFailed', detail: 'Graph unavailable' });
    assert.equal(failure.error, 'The change could not be checked again before running: Graph unavailable', 'the log keeps English');
    const r = changeRequest({ state: 'failed', result: failure });
    for (const text of [cardText(resultCard(nl, r)), cardText(requestCard(nl, r, { view: 'status' }))]) {
      assert.match(text, /Waarom: De wijziging kon vóór de uitvoering niet opnieuw worden gecontroleerd: Graph unavailable/);
      assert.doesNotMatch(text, /could not be checked/);
    }
    const adopt = adoptRequest(runFailure({ code: 'adoptWaveFailures', wave: 2, failed: 30, sent: 100, left: 250 }));
    assert.match(cardText(resultCard(nl, adopt)), /Golf 2 had te veel fouten \(30 van 100\): de 250 leden van de latere golven houden hun eigen licentie/);
    const old = changeRequest({ state: 'failed', result: { error: 'The bot stopped before this approved change ran, too long ago to run it now.' } });
    assert.match(cardText(resultCard(nl, old)), /Waarom: The bot stopped before this approved change ran, too long ago to run it now\./);
  });
});

// The last English inside Dutch sentences: what cannot be done with what was typed or clicked (an
// INVALID_INPUT's reason), Graph's error (said once, not "Microsoft Graph kon niet antwoorden:
// Microsoft Graph: …"), the undo of an adopt, a usage location that could not be set, and the check
// before a wave or a resume that could not run. A Dutch administrator reads them in Dutch on the
// bot's cards; an English one as before; rows stored before the codes show their English as stored.
import assert from 'node:assert/strict';
import { withSandbox } from '../helpers/sandbox';
import type { Activity } from 'botbuilder';
import { LicensingError, type PrincipalRef, type SwapOutcome } from '../../src/licensing/model';
import { graphFailure } from '../../src/licensing/service';
import { GraphError } from '../../src/graph/errors';
import { failureCause } from '../../src/requests/errors';
import { runFailure } from '../../src/requests/run-record';
import type { ChangeRequest, WaveRun } from '../../src/requests/types';
import { en, licensingErrorSentence, nl } from '../../src/i18n';
import { resultCard } from '../../src/bot/cards/result';
import { requestCard } from '../../src/bot/cards/request';
import { actionsOf, cardOf, cardText, changeRequest } from './fakes';
import { DEMO_TENANT_FILE, DEMO_TENANT_ID, PIETER, SANNE, bulkTenant, demoStackPerSpec } from './demo-stack';
import { preflight as preflightOf, usersChange } from '../requests/fakes';

const JOOST = 'joost.vandam@contoso.example';
/** English that a Dutch card must not show: the service's and Graph's sentences, the chat words of an English reader. */
const ENGLISH =
  /That doesn't work|cannot name|would be read|must be a list|has no undo|Microsoft Graph:|could not answer|could not be set|internal server error|temporarily unavailable|The check before|Nothing|type "resume/i;

/** A reply's words: its card's text, or its text. */
function said(a: Partial<Activity> | undefined): string {
  assert.ok(a, 'a reply');
  return a.attachments?.length ? cardText(cardOf(a)) : String(a.text ?? '');
}

describe('bot: errors and refusals in Dutch (demo tenant)', function () {
  this.timeout(30_000);
  const sb = withSandbox(DEMO_TENANT_FILE, { resetEach: true });
  // The app may write usage locations (the demo tenant grants every permission).
  const stack = demoStackPerSpec(sb, { license: () => ({ usageLocationWritable: async () => true }) });
  const { settle } = stack;

  it('a name that would change the request path, typed in Dutch: said in Dutch, nothing looked up; in English as before', async () => {
    await stack.h.say('help', { who: SANNE });
    await sb.clearRequests();
    const [reply] = await stack.h.say('verplaats gebruiker ../../users/sanne.devries@contoso.example van E3 naar E1', { who: SANNE, conversationId: 'nl-1' });
    const text = said(reply);
    assert.match(
      text,
      /Dat kan niet: '\.\.\/\.\.\/users\/sanne\.devries@contoso\.example' kan geen gebruiker aanduiden: de naam bevat "\/" of "\\", wat als deel van het URL-pad zou worden gelezen\./,
    );
    assert.doesNotMatch(text, ENGLISH);
    const [english] = await stack.h.say('move user ../x@contoso.example from E3 to E1', { who: SANNE, conversationId: 'en-1' });
    assert.match(said(english), /That doesn't work: '\.\.\/x@contoso\.example' cannot name a user: it contains "\/" or "\\", which would be read as part of the URL path\./);
    assert.deepEqual(
      (await sb.requests()).filter((r) => /\.\./.test(r.path)),
      [],
      'nothing sent for the bad name',
    );
  });

  it("every refusal of the license service for what was typed or sent reads in Dutch (the card's and the CLI's sentence), not as its English message", async () => {
    const licenses = stack.licenses;
    const refused = async (p: Promise<unknown> | (() => unknown)): Promise<LicensingError> => {
      try {
        await (typeof p === 'function' ? p() : p);
      } catch (err) {
        assert.ok(err instanceof LicensingError, String(err));
        return err;
      }
      assert.fail('not refused');
    };
    const adopt = await licenses.preflight({ principal: { kind: 'group', group: 'Marketing' }, to: 'E1', adopt: {} });
    const cases: [LicensingError, RegExp][] = [
      [await refused(licenses.preflight({ principal: { kind: 'user', user: ' ' }, to: 'E3' })), /Geen gebruiker opgegeven/],
      [await refused(licenses.preflight({ principal: { kind: 'group', group: '' }, to: 'E3' })), /Geen groep opgegeven/],
      [await refused(licenses.preflight({ principal: { kind: 'users', users: [] }, to: 'E3' })), /De lijst met gebruikers is leeg/],
      [await refused(licenses.preflight({ principal: { kind: 'user', user: JOOST }, to: ' ' })), /Geen licentieplan opgegeven/],
      [
        await refused(licenses.preflight({ principal: { kind: 'user', user: JOOST }, to: 'E3', setUsageLocation: { country: 'BE', userIds: 'iedereen' } as never })),
        /als lijst met gebruikers-id's/,
      ],
      [
        await refused(licenses.preflight({ principal: { kind: 'user', user: JOOST }, to: 'E3', alsoTo: 'E5' as never })),
        /De verdere licentieplannen die erbij komen, moeten een lijst zijn/,
      ],
      [await refused(licenses.preflight({ principal: { kind: 'user', user: JOOST }, to: 'E1', adopt: {} })), /Overzetten werkt op een groep/],
      [await refused(licenses.status({ kind: 'users', users: ['x'] } as never)), /Status toont één gebruiker of één groep/],
      [await refused(licenses.proposeTeamsSplit({ kind: 'user', user: JOOST }, 'sideways' as never)), /Onbekende richting 'sideways'/],
      [await refused(() => licenses.reverse(adopt.change)), /Overzetten op de groep kan niet ongedaan worden gemaakt/],
      [await refused(licenses.swap({ ...adopt.change, kind: 'nonsense' as never })), /de gegevens ervan zijn onvolledig of beschadigd/],
    ];
    for (const [err, dutch] of cases) {
      assert.equal(err.code, 'INVALID_INPUT', err.message);
      const text = licensingErrorSentence(nl, err);
      assert.match(text, /^Dat kan niet: /, err.message);
      assert.match(text, dutch, err.message);
      assert.doesNotMatch(text, ENGLISH, err.message);
      // The English reader reads what the service's message (kept for the log) said; a damaged change without the log's detail.
      if (err.data.reason === 'CHANGE_MALFORMED') assert.match(licensingErrorSentence(en, err), /^That doesn't work: This change can't run: its data is incomplete or damaged/);
      else assert.equal(licensingErrorSentence(en, err), `That doesn't work: ${err.message}`);
    }
  });

  it("Graph's error is said once, in the reader's language: Dutch from its status and code, English in Graph's words", async () => {
    await sb.fault({ method: 'GET', path: '/subscribedSkus', status: 403, times: 2 });
    const [reply] = await stack.h.say('licenties', { who: SANNE, conversationId: 'nl-3' });
    const text = said(reply);
    assert.match(text, /Microsoft Graph weigerde de aanvraag: de app heeft er geen toestemming voor \(HTTP 403, InternalServerError\)\. Er is niets gewijzigd\./);
    assert.doesNotMatch(text, ENGLISH);
    assert.equal(text.match(/Microsoft Graph/g)?.length, 1, text);
    const [english] = await stack.h.say('plans', { who: SANNE, conversationId: 'en-3' });
    const englishText = said(english);
    assert.match(englishText, /Microsoft Graph could not answer: An internal server error occurred \(InternalServerError\)\. Nothing was changed\./);
    assert.equal(englishText.match(/Microsoft Graph/g)?.length, 1, englishText);
  });

  it('"ongedaan maken" of an adopt: why there is no undo, in Dutch (not "the preflight found blocking problems")', async () => {
    const spec = { principal: { kind: 'group' as const, group: 'Marketing' }, to: 'E1', adopt: {} };
    const pf = await stack.licenses.preflight(spec);
    assert.equal(pf.change.kind, 'adopt');
    const sanne = { id: SANNE.aadObjectId, tenantId: DEMO_TENANT_ID, name: SANNE.name };
    const r = await stack.store.create({ spec, preflight: pf, requester: sanne, ttlMs: 3_600_000 });
    await stack.store.transition(r.id, { from: ['pending'] }, 'completed', null, {});
    const [reply] = await stack.h.say(`ongedaan maken ${r.id}`, { who: SANNE, conversationId: 'nl-4' });
    const text = said(reply);
    assert.match(text, /Dat kan niet: Overzetten op de groep kan niet ongedaan worden gemaakt: de leden houden het licentieplan via de groep/);
    assert.doesNotMatch(text, ENGLISH);
    assert.doesNotMatch(text, /blokkerende problemen/);
    const [english] = await stack.h.say(`undo ${r.id}`, { who: SANNE, conversationId: 'en-4' });
    assert.match(said(english), /That doesn't work: An adopt has no undo: the members keep the plan from the group/);
  });

  it('the usage location could not be set (the app may not): the Dutch notice says why in Dutch; stored as a code', async () => {
    await stack.h.say('help', { who: PIETER, conversationId: 'pieter-chat', conversationType: 'personal' });
    const [pre] = await stack.h.say(`verplaats gebruiker ${JOOST} van E1 naar E3 met gebruikslocatie BE`, { who: SANNE, conversationId: 'ops', conversationType: 'groupChat' });
    const request = actionsOf(cardOf(pre!)).find((a) => a.verb === 'request');
    assert.ok(request, said(pre));
    await stack.h.click('request', request.data, { who: SANNE, conversationId: 'ops', conversationType: 'groupChat', replyToId: 'pre-1' });
    await settle();
    // Consent for User.ReadWrite.All withdrawn after the check: Graph refuses the PATCH.
    await sb.fault({ method: 'PATCH', path: '/users/*', status: 403, times: 1 });
    const toPieter = stack.h.proactive.sent.find((s) => s.conversationId === 'pieter-chat')!;
    const approve = actionsOf(toPieter.activity.attachments![0]!.content).find((a) => a.verb === 'approve')!;
    await stack.h.click('approve', approve.data, { who: PIETER, conversationId: 'pieter-chat', replyToId: toPieter.id });
    await settle();

    const done = await stack.workflow.status('1');
    assert.ok(done.ok);
    assert.equal(done.request.state, 'failed', JSON.stringify(done.request.result));
    assert.equal(done.request.result?.swap?.usageLocation?.failed[0]?.usageLocationWhy, 'forbidden');
    const notices = stack.h.proactive.sent.filter((s) => s.conversationId === 'ops').map((s) => cardText(s.activity.attachments![0]!.content));
    const notice = notices.find((t) => /Wijzigingsaanvraag 1 is klaar/.test(t));
    assert.ok(notice, notices.join('\n---\n'));
    assert.match(notice, /De gebruikslocatie kon niet worden ingesteld: de app heeft de machtiging User\.ReadWrite\.All met beheerderstoestemming nodig/);
    assert.doesNotMatch(notice, /geen gebruikslocatie, dus/, 'not "no usage location": it could not be set');
    assert.doesNotMatch(notice, ENGLISH);
    assert.match(cardText(resultCard(en, done.request)), /The usage location could not be set: the app needs the User\.ReadWrite\.All permission/);
  });
});

describe('bot: stored failures on Dutch cards, new and old', () => {
  const person = (n: number, name: string): PrincipalRef => ({ kind: 'user', id: `u${n}`, displayName: name });
  const unavailable = graphFailure(new GraphError(503, 'ServiceNotAvailable', 'The service is temporarily unavailable. Please retry.'));

  function paused(pause: WaveRun['pause'], recheck?: WaveRun['recheck']): ChangeRequest {
    const waves: WaveRun = { settings: { pilot: 5, size: 100, pauseAtErrorShare: 0.1 }, total: 205, count: 3, next: 1, waves: [], pause, ...(recheck ? { recheck } : {}) };
    return changeRequest({ id: '12', state: 'paused', result: { waves } });
  }

  it('the check before a wave could not run: the pause says why in Dutch; an old row shows its English as stored', () => {
    const r = paused({ by: null, at: '2026-01-01T10:00:00.000Z', wave: 1, checkFailed: failureCause(unavailable) });
    const text = cardText(requestCard(nl, r, { view: 'status' }));
    assert.match(text, /Gepauzeerd: de controle voor golf 2 mislukte: Microsoft Graph had een storing \(HTTP 503, ServiceNotAvailable\)\. Van deze golf is niets verstuurd\./);
    assert.doesNotMatch(text, ENGLISH);
    assert.match(
      cardText(requestCard(en, r, { view: 'status' })),
      /Paused: the check before wave 2 failed: Microsoft Graph: The service is temporarily unavailable\. Please retry \(ServiceNotAvailable\)\. Nothing of this wave was sent\./,
    );
    const old = paused({ by: null, at: '2026-01-01T10:00:00.000Z', wave: 1, reason: 'The check before wave 2 failed: socket hang up. Nothing of this wave was sent.' });
    assert.match(cardText(requestCard(nl, old, { view: 'status' })), /Gepauzeerd: The check before wave 2 failed: socket hang up\. Nothing of this wave was sent\./);
  });

  it('the check before a resume could not run: why and what to do in Dutch; an old row shows its English as stored', () => {
    const check = { at: '2026-01-02T09:30:00.000Z', by: { id: 'x', tenantId: 't', name: 'Sanne' }, people: 200, blocked: true, findings: [], skipped: [], skippedCount: 0 };
    const r = paused({ by: null, at: '2026-01-01T10:00:00.000Z', wave: 0, errorShare: 0.4 }, { ...check, failure: failureCause(unavailable) });
    const text = cardText(requestCard(nl, r, { view: 'status' }));
    assert.match(text, /De controle kon niet worden uitgevoerd \(Microsoft Graph had een storing \(HTTP 503, ServiceNotAvailable\)\)\. Er is niets verstuurd/);
    assert.match(text, /Wat te doen: wacht even, typ daarna opnieuw "hervat 12"/);
    assert.doesNotMatch(text, ENGLISH);
    const weird = paused({ by: null, at: 'x', wave: 0 }, { ...check, failure: failureCause(new Error('socket hang up')) });
    assert.match(cardText(requestCard(nl, weird, { view: 'status' })), /De controle kon niet worden uitgevoerd \(een onverwachte fout \(de details staan in het logboek\)\)/);
    assert.match(cardText(requestCard(en, weird, { view: 'status' })), /The check could not run \(socket hang up\)/);
    const old = paused({ by: null, at: 'x', wave: 0 }, { ...check, error: 'Microsoft Graph: Oops (Weird)' });
    assert.match(cardText(requestCard(nl, old, { view: 'status' })), /De controle kon niet worden uitgevoerd \(Microsoft Graph: Oops \(Weird\)\)/);
  });

  it('a usage location not set, stored as a code, reads in Dutch on the notice; an old row shows its English as stored', () => {
    const failed = (p: PrincipalRef, extra: Partial<SwapOutcome>): SwapOutcome => ({
      principal: p,
      status: 'failed',
      graphCode: 'Request_BadRequest',
      graphMessage: 'Oops.',
      ...extra,
    });
    const group: PrincipalRef = { kind: 'group', id: 'g1', displayName: 'Verkoop' };
    const r = changeRequest({
      state: 'completed',
      result: {
        swap: {
          kind: 'group',
          usageLocation: {
            country: 'BE',
            set: [],
            failed: [
              failed(person(1, 'Anouk'), { usageLocationWhy: 'rejected', reason: 'Microsoft Graph did not accept the usage location.' }),
              failed(person(2, 'Bas'), { usageLocationWhy: 'other', reason: 'The usage location could not be set (Oops.).' }),
              // Stored before the codes: the English explanation only.
              failed(person(3, 'Oud'), { reason: 'The usage location could not be set (Oops). The license was not changed; set it in Entra ID and run the change again.' }),
            ],
          },
          outcomes: [{ principal: group, status: 'accepted' }],
          changed: [group],
          failed: [],
          startedAt: 'x',
          finishedAt: 'y',
        },
      },
    });
    const text = cardText(resultCard(nl, r));
    assert.match(text, /Gebruikslocatie kon niet worden ingesteld voor 3 personen/);
    assert.match(text, /Anouk: Microsoft Graph accepteerde de gebruikslocatie niet \(geen land dat het kent\)/);
    assert.match(text, /Bas: De gebruikslocatie kon niet worden ingesteld \(Request\\?_BadRequest\)\. De licentie is niet gewijzigd/);
    assert.match(text, /Oud: The usage location could not be set \(Oops\)\. The license was not changed; set it in Entra ID and run the change again\./);
    assert.doesNotMatch(text.replace(/Oud: .*/, ''), ENGLISH);
    assert.match(cardText(resultCard(en, r)), /Bas: The usage location could not be set \(Oops\.\)\. The license was not changed/);
  });

  it('why a run stopped, with its cause as a code: Graph said once, in Dutch; the log keeps the English', () => {
    const failure = runFailure({ code: 'recheckFailed', detail: unavailable.message, cause: failureCause(unavailable) });
    assert.equal(
      failure.error,
      'The change could not be checked again before running: Microsoft Graph: The service is temporarily unavailable. Please retry. (ServiceNotAvailable)',
    );
    const r = changeRequest({ state: 'failed', result: failure });
    const text = cardText(resultCard(nl, r));
    assert.match(text, /De wijziging kon vóór de uitvoering niet opnieuw worden gecontroleerd: Microsoft Graph had een storing \(HTTP 503, ServiceNotAvailable\)/);
    assert.doesNotMatch(text, ENGLISH);
    const refused = runFailure({
      code: 'refusedBeforeWriting',
      detail: 'x',
      cause: failureCause(new LicensingError('INVALID_INPUT', "This change can't run: it has nothing to assign.", { reason: 'CHANGE_MALFORMED' })),
    });
    const refusedText = cardText(resultCard(nl, changeRequest({ state: 'failed', result: refused })));
    assert.match(refusedText, /Er is niets gewijzigd: Deze wijziging kan niet worden uitgevoerd: de gegevens ervan zijn onvolledig of beschadigd/);
    assert.doesNotMatch(refusedText, /Dat kan niet|can't run/);
  });
});

describe('bot: the check before resuming could not run (sandbox)', function () {
  this.timeout(30_000);
  const bulk = (n: number) => `bulk${n}@contoso.example`;
  const sb = withSandbox(() => bulkTenant(4), { resetEach: true });
  const stack = demoStackPerSpec(sb, { groupProcessingMs: null });

  it('"hervat" while Graph refuses the check: stays paused, says why and what to do in Dutch, sends nothing', async () => {
    const { store, h } = stack;
    const who = async (n: number): Promise<PrincipalRef> => {
      const u = (await sb.get(`/users/${bulk(n)}?$select=id,displayName,userPrincipalName`)).body;
      return { kind: 'user', id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName };
    };
    const change = usersChange([await who(1), await who(2), await who(3)]);
    const sanne = { id: SANNE.aadObjectId, tenantId: DEMO_TENANT_ID, name: SANNE.name };
    const r = await store.create({
      spec: { principal: { kind: 'users', users: change.assignments.map((a) => a.principal.id) }, to: 'E3' },
      preflight: preflightOf(change),
      requester: sanne,
      ttlMs: 3_600_000,
    });
    await store.transition(r.id, { from: ['pending'] }, 'approved', null, {});
    const waves: WaveRun = {
      settings: { pilot: 1, size: 1, pauseAtErrorShare: 0.1 },
      total: 3,
      count: 3,
      next: 1,
      waves: [],
      pause: { by: null, at: new Date().toISOString(), wave: 0, errorShare: 1 },
    };
    await store.transition(r.id, { from: ['approved'] }, 'paused', null, { result: { waves } });
    const asPieter = { who: PIETER, conversationId: 'pieter-chat', conversationType: 'personal' as const };
    await h.say('help', asPieter);
    await sb.clearRequests();
    await sb.fault({ method: 'GET', path: '/subscribedSkus', status: 403, times: 5 });

    const [reply] = await h.say(`hervat ${r.id}`, asPieter);
    const text = said(reply);
    assert.match(text, new RegExp(`Wijzigingsaanvraag ${r.id} blijft gepauzeerd`));
    assert.match(text, /De controle kon niet worden uitgevoerd \(Microsoft Graph weigerde de aanvraag: de app heeft er geen toestemming voor \(HTTP 403, InternalServerError\)\)/);
    assert.match(text, new RegExp(`Wat te doen: wacht even, typ daarna opnieuw "hervat ${r.id}"`));
    assert.doesNotMatch(text, ENGLISH);
    const stored = (await store.get(r.id))!;
    assert.equal(stored.state, 'paused');
    assert.equal(stored.result?.waves?.recheck?.failure?.code, 'GRAPH_ERROR');
    assert.equal(stored.result?.waves?.recheck?.error, undefined, 'no English sentence stored');
    assert.deepEqual(
      (await sb.requests()).filter((e) => e.method !== 'GET' && e.path !== '/$batch'),
      [],
      'nothing written to Graph',
    );
  });
});

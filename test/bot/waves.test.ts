// Waves in the bot: "pause 12", "resume 12", "cancel 12" in English and Dutch (and "in waves of 50"
// in a move), the card's progress line and pause reasons in both languages, the buttons that go
// with each state, and the refusals.
import assert from 'node:assert/strict';
import { parseCommand } from '../../src/bot/parser';
import { requestCard } from '../../src/bot/cards/request';
import { en, nl } from '../../src/i18n';
import type { ChangeRequest, WaveRun } from '../../src/requests/types';
import type { ChangeSpec } from '../../src/licensing/model';
import { skuId, withSandbox } from '../helpers/sandbox';
import { actors, cardOf, cardText, changeRequest, harness, type Harness } from './fakes';
import { DEMO_TENANT_ID, PIETER, SANNE, bulkTenant, demoStackPerSpec } from './demo-stack';

const person = (n: number) => ({ kind: 'user' as const, id: `90000000-0000-4000-8000-${String(n).padStart(12, '0')}`, displayName: `Person ${n}` });

/** 650 people, a pilot of 5 then waves of 100: three waves recorded, two people failed in the third. */
function run(over: Partial<WaveRun> = {}): WaveRun {
  const wave = (index: number, people: number, failed = 0) => ({
    index,
    people,
    done: people - failed,
    failed: Array.from({ length: failed }, (_, i) => ({
      principal: person(i + 1),
      kind: 'refused' as const,
      code: 'Request_BadRequest',
      cause: 'no-seats' as const,
      reason: 'There are no free licenses left for the new plan.',
    })),
    failedCount: failed,
    skipped: [],
    skippedCount: 0,
    errorShare: failed / people,
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: '2026-01-01T10:01:00.000Z',
  });
  return {
    settings: { pilot: 5, size: 100, pauseAtErrorShare: 0.1 },
    total: 650,
    count: 8,
    next: 3,
    waves: [wave(0, 5), wave(1, 100), wave(2, 100, 2)],
    ...over,
  };
}

function waved(state: ChangeRequest['state'], w: WaveRun): ChangeRequest {
  return changeRequest({ id: '12', version: 9, state, approver: actors.bob, result: { waves: w } });
}

describe('waves in the bot', () => {
  it('parses pause / resume / cancel in English and Dutch, and "in waves of 50" or "with a pilot of 10" in a move', () => {
    assert.deepEqual(parseCommand('pause 12'), { command: { kind: 'pause', change: '12' }, lang: 'en' });
    assert.deepEqual(parseCommand('resume #12'), { command: { kind: 'resume', change: '12' }, lang: 'en' });
    assert.deepEqual(parseCommand('cancel 12'), { command: { kind: 'cancel', change: '12' }, lang: 'en' });
    assert.deepEqual(parseCommand('pauzeer 12'), { command: { kind: 'pause', change: '12' }, lang: 'nl' });
    assert.deepEqual(parseCommand('hervat 12'), { command: { kind: 'resume', change: '12' }, lang: 'nl' });
    assert.deepEqual(parseCommand('annuleer 12'), { command: { kind: 'cancel', change: '12' }, lang: 'nl' });
    const en1 = parseCommand('move users a@x.example, b@x.example from E1 to E3 in waves of 50').command;
    assert.deepEqual(en1, { kind: 'move', principal: { kind: 'users', names: ['a@x.example', 'b@x.example'] }, from: 'E1', to: 'E3', waves: { size: 50 } });
    const nl1 = parseCommand('verplaats gebruikers a@x.example en b@x.example van E1 naar E3 met een pilot van 10 en golven van 200').command;
    assert.deepEqual(nl1, { kind: 'move', principal: { kind: 'users', names: ['a@x.example', 'b@x.example'] }, from: 'E1', to: 'E3', waves: { pilot: 10, size: 200 } });
    // A group called "Waves" is still a group called "Waves".
    assert.deepEqual(parseCommand('move group Waves to E3').command, { kind: 'move', principal: { kind: 'group', name: 'Waves' }, to: 'E3' });
  });

  it('the card shows the progress in the reader\'s language: "Wave 3 of 8: 203 of 650 people done, 2 failed"', () => {
    const r = waved('running', run({ inFlight: { index: 3, startedAt: '2026-01-01T10:02:00.000Z' } }));
    const enText = cardText(requestCard(en, r, { view: 'status' }));
    assert.match(enText, /Wave 3 of 8: 203 of 650 people done, 2 failed\./);
    assert.match(enText, /Sending wave 4 of 8 \(100 people\)/);
    assert.match(enText, /Pause/);
    assert.match(enText, /Cancel the rest/);
    const nlText = cardText(requestCard(nl, r, { view: 'status' }));
    assert.match(nlText, /Golf 3 van 8: 203 van 650 personen klaar, 2 mislukt\./);
    assert.match(nlText, /Golf 4 van 8 wordt verstuurd/);
    assert.match(nlText, /Pauzeren/);
  });

  it('a paused card says why, per person, in plain words (EN and NL), and offers Resume and Cancel the rest', () => {
    const r = waved('paused', run({ pause: { by: null, at: '2026-01-01T10:02:00.000Z', wave: 2, errorShare: 0.02 } }));
    const card = requestCard(en, r, { view: 'status' });
    const text = cardText(card);
    assert.match(text, /Paused after wave 3: 2% of its people failed, more than 10%/);
    assert.match(text, /Person 1: no free licenses of the new plan left/);
    assert.match(text, /resume 12/);
    const verbs = (card.actions as { verb: string; data: Record<string, unknown> }[]).map((a) => a.verb);
    assert.deepEqual(verbs.slice(0, 2), ['resume', 'cancel']);
    assert.equal((card.actions as { data: { version: number } }[])[0]!.data.version, 9, 'the card carries its version');
    const nlText = cardText(requestCard(nl, r, { view: 'status' }));
    assert.match(nlText, /Gepauzeerd na golf 3/);
    assert.match(nlText, /Person 1: geen beschikbare licenties van het nieuwe licentieplan meer/);
    assert.match(nlText, /hervat 12/);
  });

  it('a pause asked for while a wave is sent, and a cancelled run, are said as such', () => {
    const asked = waved('running', run({ stop: { action: 'pause', by: actors.alice, at: '2026-01-01T10:02:00.000Z' } }));
    assert.match(cardText(requestCard(en, asked, { view: 'status' })), /Alice .* asked to pause: the wave being sent is finished first/);
    const cancelled = changeRequest({
      id: '12',
      state: 'cancelled',
      result: {
        waves: run({ cancelledWaves: 5 }),
        cancelledBy: actors.bob,
        swap: { kind: 'users', outcomes: [], changed: [person(9)], failed: [], startedAt: '', finishedAt: '' },
      },
    });
    const text = cardText(requestCard(nl, cancelled, { view: 'status' }));
    assert.match(text, /Geannuleerd na golf 3 van 8: 203 personen zijn gewijzigd/);
    assert.match(text, /Ongedaan maken|Terugdraaien/i);
  });

  describe('chat and buttons', () => {
    let h: Harness;
    beforeEach(() => (h = harness()));

    it('"pauzeer 12" pauses request 12 for the person who typed it and answers in Dutch', async () => {
      h.requests.pause.callsFake(async () => ({ ok: true, request: waved('paused', run({ pause: { by: actors.alice, at: '2026-01-01T10:02:00.000Z', wave: 2 } })) }));
      const [reply] = await h.say('pauzeer 12');
      assert.equal(h.requests.pause.firstCall.args[0].id, actors.alice.id);
      assert.equal(h.requests.pause.firstCall.args[1], '12');
      assert.match(cardText(cardOf(reply!)), /Wijzigingsaanvraag 12 is gepauzeerd/);
    });

    it("refusals in the reader's language: wrong state, not allowed, unknown id; and a missing id is asked for", async () => {
      h.requests.resume.callsFake(async () => ({ ok: false, reason: 'wrong_state', message: 'x', request: changeRequest({ id: '12', state: 'completed' }) }));
      const [a] = await h.say('resume 12');
      assert.match(cardText(cardOf(a!)), /Only a paused change can be resumed: change request 12 is completed\. Nothing was changed\./);
      const [b] = await h.say('hervat 12');
      assert.match(cardText(cardOf(b!)), /Alleen een gepauzeerde wijziging kan worden hervat/);
      h.requests.cancel.callsFake(async () => ({ ok: false, reason: 'not_allowed', message: 'x', request: changeRequest({ id: '12', state: 'running' }) }));
      const [c] = await h.say('annuleer 12');
      assert.match(cardText(cardOf(c!)), /Alleen de aanvrager of een goedkeurder/);
      h.requests.pause.callsFake(async () => ({ ok: false, reason: 'unknown', message: 'x' }));
      const [d] = await h.say('pause 999');
      assert.match(cardText(cardOf(d!)), /There is no change request 999/);
      const [e] = await h.say('pause');
      assert.match(String(e!.text), /Which change request\? For example: pause 12/);
    });

    it("the Pause and Resume buttons call the workflow with the id (and, for Resume, the card's version)", async () => {
      h.requests.pause.callsFake(async () => ({ ok: true, request: waved('running', run({ stop: { action: 'pause', by: actors.alice, at: '' } })) }));
      const res = await h.click('pause', { requestId: '12' });
      assert.equal(h.requests.pause.firstCall.args[1], '12');
      assert.match(cardText(cardOf(res)), /asked to pause/);
      h.requests.resume.callsFake(async () => ({ ok: true, request: waved('running', run()) }));
      await h.click('resume', { requestId: '12', version: 9 });
      assert.deepEqual(h.requests.resume.firstCall.args.slice(1), ['12', 9]);
      const forged = await h.click('resume', { requestId: '12' });
      assert.match(cardText(cardOf(forged)), /damaged or out of date/);
      assert.equal(h.requests.resume.callCount, 1, 'a card without its version changes nothing');
    });
  });

  // A run paused for a while: seats ran out and someone got the new plan by hand meanwhile. Resume
  // checks the remaining people again on the sandbox tenant before sending anything.
  describe('resume checks the remaining people again (sandbox)', function () {
    this.timeout(60_000);
    const E3 = skuId('ENTERPRISEPACK');
    const bulk = (n: number) => `bulk${n}@contoso.example`;
    const sb = withSandbox(() => bulkTenant(12), { resetEach: true });
    const stack = demoStackPerSpec(sb, { groupProcessingMs: null });
    const { settle } = stack;
    const asSanne = { who: SANNE, conversationId: 'sanne-chat', conversationType: 'personal' as const };
    const writes = async () => (await sb.requests()).filter((e) => e.method !== 'GET' && e.path !== '/$batch');

    it('too few seats left: stays paused, says why and what to do (EN, NL), writes nothing; seats restored: it completes, skipping who got E3 meanwhile', async () => {
      const { workflow, licenses, store, h } = stack;
      const sanne = { id: SANNE.aadObjectId, tenantId: DEMO_TENANT_ID, name: SANNE.name };
      const pieter = { id: PIETER.aadObjectId, tenantId: DEMO_TENANT_ID, name: PIETER.name };
      const spec: ChangeSpec = {
        principal: { kind: 'users', users: Array.from({ length: 12 }, (_, i) => bulk(i + 1)) },
        from: 'E1',
        to: 'E3',
        waves: { pilot: 2, size: 4, pauseAtErrorShare: 0.1 },
      };
      const asked = await workflow.request(sanne, spec, await licenses.preflight(spec));
      assert.ok(asked.ok);
      const id = asked.request.id;
      // Sanne's access is read once (then kept a while); Graph slowed so her pause lands while the pilot is being sent.
      await h.say(`status ${id}`, asSanne);
      await sb.behavior({ latencyMs: 250 });
      assert.ok((await workflow.approve(pieter, id)).ok);
      while ((await store.get(id))!.state === 'approved') await new Promise((r) => setTimeout(r, 5));
      await h.say(`pause ${id}`, asSanne);
      await sb.behavior({ latencyMs: 0 });
      await settle();
      const paused = (await store.get(id))!;
      assert.equal(paused.state, 'paused', JSON.stringify(paused.result?.waves));
      const changed = new Set((paused.result!.swap?.changed ?? []).map((p) => p.userPrincipalName));
      const remaining = Array.from({ length: 12 }, (_, i) => bulk(i + 1)).filter((u) => !changed.has(u));
      assert.ok(remaining.length >= 4 && remaining.includes(bulk(12)), `people left: ${remaining.join(', ')}`);

      // Meanwhile: bulk12 was moved to E3 by hand, and E3 has one free seat left.
      const moved = await sb.post(`/users/${bulk(12)}/assignLicense`, { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [skuId('STANDARDPACK')] });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      const e3 = (await sb.get('/subscribedSkus')).body.value.find((x: { skuId: string }) => x.skuId === E3);
      await sb.seats('ENTERPRISEPACK', e3.consumedUnits + 1);
      await sb.clearRequests();

      const [reply] = await h.say(`resume ${id}`, asSanne);
      const text = cardText(cardOf(reply!));
      const need = remaining.length - 1;
      assert.match(text, new RegExp(`Change request ${id} stays paused: its remaining people were checked again`));
      assert.match(text, new RegExp(`Not enough licenses: ${need} needed, 1 available`));
      assert.match(text, /What to do: buy or free licenses of the new plan, then type "resume \d+" again; or "cancel \d+" to stop here/);
      assert.match(text, /bulk12@contoso\.example\)?: already holds the new plan: nothing to change/);
      const [nlReply] = await h.say(`hervat ${id}`, { ...asSanne, who: PIETER, conversationId: 'pieter-chat' });
      const nlText = cardText(cardOf(nlReply!));
      assert.match(nlText, /blijft gepauzeerd/);
      assert.match(nlText, new RegExp(`Niet genoeg beschikbare licenties: ${need} nodig, 1 beschikbaar`));
      assert.match(nlText, /Wat te doen: koop licenties van het nieuwe licentieplan/);
      assert.match(nlText, /bulk12@contoso\.example\)?: heeft het nieuwe licentieplan al/);

      assert.equal((await store.get(id))!.state, 'paused');
      assert.deepEqual(await writes(), [], 'nothing written to Graph');
      assert.ok(
        (await sb.requests()).some((e) => e.method === 'GET' && /users/.test(e.path)),
        'the people were read again',
      );
      const blocked = (await store.audit(id)).filter((e) => e.action === 'resume-blocked');
      assert.deepEqual(
        blocked.map((e) => e.actor?.id),
        [sanne.id, pieter.id],
      );

      // Seats bought: resume goes on and the run completes; bulk12 is named, never sent.
      await sb.seats('ENTERPRISEPACK', 100);
      await sb.clearRequests();
      const [goes] = await h.say(`resume ${id}`, asSanne);
      const goesText = cardText(cardOf(goes!));
      assert.match(goesText, new RegExp(`Change request ${id} carries on with its next wave`));
      assert.match(goesText, /bulk12@contoso\.example\)?: already holds the new plan/);
      await settle();
      const end = (await store.get(id))!;
      assert.equal(end.state, 'completed', JSON.stringify(end.result?.waves?.waves.map((w) => [w.index, w.done, w.failedCount, w.skippedCount])));
      const bulk12 = (await sb.get(`/users/${bulk(12)}?$select=id`)).body.id as string;
      const sent = (await writes()).filter((e) => /assignLicense$/.test(e.path));
      assert.equal(sent.length, need, 'one call per person still to move');
      assert.ok(!sent.some((e) => e.path.toLowerCase().includes(bulk12.toLowerCase()) || e.path.includes('bulk12')), 'bulk12 not sent');
      const skipped = end.result!.waves!.waves.flatMap((w) => w.skipped);
      assert.deepEqual(
        skipped.map((m) => [m.principal.userPrincipalName, m.code]),
        [[bulk(12), 'target-held']],
      );
      for (const u of remaining.filter((x) => x !== bulk(12))) {
        const held = (await sb.get(`/users/${u}?$select=assignedLicenses`)).body.assignedLicenses.map((l: { skuId: string }) => l.skuId);
        assert.deepEqual(held, [E3], `${u} moved to E3`);
      }
    });
  });
});

// Teams refuses an Adaptive Card over about 28 KB. With 500 people in a change, every card the bot
// sends stays under 20 KB: long user lists in buttons are kept server-side (src/bot/choices.ts),
// lists of names on cards stop after a few with "and N more".
import assert from 'node:assert/strict';
import { LicensingError, type Finding, type PlanInfo, type PreflightResult, type PrincipalRef } from '../../src/licensing/model';
import { en, nl } from '../../src/i18n';
import { compactCard, expandChoices, INLINE_USERS, StoredChoices } from '../../src/bot/choices';
import { requestCard } from '../../src/bot/cards/request';
import { resultCard } from '../../src/bot/cards/result';
import { requestListCard } from '../../src/bot/cards/request-list';
import { actionsOf, actors, cardOf, changeRequest, E1, E3, finding, harness, ids, MemoryRefs, preflightResult } from './fakes';

const LIMIT = 20_000;
const N = 500;
const size = (card: unknown) => Buffer.byteLength(JSON.stringify(card), 'utf8');

/** 500 people with long, realistic names and UPNs. */
const people: PrincipalRef[] = Array.from({ length: N }, (_, i) => ({
  kind: 'user',
  id: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
  displayName: `Maximiliaan van den Bergh-Oosterhout ${i}`,
  userPrincipalName: `maximiliaan.vandenbergh-oosterhout.${i}@marketing.contoso-nederland.example`,
}));
const upns = people.map((p) => p.userPrincipalName!);

/** 28 plans, as a large tenant has. */
const plans: PlanInfo[] = Array.from({ length: 28 }, (_, i) => ({
  ...E3,
  skuId: `${String(i).padStart(8, '0')}-1111-4000-8000-000000000000`,
  skuPartNumber: `SKU_NUMBER_${i}`,
  displayName: `Microsoft 365 Plan With A Long Name ${i}`,
}));

/** A preflight result for a list of users, as the service returns it. */
function usersResult(r: PreflightResult): PreflightResult {
  r.change.kind = 'users';
  r.change.principal = { kind: 'user', id: `users:${N}`, displayName: `${N} users` };
  r.change.affectedUsers = N;
  return r;
}

describe('bot: every card stays under 20 KB with 500 people', () => {
  it('the plan-choice card for a list of 500 users carries one choice id, not the list in each button', async () => {
    const h = harness();
    h.licenses.preflight.rejects(new LicensingError('PLAN_UNKNOWN', 'No plan called E9', { name: 'E9', candidates: plans }));
    h.licenses.listPlans.resolves(plans);
    const res = await h.click('preflight', { principal: { kind: 'users', users: upns }, to: 'E9' }, { who: 'alice' });
    const card = cardOf(res);
    const buttons = actionsOf(card).filter((a) => a.verb === 'preflight');
    assert.ok(buttons.length >= 10, `${buttons.length} plans to choose from`);
    assert.ok(size(card) < LIMIT, `${size(card)} bytes`);
    const choices = new Set(buttons.map((b) => b.data.principal.choice));
    assert.equal(choices.size, 1, 'one stored list for every button');
    // And a click on one of them checks exactly those 500 people.
    await h.click('preflight', buttons[0]!.data, { who: 'alice' });
    assert.deepEqual(h.licenses.preflight.lastCall.args[0].principal, { kind: 'users', users: upns });
  });

  it('the preflight card of 500 users and the blocked card of a group with 500 direct holders', async () => {
    const h = harness();
    const spec = { principal: { kind: 'users' as const, users: upns }, from: E1.skuId, to: E3.skuId };
    const findings: Finding[] = [
      finding('USAGE_LOCATION_MISSING', 'warn', people, { count: N, defaultCountry: 'NL' }),
      finding('SERVICES_LOST', 'warn', people, { lost: ['Yammer Enterprise'] }),
      finding('SOURCE_ALSO_ELSEWHERE', 'warn', people, { direct: people.map((p) => p.id) }),
    ];
    const result = usersResult(preflightResult({ ...spec, principal: { kind: 'user', user: ids.alice } }, { findings, affectedUsers: N }));
    h.licenses.preflight.resolves(result);
    const ready = cardOf(await h.click('preflight', spec, { who: 'alice' }));
    assert.ok(size(ready) < LIMIT, `preflight card: ${size(ready)} bytes`);
    const request = actionsOf(ready).find((a) => a.verb === 'request')!;
    assert.equal(request.data.spec.principal.count, N);

    const group = { principal: { kind: 'group' as const, group: ids.sales }, from: E1.skuId, to: E3.skuId };
    const blocked = preflightResult(group, {
      findings: [finding('SOURCE_NOT_ASSIGNED', 'block', people, { group: true, directHolders: N, directUsers: people.map((p) => p.id), suggestUsers: [], from: 'E1', to: 'E3' })],
    });
    blocked.blocked = true;
    h.licenses.preflight.resolves(blocked);
    const card = cardOf(await h.click('preflight', group, { who: 'alice' }));
    assert.ok(size(card) < LIMIT, `blocked card: ${size(card)} bytes`);
    const instead = actionsOf(card).find((a) => a.title === `Check these ${N} people as users`);
    assert.ok(instead, JSON.stringify(actionsOf(card).map((a) => a.title)));
    await h.click('preflight', instead.data, { who: 'alice' });
    assert.equal(h.licenses.preflight.lastCall.args[0].principal.users.length, N);
  });

  it('request, result and history cards name a few of the 500 and say how many more', () => {
    const spec = { principal: { kind: 'users' as const, users: upns }, from: E1.skuId, to: E3.skuId };
    const r = changeRequest({
      spec,
      preflight: usersResult(preflightResult({ ...spec, principal: { kind: 'user', user: ids.alice } }, { affectedUsers: N })),
      state: 'partial',
      approver: actors.bob,
      result: {
        swap: {
          kind: 'users',
          outcomes: [],
          changed: people.slice(0, 250),
          failed: people.slice(250).map((p) => ({ principal: p, status: 'failed' as const, reason: 'CountViolation: not enough licenses '.repeat(3) })),
          startedAt: '',
          finishedAt: '',
        },
        reason: 'x'.repeat(1000),
      },
    });
    r.preflight.findings = [finding('USAGE_LOCATION_MISSING', 'warn', people, { count: N })];
    for (const t of [en, nl]) {
      const cards = {
        request: requestCard(t, r, { view: 'status' }),
        result: resultCard(t, r),
        history: requestListCard(
          t,
          'history',
          Array.from({ length: 50 }, () => r),
        ),
      };
      for (const [name, card] of Object.entries(cards)) assert.ok(size(card) < LIMIT, `${t.lang} ${name}: ${size(card)} bytes`);
      assert.ok(JSON.stringify(cards.history).includes(t.common.andMore(25)), 'the list says how many more');
    }
  });

  it('without the choice store the same plan-choice card would not fit: the measure is real', async () => {
    const data = { principal: { kind: 'users', users: upns }, to: 'E3' };
    const raw = {
      type: 'AdaptiveCard',
      actions: plans.slice(0, 10).map((p) => ({ type: 'Action.Execute', verb: 'preflight', title: p.displayName, data: { ...data, from: p.skuId } })),
    };
    assert.ok(size(raw) > 28_000, `${size(raw)} bytes with the list in every button`);
    const refs = new MemoryRefs();
    const compact = await compactCard(raw, new StoredChoices(refs));
    assert.ok(size(compact) < 3_000, `${size(compact)} bytes with a choice id`);
    assert.equal(refs.choiceRows.size, 1);
  });
});

describe('bot/choices: long lists behind choice ids, in the conversation store', () => {
  it('short lists stay in the card; long ones round-trip through an id; a forged, unknown or expired id is refused', async () => {
    let now = 0;
    const refs = new MemoryRefs(() => now);
    const store = new StoredChoices(refs, { ttlMs: 1000 });
    const short = { data: { principal: { kind: 'users', users: upns.slice(0, INLINE_USERS) } } };
    assert.deepEqual(await compactCard(short, store), short);
    assert.equal(refs.choiceRows.size, 0, 'nothing stored for a short list');
    const long = { data: { spec: { principal: { kind: 'users', users: upns.slice(0, 40) }, to: 'E3' } } };
    const compact = (await compactCard(long, store)) as unknown as { data: { spec: { principal: { choice: string; count: number } } } };
    assert.equal(compact.data.spec.principal.count, 40);
    assert.match(compact.data.spec.principal.choice, /^[A-Za-z0-9_-]{22}$/);
    const back = await expandChoices(compact.data, store);
    assert.ok(back.ok);
    assert.deepEqual(back.data, long.data);
    assert.deepEqual(await expandChoices({ principal: { kind: 'users', choice: 'not-a-real-choice-id-0000' } }, store), { ok: false });
    assert.deepEqual(await expandChoices({ principal: { kind: 'users', choice: '../../etc/passwd' } }, store), { ok: false });
    assert.deepEqual(await expandChoices({ principal: { kind: 'users', choice: 42 } }, store), { ok: false });
    now = 1000;
    assert.deepEqual(await expandChoices(compact.data, store), { ok: false }, 'expired');
  });

  it('a forged id is refused before any lookup; data naming more choices than a card has is refused whole', async () => {
    const refs = new MemoryRefs();
    const store = new StoredChoices(refs);
    const looked: string[] = [];
    const counting = {
      put: (u: string[]) => store.put(u),
      get: (id: string) => {
        looked.push(id);
        return store.get(id);
      },
    };
    const id = await counting.put(upns.slice(0, 5));
    for (const forged of ["x' OR '1'='1", 'A'.repeat(65), 'short', '', 'AAAAAAAAAAAAAAAA/..']) {
      assert.deepEqual(await expandChoices({ spec: { principal: { kind: 'users', choice: forged } } }, counting), { ok: false }, forged);
    }
    assert.deepEqual(looked, [], 'no lookup for an id that is not one');
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`p${i}`, { kind: 'users', choice: `${id.slice(0, 21)}${i}` }]));
    assert.deepEqual(await expandChoices(many, counting), { ok: false });
    assert.deepEqual(looked, []);
    // A real id next to a forged one: refused, the real list is not handed out.
    assert.deepEqual(await expandChoices({ a: { kind: 'users', choice: id }, b: { kind: 'users', choice: '../x' } }, counting), { ok: false });
  });

  it('sweeps expired lists at the first card and then at most once per sweep period, not on every card', async () => {
    let now = 0;
    const refs = new MemoryRefs(() => now);
    const sweeps: number[] = [];
    const counted = {
      saveChoice: refs.saveChoice,
      choice: refs.choice,
      sweepChoices: () => {
        sweeps.push(now);
        return refs.sweepChoices();
      },
    };
    const store = new StoredChoices(counted, { ttlMs: 1000, sweepEveryMs: 10_000, now: () => now });
    await store.put(['a@x.example', 'b@x.example', 'c@x.example', 'd@x.example']);
    now = 5_000;
    await store.put(['e@x.example']);
    assert.equal(refs.choiceRows.size, 2, 'the first list expired but is not swept yet');
    now = 10_000;
    await store.put(['f@x.example']);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(sweeps, [0, 10_000]);
    assert.equal(refs.choiceRows.size, 1, 'both expired lists swept, the new one kept');
  });

  it('tenant text in a card outside action data is never touched', async () => {
    const refs = new MemoryRefs();
    const card = { body: [{ type: 'TextBlock', text: 'x', principal: { kind: 'users', users: upns.slice(0, 10) } }] };
    assert.deepEqual(await compactCard(card, new StoredChoices(refs)), card);
    assert.equal(refs.choiceRows.size, 0);
  });
});

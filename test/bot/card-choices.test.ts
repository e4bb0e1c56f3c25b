// A "move users" card with more than three people carries a choice id, and the list lives in the
// state database (src/bot/choices.ts): the click works on another bot instance on the same store
// and on the same bot after a restart. Two bots here are two stacks on one SQLite file, each with
// its own connection, workflow and harness, as two processes would be.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withSandbox } from '../helpers/sandbox';
import { actionsOf, cardOf, cardText } from './fakes';
import { demoStack, type DemoStack } from './demo-stack';

const DEMO = join(__dirname, '..', '..', '..', 'data', 'demo-tenant.json');
const SANNE = { id: '29:sanne', aadObjectId: 'a11ce000-0000-4000-8000-000000000001', name: 'Sanne de Vries' };
const PIETER = { id: '29:pieter', aadObjectId: 'a11ce000-0000-4000-8000-000000000002', name: 'Pieter Bakker' };
const E1 = '18181a46-0d4e-45cd-891e-60aabd171b4e';
const E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';
/** Five people holding E1 directly, with a usage location. */
const FIVE = ['ruben.kramer', 'iris.groen', 'anouk.vanwijk', 'bas.smits', 'lieke.maas'].map((n) => `${n}@contoso.example`);

describe('bot: a card with a long list of people, clicked on another instance or after a restart', function () {
  this.timeout(30_000);
  const sb = withSandbox(DEMO, { resetEach: true });
  let dir: string;
  let stacks: DemoStack[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plan-switch-choices-'));
  });
  afterEach(async () => {
    for (const s of stacks) await stop(s);
    stacks = [];
    rmSync(dir, { recursive: true, force: true });
  });

  /** A bot on the shared file. */
  const start = () => {
    const s = demoStack(sb.graphBaseUrl, undefined, join(dir, 'state.db'));
    stacks.push(s);
    return s;
  };
  async function stop(s: DemoStack) {
    s.workflow.stop();
    await s.workflow.whenIdle();
    await s.h.bot.whenIdle();
    s.store.close();
    await s.graph.close();
  }
  async function settle() {
    for (let i = 0; i < 5; i++) for (const s of stacks) if (s.store.db.open) await Promise.all([s.workflow.whenIdle(), s.h.bot.whenIdle()]);
  }

  /** Sanne's preflight card for the five, from `bot`, and its "ask for approval" button. */
  async function askCard(bot: DemoStack) {
    const [pre] = await bot.h.say(`move users ${FIVE.join(', ')} from E1 to E3`, { who: SANNE });
    const card = cardOf(pre!);
    const text = cardText(card);
    assert.match(text, /Preflight check/);
    assert.match(text, /Who\n5 users\n/);
    const ask = actionsOf(card).find((a) => a.verb === 'request');
    assert.ok(ask, `not blocked: ${text}`);
    // The button carries an id and a count, not the five addresses.
    assert.equal(ask.data.spec.principal.kind, 'users');
    assert.equal(ask.data.spec.principal.count, 5);
    assert.match(ask.data.spec.principal.choice, /^[A-Za-z0-9_-]{22}$/);
    assert.doesNotMatch(JSON.stringify(actionsOf(card)), /contoso\.example/);
    return ask;
  }

  it('made by one bot, clicked on another: the request names exactly the five, an approval on the first moves them; a forged id is "expired" there too', async () => {
    const a = start();
    const b = start();
    await a.h.say('help', { who: PIETER, conversationId: 'pieter-chat', conversationType: 'personal' });
    const ask = await askCard(a);

    const asked = cardText(cardOf(await b.h.click('request', ask.data, { who: SANNE, replyToId: 'pre-1' })));
    assert.doesNotMatch(asked, /expired/);
    const id = /Change request (\d+)/.exec(asked)?.[1];
    assert.ok(id, asked);
    const request = (await a.store.get(id))!;
    assert.deepEqual(request.spec.principal, { kind: 'users', users: FIVE });
    assert.equal(request.preflight.change.affectedUsers, 5);
    await settle();

    const approved = cardText(cardOf(await a.h.click('approve', { requestId: id, version: 1 }, { who: PIETER, conversationId: 'pieter-chat' })));
    assert.match(approved, /Approved — running/);
    await settle();
    assert.equal((await a.store.get(id))!.state, 'completed');
    for (const upn of FIVE) {
      const skus = (await a.licenses.status({ kind: 'user', user: upn })).licenses.map((l) => l.plan.skuId);
      assert.ok(skus.includes(E3) && !skus.includes(E1), `${upn}: ${skus.join(', ')}`);
    }

    // An id nobody stored (an old card from before this version, or a forged one): a clear answer, nothing asked.
    const forged = { ...ask.data, spec: { ...ask.data.spec, principal: { kind: 'users', choice: 'AAAAAAAAAAAAAAAAAAAAAA', count: 5 } } };
    const answer = cardText(cardOf(await b.h.click('request', forged, { who: SANNE, replyToId: 'pre-2' })));
    assert.match(answer, /This card has expired/);
    assert.match(answer, /Nothing was changed/);
    assert.equal((await b.store.list()).length, 1, 'no second request');
  });

  it('made before a restart, clicked after it: the new bot on the same file asks for the five', async () => {
    const before = start();
    const ask = await askCard(before);
    await stop(before);
    stacks.splice(stacks.indexOf(before), 1);

    const after = start();
    const asked = cardText(cardOf(await after.h.click('request', ask.data, { who: SANNE, replyToId: 'pre-1' })));
    const id = /Change request (\d+)/.exec(asked)?.[1];
    assert.ok(id, asked);
    assert.deepEqual((await after.store.get(id))!.spec.principal, { kind: 'users', users: FIVE });
    await settle();
  });
});

// The background turn on the real stack: the real LicenseService on a sandbox that answers every
// Graph request 250 ms late, and a 6,000-member group. The turn returns within its budget, the
// progress card counts the members read against the $count total, and becomes the preflight card.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { tenantFixture, withSandbox } from '../helpers/sandbox';
import { connectGraph, type GraphConnection } from '../../src/graph/connect';
import { loopbackGraph } from '../../src/graph/config';
import { LicenseService } from '../../src/licensing/service';
import type { Logger } from '../../src/log';
import { cardOf, cardText, fakeRequesters, harness, TENANT, type Harness } from './fakes';

const SANNE = 'a11ce000-0000-4000-8000-000000000001';
const MEMBERS = 6_000;
const LATENCY_MS = 250;

describe('bot on a slow sandbox: no turn waits on Graph', function () {
  this.timeout(60_000);
  const sb = withSandbox(
    tenantFixture('Contoso', { id: TENANT, domain: 'contoso.example' })
      .sku('STANDARDPACK', MEMBERS + 100)
      .sku('ENTERPRISEPACK', MEMBERS + 100)
      .user('sanne', { id: SANNE, displayName: 'Sanne de Vries' })
      .generate('Sales', MEMBERS, { prefix: 'sales', groupLicenses: ['STANDARDPACK'] })
      .build(),
  );
  let graph: GraphConnection;
  let h: Harness;
  const events: { event: string; meta: Record<string, unknown> }[] = [];
  const log: Logger = {
    info: (event, meta = {}) => events.push({ event, meta }),
    warn: (event, meta = {}) => events.push({ event, meta }),
    error: (event, meta = {}) => events.push({ event, meta }),
  };

  before(async () => {
    graph = connectGraph(loopbackGraph(sb.graphBaseUrl));
    const licenses = new LicenseService(graph.gateway);
    h = harness({ licenses, requesters: fakeRequesters([SANNE]), log, timing: { answerWithinMs: 700, messageWithinMs: 700, directWithinMs: 1_500, progressEveryMs: 400 } });
  });
  after(async () => {
    await h.bot.whenIdle();
    await graph.close();
  });

  const from = { who: { id: '29:sanne', aadObjectId: SANNE, name: 'Sanne de Vries' } } as const;

  it('move group Sales to E3: the turn returns in time; progress against the $count total; then the preflight card', async () => {
    await h.say('help', from); // the gate knows Sanne now (one directory read, cached)
    await sb.behavior({ latencyMs: LATENCY_MS });
    await sb.clearRequests();
    // Only what the move does counts (on a busy machine even "help" may have been answered late).
    await h.bot.whenIdle();
    h.adapter.activeQueue.splice(0);
    h.proactive.sent.splice(0);
    h.proactive.updated.splice(0);
    events.splice(0);
    const t0 = Date.now();
    await h.adapter.processActivity({ ...h.activity('message', from), text: 'move group Sales to E3' } as Partial<Activity>);
    const turnMs = Date.now() - t0;
    // The turn is over before the check is: nothing was said in it, the answer comes later.
    assert.equal(h.adapter.activeQueue.length, 0);
    assert.equal(h.proactive.sent.length, 0);
    await h.bot.whenIdle();
    const total = Date.now() - t0;
    assert.ok(total > 1_500 && turnMs < total / 2, `turn ${turnMs} ms, the check ${total} ms: long enough to need a progress card`);

    const progress = h.proactive.sent[0]!;
    assert.match(cardText(cardOf(progress.activity)), /Checking Sales…/);
    const onCard = h.proactive.updated.filter((u) => u.activity.id === progress.id).map((u) => cardText(cardOf(u.activity)));
    const counts = [cardText(cardOf(progress.activity)), ...onCard];
    assert.ok(
      counts.some((t) => /[\d,]+ of about 6,00\d members read/.test(t)),
      counts.join('\n---\n'),
    );
    assert.match(onCard.at(-1)!, /Preflight check/);
    assert.match(onCard.at(-1)!, /Sales/);
    assert.equal(h.proactive.sent.length, 1, 'one card in the chat: the progress card that became the answer');

    // What the bench times: the turn answered, the progress card shown, the result shown.
    assert.deepEqual(
      events.filter((e) => e.event.startsWith('turn.') && (e.event !== 'turn.answered' || e.meta.background === true)).map((e) => e.event),
      ['turn.answered', 'turn.progress_shown', 'turn.result_shown'],
    );
    const counted = (await sb.requests()).filter((r) => r.path.endsWith('/members/$count'));
    assert.equal(counted.length, 1, 'one $count read for the total');
  });
});

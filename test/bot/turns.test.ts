// No turn waits on Graph: the turn returns within its budget whatever the license service's
// latency; a slow answer goes on in the background (progress card, updated, then replaced);
// a message delivered twice is handled once; a newer command supersedes a check in the same chat;
// checks in different chats run side by side. The license service here is the fake, slowed down
// as a member read would be (progress per page, stopped by the abort); sandbox.turns.test.ts does
// the same through the real service on a slow sandbox.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import type { ChangeSpec, PreflightOptions } from '../../src/licensing/model';
import { cardOf, cardText, harness, preflightResult, type Harness } from './fakes';
import { sleep } from '../helpers/wait';

const TIMING = { answerWithinMs: 100, messageWithinMs: 100, directWithinMs: 400, progressEveryMs: 150 };
const MOVE = 'move group Sales to E3';

/** The fake's preflight as a member read of `pages` pages of 999, `msPerPage` each. */
function slowPreflight(h: Harness, pages: number, msPerPage: number): { signals: AbortSignal[]; running: number; overlapped: boolean } {
  const seen = { signals: [] as AbortSignal[], running: 0, overlapped: false };
  h.licenses.preflight.callsFake(async (spec: ChangeSpec, opts: PreflightOptions = {}) => {
    if (opts.signal) seen.signals.push(opts.signal);
    if (++seen.running > 1) seen.overlapped = true;
    try {
      for (let i = 1; i <= pages; i++) {
        await sleep(msPerPage);
        if (opts.signal?.aborted) throw new Error('The member read was stopped.');
        opts.onProgress?.({ read: i * 999, total: pages * 999, name: 'Sales' });
      }
      return preflightResult(spec);
    } finally {
      seen.running--;
    }
  });
  return seen;
}

/** Runs one activity through the adapter as the HTTP request would (without waiting for the background). */
async function turn(h: Harness, a: Partial<Activity>): Promise<void> {
  await h.adapter.processActivity(a);
}

/** Whether the license service was still at work when the turn returned. */
function stillChecking(h: Harness): boolean {
  const calls = h.licenses.preflight.getCalls();
  return calls.length > 0 && h.proactive.sent.length === 0 && h.adapter.activeQueue.length === 0;
}

const texts = (list: { activity: Partial<Activity> }[]) => list.map((x) => cardText(cardOf(x.activity)) || String(x.activity.text ?? ''));

describe('bot: no turn waits on the license service', function () {
  this.timeout(20_000);

  it('a slow check: the turn returns at once; a progress card appears, is updated with members read, then becomes the preflight card', async () => {
    const h = harness({ timing: TIMING });
    slowPreflight(h, 8, 150); // about 1.2 s
    await turn(h, { ...h.activity('message'), text: MOVE });
    assert.ok(stillChecking(h), 'the turn returned while the check went on, having said nothing');
    await h.bot.whenIdle();
    const sent = h.proactive.sent;
    assert.equal(sent.length, 1, texts(sent).join('\n---\n'));
    assert.match(cardText(cardOf(sent[0]!.activity)), /Checking Sales…/);
    const updates = h.proactive.updated.filter((u) => u.activity.id === sent[0]!.id);
    const said = texts(updates);
    assert.ok(
      said.some((t) => /\d,\d{3} of about 7,992 members read/.test(t)),
      said.join('\n---\n'),
    );
    assert.match(said.at(-1)!, /Preflight check/, 'the progress card became the answer');
    assert.equal(said.filter((t) => /Preflight check/.test(t)).length, 1);
  });

  it('an answer ready within the direct window is posted as it is, with no progress card', async () => {
    const h = harness({ timing: { ...TIMING, directWithinMs: 2_000 } });
    slowPreflight(h, 2, 150); // about 300 ms: after the turn, well before the progress card
    await turn(h, { ...h.activity('message'), text: MOVE });
    assert.ok(stillChecking(h));
    await h.bot.whenIdle();
    assert.deepEqual(
      texts(h.proactive.sent).map((t) => /Preflight check/.test(t)),
      [true],
    );
    assert.equal(h.proactive.updated.length, 0);
  });

  it('by default a message turn returns at once: even a quick answer comes the proactive way, directly, with no progress card', async () => {
    const h = harness({ timing: {} }); // the product's timing
    slowPreflight(h, 1, 50);
    await turn(h, { ...h.activity('message'), text: MOVE });
    assert.equal(h.adapter.activeQueue.length, 0, 'nothing was said in the turn');
    assert.ok(stillChecking(h), 'the turn returned before the check was done');
    await h.bot.whenIdle();
    assert.deepEqual(
      texts(h.proactive.sent).map((t) => /Preflight check/.test(t)),
      [true],
    );
    assert.equal(h.proactive.updated.length, 0);
  });

  it('a fast answer is given inside the turn when the turn may wait for it (messageWithinMs)', async () => {
    const h = harness({ timing: TIMING });
    const replies = await h.say(MOVE);
    assert.match(cardText(cardOf(replies[0]!)), /Preflight check/);
    assert.equal(h.proactive.sent.length, 0);
  });

  it('a message Teams delivers twice (same id) is handled once, even while the first is still running', async () => {
    const h = harness({ timing: TIMING });
    slowPreflight(h, 4, 100);
    const a = { ...h.activity('message', { id: 'msg-1' }), text: MOVE };
    await turn(h, a);
    await turn(h, a);
    await h.bot.whenIdle();
    await turn(h, a); // and again after it finished
    await h.bot.whenIdle();
    assert.equal(h.licenses.preflight.callCount, 1);
    const answers = [...texts(h.proactive.sent), ...texts(h.proactive.updated)].filter((t) => /Preflight check/.test(t));
    assert.equal(answers.length, 1);
    // Another message (another id) is handled.
    await turn(h, { ...h.activity('message', { id: 'msg-2' }), text: MOVE });
    await h.bot.whenIdle();
    assert.equal(h.licenses.preflight.callCount, 2);
  });

  it('a retried click (same activity id) gets the first answer, and the action runs once', async () => {
    const h = harness({ timing: TIMING });
    const spec = { spec: { principal: { kind: 'group', group: 'f0000000-0000-4000-8000-00000000000f' }, from: 'E1', to: 'E3' } };
    const click = {
      ...h.activity('invoke', { id: 'click-1', replyToId: 'card-1' }),
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'request', data: spec }, trigger: 'manual' },
    };
    await turn(h, click);
    const first = h.adapter.activeQueue.find((x) => x.type === 'invokeResponse')!;
    h.adapter.activeQueue.splice(0);
    await turn(h, click);
    const second = h.adapter.activeQueue.find((x) => x.type === 'invokeResponse')!;
    await h.bot.whenIdle();
    assert.equal(h.requests.request.callCount, 1);
    assert.deepEqual(second.value, first.value);
    assert.match(cardText(cardOf(second.value as never)), /Change request 12/);
  });

  it('a newer command in the same chat supersedes an unfinished check: stopped, and its progress card says so', async () => {
    const h = harness({ timing: TIMING });
    const seen = slowPreflight(h, 20, 100); // 2 s
    await turn(h, { ...h.activity('message'), text: MOVE });
    await sleep(600); // the progress card is up
    assert.equal(h.proactive.sent.length, 1);
    const progressId = h.proactive.sent[0]!.id;
    h.adapter.activeQueue.splice(0);
    await turn(h, { ...h.activity('message'), text: 'plans' });
    assert.match(cardText(cardOf(h.adapter.activeQueue[0]!)), /Plans in this tenant/, 'the newer command is answered');
    await h.bot.whenIdle();
    assert.ok(seen.signals[0]!.aborted, 'the member read was stopped');
    const onProgressCard = texts(h.proactive.updated.filter((u) => u.activity.id === progressId));
    assert.match(onProgressCard.at(-1)!, /Checking Sales…/);
    assert.match(onProgressCard.at(-1)!, /a newer command in this chat took over/);
    const all = [...texts(h.proactive.sent), ...onProgressCard];
    assert.ok(!all.some((t) => /Preflight check/.test(t)), 'the superseded check never answers');
  });

  it("two admins' long checks in two chats run side by side", async () => {
    const h = harness({ timing: TIMING });
    const seen = slowPreflight(h, 8, 100); // 800 ms each
    await Promise.all([
      turn(h, { ...h.activity('message', { who: 'alice', conversationId: 'chat-alice' }), text: MOVE }),
      turn(h, { ...h.activity('message', { who: 'bob', conversationId: 'chat-bob' }), text: MOVE }),
    ]);
    await h.bot.whenIdle();
    assert.ok(seen.overlapped, 'the two checks ran at the same time');
    for (const chat of ['chat-alice', 'chat-bob']) {
      const said = texts([...h.proactive.sent, ...h.proactive.updated].filter((x) => x.conversationId === chat));
      assert.ok(
        said.some((t) => /Preflight check/.test(t)),
        `${chat}: ${said.join(' | ')}`,
      );
      assert.ok(!said.some((t) => /took over/.test(t)), `${chat} was not superseded`);
    }
  });

  it('a slow card action: the click is answered at once with the progress card, which then becomes the answer', async () => {
    const h = harness({ timing: TIMING });
    slowPreflight(h, 6, 100);
    const click = {
      ...h.activity('invoke', { replyToId: 'guided-card' }),
      name: 'adaptiveCard/action',
      value: {
        action: { type: 'Action.Execute', verb: 'preflight', data: { principal: { kind: 'group', group: 'f0000000-0000-4000-8000-00000000000f' }, from: 'E1', to: 'E3' } },
        trigger: 'manual',
      },
    };
    await h.adapter.processActivity(click);
    assert.equal(h.proactive.updated.length, 0, 'answered before the check was done');
    const answer = h.adapter.activeQueue.find((x) => x.type === 'invokeResponse')!.value as never;
    assert.match(cardText(cardOf(answer)), /Checking the change…|Checking Sales…/);
    await h.bot.whenIdle();
    const onCard = texts(h.proactive.updated.filter((u) => u.activity.id === 'guided-card'));
    assert.ok(
      onCard.some((t) => /members read/.test(t)),
      onCard.join('\n---\n'),
    );
    assert.match(onCard.at(-1)!, /Preflight check/);
  });

  it('the progress card speaks Dutch to a Dutch command', async () => {
    const h = harness({ timing: TIMING });
    slowPreflight(h, 6, 100);
    await turn(h, { ...h.activity('message'), text: 'verplaats groep Sales naar E3' });
    await h.bot.whenIdle();
    const said = texts([...h.proactive.sent, ...h.proactive.updated]);
    assert.match(said[0]!, /Sales controleren…/);
    assert.ok(
      said.some((t) => /\d\.\d{3} van ongeveer 5\.994 leden gelezen/.test(t)),
      said.join('\n---\n'),
    );
  });
});

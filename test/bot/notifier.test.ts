import assert from 'node:assert/strict';
import { BotNotifier } from '../../src/bot/notifier';
import { Conversations } from '../../src/bot/conversations';
import { silentLogger } from '../../src/bot/deps';
import { actionsOf, cardText, changeRequest, fakeApprovers, harness, ids, MemoryRefs, people, RecordingProactive } from './fakes';

function ref(conversationId: string, conversationType: string, locale = 'en-US') {
  return {
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/',
    locale,
    bot: { id: '28:plan-switch', name: 'Plan Switch' },
    conversation: { id: conversationId, conversationType, tenantId: 't' },
  };
}

function setup() {
  const refs = new MemoryRefs();
  const proactive = new RecordingProactive();
  const conv = new Conversations(refs, proactive, silentLogger);
  const approvers = fakeApprovers();
  const notifier = new BotNotifier(conv, approvers, silentLogger, { progressEveryMs: 0 });
  refs.saveConversationRef('conv:team-chat', ref('team-chat', 'groupChat'));
  refs.saveConversationRef(`personal:${ids.bob}`, ref('bob-personal', 'personal', 'nl-NL'));
  refs.saveConversationRef(`member:${ids.bob}`, { teamsId: '29:bob', name: 'Bob Bakker' });
  refs.saveConversationRef(`member:${ids.alice}`, { teamsId: '29:alice', name: 'Alice de Vries' });
  return { refs, proactive, conv, notifier, approvers };
}

const card = (a: { activity: any }) => a.activity.attachments[0].content;

describe('bot/notifier', () => {
  it("requested: an approval card in the request's conversation (refresh for approvers) and in each approver's personal chat", async () => {
    const { notifier, proactive, conv } = setup();
    const r = changeRequest({ conversationKey: 'conv:team-chat' });
    await notifier.changed(r, 'requested');
    assert.equal(proactive.sent.length, 2);
    const [inTeam, inPersonal] = proactive.sent;
    assert.equal(inTeam!.conversationId, 'team-chat');
    const teamCard = card(inTeam!);
    assert.deepEqual(teamCard.refresh.userIds, ['29:bob'], 'approvers only; not the requester');
    assert.equal(teamCard.refresh.action.verb, 'refresh');
    assert.deepEqual(teamCard.refresh.action.data, { requestId: '12', lang: 'en' });
    assert.ok(!actionsOf(teamCard).some((a) => a.verb === 'approve'), 'the base card shows the status');
    assert.equal(inPersonal!.conversationId, 'bob-personal');
    const personal = card(inPersonal!);
    assert.deepEqual(
      actionsOf(personal).map((a) => a.verb),
      ['approve', 'reject'],
    );
    assert.match(cardText(personal), /Goedkeuring nodig/, "Bob's chat is in Dutch");
    assert.deepEqual(
      (await conv.cards('12')).map((c) => [c.conversationKey, c.view]),
      [
        ['conv:team-chat', 'status'],
        [`personal:${ids.bob}`, 'approval'],
      ],
    );
  });

  it("requested from the requester's own personal chat: no second card there, only the approvers' chats", async () => {
    const { notifier, proactive, refs } = setup();
    refs.saveConversationRef('conv:alice-personal', ref('alice-personal', 'personal'));
    await notifier.changed(changeRequest({ conversationKey: 'conv:alice-personal' }), 'requested');
    assert.deepEqual(
      proactive.sent.map((s) => s.conversationId),
      ['bob-personal'],
    );
  });

  it('requested without any stored reference sends nothing and does not fail', async () => {
    const refs = new MemoryRefs();
    const proactive = new RecordingProactive();
    const notifier = new BotNotifier(new Conversations(refs, proactive, silentLogger), fakeApprovers(), silentLogger);
    await notifier.changed(changeRequest({ conversationKey: 'conv:gone' }), 'requested');
    assert.equal(proactive.sent.length, 0);
  });

  it('approved / started: every card of the request is updated in place, no notice', async () => {
    const { notifier, proactive, conv } = setup();
    await conv.addCard('12', { conversationKey: 'conv:team-chat', activityId: 'a1', view: 'status', lang: 'en' });
    await conv.addCard('12', { conversationKey: `personal:${ids.bob}`, activityId: 'a2', view: 'approval', lang: 'nl' });
    await notifier.changed(changeRequest({ state: 'running', version: 3, approver: { id: ids.bob, tenantId: 't', name: 'Bob Bakker' } }), 'started');
    assert.equal(proactive.sent.length, 0);
    assert.deepEqual(
      proactive.updated.map((u) => [u.conversationId, u.activity.id]),
      [
        ['team-chat', 'a1'],
        ['bob-personal', 'a2'],
      ],
    );
    const bobs = proactive.updated[1]!.activity.attachments![0]!.content as any;
    assert.ok(!actionsOf(bobs).some((a) => a.verb === 'approve'), 'no approve button once it runs');
    assert.match(cardText(bobs), /Wordt uitgevoerd/i);
  });

  it("progress updates the cards with Entra's processing state", async () => {
    const { notifier, proactive, conv } = setup();
    await conv.addCard('12', { conversationKey: 'conv:team-chat', activityId: 'a1', view: 'status', lang: 'en' });
    await conv.addCard('12', { conversationKey: `personal:${ids.bob}`, activityId: 'a2', view: 'status', lang: 'nl' });
    await notifier.progress(changeRequest({ state: 'running' }), { groupId: 'g', processingState: 'ProcessingInProgress', elapsedMs: 4200, polls: 3 });
    const en = cardText(proactive.updated[0]!.activity.attachments![0]!.content);
    assert.match(en, /Entra is processing the group: in progress \(4 s\)/, 'plain words, not the raw state');
    assert.doesNotMatch(en, /ProcessingInProgress/);
    assert.match(cardText(proactive.updated[1]!.activity.attachments![0]!.content), /Entra verwerkt de groep: bezig \(4 s\)/);
    await notifier.progress(changeRequest({ state: 'running' }), { groupId: 'g', processingState: 'QueuedForProcessing', elapsedMs: 185_000, polls: 9 });
    assert.match(cardText(proactive.updated[2]!.activity.attachments![0]!.content), /Entra is processing the group: queued \(3 min\)/);
    assert.match(cardText(proactive.updated[3]!.activity.attachments![0]!.content), /Entra verwerkt de groep: in de wachtrij \(3 min\)/);
  });

  it('progress is throttled', async () => {
    const refs = new MemoryRefs();
    const proactive = new RecordingProactive();
    const conv = new Conversations(refs, proactive, silentLogger);
    refs.saveConversationRef('conv:c', ref('c', 'personal'));
    await conv.addCard('12', { conversationKey: 'conv:c', activityId: 'a1', view: 'status', lang: 'en' });
    let now = 0;
    const notifier = new BotNotifier(conv, fakeApprovers(), silentLogger, { progressEveryMs: 5000, now: () => now });
    const p = { groupId: 'g', processingState: 'X', elapsedMs: 1, polls: 1 };
    now = 10_000;
    await notifier.progress(changeRequest({ state: 'running' }), p);
    now = 11_000;
    await notifier.progress(changeRequest({ state: 'running' }), p);
    now = 16_000;
    await notifier.progress(changeRequest({ state: 'running' }), p);
    assert.equal(proactive.updated.length, 2);
  });

  it('completed: the completion notice names members done, members in error and why, and what to do next', async () => {
    const { notifier, proactive } = setup();
    const r = changeRequest({
      conversationKey: 'conv:team-chat',
      state: 'partial',
      approver: { id: ids.bob, tenantId: 't', name: 'Bob Bakker' },
      result: {
        swap: { kind: 'group', outcomes: [], changed: [], failed: [], startedAt: 'a', finishedAt: 'b' },
        tracking: {
          groupId: ids.sales,
          outcome: 'complete',
          processingState: 'ProcessingComplete',
          done: [people.alice],
          errors: [{ principal: people.carol, error: 'CountViolation', message: 'No E3 licenses were left for this user.' }],
          stillHoldingSource: [],
          polls: 2,
          elapsedMs: 3000,
          finishedAt: 'c',
        },
        trackingTotals: { done: 10, errors: 1, stillHoldingSource: 0 },
      },
    });
    await notifier.changed(r, 'partial');
    const notice = proactive.sent.find((s) => s.conversationId === 'team-chat');
    assert.ok(notice);
    const text = cardText(card(notice));
    assert.match(text, /Change request 12 finished/);
    assert.match(text, /Partly done/);
    assert.match(text, /10 members done/);
    assert.match(text, /Alice de Vries/);
    assert.match(text, /and 9 more/);
    assert.match(text, /1 member in error/);
    assert.match(text, /Carol Smit \(carol@contoso.example\): No E3 licenses were left/);
    assert.match(text, /What to do next/);
    // A member in error: "Reprocess after fixing" (for the group) comes first, then Undo.
    assert.deepEqual(
      actionsOf(card(notice)).map((a) => a.verb),
      ['reprocess', 'undo'],
    );
    assert.deepEqual(actionsOf(card(notice))[0]!.data.principal, { kind: 'group', id: ids.sales });
  });

  it("rejected: a notice with the reason in the request's conversation", async () => {
    const { notifier, proactive } = setup();
    await notifier.changed(
      changeRequest({ conversationKey: 'conv:team-chat', state: 'rejected', approver: { id: ids.bob, tenantId: 't', name: 'Bob Bakker' }, result: { reason: 'Not this quarter' } }),
      'rejected',
    );
    const text = cardText(card(proactive.sent[0]!));
    assert.match(text, /Rejected by Bob Bakker/);
    assert.match(text, /Reason: Not this quarter/);
  });

  it('worsened: says why nothing ran', async () => {
    const { notifier, proactive } = setup();
    await notifier.changed(changeRequest({ conversationKey: 'conv:team-chat', state: 'failed', result: { worsened: ['Seats: 2 available now, 11 needed.'] } }), 'worsened');
    const text = cardText(card(proactive.sent[0]!));
    assert.match(text, /the new check found more problems, so nothing ran/);
    assert.match(text, /Seats: 2 available now, 11 needed\./);
  });

  it('a failing channel never throws into the workflow', async () => {
    const { notifier, proactive, conv } = setup();
    await conv.addCard('12', { conversationKey: 'conv:team-chat', activityId: 'a1', view: 'status', lang: 'en' });
    proactive.updateActivity = async () => {
      throw new Error('Teams is down');
    };
    await notifier.changed(changeRequest({ state: 'approved' }), 'approved');
  });

  it('conversation references stored by the bot are what the notifier uses (they live in the durable store)', async () => {
    const h = harness();
    await h.say('help', { who: 'bob', conversationId: 'bob-1on1', conversationType: 'personal', locale: 'nl-NL' });
    const notifier = new BotNotifier(h.bot.conv, h.approvers, silentLogger);
    await notifier.changed(changeRequest({ conversationKey: 'conv:nowhere' }), 'requested');
    assert.equal(h.proactive.sent.length, 1);
    assert.equal(h.proactive.sent[0]!.conversationId, 'bob-1on1');
    assert.match(cardText(card(h.proactive.sent[0]!)), /Goedkeuren|Goedkeuring nodig/);
  });
});

// Approvers are always reached, and the requester is told the truth: personal chats, approvals
// channels (added by an approver, or APPROVALS_CHANNEL), proactive installation with and without
// the Graph permission, a channel that refuses posts, reminders and the expiry notice; in English
// and Dutch. Teams' installation events come through the harness as Teams sends them.
import assert from 'node:assert/strict';
import { BotNotifier } from '../../src/bot/notifier';
import { Conversations } from '../../src/bot/conversations';
import { ApprovalsChannels } from '../../src/bot/approvals-channels';
import { ApproverReach, type AppInstaller } from '../../src/bot/approver-reach';
import type { ApproversPort, Logger } from '../../src/bot/deps';
import type { ApprovalsChannelSetting } from '../../src/requests/config';
import type { Actor, ChangeRequest } from '../../src/requests/types';
import { actionsOf, cardOf, cardText, changeRequest, harness, ids, MemoryRefs, RecordingProactive, TENANT, type Harness } from './fakes';

const HANNA = { id: '29:hanna', aadObjectId: 'a0000000-0000-4000-8000-0000000000b1', name: 'Hanna Dubois' };
const KEES = { id: '29:kees', aadObjectId: 'a0000000-0000-4000-8000-0000000000b2', name: 'Kees Hermans' };
const ALICE = { id: '29:alice', aadObjectId: ids.alice, name: 'Alice de Vries' };
const CHANNEL = '19:licenses@thread.tacv2';

function approversOf(list: string[]): ApproversPort {
  const set = new Set(list);
  return {
    approverIds: async () => new Set(set),
    isApprover: async (a: Actor) => a.tenantId === TENANT && set.has(a.id),
    canApprove: async (a: Actor, r?: Pick<ChangeRequest, 'requester'>) =>
      !set.has(a.id) ? { ok: false, reason: 'not_approver', message: 'no' } : r && r.requester.id === a.id ? { ok: false, reason: 'own_request', message: 'own' } : { ok: true },
  };
}

function recordingLog(): Logger & { lines: { level: string; event: string; meta?: Record<string, unknown> }[] } {
  const lines: { level: string; event: string; meta?: Record<string, unknown> }[] = [];
  const at = (level: string) => (event: string, meta?: Record<string, unknown>) => void lines.push({ level, event, ...(meta ? { meta } : {}) });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

interface World {
  h: Harness;
  notifier: BotNotifier;
  reach: ApproverReach;
  proactive: RecordingProactive;
  refs: MemoryRefs;
  log: ReturnType<typeof recordingLog>;
  installer: AppInstaller & { calls: string[]; outcome: Awaited<ReturnType<AppInstaller['install']>> };
  /** Alice asks in her personal chat (in `lang`); her card there is tracked as card-1. */
  ask(over?: Partial<ChangeRequest>, lang?: 'en' | 'nl'): Promise<ChangeRequest>;
  /** The requester's card as last drawn for everyone. */
  requesterCard(): string;
  /** What went to a conversation, as text. */
  sentTo(conversationId: string): string[];
}

function world(opts: { install?: Awaited<ReturnType<AppInstaller['install']>>; configured?: ApprovalsChannelSetting } = {}): World {
  const refs = new MemoryRefs();
  const proactive = new RecordingProactive();
  const log = recordingLog();
  const conv = new Conversations(refs, proactive, log);
  const approvers = approversOf([HANNA.aadObjectId, KEES.aadObjectId]);
  const calls: string[] = [];
  const installer = {
    calls,
    outcome: opts.install ?? ('denied' as Awaited<ReturnType<AppInstaller['install']>>),
    async install(id: string) {
      calls.push(id);
      return this.outcome;
    },
  };
  const names: Record<string, string> = { [HANNA.aadObjectId]: HANNA.name, [KEES.aadObjectId]: KEES.name };
  const reach = new ApproverReach(conv, approvers, new ApprovalsChannels(conv, log, opts.configured), log, {
    ...(opts.install ? { installer } : {}),
    directory: { displayName: async (id) => names[id] },
  });
  const notifier = new BotNotifier(conv, approvers, log, { reach, progressEveryMs: 0 });
  const h = harness({ approvers: approversOf([HANNA.aadObjectId, KEES.aadObjectId]) as never, refs, proactive, reach, onReachChanged: (r) => notifier.reachChanged(r) });
  h.requests.pending.resolves([]); // nothing waits until a test says so
  const w: World = {
    h,
    notifier,
    reach,
    proactive,
    refs,
    log,
    installer,
    async ask(over = {}, lang = 'en') {
      await h.say('help', { who: ALICE, conversationId: 'alice-chat', conversationType: 'personal', locale: lang === 'nl' ? 'nl-NL' : 'en-US' });
      const r = changeRequest({ conversationKey: 'conv:alice-chat', ...over });
      await conv.addCard(r.id, { conversationKey: 'conv:alice-chat', activityId: 'card-1', view: 'status', lang });
      await notifier.changed(r, 'requested');
      await h.bot.whenIdle();
      return r;
    },
    requesterCard() {
      const u = proactive.updated.filter((x) => x.conversationId === 'alice-chat' && x.activity.id === 'card-1').pop();
      assert.ok(u, "the requester's card was redrawn");
      return cardText(u.activity.attachments![0]!.content);
    },
    sentTo(conversationId) {
      return proactive.sent.filter((s) => s.conversationId === conversationId).map((s) => cardText(s.activity.attachments?.[0]?.content ?? s.activity.text));
    },
  };
  return w;
}

/** An approver opens Plan Switch in Teams: Teams sends the personal installation events. */
const opens = (w: World, who: typeof HANNA, locale = 'en-US') => w.h.install({ who, conversationId: `${who.name.split(' ')[0]!.toLowerCase()}-chat`, locale });

describe('bot: approvers are always reached, and the requester is told who was', () => {
  describe('nobody reachable', () => {
    it('says so plainly, with what to do: on the card and in a notice (English)', async () => {
      const w = world();
      await w.ask();
      const expected = /No approver has Plan Switch open yet: ask Hanna Dubois or Kees Hermans to open it in Teams, or add it to your approvers' channel/;
      assert.match(w.requesterCard(), expected);
      assert.doesNotMatch(w.requesterCard(), /Sent to/);
      const notices = w.sentTo('alice-chat').filter((t) => expected.test(t));
      assert.equal(notices.length, 1, "one notice in the requester's chat");
    });

    it('in Dutch', async () => {
      const w = world();
      await w.ask({}, 'nl');
      assert.match(w.requesterCard(), /Nog geen goedkeurder heeft Plan Switch geopend: vraag Hanna Dubois of Kees Hermans om het in Teams te openen/);
    });
  });

  describe('one approver reachable', () => {
    it('the card reaches her; the requester reads whom it reached and who was not reached', async () => {
      const w = world();
      await opens(w, HANNA);
      await w.ask();
      const toHanna = w.proactive.sent.filter((s) => s.conversationId === 'hanna-chat' && actionsOf(s.activity.attachments?.[0]?.content).some((a) => a.verb === 'approve'));
      assert.equal(toHanna.length, 1);
      assert.deepEqual(
        actionsOf(toHanna[0]!.activity.attachments![0]!.content).map((a) => a.verb),
        ['approve', 'reject'],
      );
      const card = w.requesterCard();
      assert.match(card, /Sent to Hanna Dubois\./);
      assert.match(card, /Not reached: Kees Hermans/);
      // Refresh (Alice's own click) keeps saying it.
      const refreshed = await w.h.click('refresh', { requestId: '12' }, { who: 'alice', conversationId: 'alice-chat' });
      assert.match(cardText(cardOf(refreshed)), /Sent to Hanna Dubois\./);
      assert.equal(w.sentTo('alice-chat').filter((t) => /No approver/.test(t)).length, 0, 'no alarm when someone was reached');
    });

    it('in Dutch', async () => {
      const w = world();
      await opens(w, HANNA, 'nl-NL');
      await w.ask({}, 'nl');
      assert.match(w.requesterCard(), /Verstuurd naar Hanna Dubois\./);
      assert.match(w.requesterCard(), /Niet bereikt: Kees Hermans/);
      assert.match(w.sentTo('hanna-chat').pop()!, /Goedkeuring nodig/);
    });
  });

  describe('an approvals channel', () => {
    it('an approver adds the bot to a channel: it is remembered, said once, and every approval card is posted there', async () => {
      const w = world();
      await opens(w, HANNA);
      const replies = await w.h.install({ who: HANNA, scope: 'channel', conversationId: CHANNEL, team: 'IT', channel: 'Licenses' });
      assert.equal(replies.length, 1, 'Teams sends two events; the bot speaks once');
      assert.match(cardText(replies[0]!.attachments![0]!.content), /From now on the channel IT › Licenses gets every Plan Switch approval request/);
      await w.ask();
      const post = w.proactive.sent.find((s) => s.conversationId === CHANNEL)!;
      assert.ok(post, 'posted in the channel');
      const card = post.activity.attachments![0]!.content;
      assert.deepEqual(card.refresh.userIds, ['29:hanna'], 'Approve/Reject refreshed for the approvers Teams knows');
      assert.ok(
        actionsOf(card).some((a) => a.title === 'Show my options' && a.verb === 'refresh'),
        'a button for the approvers beyond 60',
      );
      assert.ok(!actionsOf(card).some((a) => a.verb === 'approve'), 'everyone else sees the status');
      assert.match(w.requesterCard(), /Sent to Hanna Dubois and to the channel IT › Licenses\./);
      assert.equal((w.refs.map.get(`conv:${CHANNEL}`) as { activityId?: string }).activityId, undefined, 'cards are new posts, not replies to the install message');
    });

    it('the channel alone reaches the approvers (Dutch): nobody is told to act', async () => {
      const w = world();
      await w.h.install({ who: HANNA, scope: 'channel', conversationId: CHANNEL, team: 'IT', channel: 'Licenties', locale: 'nl-NL' });
      await w.ask({}, 'nl');
      assert.match(w.requesterCard(), /Verstuurd naar het kanaal IT › Licenties\./);
      assert.equal(w.sentTo('alice-chat').filter((t) => /Nog geen goedkeurder/.test(t)).length, 0);
    });

    it('a group chat added by an approver counts too; one added by someone else does not', async () => {
      const w = world();
      await w.h.install({ who: 'carol', scope: 'groupChat', conversationId: '19:other@thread.v2', topic: 'Lunch' });
      await w.h.install({ who: KEES, scope: 'groupChat', conversationId: '19:approvers@thread.v2', topic: 'License approvers' });
      assert.deepEqual(
        (await w.reach.channels.list()).map((c) => c.conversationId),
        ['19:approvers@thread.v2'],
      );
      await w.ask();
      assert.match(w.requesterCard(), /Sent to the group chat License approvers\./);
    });

    it('a channel that refuses the post (403) is dropped with a log line, and the approvers it can reach are told', async () => {
      const w = world();
      await opens(w, HANNA);
      await w.h.install({ who: HANNA, scope: 'channel', conversationId: CHANNEL, team: 'IT', channel: 'Licenses' });
      w.proactive.refuse.set(CHANNEL, 403);
      await w.ask();
      assert.deepEqual(await w.reach.channels.list(), []);
      const dropped = w.log.lines.find((l) => l.event === 'approvals_channel.dropped');
      assert.equal(dropped?.meta?.why, 'refused');
      assert.match(w.sentTo('hanna-chat').join('\n'), /Plan Switch can no longer post in the channel IT › Licenses/);
      assert.match(w.requesterCard(), /Sent to Hanna Dubois\./);
      assert.doesNotMatch(w.requesterCard(), /channel/);
      // The next request does not try the channel again.
      const posts = w.proactive.sent.length;
      await w.ask({ id: '13' });
      assert.ok(!w.proactive.sent.slice(posts).some((s) => s.conversationId === CHANNEL));
    });

    it('removing the bot from the channel drops it and tells the approvers (Dutch)', async () => {
      const w = world();
      await opens(w, HANNA, 'nl-NL');
      await w.h.install({ who: HANNA, scope: 'channel', conversationId: CHANNEL, team: 'IT', channel: 'Licenties' });
      await w.h.install({ who: KEES, scope: 'channel', conversationId: CHANNEL, team: 'IT', channel: 'Licenties', action: 'remove' });
      assert.deepEqual(await w.reach.channels.list(), []);
      assert.equal(w.log.lines.find((l) => l.event === 'approvals_channel.dropped')?.meta?.why, 'removed');
      assert.match(w.sentTo('hanna-chat').join('\n'), /Plan Switch kan niet meer posten in het kanaal IT › Licenties/);
    });

    it('APPROVALS_CHANNEL: posted there before the bot ever heard from it; a 404 drops it for good', async () => {
      const w = world({ configured: { conversationId: '19:cfg@thread.tacv2', name: 'IT › Licenses' } });
      await opens(w, HANNA);
      await w.ask();
      assert.ok(w.proactive.sent.some((s) => s.conversationId === '19:cfg@thread.tacv2'));
      assert.match(w.requesterCard(), /Sent to Hanna Dubois and to the channel IT › Licenses\./);
      w.proactive.refuse.set('19:cfg@thread.tacv2', 404);
      await w.ask({ id: '13' });
      assert.deepEqual(await w.reach.channels.list(), []);
    });
  });

  describe('proactive installation', () => {
    it("with the permission: installs for the approvers it cannot reach, then sends the card on Teams' installation event", async () => {
      const w = world({ install: 'installed' });
      await opens(w, HANNA);
      const r = await w.ask();
      assert.deepEqual(w.installer.calls, [KEES.aadObjectId], 'only for whoever was not reachable');
      assert.ok(w.refs.map.has(`installed:${KEES.aadObjectId}`));
      assert.match(w.requesterCard(), /Sent to Hanna Dubois\./);
      assert.match(w.requesterCard(), /Installing Plan Switch for Kees Hermans: the approval card follows as soon as Teams confirms/);
      assert.equal(w.sentTo('kees-chat').length, 0, 'nothing before Teams confirms');

      // A second request before Teams confirms: Graph answers 409 (installed), the card is still on its way.
      w.installer.outcome = 'already';
      await w.ask({ id: '13' });
      assert.match(w.requesterCard(), /Installing Plan Switch for Kees Hermans/);
      w.installer.outcome = 'installed';

      w.h.requests.pending.resolves([r]);
      await opens(w, KEES);
      const toKees = w.proactive.sent.filter((s) => s.conversationId === 'kees-chat' && actionsOf(s.activity.attachments?.[0]?.content).some((a) => a.verb === 'approve'));
      assert.equal(toKees.length, 1, 'the approval card followed the installation event');
      assert.match(w.requesterCard(), /Sent to Hanna Dubois and Kees Hermans\./);
      assert.doesNotMatch(w.requesterCard(), /Installing/);
      // Teams sends the event again (both activities, or a reinstall): no second card.
      await opens(w, KEES);
      assert.equal(w.proactive.sent.filter((s) => s.conversationId === 'kees-chat' && actionsOf(s.activity.attachments?.[0]?.content).some((a) => a.verb === 'approve')).length, 1);
    });

    it('in Dutch', async () => {
      const w = world({ install: 'installed' });
      await w.ask({}, 'nl');
      assert.match(w.requesterCard(), /Plan Switch wordt geïnstalleerd voor Hanna Dubois en Kees Hermans/);
    });

    it('without the permission: says which approvers were not reached, and stops asking Graph', async () => {
      const w = world({ install: 'denied' });
      await w.ask();
      assert.deepEqual(w.installer.calls, [HANNA.aadObjectId], 'the first 403 is enough');
      assert.match(w.requesterCard(), /No approver has Plan Switch open yet: ask Hanna Dubois or Kees Hermans/);
      assert.ok(w.log.lines.some((l) => l.event === 'teams_app.install_denied' && /TeamsAppInstallation\.ReadWriteSelfForUser\.All/.test(String(l.meta?.msg))));
    });
  });

  describe('reminders and expiry', () => {
    it('the reminder sends the approval card again wherever it reached, with a reminder line (English and Dutch)', async () => {
      const w = world();
      await opens(w, HANNA);
      await opens(w, KEES, 'nl-NL');
      const r = await w.ask();
      await w.notifier.reminder(r);
      assert.match(w.sentTo('hanna-chat').pop()!, /Reminder: this request is still waiting for a decision/);
      assert.match(w.sentTo('kees-chat').pop()!, /Herinnering: deze aanvraag wacht nog op een beslissing/);
    });

    it('the expiry notice tells the requester, with a one-click "Ask again" that asks again after a fresh check', async () => {
      const w = world();
      const r = await w.ask();
      await w.notifier.changed({ ...r, state: 'expired', version: 2 }, 'expired');
      const notice = w.proactive.sent.filter((s) => s.conversationId === 'alice-chat').pop()!;
      const card = notice.activity.attachments![0]!.content;
      assert.match(cardText(card), /Nobody approved this request in time/);
      const again = actionsOf(card).find((a) => a.title === 'Ask again')!;
      assert.equal(again.verb, 'request');
      const res = await w.h.click(again.verb, again.data, { who: 'alice', conversationId: 'alice-chat', replyToId: notice.id });
      assert.equal(w.h.licenses.preflight.callCount, 1, 'a fresh preflight');
      assert.equal(w.h.requests.request.callCount, 1, 'a new request');
      assert.deepEqual(w.h.requests.request.firstCall.args[1], r.spec);
      assert.match(cardText(cardOf(res)), /waiting for approval/);
    });

    it('the expiry notice in Dutch: "Opnieuw aanvragen"', async () => {
      const w = world();
      const r = await w.ask({}, 'nl');
      await w.notifier.changed({ ...r, state: 'expired', version: 2 }, 'expired');
      const notice = w.proactive.sent.filter((s) => s.conversationId === 'alice-chat').pop()!;
      assert.ok(actionsOf(notice.activity.attachments![0]!.content).some((a) => a.title === 'Opnieuw aanvragen'));
    });
  });
});

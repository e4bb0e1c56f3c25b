import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FINDING_CODES, type PrincipalRef } from '../../src/licensing/model';
import { en, nl } from '../../src/i18n';
import { CARD_NAMES, CARDS_DIR, md, renderCard } from '../../src/bot/cards/render';
import { helpCard } from '../../src/bot/cards/help';
import { plansCard } from '../../src/bot/cards/plans';
import { preflightCard } from '../../src/bot/cards/preflight';
import { progressText, requestCard } from '../../src/bot/cards/request';
import { resultCard } from '../../src/bot/cards/result';
import { requestLine, requestListCard } from '../../src/bot/cards/request-list';
import { principalStatusCard } from '../../src/bot/cards/principal-status';
import { guidePrincipalCard, guideSourceCard, guideTargetCard } from '../../src/bot/cards/guide';
import { chooseCard } from '../../src/bot/cards/choose';
import { noticeCard } from '../../src/bot/cards/notice';
import { parseCommand } from '../../src/bot/parser';
import { actionsOf, actors, cardText, changeRequest, E1, E3, finding, PLANS, preflightResult } from './fakes';

const EVIL = '${evil} **bold** [link](http://x) {{DATE(2017-02-14T06:08:39Z,SHORT)}} _i_';

function evilUser(n: number, name = EVIL): PrincipalRef {
  return { kind: 'user', id: `u${n}`, displayName: `${name} ${n}`, userPrincipalName: `evil${n}@contoso.example` };
}

/** Every string in a card. */
function strings(card: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (typeof n === 'string') out.push(n);
    else if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') Object.values(n).forEach(walk);
  };
  walk(card);
  return out;
}

function allCards(name = 'Member') {
  const spec = { principal: { kind: 'group' as const, group: 'f0000000-0000-4000-8000-00000000000f' }, from: E1.skuId, to: E3.skuId };
  const pf = preflightResult(spec, { findings: FINDING_CODES.map((c, i) => finding(c, (['block', 'warn', 'info'] as const)[i % 3], [])) });
  const done = changeRequest({
    state: 'partial',
    result: {
      swap: { kind: 'group', outcomes: [], changed: [], failed: [], startedAt: 'x', finishedAt: 'y' },
      tracking: {
        groupId: 'g',
        outcome: 'complete',
        processingState: 'ProcessingComplete',
        done: [evilUser(1, name)],
        errors: [{ principal: evilUser(2, name), error: 'CountViolation', message: 'No seats left.' }],
        stillHoldingSource: [],
        polls: 1,
        elapsedMs: 1,
        finishedAt: 'z',
      },
    },
  });
  return {
    help: helpCard(en),
    plans: plansCard(en, PLANS),
    preflight: preflightCard(en, pf, spec),
    'request-status': requestCard(en, changeRequest(), { view: 'status' }),
    'request-approval': requestCard(en, changeRequest(), { view: 'approval', refreshUserIds: ['29:bob'] }),
    'request-running': requestCard(en, changeRequest({ state: 'approved' }), { view: 'running' }),
    result: resultCard(en, done),
    list: requestListCard(en, 'history', [changeRequest(), done]),
    'principal-status': principalStatusCard(en, {
      principal: { kind: 'group', id: 'g', displayName: 'Sales' },
      licenses: [],
      processingState: 'ProcessingComplete',
      memberCount: 3,
    }),
    'guide-principal': guidePrincipalCard(en),
    'guide-source': guideSourceCard(en, { principal: { kind: 'group', id: 'g', displayName: 'Sales' }, licenses: [{ plan: E1, assignedByGroup: null, disabledPlans: [] }] }),
    'guide-target': guideTargetCard(en, { kind: 'group', id: 'g', displayName: 'Sales' }, E1, PLANS),
    choose: chooseCard({ title: 't', buttonTitle: 'b', options: [{ title: 'a', detail: 'd', verb: 'preflight', data: { x: 1 } }] }),
    notice: noticeCard({ text: 'hello' }),
  };
}

describe('bot/cards: templates and view models', () => {
  it('there is one template per screen, each an Adaptive Card 1.5', () => {
    const files = readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json'));
    assert.deepEqual(files.map((f) => f.replace(/\.json$/, '')).sort(), [...CARD_NAMES].sort());
    for (const f of files) {
      const t = JSON.parse(readFileSync(join(CARDS_DIR, f), 'utf8'));
      assert.equal(t.type, 'AdaptiveCard', f);
      assert.equal(t.version, '1.5', f);
      assert.ok(Array.isArray(t.body), f);
      for (const a of actionsOf(t)) assert.ok(a.verb, `${f}: every action is an Action.Execute with a verb`);
    }
  });

  it('every screen renders with no template expression left over', () => {
    for (const [name, card] of Object.entries(allCards())) {
      assert.equal(card.version, '1.5', name);
      for (const s of strings(card)) assert.ok(!s.includes('${'), `${name}: leftover expression in ${JSON.stringify(s)}`);
    }
  });

  it('Action.Execute buttons carry data objects and a valid style', () => {
    for (const [name, card] of Object.entries(allCards())) {
      const walk = (n: any) => {
        if (Array.isArray(n)) n.forEach(walk);
        else if (n && typeof n === 'object') {
          if (n.type === 'Action.Execute') {
            assert.equal(typeof n.data, 'object', `${name}: ${n.title}`);
            if (n.style !== undefined) assert.ok(['default', 'positive', 'destructive'].includes(n.style), `${name}: style ${n.style}`);
          }
          Object.values(n).forEach(walk);
        }
      };
      walk(card);
    }
  });

  describe('tenant text is data, never template or markdown', () => {
    it('a display name "${evil}" comes out literally (the templating expands the template only)', () => {
      const card = renderCard('notice', { title: '', style: 'default', text: '${evil}', details: [{ text: '${1+1}' }], actions: [] });
      const texts = strings(card);
      assert.ok(texts.includes('${evil}'));
      assert.ok(texts.includes('${1+1}'));
    });

    it('on the preflight card names are escaped, links and date functions broken, and "${…}" kept literally', () => {
      const spec = { principal: { kind: 'group' as const, group: 'g' }, to: E3.skuId };
      const pf = preflightResult(
        { principal: { kind: 'group', group: 'f0000000-0000-4000-8000-00000000000f' }, to: 'E3' },
        {
          findings: [finding('MEMBERS_IN_ERROR', 'warn', [evilUser(1)])],
        },
      );
      pf.change.principal = { kind: 'group', id: 'g', displayName: EVIL };
      const text = cardText(preflightCard(en, pf, spec));
      assert.ok(text.includes('${evil}'), 'the expression is shown as typed');
      assert.ok(text.includes('\\*\\*bold\\*\\*'), 'markdown bold escaped');
      assert.ok(text.includes('\\[link\\]'), 'markdown link escaped');
      assert.ok(!text.includes('{{DATE('), 'client-side date function broken up');
      assert.ok(text.includes('\\_i\\_'), 'italics escaped');
    });

    it('md() escapes markdown and neutralises list and heading markers', () => {
      assert.equal(md('a*b_c`d~e[f]g\\h'), 'a\\*b\\_c\\`d\\~e\\[f\\]g\\\\h');
      assert.equal(md('- item'), '\\- item');
      assert.equal(md('# title'), '\\# title');
      assert.equal(md('1. one'), '1\\. one');
      assert.equal(md('two\nlines'), 'two lines');
      assert.equal(md('{{TIME(x)}}'), '{\u200B{TIME(x)}\u200B}');
      assert.equal(md('Alice de Vries (alice@contoso.example)'), 'Alice de Vries (alice@contoso.example)');
    });

    it('request and result cards escape names too', () => {
      const r = changeRequest({ requester: { id: 'x', tenantId: 't', name: EVIL }, state: 'rejected', result: { reason: EVIL } });
      const t1 = cardText(requestCard(en, r, { view: 'status' }));
      assert.ok(t1.includes('${evil} \\*\\*bold\\*\\*'));
      assert.ok(!t1.includes('{{DATE('));
      const t2 = strings(allCards(EVIL).result).join('\n');
      assert.ok(t2.includes('${evil} \\*\\*bold\\*\\*'));
    });
  });

  describe('readable on white: signs and styled containers, not faint coloured text', () => {
    /** Every element of a card with a "color", and the containers' styles. */
    function coloured(card: unknown): { color: string; weight?: string; size?: string; text?: string }[] {
      const out: { color: string; weight?: string; size?: string; text?: string }[] = [];
      const walk = (n: any) => {
        if (Array.isArray(n)) n.forEach(walk);
        else if (n && typeof n === 'object') {
          if (typeof n.color === 'string') out.push(n);
          Object.values(n).forEach(walk);
        }
      };
      walk(card);
      return out;
    }
    function styles(card: unknown): string[] {
      const out: string[] = [];
      const walk = (n: any) => {
        if (Array.isArray(n)) n.forEach(walk);
        else if (n && typeof n === 'object') {
          if (n.type === 'Container' && typeof n.style === 'string') out.push(n.style);
          Object.values(n).forEach(walk);
        }
      };
      walk(card);
      return out;
    }

    it('no card uses yellow or green text, and red text only bold', () => {
      const extra = {
        notice: noticeCard({ text: 'x', tone: 'warn' }),
        error: noticeCard({ text: 'x', tone: 'block' }),
        plans: plansCard(
          en,
          PLANS.map((p, i) => ({ ...p, available: i })),
        ),
      };
      for (const [name, card] of Object.entries({ ...allCards(), ...extra })) {
        for (const c of coloured(card)) {
          assert.ok(!['Good', 'Warning', 'Accent', 'good', 'warning', 'accent'].includes(c.color), `${name}: ${c.color} text ${JSON.stringify(c.text)}`);
          if (/attention/i.test(c.color)) assert.equal(c.weight, 'Bolder', `${name}: red text must be bold`);
        }
      }
      for (const f of readdirSync(CARDS_DIR)) {
        assert.doesNotMatch(readFileSync(join(CARDS_DIR, f), 'utf8'), /"color":\s*"(Good|Warning|\$\{color\})"/, f);
      }
    });

    it('findings and notes carry a sign: ⛔ blocking, ⚠ warning, ℹ note, ✓ done', () => {
      const spec = { principal: { kind: 'group' as const, group: 'f0000000-0000-4000-8000-00000000000f' }, to: 'E3' };
      const pf = preflightResult(spec, {
        findings: [finding('SEATS_SHORT', 'block', [], { needed: 12, available: 10 }), finding('NESTED_GROUPS', 'warn'), finding('GROUP_SYNCED', 'info')],
      });
      const text = cardText(preflightCard(en, pf, spec));
      assert.match(text, /⛔ Blocking/);
      assert.match(text, /⚠ Warnings/);
      assert.match(text, /ℹ Good to know/);
      assert.match(cardText(preflightCard(nl, pf, spec)), /⚠ Waarschuwingen/);
      assert.ok(styles(preflightCard(en, pf, spec)).includes('warning'), 'the warnings sit in a warning container');

      const r = changeRequest({ preflight: pf });
      const rt = cardText(requestCard(en, r, { view: 'status', note: { text: en.request.requested('12'), tone: 'done' } }));
      assert.match(rt, /✓ Change request 12 is waiting for approval\./);
      assert.doesNotMatch(rt, /Approvers have been asked/, 'the card never claims what the notifier has not done (approver-reach.ts says who was reached)');
      assert.match(rt, /⚠ The group contains other groups/);
      assert.match(rt, /⛔ Not enough licenses/);
      assert.match(cardText(allCards().result), /✓ 1 member done/);
      assert.match(cardText(allCards().result), /⛔ 1 member in error/);
      assert.match(cardText(preflightCard(en, preflightResult(spec), spec)), /✓ No problems found\./);
    });

    it('a ready preflight looks ready (good, or neutral with warnings to read), never amber; blocked is attention', () => {
      const spec = { principal: { kind: 'group' as const, group: 'f0000000-0000-4000-8000-00000000000f' }, to: 'E3' };
      const banner = (card: any) => card.body[1];
      const clean = banner(preflightCard(en, preflightResult(spec), spec));
      assert.equal(clean.style, 'good');
      assert.equal(clean.items[0].text, '✓ Ready: ask a second administrator to approve.');
      const one = banner(preflightCard(en, preflightResult(spec, { findings: [finding('NESTED_GROUPS', 'warn')] }), spec));
      assert.equal(one.style, 'emphasis');
      assert.match(one.items[0].text, /^✓ Ready, with 1 warning below: read it, then ask/);
      const two = preflightResult(spec, { findings: [finding('NESTED_GROUPS', 'warn'), finding('GROUP_PROCESSING', 'warn')] });
      assert.match(banner(preflightCard(en, two, spec)).items[0].text, /with 2 warnings below: read them/);
      assert.match(banner(preflightCard(nl, two, spec)).items[0].text, /^✓ Klaar, met 2 waarschuwingen hieronder/);
      const blocked = banner(preflightCard(en, preflightResult(spec, { findings: [finding('SEATS_SHORT', 'block', [], { needed: 2, available: 1 })] }), spec));
      assert.equal(blocked.style, 'attention');
      assert.match(blocked.items[0].text, /^⛔ This change cannot run/);
    });
  });

  describe('request card', () => {
    it("a change to a list of users is named in the reader's language, in history lines and on the card", () => {
      const r = changeRequest();
      const c = r.preflight!.change;
      Object.assign(c, { kind: 'users', principal: { kind: 'user', id: 'users:3', displayName: '3 users' }, affectedUsers: 3 });
      assert.match(requestLine(nl, r), /3 gebruikers/);
      assert.doesNotMatch(requestLine(nl, r), /3 users/);
      const card = cardText(requestCard(nl, r, { view: 'status' }));
      assert.match(card, /3 gebruikers/);
      assert.doesNotMatch(card, /3 users/);
    });

    it('names who decided with a label that matches the decision, and their reason, in both languages', () => {
      const bob = actors.bob;
      const cases = [
        [
          { state: 'rejected', approver: bob, result: { reason: 'not this quarter' } },
          'Rejected by\nBob Bakker',
          'Afgewezen door\nBob Bakker',
          'Reason given by Bob Bakker: not this quarter',
          'Reden van Bob Bakker: not this quarter',
        ],
        [
          { state: 'cancelled', result: { cancelledBy: actors.alice, reason: 'wrong group' } },
          'Cancelled by\nAlice de Vries',
          'Geannuleerd door\nAlice de Vries',
          'Reason given by Alice de Vries: wrong group',
          'Reden van Alice de Vries: wrong group',
        ],
        [
          { state: 'completed', approver: bob, result: { reason: 'budget approved by finance' } },
          'Approved by\nBob Bakker',
          'Goedgekeurd door\nBob Bakker',
          'Reason given by Bob Bakker: budget approved by finance',
          'Reden van Bob Bakker: budget approved by finance',
        ],
        [{ state: 'expired' }, 'Decision\nnobody decided before {{DATE(', 'Besluit\nniemand heeft vóór {{DATE(', undefined, undefined],
      ] as const;
      for (const [over, enFact, nlFact, enReason, nlReason] of cases) {
        const r = changeRequest(over as never);
        const e = cardText(requestCard(en, r, { view: 'status' }));
        const n = cardText(requestCard(nl, r, { view: 'status' }));
        assert.ok(e.includes(enFact), `${over.state}: ${e}`);
        assert.ok(n.includes(nlFact), `${over.state}: ${n}`);
        if (over.state !== 'completed') assert.doesNotMatch(e, /Approved by/, `${over.state} never says approved`);
        if (enReason) assert.ok(e.includes(enReason) && n.includes(nlReason!), e);
        const line = cardText(requestListCard(en, 'history', [r]));
        if (enReason)
          assert.ok(
            line.includes(over.state === 'cancelled' ? 'Cancelled by Alice de Vries: wrong group' : `by Bob Bakker: ${(over as { result: { reason: string } }).result.reason}`),
            line,
          );
      }
    });

    it("the check's seat figures are labelled as such once the change ran; the seats read afterwards replace them", () => {
      const r = changeRequest({ state: 'completed', approver: actors.bob });
      assert.match(cardText(requestCard(en, changeRequest(), { view: 'status' })), /Seats\n/);
      assert.match(cardText(requestCard(en, r, { view: 'status' })), /Seats at the check\n/);
      const after = PLANS.map((p) => (p.skuId === E3.skuId ? { ...p, available: 1, consumed: p.enabled - 1 } : p));
      const done = cardText(resultCard(en, r, after));
      assert.match(done, /Seats after the change\nOffice 365 E3: 1 of \d+ free · Office 365 E1: \d+ of \d+ free/);
      assert.doesNotMatch(done, /needed/);
      assert.match(cardText(resultCard(nl, r)), /Licenties bij de controle/);
    });

    it('pending: approvers and the requester can type a reason (approve, reject, cancel)', () => {
      for (const view of ['approval', 'status'] as const) {
        const card = requestCard(en, changeRequest(), { view });
        assert.ok(JSON.stringify(card).includes('"id":"reason"'), view);
      }
      assert.ok(!JSON.stringify(requestCard(en, changeRequest({ state: 'completed' }), { view: 'status' })).includes('"id":"reason"'));
    });

    it("the approver's view says they can decide; nobody is told to wait for someone else", () => {
      for (const [t, says] of [
        [en, 'You can approve or reject this change.'],
        [nl, 'U kunt deze wijziging goedkeuren of afwijzen.'],
      ] as const) {
        const text = cardText(requestCard(t, changeRequest(), { view: 'approval' }));
        assert.ok(text.includes(says), text);
        assert.doesNotMatch(text, /another administrator|andere beheerder/);
        assert.ok(!cardText(requestCard(t, changeRequest(), { view: 'status' })).includes(says), 'not on the status view');
      }
    });

    it('"Expires" is the client\'s local time (Adaptive Cards DATE/TIME), not UTC', () => {
      const card = requestCard(en, changeRequest({ expiresAt: '2026-01-02T10:00:00.000Z' }), { view: 'status' });
      const text = cardText(card);
      assert.match(text, /Expires\n\{\{DATE\(2026-01-02T10:00:00Z,SHORT\)\}\} \{\{TIME\(2026-01-02T10:00:00Z\)\}\}/);
      assert.doesNotMatch(text, /UTC/);
      // The format the Adaptive Cards renderers accept: RFC 3339 without fractions.
      const re = /\{\{(DATE|TIME)\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2}))(,(SHORT|LONG|COMPACT))?\)\}\}/g;
      assert.equal(text.match(re)?.length, 2);
    });

    it("Entra's processing state in plain words, elapsed time humanly", () => {
      const words = {
        QueuedForProcessing: ['queued', 'in de wachtrij'],
        ProcessingInProgress: ['in progress', 'bezig'],
        ProcessingComplete: ['finished', 'klaar'],
        ProcessingFailed: ['failed', 'mislukt'],
      };
      for (const [raw, [e, n]] of Object.entries(words)) {
        assert.equal(en.common.processingState(raw), e);
        assert.equal(nl.common.processingState(raw), n);
      }
      for (const raw of ['SomethingNew', 'constructor', '__proto__']) assert.equal(en.common.processingState(raw), raw, 'unknown: the raw value');
      assert.equal(progressText(en, { processingState: 'QueuedForProcessing', elapsedMs: 12_400 }), 'Entra is processing the group: queued (12 s).');
      assert.equal(progressText(nl, { processingState: 'ProcessingInProgress', elapsedMs: 185_000 }), 'Entra verwerkt de groep: bezig (3 min).');
      assert.equal(progressText(en, { processingState: 'Odd_State', elapsedMs: 0 }), 'Entra is processing the group: Odd\\_State (0 s).', 'unknown values are escaped');
      assert.equal(en.common.duration(3_900_000), '1 h 5 min');
      assert.equal(nl.common.duration(7_200_000), '2 uur');
      const status = cardText(
        principalStatusCard(nl, { principal: { kind: 'group', id: 'g', displayName: 'Verkoop' }, licenses: [], processingState: 'ProcessingComplete', memberCount: 1 }),
      );
      assert.match(status, /Licentieverwerking: klaar · 1 direct lid/);
      assert.match(en.findings.GROUP_PROCESSING({ state: 'QueuedForProcessing' }), /\(queued\)/);
    });
  });

  describe('counts: singular and plural', () => {
    it('every count-bearing string agrees with its number, in both languages', () => {
      const cases: [string, string][] = [
        [en.result.stillHoldingSource(1), '1 member still holds the old plan from another source'],
        [en.result.stillHoldingSource(3), '3 members still hold the old plan from another source'],
        [nl.result.stillHoldingSource(1), '1 lid houdt het oude licentieplan via een andere bron'],
        [nl.result.stillHoldingSource(3), '3 leden houden het oude licentieplan via een andere bron'],
        [en.result.done(1), '1 member done'],
        [nl.result.done(2), '2 leden klaar'],
        [en.result.inError(1), '1 member in error'],
        [nl.result.inError(1), '1 lid met een fout'],
        [en.status.memberCount(1), '1 direct member'],
        [en.status.memberCount(2), '2 direct members'],
        [nl.status.memberCount(1), '1 direct lid'],
        [nl.status.memberCount(2), '2 directe leden'],
        [en.status.membersInError(1), '1 member in error'],
        [nl.status.membersInError(1), '1 lid met een fout'],
        [nl.status.membersInError(4), '4 leden met een fout'],
        [en.common.users(1), '1 user'],
        [nl.common.users(2), '2 gebruikers'],
        [en.common.members(1), '1 member'],
        [nl.common.members(1), '1 lid'],
      ];
      for (const [got, want] of cases) assert.equal(got, want);
      assert.match(en.result.membersJoined(1), /^1 member joined/);
      assert.match(nl.result.membersJoined(1), /^1 lid is .* heeft/);
      assert.match(nl.result.membersJoined(2), /^2 leden zijn .* hebben/);
    });

    it('the result card says "1 member still holds"', () => {
      const r = changeRequest({
        state: 'completed',
        result: {
          tracking: {
            groupId: 'g',
            outcome: 'complete',
            processingState: 'ProcessingComplete',
            done: [],
            errors: [],
            stillHoldingSource: [evilUser(1, 'Jan')],
            polls: 1,
            elapsedMs: 1,
            finishedAt: 'z',
          },
        },
      });
      assert.match(cardText(resultCard(en, r)), /⚠ 1 member still holds the old plan/);
      assert.match(cardText(resultCard(nl, r)), /⚠ 1 lid houdt het oude licentieplan/);
    });
  });

  describe('buttons', () => {
    it('every button title fits a Teams card button in both languages (at most 36 characters, with 500 people)', () => {
      for (const t of [en, nl]) {
        const titles = [
          t.preflight.requestApproval,
          t.preflight.cancel,
          t.preflight.includeDirect,
          t.preflight.recheck,
          t.preflight.checkAsUsers(1),
          t.preflight.checkAsUsers(500),
          t.request.approve,
          t.request.reject,
          t.request.cancelRequest,
          t.request.undo,
          t.request.refresh,
          t.request.open,
          t.lookup.choose,
          t.guide.next,
          t.guide.check,
          t.guide.back,
          t.help.startButton,
          t.help.plansButton,
        ];
        for (const title of titles) assert.ok(title.length <= 36, `${t.lang}: "${title}" is ${title.length} characters`);
      }
    });
  });

  describe('help card', () => {
    it('each command on its own line, so long examples are not squeezed into a narrow column', () => {
      for (const t of [en, nl]) {
        const card = helpCard(t) as any;
        assert.ok(!JSON.stringify(card).includes('"FactSet"'), 'no FactSet for the commands');
        const lines = cardText(card).split('\n');
        for (const [cmd, desc] of t.help.commands) {
          const i = lines.indexOf(cmd);
          assert.ok(i >= 0, `${cmd} is a line of its own`);
          assert.equal(lines[i + 1], desc);
        }
      }
    });
  });

  describe('preflight card', () => {
    it('groups findings by severity, in plain words from code + data, naming the first ten principals and "and N more"', () => {
      const many = Array.from({ length: 13 }, (_, i) => ({ kind: 'user' as const, id: `u${i}`, displayName: `User ${i}` }));
      const spec = { principal: { kind: 'group' as const, group: 'f0000000-0000-4000-8000-00000000000f' }, to: 'E3' };
      const pf = preflightResult(spec, {
        findings: [finding('SEATS_SHORT', 'warn', [], { needed: 12, available: 10 }), finding('MEMBERS_IN_ERROR', 'warn', many), finding('GROUP_SYNCED', 'info')],
      });
      const card = preflightCard(en, pf, spec);
      const text = cardText(card);
      assert.match(text, /Warnings/);
      assert.match(text, /Good to know/);
      assert.doesNotMatch(text, /Blocking/);
      assert.match(text, /Not enough licenses: 12 needed, 10 available/);
      assert.match(text, /User 0, User 1, .*User 9 and 3 more/);
      assert.doesNotMatch(text, /User 10/);
      const nlText = cardText(preflightCard(nl, pf, spec));
      assert.match(nlText, /Niet genoeg beschikbare licenties: 12 nodig, 10 beschikbaar/);
      assert.match(nlText, /en nog 3/);
      assert.match(nlText, /on-premises beheerd en gesynchroniseerd/);
    });

    it('shows who, from, to, users affected, seats and services kept/lost', () => {
      const spec = { principal: { kind: 'group' as const, group: 'f0000000-0000-4000-8000-00000000000f' }, to: 'E3' };
      const pf = preflightResult(spec);
      pf.change.servicesLost = ['Yammer'];
      const text = cardText(preflightCard(en, pf, spec));
      for (const s of [
        'Who',
        'Sales',
        'From',
        'Office 365 E1',
        'To',
        'Office 365 E3',
        'Users affected',
        '11',
        'Seats',
        'Services kept',
        'Exchange Online',
        'Services lost',
        'Yammer',
      ]) {
        assert.ok(text.includes(s), s);
      }
    });

    it('read-only without a spec (e.g. a blocked undo)', () => {
      const pf = preflightResult({ principal: { kind: 'group', group: 'f0000000-0000-4000-8000-00000000000f' }, to: 'E3' });
      assert.deepEqual(actionsOf(preflightCard(en, pf)), []);
    });
  });

  describe('i18n', () => {
    function shape(o: unknown, path = ''): string[] {
      if (typeof o === 'function') return [`${path}()`];
      if (Array.isArray(o)) return [`${path}[${o.length}]`];
      if (o && typeof o === 'object')
        return Object.keys(o)
          .sort()
          .flatMap((k) => shape((o as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
      return [path];
    }

    it('English and Dutch have the same keys', () => {
      assert.deepEqual(shape(nl), shape(en));
    });

    it('every finding code has words in both languages', () => {
      for (const code of FINDING_CODES) {
        assert.equal(typeof en.findings[code], 'function', code);
        assert.equal(typeof nl.findings[code], 'function', code);
        assert.ok(en.findings[code]({}).length > 10);
        assert.ok(nl.findings[code]({}).length > 10);
      }
    });

    it('a group without the source plan: both languages say how to move its members, with a command the parser reads back', () => {
      const data = {
        group: true,
        directHolders: 2,
        suggestUsers: ['anouk@contoso.example', 'bas@contoso.example'],
        from: 'E1',
        to: 'E3',
        otherGroups: [{ id: 'hr', displayName: 'HR', members: 1 }],
      };
      for (const [t, lang] of [
        [en, 'en'],
        [nl, 'nl'],
      ] as const) {
        const text = t.findings.SOURCE_NOT_ASSIGNED(data);
        assert.doesNotMatch(text, /Remove them from the change|Haal ze uit de wijziging/, lang);
        assert.match(text, /HR/, lang);
        const said = /"([^"]+)"/.exec(text)?.[1];
        assert.ok(said, `${lang}: a command to say`);
        const parsed = parseCommand(said);
        assert.equal(parsed.lang, lang);
        assert.deepEqual(parsed.command, { kind: 'move', principal: { kind: 'users', names: data.suggestUsers }, from: 'E1', to: 'E3' });
      }
      // Too many to spell out: how, without a list.
      assert.match(
        en.findings.SOURCE_NOT_ASSIGNED({ group: true, directHolders: 40, suggestUsers: [] }),
        /40 members hold it directly: move them as users instead, in one message or with the command line \(--users-file\)/,
      );
      assert.match(
        nl.findings.SOURCE_NOT_ASSIGNED({ group: true, directHolders: 1, suggestUsers: ['a@x.nl'], from: 'E1', to: 'E3' }),
        /Eén lid heeft het rechtstreeks toegewezen: verplaats die gebruiker afzonderlijk: zeg "verplaats gebruiker a@x\.nl van E1 naar E3"/,
      );
    });

    it('services lost with removed direct copies are explained as such, not as missing from the plan', () => {
      const d = { lost: ['Exchange Online'], downgraded: [], directLost: ['Exchange Online'], fromDirectCopies: ['u1'] };
      const text = en.findings.SERVICES_LOST(d);
      assert.match(text, /members whose own copy of the old plan this change removes lose Exchange Online: the group's new plan has it turned off/i);
      assert.doesNotMatch(text, /has no such service/);
      assert.match(nl.findings.SERVICES_LOST(d), /verliezen Exchange Online: in het nieuwe licentieplan van de groep staat die uit/);
      assert.match(en.findings.SERVICES_LOST({ lost: ['Defender for Office 365'], downgraded: [] }), /They lose Defender for Office 365: the new plan has no such service/);
    });

    it("Dutch uses Microsoft's terms", () => {
      const all =
        JSON.stringify(shape(nl)) +
        Object.values(nl.findings)
          .map((f) => f({}))
          .join(' ') +
        JSON.stringify(nl);
      for (const term of [
        'licentieplan',
        'goedkeuring aanvragen',
        'Goedkeuren',
        'Afwijzen',
        'Annuleren',
        'gebruikslocatie',
        'groepslicentie',
        'rechtstreeks toegewezen',
        'beschikbare licenties',
        'licentieconflict',
      ]) {
        assert.ok(all.toLowerCase().includes(term.toLowerCase()), term);
      }
    });
  });
});

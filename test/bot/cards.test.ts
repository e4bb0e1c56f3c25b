import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FINDING_CODES, type PrincipalRef } from '../../src/licensing/model';
import { en, nl } from '../../src/bot/i18n';
import { CARD_NAMES, CARDS_DIR, md, renderCard } from '../../src/bot/cards/render';
import { helpCard } from '../../src/bot/cards/help';
import { plansCard } from '../../src/bot/cards/plans';
import { preflightCard } from '../../src/bot/cards/preflight';
import { requestCard } from '../../src/bot/cards/request';
import { resultCard } from '../../src/bot/cards/result';
import { requestListCard } from '../../src/bot/cards/request-list';
import { principalStatusCard } from '../../src/bot/cards/principal-status';
import { guidePrincipalCard, guideSourceCard, guideTargetCard } from '../../src/bot/cards/guide';
import { chooseCard } from '../../src/bot/cards/choose';
import { noticeCard } from '../../src/bot/cards/notice';
import { actionsOf, cardText, changeRequest, E1, E3, finding, PLANS, preflightResult } from './fakes';

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
    'principal-status': principalStatusCard(en, { principal: { kind: 'group', id: 'g', displayName: 'Sales' }, licenses: [], processingState: 'ProcessingComplete', memberCount: 3 }),
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
      const card = renderCard('notice', { title: '', color: 'Default', text: '${evil}', details: [{ text: '${1+1}' }], actions: [] });
      const texts = strings(card);
      assert.ok(texts.includes('${evil}'));
      assert.ok(texts.includes('${1+1}'));
    });

    it('on the preflight card names are escaped, links and date functions broken, and "${…}" kept literally', () => {
      const spec = { principal: { kind: 'group' as const, group: 'g' }, to: E3.skuId };
      const pf = preflightResult({ principal: { kind: 'group', group: 'f0000000-0000-4000-8000-00000000000f' }, to: 'E3' }, {
        findings: [finding('MEMBERS_IN_ERROR', 'warn', [evilUser(1)])],
      });
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
      assert.doesNotMatch(text, /in English/, 'the English message of the finding is not used');
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
      for (const s of ['Who', 'Sales', 'From', 'Office 365 E1', 'To', 'Office 365 E3', 'Users affected', '11', 'Seats', 'Services kept', 'Exchange Online', 'Services lost', 'Yammer']) {
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

    it('Dutch uses Microsoft\'s terms', () => {
      const all = JSON.stringify(shape(nl)) + Object.values(nl.findings).map((f) => f({})).join(' ') + JSON.stringify(nl);
      for (const term of ['licentieplan', 'goedkeuring aanvragen', 'Goedkeuren', 'Afwijzen', 'Annuleren', 'gebruikslocatie', 'groepslicentie', 'rechtstreeks toegewezen', 'beschikbare licenties', 'licentieconflict']) {
        assert.ok(all.toLowerCase().includes(term.toLowerCase()), term);
      }
    });
  });
});

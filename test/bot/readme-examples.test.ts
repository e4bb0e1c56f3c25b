// Every chat example the README and the help card show, in English and Dutch, typed into the bot
// on the demo tenant (data/demo-tenant.json): each must be understood and find what it names (a
// user, group, plan or change request), so a newcomer who copies one gets a real answer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withSandbox } from '../helpers/sandbox';
import { connectGraph, type GraphConnection } from '../../src/graph/connect';
import { loopbackGraph } from '../../src/graph/config';
import { LicenseService } from '../../src/licensing/service';
import { openStore, type SqliteRequestStore } from '../../src/state/sqlite-store';
import { ApproverPolicy, RequesterPolicy } from '../../src/requests/approvers';
import { ChangeRequests } from '../../src/requests/workflow';
import { BotNotifier } from '../../src/bot/notifier';
import { Conversations } from '../../src/bot/conversations';
import { silentLogger } from '../../src/bot/deps';
import { cardOf, cardText, harness, type Harness } from './fakes';
import { en, nl } from '../../src/i18n';

const ROOT = join(__dirname, '..', '..', '..');
const DEMO = join(ROOT, 'data', 'demo-tenant.json');
const TENANT = '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';
const SANNE = { id: '29:sanne', aadObjectId: 'a11ce000-0000-4000-8000-000000000001', name: 'Sanne de Vries' };
const LICENSE_ADMINS = 'a11ce000-0000-4000-8000-000000000100';

/** The code spans of the README's command table, split at " / " (English / Dutch). */
export function readmeExamples(readme: string): string[] {
  const start = readme.indexOf('## What an administrator does with it');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  const out: string[] = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const first = line.split(' | ')[0]!;
    for (const m of first.matchAll(/`([^`]+)`/g)) out.push(m[1]!);
  }
  // The demo-tenant walk-through names commands too.
  const demo = readme.slice(readme.indexOf('## Trying it on the demo tenant'));
  for (const m of demo.slice(0, demo.indexOf('\n## ', 1)).matchAll(/`((?:move|verplaats|status) [^`]+)`/g)) out.push(m[1]!);
  return out;
}

/** Help card lines and its hint in the other language ("Dutch works too: verplaats …"). */
function helpExamples(): { text: string; lang: 'en' | 'nl' }[] {
  const out: { text: string; lang: 'en' | 'nl' }[] = [];
  for (const [t, lang] of [
    [en, 'en'],
    [nl, 'nl'],
  ] as const) {
    for (const [cmd] of t.help.commands) out.push({ text: cmd, lang });
    out.push({
      text: t.help.dutchHint
        .slice(t.help.dutchHint.indexOf(':') + 1)
        .trim()
        .replace(/\.$/, ''),
      lang: lang === 'en' ? 'nl' : 'en',
    });
  }
  return out;
}

/** Answers that mean the example did not work on the demo tenant. */
const NOT_FOUND = [
  /didn't understand|begreep .* niet/,
  /can't find a user or group|kan geen gebruiker of groep/,
  /has no plan called|heeft geen licentieplan/,
  /There is no change request|Er is geen wijzigingsaanvraag/,
  /Who should move\? For example|Wie moet er verplaatst worden\? Bijvoorbeeld/,
  /To which plan|Naar welk licentieplan/,
  /Something went wrong|Er ging bij mij iets mis/,
];

describe('README and help examples work on the demo tenant', function () {
  this.timeout(60_000);
  const sb = withSandbox(DEMO);
  let graph: GraphConnection;
  let store: SqliteRequestStore;
  let workflow: ChangeRequests;
  let h: Harness;

  before(async () => {
    graph = connectGraph(loopbackGraph(sb.graphBaseUrl));
    const licenses = new LicenseService(graph.gateway, undefined, { pollIntervalMs: 25, trackTimeoutMs: 10_000 });
    store = openStore(':memory:');
    const approvers = new ApproverPolicy({ approvers: `group:${LICENSE_ADMINS}`, tenantId: TENANT, licenses });
    const tmp = harness();
    const conv = new Conversations(store, tmp.proactive, silentLogger);
    const notifier = new BotNotifier(conv, approvers, silentLogger, { progressEveryMs: 0 });
    workflow = new ChangeRequests({ store, licenses, approvers, notifier, tenantId: TENANT, ttlMs: 3_600_000, recheckBudgetMs: 0 });
    const requesters = new RequesterPolicy({ requesters: `group:${LICENSE_ADMINS}`, fromApprovers: true, tenantId: TENANT, licenses });
    h = harness({ licenses, requests: workflow, approvers, requesters, refs: store, proactive: tmp.proactive, tenantId: TENANT });
    // "status 12" and "undo 12" name a change request: make the tenant's history reach 12.
    const preflight = await licenses.preflight({ principal: { kind: 'group', group: 'Sales' }, to: 'E3' });
    const requester = { id: SANNE.aadObjectId, tenantId: TENANT, name: SANNE.name };
    for (let i = 0; i < 12; i++) await store.create({ spec: { principal: { kind: 'group', group: 'Sales' }, to: 'E3' }, preflight, requester, ttlMs: 3_600_000 });
  });

  after(async () => {
    await workflow.whenIdle();
    await h.bot.whenIdle();
    store.close();
    await graph.close();
  });

  const readme = readmeExamples(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('the README has its examples in both languages', () => {
    assert.ok(readme.length >= 15, readme.join(' | '));
    assert.ok(readme.some((e) => e.startsWith('verplaats groep Verkoop')));
    assert.ok(readme.some((e) => e.startsWith('verplaats gebruiker ')));
  });

  it('Dutch surnames: "move de Vries to E3" offers Jan and Sanne de Vries; particles inside names find the person', async () => {
    const [choose] = await h.say('move de Vries to E3', { who: SANNE });
    const text = cardText(cardOf(choose!));
    assert.match(text, /Jan de Vries/);
    assert.match(text, /Sanne de Vries/);
    for (const [say, name] of [
      ['verplaats Noor van den Bosch naar E3', 'Noor van den Bosch'],
      ["move Sterre 't Hart from E1 to E3", "Sterre 't Hart"],
      ['verplaats gebruiker Thijs ter Horst van E1 naar E3', 'Thijs ter Horst'],
      ['move Jeroen van Dijk to E3', 'Jeroen van Dijk'],
    ] as const) {
      const [reply] = await h.say(say, { who: SANNE });
      const card = cardText(cardOf(reply!));
      assert.match(card, /Preflight check|Controle vooraf/, `${say} -> ${card.slice(0, 200)}`);
      assert.ok(card.includes(name), `${say} names ${name}: ${card.slice(0, 200)}`);
    }
  });

  const all = [...readme.map((text) => ({ text, lang: undefined as 'en' | 'nl' | undefined, from: 'README' })), ...helpExamples().map((e) => ({ ...e, from: `help (${e.lang})` }))];
  for (const ex of all) {
    it(`${ex.from}: ${ex.text}`, async () => {
      const replies = await h.say(ex.text, { who: SANNE, ...(ex.lang === 'nl' ? { locale: 'nl-NL' } : {}) });
      assert.ok(replies.length, 'an answer');
      const text = replies.map((r) => (r.attachments?.length ? cardText(cardOf(r)) : String(r.text ?? ''))).join('\n');
      for (const bad of NOT_FOUND) assert.doesNotMatch(text, bad, `${ex.text} -> ${text.slice(0, 300)}`);
      if (/^(move|verplaats)\b/.test(ex.text)) {
        // Understood and found: a preflight card, or a card to choose between real matches.
        assert.match(text, /Preflight check|Controle vooraf|Which one do you mean|Welke bedoelt u/, `${ex.text} -> ${text.slice(0, 300)}`);
      }
    });
  }
});

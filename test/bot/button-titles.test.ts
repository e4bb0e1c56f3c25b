// Teams cuts a button's title at about 40 characters ("Eerst de gebruikslocatie van deze persoon op
// NL z…"): every button title in the message tables stays within 40, in English and Dutch, with the
// largest counts a card can show; a button added to a card without being listed here fails too.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { en, nl, type Messages } from '../../src/i18n';
import { withSandbox } from '../helpers/sandbox';
import { actionsOf, cardOf, cardText } from './fakes';
import { demoStack, type DemoStack } from './demo-stack';

const MAX = 40;
const COUNTS = [1, 2, 12, 10_000];

/** Every button title, by its key in the tables (functions with the values a card may pass). */
const BUTTONS: Record<string, (t: Messages) => string[]> = {
  'help.startButton': (t) => [t.help.startButton],
  'lookup.choose': (t) => [t.lookup.choose],
  'guide.next': (t) => [t.guide.next],
  'guide.back': (t) => [t.guide.back],
  'guide.check': (t) => [t.guide.check],
  'guide.addAnother': (t) => [t.guide.addAnother],
  'preflight.requestApproval': (t) => [t.preflight.requestApproval],
  'preflight.checkAsUsers': (t) => COUNTS.map((n) => t.preflight.checkAsUsers(n)),
  'preflight.adoptInstead': (t) => [t.preflight.adoptInstead],
  'preflight.recheck': (t) => [t.preflight.recheck],
  'preflight.includeDirect': (t) => [t.preflight.includeDirect],
  'preflight.cancel': (t) => [t.preflight.cancel],
  'preflight.acceptLoss': (t) => COUNTS.map((n) => t.preflight.acceptLoss(n)),
  'preflight.keepOwnCopies': (t) => [t.preflight.keepOwnCopies],
  'usageLocation.setButton': (t) => ['NL', 'BE', 'GB'].map((c) => t.usageLocation.setButton(c)),
  'usageLocation.setButtonNoCountry': (t) => [t.usageLocation.setButtonNoCountry],
  'request.approve': (t) => [t.request.approve],
  'request.reject': (t) => [t.request.reject],
  'request.cancelRequest': (t) => [t.request.cancelRequest],
  'request.refresh': (t) => [t.request.refresh],
  'request.undo': (t) => [t.request.undo],
  'request.open': (t) => [t.request.open],
  'reach.showMyOptions': (t) => [t.reach.showMyOptions],
  'reach.askAgain': (t) => [t.reach.askAgain],
  'reprocess.button': (t) => [t.reprocess.button],
  'waves.pause': (t) => [t.waves.pause],
  'waves.resume': (t) => [t.waves.resume],
  'waves.cancelRest': (t) => [t.waves.cancelRest],
};

/** Every src/bot source file (the cards and the notices build the buttons). */
function botSources(): { file: string; text: string }[] {
  const root = join(__dirname, '..', '..', '..', 'src', 'bot');
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push({ file: p, text: readFileSync(p, 'utf8') });
    }
  };
  walk(root);
  return out;
}

describe('bot: button titles fit on a Teams button (at most 40 characters)', () => {
  for (const t of [en, nl]) {
    it(`every button title in the ${t.lang === 'en' ? 'English' : 'Dutch'} table`, () => {
      const long = Object.entries(BUTTONS).flatMap(([key, titles]) =>
        titles(t)
          .filter((s) => s.length > MAX)
          .map((s) => `${key}: "${s}" (${s.length})`),
      );
      assert.deepEqual(long, []);
    });
  }

  it('the usage location fix is short in both languages; whose it is, the input says', () => {
    assert.equal(en.usageLocation.setButton('NL'), 'Set usage location to NL first');
    assert.equal(nl.usageLocation.setButton('NL'), 'Eerst gebruikslocatie NL instellen');
    assert.match(en.usageLocation.countryLabelFor(3), /these 3 people/);
    assert.match(nl.usageLocation.countryLabelFor(3), /deze 3 personen/);
  });

  it('every title a card gives a button from the tables is listed above', () => {
    // action(t.section.key ...), buttonTitle: t.section.key, and the guide's next/back/check/addAnother.
    const used = new Set<string>();
    for (const { text } of botSources()) {
      for (const m of text.matchAll(/\baction\(\s*(?:[\w.]+\s*\?\s*)?t\.(\w+)\.(\w+)(?:\s*:\s*t\.(\w+)\.(\w+))?/g)) {
        used.add(`${m[1]}.${m[2]}`);
        if (m[3]) used.add(`${m[3]}.${m[4]}`);
      }
      for (const m of text.matchAll(/\bbuttonTitle:\s*t\.(\w+)\.(\w+)/g)) used.add(`${m[1]}.${m[2]}`);
      for (const m of text.matchAll(/\b(?:next|back|check|addAnother):\s*t\.guide\.(\w+)/g)) used.add(`guide.${m[1]}`);
      for (const m of text.matchAll(/\bt\.usageLocation\.(setButton\w*)/g)) used.add(`usageLocation.${m[1]}`);
    }
    assert.ok(used.size >= 20, `found ${used.size} button titles: the patterns above no longer match the cards`);
    assert.deepEqual([...used].filter((k) => !(k in BUTTONS)).sort(), [], 'a button title not listed in BUTTONS: add it there');
  });
});

describe('bot: the blocked Marketing card in Teams, English and Dutch (demo tenant)', function () {
  this.timeout(30_000);
  const sb = withSandbox(join(__dirname, '..', '..', '..', 'data', 'demo-tenant.json'), { resetEach: true });
  let stack: DemoStack;
  beforeEach(() => {
    stack = demoStack(sb.graphBaseUrl, () => ({ usageLocationWritable: async () => true }));
  });
  afterEach(async () => {
    await stack.workflow.whenIdle();
    stack.store.close();
    await stack.graph.close();
  });

  const SANNE = { id: '29:sanne', aadObjectId: 'a11ce000-0000-4000-8000-000000000001', name: 'Sanne de Vries' };
  for (const [command, asUsers, fix, label] of [
    ['move group Marketing from E1 to E3', 'Check these 8 people as users', 'Set usage location to NL first', /for this person/],
    ['verplaats groep Marketing van E1 naar E3', 'Controleer deze 8 als gebruikers', 'Eerst gebruikslocatie NL instellen', /voor deze persoon/],
  ] as const) {
    it(`${command}, then as users: every button fits, the usage location fix among them`, async () => {
      const [reply] = await stack.h.say(command, { who: SANNE });
      const group = cardOf(reply!);
      const next = actionsOf(group).find((a) => a.title === asUsers);
      assert.ok(next, `${JSON.stringify(actionsOf(group).map((a) => a.title))}\n${cardText(group)}`);
      const users = cardOf(await stack.h.click('preflight', next.data, { who: SANNE }));
      const titles = [...actionsOf(group), ...actionsOf(users)].map((a) => a.title);
      assert.ok(titles.includes(fix), `${JSON.stringify(titles)}\n${cardText(users)}`);
      assert.deepEqual(
        titles.filter((t) => t.length > MAX),
        [],
      );
      assert.match(JSON.stringify(users), label, "whose usage location: said by the country input's label");
    });
  }
});

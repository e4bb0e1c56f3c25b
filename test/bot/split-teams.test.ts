// "split teams for group Sales" / "splits Teams af voor groep Verkoop" (and "join teams for …"):
// parsed in English and Dutch, answered with the preflight of the proposed change or with why
// nothing is proposed; never a write.
import assert from 'node:assert/strict';
import { parseCommand } from '../../src/bot/parser';
import { cardOf, cardText, E1, harness, ids } from './fakes';

const cmd = (t: string) => parseCommand(t).command;
const lang = (t: string) => parseCommand(t).lang;

describe('bot/parser: split Teams', () => {
  it('split teams for group Sales / for a user / for a bare name', () => {
    assert.deepEqual(cmd('split teams for group Sales'), { kind: 'split-teams', direction: 'split', principal: { kind: 'group', name: 'Sales' } });
    assert.deepEqual(cmd('split Teams for alex@contoso.example'), { kind: 'split-teams', direction: 'split', principal: { kind: 'any', name: 'alex@contoso.example' } });
    assert.deepEqual(cmd('Split Teams off for user de Vries'), { kind: 'split-teams', direction: 'split', principal: { kind: 'user', name: 'de Vries' } });
    assert.deepEqual(cmd('unbundle teams for Sales.'), { kind: 'split-teams', direction: 'split', principal: { kind: 'any', name: 'Sales' } });
    assert.equal(lang('split teams for group Sales'), 'en');
  });
  it('splits Teams af voor groep Verkoop (Dutch), and other Dutch word orders', () => {
    assert.deepEqual(cmd('splits Teams af voor groep Verkoop'), { kind: 'split-teams', direction: 'split', principal: { kind: 'group', name: 'Verkoop' } });
    assert.equal(lang('splits Teams af voor groep Verkoop'), 'nl');
    assert.deepEqual(cmd('Teams afsplitsen voor gebruiker anna@contoso.nl'), { kind: 'split-teams', direction: 'split', principal: { kind: 'user', name: 'anna@contoso.nl' } });
    assert.deepEqual(cmd('splits teams af voor Noor van den Bosch'), { kind: 'split-teams', direction: 'split', principal: { kind: 'any', name: 'Noor van den Bosch' } });
    assert.equal(lang('split teams af voor groep Verkoop'), 'nl');
  });
  it('the reverse: join teams for … / voeg Teams samen voor …', () => {
    assert.deepEqual(cmd('join teams for group Sales'), { kind: 'split-teams', direction: 'join', principal: { kind: 'group', name: 'Sales' } });
    assert.deepEqual(cmd('join Teams back for group Sales'), { kind: 'split-teams', direction: 'join', principal: { kind: 'group', name: 'Sales' } });
    assert.deepEqual(cmd('voeg Teams weer samen voor groep Verkoop'), { kind: 'split-teams', direction: 'join', principal: { kind: 'group', name: 'Verkoop' } });
    assert.equal(lang('voeg Teams samen voor groep Verkoop'), 'nl');
  });
  it('without a who, the command is still recognised (the reply asks)', () => {
    assert.deepEqual(cmd('split teams'), { kind: 'split-teams', direction: 'split' });
  });
  it('is not confused with a move or with other words', () => {
    assert.equal(cmd('move group Teams to E3').kind, 'move');
    assert.equal(cmd('split the bill').kind, 'unknown');
    assert.equal(cmd('status Teams').kind, 'status');
  });
});

describe('bot/messages: split Teams', () => {
  it('answers with the preflight of the proposed change, headed by what is proposed; nothing written', async () => {
    const h = harness();
    const [reply] = await h.say('split teams for group Sales');
    const text = cardText(cardOf(reply!));
    assert.match(text, /Split Teams for Sales: Office 365 E1 → Office 365 E1 \(no Teams\) \+ Microsoft Teams Enterprise, in one change/);
    assert.equal(h.licenses.proposeTeamsSplit.callCount, 1);
    assert.deepEqual(h.licenses.proposeTeamsSplit.firstCall.args, [{ kind: 'group', group: 'Sales' }, 'split']);
    const spec = h.licenses.preflight.firstCall.args[0];
    assert.equal(spec.from, E1.skuId);
    assert.deepEqual(spec.alsoTo, ['7e31c0d9-9551-471d-836f-32ee72be4a01']);
    assert.equal(h.licenses.swap.callCount, 0);
    assert.equal(h.requests.request.callCount, 0);
  });
  it('in Dutch', async () => {
    const h = harness();
    const [reply] = await h.say('splits Teams af voor groep Verkoop', { locale: 'en-US' });
    assert.match(cardText(cardOf(reply!)), /Teams afsplitsen voor .*in één wijziging/);
  });
  it('nothing to propose: the reasons, in a card, and no preflight', async () => {
    const h = harness();
    const [reply] = await h.say('voeg Teams samen voor groep Verkoop');
    const text = cardText(cardOf(reply!));
    assert.match(text, /Niets voor te stellen/);
    assert.match(text, /geen "\(no Teams\)"-licentieplan/);
    assert.equal(h.licenses.preflight.callCount, 0);
  });
  it('who is missing, or a list of users: a clear answer, nothing looked up', async () => {
    const h = harness();
    const [ask] = await h.say('split teams');
    assert.match(String(ask!.text), /Split Teams for whom\?/);
    const [list] = await h.say('split teams for users a@contoso.example, b@contoso.example');
    assert.match(String(list!.text), /one user or one group at a time/);
    assert.equal(h.licenses.proposeTeamsSplit.callCount, 0);
  });
  it('a card click ("split" verb) proposes for the chosen principal; forged data changes nothing', async () => {
    const h = harness();
    const res = await h.click('split', { principal: { kind: 'group', group: ids.sales }, direction: 'split' });
    assert.match(cardText(res.body.value), /Split Teams for/);
    const bad = await h.click('split', { principal: { kind: 'users', users: ['x'] }, direction: 'split' });
    assert.match(cardText(bad.body.value), /damaged or out of date/);
    const worse = await h.click('split', { principal: { kind: 'group', group: ids.sales }, direction: 'sideways' });
    assert.match(cardText(worse.body.value), /damaged or out of date/);
    assert.equal(h.licenses.proposeTeamsSplit.callCount, 1);
  });
  it('people who may not request changes are refused', async () => {
    const h = harness();
    const [reply] = await h.say('split teams for group Sales', { who: 'carol' });
    assert.match(String(reply!.text ?? cardText(cardOf(reply!))), /not|niet/i);
    assert.equal(h.licenses.proposeTeamsSplit.callCount, 0);
  });
});

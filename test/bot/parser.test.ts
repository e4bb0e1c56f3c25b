import assert from 'node:assert/strict';
import { parseCommand, cleanText } from '../../src/bot/parser';

const cmd = (t: string) => parseCommand(t).command;
const lang = (t: string) => parseCommand(t).lang;

describe('bot/parser', () => {
  describe('move (English)', () => {
    it('move group Sales to E3', () => {
      assert.deepEqual(cmd('move group Sales to E3'), { kind: 'move', principal: { kind: 'group', name: 'Sales' }, to: 'E3' });
      assert.equal(lang('move group Sales to E3'), 'en');
    });
    it('move user with from and to', () => {
      assert.deepEqual(cmd('move user alice@contoso.example from E1 to E3'), {
        kind: 'move',
        principal: { kind: 'user', name: 'alice@contoso.example' },
        from: 'E1',
        to: 'E3',
      });
    });
    it('bare name means "look it up"', () => {
      assert.deepEqual(cmd('move Sales to E3'), { kind: 'move', principal: { kind: 'any', name: 'Sales' }, to: 'E3' });
    });
    it('is forgiving of case', () => {
      assert.deepEqual(cmd('MOVE GROUP Sales TO e3'), { kind: 'move', principal: { kind: 'group', name: 'Sales' }, to: 'e3' });
      assert.deepEqual(cmd('Move Group Sales From E1 To E3'), { kind: 'move', principal: { kind: 'group', name: 'Sales' }, from: 'E1', to: 'E3' });
    });
    it('is forgiving of clause order', () => {
      const expected = { kind: 'move', principal: { kind: 'group', name: 'Sales' }, from: 'E1', to: 'E3' };
      assert.deepEqual(cmd('move to E3 group Sales from E1'), expected);
      assert.deepEqual(cmd('move from E1 to E3 group Sales'), expected);
      assert.deepEqual(cmd('move group Sales to E3 from E1'), expected);
      assert.deepEqual(cmd('move Sales group from E1 to E3'), expected);
    });
    it('keeps multi-word names and plans', () => {
      assert.deepEqual(cmd('move group Sales Interns to Microsoft 365 E3'), {
        kind: 'move',
        principal: { kind: 'group', name: 'Sales Interns' },
        to: 'Microsoft 365 E3',
      });
      assert.deepEqual(cmd('move user Alice de Vries from Office 365 E1 to Business Premium'), {
        kind: 'move',
        principal: { kind: 'user', name: 'Alice de Vries' },
        from: 'Office 365 E1',
        to: 'Business Premium',
      });
    });
    it('quotes protect names that contain keywords', () => {
      assert.deepEqual(cmd('move group "Move to Cloud" to E3'), { kind: 'move', principal: { kind: 'group', name: 'Move to Cloud' }, to: 'E3' });
      assert.deepEqual(cmd("move group 'Users from Amsterdam' to E3"), {
        kind: 'move',
        principal: { kind: 'group', name: 'Users from Amsterdam' },
        to: 'E3',
      });
    });
    it('drops filler words, politeness, punctuation and mention markup', () => {
      assert.deepEqual(cmd('<at>Plan Switch</at> please move the group Sales to the E3 plan.'), {
        kind: 'move',
        principal: { kind: 'group', name: 'Sales' },
        to: 'E3',
      });
      assert.deepEqual(cmd('move group Sales -> E3'), { kind: 'move', principal: { kind: 'group', name: 'Sales' }, to: 'E3' });
    });
    it('keeps filler words inside names', () => {
      assert.deepEqual(cmd('move group Friends of the Earth to Project Plan 3'), {
        kind: 'move',
        principal: { kind: 'group', name: 'Friends of the Earth' },
        to: 'Project Plan 3',
      });
    });
    it('several users', () => {
      assert.deepEqual(cmd('move users alice@contoso.example, bob@contoso.example and carol@contoso.example to E3'), {
        kind: 'move',
        principal: { kind: 'users', names: ['alice@contoso.example', 'bob@contoso.example', 'carol@contoso.example'] },
        to: 'E3',
      });
      assert.deepEqual(cmd('move user alice@contoso.example bob@contoso.example to E3'), {
        kind: 'move',
        principal: { kind: 'users', names: ['alice@contoso.example', 'bob@contoso.example'] },
        to: 'E3',
      });
    });
    it('switch/change are synonyms', () => {
      assert.equal(cmd('switch group Sales to E3').kind, 'move');
      assert.equal(cmd('change user bob@contoso.example to E5').kind, 'move');
    });
    it('says what is missing', () => {
      assert.deepEqual(cmd('move group Sales'), { kind: 'move-incomplete', missing: 'target', principal: { kind: 'group', name: 'Sales' }, from: undefined });
      assert.deepEqual(cmd('move to E3'), { kind: 'move-incomplete', missing: 'principal', from: undefined, to: 'E3' });
      assert.equal(cmd('move').kind, 'move-incomplete');
    });
  });

  describe('several plans in one move', () => {
    it('to "A" and "B", quoted or not, for a group, a user and a list of users', () => {
      assert.deepEqual(cmd('move group Sales from E3 to "E3 (no Teams)" and "Teams Enterprise"'), {
        kind: 'move',
        principal: { kind: 'group', name: 'Sales' },
        from: 'E3',
        to: 'E3 (no Teams)',
        alsoTo: ['Teams Enterprise'],
      });
      assert.deepEqual(cmd('move user alice@contoso.example from E3 to E3 (no Teams) and Teams Enterprise'), {
        kind: 'move',
        principal: { kind: 'user', name: 'alice@contoso.example' },
        from: 'E3',
        to: 'E3 (no Teams)',
        alsoTo: ['Teams Enterprise'],
      });
      assert.deepEqual(cmd('move users a@x.example, b@x.example from E3 to E3 no Teams, Teams Enterprise'), {
        kind: 'move',
        principal: { kind: 'users', names: ['a@x.example', 'b@x.example'] },
        from: 'E3',
        to: 'E3 no Teams',
        alsoTo: ['Teams Enterprise'],
      });
    });
    it('several sources: from E1 and "Teams Essentials"; three targets', () => {
      assert.deepEqual(cmd('move user bo@x.example from E1 and "Teams Essentials" to E3'), {
        kind: 'move',
        principal: { kind: 'user', name: 'bo@x.example' },
        from: 'E1',
        to: 'E3',
        alsoFrom: ['Teams Essentials'],
      });
      assert.deepEqual((cmd('move group Sales to A, B and C') as { alsoTo?: string[] }).alsoTo, ['B', 'C']);
    });
    it('Dutch: naar "E3 (zonder Teams)" en "Teams Enterprise"', () => {
      const p = parseCommand('verplaats groep Verkoop van E3 naar "E3 (zonder Teams)" en "Teams Enterprise"');
      assert.deepEqual(p.command, { kind: 'move', principal: { kind: 'group', name: 'Verkoop' }, from: 'E3', to: 'E3 (zonder Teams)', alsoTo: ['Teams Enterprise'] });
      assert.equal(p.lang, 'nl');
      assert.deepEqual(cmd('verplaats gebruiker Jan van Dijk van E1 en Teams Essentials naar E3'), {
        kind: 'move',
        principal: { kind: 'user', name: 'Jan van Dijk' },
        from: 'E1',
        to: 'E3',
        alsoFrom: ['Teams Essentials'],
      });
    });
    it('never splits inside quotes or parentheses; filler words go per plan', () => {
      assert.deepEqual(cmd('move group Sales to "Planner and Project Plan 3"'), { kind: 'move', principal: { kind: 'group', name: 'Sales' }, to: 'Planner and Project Plan 3' });
      assert.deepEqual(cmd('move group Sales to Microsoft 365 E5 Developer (without Windows and Audio Conferencing)'), {
        kind: 'move',
        principal: { kind: 'group', name: 'Sales' },
        to: 'Microsoft 365 E5 Developer (without Windows and Audio Conferencing)',
      });
      assert.deepEqual(cmd('move group Sales to the E3 plan and the Teams Enterprise license'), {
        kind: 'move',
        principal: { kind: 'group', name: 'Sales' },
        to: 'E3',
        alsoTo: ['Teams Enterprise'],
      });
      assert.deepEqual(cmd('move group Sales to E3 and and'), { kind: 'move', principal: { kind: 'group', name: 'Sales' }, to: 'E3' });
    });
    it('a principal list keeps its own "and"', () => {
      assert.deepEqual(cmd('move users a@x.example and b@x.example to E3 and Teams Enterprise'), {
        kind: 'move',
        principal: { kind: 'users', names: ['a@x.example', 'b@x.example'] },
        to: 'E3',
        alsoTo: ['Teams Enterprise'],
      });
    });
  });

  describe('move (Dutch)', () => {
    it('verplaats groep Verkoop naar E3', () => {
      const p = parseCommand('verplaats groep Verkoop naar E3');
      assert.deepEqual(p.command, { kind: 'move', principal: { kind: 'group', name: 'Verkoop' }, to: 'E3' });
      assert.equal(p.lang, 'nl');
    });
    it('verplaats gebruiker anna@contoso.nl van E1 naar E3', () => {
      assert.deepEqual(cmd('verplaats gebruiker anna@contoso.nl van E1 naar E3'), {
        kind: 'move',
        principal: { kind: 'user', name: 'anna@contoso.nl' },
        from: 'E1',
        to: 'E3',
      });
    });
    it('any order, any case, verb last', () => {
      const expected = { kind: 'move', principal: { kind: 'group', name: 'Verkoop' }, from: 'E1', to: 'E3' };
      assert.deepEqual(cmd('Verplaats naar E3 van E1 groep Verkoop'), expected);
      assert.deepEqual(cmd('groep Verkoop van E1 naar E3 verplaatsen'), expected);
      assert.deepEqual(cmd('zet groep Verkoop over naar E3'), { kind: 'move', principal: { kind: 'group', name: 'Verkoop' }, to: 'E3' });
      assert.equal(lang('groep Verkoop van E1 naar E3 verplaatsen'), 'nl');
    });
    it('verplaats Verkoop naar E3 (lookup) and gebruikers', () => {
      assert.deepEqual(cmd('verplaats Verkoop naar E3'), { kind: 'move', principal: { kind: 'any', name: 'Verkoop' }, to: 'E3' });
      assert.deepEqual(cmd('verplaats gebruikers anna@contoso.nl en piet@contoso.nl naar E3'), {
        kind: 'move',
        principal: { kind: 'users', names: ['anna@contoso.nl', 'piet@contoso.nl'] },
        to: 'E3',
      });
    });
  });

  describe('Dutch surname particles are part of the name', () => {
    it('"de", "van", "van der", "ter", "\'t" stay in the name; "van" before a plan is the source', () => {
      assert.deepEqual(cmd('move de Vries to E3'), { kind: 'move', principal: { kind: 'any', name: 'de Vries' }, to: 'E3' });
      assert.deepEqual(cmd('move Jeroen van Dijk to E3'), { kind: 'move', principal: { kind: 'any', name: 'Jeroen van Dijk' }, to: 'E3' });
      assert.deepEqual(cmd('verplaats gebruiker Lucas van der Meer naar E3'), { kind: 'move', principal: { kind: 'user', name: 'Lucas van der Meer' }, to: 'E3' });
      assert.deepEqual(cmd('verplaats Thijs ter Horst van E1 naar E3'), { kind: 'move', principal: { kind: 'any', name: 'Thijs ter Horst' }, from: 'E1', to: 'E3' });
      assert.deepEqual(cmd("move Sterre 't Hart from E1 to E3"), { kind: 'move', principal: { kind: 'any', name: "Sterre 't Hart" }, from: 'E1', to: 'E3' });
      assert.deepEqual(cmd('verplaats Jeroen van Dijk van Office 365 E5 naar E3'), {
        kind: 'move',
        principal: { kind: 'any', name: 'Jeroen van Dijk' },
        from: 'Office 365 E5',
        to: 'E3',
      });
      assert.deepEqual(cmd('verplaats gebruikers Tess van Vliet en Gijs van Beek van E1 naar E3'), {
        kind: 'move',
        principal: { kind: 'users', names: ['Tess van Vliet', 'Gijs van Beek'] },
        from: 'E1',
        to: 'E3',
      });
    });
    it('"van" followed by a plan is still the source', () => {
      assert.deepEqual(cmd('verplaats Jan van E1 naar E3'), { kind: 'move', principal: { kind: 'any', name: 'Jan' }, from: 'E1', to: 'E3' });
      assert.deepEqual(cmd('verplaats Verkoop van Business Basic naar E3'), { kind: 'move', principal: { kind: 'any', name: 'Verkoop' }, from: 'Business Basic', to: 'E3' });
      assert.deepEqual(cmd('verplaats Anna van STANDARDPACK naar ENTERPRISEPACK'), {
        kind: 'move',
        principal: { kind: 'any', name: 'Anna' },
        from: 'STANDARDPACK',
        to: 'ENTERPRISEPACK',
      });
    });
    it('an article before "groep" or a labelled group name is still filler', () => {
      assert.deepEqual(cmd('verplaats de groep Verkoop naar E3'), { kind: 'move', principal: { kind: 'group', name: 'Verkoop' }, to: 'E3' });
      assert.deepEqual(cmd('verplaats de Verkoop groep naar E3'), { kind: 'move', principal: { kind: 'group', name: 'Verkoop' }, to: 'E3' });
      assert.deepEqual(cmd('verplaats Verkoop naar het E3 plan'), { kind: 'move', principal: { kind: 'any', name: 'Verkoop' }, to: 'E3' });
    });
  });

  describe('other commands', () => {
    it('plans / licenties', () => {
      assert.deepEqual(parseCommand('plans'), { command: { kind: 'plans' }, lang: 'en' });
      assert.deepEqual(parseCommand('Licenties'), { command: { kind: 'plans' }, lang: 'nl' });
      assert.equal(cmd('licenses?').kind, 'plans');
    });
    it('status', () => {
      assert.deepEqual(cmd('status Sales'), { kind: 'status', target: 'Sales' });
      assert.deepEqual(cmd('status Sales Interns'), { kind: 'status', target: 'Sales Interns' });
      assert.deepEqual(cmd('status 12'), { kind: 'status', target: '12' });
      assert.deepEqual(cmd('STATUS'), { kind: 'status', target: undefined });
      assert.deepEqual(cmd('Verkoop status'), { kind: 'status', target: 'Verkoop' });
      assert.equal(lang('status Verkoop'), undefined);
    });
    it('history / geschiedenis', () => {
      assert.deepEqual(parseCommand('history'), { command: { kind: 'history' }, lang: 'en' });
      assert.deepEqual(parseCommand('geschiedenis'), { command: { kind: 'history' }, lang: 'nl' });
      assert.deepEqual(cmd('history 5'), { kind: 'history', limit: 5 });
    });
    it('undo / ongedaan maken, any order', () => {
      assert.deepEqual(parseCommand('undo 12'), { command: { kind: 'undo', change: '12' }, lang: 'en' });
      assert.deepEqual(cmd('undo #12'), { kind: 'undo', change: '12' });
      assert.deepEqual(parseCommand('ongedaan maken 12'), { command: { kind: 'undo', change: '12' }, lang: 'nl' });
      assert.deepEqual(parseCommand('maak 12 ongedaan'), { command: { kind: 'undo', change: '12' }, lang: 'nl' });
      assert.deepEqual(parseCommand('12 ongedaan maken'), { command: { kind: 'undo', change: '12' }, lang: 'nl' });
      assert.deepEqual(cmd('undo'), { kind: 'undo' });
    });
    it('pending, help, new', () => {
      assert.equal(cmd('pending').kind, 'pending');
      assert.equal(cmd('openstaand').kind, 'pending');
      assert.equal(lang('openstaand'), 'nl');
      assert.equal(cmd('help').kind, 'help');
      assert.equal(cmd('Help!').kind, 'help');
      assert.equal(cmd('hulp').kind, 'help');
      assert.equal(lang('hulp'), 'nl');
      assert.equal(cmd('').kind, 'help');
      assert.equal(cmd('new').kind, 'new');
      assert.equal(cmd('/new').kind, 'new');
      assert.equal(cmd('nieuw').kind, 'new');
    });
    it('unknown text stays unknown', () => {
      assert.deepEqual(cmd('what is the weather'), { kind: 'unknown', text: 'what is the weather' });
      assert.equal(cmd('"quoted only"').kind, 'unknown');
    });
  });

  it('cleanText strips markup and entities', () => {
    assert.equal(cleanText('<at>Plan Switch</at>&nbsp;move&amp;go <b>x</b>'), 'move&go x');
  });
});

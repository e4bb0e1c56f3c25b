import assert from 'node:assert/strict';
import { worsenedBetween as between, worsenedText } from '../../src/requests/compare';
import { en, nl } from '../../src/i18n';
import type { PreflightResult } from '../../src/licensing/model';
import { E1, E3, finding, groupChange, preflight, user } from './fakes';

/** The stored codes said in English, as the cards show them to an English reader. */
const worsenedBetween = (a: PreflightResult, b: PreflightResult) => between(a, b).map((w) => worsenedText(en, w));

describe('requests: what got worse between request and approval', () => {
  // The lines use each finding's sentence from the message tables (src/i18n/en.ts).
  const yammer = { lost: ['Yammer'] };
  const base = preflight(groupChange(), [finding('SERVICES_LOST', 'warn', [user(1)], yammer)]);

  it('nothing: the same preflight, fewer problems, or only new info findings', () => {
    assert.deepEqual(worsenedBetween(base, base), []);
    assert.deepEqual(worsenedBetween(base, preflight(groupChange())), []);
    assert.deepEqual(worsenedBetween(base, preflight(groupChange(), [...base.findings, finding('GROUP_SYNCED', 'info')])), []);
    assert.deepEqual(worsenedBetween(base, preflight(groupChange({ seats: { needed: 10, available: 11 } }), base.findings)), [], 'fewer seats but still enough');
  });

  it('seats gone below what is needed', () => {
    const now = preflight(groupChange({ seats: { needed: 12, available: 9 } }), [...base.findings, finding('SEATS_SHORT', 'block', [], { needed: 12, available: 9 })]);
    assert.deepEqual(worsenedBetween(base, now), ['Not enough Office 365 E3 seats any more: 9 available, 12 needed (there were 15 available for 10 when it was requested).']);
  });

  it('a new blocking problem and a new warning', () => {
    const now = preflight(groupChange(), [
      ...base.findings,
      finding('MUTUALLY_EXCLUSIVE', 'block', [user(2)], { sku: { displayName: 'Microsoft 365 Business Basic' }, plans: [{ service: 'SharePoint' }] }),
      finding('USAGE_LOCATION_MISSING', 'warn', [user(3)], { count: 1, defaultCountry: null }),
    ]);
    assert.deepEqual(worsenedBetween(base, now), [
      "New blocking problem: A license conflict: the new plan clashes with Microsoft 365 Business Basic (SharePoint), which they keep. Both can't be on one user: remove Microsoft 365 Business Basic or disable the clashing service first.",
      'New warning: No usage location, and the organization has no country set either: the license may fail. Set usage locations first.',
    ]);
  });

  it('a warning that became blocking', () => {
    const now = preflight(groupChange(), [finding('SERVICES_LOST', 'block', [user(1)], yammer)]);
    assert.deepEqual(worsenedBetween(base, now), ['Now blocking (was a warning): They lose Yammer: the new plan has no such service. This can mean loss of service or data.']);
  });

  it('the same warning about more people', () => {
    const now = preflight(groupChange(), [finding('SERVICES_LOST', 'warn', [user(1), user(4), user(5)], yammer)]);
    assert.deepEqual(worsenedBetween(base, now), [
      'They lose Yammer: the new plan has no such service. This can mean loss of service or data (2 more people affected than when it was requested: 3, was 1)',
    ]);
  });

  it('a different change than the one approved', () => {
    const now = preflight(groupChange({ to: { ...E3, skuId: '05e9a617-0261-4cee-bb44-138d3ef5d965', displayName: 'Microsoft 365 E3' } }), base.findings);
    assert.equal(worsenedBetween(base, now).length, 1);
    assert.match(worsenedBetween(base, now)[0], /different change: Sales from Office 365 E1 to Microsoft 365 E3 \(approved: Sales from Office 365 E1 to Office 365 E3\)/);
    assert.equal(E1.displayName, 'Office 365 E1');
  });

  it('blocked for a reason the comparison does not name still counts', () => {
    const now = { ...preflight(groupChange(), base.findings), blocked: true };
    assert.deepEqual(worsenedBetween(base, now), ['The change is now blocked.']);
  });

  it("stored as codes and data, said in the reader's language (Dutch here)", () => {
    const now = preflight(groupChange({ seats: { needed: 12, available: 9 } }), [
      finding('SERVICES_LOST', 'warn', [user(1), user(4)], yammer),
      finding('USAGE_LOCATION_MISSING', 'warn', [user(3)], { count: 1, defaultCountry: null }),
    ]);
    const stored = between(base, now);
    assert.deepEqual(
      stored.map((w) => w.code),
      ['seatsShort', 'morePeople', 'newWarning'],
    );
    assert.ok(!JSON.stringify(stored).includes('Not enough'), 'no English sentence in the stored lines');
    const lines = stored.map((w) => worsenedText(nl, w));
    assert.equal(lines[0], 'Niet genoeg licenties meer voor Office 365 E3: 9 beschikbaar, 12 nodig (bij de aanvraag waren er 15 beschikbaar voor 10).');
    assert.match(lines[1]!, /^Zij verliezen Yammer.*\(1 persoon meer getroffen dan bij de aanvraag: nu 2, toen 1\)$/);
    assert.match(lines[2]!, /^Nieuwe waarschuwing: .*gebruikslocatie/i);
    // A line stored as English text (older rows) is shown as stored.
    assert.equal(worsenedText(nl, 'Seats are short now.'), 'Seats are short now.');
  });
});

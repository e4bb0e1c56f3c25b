// The preflight card's service lists say what changes: an edition upgrade or downgrade within a
// family is shown as such (not "kept"), in English and Dutch, and the undo card says the reverse.
import assert from 'node:assert/strict';
import { en, nl } from '../../src/i18n';
import { preflightCard } from '../../src/bot/cards/preflight';
import { LicenseService } from '../../src/licensing/service';
import { tenantFixture, withSandbox } from '../helpers/sandbox';
import { testGateway } from '../graph/support';
import { cardText } from './fakes';

/** The value of the card's fact titled `title`, or undefined. */
function fact(card: unknown, title: string): string | undefined {
  let found: string | undefined;
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.title === title && typeof o.value === 'string' && o.type === undefined) found = o.value;
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

describe('preflight card: services upgraded and downgraded', () => {
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', 5)
      .sku('ENTERPRISEPACK', 5)
      .user('alice', { licenses: ['STANDARDPACK'] })
      .build(),
  );

  it('E1 -> E3 lists the richer editions as upgraded, the undo lists them as downgraded, in both languages', async () => {
    const svc = new LicenseService(testGateway(sb).gateway);
    const spec = { principal: { kind: 'user' as const, user: 'alice@contoso.example' }, from: 'E1', to: 'E3' };
    const pf = await svc.preflight(spec);
    const card = preflightCard(en, pf, spec);
    const up = fact(card, 'Services upgraded');
    assert.ok(up, cardText(card));
    assert.match(up, /Exchange Online mailbox: Exchange Online \(Plan 1\) → Exchange Online \(Plan 2\)/);
    assert.match(up, /SharePoint Online \/ OneDrive: SharePoint \(Plan 1\) → SharePoint \(Plan 2\)/);
    assert.match(up, /Office apps: .* → Microsoft 365 Apps for enterprise/);
    assert.doesNotMatch(fact(card, 'Services kept') ?? '', /Exchange Online mailbox|SharePoint Online|Office apps/);
    assert.equal(fact(card, 'Services downgraded'), undefined);
    const nlUp = fact(preflightCard(nl, pf, spec), 'Services in een hogere editie');
    assert.match(nlUp ?? '', /Exchange Online mailbox: van Exchange Online \(Plan 1\) naar Exchange Online \(Plan 2\)/);

    // Run it, then check the undo: the same services, the other way.
    const res = await svc.swap(pf.change);
    assert.equal(res.failed.length, 0);
    const undoSpec = svc.reverse(pf.change);
    const undo = await svc.preflight(undoSpec);
    const undoCard = preflightCard(en, undo, undoSpec);
    const down = fact(undoCard, 'Services downgraded');
    assert.match(down ?? '', /Exchange Online mailbox: Exchange Online \(Plan 2\) → Exchange Online \(Plan 1\)/);
    assert.equal(fact(undoCard, 'Services upgraded'), undefined);
    assert.equal(pf.change.servicesUpgraded!.length, undo.change.servicesDowngraded!.length);
    assert.match(cardText(undoCard), /smaller edition of .*Exchange Online mailbox/);
    assert.match(fact(preflightCard(nl, undo, undoSpec), 'Services in een lagere editie') ?? '', /van Exchange Online \(Plan 2\) naar Exchange Online \(Plan 1\)/);
  });
});

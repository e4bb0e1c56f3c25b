// `doctor` in chat: an approver (or license administrator) gets the doctor card, in English or
// Dutch, from the same checks as the CLI; anyone else is refused and nothing is read.
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { connectGraph } from '../../src/graph/connect';
import { loopbackGraph } from '../../src/graph/config';
import { RawGraphReads } from '../../src/graph/doctor-reads';
import { runDoctor } from '../../src/doctor/run';
import type { DoctorPort } from '../../src/bot/deps';
import { tenantFixture, withSandbox } from '../helpers/sandbox';
import { cardOf, cardText, harness } from './fakes';

describe('bot: doctor in chat', function () {
  this.timeout(20_000);
  const sb = withSandbox({
    ...tenantFixture('Contoso')
      .sku('STANDARDPACK', 5)
      .user('m1', { licenses: ['STANDARDPACK'] })
      .group('Sales', { members: ['m1'], licenses: ['STANDARDPACK'] })
      .build(),
    app: { roles: ['LicenseAssignment.ReadWrite.All', 'GroupMember.Read.All', 'Organization.Read.All'] },
  });
  const port = (): DoctorPort & { run: sinon.SinonSpy } => {
    const conn = connectGraph(loopbackGraph(sb.graphBaseUrl));
    const raw = new RawGraphReads(conn.client);
    return {
      run: sinon.spy((opts: { group?: string }) =>
        runDoctor({ graphBaseUrl: conn.graphBaseUrl, accessToken: () => conn.accessToken(), get: (p, h) => raw.get(p, h), post: (p, b) => raw.post(p, b) }, opts),
      ),
    };
  };

  it('an approver gets the card naming the missing permission and the fix', async () => {
    const doctor = port();
    const h = harness({ doctor });
    const [reply] = await h.say('doctor', { who: 'bob' });
    const text = cardText(cardOf(reply!));
    assert.match(text, /is this tenant ready\?/);
    assert.match(text, /⛔ User\.Read\.All \(required\): MISSING/);
    assert.match(text, /grant the application permission User\.Read\.All/);
    assert.match(text, /⛔ a user's licenses and usage location: refused \(403\): the app lacks User\.Read\.All/);
    assert.match(text, /⛔ 1 thing|⛔ \d+ things Plan Switch needs/);
    assert.equal(doctor.run.callCount, 1);
  });

  it('"diagnose Sales" in a Dutch chat answers in Dutch on the named group', async () => {
    const doctor = port();
    const h = harness({ doctor });
    const [reply] = await h.say('diagnose Sales', { who: 'bob', locale: 'nl-NL' });
    const text = cardText(cardOf(reply!));
    assert.match(text, /Plan Switch-diagnose/);
    assert.match(text, /Groep: Sales/);
    assert.match(text, /ONTBREEKT/);
    assert.deepEqual(doctor.run.firstCall.args[0], { group: 'Sales' });
  });

  it('someone who is neither approver nor license administrator is refused and nothing is read', async () => {
    const doctor = port();
    const h = harness({ doctor });
    const [reply] = await h.say('doctor', { who: 'carol' });
    assert.equal(doctor.run.callCount, 0);
    assert.ok(reply && !reply.attachments?.length, 'a sentence, not the card');
  });
});

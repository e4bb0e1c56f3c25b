// The tenant changing under a request: seats taken by someone else between the request and its
// run, a member added to the group while Entra processes it, the group deleted before the run
// (or gone when the write arrives). Each ends in a clear report and no write of ours beyond what
// Graph itself did.
import assert from 'node:assert/strict';
import { withSandbox } from '../helpers/sandbox';
import { worsenedText } from '../../src/requests/compare';
import { en } from '../../src/i18n';
import { actionsOf, appPerTest, assertSourceXorTarget, DOMAIN, E1, E3, faultTenant, licenseWrites, skusOf, upns, waitFor } from './support';

describe('faults: the tenant changes under a request', function () {
  this.timeout(60_000);
  // E3: 35 seats, the 30 members of Sales need 30.
  const sb = withSandbox(() => faultTenant({ e3Seats: 35 }), { resetEach: true });
  const app = appPerTest(sb, 'changes');
  const sales = { principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' };
  const salesId = async () => (await sb.get(`/groups?$filter=displayName eq 'Sales'`)).body.value[0].id as string;

  it('seats taken by someone else between the request and the approval: the re-check stops it, says what changed, writes nothing', async () => {
    const id = await app.bot.teams.ask(sales);
    assert.deepEqual((await app.bot.read(id)).request.preflight.change.seats, { needed: 30, available: 35 });
    // Another admin, outside the bot, gives E3 to ten people.
    for (const u of [...upns('other', 5), ...upns('bulk', 5)]) {
      const body = u.startsWith('other')
        ? { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [] }
        : { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] };
      assert.equal((await sb.post(`/users/${u}/assignLicense`, body)).status, 200);
    }
    await sb.clearRequests();
    await app.bot.teams.approve(id);
    const final = await app.bot.settled(id);
    assert.equal(final.state, 'failed');
    const worsened = (final.result?.worsened ?? []).map((w) => worsenedText(en, w)).join('\n');
    assert.match(worsened, /seat/i, worsened);
    assert.match(worsened, /25/, 'names the seats now available');
    assert.deepEqual(actionsOf((await app.bot.read(id)).audit), ['requested', 'approved', 'worsened']);
    assert.deepEqual(await licenseWrites(sb), [], 'no write');
    assert.equal((await assertSourceXorTarget(sb, upns('sales', 30))).onSource.length, 30);
    const notice = await app.bot.teams.notice(id);
    assert.match(notice, /seat/i);
  });

  it('a member added to the group while Entra processes it: gets the new plan from the group, and the report says so', async () => {
    await sb.behavior({ groupProcessingMs: 1_500 });
    const group = await salesId();
    const id = await app.bot.teams.ask(sales);
    await sb.clearRequests();
    await app.bot.teams.approve(id);
    await waitFor('the group write', async () => ((await licenseWrites(sb)).length === 1 ? true : undefined));
    const newbie = (await sb.get(`/users/newbie@${DOMAIN}`)).body.id;
    assert.equal((await sb.post(`/groups/${group}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${newbie}` })).status, 204);
    const final = await app.bot.settled(id);
    assert.equal(final.state, 'completed');
    assert.equal(final.result?.trackingTotals?.done, 31);
    assert.equal(final.result?.membersJoined, 1);
    assert.deepEqual(await skusOf(sb, `newbie@${DOMAIN}`), [E3]);
    assert.equal((await assertSourceXorTarget(sb, [...upns('sales', 30), `newbie@${DOMAIN}`])).onTarget.length, 31);
    assert.equal((await licenseWrites(sb)).length, 1, 'our one group write; the new member got E3 from Entra');
    const completed = (await app.bot.read(id)).audit.at(-1)!;
    assert.equal(completed.action, 'completed');
    assert.equal(completed.detail.membersJoined, 1);
    const notice = await app.bot.teams.notice(id);
    assert.match(notice, /31 members done/);
    assert.match(notice, /1 member joined the group after the check and got the new plan from the group as well/);
  });

  it('the group deleted before the run: the re-check finds it gone (404), failed with that reason, no write', async () => {
    const group = await salesId();
    const id = await app.bot.teams.ask(sales);
    const del = await fetch(`${sb.graphBaseUrl}/groups/${group}`, { method: 'DELETE' });
    assert.equal(del.status, 204);
    await sb.clearRequests();
    await app.bot.teams.approve(id);
    const final = await app.bot.settled(id);
    assert.equal(final.state, 'failed');
    assert.match(final.result?.error ?? '', /could not be checked again before running/);
    assert.match(final.result?.error ?? '', /Sales|group|not found|find/i);
    assert.deepEqual(actionsOf((await app.bot.read(id)).audit), ['requested', 'approved', 'failed']);
    assert.deepEqual(await licenseWrites(sb), []);
    // What Graph itself did: the members lost the E1 they had from the deleted group; we added nothing.
    for (const u of upns('sales', 30)) assert.deepEqual(await skusOf(sb, u), []);
    const notice = await app.bot.teams.notice(id);
    assert.match(notice, /The change failed/);
  });

  it("the group gone when the write arrives (404 on assignLicense): failed with Graph's answer, nothing else written", async () => {
    const id = await app.bot.teams.ask(sales);
    await sb.clearRequests();
    await sb.fault({ method: 'POST', path: '/groups/*/assignLicense', status: 404, times: 1 });
    await app.bot.teams.approve(id);
    const final = await app.bot.settled(id);
    assert.equal(final.state, 'failed');
    const failed = final.result?.swap?.failed ?? [];
    assert.equal(failed.length, 1);
    assert.deepEqual(actionsOf((await app.bot.read(id)).audit), ['requested', 'approved', 'started', 'swap-started', 'swap-finished', 'failed']);
    const writes = await licenseWrites(sb);
    assert.deepEqual(
      writes.map((w) => w.status),
      [404],
      'one write, refused, not repeated',
    );
    assert.equal((await assertSourceXorTarget(sb, upns('sales', 30))).onSource.length, 30);
    assert.match(await app.bot.teams.notice(id), /The change failed/);
  });
});

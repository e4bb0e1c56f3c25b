// Graph misbehaving under a running swap, injected with the sandbox's faults: 429 storms with
// Retry-After, 500 and 503 on reads and on writes, answers lost behind a 429 or a gateway timeout
// in the middle of a $batch, and reads failing for good. The whole application runs (startApp on
// the sandbox, Sanne asks and Pieter approves over HTTP). Afterwards every principal holds the
// source or the target, no user was written twice, the state and audit trail are exact, and
// Sanne has the notice.
import assert from 'node:assert/strict';
import { withSandbox } from '../helpers/sandbox';
import { actionsOf, appPerTest, assertSourceXorTarget, DOMAIN, faultTenant, licenseWrites, upns } from './support';

const RAN = ['requested', 'approved', 'started', 'swap-started', 'swap-finished'];

describe('faults: Graph failing while a swap runs (sandbox fault injection)', function () {
  this.timeout(60_000);
  const sb = withSandbox(() => faultTenant(), { resetEach: true });
  // A bulk change here runs in one go (a pilot larger than any list here): these specs are about
  // the $batch of one swap call under faults; waves have their own (test/requests/waves.test.ts).
  const app = appPerTest(sb, 'faults', { WAVE_PILOT: '1000' });

  const bulk = (n: number) => ({ principal: { kind: 'users', users: upns('bulk', n) }, from: 'E1', to: 'E3' });
  const solo = { principal: { kind: 'user', user: `solo@${DOMAIN}` }, from: 'E1', to: 'E3' };

  /** Per user, the writes that reached Graph and how many of them took effect. */
  async function writesPerUser() {
    const out = new Map<string, { all: number; ok: number; faulted: number }>();
    for (const w of await licenseWrites(sb)) {
      const e = out.get(w.path) ?? { all: 0, ok: 0, faulted: 0 };
      e.all++;
      if (w.status === 200) e.ok++;
      if (w.fault) e.faulted++;
      out.set(w.path, e);
    }
    return out;
  }

  it('429 storm with Retry-After on the writes of a bulk swap (inside $batch): waits, re-reads, re-sends only what did not land', async () => {
    const id = await app.bot.teams.ask(bulk(50));
    await sb.clearRequests();
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 429, times: 30, retryAfterSeconds: 1 });
    const t0 = Date.now();
    await app.bot.teams.approve(id);
    const final = await app.bot.settled(id);
    assert.equal(final.state, 'completed', JSON.stringify(final.result?.swap?.failed));
    assert.ok(Date.now() - t0 >= 1_000, 'Retry-After was honoured');
    assert.deepEqual(actionsOf((await app.bot.read(id)).audit), [...RAN, 'completed']);
    const per = await writesPerUser();
    assert.equal(per.size, 50);
    assert.equal(
      [...per.values()].reduce((n, e) => n + e.faulted, 0),
      30,
    );
    assert.ok(
      [...per.values()].every((e) => e.ok === 1),
      'each user took effect exactly once',
    );
    const { onTarget } = await assertSourceXorTarget(sb, upns('bulk', 50));
    assert.equal(onTarget.length, 50);
    assert.match(await app.bot.teams.notice(id), /Done/);
  });

  it('a 429 that hid a write which went through: the re-read sees it, nothing is sent again', async () => {
    const id = await app.bot.teams.ask(bulk(50));
    await sb.clearRequests();
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 429, times: 10, retryAfterSeconds: 1, hideSuccess: true });
    await app.bot.teams.approve(id);
    const final = await app.bot.settled(id);
    assert.equal(final.state, 'completed');
    const per = await writesPerUser();
    assert.equal(
      [...per.values()].reduce((n, e) => n + e.all, 0),
      50,
      'one write per user, the hidden ones included',
    );
    assert.equal(
      [...per.values()].reduce((n, e) => n + e.faulted, 0),
      10,
    );
    assert.equal((await assertSourceXorTarget(sb, upns('bulk', 50))).onTarget.length, 50);
    assert.deepEqual(actionsOf((await app.bot.read(id)).audit), [...RAN, 'completed']);
  });

  it('a gateway timeout mid-batch: 504 after some writes took effect, 504 before others did; each user ends on the target once', async () => {
    const id = await app.bot.teams.ask(bulk(40));
    await sb.clearRequests();
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 504, times: 7, retryAfterSeconds: 0, hideSuccess: true });
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 504, times: 5, retryAfterSeconds: 0 });
    await app.bot.teams.approve(id);
    const final = await app.bot.settled(id);
    assert.equal(final.state, 'completed');
    const per = await writesPerUser();
    const total = [...per.values()].reduce((n, e) => n + e.all, 0);
    assert.equal(total, 40 + 5, 'only the five that did not land were sent again');
    assert.equal((await assertSourceXorTarget(sb, upns('bulk', 40))).onTarget.length, 40);
    assert.deepEqual(actionsOf((await app.bot.read(id)).audit), [...RAN, 'completed']);
  });

  it("503 then 500 on a single user's write: re-read after each, sent again, done once", async () => {
    const id = await app.bot.teams.ask(solo);
    await sb.clearRequests();
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 503, times: 1, retryAfterSeconds: 0 });
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 500, times: 1, retryAfterSeconds: 0 });
    await app.bot.teams.approve(id);
    const final = await app.bot.settled(id);
    assert.equal(final.state, 'completed');
    assert.deepEqual(
      (await licenseWrites(sb)).map((w) => w.status),
      [503, 500, 200],
    );
    await assertSourceXorTarget(sb, [`solo@${DOMAIN}`]);
    assert.deepEqual(actionsOf((await app.bot.read(id)).audit), [...RAN, 'completed']);
    assert.match(await app.bot.teams.notice(id), /Done/);
  });

  it('429, 500 and 503 on reads during the re-check and while the group is followed: retried, the swap completes', async () => {
    await sb.behavior({ groupProcessingMs: 600 });
    const id = await app.bot.teams.ask({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' });
    await sb.clearRequests();
    // At most four faults can meet one read (the client tries a read five times).
    await sb.fault({ method: 'GET', path: '/subscribedSkus', status: 429, times: 2, retryAfterSeconds: 1 });
    await sb.fault({ method: 'GET', path: '/groups/*', status: 503, times: 2, retryAfterSeconds: 0 });
    await sb.fault({ method: 'GET', path: '/groups/*/members*', status: 500, times: 2, retryAfterSeconds: 0 });
    await app.bot.teams.approve(id);
    const final = await app.bot.settled(id);
    assert.equal(final.state, 'completed', JSON.stringify(final.result?.error));
    const log = await sb.requests();
    assert.ok(log.filter((r) => r.fault).length >= 5, 'the faults were met');
    assert.equal((await licenseWrites(sb)).length, 1, 'one group write');
    assert.equal((await assertSourceXorTarget(sb, upns('sales', 30))).onTarget.length, 30);
    assert.deepEqual(actionsOf((await app.bot.read(id)).audit), [...RAN, 'completed']);
  });

  it('reads throttled past every retry during the re-check: failed before any write, with the reason, and the requester is told', async () => {
    const id = await app.bot.teams.ask(solo);
    await sb.clearRequests();
    await sb.fault({ method: 'GET', path: '/subscribedSkus', status: 429, times: 100, retryAfterSeconds: 0 });
    await app.bot.teams.approve(id);
    const final = await app.bot.settled(id);
    assert.equal(final.state, 'failed');
    assert.match(final.result?.error ?? '', /could not be checked again before running/);
    assert.deepEqual(actionsOf((await app.bot.read(id)).audit), ['requested', 'approved', 'failed']);
    assert.deepEqual(await licenseWrites(sb), []);
    await assertSourceXorTarget(sb, [`solo@${DOMAIN}`]);
    const notice = await app.bot.teams.notice(id);
    assert.match(notice, /The change failed/);
    assert.match(notice, /could not be checked again/);
  });

  it("a write that keeps failing (500 with every attempt): failed after the attempts, the user keeps the source, Graph's answer reported", async () => {
    const id = await app.bot.teams.ask(solo);
    await sb.clearRequests();
    await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 500, times: 100, retryAfterSeconds: 0 });
    await app.bot.teams.approve(id);
    const final = await app.bot.settled(id);
    assert.equal(final.state, 'failed');
    const writes = await licenseWrites(sb);
    assert.ok(writes.length >= 2 && writes.every((w) => w.status === 500), `${writes.length} attempts, none took effect`);
    const { onSource } = await assertSourceXorTarget(sb, [`solo@${DOMAIN}`]);
    assert.equal(onSource.length, 1);
    assert.deepEqual(actionsOf((await app.bot.read(id)).audit), [...RAN, 'failed']);
    assert.equal(final.result?.swap?.failed[0]?.graphCode !== undefined || final.result?.swap?.failed[0]?.reason !== undefined, true);
    assert.match(await app.bot.teams.notice(id), /The change failed/);
  });
});

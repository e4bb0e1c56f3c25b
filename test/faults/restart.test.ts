// The bot process killed (SIGKILL) during a group swap and during a bulk swap of a users list,
// then started again on the same state database: every principal holds the source or the target
// (never neither, never both), the request's state and audit trail say exactly what happened,
// nothing is written twice, and the requester is told, promptly (the restart takes the dead
// process's lease over at once instead of waiting two minutes for it to lapse).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withSandbox } from '../helpers/sandbox';
import { startConnector, type Connector } from '../helpers/connector';
import { actionsOf, ADMINS, assertSourceXorTarget, DOMAIN, faultTenant, licenseWrites, readRequest, startBotProcess, Teams, upns, waitFor, type BotProcess } from './support';

// Before the lease could have lapsed: at the kill it has well over a minute to run (asserted
// below), so a recovery that waited for it would take longer. Wide enough for a start-up on a
// loaded 2-core machine (it has taken over 20 s there).
const PROMPTLY_MS = 55_000;

describe('faults: the bot killed during a swap, then restarted', function () {
  this.timeout(120_000);
  const sb = withSandbox(() => faultTenant(), { resetEach: true });
  let dir: string;
  let db: string;
  let connector: Connector;
  let bot: BotProcess | undefined;
  let teams: Teams;

  const env = () => ({
    GRAPH_BASE_URL: sb.graphBaseUrl,
    STATE_DB: db,
    APPROVERS: `group:${ADMINS}`,
    // Writes a killed process may still have had in flight: 1 s is plenty on loopback.
    RECOVERY_SETTLE: '1s',
    GROUP_POLL_INTERVAL: '200ms',
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plan-switch-restart-'));
    db = join(dir, 'state.db');
    connector = await startConnector();
    teams = new Teams(() => bot!.url, connector);
  });
  afterEach(async () => {
    await bot?.kill('SIGKILL');
    bot = undefined;
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('group swap: killed while Entra processes the group; the restart takes over at once, follows it to the end and tells the requester', async () => {
    await sb.behavior({ groupProcessingMs: 4_000 });
    const members = upns('sales', 30);
    bot = await startBotProcess(env());
    const id = await teams.ask({ principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' });
    await sb.clearRequests();
    assert.match(await teams.approve(id), /Approved — running/);

    // The group write is done and recorded; Entra is still processing the members.
    await waitFor('the swap recorded', async () => actionsOf((await readRequest(db, id)).audit).includes('swap-finished'));
    const firstPid = bot.pid;
    await bot.kill('SIGKILL');
    const killed = await readRequest(db, id);
    assert.equal(killed.request.state, 'running');
    assert.match(killed.request.lease!.owner, new RegExp(`:${firstPid}:`));
    assert.ok(Date.parse(killed.request.lease!.until) - Date.now() > 60_000, "the dead process's lease has well over a minute to run");
    assert.equal(
      (await sb.get(`/groups/${killed.request.preflight.change.principal.id}?$select=licenseProcessingState`)).body.licenseProcessingState.state !== 'ProcessingComplete',
      true,
    );
    await assertSourceXorTarget(sb, members); // mid-processing: each member on one plan or the other

    const restartedAt = Date.now();
    bot = await startBotProcess(env());
    const notice = await teams.notice(id, restartedAt, PROMPTLY_MS);
    const tookMs = Date.now() - restartedAt;
    assert.ok(tookMs < PROMPTLY_MS, `finished ${tookMs} ms after the restart (the lease alone would have taken two minutes)`);
    assert.match(notice, /Done: every member has the new plan/);
    assert.match(notice, /30 members done/);
    assert.match(notice, /The bot restarted while this change was running/);

    const { request, audit } = await readRequest(db, id);
    assert.equal(request.state, 'completed');
    assert.deepEqual(actionsOf(audit), ['requested', 'approved', 'started', 'swap-started', 'swap-finished', 'reconcile-claimed', 'completed']);
    const claim = audit.find((e) => e.action === 'reconcile-claimed')!;
    assert.equal(claim.detail.why, 'owner-gone');
    assert.equal((claim.detail.previousLease as { owner: string }).owner, killed.request.lease!.owner);
    assert.equal(claim.detail.swapRecorded, true);
    assert.equal(request.result?.resumed, true);
    assert.equal(request.result?.trackingTotals?.done, 30);
    assert.equal(request.lease, undefined);

    const { onTarget } = await assertSourceXorTarget(sb, members);
    assert.equal(onTarget.length, 30);
    const writes = await licenseWrites(sb);
    assert.deepEqual(
      writes.map((w) => w.path),
      [`/groups/${request.preflight.change.principal.id}/assignLicense`],
      'one group write in all, before the kill',
    );
    const claimedLog = bot.logs().find((l) => l.event === 'request.reconcile_claimed');
    assert.equal(claimedLog?.changeId, id);
    assert.equal(claimedLog?.why, 'owner-gone');
  });

  it('bulk swap of 200 users: killed mid-batch; the restart reads back exactly what landed, never writes twice, and reports it', async () => {
    const users = upns('bulk', 200);
    // In one go (a pilot larger than the list): the read-back of one swap call. Waves: the next spec.
    const oneGo = () => ({ ...env(), WAVE_PILOT: '500' });
    bot = await startBotProcess(oneGo());
    const id = await teams.ask({ principal: { kind: 'users', users }, from: 'E1', to: 'E3' });
    // Slow Graph: four $batch requests of 20 writes are in flight at a time, each answered after 1.5 s.
    await sb.behavior({ latencyMs: 1_500 });
    await sb.clearRequests();
    assert.match(await teams.approve(id), /Approved — running/);

    // The first round of writes has reached Graph (and taken effect); its answers are on the way.
    await waitFor('the first writes', async () => ((await licenseWrites(sb)).length >= 80 ? true : undefined), 60_000, 20);
    await bot.kill('SIGKILL');
    await sb.behavior({ latencyMs: 0 });
    const landed = await licenseWrites(sb);
    assert.ok(landed.length > 0 && landed.length < 200, `killed mid-way (${landed.length} writes reached Graph)`);
    assert.ok(landed.every((w) => w.status === 200));
    const killed = await readRequest(db, id);
    assert.equal(killed.request.state, 'running');
    assert.equal(killed.request.result?.swap, undefined, 'the killed process recorded no outcome');
    let split = await assertSourceXorTarget(sb, users);
    assert.equal(split.onTarget.length, landed.length, 'exactly the writes that reached Graph took effect');

    const restartedAt = Date.now();
    bot = await startBotProcess(oneGo());
    const notice = await teams.notice(id, restartedAt, 60_000);
    assert.ok(Date.now() - restartedAt < PROMPTLY_MS, 'promptly');
    assert.match(notice, /Partly done/);
    assert.match(notice, new RegExp(`${landed.length} members done`));
    assert.match(notice, new RegExp(`${200 - landed.length} members in error`));
    assert.match(notice, /Graph shows this part of the change was not made/);
    assert.match(notice, /The bot restarted while this change was running/);

    const { request, audit } = await readRequest(db, id);
    assert.equal(request.state, 'partial');
    assert.deepEqual(actionsOf(audit), ['requested', 'approved', 'started', 'swap-started', 'reconcile-claimed', 'swap-verified', 'partial']);
    assert.equal(audit.find((e) => e.action === 'reconcile-claimed')!.detail.why, 'owner-gone');
    assert.equal(request.result?.recovered, true);
    const changed = new Set(request.result!.swap!.changed.map((p) => p.id));
    assert.equal(changed.size, landed.length);
    assert.equal(request.result!.swap!.failed.length, 200 - landed.length);

    split = await assertSourceXorTarget(sb, users);
    assert.equal(split.onTarget.length, landed.length);
    const after = await licenseWrites(sb);
    assert.equal(after.length, landed.length, 'the restart wrote nothing (the swap is never sent again)');
    const perUser = new Map<string, number>();
    for (const w of after) perUser.set(w.path, (perUser.get(w.path) ?? 0) + 1);
    assert.ok(
      [...perUser.values()].every((n) => n === 1),
      'no user written twice',
    );
  });
  it('bulk change of 60 users in waves: killed mid-wave; the restart reads that wave back, never sends a wave twice, and sends the rest', async () => {
    const users = upns('bulk', 60);
    const waves = () => ({ ...env(), WAVE_PILOT: '5', WAVE_SIZE: '20' });
    bot = await startBotProcess(waves());
    const id = await teams.ask({ principal: { kind: 'users', users }, from: 'E1', to: 'E3' });
    await sb.clearRequests();
    // Slow Graph from the approval on (set before the run starts: at full speed wave 2 could be
    // sent and recorded before a later change of speed arrived): each write takes effect at once
    // and its answer comes 1.5 s later, so the kill below lands while wave 2's answers are on their way.
    await sb.behavior({ latencyMs: 1_500 });
    assert.match(await teams.approve(id), /Approved — running/);
    await waitFor('the pilot recorded', async () => ((await readRequest(db, id)).request.result?.waves?.next === 1 ? true : undefined), 60_000, 20);
    await waitFor('wave 2 sent', async () => ((await licenseWrites(sb)).length >= 25 ? true : undefined), 30_000, 20);
    await bot.kill('SIGKILL');
    await sb.behavior({ latencyMs: 0 });
    const killed = await readRequest(db, id);
    assert.equal(killed.request.result!.waves!.inFlight?.index, 1, 'wave 2 recorded as started, not finished');
    assert.equal((await licenseWrites(sb)).length, 25);

    const restartedAt = Date.now();
    bot = await startBotProcess(waves());
    const notice = await teams.notice(id, restartedAt, 60_000);
    assert.match(notice, /Done/);
    const { request, audit } = await readRequest(db, id);
    assert.equal(request.state, 'completed');
    assert.deepEqual(
      request.result!.waves!.waves.map((w) => [w.index, w.done, w.recovered ?? false]),
      [
        [0, 5, false],
        [1, 20, true],
        [2, 20, false],
        [3, 15, false],
      ],
    );
    assert.equal(audit.find((e) => e.action === 'reconcile-claimed')!.detail.wavesRecorded, 1);
    const perUser = new Map<string, number>();
    for (const w of await licenseWrites(sb)) perUser.set(w.path, (perUser.get(w.path) ?? 0) + 1);
    assert.equal(perUser.size, 60, 'every user written');
    assert.deepEqual([...new Set(perUser.values())], [1], 'no user written twice');
    assert.equal((await assertSourceXorTarget(sb, users)).onTarget.length, 60);
  });

  it('killed right after the approval, while the re-check reads Graph: the restart re-checks and runs it at once, once', async () => {
    bot = await startBotProcess(env());
    const id = await teams.ask({ principal: { kind: 'user', user: `solo@${DOMAIN}` }, from: 'E1', to: 'E3' });
    await sb.behavior({ latencyMs: 5_000 }); // the re-check's reads hang
    await sb.clearRequests();
    assert.match(await teams.approve(id), /Approved — running/);
    await waitFor('the re-check under way', async () => ((await sb.requests()).length > 0 ? true : undefined));
    await bot.kill('SIGKILL');
    await sb.behavior({ latencyMs: 0 });
    assert.equal((await readRequest(db, id)).request.state, 'approved');

    const restartedAt = Date.now();
    bot = await startBotProcess(env());
    const notice = await teams.notice(id, restartedAt, PROMPTLY_MS);
    assert.ok(Date.now() - restartedAt < PROMPTLY_MS, 'promptly, not a minute later');
    assert.match(notice, /Done/);
    const { request, audit } = await readRequest(db, id);
    assert.equal(request.state, 'completed');
    assert.deepEqual(actionsOf(audit), ['requested', 'approved', 'started', 'swap-started', 'swap-finished', 'completed']);
    assert.equal((audit.find((e) => e.action === 'started')!.detail.resumed as { why: string }).why, 'approver-gone');
    assert.deepEqual(
      (await licenseWrites(sb)).map((w) => w.status),
      [200],
      'one write, by the restarted bot',
    );
    await assertSourceXorTarget(sb, [`solo@${DOMAIN}`]);
  });
});

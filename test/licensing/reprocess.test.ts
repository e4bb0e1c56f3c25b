// Reprocess through the license service (members in error, the reprocess "preflight", the calls,
// the read-back) and the CLI (plan-switch reprocess), on the sandbox.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { LicenseService } from '../../src/licensing/service';
import { connectGraph, type GraphConnection } from '../../src/graph/connect';
import { loopbackGraph } from '../../src/graph/config';
import { LicensingError } from '../../src/licensing/model';
import { tenantFixture, withSandbox } from '../helpers/sandbox';
import { runCli, type CliIO } from '../../src/cli/run';

const MAIN = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

// Support has Audio Conferencing from the group with one seat for three members: b and c are in
// CountViolation. d holds it directly and is no member (seats to free).
const fixture = () =>
  tenantFixture('Contoso')
    .sku('STANDARDPACK', 10)
    .sku('MCOMEETADV', 2)
    .users(['a', 'b', 'c'], { licenses: ['STANDARDPACK'] })
    .user('d', { licenses: ['STANDARDPACK', 'MCOMEETADV'] })
    .user('e', { licenses: ['STANDARDPACK'] })
    .group('Support', { members: ['a', 'b', 'c'], licenses: ['MCOMEETADV'] })
    .group('Sales', { members: ['e'], licenses: ['STANDARDPACK'] })
    .build();

/** plan-switch in this process (runCli with its real dependencies); `spawn` runs the built main.js instead. */
async function cli(args: string[], env: Record<string, string>, spawn = false): Promise<{ code: number; stdout: string; stderr: string }> {
  if (spawn)
    return new Promise((resolve) => {
      execFile(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false, ask: async () => 'n', env };
  const code = await runCli(args, io);
  return { code, stdout: out.join('\n') + '\n', stderr: err.join('\n') };
}

describe('reprocess: the license service', () => {
  const sb = withSandbox(fixture, { resetEach: true });
  let graph: GraphConnection;
  let svc: LicenseService;
  before(() => {
    graph = connectGraph(loopbackGraph(sb.graphBaseUrl));
    svc = new LicenseService(graph.gateway);
  });
  after(() => graph.close());
  const reprocessCalls = async () => (await sb.requests()).filter((r) => /reprocessLicenseAssignment$/i.test(r.path));

  it('lists the members in error with the plan and the error, from the group (untyped collection read as ids)', async () => {
    const list = await svc.membersInError({ kind: 'group', group: 'Support' });
    assert.equal(list.principal.displayName, 'Support');
    assert.deepEqual(
      list.members.map((m) => [m.principal.userPrincipalName, m.errors.map((e) => `${e.plan.skuPartNumber}/${e.error}`)]),
      [
        ['b@contoso.example', ['MCOMEETADV/CountViolation']],
        ['c@contoso.example', ['MCOMEETADV/CountViolation']],
      ],
    );
    assert.deepEqual((await svc.membersInError({ kind: 'group', group: 'Sales' })).members, []);
    assert.equal((await svc.membersInError({ kind: 'user', user: 'c@contoso.example' })).members.length, 1);
  });

  it('reprocess with the cause still there: the calls go out, both are still in error with why', async () => {
    const pf = await svc.preflight({ principal: { kind: 'group', group: 'Support' }, to: '', reprocess: { userIds: [] } });
    assert.equal(pf.blocked, false);
    assert.equal(pf.change.affectedUsers, 2);
    assert.equal(pf.change.assignments.length, 0, 'a reprocess assigns nothing');
    assert.deepEqual(
      pf.findings.map((f) => f.code),
      ['REPROCESS_MEMBERS'],
    );
    const swap = await svc.swap(pf.change);
    assert.equal(swap.changed.length, 2);
    const report = await svc.track(pf.change);
    assert.deepEqual(report.done, []);
    assert.deepEqual(
      report.errors.map((e) => e.error),
      ['CountViolation', 'CountViolation'],
    );
    assert.equal((await reprocessCalls()).length, 2);
  });

  it('after a seat is freed: the reprocessed member that fits is now licensed, the other still in error', async () => {
    await sb.post('/users/d@contoso.example/assignLicense', { addLicenses: [], removeLicenses: [(await svc.resolvePlan('MCOMEETADV')).skuId] });
    const list = await svc.membersInError({ kind: 'group', group: 'Support' });
    const pf = await svc.preflight({ principal: { kind: 'group', group: 'Support' }, to: '', reprocess: { userIds: list.members.map((m) => m.principal.id) } });
    await svc.swap(pf.change);
    const report = await svc.track(pf.change);
    // $batch runs its items in any order: whichever was evaluated first took the one seat.
    assert.equal(report.done.length, 1);
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]!.error, 'CountViolation');
    assert.deepEqual([...report.done.map((p) => p.userPrincipalName), ...report.errors.map((e) => e.principal.userPrincipalName)].sort(), [
      'b@contoso.example',
      'c@contoso.example',
    ]);
  });

  it('only the users named, and only while they are in error; nobody left blocks (NOTHING_TO_REPROCESS)', async () => {
    const list = await svc.membersInError({ kind: 'group', group: 'Support' });
    const c = list.members.find((m) => m.principal.userPrincipalName === 'c@contoso.example')!;
    const pf = await svc.preflight({ principal: { kind: 'group', group: 'Support' }, to: '', reprocess: { userIds: [c.principal.id] } });
    assert.deepEqual(
      pf.change.reprocess?.users.map((u) => u.userPrincipalName),
      ['c@contoso.example'],
    );
    const a = (await svc.resolveUser('a@contoso.example'))!;
    const none = await svc.preflight({ principal: { kind: 'group', group: 'Support' }, to: '', reprocess: { userIds: [a.id] } });
    assert.equal(none.blocked, true);
    assert.deepEqual(
      none.findings.map((f) => f.code),
      ['NOTHING_TO_REPROCESS'],
    );
  });

  it('bad input: an unknown group, a forged change with no users; nothing is sent', async () => {
    await assert.rejects(svc.membersInError({ kind: 'group', group: "Sales' or 1 eq 1" }), (e: unknown) => e instanceof LicensingError && e.code === 'PRINCIPAL_UNKNOWN');
    const pf = await svc.preflight({ principal: { kind: 'group', group: 'Support' }, to: '', reprocess: { userIds: [] } });
    await assert.rejects(svc.swap({ ...pf.change, reprocess: { users: [] } }), (e: unknown) => e instanceof LicensingError && e.code === 'INVALID_INPUT');
    await assert.rejects(
      svc.preflight({ principal: { kind: 'group', group: 'Support' }, to: '', reprocess: { userIds: [''] } }),
      (e: unknown) => e instanceof LicensingError && e.code === 'INVALID_INPUT',
    );
    assert.equal((await reprocessCalls()).length, 0);
  });
});

describe('reprocess: the CLI (plan-switch reprocess)', function () {
  this.timeout(30_000);
  const sb = withSandbox(fixture, { resetEach: true });
  const env = (extra: Record<string, string> = {}) => ({ GRAPH_BASE_URL: sb.graphBaseUrl, ...extra });
  const reprocessCalls = async () => (await sb.requests()).filter((r) => /reprocessLicenseAssignment$/i.test(r.path));

  it('lists who is in error and why; after seats are bought, --yes reprocesses and says who is now licensed (exit 0)', async () => {
    await sb.seats('MCOMEETADV', 5);
    const r = await cli(['reprocess', '--group', 'Support', '--yes'], env(), true);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /2 members in error:\n {2}B \(b@contoso\.example\), Microsoft 365 Audio Conferencing: not enough licenses/);
    assert.match(r.stdout, /2 members now licensed:\n {2}B \(b@contoso\.example\)\n {2}C \(c@contoso\.example\)/);
    assert.equal((await reprocessCalls()).length, 2);
  });

  it('in Dutch, with the cause still there: still in error with the reason and the fix (exit 1)', async () => {
    const r = await cli(['reprocess', '--group', 'Support', '--yes', '--lang', 'nl'], env());
    assert.equal(r.code, 1);
    assert.match(r.stdout, /2 leden hebben nog een fout:\n {2}B \(b@contoso\.example\): te weinig licenties.*Oplossing: koop meer licenties/);
  });

  it('nothing in error: says so and sends nothing (exit 0); an unknown group: one clean line, nothing sent', async () => {
    const r = await cli(['reprocess', '--group', 'Sales', '--yes'], env());
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Nothing to reprocess: nobody in Sales has a license error/);
    const bad = await cli(['reprocess', '--group', 'Nobody Here', '--yes'], env());
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^plan-switch: I can't find a user or group called "Nobody Here"\./);
    assert.equal((await reprocessCalls()).length, 0);
  });

  it('REPROCESS_APPROVAL=required: refused before anything is read or sent; without --yes and no terminal: refused', async () => {
    const r = await cli(['reprocess', '--group', 'Support', '--yes'], env({ REPROCESS_APPROVAL: 'required' }));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /REPROCESS_APPROVAL=required: a reprocess needs a second administrator/);
    const nl = await cli(['reprocess', '--group', 'Support', '--lang', 'nl'], env({ REPROCESS_APPROVAL: 'required' }));
    assert.match(nl.stderr, /opnieuw verwerken vraagt een tweede beheerder/);
    const noYes = await cli(['reprocess', '--group', 'Support'], env());
    assert.equal(noYes.code, 1);
    assert.match(noYes.stderr, /add --yes/);
    assert.equal((await reprocessCalls()).length, 0);
    const wrong = await cli(['reprocess', '--users-file', 'x.txt'], env());
    assert.match(wrong.stderr, /'reprocess' does not take --users-file/);
  });
});

// plan-switch split-teams / join-teams (and --split-teams on preflight and swap), in process on the
// sandbox: the proposal, then the normal preflight; nothing proposed says what to buy (exit 2).
import assert from 'node:assert/strict';
import { runCli, type CliIO } from '../../src/cli/run';
import { parseCli, UsageError } from '../../src/cli/args';
import { skuId, tenantFixture, withSandbox } from '../helpers/sandbox';

const E1 = skuId('STANDARDPACK');
const E1_NT = skuId('Office_365_E1_(no_Teams)');
const TEAMS = skuId('Microsoft_Teams_Enterprise_New');

const fixture = tenantFixture('Contoso')
  .sku('STANDARDPACK', 20)
  .sku('Office_365_E1_(no_Teams)', 10)
  .sku('Microsoft_Teams_Enterprise_New', 10)
  .sku('ENTERPRISEPACK', 5)
  .user('bob', { licenses: ['STANDARDPACK'] })
  .user('erik', { licenses: ['ENTERPRISEPACK'] })
  .user('m1', {})
  .group('Sales', { members: ['m1'], licenses: ['STANDARDPACK'] })
  .build();

describe('plan-switch split-teams (in process, sandbox)', () => {
  const sb = withSandbox(fixture, { resetEach: true });
  function io(): CliIO & { out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false, ask: async () => '', env: { GRAPH_BASE_URL: sb.graphBaseUrl } };
  }
  const writes = async () => (await sb.requests()).filter((r) => r.method === 'POST' && /assignLicense$/i.test(r.path));

  it('split-teams --group Sales: the proposal line, then the preflight; writes nothing', async () => {
    const t = io();
    const code = await runCli(['split-teams', '--group', 'Sales'], t);
    assert.equal(code, 0, t.err.join('\n') + t.out.join('\n'));
    assert.match(t.out[0]!, /^Split Teams for Sales: Office 365 E1 → Office 365 E1 \(no Teams\) \+ Microsoft Teams Enterprise, in one change/);
    assert.equal((await writes()).length, 0);
  });

  it('--json and --lang nl', async () => {
    const t = io();
    assert.equal(await runCli(['split-teams', '--user', 'bob@contoso.example', '--json'], t), 0, t.err.join('\n'));
    const out = JSON.parse(t.out.join('\n'));
    assert.equal(out.change.from.skuId, E1);
    const nl = io();
    await runCli(['split-teams', '--group', 'Sales', '--lang', 'nl'], nl);
    assert.match(nl.out[0]!, /^Teams afsplitsen voor Sales/);
  });

  it('no subscription for the twin: says which to buy, exit 2, nothing written', async () => {
    const t = io();
    const code = await runCli(['split-teams', '--user', 'erik@contoso.example'], t);
    assert.equal(code, 2);
    assert.match(t.out.join('\n'), /no subscription for a "\(no Teams\)" version of Office 365 E3\. Buy Office 365 E3 \(no Teams\) or Office 365 E3 EEA \(no Teams\)/);
    assert.equal((await writes()).length, 0);
  });

  it('join-teams on someone who holds no "(no Teams)" plan: nothing to join, exit 2', async () => {
    const t = io();
    assert.equal(await runCli(['join-teams', '--group', 'Sales', '--lang', 'nl'], t), 2);
    assert.match(t.out.join('\n'), /geen "\(no Teams\)"-licentieplan/);
  });

  it('swap --split-teams --yes on a user: one assignLicense that adds both and removes the suite', async () => {
    const t = io();
    const code = await runCli(['swap', '--user', 'bob@contoso.example', '--split-teams', '--yes'], t);
    assert.equal(code, 0, t.err.join('\n') + t.out.join('\n'));
    assert.equal((await writes()).length, 1, 'one assignLicense');
    const u = (await sb.get('/users/bob@contoso.example?$select=assignedLicenses')).body;
    assert.deepEqual(u.assignedLicenses.map((l: { skuId: string }) => l.skuId).sort(), [E1_NT, TEAMS].sort());
    assert.ok(!u.assignedLicenses.some((l: { skuId: string }) => l.skuId === E1), 'E1 removed');
  });
});

describe('plan-switch split-teams: arguments', () => {
  it('split-teams and join-teams take one user or group; --split-teams goes on preflight and swap', () => {
    assert.deepEqual(parseCli(['split-teams', '--group', 'Sales']).teams, 'split');
    assert.equal(parseCli(['split-teams', '--group', 'Sales']).command, 'preflight');
    assert.equal(parseCli(['join-teams', '--user', 'a@b.c']).teams, 'join');
    const swap = parseCli(['swap', '--group', 'Sales', '--split-teams', '--yes']);
    assert.equal(swap.command, 'swap');
    assert.equal(swap.teams, 'split');
    assert.equal(swap.spec, undefined, 'the service proposes the spec');
  });
  it('refuses what does not go with it, in one clear line', () => {
    assert.throws(() => parseCli(['split-teams', '--group', 'Sales', '--to', 'E3']), UsageError);
    assert.throws(() => parseCli(['split-teams']), /Say who/);
    assert.throws(() => parseCli(['swap', '--users-file', '/dev/null', '--split-teams']), UsageError);
    assert.throws(() => parseCli(['preflight', '--group', 'S', '--split-teams', '--join-teams']), /not both/);
    assert.throws(() => parseCli(['split-teams', '--group', 'S', '--yes']), /does not take --yes/);
  });
});

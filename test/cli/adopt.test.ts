// plan-switch adopt (issue 13 part 3): the group takes over the plan its members hold directly,
// from the command line on the sandbox tenant.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseCli } from '../../src/cli/args';
import { skuId, tenantFixture, withSandbox } from '../helpers/sandbox';

const MAIN = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const E1 = skuId('STANDARDPACK');

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const fixture = tenantFixture('Contoso')
  .sku('STANDARDPACK', 10)
  .users(['t1', 't2', 't3'], { licenses: ['STANDARDPACK'] })
  .group('Team', { members: ['t1', 't2', 't3'] })
  .users(['p1', 'p2'], { licenses: ['STANDARDPACK'] })
  .group('Support', { members: ['p1', 'p2'], licenses: [{ sku: 'STANDARDPACK', disabledPlans: ['SWAY'] }] })
  .build();

describe('plan-switch adopt (command line)', function () {
  this.timeout(30_000);
  const sb = withSandbox(fixture, { resetEach: true });
  const env = () => ({ GRAPH_BASE_URL: sb.graphBaseUrl });
  const writes = async () => (await sb.requests()).filter((r) => r.method === 'POST' && /assignLicense$/i.test(r.path));
  const states = async (u: string) =>
    (await sb.get(`/users/${u}@contoso.example?$select=id,licenseAssignmentStates`)).body.licenseAssignmentStates as { assignedByGroup: string | null; state: string }[];

  it('parses: --group required, --plan optional, --accept-loss repeatable or comma-separated, waves', () => {
    const o = parseCli(['adopt', '--group', 'Marketing', '--plan', 'E1', '--accept-loss', 'a@x.nl,b@x.nl', '--accept-loss', 'c@x.nl', '--pilot', '2', '--wave-size', '10']);
    assert.deepEqual(o.spec, { principal: { kind: 'group', group: 'Marketing' }, to: 'E1', adopt: { acceptLoss: ['a@x.nl', 'b@x.nl', 'c@x.nl'] } });
    assert.deepEqual(o.waves, { pilot: 2, size: 10 });
    assert.throws(() => parseCli(['adopt', '--plan', 'E1']), /Say which group/);
    assert.throws(() => parseCli(['adopt', '--group', 'Marketing', '--user', 'x@y']), /does not take --user/);
  });

  it('--dry-run checks and writes nothing; --lang nl says it in Dutch', async () => {
    const r = await cli(['adopt', '--group', 'Team', '--dry-run'], env());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Adopt: group Team takes over Office 365 E1/);
    assert.match(r.stdout, /Own copies to remove: 3; seats used: unchanged/);
    assert.equal((await writes()).length, 0);
    const nl = await cli(['adopt', '--group', 'Team', '--plan', 'E1', '--dry-run', '--lang', 'nl'], env());
    assert.match(nl.stdout, /De groep krijgt Office 365 E1/);
  });

  it('refuses without --yes when there is no terminal to ask on', async () => {
    const r = await cli(['adopt', '--group', 'Team', '--plan', 'E1'], env());
    assert.equal(r.code, 1);
    assert.match(r.stderr, /without confirmation/);
    assert.equal((await writes()).length, 0);
  });

  it('--yes: the group gets E1, Entra processes it, the own copies go in waves; seats used unchanged', async () => {
    const consumed = async () => ((await sb.get('/subscribedSkus')).body.value as { skuId: string; consumedUnits: number }[]).find((s) => s.skuId === E1)!.consumedUnits;
    const before = await consumed();
    const r = await cli(['adopt', '--group', 'Team', '--plan', 'E1', '--yes', '--poll-ms', '20', '--pilot', '1'], env());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Removing own copies: wave 2 of 2, 3 of 3 done/);
    assert.match(r.stdout, /Done: everyone who held the plan directly now gets it from the group/);
    assert.match(r.stdout, /3 own copies removed/);
    for (const u of ['t1', 't2', 't3'])
      assert.deepEqual(
        (await states(u)).map((s) => [s.assignedByGroup === null, s.state]),
        [[false, 'Active']],
      );
    assert.equal(await consumed(), before);
  });

  it('members whose own copy has services the group turns off: blocked (exit 2) until accepted; --accept-loss removes theirs, the others keep theirs and are named', async () => {
    const blocked = await cli(['adopt', '--group', 'Support', '--plan', 'E1', '--json'], env());
    assert.equal(blocked.code, 2);
    const out = JSON.parse(blocked.stdout);
    assert.ok(out.findings.some((f: { code: string; data: { accepted: boolean } }) => f.code === 'ADOPT_SERVICES_NOT_COVERED' && !f.data.accepted));
    assert.equal((await writes()).length, 0);

    const r = await cli(['adopt', '--group', 'Support', '--plan', 'E1', '--accept-loss', 'p1@contoso.example', '--yes', '--poll-ms', '20'], env());
    assert.equal(r.code, 1, 'partly done: p2 keeps theirs');
    assert.match(r.stdout, /Accepted: their own copy is removed/);
    assert.match(r.stdout, /1 own copy removed: they get the plan from the group: p1@contoso.example/);
    assert.match(r.stdout, /1 member keeps their own copy:\n {2}P2 <p2@contoso.example>: the group's copy turns off/);
    assert.ok((await states('p1')).every((s) => s.assignedByGroup !== null));
    assert.ok((await states('p2')).some((s) => s.assignedByGroup === null));
  });
});

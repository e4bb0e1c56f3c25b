import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIO } from '../../src/cli/run';
import { parseCli, readUsersFile, UsageError } from '../../src/cli/args';
import { freePort } from '../helpers/net';
import { skuId, tenantFixture, withSandbox } from '../helpers/sandbox';

const MAIN = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const E1 = skuId('STANDARDPACK');
const E3 = skuId('ENTERPRISEPACK');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with a clean environment (no credentials from the host can leak in). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function oneCleanLine(stderr: string): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0]!, /^plan-switch: /);
  assert.ok(!/\bat .*\(.*:\d+:\d+\)/.test(stderr), 'no stack trace');
}

const fixture = tenantFixture('Contoso')
  .sku('STANDARDPACK', 20)
  .sku('ENTERPRISEPACK', 10)
  .user('alice', { licenses: [{ sku: 'STANDARDPACK', disabledPlans: ['YAMMER_ENTERPRISE'] }] })
  .user('bob', { licenses: ['STANDARDPACK'] })
  .user('carol', { licenses: ['STANDARDPACK'] })
  .user('inh', {})
  .user('m1', {})
  .user('m2', {})
  .group('Sales', { members: ['m1', 'm2'], licenses: ['STANDARDPACK'] })
  .group('Mixed', { members: ['inh'], licenses: ['STANDARDPACK'] })
  .build();

describe('plan-switch CLI (node dist/src/cli/main.js)', function () {
  this.timeout(30_000);
  const sb = withSandbox(fixture, { resetEach: true });
  const env = () => ({ GRAPH_BASE_URL: sb.graphBaseUrl });
  const dir = mkdtempSync(join(tmpdir(), 'ps-cli-'));
  const assignWrites = async () => (await sb.requests()).filter((r) => r.method === 'POST' && /assignLicense$/i.test(r.path));

  it('--help prints usage and exits 0', async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /plan-switch preflight/);
    assert.match(r.stdout, /Exit codes/);
  });

  it('plans: a table of seats, or JSON', async () => {
    const r = await cli(['plans'], env());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Office 365 E3\s+ENTERPRISEPACK/);
    assert.match(r.stdout, /Available/);
    const j = await cli(['plans', '--json'], env());
    const plans = JSON.parse(j.stdout).plans as { skuPartNumber: string; available: number }[];
    assert.equal(plans.find((p) => p.skuPartNumber === 'ENTERPRISEPACK')?.available, 10);
  });

  it('preflight --json prints { change, findings, counts } and exits 0; writes nothing', async () => {
    const r = await cli(['preflight', '--group', 'Sales', '--from', 'E1', '--to', 'E3', '--json'], env());
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.change.kind, 'group');
    assert.equal(out.change.affectedUsers, 2);
    assert.ok(Array.isArray(out.findings));
    assert.deepEqual(Object.keys(out.counts).sort(), ['block', 'info', 'warn']);
    assert.equal((await assignWrites()).length, 0);
  });

  it('a blocked preflight exits 2', async () => {
    const r = await cli(['preflight', '--user', 'inh@contoso.example', '--from', 'E1', '--to', 'E3'], env());
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /BLOCK/);
    assert.match(r.stdout, /Result: BLOCKED/);
  });

  it('bad input exits 1 with one clean line on stderr and writes nothing', async () => {
    for (const args of [
      ['swap', '--user', 'alice@contoso.example', '--from', 'E1', '--to', 'E99', '--yes'],
      ['swap', '--user', 'nobody@contoso.example', '--from', 'E1', '--to', 'E3', '--yes'],
      ['swap', '--group', 'Sales', '--user', 'alice@contoso.example', '--to', 'E3', '--yes'],
      ['preflight', '--group', 'Sales'],
      ['frobnicate'],
      ['swap', '--users-file', join(dir, 'missing.txt'), '--to', 'E3', '--yes'],
    ]) {
      const r = await cli(args, env());
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      oneCleanLine(r.stderr);
    }
    assert.equal((await assignWrites()).length, 0);
  });

  it('swap refuses without --yes when there is no terminal to ask on', async () => {
    const r = await cli(['swap', '--user', 'alice@contoso.example', '--from', 'E1', '--to', 'E3'], env());
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--yes/);
    assert.equal((await assignWrites()).length, 0);
  });

  it('swap refuses when the preflight blocks (exit 2, no write)', async () => {
    const r = await cli(['swap', '--user', 'inh@contoso.example', '--from', 'E1', '--to', 'E3', '--yes', '--json'], env());
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.stdout).counts.block >= 1, true);
    assert.equal((await assignWrites()).length, 0);
  });

  it('swap --yes --json on a user: result and tracking, one write', async () => {
    const r = await cli(['swap', '--user', 'alice@contoso.example', '--from', 'E1', '--to', 'E3', '--yes', '--json'], env());
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(
      out.result.outcomes.map((o: { status: string }) => o.status),
      ['changed'],
    );
    assert.equal(out.tracking.done.length, 1);
    assert.equal((await assignWrites()).length, 1);
    const u = (await sb.get('/users/alice@contoso.example?$select=assignedLicenses')).body;
    assert.deepEqual(
      u.assignedLicenses.map((l: { skuId: string }) => l.skuId),
      [E3],
    );
  });

  it('swap --yes on a group waits for Entra to process the members', async () => {
    const r = await cli(['swap', '--group', 'Sales', '--from', 'E1', '--to', 'E3', '--yes', '--poll-ms', '20'], env());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Accepted by Entra/);
    assert.match(r.stdout, /Processing complete: 2 done, 0 in error/);
    const g = (await sb.get("/groups?$filter=displayName eq 'Sales'&$select=assignedLicenses")).body.value[0];
    assert.deepEqual(
      g.assignedLicenses.map((l: { skuId: string }) => l.skuId),
      [E3],
    );
  });

  it('--users-file: one UPN per line, # comments', async () => {
    const file = join(dir, 'users.txt');
    writeFileSync(file, '# people to move\nbob@contoso.example\n\ncarol@contoso.example   # finance\n');
    const r = await cli(['swap', '--users-file', file, '--to', 'E3', '--yes', '--json'], env());
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.change.kind, 'users');
    assert.equal(out.change.from.skuId, E1);
    assert.equal(out.result.changed.length, 2);
  });

  it('status of a user and of a group', async () => {
    const u = await cli(['status', '--user', 'inh@contoso.example'], env());
    assert.equal(u.code, 0, u.stderr);
    assert.match(u.stdout, /group Mixed/);
    const g = await cli(['status', '--group', 'Sales', '--json'], env());
    const s = JSON.parse(g.stdout);
    assert.equal(s.memberCount, 2);
    assert.equal(s.licenses[0].plan.skuId, E1);
  });

  it('Graph that cannot be reached, or real Graph without credentials: exit 1, one line', async () => {
    const port = await freePort(); // nobody listens on it
    const down = await cli(['plans'], { GRAPH_BASE_URL: `http://127.0.0.1:${port}/v1.0` });
    assert.equal(down.code, 1);
    oneCleanLine(down.stderr);
    assert.match(down.stderr, /could not be reached/);
    const real = await cli(['plans'], { GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0' });
    assert.equal(real.code, 1);
    oneCleanLine(real.stderr);
    assert.match(real.stderr, /credentials/);
  });

  it('without GRAPH_BASE_URL it starts its own sandbox from SANDBOX_TENANT', async () => {
    const file = join(dir, 'tenant.json');
    writeFileSync(file, JSON.stringify(fixture));
    const r = await cli(['plans', '--json'], { SANDBOX_TENANT: file, SANDBOX_PORT: '0' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).plans.length, 2);
    const bad = await cli(['plans'], { SANDBOX_TENANT: join(dir, 'nope.json'), SANDBOX_PORT: '0' });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /SANDBOX_TENANT/);
  });
});

describe('plan-switch CLI in process', () => {
  const sb = withSandbox(fixture, { resetEach: true });
  function io(answer: string | null): CliIO & { out: string[]; err: string[]; asked: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const asked: string[] = [];
    return {
      out,
      err,
      asked,
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      interactive: answer !== null,
      ask: async (q) => {
        asked.push(q);
        return answer ?? '';
      },
      env: { GRAPH_BASE_URL: sb.graphBaseUrl },
    };
  }

  it('asks y/N on a terminal: no means nothing is written', async () => {
    const t = io('n');
    const code = await runCli(['swap', '--user', 'bob@contoso.example', '--from', 'E1', '--to', 'E3'], t);
    assert.equal(code, 1);
    assert.equal(t.asked.length, 1);
    assert.match(t.asked[0]!, /\[y\/N\]/);
    const writes = (await sb.requests()).filter((r) => r.method === 'POST' && /assignLicense$/.test(r.path));
    assert.equal(writes.length, 0);
  });

  it('asks y/N on a terminal: yes runs it', async () => {
    const t = io('y');
    const code = await runCli(['swap', '--user', 'bob@contoso.example', '--from', 'E1', '--to', 'E3'], t);
    assert.equal(code, 0, t.err.join('\n'));
    const u = (await sb.get('/users/bob@contoso.example?$select=assignedLicenses')).body;
    assert.deepEqual(
      u.assignedLicenses.map((l: { skuId: string }) => l.skuId),
      [E3],
    );
  });
});

describe('plan-switch argument parsing', () => {
  it('needs exactly one principal, a target, and known options per command', () => {
    assert.throws(() => parseCli(['preflight', '--to', 'E3']), UsageError);
    assert.throws(() => parseCli(['status', '--group', 'x', '--to', 'E3']), /does not take --to/);
    assert.throws(() => parseCli(['preflight', '--user', 'a', '--to', 'E3', '--include-direct']), /only applies to a group/);
    assert.throws(() => parseCli(['preflight', '--group', 'x', '--to', 'E3', '--timeout', '5']), /does not take --timeout/);
    const o = parseCli(['swap', '--group', 'Sales', '--to', 'E3', '--include-direct', '--disable', 'YAMMER_ENTERPRISE', '-y']);
    assert.deepEqual(o.spec, { principal: { kind: 'group', group: 'Sales' }, to: 'E3', includeDirectCopies: true, planOverrides: { disable: ['YAMMER_ENTERPRISE'] } });
    assert.equal(o.yes, true);
    assert.equal(parseCli([]).help, true);
  });

  it('--to and --from repeat: several plans in one change', () => {
    const o = parseCli(['preflight', '--group', 'Sales', '--from', 'E3', '--to', 'E3 (no Teams)', '--to', 'Teams Enterprise']);
    assert.deepEqual(o.spec, { principal: { kind: 'group', group: 'Sales' }, from: 'E3', to: 'E3 (no Teams)', alsoTo: ['Teams Enterprise'] });
    const o2 = parseCli(['swap', '--user', 'a@x', '--from', 'E1', '--from', 'Teams Essentials', '--to', 'E3', '-y']);
    assert.deepEqual(o2.spec, { principal: { kind: 'user', user: 'a@x' }, from: 'E1', alsoFrom: ['Teams Essentials'], to: 'E3' });
    assert.deepEqual(parseCli(['preflight', '--user', 'a@x', '--to', 'E3']).spec, { principal: { kind: 'user', user: 'a@x' }, to: 'E3' });
    assert.throws(() => parseCli(['preflight', '--user', 'a@x', '--to', 'E3', '--to', ' ']), /--to needs a value/);
    assert.throws(() => parseCli(['preflight', '--user', 'a@x', '--to', 'A', '--to', 'B', '--to', 'C', '--to', 'D', '--to', 'E', '--to', 'F', '--to', 'G']), /At most 6/);
  });

  it('reads users files', () => {
    assert.deepEqual(
      readUsersFile('x', () => ' a@x.example \n# c\nb@x.example # note\n'),
      ['a@x.example', 'b@x.example'],
    );
    assert.throws(() => readUsersFile('x', () => '# only comments\n'), /names no users/);
  });
});

void E1;

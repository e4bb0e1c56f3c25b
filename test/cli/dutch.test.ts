// plan-switch --lang nl on the demo tenant: refusals, the confirmation and its cancel, usage errors,
// an unknown user and the workflow's refusals read in Dutch, in the same sentences as the bot's
// (the message tables, src/i18n); --json keeps its codes and carries the Dutch messages.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIO } from '../../src/cli/run';
import { en, nl } from '../../src/i18n';
import { withSandbox } from '../helpers/sandbox';

const MAIN = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const DEMO = join(__dirname, '..', '..', '..', 'data', 'demo-tenant.json');

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('plan-switch --lang nl (demo tenant)', function () {
  this.timeout(30_000);
  const sb = withSandbox(DEMO, { resetEach: true });
  const env = () => ({ GRAPH_BASE_URL: sb.graphBaseUrl });
  const writes = async () => (await sb.requests()).filter((r) => r.method === 'POST' && /assignLicense$/i.test(r.path));

  it('a blocked swap is refused in Dutch (exit 2, nothing written); the same run without --lang says it in English', async () => {
    // Emma gets E1 from the group Sales only: a user swap cannot remove it.
    const args = ['swap', '--user', 'emma.janssen@contoso.example', '--from', 'E1', '--to', 'E3', '--yes'];
    const r = await cli([...args, '--lang', 'nl'], env());
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `plan-switch: ${nl.preflight.blocked} ${nl.common.nothingChanged}\n`);
    assert.match(r.stdout, /^Wijziging: Emma Janssen <emma\.janssen@contoso\.example> van Office 365 E1 \(STANDARDPACK\) naar Office 365 E3/);
    assert.match(r.stdout, /BLOK {2}.*\[SOURCE_INHERITED\]/);
    assert.match(r.stdout, /Uitkomst: GEBLOKKEERD \(1 blokkerend/);
    const english = await cli(args, env());
    assert.equal(english.stderr, `plan-switch: ${en.preflight.blocked} ${en.common.nothingChanged}\n`);
    assert.equal((await writes()).length, 0);
  });

  it('without a terminal and without --yes: refused in Dutch (exit 1, nothing written)', async () => {
    const r = await cli(['swap', '--user', 'ruben.kramer@contoso.example', '--from', 'E1', '--to', 'E3', '--lang', 'nl'], env());
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `plan-switch: ${nl.cli.needYes}\n`);
    assert.equal((await writes()).length, 0);
  });

  it('asks in Dutch on a terminal ([j/N]); nee cancels in Dutch, j runs it', async () => {
    const session = (answer: string): CliIO & { out: string[]; err: string[]; asked: string[] } => {
      const s = { out: [] as string[], err: [] as string[], asked: [] as string[] };
      return {
        ...s,
        stdout: (t) => s.out.push(t),
        stderr: (t) => s.err.push(t),
        interactive: true,
        ask: async (q) => {
          s.asked.push(q);
          return answer;
        },
        env: env(),
      };
    };
    const args = ['swap', '--user', 'ruben.kramer@contoso.example', '--from', 'E1', '--to', 'E3', '--lang', 'nl'];
    const no = session('nee');
    assert.equal(await runCli(args, no), 1);
    assert.deepEqual(no.asked, [nl.cli.confirmSwap('Ruben Kramer', 'Office 365 E1', 'Office 365 E3', 1)]);
    assert.match(no.asked[0]!, /^Ruben Kramer wisselen van Office 365 E1 naar Office 365 E3 \(1 gebruiker\)\? \[j\/N\] $/);
    assert.deepEqual(no.err, [`plan-switch: ${nl.cli.cancelled}`]);
    assert.equal((await writes()).length, 0);

    const yes = session('j');
    assert.equal(await runCli(args, yes), 0, yes.err.join('\n'));
    assert.equal((await writes()).length, 1);
    assert.match(yes.out.join('\n'), /Gewijzigd: 1 gebruiker/);
  });

  it('usage errors in Dutch; before --lang is known (or when it is wrong) in English', async () => {
    const noTarget = await cli(['preflight', '--group', 'Verkoop', '--lang', 'nl']);
    assert.equal(noTarget.code, 1);
    assert.equal(noTarget.stderr, `plan-switch: ${nl.cli.usage.whichTarget}\n`);
    // Node's own parse error (an unknown option), with --lang after it: still Dutch.
    const unknown = await cli(['preflight', '--groep', 'Verkoop', '--naar', 'E3', '--lang', 'nl']);
    assert.equal(unknown.stderr, `plan-switch: Onbekende optie '--groep'.\n`);
    const noValue = await cli(['status', '--lang=nl', '--user']);
    assert.equal(noValue.stderr, `plan-switch: ${nl.cli.usage.missingValue('--user')}\n`);
    const command = await cli(['--lang', 'nl', 'verplaats']);
    assert.match(command.stderr, /^plan-switch: Onbekende opdracht 'verplaats'\. Opdrachten: preflight, swap,/);
    const badLang = await cli(['plans', '--lang', 'fr']);
    assert.equal(badLang.code, 1);
    assert.equal(badLang.stderr, `plan-switch: --lang must be en or nl, not 'fr'.\n`);
    const english = await cli(['preflight', '--group', 'Sales']);
    assert.equal(english.stderr, `plan-switch: ${en.cli.usage.whichTarget}\n`);
  });

  it("an unknown user: the bot's sentence (lookup.principalUnknown), in Dutch, and nothing written", async () => {
    const r = await cli(['swap', '--user', 'niemand@contoso.example', '--from', 'E1', '--to', 'E3', '--yes', '--lang', 'nl'], env());
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `plan-switch: ${nl.lookup.principalUnknown('niemand@contoso.example')}\n`);
    assert.equal(nl.lookup.principalUnknown('niemand@contoso.example'), 'Ik kan geen gebruiker of groep "niemand@contoso.example" vinden.');
    const plan = await cli(['preflight', '--user', 'ruben.kramer@contoso.example', '--to', 'E99', '--lang', 'nl'], env());
    assert.equal(plan.code, 1);
    assert.match(plan.stderr, /^plan-switch: De tenant heeft geen licentieplan "E99"\. Dit zijn de licentieplannen: .*Office 365 E3 \(ENTERPRISEPACK\)/);
    assert.equal((await writes()).length, 0);
  });

  it("pause / cancel of the bot's requests: an unknown --as and an unknown request are refused with the bot's Dutch sentences; --json keeps the code", async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ps-cli-nl-')), 'state.db');
    const stateEnv = () => ({ ...env(), STATE_DB: db });
    const nobody = await cli(['pause', '12', '--as', 'niemand@contoso.example', '--lang', 'nl'], stateEnv());
    assert.equal(nobody.code, 1);
    assert.equal(nobody.stderr, `plan-switch: ${nl.lookup.principalUnknown('niemand@contoso.example')} ${nl.common.nothingChanged}\n`);
    const unknown = await cli(['cancel', '99', '--as', 'sanne.devries@contoso.example', '--lang', 'nl', '--json'], stateEnv());
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, `plan-switch: ${nl.refusals.unknown('99')}\n`);
    const out = JSON.parse(unknown.stdout);
    assert.equal(out.reason, 'unknown');
    assert.equal(out.message, 'Er is geen wijzigingsaanvraag 99.');
  });

  it('--json --lang nl: the codes stay, the messages are Dutch; --help --lang nl is the Dutch help', async () => {
    const r = await cli(['preflight', '--user', 'emma.janssen@contoso.example', '--from', 'E1', '--to', 'E3', '--json', '--lang', 'nl'], env());
    assert.equal(r.code, 2);
    const out = JSON.parse(r.stdout);
    const f = out.findings.find((x: { code: string }) => x.code === 'SOURCE_INHERITED');
    assert.equal(f.severity, 'block');
    assert.match(f.message, /groep Sales/);
    const help = await cli(['--help', '--lang', 'nl']);
    assert.equal(help.code, 0);
    assert.equal(help.stdout, `${nl.cli.help.trimEnd()}\n`);
    assert.match(help.stdout, /^Opdrachten:$/m);
  });
});

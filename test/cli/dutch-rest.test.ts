// plan-switch --lang nl where English used to remain: a name that would change the request path,
// Graph's error (said once), a usage location that could not be set, and a resume whose check could
// not run, with the advice naming the CLI's own command (not the chat's "typ hervat 12").
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/state/sqlite-store';
import { tenantFixture, withSandbox } from '../helpers/sandbox';
import { preflight, usersChange } from '../requests/fakes';

const MAIN = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const DEMO = join(__dirname, '..', '..', '..', 'data', 'demo-tenant.json');
/** English a Dutch run must not print: the service's and Graph's sentences, the chat's words. */
const ENGLISH = /That doesn't work|cannot name|would be read|Microsoft Graph:|could not answer|could not be set|internal server error|Nothing|type "|typ "|"hervat|then run/i;

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('plan-switch --lang nl: errors without English (demo tenant)', function () {
  this.timeout(30_000);
  const sb = withSandbox(DEMO, { resetEach: true });
  const env = () => ({ GRAPH_BASE_URL: sb.graphBaseUrl });

  it('a user named "..": refused in Dutch before any request; in English as before', async () => {
    const r = await cli(['status', '--user', '..', '--lang', 'nl'], env());
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `plan-switch: Dat kan niet: '..' kan geen gebruiker aanduiden: ".." zou als deel van het URL-pad worden gelezen.\n`);
    const english = await cli(['status', '--user', '..'], env());
    assert.equal(english.stderr, `plan-switch: That doesn't work: '..' cannot name a user: ".." would be read as part of the URL path.\n`);
    assert.deepEqual(
      (await sb.requests()).filter((x) => x.path.includes('..')),
      [],
    );
  });

  it("Graph's error is said once: in Dutch from its status and code; in English in Graph's words", async () => {
    await sb.fault({ method: 'GET', path: '/subscribedSkus', status: 403, times: 2 });
    const r = await cli(['plans', '--lang', 'nl'], env());
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'plan-switch: Microsoft Graph weigerde de aanvraag: de app heeft er geen toestemming voor (HTTP 403, InternalServerError). Er is niets gewijzigd.\n');
    const english = await cli(['plans'], env());
    assert.equal(english.stderr, 'plan-switch: Microsoft Graph could not answer: An internal server error occurred (InternalServerError). Nothing was changed.\n');
  });

  it('the usage location could not be set (the app may not): why, in Dutch, per person; no license call for them', async () => {
    await sb.fault({ method: 'PATCH', path: '/users/*', status: 403, times: 1 });
    const r = await cli(['swap', '--user', 'joost.vandam@contoso.example', '--from', 'E1', '--to', 'E3', '--set-usage-location', 'BE', '--yes', '--lang', 'nl'], env());
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /Gebruikslocatie niet ingesteld: joost\.vandam@contoso\.example/);
    assert.match(r.stdout, /Joost van Dam.*: De gebruikslocatie kon niet worden ingesteld: de app heeft de machtiging User\.ReadWrite\.All met beheerderstoestemming nodig/);
    assert.doesNotMatch(r.stdout, /geen gebruikslocatie, dus/);
    assert.doesNotMatch(r.stdout + r.stderr, ENGLISH);
    assert.deepEqual(
      (await sb.requests()).filter((x) => x.method === 'POST' && /assignLicense$/i.test(x.path)),
      [],
      'no license call without the usage location',
    );
  });
});

describe('plan-switch resume --lang nl: the check could not run', function () {
  this.timeout(60_000);
  const people = ['u1', 'u2', 'u3'];
  let f = tenantFixture('Contoso').sku('STANDARDPACK', 20).sku('ENTERPRISEPACK', 10).user('alice', {}).user('bob', {});
  for (const p of people) f = f.user(p, { licenses: ['STANDARDPACK'] });
  const sb = withSandbox(f.build(), { resetEach: true });
  const dir = mkdtempSync(join(tmpdir(), 'ps-cli-nl-rest-'));
  let db: string;
  let n = 0;

  /** A request of alice in waves, paused after its pilot, in a fresh state database. */
  async function pausedRequest(): Promise<string> {
    db = join(dir, `state-${++n}.db`);
    const alice = (await sb.get('/users/alice@contoso.example?$select=id')).body.id as string;
    const tenant = (await sb.get('/organization')).body.value[0].id as string;
    const store = openStore(db);
    try {
      const who = async (p: string) => {
        const u = (await sb.get(`/users/${p}@contoso.example?$select=id,displayName,userPrincipalName`)).body;
        return { kind: 'user' as const, id: u.id as string, displayName: u.displayName as string, userPrincipalName: u.userPrincipalName as string };
      };
      const change = usersChange([await who('u1'), await who('u2'), await who('u3')]);
      const r = await store.create({
        spec: { principal: { kind: 'users', users: ['x'] }, to: 'E3' },
        preflight: preflight(change),
        requester: { id: alice, tenantId: tenant, name: 'Alice' },
        ttlMs: 3_600_000,
      });
      await store.transition(r.id, { from: ['pending'] }, 'approved', null, {});
      const waves = {
        settings: { pilot: 1, size: 1, pauseAtErrorShare: 0.1 },
        total: 3,
        count: 3,
        next: 1,
        waves: [],
        pause: { by: null, at: new Date().toISOString(), wave: 0, errorShare: 1 },
      };
      await store.transition(r.id, { from: ['approved'] }, 'paused', null, { result: { waves } });
      return r.id;
    } finally {
      store.close();
    }
  }

  it('stays paused; says why in Dutch and names the command to run again (resume or cancel --as the one who typed it); EN too', async () => {
    const id = await pausedRequest();
    const env = { GRAPH_BASE_URL: sb.graphBaseUrl, STATE_DB: db, APPROVERS: 'bob@contoso.example' };
    await sb.fault({ method: 'GET', path: '/subscribedSkus', status: 403, times: 4 });
    const r = await cli(['resume', id, '--as', 'bob@contoso.example', '--lang', 'nl'], env);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, new RegExp(`Wijzigingsaanvraag ${id} blijft gepauzeerd`));
    assert.match(
      r.stderr,
      /De controle kon niet worden uitgevoerd \(Microsoft Graph weigerde de aanvraag: de app heeft er geen toestemming voor \(HTTP 403, InternalServerError\)\)/,
    );
    assert.match(
      r.stderr,
      new RegExp(
        `Wat te doen: wacht even, voer daarna opnieuw "plan-switch resume ${id} --as bob@contoso\\.example" uit; of "plan-switch cancel ${id} --as bob@contoso\\.example" om hier te stoppen`,
      ),
    );
    assert.doesNotMatch(r.stderr, ENGLISH);
    const english = await cli(['resume', id, '--as', 'alice@contoso.example'], env);
    assert.match(english.stderr, /The check could not run \(Microsoft Graph: An internal server error occurred \(InternalServerError\)\)/);
    assert.match(
      english.stderr,
      new RegExp(
        `What to do: wait a moment, then run "plan-switch resume ${id} --as alice@contoso\\.example" again; or "plan-switch cancel ${id} --as alice@contoso\\.example" to stop here`,
      ),
    );
    assert.doesNotMatch(english.stderr, /type "resume/);
    const store = openStore(db);
    try {
      const req = (await store.get(id))!;
      assert.equal(req.state, 'paused');
      assert.equal(req.result?.waves?.recheck?.failure?.code, 'GRAPH_ERROR');
    } finally {
      store.close();
    }
  });
});

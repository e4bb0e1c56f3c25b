// The CLI and waves: swap of a users list as a pilot then waves (--pilot, --wave-size), stopping
// when a wave fails past the threshold; pause / resume / cancel of the bot's change requests on
// its state database, with the same rights as in Teams (--as: the requester or an approver).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/state/sqlite-store';
import { tenantFixture, withSandbox } from '../helpers/sandbox';
import { preflight, usersChange, user } from '../requests/fakes';

const MAIN = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const people = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'];

function fixture(e3Seats: number) {
  let f = tenantFixture('Contoso').sku('STANDARDPACK', 20).sku('ENTERPRISEPACK', e3Seats).user('alice', {}).user('bob', {}).user('carol', {});
  for (const p of people) f = f.user(p, { licenses: ['STANDARDPACK'] });
  return f.build();
}

describe('plan-switch CLI and waves', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'ps-cli-waves-'));
  const usersFile = join(dir, 'users.txt');
  writeFileSync(usersFile, people.map((p) => `${p}@contoso.example`).join('\n'));

  describe('swap in waves', () => {
    const sb = withSandbox(fixture(10), { resetEach: true });
    const writes = async () => (await sb.requests()).filter((r) => r.method === 'POST' && /assignLicense$/i.test(r.path));

    it('--pilot 2 --wave-size 3: seven people in three waves, each read back before the next', async () => {
      const r = await cli(['swap', '--users-file', usersFile, '--to', 'E3', '--pilot', '2', '--wave-size', '3', '--yes', '--json'], { GRAPH_BASE_URL: sb.graphBaseUrl });
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.waves.count, 3);
      assert.deepEqual(
        out.waves.records.map((w: { people: number; done: number }) => [w.people, w.done]),
        [
          [2, 2],
          [3, 3],
          [2, 2],
        ],
      );
      assert.equal(out.result.changed.length, 7);
      assert.equal((await writes()).length, 7);
    });

    it('the text output says each wave: "Wave 2 of 3: 5 of 7 people done, 0 failed."', async () => {
      const r = await cli(['swap', '--users-file', usersFile, '--to', 'E3', '--pilot', '2', '--wave-size', '3', '--yes'], { GRAPH_BASE_URL: sb.graphBaseUrl });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Wave 1 of 3: 2 of 7 people done, 0 failed\./);
      assert.match(r.stdout, /Wave 3 of 3: 7 of 7 people done, 0 failed\./);
    });

    it('--pilot needs a users list; --wave-size 0 is refused; nothing is written', async () => {
      const a = await cli(['swap', '--user', 'u1@contoso.example', '--to', 'E3', '--pilot', '2', '--yes'], { GRAPH_BASE_URL: sb.graphBaseUrl });
      assert.equal(a.code, 1);
      assert.match(a.stderr, /--pilot and --wave-size apply to a list of users/);
      const b = await cli(['swap', '--users-file', usersFile, '--to', 'E3', '--wave-size', '0', '--yes'], { GRAPH_BASE_URL: sb.graphBaseUrl });
      assert.equal(b.code, 1);
      assert.match(b.stderr, /--wave-size must be at least 1/);
      assert.equal((await writes()).length, 0);
    });
  });

  describe('a wave past the threshold stops the run', () => {
    const sb = withSandbox(fixture(10), { resetEach: true });

    it('the pilot refused by Graph: stops after it, says why per person, sends nothing more (exit 1)', async () => {
      await sb.fault({ method: 'POST', path: '/users/*/assignLicense', status: 400, times: 2 });
      const r = await cli(['swap', '--users-file', usersFile, '--to', 'E3', '--pilot', '2', '--wave-size', '3', '--yes'], { GRAPH_BASE_URL: sb.graphBaseUrl });
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /Wave 1 of 3: 0 of 7 people done, 2 failed\./);
      assert.match(r.stdout, /u1@contoso\.example: Microsoft Graph refused the change/);
      assert.match(r.stderr, /stopped after wave 1 of 3: 100% of its people failed, more than 10%\. 5 people were not sent/);
      const sent = (await sb.requests()).filter((x) => x.method === 'POST' && /assignLicense$/i.test(x.path));
      assert.equal(sent.length, 2, 'only the pilot was sent');
    });
  });

  describe('pause / resume / cancel a change request of the bot', () => {
    const sb = withSandbox(fixture(10), { resetEach: true });
    let db: string;
    let n = 0;

    /** A request of `alice` running in waves, paused after its pilot, in a fresh state database (`real`: of u1..u3 of the sandbox). */
    async function pausedRequest(real = false): Promise<{ id: string; aliceId: string }> {
      db = join(dir, `state-${++n}.db`);
      const alice = (await sb.get('/users/alice@contoso.example?$select=id')).body.id as string;
      const tenant = (await sb.get('/organization')).body.value[0].id as string;
      const store = openStore(db);
      try {
        const who = async (p: string) => {
          const u = (await sb.get(`/users/${p}@contoso.example?$select=id,displayName,userPrincipalName`)).body;
          return { kind: 'user' as const, id: u.id as string, displayName: u.displayName as string, userPrincipalName: u.userPrincipalName as string };
        };
        const change = usersChange(real ? [await who('u1'), await who('u2'), await who('u3')] : [user(1), user(2), user(3)]);
        const requester = { id: alice, tenantId: tenant, name: 'Alice' };
        const r = await store.create({ spec: { principal: { kind: 'users', users: ['x'] }, to: 'E3' }, preflight: preflight(change), requester, ttlMs: 3_600_000 });
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
        return { id: r.id, aliceId: alice };
      } finally {
        store.close();
      }
    }

    const env = () => ({ GRAPH_BASE_URL: sb.graphBaseUrl, STATE_DB: db, APPROVERS: 'bob@contoso.example' });

    it('resume --as the requester: running again, handed to the bot (lease lapsed), audited with who', async () => {
      const { id, aliceId } = await pausedRequest();
      const r = await cli(['resume', id, '--as', 'alice@contoso.example'], env());
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /running/);
      const store = openStore(db);
      try {
        const req = (await store.get(id))!;
        assert.equal(req.state, 'running');
        assert.ok(Date.parse(req.lease!.until) <= Date.now(), 'a running bot takes it over on its next tick');
        const entry = (await store.audit(id)).find((e) => e.action === 'resumed')!;
        assert.equal(entry.actor!.id, aliceId);
      } finally {
        store.close();
      }
    });

    it('resume checks the remaining people again: no E3 seats left, it stays paused, prints each finding and what to do (EN, NL), writes nothing', async () => {
      const { id } = await pausedRequest(true);
      await sb.seats('ENTERPRISEPACK', 0);
      await sb.clearRequests();
      const r = await cli(['resume', id, '--as', 'alice@contoso.example'], env());
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, new RegExp(`Change request ${id} stays paused: its remaining people were checked again`));
      assert.match(r.stderr, /Not enough licenses: 2 needed, 0 available/);
      // The CLI's own commands (not the chat's "type resume 12"), --as the one who typed it.
      assert.match(
        r.stderr,
        /What to do: buy or free licenses of the new plan, then run "plan-switch resume \d+ --as alice@contoso\.example" again; or "plan-switch cancel \d+ --as alice@contoso\.example" to stop here/,
      );
      const nl = await cli(['resume', id, '--as', 'bob@contoso.example', '--lang', 'nl'], env());
      assert.equal(nl.code, 1);
      assert.match(nl.stderr, /blijft gepauzeerd/);
      assert.match(nl.stderr, /Niet genoeg beschikbare licenties: 2 nodig, 0 beschikbaar/);
      assert.match(
        nl.stderr,
        /Wat te doen: koop licenties van het nieuwe licentieplan of maak er vrij, voer daarna opnieuw "plan-switch resume \d+ --as bob@contoso\.example" uit/,
      );
      assert.doesNotMatch(nl.stderr, /typ |"hervat/);
      assert.deepEqual(
        (await sb.requests()).filter((e) => e.method !== 'GET' && e.path !== '/$batch'),
        [],
        'nothing written to Graph',
      );
      const store = openStore(db);
      try {
        assert.equal((await store.get(id))!.state, 'paused');
        assert.equal((await store.audit(id)).filter((e) => e.action === 'resume-blocked').length, 2);
      } finally {
        store.close();
      }
      // Seats bought: the same command resumes it.
      await sb.seats('ENTERPRISEPACK', 10);
      const goes = await cli(['resume', id, '--as', 'alice@contoso.example'], env());
      assert.equal(goes.code, 0, goes.stderr);
      assert.match(goes.stdout, /running/);
    });

    it('someone who is neither the requester nor an approver is refused; an unknown id too; nothing changes', async () => {
      const { id } = await pausedRequest();
      const carol = await cli(['cancel', id, '--as', 'carol@contoso.example'], env());
      assert.equal(carol.code, 1);
      assert.match(carol.stderr, /Only the person who asked for this change or an approver can do that\. Nothing was changed\./);
      const unknown = await cli(['pause', '99', '--as', 'bob@contoso.example'], env());
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /There is no change request 99\./);
      const nobody = await cli(['resume', id, '--as', 'nobody@contoso.example'], env());
      assert.equal(nobody.code, 1);
      const store = openStore(db);
      try {
        assert.equal((await store.get(id))!.state, 'paused');
      } finally {
        store.close();
      }
    });

    it('cancel --as an approver: the waves not yet run are not run; pause of a cancelled one is refused', async () => {
      const { id } = await pausedRequest();
      const r = await cli(['cancel', id, '--as', 'bob@contoso.example', '--lang', 'nl'], env());
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /geannuleerd/);
      const again = await cli(['pause', id, '--as', 'bob@contoso.example'], env());
      assert.equal(again.code, 1);
      assert.match(again.stderr, /Only a change running in waves can be paused/);
    });

    it('usage errors: no id, no --as', async () => {
      const a = await cli(['pause', '--as', 'bob@contoso.example'], env());
      assert.match(a.stderr, /Say which change request/);
      const b = await cli(['pause', '12'], env());
      assert.match(b.stderr, /Say who you are: --as UPN/);
    });
  });
});

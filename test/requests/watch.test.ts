// The error watch (WATCH_GROUPS): new members in error in a watched group are told once per
// member and error, across a restart (a new store on the same file) and across two instances
// sweeping at the same moment; a notice that reached nobody is tried again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectGraph, type GraphConnection } from '../../src/graph/connect';
import { loopbackGraph } from '../../src/graph/config';
import { LicenseService } from '../../src/licensing/service';
import { openStore, type SqliteRequestStore } from '../../src/state/sqlite-store';
import { ErrorWatch, type NewErrors } from '../../src/requests/watch';
import { tenantFixture, withSandbox } from '../helpers/sandbox';

const quiet = { warn: () => {}, error: () => {} };

// Support: Audio Conferencing from the group, one seat for three members (b and c in error).
// Late joins Support later and finds no seat either.
const fixture = () =>
  tenantFixture('Contoso')
    .sku('STANDARDPACK', 10)
    .sku('MCOMEETADV', 1)
    .users(['a', 'b', 'c', 'late'], { licenses: ['STANDARDPACK'] })
    .group('Support', { members: ['a', 'b', 'c'], licenses: ['MCOMEETADV'] })
    .group('Quiet', { members: ['a'] })
    .build();

describe('requests: the error watch (once per member and error)', () => {
  const sb = withSandbox(fixture, { resetEach: true });
  let graph: GraphConnection;
  let licenses: LicenseService;
  let dir: string;
  const stores: SqliteRequestStore[] = [];
  const open = () => {
    const s = openStore(join(dir, 'state.db'));
    stores.push(s);
    return s;
  };
  const watch = (store: SqliteRequestStore, told: NewErrors[], instanceId: string, opts: { reached?: () => boolean; groups?: string[]; intervalMs?: number } = {}) =>
    new ErrorWatch({
      licenses,
      store,
      notify: async (found) => {
        told.push(found);
        return opts.reached ? opts.reached() : true;
      },
      groups: opts.groups ?? ['Support', 'Quiet'],
      intervalMs: opts.intervalMs ?? 60_000,
      instanceId,
      log: quiet,
    });
  const names = (told: NewErrors[]) =>
    told.flatMap((f) => f.members.map((m) => `${f.group.displayName}:${m.principal.userPrincipalName}:${m.errors.map((e) => e.error).join('+')}`)).sort();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ps-watch-'));
    graph = connectGraph(loopbackGraph(sb.graphBaseUrl));
    licenses = new LicenseService(graph.gateway);
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) s.close();
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tells the members in error once, with the group and the error; a second sweep tells nothing', async () => {
    const told: NewErrors[] = [];
    const w = watch(open(), told, 'i1');
    assert.equal(await w.sweep(), 2);
    assert.deepEqual(names(told), ['Support:b@contoso.example:CountViolation', 'Support:c@contoso.example:CountViolation']);
    assert.equal(told[0]!.members[0]!.errors[0]!.plan.skuPartNumber, 'MCOMEETADV');
    assert.equal(await w.sweep(), 0);
    assert.equal(told.length, 1);
  });

  it('after a restart (a new process on the same database) nothing is told again; a new member in error is', async () => {
    const first: NewErrors[] = [];
    await watch(open(), first, 'i1').sweep();
    stores.splice(0).forEach((s) => s.close());
    const support = (await sb.get("/groups?$filter=displayName eq 'Support'")).body.value[0].id;
    const late = (await sb.get('/users/late@contoso.example')).body.id;
    await sb.post(`/groups/${support}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${late}` });
    const again: NewErrors[] = [];
    assert.equal(await watch(open(), again, 'i2').sweep(), 1);
    assert.deepEqual(names(again), ['Support:late@contoso.example:CountViolation']);
  });

  it('two instances sweeping at the same moment: each member and error is told by exactly one', async () => {
    const one: NewErrors[] = [];
    const two: NewErrors[] = [];
    const [a, b] = [watch(open(), one, 'host-a'), watch(open(), two, 'host-b')];
    const first = await Promise.all([a.sweep(), b.sweep()]);
    const second = await Promise.all([b.sweep(), a.sweep()]);
    assert.equal(
      [...first, ...second].reduce((x, y) => x + y, 0),
      2,
    );
    assert.deepEqual(names([...one, ...two]), ['Support:b@contoso.example:CountViolation', 'Support:c@contoso.example:CountViolation']);
  });

  it('a notice that reached nobody is given back: the next sweep (any instance) tells it', async () => {
    const told: NewErrors[] = [];
    let reach = false;
    const w = watch(open(), told, 'i1', { reached: () => reach });
    assert.equal(await w.sweep(), 0);
    assert.equal(told.length, 1, 'tried');
    reach = true;
    assert.equal(await watch(open(), told, 'i2', { reached: () => reach }).sweep(), 2);
    assert.equal(await w.sweep(), 0);
  });

  it('start() sweeps at once and then every interval (ms in tests); an unknown group is skipped, the others still watched', async () => {
    const told: NewErrors[] = [];
    const w = watch(open(), told, 'i1', { groups: ['No Such Group', 'Support'], intervalMs: 20 });
    w.start();
    try {
      for (let i = 0; i < 100 && told.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(told.length, 1);
      await new Promise((r) => setTimeout(r, 80));
      assert.equal(told.length, 1, 'later sweeps tell nothing new');
    } finally {
      w.stop();
      await w.whenIdle();
    }
  });
});

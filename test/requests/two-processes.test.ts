// Two bot processes share one state database; between them, fifty approve clicks land on one
// pending request at the same moment. Exactly one approval and exactly one swap must happen.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectGraph } from '../../src/graph/connect';
import { loopbackGraph } from '../../src/graph/config';
import type { ChangeSpec } from '../../src/licensing/model';
import { LicenseService } from '../../src/licensing/service';
import { openStore } from '../../src/state/sqlite-store';
import { tenantFixture, withSandbox } from '../helpers/sandbox';
import { alice, bob, groupSpec, ids, preflight, TENANT } from './fakes';

export interface ChildReport {
  pid: number;
  results: ({ ok: true; state: string } | { ok: false; reason: string })[];
  events: string[];
  finalState: string;
  ms: { startUp: number; clicks: number; run: number; clickedAt: number };
}

export const CHILD = join(__dirname, 'fixtures', 'approve-child.js');

/** Starts one child per env; once every child says "ready", tells them all "go" together. */
export function runChildren(envs: Record<string, string>[]): Promise<ChildReport[]> {
  let ready = 0;
  const children = envs.map((env) => spawn(process.execPath, [CHILD], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] }));
  const goAll = () => {
    for (const c of children) c.stdin.write('go\n');
  };
  return Promise.all(
    children.map(
      (child) =>
        new Promise<ChildReport>((resolve, reject) => {
          let out = '';
          let err = '';
          let saidReady = false;
          child.stdout.on('data', (d) => {
            out += d;
            if (!saidReady && out.includes('ready\n')) {
              saidReady = true;
              if (++ready === children.length) goAll();
            }
          });
          child.stderr.on('data', (d) => (err += d));
          child.on('error', reject);
          child.on('close', (code) => {
            if (code !== 0) {
              for (const c of children) c.kill();
              return reject(new Error(`child exited with ${code}: ${err}`));
            }
            try {
              resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildReport);
            } catch (e) {
              reject(new Error(`child printed no report: ${out} ${err} (${String(e)})`));
            }
          });
        }),
    ),
  );
}

/** Checks the click results of both children: one approval in all, every other click already decided. */
export function assertOneApproval(reports: ChildReport[], clicksEach: number): void {
  const all = reports.flatMap((r) => r.results);
  assert.equal(all.length, clicksEach * reports.length);
  const oks = all.filter((r) => r.ok);
  assert.equal(oks.length, 1, `exactly one click approves (got ${oks.length})`);
  const reasons = new Set(all.filter((r) => !r.ok).map((r) => (r as { reason: string }).reason));
  assert.deepEqual([...reasons], ['already_decided']);
  // The clicks of the two processes really overlapped in time.
  const [a, b] = reports;
  assert.ok(Math.abs(a.ms.clickedAt - b.ms.clickedAt) < Math.max(a.ms.clicks, b.ms.clicks) + 200, `clicks overlapped: ${JSON.stringify(reports.map((r) => r.ms))}`);
}

describe('requests: two processes on one database', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plan-switch-2p-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fifty approve clicks at once (25 per process): one approval, one swap call', async () => {
    assert.ok(existsSync(CHILD), 'the child script is compiled');
    const db = join(dir, 'state.db');
    const swapLog = join(dir, 'swaps.log');
    const store = openStore(db);
    const req = await store.create({ spec: groupSpec, preflight: preflight(), requester: alice, ttlMs: 3_600_000 });
    store.close();

    const env = {
      MODE: 'fake',
      STATE_DB: db,
      SWAP_LOG: swapLog,
      REQUEST_ID: req.id,
      CLICKS: '25',
      TENANT_ID: TENANT,
      APPROVERS: bob.id,
      APPROVER_ID: bob.id,
    };
    const reports = await runChildren([env, env]);

    assertOneApproval(reports, 25);
    const swaps = readFileSync(swapLog, 'utf8').trim().split('\n');
    assert.equal(swaps.length, 1, `one swap call in all (got ${swaps.length})`);
    const winner = reports.find((r) => r.results.some((x) => x.ok))!;
    assert.equal(swaps[0].split(' ')[0], String(winner.pid), 'the process that won the approval ran the swap');
    assert.deepEqual(winner.events, ['approved', 'started', 'completed']);
    assert.deepEqual(reports.find((r) => r !== winner)!.events, []);

    const after = openStore(db);
    try {
      assert.equal((await after.get(req.id))!.state, 'completed');
      const actions = (await after.audit(req.id)).map((e) => e.action);
      assert.deepEqual(actions, ['requested', 'approved', 'started', 'swap-started', 'swap-finished', 'completed']);
    } finally {
      after.close();
    }
  });
});

describe('requests: two processes, one database, one sandbox tenant (real LicenseService)', function () {
  this.timeout(120_000);
  const sb = withSandbox(
    tenantFixture('Contoso', { id: TENANT })
      .sku('STANDARDPACK', 20)
      .sku('ENTERPRISEPACK', 20)
      .user('alice', { id: ids.alice })
      .user('bob', { id: ids.bob })
      .users(['ann', 'ben', 'cas'])
      .group('Sales', { id: ids.sales, members: ['ann', 'ben', 'cas'], licenses: ['STANDARDPACK'] })
      .behavior({ groupProcessingMs: 100 })
      .build(),
  );
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plan-switch-2p-sb-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fifty approve clicks at once (25 per process): exactly one POST .../assignLicense in the request log', async () => {
    const conn = connectGraph(loopbackGraph(sb.graphBaseUrl));
    const spec: ChangeSpec = { principal: { kind: 'group', group: 'Sales' }, from: 'E1', to: 'E3' };
    let requestId: string;
    const db = join(dir, 'state.db');
    try {
      const pf = await new LicenseService(conn.gateway).preflight(spec);
      assert.equal(pf.blocked, false, JSON.stringify(pf.findings));
      const store = openStore(db);
      requestId = (await store.create({ spec, preflight: pf, requester: alice, ttlMs: 3_600_000 })).id;
      store.close();
    } finally {
      await conn.close();
    }
    await sb.clearRequests();

    const env = {
      MODE: 'sandbox',
      GRAPH_BASE_URL: sb.graphBaseUrl,
      STATE_DB: db,
      REQUEST_ID: requestId,
      CLICKS: '25',
      TENANT_ID: TENANT,
      APPROVERS: 'bob@contoso.example',
      APPROVER_ID: bob.id,
    };
    const reports = await runChildren([env, env]);
    assertOneApproval(reports, 25);

    const log = await sb.requests();
    const writes = log.filter((r) => r.method === 'POST' && /\/assignLicense$/i.test(r.path.split('?')[0]));
    assert.equal(writes.length, 1, `one assignLicense call (got ${writes.map((w) => w.path).join(', ')})`);
    assert.match(writes[0].path, new RegExp(`/groups/${ids.sales}/assignLicense`, 'i'));

    const after = openStore(db);
    try {
      const final = (await after.get(requestId))!;
      assert.equal(final.state, 'completed', JSON.stringify(final.result));
      assert.equal(final.result?.tracking?.outcome, 'complete');
      assert.equal((await after.audit(requestId)).filter((e) => e.action === 'swap-started').length, 1);
    } finally {
      after.close();
    }
    const group = await sb.get(`/groups/${ids.sales}?$select=assignedLicenses`);
    assert.deepEqual(
      group.body.assignedLicenses.map((l: { skuId: string }) => l.skuId),
      ['6fd2c87f-b296-42f0-b197-1e91e994b900'],
      'the group now holds Office 365 E3 only',
    );
  });
});

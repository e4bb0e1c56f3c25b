// Two bot processes share one state database; between them, fifty approve clicks land on one
// pending request at the same moment. Exactly one approval and exactly one swap must happen.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/state/sqlite-store';
import { alice, bob, groupSpec, preflight, TENANT } from './fakes';

export interface ChildReport {
  pid: number;
  results: ({ ok: true; state: string } | { ok: false; reason: string })[];
  events: string[];
  finalState: string;
}

export const CHILD = join(__dirname, 'fixtures', 'approve-child.js');

export function runChild(env: Record<string, string>): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`child exited with ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildReport);
      } catch (e) {
        reject(new Error(`child printed no report: ${out} ${err} (${String(e)})`));
      }
    });
  });
}

/** Checks the click results of both children: one approval in all, every other click already decided. */
export function assertOneApproval(reports: ChildReport[], clicksEach: number): void {
  const all = reports.flatMap((r) => r.results);
  assert.equal(all.length, clicksEach * reports.length);
  const oks = all.filter((r) => r.ok);
  assert.equal(oks.length, 1, `exactly one click approves (got ${oks.length})`);
  const reasons = new Set(all.filter((r) => !r.ok).map((r) => (r as { reason: string }).reason));
  assert.deepEqual([...reasons], ['already_decided']);
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
    const req = store.create({ spec: groupSpec, preflight: preflight(), requester: alice, ttlMs: 3_600_000 });
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
      START_AT: String(Date.now() + 1500),
    };
    const reports = await Promise.all([runChild(env), runChild(env)]);

    assertOneApproval(reports, 25);
    const swaps = readFileSync(swapLog, 'utf8').trim().split('\n');
    assert.equal(swaps.length, 1, `one swap call in all (got ${swaps.length})`);
    const winner = reports.find((r) => r.results.some((x) => x.ok))!;
    assert.equal(swaps[0].split(' ')[0], String(winner.pid), 'the process that won the approval ran the swap');
    assert.deepEqual(winner.events, ['approved', 'started', 'completed']);
    assert.deepEqual(reports.find((r) => r !== winner)!.events, []);

    const after = openStore(db);
    try {
      assert.equal(after.get(req.id)!.state, 'completed');
      const actions = after.audit(req.id).map((e) => e.action);
      assert.deepEqual(actions, ['requested', 'approved', 'started', 'swap-started', 'swap-finished', 'completed']);
    } finally {
      after.close();
    }
  });
});

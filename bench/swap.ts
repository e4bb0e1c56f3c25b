// Bulk swap benchmark (issue 6): E1 -> E3 for 200 and 2,000 users who hold E1 directly, through
// the LicenseService's $batch path (20 writes per request, 4 in flight), against a sandbox with
// 20 ms latency per response; compared with sequential per-user assignLicense calls; then again
// with 429 injected on 10% of the writes (half of them hiding a write that went through).
//
// Targets: round trips <= ceil(N/20) + 5; >= 10x faster than sequential; with 429s every user is
// swapped exactly once.
//
// Sequential calls are measured on up to 200 users and extrapolated linearly beyond that.
//
//   node dist/bench/swap.js [--sizes 200,2000] [--json]
import { performance } from 'node:perf_hooks';
import { referenceData } from '../src/reference/data';
import { LicenseService } from '../src/licensing/service';
import { benchGateway, LATENCY_MS, startSandboxProcess, type SandboxProcess } from './preflight';

const E1 = '18181a46-0d4e-45cd-891e-60aabd171b4e';
const E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';

export interface SwapRow {
  users: number;
  latencyMs: number;
  roundTrips: number;
  roundTripsTarget: number;
  roundTripsOk: boolean;
  wallMs: number;
  sequential: { wallMs: number; sampledUsers: number; extrapolated: boolean };
  speedup: number;
  speedupOk: boolean;
  allSwapped: boolean;
  throttled: {
    injected429: number;
    hidingSuccess: number;
    roundTrips: number;
    wallMs: number;
    changed: number;
    failed: number;
    /** Users whose write took effect more than once (must be 0). */
    appliedTwice: number;
    /** Users not on E3-only at the end (must be 0). */
    notSwapped: number;
    exactlyOnce: boolean;
  };
}

function fixture(users: number, latencyMs: number) {
  return {
    tenant: { id: '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f', displayName: 'Bench', defaultUsageLocation: 'NL' },
    subscriptions: [
      { sku: 'STANDARDPACK', enabled: users + 10 },
      { sku: 'ENTERPRISEPACK', enabled: users + 10 },
    ],
    users: [],
    groups: [],
    generate: [{ group: 'Bench Users', count: users, upn: 'user{n}@bench.example', usageLocation: 'NL', licenses: [{ sku: 'STANDARDPACK' }] }],
    behavior: { groupProcessingMs: 0, latencyMs },
  };
}

const round = (x: number) => Math.round(x * 10) / 10;
const upns = (n: number) => Array.from({ length: n }, (_, i) => `user${i + 1}@bench.example`);

interface LogEntry {
  method: string;
  path: string;
  status: number;
  fault?: boolean;
}

/** Every user E3-only at the end, and how many writes took effect per user. */
async function check(sb: SandboxProcess, users: number, hidden: number) {
  const { gateway } = benchGateway(sb);
  const [group] = await gateway.findGroups('Bench Users', 'exact');
  const members = await gateway.listGroupMembers(group!.id);
  const notSwapped = members.users.filter((u) => u.assignedLicenses.length !== 1 || u.assignedLicenses[0]!.skuId !== E3).length;
  const log = (await sb.control('GET', 'requests')) as LogEntry[];
  const writes = log.filter((r) => r.method === 'POST' && /\/assignLicense$/i.test(r.path));
  const ok = new Map<string, number>();
  for (const w of writes) if (w.status === 200) ok.set(w.path, (ok.get(w.path) ?? 0) + 1);
  const appliedTwice = [...ok.values()].filter((n) => n > 1).length;
  // Users without a 200 are those whose only effective write hid behind a 429.
  const withoutOk = members.users.length - ok.size;
  const refused = writes.filter((w) => w.status >= 400 && w.status !== 429 && w.status < 500).length;
  return { notSwapped, appliedTwice, withoutOkMatchesHidden: withoutOk === hidden, refused, count: members.users.length === users };
}

async function prepare(sb: SandboxProcess, n: number) {
  const { gateway, stats } = benchGateway(sb);
  const service = new LicenseService(gateway, referenceData());
  const pf = await service.preflight({ principal: { kind: 'users', users: upns(n) }, from: 'E1', to: 'E3' });
  if (pf.blocked) throw new Error(`preflight blocked: ${pf.findings.map((f) => f.code).join('; ')}`);
  await sb.control('DELETE', 'requests');
  stats.httpRequests = 0;
  return { service, stats, change: pf.change };
}

export async function benchSwap(opts: { sizes?: number[]; latencyMs?: number; sequentialSample?: number } = {}): Promise<SwapRow[]> {
  const sizes = opts.sizes ?? [200, 2_000];
  const latencyMs = opts.latencyMs ?? LATENCY_MS;
  const sample = opts.sequentialSample ?? 200;
  const rows: SwapRow[] = [];
  for (const n of sizes) {
    const sb = await startSandboxProcess(fixture(n, latencyMs));
    try {
      // 1. The batched swap.
      const run = await prepare(sb, n);
      const t0 = performance.now();
      const res = await run.service.swap(run.change);
      const wallMs = performance.now() - t0;
      const roundTrips = run.stats.httpRequests;
      const c1 = await check(sb, n, 0);

      // 2. Sequential per-user calls, on a fresh tenant.
      await sb.control('POST', 'reset');
      const { gateway } = benchGateway(sb);
      const ids = (await gateway.getUsers(upns(Math.min(n, sample)), 'id')).users.map((u) => u.id);
      const t1 = performance.now();
      for (const id of ids) {
        const out = await gateway.assignUserLicense(id, { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] });
        if (!out.ok) throw new Error(`sequential write failed: ${out.error.message}`);
      }
      const perCall = (performance.now() - t1) / ids.length;
      const seqMs = perCall * n;

      // 3. The batched swap again with 429 on 10% of the writes; half of those hide a success.
      await sb.control('POST', 'reset');
      const plain = Math.ceil(n * 0.05);
      const hidden = Math.ceil(n * 0.05);
      const thr = await prepare(sb, n);
      await sb.control('POST', 'faults', { method: 'POST', path: '/users/*/assignLicense', status: 429, times: plain, retryAfterSeconds: 1 });
      await sb.control('POST', 'faults', { method: 'POST', path: '/users/*/assignLicense', status: 429, times: hidden, retryAfterSeconds: 1, hideSuccess: true });
      const t2 = performance.now();
      const res2 = await thr.service.swap(thr.change);
      const thrWall = performance.now() - t2;
      const thrTrips = thr.stats.httpRequests;
      const c2 = await check(sb, n, hidden);

      rows.push({
        users: n,
        latencyMs,
        roundTrips,
        roundTripsTarget: Math.ceil(n / 20) + 5,
        roundTripsOk: roundTrips <= Math.ceil(n / 20) + 5,
        wallMs: round(wallMs),
        sequential: { wallMs: round(seqMs), sampledUsers: ids.length, extrapolated: ids.length < n },
        speedup: round(seqMs / wallMs),
        speedupOk: seqMs / wallMs >= 10,
        allSwapped: res.failed.length === 0 && c1.notSwapped === 0 && c1.appliedTwice === 0 && c1.count,
        throttled: {
          injected429: plain + hidden,
          hidingSuccess: hidden,
          roundTrips: thrTrips,
          wallMs: round(thrWall),
          changed: res2.changed.length,
          failed: res2.failed.length,
          appliedTwice: c2.appliedTwice,
          notSwapped: c2.notSwapped,
          exactlyOnce: res2.failed.length === 0 && c2.appliedTwice === 0 && c2.notSwapped === 0 && c2.withoutOkMatchesHidden && c2.refused === 0 && c2.count,
        },
      });
    } finally {
      await sb.close();
    }
  }
  return rows;
}

export function swapReport(rows: SwapRow[]): string {
  const ok = (b: boolean) => (b ? 'ok' : 'MISSED');
  const lines = [`bulk swap benchmark (E1 -> E3, direct users, sandbox latency ${rows[0]?.latencyMs ?? LATENCY_MS} ms per response)`];
  for (const r of rows) {
    lines.push(
      `  ${String(r.users).padStart(5)} users: ${r.roundTrips} round trips (target <= ${r.roundTripsTarget}: ${ok(r.roundTripsOk)}), ${r.wallMs} ms; ` +
        `sequential ${r.sequential.wallMs} ms${r.sequential.extrapolated ? ` (extrapolated from ${r.sequential.sampledUsers})` : ''}: ${r.speedup}x faster (${ok(r.speedupOk)}); all swapped once: ${ok(r.allSwapped)}`,
    );
    const t = r.throttled;
    lines.push(
      `         with ${t.injected429} x 429 (${t.hidingSuccess} hiding a success): ${t.roundTrips} round trips, ${t.wallMs} ms; ${t.changed} changed, ${t.failed} failed, ` +
        `${t.appliedTwice} applied twice, ${t.notSwapped} not swapped: exactly once ${ok(t.exactlyOnce)}`,
    );
  }
  return lines.join('\n');
}

if (require.main === module) {
  const i = process.argv.indexOf('--sizes');
  const sizes = i >= 0 ? process.argv[i + 1]!.split(',').map(Number) : undefined;
  benchSwap(sizes ? { sizes } : {})
    .then((rows) => {
      console.log(swapReport(rows));
      if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}

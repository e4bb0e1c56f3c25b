// Sandbox tenant benchmark: start-up of a generated 100,000-user tenant (target < 10 s) and a
// 999-member page with no latency (target < 100 ms), plus a few related timings. Run it with
// `node dist/bench/sandbox.js`, or call benchSandbox() from bench/run.ts.
import { performance } from 'node:perf_hooks';
import { startSandbox, type TenantFixture } from '../src/sandbox/index';

export const TARGETS = { load100kMs: 10_000, page999Ms: 100 };

const E1 = '18181a46-0d4e-45cd-891e-60aabd171b4e';
const E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';

function fixture(users: number): TenantFixture {
  return {
    tenant: { id: '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f', displayName: 'Bench', defaultUsageLocation: 'NL' },
    subscriptions: [
      { sku: 'STANDARDPACK', enabled: users },
      { sku: 'ENTERPRISEPACK', enabled: users },
    ],
    users: [{ upn: 'direct@bench.example', licenses: [{ sku: 'STANDARDPACK' }] }],
    groups: [{ displayName: 'All Staff', members: ['direct@bench.example'] }],
    generate: [{ group: 'All Staff', count: users - 1, upn: 'user{n}@bench.example', usageLocation: 'NL', groupLicenses: [{ sku: 'STANDARDPACK' }] }],
    behavior: { groupProcessingMs: 0, latencyMs: 0 },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 10) / 10;

async function timeGet(url: string, headers: Record<string, string> = {}): Promise<{ ms: number; body: any }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const body = await res.json();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`GET ${url} -> ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return { ms, body };
}

export async function benchSandbox(opts: { users?: number; pageRuns?: number } = {}): Promise<Record<string, unknown>> {
  const users = opts.users ?? 100_000;
  const runs = opts.pageRuns ?? 20;
  const heapBefore = process.memoryUsage().heapUsed;

  const t0 = performance.now();
  const sb = await startSandbox({ fixture: fixture(users), port: 0 });
  const loadMs = performance.now() - t0;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  try {
    const base = sb.graphBaseUrl;
    const group = (await timeGet(`${base}/groups?$filter=${encodeURIComponent("displayName eq 'All Staff'")}`)).body.value[0];
    const pageUrl = `${base}/groups/${group.id}/members/microsoft.graph.user?$top=999&$select=id,userPrincipalName,displayName,assignedLicenses,licenseAssignmentStates`;

    await timeGet(pageUrl); // warm-up
    const first: number[] = [];
    for (let i = 0; i < runs; i++) first.push((await timeGet(pageUrl)).ms);
    // A page deep in the group (the last one), reached by following the nextLink once.
    const second = (await timeGet(pageUrl)).body['@odata.nextLink'] as string;
    const deepUrl = second.replace(/\$skiptoken=[^&]+/, `$skiptoken=${Buffer.from(JSON.stringify({ v: 1, o: users - 999 })).toString('base64url')}`);
    const deep: number[] = [];
    for (let i = 0; i < runs; i++) deep.push((await timeGet(deepUrl)).ms);

    const filterUrl = `${base}/users?$top=999&$select=id&$filter=${encodeURIComponent("startswith(userPrincipalName,'user9999')")}`;
    const filterMs = (await timeGet(filterUrl)).ms;
    const anyUrl = `${base}/users?$top=999&$select=id&$filter=${encodeURIComponent(`assignedLicenses/any(l:l/skuId eq ${E1})`)}`;
    const anyMs = (await timeGet(anyUrl)).ms;

    // The whole group moves E1 -> E3 (processing starts at once with groupProcessingMs 0).
    const t1 = performance.now();
    const swap = await fetch(`${base}/groups/${group.id}/assignLicense`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E1] }),
    });
    if (swap.status !== 202) throw new Error(`group swap -> ${swap.status}`);
    for (;;) {
      const g = (await timeGet(`${base}/groups/${group.id}?$select=licenseProcessingState`)).body;
      if (g.licenseProcessingState.state === 'ProcessingComplete') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const swapMs = performance.now() - t1;

    const page999Ms = median(first);
    return {
      users,
      load100kMs: round(loadMs),
      load100kTargetMs: TARGETS.load100kMs,
      load100kOk: loadMs < TARGETS.load100kMs,
      heapMb: round(heapMb),
      page999Ms: round(page999Ms),
      page999MaxMs: round(Math.max(...first)),
      page999DeepMs: round(median(deep)),
      page999TargetMs: TARGETS.page999Ms,
      page999Ok: page999Ms < TARGETS.page999Ms && median(deep) < TARGETS.page999Ms,
      filterStartswith100kMs: round(filterMs),
      filterAnySku100kMs: round(anyMs),
      groupSwap100kMs: round(swapMs),
    };
  } finally {
    await sb.close();
  }
}

function report(r: Record<string, unknown>): string {
  const ok = (b: unknown) => (b ? 'ok' : 'MISSED');
  return [
    `sandbox tenant benchmark (${r.users} users)`,
    `  load + start          ${r.load100kMs} ms   (target < ${r.load100kTargetMs} ms: ${ok(r.load100kOk)}; heap +${r.heapMb} MB)`,
    `  999-member page       ${r.page999Ms} ms median, ${r.page999MaxMs} ms max; last page ${r.page999DeepMs} ms   (target < ${r.page999TargetMs} ms: ${ok(r.page999Ok)})`,
    `  $filter startswith    ${r.filterStartswith100kMs} ms over all users`,
    `  $filter any(skuId)    ${r.filterAnySku100kMs} ms over all users`,
    `  group swap E1 -> E3   ${r.groupSwap100kMs} ms for every member (groupProcessingMs 0)`,
  ].join('\n');
}

if (require.main === module) {
  benchSandbox()
    .then((r) => {
      console.log(report(r));
      if (process.argv.includes('--json')) console.log(JSON.stringify(r));
      process.exit(r.load100kOk && r.page999Ok ? 0 : 1);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}

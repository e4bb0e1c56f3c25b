// Group swap tracking benchmark (issue 6): a group of 10,000 members moves E1 -> E3 through the
// real request workflow (request, four-eyes approval, swap, LicenseService.track, completion
// notice), against a sandbox in its own process with groupProcessingMs 5,000 and 20 ms latency.
//
// Measured: the Graph requests spent polling the group's processing state, and the time from the
// moment processing ended (the sandbox flips its state; this process watches GET /_sandbox/state
// every 10 ms) to the workflow's completion notice (RequestNotifier.changed(request, 'completed'),
// which the bot turns into the card in the requester's chat).
//
// Run twice: with the service's default, adaptive polling, and with a fixed 5 s interval (the
// previous default) for comparison.
//
//   node dist/bench/tracking.js [--members 10000] [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { referenceData } from '../src/reference/data';
import { LicenseService, MAX_POLL_MS, MIN_POLL_MS, POLL_SHARE } from '../src/licensing/service';
import { loadConfig } from '../src/config';
import { openRequests } from '../src/requests';
import { openStore } from '../src/state/sqlite-store';
import type { ChangeRequest, RequestEvent, RequestNotifier } from '../src/requests/types';
import { MEMBER_SELECT } from '../src/licensing/snapshot';
import { benchGateway, LATENCY_MS, pagePipelineMs, startSandboxProcess, type SandboxProcess } from './preflight';

const TENANT = '8f0c2d4e-6b1a-4c3d-9e8f-0a1b2c3d4e5f';
const ALICE = 'a11ce000-0000-4000-8000-0000000000a1';
const BOB = 'a11ce000-0000-4000-8000-0000000000b0';
const ADMINS = 'a11ce000-0000-4000-8000-0000000000ad';

export interface TrackingRun {
  polling: string;
  /** GET /groups/{id}?$select=...licenseProcessingState requests while following the group. */
  pollRequests: number;
  /** Every Graph request from the approval to the notice (swap, polls, member pages, re-check...). */
  graphRequests: number;
  memberPageRequests: number;
  processingMs: number;
  /** From the end of processing (as the sandbox saw it) to the completion notice. */
  noticeAfterEndMs: number;
  /** From the approval to the completion notice. */
  approvalToNoticeMs: number;
  /** Where the notice latency goes: the poll that saw the end came this long after it... */
  lastPollAfterEndMs: number;
  /** ...then the members' final read (first page asked to last page answered)... */
  finalReadMs: number;
  /** ...and the rest (evaluating 10,000 members, recording the result, the notice). */
  restMs: number;
  finalState: string;
  done: number;
  errors: number;
}

export interface TrackingResult {
  members: number;
  groupProcessingMs: number;
  latencyMs: number;
  runs: TrackingRun[];
  /** The group's user-member pages alone (measurePages). */
  pagesAloneMs?: number;
}

function fixture(members: number, groupProcessingMs: number, behavior: Record<string, number>) {
  return {
    tenant: { id: TENANT, displayName: 'Bench', defaultUsageLocation: 'NL' },
    subscriptions: [
      { sku: 'STANDARDPACK', enabled: members + 10 },
      { sku: 'ENTERPRISEPACK', enabled: members + 10 },
    ],
    users: [
      { upn: 'alice@bench.example', id: ALICE, displayName: 'Alice Admin' },
      { upn: 'bob@bench.example', id: BOB, displayName: 'Bob Admin' },
    ],
    groups: [{ displayName: 'License Admins', id: ADMINS, members: ['alice@bench.example', 'bob@bench.example'] }],
    generate: [{ group: 'Big Group', count: members, upn: 'user{n}@bench.example', usageLocation: 'NL', groupLicenses: [{ sku: 'STANDARDPACK' }] }],
    behavior: { ...behavior, groupProcessingMs },
  };
}

const round = (x: number) => Math.round(x * 10) / 10;
const latencies = new WeakMap<SandboxProcess, number>();
const latencyOf = (sb: SandboxProcess) => latencies.get(sb) ?? 0;

interface LogEntry {
  method: string;
  path: string;
  query: string;
  batch: boolean;
  at: string;
}

async function once(sb: SandboxProcess, label: string, pollIntervalMs: number | undefined): Promise<TrackingRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ps-track-'));
  const { gateway } = benchGateway(sb);
  const licenses = new LicenseService(gateway, referenceData(), pollIntervalMs === undefined ? {} : { pollIntervalMs });
  let noticeAt = 0;
  let notice: ChangeRequest | undefined;
  let resolveNotice!: () => void;
  const noticed = new Promise<void>((r) => (resolveNotice = r));
  const notifier: RequestNotifier = {
    changed: async (request: ChangeRequest, event: RequestEvent) => {
      if (event === 'completed' || event === 'partial' || event === 'failed') {
        noticeAt = performance.now();
        notice = request;
        resolveNotice();
      }
    },
  };
  const store = openStore(join(dir, 'state.db'));
  const requests = openRequests({
    licenses,
    notifier,
    tenantId: TENANT,
    store,
    config: loadConfig({ GRAPH_BASE_URL: sb.graphBaseUrl, APPROVERS: `group:${ADMINS}` }).requests,
    log: { warn: () => undefined, error: (m, meta) => console.error(m, meta ?? '') },
    workflow: { recheckBudgetMs: 0 },
  });
  try {
    const spec = { principal: { kind: 'group' as const, group: 'Big Group' }, from: 'E1', to: 'E3' };
    const pf = await licenses.preflight(spec);
    if (pf.blocked) throw new Error(`preflight blocked: ${pf.findings.map((f) => f.code).join('; ')}`);
    const asked = await requests.workflow.request({ id: ALICE, tenantId: TENANT, name: 'Alice Admin' }, spec, pf);
    if (!asked.ok) throw new Error(`request refused: ${asked.message}`);
    await sb.control('DELETE', 'requests');

    // Watch the sandbox: processing starts with the swap and ends when every member is done.
    let startedAt = 0;
    let endedAt = 0;
    let endedWall = 0;
    let watching = true;
    const watch = (async () => {
      while (watching && !endedAt) {
        const state = (await sb.control('GET', 'state')) as { processing: boolean };
        const now = performance.now();
        if (state.processing && !startedAt) startedAt = now;
        if (!state.processing && startedAt) {
          endedAt = now;
          endedWall = Date.now();
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();

    const approvedAt = performance.now();
    const approved = await requests.workflow.approve({ id: BOB, tenantId: TENANT, name: 'Bob Admin' }, asked.request.id);
    if (!approved.ok) throw new Error(`approval refused: ${approved.message}`);
    await Promise.race([noticed, new Promise((_, reject) => setTimeout(() => reject(new Error('no completion notice in 120 s')), 120_000))]);
    watching = false;
    await watch;
    await requests.workflow.whenIdle();

    const log = (await sb.control('GET', 'requests')) as LogEntry[];
    const top = log.filter((e) => !e.batch);
    const polls = top.filter((e) => e.method === 'GET' && /^\/groups\/[^/]+$/.test(e.path) && /licenseProcessingState/i.test(decodeURIComponent(e.query)));
    const pages = top.filter((e) => e.method === 'GET' && /^\/groups\/[^/]+\/members(\/microsoft\.graph\.user)?$/i.test(e.path));
    const tracking = notice?.result?.tracking;
    // Log times are the sandbox's arrival times (ms, same clock as Date.now here).
    const lastPoll = Date.parse(polls[polls.length - 1]?.at ?? '') - endedWall;
    const finalPages = pages.filter((e) => Date.parse(e.at) >= endedWall - 50);
    const finalReadMs = finalPages.length ? Date.parse(finalPages[finalPages.length - 1]!.at) + latencyOf(sb) - Date.parse(finalPages[0]!.at) : 0;
    const after = noticeAt - endedAt;
    return {
      polling: label,
      pollRequests: polls.length,
      graphRequests: top.length,
      memberPageRequests: pages.length,
      processingMs: round(endedAt - startedAt),
      noticeAfterEndMs: round(noticeAt - endedAt),
      approvalToNoticeMs: round(noticeAt - approvedAt),
      lastPollAfterEndMs: round(lastPoll),
      finalReadMs: round(finalReadMs),
      restMs: round(after - Math.max(0, lastPoll) - finalReadMs),
      finalState: notice?.state ?? 'none',
      done: notice?.result?.trackingTotals?.done ?? tracking?.done.length ?? 0,
      errors: notice?.result?.trackingTotals?.errors ?? tracking?.errors.length ?? 0,
    };
  } finally {
    await requests.close(1_000);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchTracking(
  opts: {
    members?: number;
    groupProcessingMs?: number;
    latencyMs?: number;
    /** Sandbox behavior (latencyMs, latencyPerItemMs...) instead of latencyMs alone. */
    behavior?: Record<string, number>;
    /** Only the default (adaptive) polling. */
    adaptiveOnly?: boolean;
    /** Also time the group's user-member pages alone (bench/realistic.ts). */
    measurePages?: boolean;
  } = {},
): Promise<TrackingResult> {
  const members = opts.members ?? 10_000;
  const groupProcessingMs = opts.groupProcessingMs ?? 5_000;
  const behavior = opts.behavior ?? { latencyMs: opts.latencyMs ?? LATENCY_MS };
  const latencyMs = behavior.latencyMs ?? 0;
  const sb = await startSandboxProcess(fixture(members, groupProcessingMs, behavior), 300_000);
  // A member page's own latency: the fixed part plus the per-item part of a full page.
  latencies.set(sb, latencyMs + (behavior.latencyPerItemMs ?? 0) * 999);
  try {
    const runs: TrackingRun[] = [];
    runs.push(await once(sb, `adaptive (default: ${POLL_SHARE * 100}% of the time so far, ${MIN_POLL_MS / 1000}-${MAX_POLL_MS / 1000} s)`, undefined));
    if (!opts.adaptiveOnly) {
      await sb.control('POST', 'reset');
      runs.push(await once(sb, 'fixed 5 s (the previous default)', 5_000));
    }
    let pagesAloneMs: number | undefined;
    if (opts.measurePages) {
      const list = (await (await fetch(`${sb.graphBaseUrl}/groups?$filter=${encodeURIComponent("displayName eq 'Big Group'")}&$select=id`)).json()) as { value: { id: string }[] };
      pagesAloneMs = await pagePipelineMs(`${sb.graphBaseUrl}/groups/${list.value[0]!.id}/members/microsoft.graph.user?$select=${MEMBER_SELECT}&$top=999`);
    }
    return { members, groupProcessingMs, latencyMs, runs, ...(pagesAloneMs !== undefined ? { pagesAloneMs } : {}) };
  } finally {
    await sb.close();
  }
}

export function trackingReport(r: TrackingResult): string {
  const lines = [`group swap tracking (${r.members} members, groupProcessingMs ${r.groupProcessingMs}, latency ${r.latencyMs} ms, through the request workflow)`];
  for (const run of r.runs) {
    lines.push(
      `  ${run.polling}: ${run.pollRequests} polls, notice ${run.noticeAfterEndMs} ms after processing ended ` +
        `(last poll +${run.lastPollAfterEndMs} ms, final member read ${run.finalReadMs} ms, rest ${run.restMs} ms; ${run.processingMs} ms of processing; ` +
        `${run.approvalToNoticeMs} ms approval to notice; ${run.graphRequests} Graph requests, ${run.memberPageRequests} member pages; ${run.finalState}, ${run.done} done, ${run.errors} errors)`,
    );
  }
  return lines.join('\n');
}

if (require.main === module) {
  const i = process.argv.indexOf('--members');
  benchTracking(i >= 0 ? { members: Number(process.argv[i + 1]) } : {})
    .then((r) => {
      console.log(trackingReport(r));
      if (process.argv.includes('--json')) console.log(JSON.stringify(r));
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}

// The plan-switch CLI, as a function: argv and I/O in, exit code out. main.ts wires it to the
// process; tests call it directly or spawn main.js.
import { GraphConfigError } from '../graph/config';
import { GraphError } from '../graph/errors';
import { planNames } from '../licensing/change-plans';
import { LicensingError, type LicensePort, type PreflightResult, type SwapResult, type TrackingReport } from '../licensing/model';
import { parseReprocessApproval } from '../config/reprocess';
import { HELP, parseCli, UsageError, type CliOptions } from './args';
import { doctorCommand, type OpenDoctor } from './doctor';
import { controlCommand } from './control';
import { swapInWaves } from './swap-waves';
import { wavesFor } from '../requests/waves';
import { messagesFor, runErrorText, type Lang } from '../i18n';
import { adoptText, findingSentence, plansText, preflightText, statusText, swapText, trackingText } from './format';
import { runAdoptSteps } from '../licensing/adopt-run';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_BLOCKED = 2;

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stdin and stdout are a terminal: a question can be asked. */
  interactive: boolean;
  ask(question: string): Promise<string>;
  env: NodeJS.ProcessEnv;
}

export interface CliDeps {
  /** Opens the license service (default: the Graph configuration, openGraph, LicenseService). */
  open(env: NodeJS.ProcessEnv, opts: CliOptions): Promise<{ service: LicensePort; close(): Promise<void> }>;
  /** Opens Graph for `doctor` (default: connectGraph with raw reads). */
  openDoctor?: OpenDoctor;
}

export const defaultDeps: CliDeps = {
  async open(env, opts) {
    // Loaded on demand: --help and argument errors answer without loading Graph or the sandbox.
    // The CLI's part of the configuration is Graph's (src/config.ts reads it, once).
    const [{ loadGraphConfig }, { openGraph }, { LicenseService }, { referenceData }, { mayWriteUsageLocation }, { usageLocationWritableFrom }] = await Promise.all([
      import('../config'),
      import('../compose'),
      import('../licensing/service'),
      import('../reference/data'),
      import('../doctor/permissions'),
      import('../doctor/token'),
    ]);
    const conn = await openGraph(loadGraphConfig(env));
    try {
      const service = new LicenseService(conn.gateway, referenceData(), {
        ...(opts.pollMs ? { pollIntervalMs: opts.pollMs } : {}),
        // The usage location fix is offered only when the app's token carries User.ReadWrite.All (or higher).
        usageLocationWritable: usageLocationWritableFrom(() => conn.accessToken(), mayWriteUsageLocation),
      });
      return { service, close: () => conn.close() };
    } catch (err) {
      await conn.close();
      throw err;
    }
  },
};

/** One line, no stack: what the person can act on. */
export function errorLine(err: unknown): string {
  if (err instanceof UsageError) return `plan-switch: ${err.message}`;
  if (err instanceof LicensingError) return `plan-switch: ${err.message}`;
  if (err instanceof GraphConfigError) return `plan-switch: ${err.message}`;
  if (err instanceof GraphError) return `plan-switch: Microsoft Graph: ${err.message} (${err.code})`;
  const msg = err instanceof Error ? err.message : String(err);
  return `plan-switch: ${msg.split('\n')[0] || 'unexpected error'}`;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** The preflight as JSON; each finding carries its sentence (in --lang) as `message`. */
function pick(r: PreflightResult, lang: Lang) {
  const t = messagesFor(lang);
  const findings = r.findings.map((f) => ({ ...f, message: findingSentence(f, t) }));
  return { change: r.change, findings, counts: r.counts, blocked: r.blocked, checkedAt: r.checkedAt };
}

export async function runCli(argv: string[], io: CliIO, deps: CliDeps = defaultDeps): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseCli(argv);
  } catch (err) {
    io.stderr(errorLine(err));
    return EXIT_ERROR;
  }
  if (opts.help || opts.command === 'help') {
    io.stdout(HELP.trimEnd());
    return EXIT_OK;
  }

  if (opts.command === 'doctor') {
    try {
      return await doctorCommand(opts, io, deps.openDoctor);
    } catch (err) {
      io.stderr(errorLine(err));
      return EXIT_ERROR;
    }
  }

  let session: Awaited<ReturnType<CliDeps['open']>> | undefined;
  try {
    session = await deps.open(io.env, opts);
    return await execute(opts, session.service, io);
  } catch (err) {
    io.stderr(errorLine(err));
    return EXIT_ERROR;
  } finally {
    await session?.close().catch(() => undefined);
  }
}

/**
 * split-teams / join-teams (or --split-teams on preflight and swap): the license service's
 * proposal becomes the spec to check; nothing to propose says why and stops (exit 2).
 */
async function teamsProposal(opts: CliOptions, service: LicensePort, io: CliIO): Promise<number | undefined> {
  const proposal = await service.proposeTeamsSplit(opts.principal!, opts.teams!);
  const t = messagesFor(opts.lang);
  if (!proposal.spec) {
    if (opts.json) io.stdout(json({ proposal }));
    else io.stdout([t.teams.nothingTitle(proposal.principal.displayName), ...proposal.notes.map((n) => `  ${t.teams.notes[n.code](n.data)}`), t.teams.nothingChanged].join('\n'));
    return EXIT_BLOCKED;
  }
  const names = (plans: typeof proposal.add) => plans.map((p) => p.displayName).join(' + ');
  if (!opts.json) io.stdout((opts.teams === 'join' ? t.teams.proposalJoin : t.teams.proposal)(proposal.principal.displayName, names(proposal.remove), names(proposal.add)));
  opts.spec = proposal.spec;
  return undefined;
}

async function execute(opts: CliOptions, service: LicensePort, io: CliIO): Promise<number> {
  if (opts.teams) {
    const stop = await teamsProposal(opts, service, io);
    if (stop !== undefined) return stop;
  }
  switch (opts.command) {
    case 'plans': {
      const plans = await service.listPlans();
      io.stdout(opts.json ? json({ plans }) : plansText(plans));
      return EXIT_OK;
    }
    case 'status': {
      const status = await service.status(opts.principal!);
      io.stdout(opts.json ? json(status) : statusText(status));
      return EXIT_OK;
    }
    case 'preflight': {
      const result = await service.preflight(opts.spec!);
      io.stdout(opts.json ? json(pick(result, opts.lang)) : preflightText(result, messagesFor(opts.lang)));
      return result.blocked ? EXIT_BLOCKED : EXIT_OK;
    }
    case 'swap':
      return swap(opts, service, io);
    case 'reprocess':
      return reprocess(opts, service, io);
    case 'adopt':
      return adopt(opts, service, io);
    case 'pause':
    case 'resume':
    case 'cancel':
      return controlCommand(opts, service, io);
    default:
      io.stdout(HELP.trimEnd());
      return EXIT_OK;
  }
}

async function swap(opts: CliOptions, service: LicensePort, io: CliIO): Promise<number> {
  const preflight = await service.preflight(opts.spec!);
  if (preflight.blocked) {
    if (opts.json) io.stdout(json(pick(preflight, opts.lang)));
    else io.stdout(preflightText(preflight, messagesFor(opts.lang)));
    io.stderr('plan-switch: the preflight blocks this change; nothing was changed.');
    return EXIT_BLOCKED;
  }
  if (!opts.json) io.stdout(preflightText(preflight, messagesFor(opts.lang)));
  if (!opts.yes) {
    if (!io.interactive) {
      io.stderr('plan-switch: not changing licenses without confirmation: add --yes (no terminal to ask on).');
      return EXIT_ERROR;
    }
    const c = preflight.change;
    const answer = await io.ask(
      `Swap ${c.principal.displayName} from ${planNames(c).from} to ${planNames(c).to} (${c.affectedUsers} user${c.affectedUsers === 1 ? '' : 's'})? [y/N] `,
    );
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.stderr('plan-switch: cancelled; nothing was changed.');
      return EXIT_ERROR;
    }
  }

  // A users list longer than the pilot: wave by wave, each read back before the next (swap-waves.ts).
  const { loadWaves } = await import('../config');
  const waveSettings = wavesFor(preflight.change, { waves: { ...loadWaves(io.env), ...opts.waves } });
  if (waveSettings) return swapInWaves(opts, service, io, preflight, waveSettings);

  const result: SwapResult = await service.swap(preflight.change);
  if (!opts.json) io.stdout(swapText(result));
  let tracking: TrackingReport | undefined;
  const groupAccepted = preflight.change.kind === 'group' && result.outcomes.some((o) => o.principal.kind === 'group' && o.status === 'accepted');
  if (groupAccepted && opts.wait) {
    if (!opts.json) io.stderr('Waiting for Entra to process the group members...');
    let last = '';
    tracking = await service.track(preflight.change, {
      timeoutMs: opts.timeoutMs ?? 600_000,
      ...(opts.pollMs ? { pollIntervalMs: opts.pollMs } : {}),
      onProgress: (p) => {
        if (!opts.json && p.processingState !== last) io.stderr(`  ${p.processingState} (${Math.round(p.elapsedMs / 1000)} s)`);
        last = p.processingState;
      },
    });
    if (!opts.json) io.stdout(trackingText(tracking));
  } else if (preflight.change.kind !== 'group' && result.changed.length) {
    tracking = await service.track(preflight.change);
  }
  if (opts.json) io.stdout(json({ ...pick(preflight, opts.lang), result, ...(tracking ? { tracking } : {}) }));
  const failed = result.failed.length > 0 || (tracking ? tracking.errors.length > 0 || tracking.outcome === 'failed' : false);
  if (failed)
    io.stderr(
      `plan-switch: the change did not go through for everyone (${result.failed.length} refused${tracking ? `, ${tracking.errors.length} in error after processing` : ''}).`,
    );
  return failed ? EXIT_ERROR : EXIT_OK;
}

/**
 * reprocess --group NAME | --user UPN: who is in error and why, then (after y/N or --yes) Entra
 * evaluates them again, and who is now licensed and who is still in error. REPROCESS_APPROVAL=required
 * is honoured: the CLI has no second administrator, so it runs nothing.
 */
async function reprocess(opts: CliOptions, service: LicensePort, io: CliIO): Promise<number> {
  const t = messagesFor(opts.lang);
  if (parseReprocessApproval(io.env.REPROCESS_APPROVAL) === 'required') {
    io.stderr(`plan-switch: ${t.reprocess.cliApprovalRequired}`);
    return EXIT_ERROR;
  }
  const list = await service.membersInError(opts.principal!);
  const name = list.principal.displayName;
  const lines = list.members.map((m) => {
    const e = m.errors[0]!;
    return `  ${t.reprocess.line(memberLabel(m.principal), e.plan.displayName || e.plan.skuPartNumber, t.reprocess.why(e.error))}`;
  });
  if (!list.members.length) {
    io.stdout(opts.json ? json({ principal: list.principal, members: [], result: null }) : t.reprocess.cliNothing(name));
    return EXIT_OK;
  }
  if (!opts.json) io.stdout([`${t.result.inError(list.members.length)}:`, ...lines].join('\n'));
  if (!opts.yes) {
    if (!io.interactive) {
      io.stderr('plan-switch: not reprocessing without confirmation: add --yes (no terminal to ask on).');
      return EXIT_ERROR;
    }
    if (!/^(y(es)?|j(a)?)$/i.test((await io.ask(t.reprocess.cliConfirm(list.members.length, name))).trim())) {
      io.stderr('plan-switch: cancelled; nothing was reprocessed.');
      return EXIT_ERROR;
    }
  }
  const preflight = await service.preflight({ principal: opts.principal!, to: '', reprocess: { userIds: list.members.map((m) => m.principal.id) } });
  if (preflight.blocked) {
    io.stdout(opts.json ? json({ principal: list.principal, members: list.members, result: null }) : t.reprocess.cliNothing(name));
    return EXIT_OK;
  }
  const result = await service.swap(preflight.change);
  const report = await service.track(preflight.change);
  if (opts.json) {
    io.stdout(json({ principal: list.principal, members: list.members, result, report }));
  } else {
    const out: string[] = [];
    if (report.done.length) out.push(`${t.reprocess.nowFine(report.done.length)}:`, ...report.done.map((p) => `  ${memberLabel(p)}`));
    if (report.errors.length)
      out.push(`${t.reprocess.stillInError(report.errors.length)}:`, ...report.errors.map((e) => `  ${memberLabel(e.principal)}: ${t.reprocess.why(e.error)}`));
    if (result.failed.length)
      out.push(`${t.reprocess.refused(result.failed.length)}:`, ...result.failed.map((f) => `  ${memberLabel(f.principal)}: ${f.reason ?? f.graphMessage ?? ''}`));
    io.stdout(out.join('\n'));
  }
  return result.failed.length || report.errors.length ? EXIT_ERROR : EXIT_OK;
}

function memberLabel(p: { displayName: string; userPrincipalName?: string }): string {
  return p.userPrincipalName && p.userPrincipalName !== p.displayName ? `${p.displayName} (${p.userPrincipalName})` : p.displayName;
}

/** adopt: the preflight, a confirmation, then the group write, Entra's processing and the checked waves of removals. */
async function adopt(opts: CliOptions, service: LicensePort, io: CliIO): Promise<number> {
  const t = messagesFor(opts.lang);
  const preflight = await service.preflight(opts.spec!);
  if (!opts.json || preflight.blocked || opts.dryRun) io.stdout(opts.json ? json(pick(preflight, opts.lang)) : preflightText(preflight, t));
  if (preflight.blocked) {
    io.stderr('plan-switch: the preflight blocks this change; nothing was changed.');
    return EXIT_BLOCKED;
  }
  if (opts.dryRun) return EXIT_OK;
  const c = preflight.change;
  const removals = c.assignments.filter((a) => a.principal.kind === 'user').length;
  if (!opts.yes) {
    if (!io.interactive) {
      io.stderr('plan-switch: not changing licenses without confirmation: add --yes (no terminal to ask on).');
      return EXIT_ERROR;
    }
    const answer = await io.ask(`Move ${removals} member${removals === 1 ? '' : 's'} of ${c.principal.displayName} onto the group's ${c.to.displayName}? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.stderr('plan-switch: cancelled; nothing was changed.');
      return EXIT_ERROR;
    }
  }
  let last = '';
  const end = await runAdoptSteps(service, c, {
    ...(opts.waves ? { waves: opts.waves } : {}),
    track: { timeoutMs: opts.timeoutMs ?? 600_000, ...(opts.pollMs ? { pollIntervalMs: opts.pollMs } : {}) },
    onProgress: (p) => {
      if (opts.json) return;
      const line = p.adopt ? t.request.adoptProgress(p.adopt.wave, p.adopt.waves, p.adopt.removed, p.adopt.total) : `  ${p.processingState}`;
      if (line !== last) io.stderr(p.adopt ? `  ${line}` : `${line} (${Math.round(p.elapsedMs / 1000)} s)`);
      last = line;
    },
  });
  if (end.outcome === 'stopped' || end.outcome === 'processed') return EXIT_ERROR; // neither a signal nor groupOnly here: not reached
  if (opts.json) io.stdout(json({ ...pick(preflight, opts.lang), outcome: end.outcome, adopt: end.run.progress, ...(end.error ? { error: end.error } : {}) }));
  else io.stdout(adoptText(end.outcome, end.run.progress, t, end.why ? runErrorText(t, end.why) : end.error));
  return end.outcome === 'completed' ? EXIT_OK : EXIT_ERROR;
}

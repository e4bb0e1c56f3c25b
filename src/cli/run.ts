// The plan-switch CLI, as a function: argv and I/O in, exit code out. main.ts wires it to the
// process; tests call it directly or spawn main.js.
import { GraphConfigError } from '../graph/config';
import { GraphError } from '../graph/errors';
import { sourcesOf, targetsOf } from '../licensing/change-plans';
import { isLicensingError, type LicensePort, type PreflightResult, type PrincipalQuery, type SwapResult, type TrackingReport } from '../licensing/model';
import { parseReprocessApproval } from '../config/reprocess';
import { langOfArgv, parseCli, UsageError, type CliOptions } from './args';
import { doctorCommand, type OpenDoctor } from './doctor';
import { controlCommand } from './control';
import { swapInWaves } from './swap-waves';
import { wavesFor } from '../requests/waves';
import { en, graphErrorSentence, licensingErrorSentence, messagesFor, runErrorText, type Lang, type Messages } from '../i18n';
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

/** The program's name before each message on stderr. */
const NAME = 'plan-switch: ';

/** Who a change names, as typed: for "which plan should X leave?". */
function typed(p: PrincipalQuery | undefined, t: Messages): string | undefined {
  if (!p) return undefined;
  return p.kind === 'user' ? p.user : p.kind === 'group' ? p.group : t.common.users(p.users.length);
}

/**
 * One line, no stack: what the person can act on, in their language. A LicensingError or a Graph
 * error reads as the bot says it (src/i18n/explain.ts). Anything else that is not ours (a
 * configuration problem, a file the sandbox cannot read) keeps its own first line.
 */
export function errorLine(err: unknown, t: Messages = en, opts?: CliOptions): string {
  if (err instanceof UsageError) return NAME + err.say(t);
  if (isLicensingError(err)) {
    const text = licensingErrorSentence(t, err, { who: typed(opts?.principal, t) ?? '' });
    if (err.code !== 'SOURCE_AMBIGUOUS') return NAME + text;
    return `${NAME}${text} ${opts?.command === 'adopt' ? t.cli.nameAdoptPlan : t.cli.nameSource}`;
  }
  if (err instanceof GraphConfigError) return NAME + t.cli.graphConfig(err.problems.join('; '));
  if (err instanceof GraphError) return NAME + graphErrorSentence(t, err);
  const msg = err instanceof Error ? err.message : String(err);
  return NAME + (msg.split('\n')[0] || t.cli.unexpected);
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
    // The arguments did not parse, so the language is what --lang says as far as it can be read
    // on its own (English without it, or when --lang itself is the problem).
    io.stderr(errorLine(err, messagesFor(langOfArgv(argv))));
    return EXIT_ERROR;
  }
  const t = messagesFor(opts.lang);
  if (opts.help || opts.command === 'help') {
    io.stdout(t.cli.help.trimEnd());
    return EXIT_OK;
  }

  if (opts.command === 'doctor') {
    try {
      return await doctorCommand(opts, io, deps.openDoctor);
    } catch (err) {
      io.stderr(errorLine(err, t, opts));
      return EXIT_ERROR;
    }
  }

  let session: Awaited<ReturnType<CliDeps['open']>> | undefined;
  try {
    session = await deps.open(io.env, opts);
    return await execute(opts, session.service, io);
  } catch (err) {
    io.stderr(errorLine(err, t, opts));
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
      io.stdout(opts.json ? json({ plans }) : plansText(plans, messagesFor(opts.lang)));
      return EXIT_OK;
    }
    case 'status': {
      const status = await service.status(opts.principal!);
      io.stdout(opts.json ? json(status) : statusText(status, messagesFor(opts.lang)));
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
      io.stdout(messagesFor(opts.lang).cli.help.trimEnd());
      return EXIT_OK;
  }
}

/** The preflight blocks: said the same way by swap and adopt (and the bot's BLOCKED). */
function blockedLine(t: Messages): string {
  return `${NAME}${t.preflight.blocked} ${t.common.nothingChanged}`;
}

/** y, yes, j, ja (any case): the answers that say yes to a [y/N] or [j/N] question. */
function saysYes(answer: string): boolean {
  return /^(y(es)?|j(a)?)$/i.test(answer.trim());
}

async function swap(opts: CliOptions, service: LicensePort, io: CliIO): Promise<number> {
  const t = messagesFor(opts.lang);
  const preflight = await service.preflight(opts.spec!);
  if (preflight.blocked) {
    if (opts.json) io.stdout(json(pick(preflight, opts.lang)));
    else io.stdout(preflightText(preflight, t));
    io.stderr(blockedLine(t));
    return EXIT_BLOCKED;
  }
  if (!opts.json) io.stdout(preflightText(preflight, t));
  if (!opts.yes) {
    if (!io.interactive) {
      io.stderr(NAME + t.cli.needYes);
      return EXIT_ERROR;
    }
    const c = preflight.change;
    const names = (plans: { displayName: string }[]) => t.reach.list(plans.map((p) => p.displayName));
    if (!saysYes(await io.ask(t.cli.confirmSwap(c.principal.displayName, names(sourcesOf(c)), names(targetsOf(c)), c.affectedUsers)))) {
      io.stderr(NAME + t.cli.cancelled);
      return EXIT_ERROR;
    }
  }

  // A users list longer than the pilot: wave by wave, each read back before the next (swap-waves.ts).
  const { loadWaves } = await import('../config');
  const waveSettings = wavesFor(preflight.change, { waves: { ...loadWaves(io.env), ...opts.waves } });
  if (waveSettings) return swapInWaves(opts, service, io, preflight, waveSettings);

  const result: SwapResult = await service.swap(preflight.change);
  if (!opts.json) io.stdout(swapText(result, t));
  let tracking: TrackingReport | undefined;
  const groupAccepted = preflight.change.kind === 'group' && result.outcomes.some((o) => o.principal.kind === 'group' && o.status === 'accepted');
  if (groupAccepted && opts.wait) {
    if (!opts.json) io.stderr(t.cli.waiting);
    let last = '';
    tracking = await service.track(preflight.change, {
      timeoutMs: opts.timeoutMs ?? 600_000,
      ...(opts.pollMs ? { pollIntervalMs: opts.pollMs } : {}),
      onProgress: (p) => {
        if (!opts.json && p.processingState !== last) io.stderr(`  ${processingLine(p.processingState, p.elapsedMs, t)}`);
        last = p.processingState;
      },
    });
    if (!opts.json) io.stdout(trackingText(tracking, t));
  } else if (preflight.change.kind !== 'group' && result.changed.length) {
    tracking = await service.track(preflight.change);
  }
  if (opts.json) io.stdout(json({ ...pick(preflight, opts.lang), result, ...(tracking ? { tracking } : {}) }));
  const failed = result.failed.length > 0 || (tracking ? tracking.errors.length > 0 || tracking.outcome === 'failed' : false);
  if (failed) io.stderr(NAME + t.cli.notEveryone(result.failed.length, tracking?.errors.length));
  return failed ? EXIT_ERROR : EXIT_OK;
}

/** Entra's processing of a group, as the bot's progress says it: "Entra is processing the group: in progress (3 s)." */
function processingLine(state: string, elapsedMs: number, t: Messages): string {
  return t.request.progress(t.common.processingState(state), t.common.duration(elapsedMs));
}

/**
 * reprocess --group NAME | --user UPN: who is in error and why, then (after y/N or --yes) Entra
 * evaluates them again, and who is now licensed and who is still in error. REPROCESS_APPROVAL=required
 * is honoured: the CLI has no second administrator, so it runs nothing.
 */
async function reprocess(opts: CliOptions, service: LicensePort, io: CliIO): Promise<number> {
  const t = messagesFor(opts.lang);
  if (parseReprocessApproval(io.env.REPROCESS_APPROVAL) === 'required') {
    io.stderr(NAME + t.reprocess.cliApprovalRequired);
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
      io.stderr(NAME + t.cli.needYesReprocess);
      return EXIT_ERROR;
    }
    if (!saysYes(await io.ask(t.reprocess.cliConfirm(list.members.length, name)))) {
      io.stderr(NAME + t.cli.cancelledReprocess);
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
    io.stderr(blockedLine(t));
    return EXIT_BLOCKED;
  }
  if (opts.dryRun) return EXIT_OK;
  const c = preflight.change;
  const removals = c.assignments.filter((a) => a.principal.kind === 'user').length;
  if (!opts.yes) {
    if (!io.interactive) {
      io.stderr(NAME + t.cli.needYes);
      return EXIT_ERROR;
    }
    if (!saysYes(await io.ask(t.cli.confirmAdopt(removals, c.principal.displayName, c.to.displayName)))) {
      io.stderr(NAME + t.cli.cancelled);
      return EXIT_ERROR;
    }
  }
  let last = '';
  const end = await runAdoptSteps(service, c, {
    ...(opts.waves ? { waves: opts.waves } : {}),
    track: { timeoutMs: opts.timeoutMs ?? 600_000, ...(opts.pollMs ? { pollIntervalMs: opts.pollMs } : {}) },
    onProgress: (p) => {
      if (opts.json) return;
      // Each new state once: the waves of removals, or Entra's processing of the group before them.
      const key = p.adopt ? t.request.adoptProgress(p.adopt.wave, p.adopt.waves, p.adopt.removed, p.adopt.total) : p.processingState;
      if (key !== last) io.stderr(`  ${p.adopt ? key : processingLine(p.processingState, p.elapsedMs, t)}`);
      last = key;
    },
  });
  if (end.outcome === 'stopped' || end.outcome === 'processed') return EXIT_ERROR; // neither a signal nor groupOnly here: not reached
  if (opts.json) io.stdout(json({ ...pick(preflight, opts.lang), outcome: end.outcome, adopt: end.run.progress, ...(end.error ? { error: end.error } : {}) }));
  else io.stdout(adoptText(end.outcome, end.run.progress, t, end.why ? runErrorText(t, end.why) : end.error));
  return end.outcome === 'completed' ? EXIT_OK : EXIT_ERROR;
}

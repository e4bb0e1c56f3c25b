// plan-switch pause|resume|cancel ID --as UPN: the bot's change requests, on the bot's state
// database, with the same rules as in Teams (the requester or an approver; audited). The CLI
// sends no Teams notices: each is left owed, and a running bot instance sends it on its next tick.
// resume hands the run over: its lease is left lapsed, so a running bot instance carries on with
// the next wave.
import type { LicensePort } from '../licensing/model';
import type { ChangeRequest, ResumeCheck, WorkflowResult } from '../requests/types';
import { waveTotals } from '../requests/waves';
import { failureText, messagesFor, refusalSentence, type Messages } from '../i18n';
import type { CliOptions } from './args';
import { findingSentence } from './format';
/** What these commands use of the CLI's I/O (run.ts CliIO). */
type CliIO = { stdout(text: string): void; stderr(text: string): void; env: NodeJS.ProcessEnv };

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;

/**
 * The check of the remaining people before a resume, as the card says it: per finding what to do
 * (resume or cancel with this command, `--as` whom); who is left out.
 */
export function recheckText(t: Messages, id: string, c: ResumeCheck, as: string): string[] {
  const again = t.cli.recheckAgain(id, as);
  const who = (ps: { displayName: string; userPrincipalName?: string }[], total: number) =>
    ps.length ? ` ${ps.map((p) => p.userPrincipalName ?? p.displayName).join(', ')}${total > ps.length ? `, ${t.common.andMore(total - ps.length)}` : ''}.` : '';
  const lines = [t.waves.recheckTitle(c.people, `${c.at.slice(0, 16).replace('T', ' ')} UTC`)];
  // Why the check could not run: from its code and data (a row stored before: its English as stored).
  if (c.failure || c.error) lines.push(`  ${t.waves.recheckFailed(c.failure ? failureText(t, c.failure) : c.error!)}`, `  ${t.waves.recheckDo('CHECK_FAILED', again)}`);
  for (const f of c.findings.filter((x) => x.severity === 'block')) lines.push(`  ${findingSentence(f, t)}${who(f.principals, f.people)}`, `  ${t.waves.recheckDo(f.code, again)}`);
  for (const f of c.findings.filter((x) => x.severity === 'warn')) lines.push(`  ${t.waves.recheckWarning(`${findingSentence(f, t)}${who(f.principals, f.people)}`)}`);
  if (c.skippedCount) {
    lines.push(`  ${t.waves.recheckSkipped(c.skippedCount)}`);
    for (const s of c.skipped) lines.push(`    ${s.principal.userPrincipalName ?? s.principal.displayName}: ${t.waves.skipWhy[s.code] ?? s.code}`);
    if (c.skippedCount > c.skipped.length) lines.push(`    ${t.common.andMore(c.skippedCount - c.skipped.length)}`);
  }
  if (!c.blocked && !c.findings.length && !c.skippedCount) lines.push(`  ${t.waves.recheckPassed}`);
  return lines;
}

function describe(opts: CliOptions, r: ChangeRequest): string {
  const t = messagesFor(opts.lang);
  const lines = [`${t.request.statusTitle(r.id)}: ${t.request.states[r.state] ?? r.state}`];
  const w = r.result?.waves;
  if (w) {
    const tot = waveTotals(w);
    lines.push(t.waves.progress(w.next, w.count, tot.done, w.total, tot.failed));
    if (r.state === 'running' && w.stop) lines.push(w.stop.action === 'pause' ? t.waves.pauseAsked(opts.as!) : t.waves.cancelAsked(opts.as!));
    if (r.state === 'running' && !w.stop) lines.push(t.waves.resumed(r.id));
    if (w.recheck && (r.state === 'running' ? !w.stop && opts.command === 'resume' : r.state === 'paused' && w.recheck.blocked))
      lines.push(...recheckText(t, r.id, w.recheck, opts.as!));
    if (r.state === 'cancelled') lines.push(t.waves.cancelled(w.next, w.count, tot.done));
  }
  return lines.join('\n');
}

export async function controlCommand(opts: CliOptions, licenses: LicensePort, io: CliIO): Promise<number> {
  const t = messagesFor(opts.lang);
  const [{ loadConfig }, { openStateStore }, { openRequests }] = await Promise.all([import('../config'), import('../compose'), import('../requests')]);
  const config = loadConfig(io.env);
  const tenant = await licenses.tenant();
  const who = await licenses.resolveUser(opts.as!);
  if (!who) {
    // The bot's sentence for a name it cannot find (lookup.principalUnknown).
    io.stderr(`plan-switch: ${t.lookup.principalUnknown(opts.as!)} ${t.common.nothingChanged}`);
    return EXIT_ERROR;
  }
  const actor = { id: who.id, tenantId: tenant.id, name: who.displayName };
  const store = await openStateStore(config);
  // No Teams from here: a failed send leaves each notice owed for the bot to send.
  const notifier = {
    changed: async () => {
      throw new Error('the CLI leaves notices to the bot');
    },
  };
  const requests = openRequests({ store, config: config.requests, licenses, notifier, tenantId: tenant.id, workflow: { recheckBudgetMs: 0 } });
  try {
    const wf = requests.workflow;
    const id = opts.requestId!;
    const res: WorkflowResult =
      opts.command === 'pause' ? await wf.pause(actor, id) : opts.command === 'resume' ? await wf.resume(actor, id, undefined, { handOver: true }) : await wf.cancel(actor, id);
    if (!res.ok) {
      // Still paused after the check of its remaining people: why, per finding, and what to do.
      // Otherwise the bot's refusal for the same reason (src/i18n/explain.ts), which says nothing was changed.
      const message = refusalSentence(t, res, id, opts.command as 'pause' | 'resume' | 'cancel');
      if (opts.json)
        io.stdout(
          JSON.stringify(
            {
              ok: false,
              reason: res.reason,
              message,
              state: res.request?.state ?? null,
              ...(res.reason === 'recheck_blocked' ? { recheck: res.request?.result?.waves?.recheck ?? null } : {}),
            },
            null,
            2,
          ),
        );
      if (res.reason === 'recheck_blocked' && res.request) {
        io.stderr(`plan-switch: ${message}\n${describe(opts, res.request)}`);
        return EXIT_ERROR;
      }
      io.stderr(`plan-switch: ${message}`);
      return EXIT_ERROR;
    }
    io.stdout(
      opts.json ? JSON.stringify({ ok: true, id: res.request.id, state: res.request.state, waves: res.request.result?.waves ?? null }, null, 2) : describe(opts, res.request),
    );
    return EXIT_OK;
  } finally {
    await requests.close(5_000);
    await store.close();
  }
}

// plan-switch pause|resume|cancel ID --as UPN: the bot's change requests, on the bot's state
// database, with the same rules as in Teams (the requester or an approver; audited). The CLI
// sends no Teams notices: each is left owed, and a running bot instance sends it on its next tick.
// resume hands the run over: its lease is left lapsed, so a running bot instance carries on with
// the next wave.
import type { LicensePort } from '../licensing/model';
import type { ChangeRequest, WorkflowResult } from '../requests/types';
import { waveTotals } from '../requests/waves';
import { messagesFor } from '../i18n';
import type { CliOptions } from './args';
/** What these commands use of the CLI's I/O (run.ts CliIO). */
type CliIO = { stdout(text: string): void; stderr(text: string): void; env: NodeJS.ProcessEnv };

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;

function describe(opts: CliOptions, r: ChangeRequest): string {
  const t = messagesFor(opts.lang);
  const lines = [`${t.request.statusTitle(r.id)}: ${t.request.states[r.state] ?? r.state}`];
  const w = r.result?.waves;
  if (w) {
    const tot = waveTotals(w);
    lines.push(t.waves.progress(w.next, w.count, tot.done, w.total, tot.failed));
    if (r.state === 'running' && w.stop) lines.push(w.stop.action === 'pause' ? t.waves.pauseAsked(opts.as!) : t.waves.cancelAsked(opts.as!));
    if (r.state === 'running' && !w.stop) lines.push(t.waves.resumed(r.id));
    if (r.state === 'cancelled') lines.push(t.waves.cancelled(w.next, w.count, tot.done));
  }
  return lines.join('\n');
}

export async function controlCommand(opts: CliOptions, licenses: LicensePort, io: CliIO): Promise<number> {
  const [{ loadConfig }, { openStateStore }, { openRequests }] = await Promise.all([import('../config'), import('../compose'), import('../requests')]);
  const config = loadConfig(io.env);
  const tenant = await licenses.tenant();
  const who = await licenses.resolveUser(opts.as!);
  if (!who) {
    io.stderr(`plan-switch: there is no user '${opts.as}' in this tenant; nothing was changed.`);
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
      if (opts.json) io.stdout(JSON.stringify({ ok: false, reason: res.reason, message: res.message, state: res.request?.state ?? null }, null, 2));
      io.stderr(`plan-switch: ${res.message} Nothing was changed.`);
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

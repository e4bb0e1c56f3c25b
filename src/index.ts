// Composition root: configuration, Graph (or the sandbox tenant), the license service, the state
// store and request workflow, the adapter, the bot and the HTTP server, wired in one place and in
// the order they need each other: the approvers policy before the notifier that asks them, the
// notifier before the workflow that calls it, one Conversations for the notifier and the bot.
import { ConfigError, loadConfig, type Config } from './config';
import { openGraph, openStateStore } from './compose';
import type { GraphConnection } from './graph/connect';
import { GraphConfigError } from './graph/config';
import { LicenseService } from './licensing/service';
import { mayWriteUsageLocation } from './doctor/permissions';
import { usageLocationWritableFrom } from './doctor/token';
import { openRequests, requestPolicies, type OpenedRequests, type RequestPolicies } from './requests';
import { PlanSwitchBot } from './bot/bot';
import { BotNotifier } from './bot/notifier';
import { Conversations } from './bot/conversations';
import { ApprovalsChannels } from './bot/approvals-channels';
import { ApproverReach } from './bot/approver-reach';
import { watchNotifier } from './bot/watch-notice';
import { ErrorWatch } from './requests/watch';
import { installAppForUser } from './graph/teams-apps';
import { captureConsole, errorText, loggerFromEnv, secretsFromEnv, type AppLogger, type Logger } from './log';
import { adapterProactive, createAdapter, processHttp } from './server/adapter';
import { readBotCertificate } from './server/bot-certificate';
import { startServer, type RunningServer } from './server/http';
import { RawGraphReads } from './graph/doctor-reads';
import { runDoctor, type DoctorGraph } from './doctor/run';
import type { DoctorPort } from './bot/deps';

export { DEMO_LICENSE_ADMINS } from './config';

/** How long GET /readyz waits for Graph and the state database. */
const READY_BUDGET_MS = 3_000;

/** `p`, or an error saying who did not answer within READY_BUDGET_MS. */
async function within<T>(p: Promise<T>, who: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${who} did not answer within ${READY_BUDGET_MS / 1000} s`)), READY_BUDGET_MS);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface App {
  config: Config;
  graph: GraphConnection;
  licenses: LicenseService;
  requests: OpenedRequests;
  bot: PlanSwitchBot;
  server: RunningServer;
  tenantId: string;
  close(): Promise<void>;
}

/** Starts everything. Throws ConfigError / GraphConfigError with every problem listed. */
/**
 * The reads every first command makes, made while the app starts so the first admin does not wait
 * for them: who may ask for and approve changes (their groups' members, cached for a minute) and
 * the tenant's plans (subscribedSkus, over the Graph connection the first command then reuses). In
 * parallel, at most READY_BUDGET_MS; a failure only logs (the command reads again).
 */
async function warmUp(licenses: LicenseService, policies: RequestPolicies, log: Logger): Promise<void> {
  const t0 = Date.now();
  try {
    const settled = await within(Promise.allSettled([policies.requesters.requesterIds(), policies.approvers.approverIds(), licenses.listPlans()]), 'Graph (warm-up)');
    const failed = settled.flatMap((s) => (s.status === 'rejected' ? [errorText(s.reason)] : []));
    log.info('app.warmed_up', { ms: Date.now() - t0, ...(failed.length ? { failed } : {}) });
  } catch (err) {
    log.warn('app.warm_up_slow', { error: errorText(err) });
  }
}

export async function startApp(env: NodeJS.ProcessEnv, log: Logger = loggerFromEnv(env)): Promise<App> {
  // Whatever logger is used, it masks this environment's secrets.
  for (const secret of secretsFromEnv(env)) (log as Partial<AppLogger>).redactor?.add(secret);
  const config = loadConfig(env, { readCertificate: readBotCertificate });
  const graph = await openGraph(config.graph);
  const store = await openStateStore(config, log).catch(async (err: unknown) => {
    await graph.close();
    throw err;
  });
  let requests: OpenedRequests | undefined;
  try {
    // GROUP_POLL_INTERVAL: how often a group's processing is read while a swap is followed.
    // The usage location fix is offered only when the app's token carries User.ReadWrite.All (or higher).
    const licenses = new LicenseService(graph.gateway, undefined, {
      ...(config.groupPollIntervalMs ? { pollIntervalMs: config.groupPollIntervalMs } : {}),
      usageLocationWritable: usageLocationWritableFrom(() => graph.accessToken(), mayWriteUsageLocation),
    });
    const tenant = await licenses.tenant();
    // Sandbox: the sandbox tenant is the only one served. Real Graph: MicrosoftAppTenantId.
    const tenantId = config.sandboxMode ? tenant.id : config.bot.appTenantId!;
    if (!config.sandboxMode && tenant.id.toLowerCase() !== tenantId.toLowerCase()) {
      throw new ConfigError([`MicrosoftAppTenantId (${tenantId}) is not the tenant Graph answers for (${tenant.id})`]);
    }

    const adapter = createAdapter(config, log);
    const proactive = adapterProactive(adapter, config.bot.appId);
    const policies = requestPolicies({ config: config.requests, licenses, tenantId, log });
    const warmedUp = warmUp(licenses, policies, log);
    const conversations = new Conversations(store, proactive, log);
    // Approvers are reached in their chats, in approvals channels and, with TEAMS_APP_ID and the
    // Graph permission, by installing the app for them.
    const teamsAppId = config.requests.teamsAppId;
    const reach = new ApproverReach(conversations, policies.approvers, new ApprovalsChannels(conversations, log, config.requests.approvalsChannel), log, {
      directory: { displayName: async (id) => (await licenses.resolveUser(id))?.displayName },
      ...(teamsAppId ? { installer: { install: async (id: string) => (await installAppForUser(graph.client, id, teamsAppId)).outcome } } : {}),
    });
    const notifier = new BotNotifier(conversations, policies.approvers, log, { plans: () => licenses.listPlans(), reach });
    requests = openRequests({
      store,
      config: config.requests,
      policies,
      licenses,
      notifier,
      tenantId,
      log,
      // approve() answers right after the compare-and-set: the click is answered at once and the
      // re-check and run carry on in the background, reported by the notifier.
      workflow: { recheckBudgetMs: 0 },
    });

    const bot = new PlanSwitchBot({
      licenses,
      requests: requests.workflow,
      approvers: requests.approvers,
      requesters: requests.requesters,
      conversations,
      tenantId,
      log,
      doctor: doctorPort(graph),
      reach,
      onReachChanged: (r) => notifier.reachChanged(r),
      reprocessApproval: config.reprocess.approval,
    });

    await warmedUp;
    const server = await startServer({
      host: config.host,
      port: config.port,
      localMode: config.localMode,
      log,
      processActivity: (req, res) => processHttp(adapter, req, res, (ctx) => bot.run(ctx), log),
      health: async () => ({ ok: true, detail: { store: await within(store.ping(), 'The state database') } }),
      // A real Graph read and a database round trip each time (the license service caches the
      // organization), bounded so a throttled or hanging Graph or database answers the probe in time.
      ready: async () => {
        const [org, db] = await Promise.all([within(graph.gateway.organization(), 'Graph'), within(store.ping(), 'The state database')]);
        return { ok: true, detail: { graph: graph.graphBaseUrl, tenant: org.displayName, store: db } };
      },
    });

    // The timer that expires requests, takes over runs nobody renews and sends owed notices: every
    // half lease (at most a minute), so a run is taken over within about 1.5 leases of its owner's
    // last renewal.
    await requests.workflow.start({ everyMs: Math.min(60_000, Math.max(1_000, Math.floor(config.requests.leaseMs / 2))) });

    // WATCH_GROUPS: new members in error in these groups are told to the approvers, once each.
    const watch = new ErrorWatch({
      licenses,
      store,
      notify: watchNotifier(reach),
      groups: config.reprocess.watchGroups,
      intervalMs: config.reprocess.watchIntervalMs,
      instanceId: requests.workflow.instanceId,
      log,
    });
    watch.start();
    if (config.reprocess.watchGroups.length)
      log.info('app.watch', {
        groups: config.reprocess.watchGroups,
        everyMs: config.reprocess.watchIntervalMs,
        msg: `Watching ${config.reprocess.watchGroups.join(', ')} for new members in error every ${Math.round(config.reprocess.watchIntervalMs / 60_000)} min`,
      });

    log.info('app.listening', { url: `${server.url}/api/messages`, localMode: config.localMode, msg: `Plan Switch listening on ${server.url}/api/messages` });
    if (config.localMode) {
      log.warn('app.local_mode', {
        msg: 'LOCAL MODE: MicrosoftAppId is empty, so Bot Framework authentication is off. The bot listens on 127.0.0.1 only and refuses any other host.',
      });
    }
    const cert = config.bot.certificate;
    if (cert) {
      const days = Math.floor((Date.parse(cert.validTo) - Date.now()) / 86_400_000);
      (days < 30 ? log.warn : log.info)('app.bot_credential', {
        kind: 'certificate',
        thumbprint: cert.thumbprint,
        validTo: cert.validTo,
        msg: `Bot credential: certificate ${cert.thumbprint}, valid until ${cert.validTo.slice(0, 10)}${days < 30 ? ` (expires in ${days} days: renew it)` : ''}`,
      });
    }
    log.info('app.graph', { graph: graph.description, msg: `Graph: ${graph.description}` });
    log.info('app.tenant', { tenantId, tenant: tenant.displayName, msg: `Tenant served: ${tenant.displayName} (${tenantId})` });
    const approversText = config.demoApprovers
      ? `the demo tenant's License Admins group (APPROVERS is not set)`
      : requests.approvers.entries.length
        ? requests.approvers.entries.map((e) => `${e.kind}:${e.value}`).join(', ')
        : 'none configured (APPROVERS): nobody can approve';
    const requestersText = requests.requesters.fromApprovers ? 'the approvers (REQUESTERS is not set)' : requests.requesters.entries.map((e) => `${e.kind}:${e.value}`).join(', ');
    log.info('app.state', {
      store: store.description,
      approvers: approversText,
      requesters: requestersText,
      instance: requests.workflow.instanceId,
      msg: `State: ${store.kind} ${store.description}; approvers: ${approversText}; requesters: ${requestersText}; instance ${requests.workflow.instanceId}`,
    });
    const rc = config.requests;
    const reachText = [
      rc.approvalsChannel
        ? `approvals channel ${rc.approvalsChannel.name ?? rc.approvalsChannel.conversationId} (APPROVALS_CHANNEL)`
        : 'approvals channels: those an approver adds the bot to',
      rc.teamsAppId
        ? `installs the app for approvers it cannot reach (TEAMS_APP_ID ${rc.teamsAppId}; needs TeamsAppInstallation.ReadWriteSelfForUser.All)`
        : 'no proactive installation (TEAMS_APP_ID unset)',
      rc.approvalReminderMs ? `one reminder after ${Math.round(rc.approvalReminderMs / 60_000)} min` : 'no reminder (APPROVAL_REMINDER=off)',
    ].join('; ');
    log.info('app.approver_reach', {
      approvalsChannel: rc.approvalsChannel ?? null,
      teamsAppId: rc.teamsAppId ?? null,
      reminderMs: rc.approvalReminderMs,
      msg: `Approvers: ${reachText}`,
    });

    const r = requests;
    let closed = false;
    return {
      config,
      graph,
      licenses,
      requests: r,
      bot,
      server,
      tenantId,
      async close() {
        if (closed) return;
        closed = true;
        watch.stop();
        await server.close();
        await bot.whenIdle();
        await watch.whenIdle();
        await r.close();
        await store.close();
        await graph.close();
      },
    };
  } catch (err) {
    await requests?.close(0).catch(() => undefined);
    await Promise.resolve(store.close()).catch(() => undefined);
    await graph.close().catch(() => undefined);
    throw err;
  }
}

async function main(): Promise<void> {
  const log = loggerFromEnv(process.env);
  // What libraries print goes through the logger too: one line, masked, no stack.
  captureConsole(log);
  // Node's own warnings (restify's DEP0111 among them) as log lines, not free text on stderr.
  process.removeAllListeners('warning');
  process.on('warning', (w) =>
    (w.name === 'DeprecationWarning' ? log.debug : log.warn)('process.warning', { name: w.name, code: (w as { code?: string }).code, message: w.message }),
  );
  // A stray rejected promise is logged and the bot keeps serving; a thrown exception nobody caught
  // may have left anything half done: log it and exit (the supervisor restarts the bot, and the
  // workflow finishes what was running from the state database).
  process.on('unhandledRejection', (reason) => log.error('process.unhandled_rejection', { error: errorText(reason) }));
  process.on('uncaughtException', (err) => {
    log.error('process.uncaught_exception', { error: errorText(err) });
    process.exit(1);
  });

  let app: App;
  try {
    app = await startApp(process.env, log);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof GraphConfigError) {
      const problems = err.problems;
      // Pretty: the list as it is, one problem a line (console.* goes through the logger, one line).
      if (log.format === 'pretty') process.stderr.write(`${err.message.includes('\n') ? err.message : `Plan Switch cannot start: ${err.message}`}\n`);
      else log.error('app.config_invalid', { problems, msg: 'Plan Switch cannot start: the configuration has problems' });
    } else {
      log.error('app.start_failed', { error: errorText(err), msg: `Plan Switch could not start: ${errorText(err)}` });
    }
    process.exitCode = 1;
    return;
  }
  const stop = (signal: string) => {
    log.info('app.stopping', { signal, msg: `${signal}: shutting down` });
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) void main();

/** `doctor` in chat: the same read-only checks as `plan-switch doctor`, on the app's own Graph connection. */
function doctorPort(graph: GraphConnection): DoctorPort {
  const raw = new RawGraphReads(graph.client);
  const reads: DoctorGraph = { graphBaseUrl: graph.graphBaseUrl, accessToken: () => graph.accessToken(), get: (p, h) => raw.get(p, h), post: (p, b) => raw.post(p, b) };
  return { run: (opts) => runDoctor(reads, opts) };
}

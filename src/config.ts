// Configuration from the environment, checked once at start-up: the one place that reads it.
// Every problem is reported with the variable's name and what is expected, all at once, so a
// broken .env is fixed in one go. The entry points (src/index.ts, src/cli/, src/sandbox/main.ts)
// call it; every other module takes the typed values it returns. Graph's variables are parsed in
// src/config/graph.ts, the workflow's in src/config/requests.ts.
import { z } from 'zod';
import { readPostgresSettings } from './config/state-db';
import type { PostgresSettings } from './state/postgres/settings';
import { GraphConfigError, type GraphConfig } from './graph/config';
import type { RequestConfig } from './requests/config';
import { parseApprovers } from './requests/approvers';
import { loadGraphConfig } from './config/graph';
import { loadRequestConfig, parseApprovalsChannel, parseBool, parseDuration, parseReminder, parseTeamsAppId } from './config/requests';
import { DEFAULT_APPROVAL_TTL_MS } from './requests/config';
import { isGuid } from './guid';
import { loadReprocessConfig, parseReprocessApproval, parseWatchGroups, parseWatchInterval, type ReprocessConfig } from './config/reprocess';

export { loadGraphConfig, loadSandboxEnv } from './config/graph';
export { loadReprocessConfig, type ReprocessConfig } from './config/reprocess';
export { loadWaves } from './config/requests';

/** Where the state database is when STATE_DB is unset. */
export const DEFAULT_STATE_DB = './var/plan-switch.db';

/** The demo tenant's "License Admins" group (data/demo-tenant.json): its approvers when APPROVERS is unset. */
export const DEMO_LICENSE_ADMINS = 'a11ce000-0000-4000-8000-000000000100';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** A duration, or undefined when unset or not one (its own check reports that). */
function safeDuration(v: string | undefined): number | undefined {
  try {
    return v?.trim() ? parseDuration(v) : undefined;
  } catch {
    return undefined;
  }
}

const empty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const optionalText = z.preprocess(empty, z.string().optional());
const port = (name: string, dflt: number) =>
  z.preprocess(
    empty,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return dflt;
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 65535) {
          ctx.addIssue({ code: 'custom', message: `${name} must be a port number (1-65535), got "${v}"` });
          return z.NEVER;
        }
        return n;
      }),
  );

const EnvSchema = z.object({
  PORT: port('PORT', 3978),
  HOST: optionalText,
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppCertificatePath: optionalText,
  MicrosoftAppTenantId: optionalText,
  MicrosoftAppType: z.preprocess(
    empty,
    z
      .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
        error: 'MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI (or empty for local mode)',
      })
      .optional(),
  ),
  // Graph (GRAPH_BASE_URL, AZURE_*, SANDBOX_*) is checked by src/graph/config.ts and the
  // workflow's settings (STATE_DB, APPROVERS, REQUESTERS, ALLOW_SELF_APPROVAL, APPROVAL_TTL) by
  // src/requests/config.ts; loadConfig() collects their problems with these.
  GRAPH_BASE_URL: optionalText,
  // src/log.ts reads these itself; checked here so a typo is reported with the rest.
  LOG_FORMAT: z.preprocess(
    (v) => (typeof empty(v) === 'string' ? (empty(v) as string).toLowerCase() : empty(v)),
    z.enum(['json', 'pretty'], { error: 'LOG_FORMAT must be json or pretty' }).optional(),
  ),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof empty(v) === 'string' ? (empty(v) as string).toLowerCase() : empty(v)),
    z.enum(['debug', 'info', 'warn', 'error'], { error: 'LOG_LEVEL must be debug, info, warn or error' }).optional(),
  ),
});

type BotEnv = z.infer<typeof EnvSchema>;

/** Rules across variables; run on the raw values so they are reported with the field errors. */
function crossChecks(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  const v = (name: string) => {
    const x = env[name];
    return typeof x === 'string' && x.trim() ? x.trim() : undefined;
  };
  const e = {
    MicrosoftAppId: v('MicrosoftAppId'),
    MicrosoftAppPassword: v('MicrosoftAppPassword'),
    MicrosoftAppCertificatePath: v('MicrosoftAppCertificatePath'),
    MicrosoftAppTenantId: v('MicrosoftAppTenantId'),
    MicrosoftAppType: v('MicrosoftAppType') as BotEnv['MicrosoftAppType'],
    HOST: v('HOST'),
    GRAPH_BASE_URL: v('GRAPH_BASE_URL'),
  };
  /** The variable's name is in every message. */
  const issue = (_variable: string, message: string) => out.push(message);
  if (e.MicrosoftAppId) {
    if (!isGuid(e.MicrosoftAppId)) issue('MicrosoftAppId', "MicrosoftAppId must be the bot's Entra application id (a GUID)");
    if (!e.MicrosoftAppType) issue('MicrosoftAppType', 'MicrosoftAppType is required with MicrosoftAppId (SingleTenant, MultiTenant or UserAssignedMSI)');
    if (e.MicrosoftAppType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword && !e.MicrosoftAppCertificatePath)
      issue(
        'MicrosoftAppPassword',
        "MicrosoftAppPassword (the bot's client secret) or MicrosoftAppCertificatePath (a PEM with its certificate and key) is required with MicrosoftAppId",
      );
    if (e.MicrosoftAppPassword && e.MicrosoftAppCertificatePath)
      issue('MicrosoftAppCertificatePath', 'MicrosoftAppPassword and MicrosoftAppCertificatePath are both set: the bot uses one credential, set only one');
    if (e.MicrosoftAppType === 'UserAssignedMSI' && e.MicrosoftAppCertificatePath)
      issue('MicrosoftAppCertificatePath', 'MicrosoftAppCertificatePath is set but MicrosoftAppType is UserAssignedMSI, which uses no certificate');
    if (e.MicrosoftAppType !== 'MultiTenant' && !e.MicrosoftAppTenantId)
      issue('MicrosoftAppTenantId', `MicrosoftAppTenantId is required when MicrosoftAppType is ${e.MicrosoftAppType ?? 'SingleTenant'}`);
  } else {
    if (e.MicrosoftAppPassword) issue('MicrosoftAppId', 'MicrosoftAppPassword is set but MicrosoftAppId is empty: set both, or neither for local mode');
    if (e.MicrosoftAppCertificatePath) issue('MicrosoftAppId', 'MicrosoftAppCertificatePath is set but MicrosoftAppId is empty: set both, or neither for local mode');
    if (e.MicrosoftAppType) issue('MicrosoftAppId', 'MicrosoftAppType is set but MicrosoftAppId is empty: set both, or neither for local mode');
    if (e.HOST && !isLoopbackHost(e.HOST))
      issue('HOST', `HOST=${e.HOST} is refused in local mode: without MicrosoftAppId the bot checks no tokens, so it only listens on 127.0.0.1`);
  }
  if (e.MicrosoftAppTenantId && !isGuid(e.MicrosoftAppTenantId)) issue('MicrosoftAppTenantId', 'MicrosoftAppTenantId must be a GUID');
  if (e.GRAPH_BASE_URL && !isLoopbackUrl(e.GRAPH_BASE_URL) && !e.MicrosoftAppTenantId)
    issue('MicrosoftAppTenantId', 'MicrosoftAppTenantId is required with a real GRAPH_BASE_URL: it is the only tenant whose activities are accepted');
  return out;
}

/** The bot's certificate credential, as src/server/bot-certificate.ts reads it from MicrosoftAppCertificatePath. */
export interface BotCertificate {
  /** The certificate block (BEGIN CERTIFICATE), sent as x5c so Entra can validate rollovers. */
  certificate: string;
  /** The private key block, PEM. */
  privateKey: string;
  /** SHA-1 thumbprint, hex without colons (what Entra shows under Certificates & secrets). */
  thumbprint: string;
  /** Not after, ISO: logged at start-up so an expiry is seen before it bites. */
  validTo: string;
}

export interface Config {
  port: number;
  /** Interface the HTTP server binds to: 127.0.0.1 in local mode. */
  host: string;
  /** No MicrosoftAppId: Bot Framework authentication is off, loopback only. */
  localMode: boolean;
  bot: {
    appId?: string;
    appPassword?: string;
    /** MicrosoftAppCertificatePath, read and checked: the bot's credential instead of a secret. */
    certificate?: BotCertificate;
    appTenantId?: string;
    appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  };
  /** GRAPH_BASE_URL unset or loopback: the demo/sandbox tenant (its tenant id is the one served). */
  sandboxMode: boolean;
  graph: GraphConfig;
  requests: RequestConfig;
  /** STATE_DB: where the state lives (a SQLite file path by default); src/compose.ts openStateStore() picks the store. */
  stateDb: string;
  /** STATE_DB is a postgres:// URL: how to reach that server (STATE_DB_AUTH, STATE_DB_POOL_MAX). Unset: SQLite. */
  postgres?: PostgresSettings;
  /**
   * The bundled demo tenant is served and APPROVERS is unset: its License Admins group approves, so
   * `npm start` on a fresh clone is not a dead end.
   */
  demoApprovers: boolean;
  /** REPROCESS_APPROVAL, WATCH_GROUPS, WATCH_INTERVAL. */
  reprocess: ReprocessConfig;
  /** GROUP_POLL_INTERVAL: a fixed interval for reading a group's processing while a swap is followed (default: the license service's adaptive one). */
  groupPollIntervalMs?: number;
}

export interface LoadConfigOptions {
  /**
   * Reads and checks MicrosoftAppCertificatePath (src/server/bot-certificate.ts, passed in by the
   * entry point so that the configuration does not depend on the server); its error is listed with
   * the other problems.
   */
  readCertificate?: (path: string) => BotCertificate;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Plan Switch cannot start, the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv, opts: LoadConfigOptions = {}): Config {
  const problems: string[] = [];
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => (i.path.length && !i.message.includes(String(i.path[0])) ? `${i.path.join('.')}: ${i.message}` : i.message)));
  }
  let graph: GraphConfig | undefined;
  try {
    graph = loadGraphConfig(env);
  } catch (err) {
    if (err instanceof GraphConfigError) problems.push(...err.problems);
    else problems.push(err instanceof Error ? err.message : String(err));
  }
  problems.push(...crossChecks(env));
  // The workflow's settings, each on its own so every bad one is listed.
  const requestChecks: (() => unknown)[] = [
    () => parseApprovers(env.APPROVERS ?? ''),
    () => parseApprovers(env.REQUESTERS ?? '', 'REQUESTERS'),
    () => (env.APPROVAL_TTL?.trim() ? parseDuration(env.APPROVAL_TTL, 'APPROVAL_TTL') : 0),
    () => (env.RECOVERY_SETTLE?.trim() ? parseDuration(env.RECOVERY_SETTLE, 'RECOVERY_SETTLE') : 0),
    () => {
      if (env.RUN_LEASE?.trim() && parseDuration(env.RUN_LEASE, 'RUN_LEASE') < 3_000) throw new Error('RUN_LEASE: at least 3s (it is renewed every third of it)');
    },
    () => (env.GROUP_POLL_INTERVAL?.trim() ? parseDuration(env.GROUP_POLL_INTERVAL, 'GROUP_POLL_INTERVAL') : 0),
    () => parseBool(env.ALLOW_SELF_APPROVAL, 'ALLOW_SELF_APPROVAL'),
    () => (env.APPROVALS_CHANNEL?.trim() ? parseApprovalsChannel(env.APPROVALS_CHANNEL) : undefined),
    () => (env.TEAMS_APP_ID?.trim() ? parseTeamsAppId(env.TEAMS_APP_ID) : undefined),
    () => parseReminder(env.APPROVAL_REMINDER, safeDuration(env.APPROVAL_TTL) ?? DEFAULT_APPROVAL_TTL_MS),
  ];
  for (const check of requestChecks) {
    try {
      check();
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  const stateDb = readPostgresSettings(env);
  problems.push(...stateDb.problems);
  const demoApprovers = graph?.mode === 'sandbox' && !env.SANDBOX_TENANT?.trim() && !env.APPROVERS?.trim();
  let requests: RequestConfig | undefined;
  try {
    requests = loadRequestConfig(env, demoApprovers ? `group:${DEMO_LICENSE_ADMINS}` : '');
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (!problems.includes(msg)) problems.push(msg);
  }
  let reprocess: ReprocessConfig | undefined;
  const before = problems.length;
  for (const check of [() => parseReprocessApproval(env.REPROCESS_APPROVAL), () => parseWatchGroups(env.WATCH_GROUPS), () => parseWatchInterval(env.WATCH_INTERVAL)]) {
    try {
      check();
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (problems.length === before) reprocess = loadReprocessConfig(env);
  let certificate: BotCertificate | undefined;
  const certPath = env.MicrosoftAppCertificatePath?.trim();
  if (certPath && env.MicrosoftAppId?.trim()) {
    try {
      if (!opts.readCertificate) throw new Error('MicrosoftAppCertificatePath: this entry point cannot read a bot certificate');
      certificate = opts.readCertificate(certPath);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (problems.length || !parsed.success || !graph || !requests || !reprocess) throw new ConfigError(problems);
  const e = parsed.data;
  const localMode = !e.MicrosoftAppId;
  return {
    port: e.PORT,
    host: localMode ? '127.0.0.1' : (e.HOST ?? '0.0.0.0'),
    localMode,
    bot: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      ...(certificate ? { certificate } : {}),
      appTenantId: e.MicrosoftAppTenantId,
      appType: e.MicrosoftAppType,
    },
    sandboxMode: graph.mode !== 'graph',
    graph,
    requests,
    stateDb: env.STATE_DB?.trim() || DEFAULT_STATE_DB,
    ...(stateDb.settings ? { postgres: stateDb.settings } : {}),
    demoApprovers,
    reprocess,
    ...(env.GROUP_POLL_INTERVAL?.trim() ? { groupPollIntervalMs: parseDuration(env.GROUP_POLL_INTERVAL, 'GROUP_POLL_INTERVAL') } : {}),
  };
}

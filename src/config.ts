// Configuration from the environment, checked once at start-up. Every problem is reported with
// the variable's name and what is expected, all at once, so a broken .env is fixed in one go.
import { z } from 'zod';

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

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "90s", "30m", "24h", "7d" or plain seconds -> milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit]!;
  const ms = Math.round(n * factor);
  return ms > 0 ? ms : undefined;
}

const empty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const optionalText = z.preprocess(empty, z.string().optional());
const bool = (name: string, dflt: boolean) =>
  z.preprocess(
    empty,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return dflt;
        if (/^(1|true|yes|on)$/i.test(v)) return true;
        if (/^(0|false|no|off)$/i.test(v)) return false;
        ctx.addIssue({ code: 'custom', message: `${name} must be true or false, got "${v}"` });
        return z.NEVER;
      }),
  );
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

const EnvSchema = z
  .object({
    PORT: port('PORT', 3978),
    HOST: optionalText,
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppTenantId: optionalText,
    MicrosoftAppType: z.preprocess(
      empty,
      z
        .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
          error: 'MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI (or empty for local mode)',
        })
        .optional(),
    ),
    GRAPH_BASE_URL: z.preprocess(empty, z.url({ error: 'GRAPH_BASE_URL must be a URL such as https://graph.microsoft.com/v1.0' }).optional()),
    AZURE_TENANT_ID: optionalText,
    AZURE_CLIENT_ID: optionalText,
    AZURE_CLIENT_SECRET: optionalText,
    AZURE_CLIENT_CERTIFICATE_PATH: optionalText,
    SANDBOX_TENANT: optionalText,
    SANDBOX_PORT: port('SANDBOX_PORT', 3979),
    APPROVERS: optionalText,
    ALLOW_SELF_APPROVAL: bool('ALLOW_SELF_APPROVAL', false),
    APPROVAL_TTL: z.preprocess(
      empty,
      z
        .string()
        .optional()
        .transform((v, ctx) => {
          if (v === undefined) return 24 * 3_600_000;
          const ms = parseDuration(v);
          if (ms === undefined) {
            ctx.addIssue({ code: 'custom', message: `APPROVAL_TTL must be a duration such as 30m, 24h or 7d, got "${v}"` });
            return z.NEVER;
          }
          return ms;
        }),
    ),
    STATE_DB: z.preprocess(empty, z.string().default('./var/plan-switch.db')),
  })
  .superRefine((e, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (e.MicrosoftAppId) {
      if (!GUID.test(e.MicrosoftAppId)) issue('MicrosoftAppId', 'MicrosoftAppId must be the bot\'s Entra application id (a GUID)');
      if (!e.MicrosoftAppType) issue('MicrosoftAppType', 'MicrosoftAppType is required with MicrosoftAppId (SingleTenant, MultiTenant or UserAssignedMSI)');
      if (e.MicrosoftAppType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword)
        issue('MicrosoftAppPassword', 'MicrosoftAppPassword is required with MicrosoftAppId (the bot\'s client secret)');
      if (e.MicrosoftAppType !== 'MultiTenant' && !e.MicrosoftAppTenantId)
        issue('MicrosoftAppTenantId', `MicrosoftAppTenantId is required when MicrosoftAppType is ${e.MicrosoftAppType ?? 'SingleTenant'}`);
    } else {
      if (e.MicrosoftAppPassword) issue('MicrosoftAppId', 'MicrosoftAppPassword is set but MicrosoftAppId is empty: set both, or neither for local mode');
      if (e.MicrosoftAppType) issue('MicrosoftAppId', 'MicrosoftAppType is set but MicrosoftAppId is empty: set both, or neither for local mode');
      if (e.HOST && !isLoopbackHost(e.HOST))
        issue(
          'HOST',
          `HOST=${e.HOST} is refused in local mode: without MicrosoftAppId the bot checks no tokens, so it only listens on 127.0.0.1`,
        );
    }
    if (e.MicrosoftAppTenantId && !GUID.test(e.MicrosoftAppTenantId)) issue('MicrosoftAppTenantId', 'MicrosoftAppTenantId must be a GUID');
    if (e.GRAPH_BASE_URL && !isLoopbackUrl(e.GRAPH_BASE_URL)) {
      if (!e.MicrosoftAppTenantId)
        issue('MicrosoftAppTenantId', 'MicrosoftAppTenantId is required with a real GRAPH_BASE_URL: it is the only tenant whose activities are accepted');
      if (!e.AZURE_TENANT_ID) issue('AZURE_TENANT_ID', 'AZURE_TENANT_ID is required with a real GRAPH_BASE_URL');
      if (!e.AZURE_CLIENT_ID) issue('AZURE_CLIENT_ID', 'AZURE_CLIENT_ID is required with a real GRAPH_BASE_URL');
      if (!new URL(e.GRAPH_BASE_URL).protocol.startsWith('https')) issue('GRAPH_BASE_URL', 'GRAPH_BASE_URL must use https unless it is a loopback sandbox');
    }
  });

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  port: number;
  /** Interface the HTTP server binds to: 127.0.0.1 in local mode. */
  host: string;
  /** No MicrosoftAppId: Bot Framework authentication is off, loopback only. */
  localMode: boolean;
  bot: { appId?: string; appPassword?: string; appTenantId?: string; appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI' };
  /** GRAPH_BASE_URL unset or loopback: the demo/sandbox tenant. */
  sandboxMode: boolean;
  graph: {
    baseUrl?: string;
    azureTenantId?: string;
    azureClientId?: string;
    azureClientSecret?: string;
    azureClientCertificatePath?: string;
  };
  sandbox: { tenantFile?: string; port: number };
  approvers: string[];
  allowSelfApproval: boolean;
  approvalTtlMs: number;
  stateDb: string;
  /** The raw validated environment, for modules (graph/connect) that read their own variables. */
  env: NodeJS.ProcessEnv;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Plan Switch cannot start, the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => (i.path.length && !i.message.includes(String(i.path[0])) ? `${i.path.join('.')}: ${i.message}` : i.message)));
  }
  const e = parsed.data;
  const localMode = !e.MicrosoftAppId;
  return {
    port: e.PORT,
    host: localMode ? '127.0.0.1' : (e.HOST ?? '0.0.0.0'),
    localMode,
    bot: { appId: e.MicrosoftAppId, appPassword: e.MicrosoftAppPassword, appTenantId: e.MicrosoftAppTenantId, appType: e.MicrosoftAppType },
    sandboxMode: !e.GRAPH_BASE_URL || isLoopbackUrl(e.GRAPH_BASE_URL),
    graph: {
      baseUrl: e.GRAPH_BASE_URL,
      azureTenantId: e.AZURE_TENANT_ID,
      azureClientId: e.AZURE_CLIENT_ID,
      azureClientSecret: e.AZURE_CLIENT_SECRET,
      azureClientCertificatePath: e.AZURE_CLIENT_CERTIFICATE_PATH,
    },
    sandbox: { tenantFile: e.SANDBOX_TENANT, port: e.SANDBOX_PORT },
    approvers: (e.APPROVERS ?? '')
      .split(/[,;\s]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    allowSelfApproval: e.ALLOW_SELF_APPROVAL,
    approvalTtlMs: e.APPROVAL_TTL,
    stateDb: e.STATE_DB,
    env,
  };
}

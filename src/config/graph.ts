// The Graph variables of the environment (GRAPH_BASE_URL, SANDBOX_*, GRAPH_AUTH, AZURE_*), checked
// with zod into a GraphConfig. Part of the one configuration loader (src/config.ts). Error
// messages name the variable that is wrong and never repeat a secret.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { authorityHostFor, GraphConfigError, isLoopbackHost, splitBaseUrl, type GraphAuth, type GraphConfig } from '../graph/config';
import { GUID_PATTERN, isGuid } from '../guid';

export const DEFAULT_SANDBOX_PORT = 3979;
export const DEFAULT_SANDBOX_TENANT = 'data/demo-tenant.json';
/** Project root (dist/src/config -> ../../..). Relative SANDBOX_TENANT paths resolve from the working directory first, then from here. */
export const PROJECT_ROOT = join(__dirname, '..', '..', '..');

const TENANT = z.string().regex(new RegExp(`^(${GUID_PATTERN}|[a-z0-9.-]+\\.[a-z]{2,})$`, 'i'));

const EnvSchema = z.object({
  GRAPH_BASE_URL: z.string().trim().optional(),
  SANDBOX_TENANT: z.string().trim().min(1).optional(),
  SANDBOX_PORT: z.string().trim().regex(/^\d+$/, 'must be a port number').optional(),
  GRAPH_AUTH: z.enum(['client-secret', 'certificate', 'managed-identity']).optional(),
  AZURE_TENANT_ID: z.string().trim().optional(),
  AZURE_CLIENT_ID: z.string().trim().optional(),
  AZURE_CLIENT_SECRET: z.string().optional(),
  AZURE_CLIENT_CERTIFICATE_PATH: z.string().trim().optional(),
  /** Sign-in authority, when the national cloud is not one authorityHostFor() knows. */
  AZURE_AUTHORITY_HOST: z.string().trim().optional(),
});

function blankToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const v = env[key];
    out[key] = v === undefined || v.trim() === '' ? undefined : v;
  }
  return out;
}

export function resolveTenantFile(file: string, cwd = process.cwd()): string {
  if (isAbsolute(file)) return file;
  const fromCwd = resolve(cwd, file);
  if (existsSync(fromCwd)) return fromCwd;
  return resolve(PROJECT_ROOT, file);
}

/** Reads the Graph configuration; throws GraphConfigError listing every problem (never a secret's value). */
export function loadGraphConfig(env: NodeJS.ProcessEnv): GraphConfig {
  const parsed = EnvSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    // Name the variable and zod's reason; never the value (it may be a secret).
    throw new GraphConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];

  if (!e.GRAPH_BASE_URL) {
    const port = e.SANDBOX_PORT ? Number(e.SANDBOX_PORT) : DEFAULT_SANDBOX_PORT;
    if (!(port >= 0 && port <= 65535)) problems.push('SANDBOX_PORT: must be between 0 and 65535');
    const tenantFile = resolveTenantFile(e.SANDBOX_TENANT ?? DEFAULT_SANDBOX_TENANT);
    if (!existsSync(tenantFile)) problems.push(`SANDBOX_TENANT: file not found: ${tenantFile}`);
    if (problems.length) throw new GraphConfigError(problems);
    return { mode: 'sandbox', tenantFile, port, host: '127.0.0.1' };
  }

  let split: ReturnType<typeof splitBaseUrl>;
  try {
    split = splitBaseUrl(e.GRAPH_BASE_URL);
  } catch {
    throw new GraphConfigError(['GRAPH_BASE_URL: not a valid URL (expected e.g. https://graph.microsoft.com/v1.0 or http://127.0.0.1:3979/v1.0)']);
  }
  if (split.url.protocol !== 'http:' && split.url.protocol !== 'https:') {
    throw new GraphConfigError(['GRAPH_BASE_URL: must be an http(s) URL']);
  }
  if (split.url.username || split.url.password) throw new GraphConfigError(['GRAPH_BASE_URL: must not carry a user name or password']);
  const baseUrl = `${split.host}${split.version}`;

  if (isLoopbackHost(split.url.hostname)) {
    return { mode: 'loopback', baseUrl, host: split.host, version: split.version };
  }
  if (split.url.protocol !== 'https:') problems.push('GRAPH_BASE_URL: a non-loopback Graph endpoint must use https');

  let authorityHost = authorityHostFor(split.url.hostname);
  if (e.AZURE_AUTHORITY_HOST) {
    let a: URL | undefined;
    try {
      a = new URL(e.AZURE_AUTHORITY_HOST);
    } catch {
      /* reported below */
    }
    if (!a || a.protocol !== 'https:') problems.push('AZURE_AUTHORITY_HOST: must be an https URL such as https://login.microsoftonline.us');
    else authorityHost = a.origin;
  }
  const auth = readAuth(e, problems, authorityHost);
  if (problems.length || !auth) {
    if (!auth && !problems.length) {
      problems.push(
        'GRAPH_BASE_URL points at a real Graph endpoint but no credentials are set: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH), or GRAPH_AUTH=managed-identity',
      );
    }
    throw new GraphConfigError(problems);
  }
  return { mode: 'graph', baseUrl, host: split.host, version: split.version, auth, scope: `${split.url.origin}/.default` };
}

function readAuth(e: z.infer<typeof EnvSchema>, problems: string[], authorityHost?: string): Exclude<GraphAuth, { kind: 'none' }> | undefined {
  // National clouds sign in at their own authority (authorityHostFor in src/graph/config.ts).
  const authority = authorityHost ? { authorityHost } : {};
  if (e.AZURE_CLIENT_ID !== undefined && !isGuid(e.AZURE_CLIENT_ID)) problems.push('AZURE_CLIENT_ID: must be an application (client) id, a GUID');
  if (e.GRAPH_AUTH === 'managed-identity') {
    return { kind: 'managed-identity', ...(e.AZURE_CLIENT_ID ? { clientId: e.AZURE_CLIENT_ID } : {}) };
  }
  const wantsSecret = e.GRAPH_AUTH === 'client-secret' || (!e.GRAPH_AUTH && e.AZURE_CLIENT_SECRET !== undefined);
  const wantsCert = e.GRAPH_AUTH === 'certificate' || (!e.GRAPH_AUTH && e.AZURE_CLIENT_CERTIFICATE_PATH !== undefined);
  if (!e.GRAPH_AUTH && e.AZURE_CLIENT_SECRET !== undefined && e.AZURE_CLIENT_CERTIFICATE_PATH !== undefined) {
    problems.push('AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH are both set: keep one, or choose with GRAPH_AUTH=client-secret|certificate');
    return undefined;
  }
  if (!wantsSecret && !wantsCert) {
    if (e.AZURE_TENANT_ID || e.AZURE_CLIENT_ID) {
      problems.push('AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH is missing (or set GRAPH_AUTH=managed-identity)');
    }
    return undefined;
  }
  if (!e.AZURE_TENANT_ID) problems.push('AZURE_TENANT_ID: required for app-only access to Graph');
  else if (!TENANT.safeParse(e.AZURE_TENANT_ID).success) problems.push('AZURE_TENANT_ID: must be the directory (tenant) id or a domain name');
  if (!e.AZURE_CLIENT_ID) problems.push('AZURE_CLIENT_ID: required for app-only access to Graph');
  if (wantsSecret) {
    if (!e.AZURE_CLIENT_SECRET) problems.push('AZURE_CLIENT_SECRET: required with GRAPH_AUTH=client-secret');
    if (problems.length) return undefined;
    return { kind: 'client-secret', tenantId: e.AZURE_TENANT_ID!, clientId: e.AZURE_CLIENT_ID!, clientSecret: e.AZURE_CLIENT_SECRET!, ...authority };
  }
  if (!e.AZURE_CLIENT_CERTIFICATE_PATH) problems.push('AZURE_CLIENT_CERTIFICATE_PATH: required with GRAPH_AUTH=certificate');
  else if (!existsSync(e.AZURE_CLIENT_CERTIFICATE_PATH)) problems.push('AZURE_CLIENT_CERTIFICATE_PATH: file not found');
  if (problems.length) return undefined;
  return { kind: 'certificate', tenantId: e.AZURE_TENANT_ID!, clientId: e.AZURE_CLIENT_ID!, certificatePath: e.AZURE_CLIENT_CERTIFICATE_PATH!, ...authority };
}

/** SANDBOX_TENANT and SANDBOX_PORT for the standalone sandbox (`npm run sandbox`); its flags override them. */
export function loadSandboxEnv(env: NodeJS.ProcessEnv): { tenant?: string; port?: number } {
  const tenant = env.SANDBOX_TENANT?.trim();
  const port = env.SANDBOX_PORT?.trim();
  return { ...(tenant ? { tenant } : {}), ...(port ? { port: Number(port) } : {}) };
}

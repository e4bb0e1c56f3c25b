// Graph configuration as typed values, and helpers on them. Three modes:
//   sandbox   GRAPH_BASE_URL unset: the composition root starts the bundled sandbox tenant on
//             127.0.0.1:SANDBOX_PORT and connects to it as a loopback endpoint
//   loopback  GRAPH_BASE_URL on 127.0.0.0/8, ::1 or localhost: a sandbox started apart; no credentials
//   graph     any other GRAPH_BASE_URL (https only): needs credentials (client secret, certificate
//             or managed identity)
// The environment is read in one place, src/config.ts (src/config/graph.ts for these variables).

export type GraphAuth =
  | { kind: 'client-secret'; tenantId: string; clientId: string; clientSecret: string; authorityHost?: string }
  | { kind: 'certificate'; tenantId: string; clientId: string; certificatePath: string; authorityHost?: string }
  | { kind: 'managed-identity'; clientId?: string }
  | { kind: 'none' };

export type GraphConfig =
  | { mode: 'sandbox'; tenantFile: string; port: number; host: '127.0.0.1' }
  | { mode: 'loopback'; baseUrl: string; host: string; version: string }
  | { mode: 'graph'; baseUrl: string; host: string; version: string; auth: Exclude<GraphAuth, { kind: 'none' }>; scope: string };

export class GraphConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Graph configuration is invalid: ${problems.join('; ')}`);
    this.name = 'GraphConfigError';
  }
}

/**
 * The Microsoft Entra sign-in host of the cloud that serves `graphHost` (a token from the global
 * cloud is refused by a national cloud's Graph): US Government (L4 and DoD) and China. undefined:
 * the global cloud (login.microsoftonline.com, @azure/identity's default).
 */
export function authorityHostFor(graphHost: string): string | undefined {
  const h = graphHost.toLowerCase();
  if (h === 'graph.microsoft.us' || h === 'dod-graph.microsoft.us') return 'https://login.microsoftonline.us';
  if (h === 'microsoftgraph.chinacloudapi.cn') return 'https://login.chinacloudapi.cn';
  return undefined;
}

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Splits `https://graph.microsoft.com/v1.0` into host root and version (v1.0 when absent). */
export function splitBaseUrl(raw: string): { host: string; version: string; url: URL } {
  const url = new URL(raw);
  const segments = url.pathname.split('/').filter(Boolean);
  let version = 'v1.0';
  if (segments.length && /^(v1\.0|beta)$/i.test(segments[segments.length - 1])) version = segments.pop()!;
  const host = `${url.protocol}//${url.host}${segments.length ? '/' + segments.join('/') : ''}/`;
  return { host, version, url };
}

/** A loopback endpoint (a sandbox on 127.0.0.1) as a Graph configuration: no credentials. */
export function loopbackGraph(baseUrl: string): Extract<GraphConfig, { mode: 'loopback' }> {
  const split = splitBaseUrl(baseUrl);
  if (!isLoopbackHost(split.url.hostname)) throw new GraphConfigError([`${baseUrl} is not a loopback address`]);
  return { mode: 'loopback', baseUrl: `${split.host}${split.version}`, host: split.host, version: split.version };
}

/** One line for start-up logs: where Graph is and how we sign in, never a secret. */
export function describeGraphConfig(cfg: GraphConfig): string {
  switch (cfg.mode) {
    case 'sandbox':
      return `sandbox tenant ${cfg.tenantFile} on http://${cfg.host}:${cfg.port}/v1.0`;
    case 'loopback':
      return `sandbox at ${cfg.baseUrl} (loopback, no credentials)`;
    case 'graph': {
      const how =
        cfg.auth.kind === 'managed-identity'
          ? `managed identity${cfg.auth.clientId ? ` (client ${cfg.auth.clientId})` : ''}`
          : `${cfg.auth.kind} for app ${cfg.auth.clientId} in tenant ${cfg.auth.tenantId}${cfg.auth.authorityHost ? ` (sign-in at ${cfg.auth.authorityHost})` : ''}`;
      return `Microsoft Graph at ${cfg.baseUrl} with ${how}`;
    }
  }
}

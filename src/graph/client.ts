// Builds the @microsoft/microsoft-graph-client Client that the gateway uses.
//
// The middleware chain is the SDK's default one (its last link, HTTPMessageHandler, sends with
// Node's fetch: keep-alive, gzip/deflate) with one link replaced. The RetryHandler becomes ReadRetryHandler:
// the SDK's handler retries any request on 429/503/504, POSTs included, which would re-send an
// assignLicense whose first attempt may have succeeded behind the 429. Ours retries reads only
// (GET), also on 500/502 and network errors, and honours Retry-After; writes (and $batch, which
// may carry writes) come back to the gateway, which re-reads the user before trying again.
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  TelemetryHandler,
  type AuthenticationProvider,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import type { TokenCredential } from '@azure/identity';
import type { GraphAuth } from './config';
import { isTransientStatus, parseRetryAfter } from './errors';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** Counters shared by the client and the gateway (benchmarks and tests read them). */
export interface GraphStats {
  /** HTTP requests sent, retries included ($batch counts once). */
  httpRequests: number;
  /** Requests carried inside $batch bodies. */
  batchSubRequests: number;
  /** Requests sent again after a transient failure (reads by the middleware, writes and batch items by the gateway). */
  retries: number;
  /** 429 answers seen (plain or inside a batch). */
  throttled: number;
}
export const newStats = (): GraphStats => ({ httpRequests: 0, batchSubRequests: 0, retries: 0, throttled: 0 });

export interface RetryPolicy {
  /** Further attempts after the first, for reads. Default 4. */
  maxRetries?: number;
  /** Back-off base when Graph sends no Retry-After (doubles per attempt). Default 1000 ms. */
  baseDelayMs?: number;
  /** Longest single wait, Retry-After included. Default 300 s. */
  maxDelayMs?: number;
  /** Per-attempt timeout. Default 100 s (Graph's own gateway timeout). */
  requestTimeoutMs?: number;
  /** Injected in tests to observe waits without waiting. */
  sleep?: (ms: number) => Promise<void>;
}

export const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function resolvedPolicy(p: RetryPolicy = {}): Required<RetryPolicy> {
  return {
    maxRetries: p.maxRetries ?? 4,
    baseDelayMs: p.baseDelayMs ?? 1000,
    maxDelayMs: p.maxDelayMs ?? 300_000,
    requestTimeoutMs: p.requestTimeoutMs ?? 100_000,
    sleep: p.sleep ?? realSleep,
  };
}

/** Wait before attempt n+1 (n from 1): Retry-After when given, else exponential back-off with jitter. */
export function retryDelay(policy: Required<RetryPolicy>, attempt: number, retryAfterMs: number | undefined): number {
  const ms = retryAfterMs ?? policy.baseDelayMs * 2 ** (attempt - 1) * (1 + Math.random() * 0.2);
  return Math.min(ms, policy.maxDelayMs);
}

function methodOf(context: Context): string {
  const req = context.request as unknown;
  if (typeof req === 'string') return (context.options?.method ?? 'GET').toUpperCase();
  return ((req as { method?: string }).method ?? context.options?.method ?? 'GET').toUpperCase();
}

/** Connection refused, unknown host, bad certificate: trying again will not help. */
const PERMANENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ERR_INVALID_URL',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export interface NetworkError extends Error {
  /** ECONNREFUSED, ENOTFOUND, ... when known. */
  code?: string;
  permanent: boolean;
}

/** fetch's "TypeError: fetch failed" with the reason in `cause`, as one readable error. */
export function networkError(err: unknown): NetworkError {
  const e = err as Error & { cause?: { code?: string; message?: string; errors?: { code?: string }[] }; permanent?: boolean };
  if (typeof e?.permanent === 'boolean') return e as NetworkError;
  const timeout = e?.name === 'TimeoutError' || e?.name === 'AbortError';
  const code = e?.cause?.code ?? e?.cause?.errors?.[0]?.code;
  const out = new Error(timeout ? 'The request timed out' : `${e?.cause?.message || e?.message || 'network error'}`) as NetworkError;
  out.name = timeout ? 'TimeoutError' : 'NetworkError';
  if (code) out.code = code;
  // undici refuses some ports outright ("bad port"): as permanent as a refused connection.
  out.permanent = (!!code && PERMANENT_NETWORK_CODES.has(code)) || /^bad port$/i.test(e?.cause?.message ?? '');
  return out;
}

/** Retries GETs on 429/5xx/network errors and times every attempt out; never retries a write. */
export class ReadRetryHandler implements Middleware {
  private next?: Middleware;
  private readonly policy: Required<RetryPolicy>;

  constructor(
    policy: RetryPolicy = {},
    private readonly stats: GraphStats = newStats(),
  ) {
    this.policy = resolvedPolicy(policy);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const read = methodOf(context) === 'GET';
    for (let attempt = 1; ; attempt++) {
      context.options = { ...(context.options ?? {}), signal: AbortSignal.timeout(this.policy.requestTimeoutMs) as never };
      this.stats.httpRequests++;
      let failure: unknown;
      try {
        await this.next!.execute(context);
      } catch (err) {
        failure = err;
      }
      if (failure) failure = networkError(failure);
      const status = failure ? 0 : (context.response?.status ?? 0);
      if (status === 429) this.stats.throttled++;
      const retryable = read && attempt <= this.policy.maxRetries && (failure ? !(failure as NetworkError).permanent : isTransientStatus(status));
      if (!retryable) {
        if (failure) throw failure;
        return;
      }
      const retryAfter = failure ? undefined : parseRetryAfter(context.response?.headers.get('Retry-After'));
      // Free the connection before waiting.
      if (!failure) await context.response?.arrayBuffer().catch(() => undefined);
      this.stats.retries++;
      await this.policy.sleep(retryDelay(this.policy, attempt, retryAfter));
    }
  }
}

/** The SDK's TokenCredentialAuthenticationProvider, without the package's deep import path. */
export class TokenCredentialAuthProvider implements AuthenticationProvider {
  constructor(
    private readonly credential: TokenCredential,
    private readonly scopes: string[] = [GRAPH_SCOPE],
  ) {}

  async getAccessToken(): Promise<string> {
    const token = await this.credential.getToken(this.scopes);
    if (!token?.token) throw new Error('Could not get an access token for Microsoft Graph (the credential returned none).');
    return token.token;
  }
}

/** Loopback sandboxes check no token (and the client sends none over http); this one never leaves the process. */
export const loopbackAuthProvider: AuthenticationProvider = { getAccessToken: async () => 'sandbox' };

type IdentityLib = Pick<typeof import('@azure/identity'), 'ClientCertificateCredential' | 'ClientSecretCredential' | 'ManagedIdentityCredential'>;

/** The @azure/identity credential for `auth`. `lib`: the library (a spec passes look-alikes to see the options). */
export function credentialFor(auth: GraphAuth, lib?: IdentityLib): TokenCredential | undefined {
  if (auth.kind === 'none') return undefined;
  // Loaded only for real Graph: the sandbox and the CLI's --help start faster without it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } = lib ?? (require('@azure/identity') as typeof import('@azure/identity'));
  // National clouds sign in at their own authority (config.ts: authorityHostFor).
  switch (auth.kind) {
    case 'client-secret':
      return new ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret, auth.authorityHost ? { authorityHost: auth.authorityHost } : {});
    case 'certificate':
      return new ClientCertificateCredential(
        auth.tenantId,
        auth.clientId,
        { certificatePath: auth.certificatePath },
        auth.authorityHost ? { authorityHost: auth.authorityHost } : {},
      );
    case 'managed-identity':
      return auth.clientId ? new ManagedIdentityCredential({ clientId: auth.clientId }) : new ManagedIdentityCredential();
  }
}

export interface GraphClientOptions {
  /** Host root, e.g. https://graph.microsoft.com/ or http://127.0.0.1:3979/ */
  host: string;
  /** Default v1.0. */
  version?: string;
  /** Omit for a loopback sandbox. */
  credential?: TokenCredential;
  scope?: string;
  retry?: RetryPolicy;
  stats?: GraphStats;
}

export function createGraphClient(opts: GraphClientOptions): Client {
  const authProvider = opts.credential ? new TokenCredentialAuthProvider(opts.credential, [opts.scope ?? GRAPH_SCOPE]) : loopbackAuthProvider;
  const host = opts.host.endsWith('/') ? opts.host : `${opts.host}/`;
  const hostname = new URL(host).host;
  const middleware: Middleware[] = [
    new AuthenticationHandler(authProvider),
    new ReadRetryHandler(opts.retry, opts.stats),
    new RedirectHandler(new RedirectHandlerOptions()),
    new TelemetryHandler(),
    new HTTPMessageHandler(),
  ];
  return Client.initWithMiddleware({
    middleware,
    baseUrl: host,
    defaultVersion: opts.version ?? 'v1.0',
    // National clouds and proxies: the SDK only sends the token to hosts it knows.
    ...(hostname.toLowerCase() !== 'graph.microsoft.com' && host.startsWith('https:') ? { customHosts: new Set([hostname]) } : {}),
  });
}

// The HTTP side: restify with POST /api/messages, GET /healthz and GET /readyz. The bot never sees
// HTTP; it gets turns from the adapter. In local mode (no MicrosoftAppId) nothing but loopback is
// accepted: the server binds to 127.0.0.1 and refuses any other peer.
//
// Every request gets an id (a sane x-request-id header, else a new UUID), echoed in the
// x-request-id response header and carried by every log line written while serving it. Errors
// are answered as { error: { code, message } } in plain words: never a stack trace.
import { randomUUID } from 'node:crypto';
import restify from 'restify';
import { errorText, withLogContext, type Logger } from '../log';
import { activityProblem } from './activity';

export interface Probe {
  ok: boolean;
  detail?: Record<string, unknown>;
}

export interface ServerOptions {
  host: string;
  port: number;
  localMode: boolean;
  /** Hands one HTTP request to the adapter (CloudAdapter.process with the bot's logic). */
  processActivity(req: restify.Request, res: restify.Response): Promise<void>;
  /** GET /healthz: the process is up and the store answers. */
  health?: () => Promise<Probe> | Probe;
  /** GET /readyz: Graph answers. */
  ready?: () => Promise<Probe> | Probe;
  log: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** Bodies larger than this are refused with 413 (a Bot Framework activity is a few kB). */
export const MAX_BODY_BYTES = 256 * 1024;

/** The string with lone surrogates replaced by U+FFFD. */
export function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:@|-]{1,128}$/;

type Req = restify.Request & { planSwitchId?: string; planSwitchStart?: number };

/** The id log lines carry: the activity's id when it has a sane one, else the HTTP request's. */
function logIds(req: Req): { requestId: string; httpRequestId?: string } {
  const http = requestIdOf(req);
  const activityId = (req.body as { id?: unknown } | undefined)?.id;
  if (typeof activityId === 'string' && SANE_REQUEST_ID.test(activityId) && activityId !== http) return { requestId: activityId, httpRequestId: http };
  return { requestId: http };
}

function requestIdOf(req: Req): string {
  if (!req.planSwitchId) {
    const h = req.headers['x-request-id'] ?? req.headers['request-id'];
    const given = Array.isArray(h) ? h[0] : h;
    req.planSwitchId = given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
  }
  return req.planSwitchId;
}

/** What restify's own errors (bad JSON, too large, no route, wrong method) say, in plain words. */
function publicError(err: { name?: string; statusCode?: number; body?: { code?: string } }): { status: number; code: string; message: string } {
  const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  switch (err.name) {
    case 'InvalidContentError':
      return { status: 400, code: 'BadRequest', message: 'The body is not valid JSON.' };
    case 'PayloadTooLargeError':
    case 'RequestEntityTooLargeError':
      return { status: 413, code: 'PayloadTooLarge', message: `The body is larger than ${MAX_BODY_BYTES} bytes.` };
    case 'UnsupportedMediaTypeError':
      return { status: 415, code: 'UnsupportedMediaType', message: 'Send the activity as application/json.' };
    case 'ResourceNotFoundError':
      return { status: 404, code: 'NotFound', message: 'Not found. The bot serves POST /api/messages, GET /healthz and GET /readyz.' };
    case 'MethodNotAllowedError':
      return { status: 405, code: 'MethodNotAllowed', message: 'That method is not allowed here.' };
    case 'BadRequestError':
      return { status: 400, code: 'BadRequest', message: 'The request could not be read.' };
    default:
      return status < 500
        ? { status, code: err.body?.code && /^[A-Za-z]{1,40}$/.test(err.body.code) ? err.body.code : 'BadRequest', message: 'The request could not be served.' }
        : { status: 500, code: 'InternalError', message: 'Something went wrong on our side.' };
  }
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log;
  const server = restify.createServer({ name: 'plan-switch', handleUncaughtExceptions: false });
  server.pre((req: restify.Request, res: restify.Response, next: restify.Next) => {
    const r = req as Req;
    r.planSwitchStart = Date.now();
    res.setHeader('x-request-id', requestIdOf(r));
    return next();
  });
  // Only /api/messages has a body, and only JSON: nothing else (forms, multipart uploads) is read.
  // Every string of the activity well-formed (a lone surrogate would make encodeURIComponent throw
  // further down, e.g. when a name is looked up in Graph).
  const readJson = restify.plugins.jsonBodyParser({
    maxBodySize: MAX_BODY_BYTES,
    mapParams: false,
    reviver: (_key: string, value: unknown) => (typeof value === 'string' ? wellFormed(value) : value),
  } as restify.plugins.JsonBodyParserOptions);
  const jsonOnly = (req: restify.Request, res: restify.Response, next: restify.Next) => {
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
      res.send(415, { error: { code: 'UnsupportedMediaType', message: 'Send the activity as application/json.' } });
      return next(false);
    }
    // Channels do not compress what they send; a compressed (or claimed-compressed) body is not read.
    const encoding = String(req.headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    if (encoding !== 'identity' && encoding !== '') {
      res.send(415, { error: { code: 'UnsupportedMediaType', message: 'Send the activity uncompressed (no Content-Encoding).' } });
      return next(false);
    }
    return next();
  };

  // restify's own errors (body parser, routing) as { error: { code, message } }, no stack.
  // restify's error object: its toJSON/toString are replaced so the answer carries no internals.
  type RestifyError = Parameters<typeof publicError>[0] & { toJSON?: () => unknown; toString: () => string };
  server.on('restifyError', (req: restify.Request, res: restify.Response, err: RestifyError, cb: () => void) => {
    const e = publicError(err ?? {});
    const body = { error: { code: e.code, message: e.message } };
    err.toJSON = () => body;
    err.toString = () => `${e.code}: ${e.message}`;
    if (e.status >= 500) {
      withLogContext({ requestId: requestIdOf(req as Req) }, () => log.error('http.error', { method: req.method, path: req.getPath?.(), status: e.status, error: errorText(err) }));
    }
    return cb();
  });
  server.on('after', (req: restify.Request, res: restify.Response) => {
    const r = req as Req;
    const path = req.getPath?.() ?? '';
    const fields = { method: req.method, path: path.slice(0, 200), status: res.statusCode, ms: r.planSwitchStart ? Date.now() - r.planSwitchStart : undefined };
    withLogContext(logIds(r), () => {
      if (path === '/healthz' || path === '/readyz') {
        if (res.statusCode >= 400) log.warn('http.probe', fields);
      } else if (res.statusCode >= 500) log.error('http.request', fields);
      else if (res.statusCode >= 400) log.warn('http.request', fields);
      else log.info('http.request', fields);
    });
  });

  const localOnly = (req: restify.Request, res: restify.Response): boolean => {
    if (!opts.localMode) return true;
    const peer = req.socket?.remoteAddress ?? '';
    if (LOOPBACK.test(peer)) return true;
    log.warn('http.refused', { reason: 'local mode: not a loopback client', peer });
    res.send(403, { error: { code: 'Forbidden', message: 'Local mode: only loopback clients are served.' } });
    return false;
  };

  const loopbackFirst = (req: restify.Request, res: restify.Response, next: restify.Next) => (localOnly(req, res) ? next() : next(false));
  server.post('/api/messages', loopbackFirst, jsonOnly, ...readJson, async (req: restify.Request, res: restify.Response) => {
    await withLogContext(logIds(req as Req), async () => {
      const problem = activityProblem(req.body as unknown, { localMode: opts.localMode });
      if (problem) {
        log.warn('http.bad_activity', { problem });
        res.send(400, { error: { code: 'BadRequest', message: problem } });
        return;
      }
      try {
        await opts.processActivity(req, res);
      } catch (err) {
        log.error('http.activity_failed', { error: errorText(err) });
        if (!res.headersSent) res.send(400, { error: { code: 'BadRequest', message: 'The activity could not be read.' } });
      }
    });
  });

  // The probes are unauthenticated. In production they say ok / not ok and nothing else: a file
  // path, the Graph URL or the tenant's name tell a stranger about the installation. The details
  // go to the log; local mode (loopback only) still shows them to the developer.
  const probe = (fn: ServerOptions['health']) => async (req: restify.Request, res: restify.Response) => {
    if (!localOnly(req, res)) return;
    try {
      const r = fn ? await fn() : { ok: true };
      if (!r.ok) log.warn('http.probe_failed', { path: req.getPath?.(), ...(r.detail ?? {}) });
      res.send(r.ok ? 200 : 503, { status: r.ok ? 'ok' : 'unavailable', ...(opts.localMode ? (r.detail ?? {}) : {}) });
    } catch (err) {
      log.warn('http.probe_failed', { path: req.getPath?.(), error: errorText(err) });
      const detail = opts.localMode ? { error: err instanceof Error ? err.message.split('\n')[0] : String(err) } : {};
      res.send(503, { status: 'unavailable', ...detail });
    }
  };
  server.get('/healthz', probe(opts.health));
  server.get('/readyz', probe(opts.ready));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address() as { port: number };
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${address.port}`,
    port: address.port,
    // Stop accepting, let requests in hand finish for a moment, then drop what is left (a client
    // still pushing a body the server refused would otherwise hold the close forever).
    close: () =>
      new Promise<void>((resolve) => {
        const http = server.server;
        const timer = setTimeout(() => http.closeAllConnections(), 2_000);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        http.closeIdleConnections();
      }),
  };
}

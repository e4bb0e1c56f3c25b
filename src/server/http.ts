// The HTTP side: restify with POST /api/messages, GET /healthz and GET /readyz. The bot never sees
// HTTP; it gets turns from the adapter. In local mode (no MicrosoftAppId) nothing but loopback is
// accepted: the server binds to 127.0.0.1 and refuses any other peer.
import restify from 'restify';
import type { Logger } from '../bot/deps';

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

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const server = restify.createServer({ name: 'plan-switch', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1_000_000, mapParams: false, rejectUnknown: true }));

  const localOnly = (req: restify.Request, res: restify.Response): boolean => {
    if (!opts.localMode) return true;
    const peer = req.socket?.remoteAddress ?? '';
    if (LOOPBACK.test(peer)) return true;
    res.send(403, { error: { code: 'Forbidden', message: 'Local mode: only loopback clients are served.' } });
    return false;
  };

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    if (!localOnly(req, res)) return;
    const body = req.body as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof (body as { type?: unknown }).type !== 'string') {
      res.send(400, { error: { code: 'BadRequest', message: 'The body must be a Bot Framework activity (a JSON object with a type).' } });
      return;
    }
    try {
      await opts.processActivity(req, res);
    } catch (err) {
      opts.log.error('could not process an activity', { error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) res.send(400, { error: { code: 'BadRequest', message: 'The activity could not be read.' } });
    }
  });

  const probe = (fn: ServerOptions['health']) => async (req: restify.Request, res: restify.Response) => {
    if (!localOnly(req, res)) return;
    try {
      const r = fn ? await fn() : { ok: true };
      res.send(r.ok ? 200 : 503, { status: r.ok ? 'ok' : 'unavailable', ...(r.detail ?? {}) });
    } catch (err) {
      res.send(503, { status: 'unavailable', error: err instanceof Error ? err.message : String(err) });
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

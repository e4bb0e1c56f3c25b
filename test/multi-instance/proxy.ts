// A small round-robin load balancer in front of several bot instances, as Azure App Service's
// front end spreads the Bot Connector's POSTs to /api/messages over every instance: each request
// goes to the next instance in turn; an instance that refuses the connection (stopped, or not up
// yet during a rolling restart) is skipped for the next one, as a health-checked balancer would.
import http from 'node:http';

export interface RoundRobin {
  url: string;
  /** Requests answered, per instance URL. */
  served: Map<string, number>;
  close(): Promise<void>;
}

/** `targets()` is asked on every request, so instances can come and go. */
export async function roundRobinProxy(targets: () => string[]): Promise<RoundRobin> {
  const served = new Map<string, number>();
  let next = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const forward = (target: string, req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = http.request(`${target}${req.url ?? '/'}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host }, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const list = targets();
      for (let tried = 0; tried < list.length; tried++) {
        const target = list[next++ % list.length]!;
        try {
          const r = await forward(target, req, body);
          served.set(target, (served.get(target) ?? 0) + 1);
          res.writeHead(r.status, { 'content-type': r.headers['content-type'] ?? 'application/json' });
          res.end(r.body);
          return;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          // Not up, or gone (a kept-alive connection to a stopped instance): the next one. The
          // Bot Connector retries such a request too; the workflow's compare-and-set makes that safe.
          if (code !== 'ECONNREFUSED' && code !== 'ECONNRESET') break;
        }
      }
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end('{"error":"no instance answered"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    served,
    close: () =>
      new Promise<void>((r) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { createGraphClient, newStats } from '../../src/graph/client';
import { GraphError } from '../../src/graph/errors';
import { GraphGateway } from '../../src/graph/gateway';
import { freePort } from '../helpers/net';

// The Graph client's last link (the SDK's HTTPMessageHandler, Node's fetch) under the gateway,
// against a bare HTTP server that misbehaves on purpose: compressed answers, dropped connections, a
// body that stalls, a closed port.
const ORG = { value: [{ id: 'org-1', displayName: 'Contoso', countryLetterCode: 'NL' }] };

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

async function withServer(handler: Handler, fn: (url: string, connections: () => number) => Promise<void>): Promise<void> {
  let n = 0;
  let connections = 0;
  const server = http.createServer((req, res) => handler(req, res, ++n));
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    await fn(url, () => connections);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

function gatewayOn(url: string, retry: { maxRetries?: number; requestTimeoutMs?: number } = {}) {
  const stats = newStats();
  const policy = { sleep: async () => undefined, baseDelayMs: 1, ...retry };
  return { gateway: new GraphGateway(createGraphClient({ host: url, retry: policy, stats }), url, { retry: policy, stats }), stats };
}

async function failure(p: Promise<unknown>): Promise<GraphError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof GraphError, `expected a GraphError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

describe('graph transport (fetch under the Graph client)', () => {
  for (const [encoding, compress] of [
    ['gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
  ] as const) {
    it(`asks for compression and reads a ${encoding} answer as plain JSON`, async () => {
      let asked = '';
      await withServer(
        (req, res) => {
          asked = String(req.headers['accept-encoding']);
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': encoding });
          res.end(compress(Buffer.from(JSON.stringify(ORG))));
        },
        async (url) => {
          const org = await gatewayOn(url).gateway.organization();
          assert.equal(org.displayName, 'Contoso');
          assert.match(asked, new RegExp(encoding));
        },
      );
    });
  }

  // fetch hands a connection back when the body is consumed: a read that follows at once may open
  // a second one, never one per read.
  it('keeps its connections open for one read after another', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(ORG));
      },
      async (url, connections) => {
        const { gateway } = gatewayOn(url);
        for (let i = 0; i < 20; i++) await gateway.subscribedSkus().catch(() => gateway.organization());
        assert.ok(connections() <= 2, `${connections()} connections for 20 reads`);
      },
    );
  });

  it('a dropped connection on a read is tried again and then succeeds', async () => {
    await withServer(
      (req, res, n) => {
        if (n === 1) {
          req.socket.destroy();
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(ORG));
      },
      async (url) => {
        const { gateway, stats } = gatewayOn(url);
        assert.equal((await gateway.organization()).displayName, 'Contoso');
        assert.equal(stats.retries, 1);
      },
    );
  });

  it('a body that stops half way ends in a timeout error (as fetch reported it), not a hang', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
        res.write('{"value":[');
      },
      async (url) => {
        const { gateway } = gatewayOn(url, { maxRetries: 1, requestTimeoutMs: 300 });
        const err = await failure(gateway.organization());
        assert.equal(err.code, 'TimeoutError');
        assert.equal(err.status, 200);
      },
    );
  });

  it('a closed port is a network error, reported at once and not retried', async () => {
    const { gateway, stats } = gatewayOn(`http://127.0.0.1:${await freePort()}/`);
    const err = await failure(gateway.organization());
    assert.equal(err.code, 'NetworkError');
    assert.match(err.message, /ECONNREFUSED|could not be reached/);
    assert.equal(stats.retries, 0);
  });

  it('a POST body arrives whole, with its length, and a 204 keeps the connection for the next', async () => {
    const bodies: string[] = [];
    await withServer(
      (req, res) => {
        let b = '';
        req.on('data', (c) => (b += c));
        req.on('end', () => {
          bodies.push(`${req.method} ${req.headers['content-length']} ${b}`);
          res.writeHead(204);
          res.end();
        });
      },
      async (url, connections) => {
        const { gateway } = gatewayOn(url);
        for (let i = 0; i < 3; i++) assert.equal((await gateway.assignUserLicense(`user-${i}`, { addLicenses: [], removeLicenses: [] })).ok, true);
        assert.equal(bodies.length, 3);
        assert.match(bodies[0]!, /^POST \d+ /);
        assert.ok(connections() <= 2, `${connections()} connections for 3 writes`);
      },
    );
  });
});

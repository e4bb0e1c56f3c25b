// A free TCP port on 127.0.0.1, for tests, benchmarks and scripts that start servers.
import { createServer } from 'node:net';

/** Asked from the OS, then released (another process may take it in between: callers retry or check). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

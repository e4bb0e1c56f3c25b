// `plan-switch doctor`: opens Graph as the product does (same environment, same client), runs the
// read-only checks of src/doctor and prints them (text, or --json). Exit 0 when everything the
// product needs works, 1 otherwise.
import { messagesFor } from '../i18n';
import type { DoctorGraph } from '../doctor/run';
import type { CliOptions } from './args';
import { doctorText } from './doctor-format';

export interface DoctorSession {
  graph: DoctorGraph;
  close(): Promise<void>;
}

export type OpenDoctor = (env: NodeJS.ProcessEnv) => Promise<DoctorSession>;

/** Graph as configured by the environment; retries kept short so the whole check stays under a minute. */
export const openDoctor: OpenDoctor = async (env) => {
  const [{ loadGraphConfig }, { openGraph }, { RawGraphReads }] = await Promise.all([import('../config'), import('../compose'), import('../graph/doctor-reads')]);
  const conn = await openGraph(loadGraphConfig(env), { retry: { maxRetries: 2, maxDelayMs: 10_000, requestTimeoutMs: 20_000 } });
  const raw = new RawGraphReads(conn.client);
  return {
    graph: {
      graphBaseUrl: conn.graphBaseUrl,
      accessToken: () => conn.accessToken(),
      get: (path, headers) => raw.get(path, headers),
      post: (path, body) => raw.post(path, body),
    },
    close: () => conn.close(),
  };
};

export async function doctorCommand(opts: CliOptions, io: { stdout(t: string): void; env: NodeJS.ProcessEnv }, open: OpenDoctor = openDoctor): Promise<number> {
  const { runDoctor } = await import('../doctor/run');
  const session = await open(io.env);
  try {
    const report = await runDoctor(session.graph, { ...(opts.group ? { group: opts.group } : {}), ...(opts.user ? { user: opts.user } : {}) });
    io.stdout(opts.json ? JSON.stringify(report, null, 2) : doctorText(report, messagesFor(opts.lang)));
    return report.ok ? 0 : 1;
  } finally {
    await session.close().catch(() => undefined);
  }
}

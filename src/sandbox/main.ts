#!/usr/bin/env node
// `npm run sandbox -- --tenant FILE --port N`: the sandbox tenant on its own, for tests,
// benchmarks and a bot started apart (GRAPH_BASE_URL). Defaults: SANDBOX_PORT or 3979,
// SANDBOX_TENANT or the bundled demo tenant. An invalid fixture lists its problems and exits 1.
import { join, resolve } from 'node:path';
import { loadSandboxEnv } from '../config';
import { FixtureError, startSandbox } from './index';

export const DEMO_TENANT = join(__dirname, '..', '..', '..', 'data', 'demo-tenant.json');
export const DEFAULT_PORT = 3979;

interface Args {
  tenant: string;
  port: number;
  host: string;
}

function usage(): string {
  return (
    'usage: node dist/src/sandbox/main.js [--tenant FILE] [--port N] [--host 127.0.0.1]\n' +
    `  defaults: --tenant $SANDBOX_TENANT or ${DEMO_TENANT}; --port $SANDBOX_PORT or ${DEFAULT_PORT}`
  );
}

/** `defaults`: SANDBOX_TENANT and SANDBOX_PORT as src/config.ts read them; the flags override them. */
export function parseArgs(argv: string[], defaults: { tenant?: string; port?: number } = {}): Args | string {
  const args: Args = {
    tenant: defaults.tenant ?? DEMO_TENANT,
    port: defaults.port ?? DEFAULT_PORT,
    host: '127.0.0.1',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--tenant':
      case '--fixture':
        args.tenant = value();
        break;
      case '--port':
        args.port = Number(value());
        break;
      case '--host':
        args.host = value();
        break;
      case '-h':
      case '--help':
        return usage();
      default:
        return `unknown argument ${argv[i]}\n${usage()}`;
    }
  }
  if (!args.tenant) return `--tenant needs a file\n${usage()}`;
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) return `invalid port\n${usage()}`;
  args.tenant = resolve(args.tenant);
  return args;
}

async function main(): Promise<void> {
  // An entry point: the environment is read here, through the one configuration loader.
  const args = parseArgs(process.argv.slice(2), loadSandboxEnv(process.env));
  if (typeof args === 'string') {
    const help = args.startsWith('usage');
    (help ? console.log : console.error)(args);
    process.exit(help ? 0 : 2);
  }
  try {
    const sb = await startSandbox({ fixture: args.tenant, port: args.port, host: args.host });
    console.log(`Sandbox tenant "${sb.tenant.displayName}" on ${sb.graphBaseUrl}`);
    const stop = () => {
      sb.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (e) {
    if (e instanceof FixtureError) console.error(e.message);
    else console.error(`Sandbox could not start: ${(e as Error).message}`);
    process.exit(1);
  }
}

if (require.main === module) void main();

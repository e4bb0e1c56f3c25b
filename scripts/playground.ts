// npm run playground: the bot on the built-in demo tenant (as `npm start` runs it: sandbox Graph
// on 127.0.0.1:3979, bot on 127.0.0.1:3978) and Microsoft 365 Agents Playground, a Teams-like
// web client that works offline, on http://localhost:56150 with the people of
// .m365agentsplayground.yml. Ctrl+C stops everything.
//
//   npm run playground                                   you are the config's current user
//   npm run playground -- --approver pieter.bakker@contoso.example
//                                                        plus a second playground on :56151 where
//                                                        that person (one of the config's users)
//                                                        is signed in, to approve requests
//
// The playground has one signed-in user per instance and a personal chat holds only that user
// and the bot, so a second administrator needs a second instance (test/e2e/README.md).
// Environment: PORT, SANDBOX_PORT, APPROVERS, STATE_DB... as for `npm start`;
// PLAYGROUND_PORT (default 56150); PLAYGROUND_APPROVER instead of --approver.
import path from 'node:path';
import { ROOT, configAs, startBot, startPlayground, writePlaygroundConfig, type Child } from '../test/e2e/kit';

/** The demo tenant's "License Admins" group (data/demo-tenant.json): its members approve. */
const DEMO_APPROVERS = 'group:a11ce000-0000-4000-8000-000000000100';

function usage(): never {
  console.error('usage: npm run playground [-- --approver <upn | name | Teams id of a user in .m365agentsplayground.yml>]');
  process.exit(2);
}

function parseArgs(argv: string[]): { approver?: string } {
  const out: { approver?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--approver') {
      const v = argv[++i];
      if (!v) usage();
      out.approver = v;
    } else if (a.startsWith('--approver=')) out.approver = a.slice('--approver='.length);
    else if (a === '-h' || a === '--help') usage();
    else {
      console.error(`unknown argument: ${a}`);
      usage();
    }
  }
  if (!out.approver && process.env.PLAYGROUND_APPROVER) out.approver = process.env.PLAYGROUND_APPROVER;
  return out;
}

function port(name: string, dflt: number): number {
  const v = process.env[name];
  if (!v) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`${name} must be a port number, got "${v}"`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const children: Child[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of [...children].reverse()) await c.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  const env: NodeJS.ProcessEnv = { ...process.env };
  const demo = !env.GRAPH_BASE_URL && !env.SANDBOX_TENANT;
  if (demo && !env.APPROVERS) {
    env.APPROVERS = DEMO_APPROVERS;
    console.log(`[playground] APPROVERS is not set: the demo tenant's License Admins approve (${DEMO_APPROVERS})`);
  }

  try {
    const bot = await startBot({ port: port('PORT', 3978), env, echo: '', timeoutMs: 120_000 });
    children.push(bot);
    void bot.exited.then((code) => {
      if (!stopping) {
        console.error(`[playground] the bot stopped (code ${code}); stopping the playground`);
        void stopAll(code || 1);
      }
    });

    const pg = await startPlayground({ endpoint: bot.endpoint, port: port('PLAYGROUND_PORT', 56150), cwd: ROOT, echo: true });
    children.push(pg);
    const live = await pg.config();
    console.log(`\n  Agents Playground: http://localhost:${pg.port}  (signed in as ${live.currentUser.name})`);

    if (args.approver) {
      const cfg = configAs(live, args.approver);
      const file = writePlaygroundConfig(path.join(ROOT, 'devTools', 'approver.m365agentsplayground.yml'), cfg);
      const second = await startPlayground({
        name: 'playground-approver',
        endpoint: bot.endpoint,
        port: pg.port + 1,
        configPath: file,
        cwd: ROOT,
        devLogFile: path.join(ROOT, 'devTools', 'm365agentsplayground-approver.log'),
        echo: true,
      });
      children.push(second);
      console.log(`  Approver's playground: http://localhost:${second.port}  (signed in as ${cfg.currentUser.name})`);
      console.log("  Open the approver's Personal Chat once first, so the bot knows where to send approval cards.");
    }
    console.log(`  Try: move group Sales to E3        (Ctrl+C stops the bot and the playground)\n`);
    for (const c of children.slice(1)) {
      void c.exited.then((code) => {
        if (!stopping) {
          console.error(`[playground] ${c.name} stopped (code ${code})`);
          void stopAll(code || 1);
        }
      });
    }
  } catch (err) {
    console.error(`[playground] ${err instanceof Error ? err.message : String(err)}`);
    await stopAll(1);
  }
}

void main();

// Process and playground plumbing for the end-to-end test (plan-switch.e2e.ts) and for
// `npm run playground` (scripts/playground.ts): start the bot (which starts its sandbox tenant),
// start Microsoft 365 Agents Playground instances, wait until they answer, stop them again.
// Only loopback addresses; every child runs in its own process group so it can be stopped with
// everything it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { sleep, waitFor as waitForValue } from '../helpers/wait';

/** The repository root (this file runs from dist/test/e2e/). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags that make Debian's chromium run headless and offline (see /work/shared/notes/teams.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// A free TCP port and a sleep, shared with the other specs and the benchmarks.
export { freePort } from '../helpers/net';
export { sleep };

/** waitFor with the patience of processes starting: 30 s, looking every 200 ms. */
export function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  return waitForValue(what, probe, timeoutMs, everyMs);
}

// Child processes ------------------------------------------------------------------------------

export interface Child {
  name: string;
  proc: ChildProcess;
  /** Everything it printed so far (the last 200 kB), for failure messages. */
  output(): string;
  /** Resolves with the text once `pattern` appears in its output; rejects if it exits first. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const running = new Set<Child>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when the parent dies without tearing down (mocha --exit, an uncaught error):
  // never leave a bot or a playground behind.
  process.on('exit', () => {
    for (const c of running) {
      try {
        if (c.proc.pid) process.kill(-c.proc.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

export interface StartOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Also write the output to this file. */
  logFile?: string;
  /** Echo the output to this process's stdout, each line prefixed with `[name] ` (or this string). */
  echo?: boolean | string;
}

export function startChild(name: string, command: string, args: string[], opts: StartOptions = {}): Child {
  installExitHook();
  const proc = spawn(command, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: stop() ends it and anything it started
  });
  let out = '';
  let log: WriteStream | undefined;
  if (opts.logFile) {
    mkdirSync(path.dirname(opts.logFile), { recursive: true });
    log = createWriteStream(opts.logFile);
  }
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    const s = chunk.toString('utf8');
    out = (out + s).slice(-200_000);
    log?.write(s);
    if (opts.echo !== undefined && opts.echo !== false) {
      const prefix = typeof opts.echo === 'string' ? opts.echo : `[${name}] `;
      process.stdout.write(prefix ? s.replace(/^(?=.)/gm, prefix) : s);
    }
    for (const w of waiters) w();
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? null : 0);
      running.delete(child);
      log?.end();
      for (const w of waiters) w();
      resolve(exitCode);
    });
    proc.once('error', (err) => {
      out += `\n[failed to start: ${err.message}]`;
      exitCode = -1;
      running.delete(child);
      for (const w of waiters) w();
      resolve(-1);
    });
  });

  const child: Child = {
    name,
    proc,
    output: () => out,
    exited,
    waitForOutput(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`${name}: timed out after ${timeoutMs} ms waiting for ${pattern}\n${tail(out)}`)), timeoutMs);
        const check = () => {
          const m = out.match(pattern);
          if (m) done(undefined, m);
          else if (exitCode !== undefined) done(new Error(`${name} exited (code ${exitCode}) before printing ${pattern}\n${tail(out)}`));
        };
        const done = (err?: Error, m?: RegExpMatchArray) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (err) reject(err);
          else resolve(m!);
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (exitCode !== undefined || !proc.pid) return;
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {
        return;
      }
      const killed = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!killed) {
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
        await Promise.race([exited, sleep(2_000)]);
      }
    },
  };
  running.add(child);
  return child;
}

export function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

// The bot ----------------------------------------------------------------------------------------

export interface BotProcess extends Child {
  port: number;
  endpoint: string;
}

/**
 * Starts `node dist/src/index.js` (the bot; with no GRAPH_BASE_URL it also starts the sandbox
 * tenant on SANDBOX_PORT from the demo fixture) and waits until /readyz answers 200.
 */
export async function startBot(opts: {
  port: number;
  /** The whole environment of the bot (default: this process's); PORT is set from `port`. */
  env?: NodeJS.ProcessEnv;
  logFile?: string;
  echo?: boolean | string;
  timeoutMs?: number;
}): Promise<BotProcess> {
  const env = { ...(opts.env ?? process.env), PORT: String(opts.port) };
  const child = startChild('bot', process.execPath, [path.join(ROOT, 'dist', 'src', 'index.js')], {
    env,
    ...(opts.logFile ? { logFile: opts.logFile } : {}),
    ...(opts.echo !== undefined ? { echo: opts.echo } : {}),
  });
  const base = `http://127.0.0.1:${opts.port}`;
  try {
    await Promise.race([
      waitFor(
        `the bot on ${base}/readyz`,
        async () => {
          const res = await fetch(`${base}/readyz`);
          return res.status === 200 ? true : undefined;
        },
        opts.timeoutMs ?? 60_000,
        250,
      ),
      child.exited.then((code) => {
        throw new Error(`the bot exited (code ${code}) while starting:\n${tail(child.output())}`);
      }),
    ]);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return Object.assign(child, { port: opts.port, endpoint: `${base}/api/messages` });
}

// The Agents Playground ----------------------------------------------------------------------------

/** A user as the playground's config file has it (`userPrincipleName` is the playground's spelling). */
export interface PlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

/** `.m365agentsplayground.yml` (schema 0.1.1). JSON is valid YAML, so we write it as JSON. */
export interface PlaygroundConfigFile {
  version: '0.1.1';
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: PlaygroundUser;
  /** Exactly five: the playground's schema demands it. */
  users: PlaygroundUser[];
  personalChat: { id: string };
  groupChat: { id: string; name: string };
  team: { id: string; name: string; aadGroupId: string; channels: { id: string; name: string }[] };
}

/** What GET /_internal/v1/config answers (the parsed config). */
export interface PlaygroundLiveConfig {
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  personalChat: { id: string; name: string };
  groupChats: { id: string; name: string; members: string[] }[];
  teams: { id: string; name: string; aadGroupId: string; channels: { id: string; name: string }[] }[];
}

export interface PlaygroundProcess extends Child {
  port: number;
  url: string;
  config(): Promise<PlaygroundLiveConfig>;
}

const PLAYGROUND_CLI = () => require.resolve('@microsoft/m365agentsplayground/cli.js', { paths: [ROOT] });

/**
 * Starts `agentsplayground -c msteams` against the bot. `configPath` is its config file (default:
 * `.m365agentsplayground.yml` in `cwd`). It falls back to a random port when `port` is taken, so
 * the port is read from its "Listening on N" line.
 */
export async function startPlayground(opts: {
  name?: string;
  endpoint: string;
  port: number;
  configPath?: string;
  cwd?: string;
  logFile?: string;
  devLogFile?: string;
  echo?: boolean | string;
}): Promise<PlaygroundProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' };
  if (opts.configPath) env.M365_AGENTS_PLAYGROUND_CONFIG_PATH = opts.configPath;
  if (opts.devLogFile) env.M365_AGENTS_PLAYGROUND_LOGFILE = opts.devLogFile;
  const child = startChild(opts.name ?? 'playground', process.execPath, [PLAYGROUND_CLI(), '-e', opts.endpoint, '-c', 'msteams', '-p', String(opts.port), '--disable-telemetry'], {
    env,
    cwd: opts.cwd ?? ROOT,
    ...(opts.logFile ? { logFile: opts.logFile } : {}),
    ...(opts.echo !== undefined ? { echo: opts.echo } : {}),
  });
  let port: number;
  try {
    const m = await child.waitForOutput(/Listening on (\d+)/, 30_000);
    port = Number(m[1]);
    const url = `http://127.0.0.1:${port}`;
    await waitFor(`the playground on ${url}`, async () => ((await fetch(`${url}/_internal/v1/config`)).ok ? true : undefined), 15_000);
  } catch (err) {
    await child.stop();
    throw err;
  }
  const url = `http://127.0.0.1:${port}`;
  return Object.assign(child, {
    port,
    url,
    async config() {
      const res = await fetch(`${url}/_internal/v1/config`);
      if (!res.ok) throw new Error(`GET ${url}/_internal/v1/config: ${res.status}`);
      return ((await res.json()) as { config: PlaygroundLiveConfig }).config;
    },
  });
}

/** Writes a playground config file (as JSON, which YAML reads). */
export function writePlaygroundConfig(file: string, cfg: PlaygroundConfigFile): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `# Generated for Plan Switch's end-to-end test / playground; JSON is YAML.\n${JSON.stringify(cfg, null, 2)}\n`);
  return file;
}

/**
 * The same playground world seen by another person: `who` (a user id, UPN or name from `users`)
 * becomes the current user, the former current user joins `users`, and the personal chat gets
 * its own id (each person has their own chat with the bot).
 */
export function configAs(live: PlaygroundLiveConfig, who: string): PlaygroundConfigFile {
  const w = who.toLowerCase();
  const me = live.users.find((u) => [u.id, u.userPrincipleName, u.email, u.name, u.aadObjectId].some((v) => v?.toLowerCase() === w));
  if (!me) {
    throw new Error(`"${who}" is not one of the playground's users: ${live.users.map((u) => `${u.name} <${u.userPrincipleName}>`).join(', ')}`);
  }
  const team = live.teams[0];
  const group = live.groupChats[0];
  return {
    version: '0.1.1',
    tenantId: live.tenantId,
    bot: { id: live.bot.id, name: live.bot.name },
    currentUser: me,
    users: [live.currentUser, ...live.users.filter((u) => u !== me)].slice(0, 5),
    personalChat: { id: `${live.personalChat.id}-${slug(me.userPrincipleName || me.id)}` },
    groupChat: { id: group?.id ?? 'group-chat', name: group?.name ?? 'Group Chat' },
    team: {
      id: team?.id ?? 'team-id',
      name: team?.name ?? 'Team',
      aadGroupId: team?.aadGroupId ?? '00000000-0000-0000-0000-000000000000',
      // The General channel's id is the team's; only the other one belongs in the file.
      channels: (team?.channels ?? [])
        .filter((c) => c.id !== team?.id)
        .slice(0, 1)
        .map((c) => ({ id: c.id, name: c.name })),
    },
  };
}

export function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/@.*$/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'user'
  );
}

// Argument parsing for plan-switch: node:util parseArgs plus the few rules of our own (exactly one
// principal, a users file read into a list). Throws UsageError: its sentence comes from the message
// tables (cli.usage) in the language of --lang; its message is the English one.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ChangeSpec, PrincipalQuery } from '../licensing/model';
import { en, type Lang, type Messages } from '../i18n';
import { countryCode } from '../reference/countries';
import { MAX_PLANS } from '../licensing/change-plans';

export class UsageError extends Error {
  /** `say`: the sentence in a language's tables (cli.usage). */
  constructor(readonly say: (t: Messages) => string) {
    super(say(en));
    this.name = 'UsageError';
  }
}

const usage = (say: (u: Messages['cli']['usage']) => string) => new UsageError((t) => say(t.cli.usage));

/** Node's parseArgs errors (English, by code) as our own sentences: the option they name. */
function parseArgsError(err: unknown): UsageError {
  const e = err as { code?: string; message?: string };
  const message = (e.message || '').split('\n')[0]!;
  const option = /'(?:-\w, )?(--?[\w-]+)/.exec(message)?.[1];
  if (option && e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return usage((u) => u.unknownOption(option));
  if (option && e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return usage((u) => (/does not take an argument/.test(message) ? u.takesNoValue(option) : u.missingValue(option)));
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']*)'/.exec(message)?.[1] ?? '';
    return usage((u) => u.unexpectedArgument(arg));
  }
  return usage((u) => u.invalid(message.replace(/\. To specify.*$/, '.')));
}

/**
 * The --lang of argv as far as it can be read without parsing the rest: for a usage error found
 * before (or while) the language is known. English when --lang is absent or not en / nl (the error
 * about a bad --lang itself is then said in English).
 */
export function langOfArgv(argv: string[]): Lang {
  let lang: Lang = 'en';
  argv.forEach((a, i) => {
    const v = a === '--lang' ? argv[i + 1] : a.startsWith('--lang=') ? a.slice('--lang='.length) : undefined;
    const l = v?.trim().toLowerCase();
    if (l === 'en' || l === 'nl') lang = l;
  });
  return lang;
}

export const COMMANDS = ['preflight', 'swap', 'adopt', 'split-teams', 'join-teams', 'status', 'plans', 'doctor', 'reprocess', 'pause', 'resume', 'cancel', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  command: Command;
  json: boolean;
  /** --lang: the language of the findings (the message tables the cards use). */
  lang: Lang;
  help: boolean;
  yes: boolean;
  wait: boolean;
  timeoutMs?: number;
  pollMs?: number;
  principal?: PrincipalQuery;
  spec?: ChangeSpec;
  /** adopt: only check (write nothing); the pilot and wave sizes. */
  dryRun?: boolean;
  waves?: { pilot?: number; size?: number };
  /** Teams unbundling: the license service proposes the plans (split-teams, join-teams, or --split-teams / --join-teams). */
  teams?: 'split' | 'join';
  /** pause / resume / cancel: the change request, and who acts (--as UPN: the requester or an approver). */
  requestId?: string;
  as?: string;
  /** doctor: the group and the user to try the reads on. */
  group?: string;
  user?: string;
}

const OPTIONS = {
  group: { type: 'string' },
  user: { type: 'string' },
  'users-file': { type: 'string' },
  from: { type: 'string', multiple: true },
  to: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  'include-direct': { type: 'boolean' },
  'set-usage-location': { type: 'string' },
  'split-teams': { type: 'boolean' },
  'join-teams': { type: 'boolean' },
  enable: { type: 'string', multiple: true },
  disable: { type: 'string', multiple: true },
  yes: { type: 'boolean', short: 'y' },
  'no-wait': { type: 'boolean' },
  timeout: { type: 'string' },
  'poll-ms': { type: 'string' },
  plan: { type: 'string' },
  'accept-loss': { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  pilot: { type: 'string' },
  'wave-size': { type: 'string' },
  as: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Which options each command accepts (besides --help, --json and --lang). */
const ALLOWED: Record<Command, string[]> = {
  preflight: ['group', 'user', 'users-file', 'from', 'to', 'include-direct', 'enable', 'disable', 'set-usage-location', 'split-teams', 'join-teams'],
  swap: [
    'group',
    'user',
    'users-file',
    'from',
    'to',
    'include-direct',
    'enable',
    'disable',
    'set-usage-location',
    'yes',
    'no-wait',
    'timeout',
    'poll-ms',
    'split-teams',
    'join-teams',
    'pilot',
    'wave-size',
  ],
  adopt: ['group', 'plan', 'to', 'accept-loss', 'enable', 'disable', 'dry-run', 'yes', 'timeout', 'poll-ms', 'pilot', 'wave-size'],
  'split-teams': ['group', 'user'],
  'join-teams': ['group', 'user'],
  status: ['group', 'user'],
  plans: [],
  doctor: ['group', 'user'],
  reprocess: ['group', 'user', 'yes'],
  pause: ['as'],
  resume: ['as'],
  cancel: ['as'],
  help: [],
};

/** One UPN or object id per line; blank lines and # comments ignored. */
export function readUsersFile(path: string, read: (p: string) => string = (p) => readFileSync(p, 'utf8')): string[] {
  let text: string;
  try {
    text = read(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw usage((u) => u.usersFileUnreadable(path, code));
  }
  const users = text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
  if (!users.length) throw usage((u) => u.usersFileEmpty(path));
  return users;
}

function positiveNumber(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw usage((u) => u.notANumber(name, raw));
  return n;
}

/** --timeout SECONDS and --poll-ms MS, when given. */
function readTiming(v: { timeout?: string; 'poll-ms'?: string }, opts: CliOptions): void {
  const timeout = positiveNumber('timeout', v.timeout);
  if (timeout !== undefined) opts.timeoutMs = timeout * 1000;
  const poll = positiveNumber('poll-ms', v['poll-ms']);
  if (poll !== undefined) opts.pollMs = Math.max(1, poll);
}

/** --pilot N and --wave-size N, when either is given; a pilot of 0 only where `pilotMayBeZero`. */
function readWaves(v: { pilot?: string; 'wave-size'?: string }, pilotMayBeZero: boolean): CliOptions['waves'] {
  const pilot = positiveNumber('pilot', v.pilot);
  const size = positiveNumber('wave-size', v['wave-size']);
  if (pilot === 0 && !pilotMayBeZero) throw usage((u) => u.atLeastOne('pilot'));
  if (size === 0) throw usage((u) => u.atLeastOne('wave-size'));
  if (pilot === undefined && size === undefined) return undefined;
  return { ...(pilot !== undefined ? { pilot: Math.floor(pilot) } : {}), ...(size !== undefined ? { size: Math.floor(size) } : {}) };
}

/** --enable and --disable SERVICE, when either is given. */
function planOverrides(v: { enable?: string[]; disable?: string[] }): ChangeSpec['planOverrides'] {
  if (!v.enable?.length && !v.disable?.length) return undefined;
  return { ...(v.enable?.length ? { enable: v.enable } : {}), ...(v.disable?.length ? { disable: v.disable } : {}) };
}

export function parseCli(argv: string[], readFile?: (p: string) => string): CliOptions {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true; args: string[] }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw parseArgsError(err);
  }
  const { values: v, positionals } = parsed;
  const first = positionals[0];
  const lang = v.lang === undefined ? 'en' : v.lang.trim().toLowerCase();
  if (lang !== 'en' && lang !== 'nl') throw usage((u) => u.badLang(v.lang!));
  if (!first) return { command: 'help', json: !!v.json, lang, help: true, yes: false, wait: true };
  if (!(COMMANDS as readonly string[]).includes(first)) throw usage((u) => u.unknownCommand(first, COMMANDS.filter((c) => c !== 'help').join(', ')));
  const command = first as Command;
  if (command === 'help') return { command, json: false, lang, help: true, yes: false, wait: true };
  const control = command === 'pause' || command === 'resume' || command === 'cancel';
  if (positionals.length > (control ? 2 : 1)) throw usage((u) => u.unexpectedArgument(positionals[control ? 2 : 1]!));
  const opts: CliOptions = { command, json: !!v.json, lang, help: !!v.help, yes: !!v.yes, wait: !v['no-wait'] };
  if (opts.help) return opts;
  if (control) {
    // A change request's waves: `plan-switch pause 12 --as anna@contoso.nl`.
    const id = positionals[1]?.trim().replace(/^#/, '');
    if (!id || !/^\d{1,12}$/.test(id)) throw usage((u) => u.whichRequest(command));
    if (!v.as?.trim()) throw usage((u) => u.whoAreYou(id));
    for (const key of Object.keys(v)) if (!['as', 'json', 'lang', 'help'].includes(key)) throw usage((u) => u.notTaken(command, key));
    return { ...opts, requestId: id, as: v.as.trim() };
  }

  for (const key of Object.keys(v)) {
    if (key === 'help' || key === 'json' || key === 'lang') continue;
    if (!ALLOWED[command].includes(key)) throw usage((u) => u.notTaken(command, key));
  }

  if (command === 'plans') return opts;
  if (command === 'doctor') {
    // Both optional here: the group and the user the reads are tried on.
    if (v.group !== undefined && v.group.trim()) opts.group = v.group.trim();
    if (v.user !== undefined && v.user.trim()) opts.user = v.user.trim();
    return opts;
  }

  if (command === 'adopt') {
    // The group takes over the plan its members hold directly (--plan optional: inferred).
    if (v.group === undefined || !v.group.trim()) throw usage((u) => u.adoptWhichGroup);
    if (v.plan !== undefined && v.to !== undefined) throw usage((u) => u.planOnce);
    if ((v.to?.length ?? 0) > 1) throw usage((u) => u.planOnce);
    const planName = (v.plan ?? v.to?.[0] ?? '').trim();
    const accept = (v['accept-loss'] ?? [])
      .flatMap((x) => x.split(','))
      .map((x) => x.trim())
      .filter(Boolean);
    const spec: ChangeSpec = { principal: { kind: 'group', group: v.group.trim() }, to: planName, adopt: accept.length ? { acceptLoss: accept } : {} };
    const overrides = planOverrides(v);
    if (overrides) spec.planOverrides = overrides;
    opts.principal = spec.principal;
    opts.spec = spec;
    opts.dryRun = !!v['dry-run'];
    // An adopt may skip its pilot (--pilot 0).
    const waves = readWaves(v, true);
    if (waves) opts.waves = waves;
    readTiming(v, opts);
    return opts;
  }

  const given = (['group', 'user', 'users-file'] as const).filter((k) => v[k] !== undefined);
  const allowedPrincipals = command === 'status' || command === 'reprocess' ? ['--group', '--user'] : ['--group', '--user', '--users-file'];
  if (given.length !== 1) throw usage((u) => (given.length ? u.onlyOneOf(allowedPrincipals) : u.sayWho(allowedPrincipals)));
  const empty = given.find((k) => !String(v[k]).trim());
  if (empty) throw usage((u) => u.needsValue(empty));
  opts.principal =
    v.group !== undefined
      ? { kind: 'group', group: v.group.trim() }
      : v.user !== undefined
        ? { kind: 'user', user: v.user.trim() }
        : { kind: 'users', users: readUsersFile(v['users-file']!, readFile) };

  if (command === 'status' || command === 'reprocess') return opts;

  // Teams unbundling: the service proposes from and to; it works on one user or one group.
  const teams = command === 'split-teams' || v['split-teams'] ? 'split' : command === 'join-teams' || v['join-teams'] ? 'join' : undefined;
  if (teams) {
    if (v['split-teams'] && v['join-teams']) throw usage((u) => u.teamsBoth);
    if (opts.principal.kind === 'users') throw usage((u) => u.teamsOneAtATime);
    const own = ['from', 'to', 'include-direct', 'enable', 'disable', 'set-usage-location'].find((k) => v[k as keyof typeof v] !== undefined);
    const kind = opts.principal.kind;
    if (own) throw usage((u) => u.teamsProposes(own, teams === 'split' ? 'split-teams' : 'join-teams', kind));
    opts.teams = teams;
    if (command === 'split-teams' || command === 'join-teams') opts.command = 'preflight';
    readTiming(v, opts);
    return opts;
  }

  // --to and --from are repeatable: several plans in one change (one assignLicense call each).
  const tos = v.to ?? [];
  const froms = v.from ?? [];
  if (!tos.length) throw usage((u) => u.whichTarget);
  if (tos.some((x) => !x.trim())) throw usage((u) => u.needsValue('to'));
  if (froms.some((x) => !x.trim())) throw usage((u) => u.needsValue('from'));
  if (tos.length > MAX_PLANS || froms.length > MAX_PLANS) throw usage((u) => u.tooManyPlans(MAX_PLANS));
  if (v['include-direct'] && opts.principal.kind !== 'group') throw usage((u) => u.includeDirectGroupOnly);
  const spec: ChangeSpec = { principal: opts.principal, to: tos[0]!.trim() };
  if (tos.length > 1) spec.alsoTo = tos.slice(1).map((x) => x.trim());
  if (froms.length) spec.from = froms[0]!.trim();
  if (froms.length > 1) spec.alsoFrom = froms.slice(1).map((x) => x.trim());
  if (v['include-direct']) spec.includeDirectCopies = true;
  if (v['set-usage-location'] !== undefined) {
    const raw = v['set-usage-location'].trim();
    const code = countryCode(raw);
    if (!code) throw usage((u) => u.badCountry(raw));
    spec.setUsageLocation = { country: code };
  }
  const overrides = planOverrides(v);
  if (overrides) spec.planOverrides = overrides;
  opts.spec = spec;
  if (v.pilot !== undefined || v['wave-size'] !== undefined) {
    // A users list in waves (swap): a pilot, then waves of this size, each checked before the next.
    if (opts.principal.kind !== 'users') throw usage((u) => u.wavesUsersOnly);
    opts.waves = readWaves(v, false);
  }
  readTiming(v, opts);
  return opts;
}

/** The English help (plan-switch --help prints the one of --lang: messagesFor(lang).cli.help). */
export const HELP = en.cli.help;

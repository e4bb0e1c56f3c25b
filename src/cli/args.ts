// Argument parsing for plan-switch: node:util parseArgs plus the few rules of our own (exactly one
// principal, a users file read into a list). Throws UsageError with a one-line message.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ChangeSpec, PrincipalQuery } from '../licensing/model';
import type { Lang } from '../i18n';
import { countryCode } from '../reference/countries';
import { MAX_PLANS } from '../licensing/change-plans';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
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
    throw new UsageError(`Cannot read users file '${path}'${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}.`);
  }
  const users = text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
  if (!users.length) throw new UsageError(`The users file '${path}' names no users.`);
  return users;
}

function positiveNumber(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a number, not '${raw}'.`);
  return n;
}

export function parseCli(argv: string[], readFile?: (p: string) => string): CliOptions {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true; args: string[] }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(((err as Error).message || 'invalid arguments').split('\n')[0]!.replace(/\. To specify.*$/, '.'));
  }
  const { values: v, positionals } = parsed;
  const first = positionals[0];
  const lang = v.lang === undefined ? 'en' : v.lang.trim().toLowerCase();
  if (lang !== 'en' && lang !== 'nl') throw new UsageError(`--lang must be en or nl, not '${v.lang}'.`);
  if (!first) return { command: 'help', json: !!v.json, lang, help: true, yes: false, wait: true };
  if (!(COMMANDS as readonly string[]).includes(first))
    throw new UsageError(`Unknown command '${first}'. Commands: ${COMMANDS.filter((c) => c !== 'help').join(', ')} (see plan-switch --help).`);
  const command = first as Command;
  if (command === 'help') return { command, json: false, lang, help: true, yes: false, wait: true };
  const control = command === 'pause' || command === 'resume' || command === 'cancel';
  if (positionals.length > (control ? 2 : 1)) throw new UsageError(`Unexpected argument '${positionals[control ? 2 : 1]}'.`);
  const opts: CliOptions = { command, json: !!v.json, lang, help: !!v.help, yes: !!v.yes, wait: !v['no-wait'] };
  if (opts.help) return opts;
  if (control) {
    // A change request's waves: `plan-switch pause 12 --as anna@contoso.nl`.
    const id = positionals[1]?.trim().replace(/^#/, '');
    if (!id || !/^\d{1,12}$/.test(id)) throw new UsageError(`Say which change request: plan-switch ${command} 12 --as UPN.`);
    if (!v.as?.trim()) throw new UsageError(`Say who you are: --as UPN (the person who asked for change ${id}, or an approver).`);
    for (const key of Object.keys(v)) if (!['as', 'json', 'lang', 'help'].includes(key)) throw new UsageError(`'${command}' does not take --${key}.`);
    return { ...opts, requestId: id, as: v.as.trim() };
  }

  for (const key of Object.keys(v)) {
    if (key === 'help' || key === 'json' || key === 'lang') continue;
    if (!ALLOWED[command].includes(key)) throw new UsageError(`'${command}' does not take --${key}.`);
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
    if (v.group === undefined || !v.group.trim()) throw new UsageError('Say which group: --group NAME|ID (its members hold the plan directly).');
    if (v.plan !== undefined && v.to !== undefined) throw new UsageError('Give the plan once: --plan PLAN.');
    if ((v.to?.length ?? 0) > 1) throw new UsageError('Give the plan once: --plan PLAN.');
    const planName = (v.plan ?? v.to?.[0] ?? '').trim();
    const accept = (v['accept-loss'] ?? [])
      .flatMap((x) => x.split(','))
      .map((x) => x.trim())
      .filter(Boolean);
    const spec: ChangeSpec = { principal: { kind: 'group', group: v.group.trim() }, to: planName, adopt: accept.length ? { acceptLoss: accept } : {} };
    if (v.enable?.length || v.disable?.length) spec.planOverrides = { ...(v.enable?.length ? { enable: v.enable } : {}), ...(v.disable?.length ? { disable: v.disable } : {}) };
    opts.principal = spec.principal;
    opts.spec = spec;
    opts.dryRun = !!v['dry-run'];
    const pilot = positiveNumber('pilot', v.pilot);
    const size = positiveNumber('wave-size', v['wave-size']);
    if (size === 0) throw new UsageError('--wave-size must be at least 1.');
    if (pilot !== undefined || size !== undefined)
      opts.waves = { ...(pilot !== undefined ? { pilot: Math.floor(pilot) } : {}), ...(size !== undefined ? { size: Math.floor(size) } : {}) };
    const timeout = positiveNumber('timeout', v.timeout);
    if (timeout !== undefined) opts.timeoutMs = timeout * 1000;
    const poll = positiveNumber('poll-ms', v['poll-ms']);
    if (poll !== undefined) opts.pollMs = Math.max(1, poll);
    return opts;
  }

  const given = (['group', 'user', 'users-file'] as const).filter((k) => v[k] !== undefined);
  const allowedPrincipals = command === 'status' || command === 'reprocess' ? '--group or --user' : '--group, --user or --users-file';
  if (given.length !== 1) throw new UsageError(given.length ? `Give only one of ${allowedPrincipals}.` : `Say who: ${allowedPrincipals}.`);
  const empty = given.find((k) => !String(v[k]).trim());
  if (empty) throw new UsageError(`--${empty} needs a value.`);
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
    if (v['split-teams'] && v['join-teams']) throw new UsageError('Give --split-teams or --join-teams, not both.');
    if (opts.principal.kind === 'users') throw new UsageError('Split Teams works on one user or one group: --group or --user.');
    const own = ['from', 'to', 'include-direct', 'enable', 'disable', 'set-usage-location'].find((k) => v[k as keyof typeof v] !== undefined);
    if (own)
      throw new UsageError(`--${own} does not go with ${teams === 'split' ? 'split-teams' : 'join-teams'}: the plans are proposed from what the ${opts.principal.kind} holds.`);
    opts.teams = teams;
    if (command === 'split-teams' || command === 'join-teams') opts.command = 'preflight';
    const timeout = positiveNumber('timeout', v.timeout);
    if (timeout !== undefined) opts.timeoutMs = timeout * 1000;
    const poll = positiveNumber('poll-ms', v['poll-ms']);
    if (poll !== undefined) opts.pollMs = Math.max(1, poll);
    return opts;
  }

  // --to and --from are repeatable: several plans in one change (one assignLicense call each).
  const tos = v.to ?? [];
  const froms = v.from ?? [];
  if (!tos.length) throw new UsageError('Say which plan to move to: --to <plan> (e.g. --to E3).');
  if (tos.some((x) => !x.trim())) throw new UsageError('--to needs a value.');
  if (froms.some((x) => !x.trim())) throw new UsageError('--from needs a value.');
  if (tos.length > MAX_PLANS || froms.length > MAX_PLANS) throw new UsageError(`At most ${MAX_PLANS} plans for --to and ${MAX_PLANS} for --from.`);
  if (v['include-direct'] && opts.principal.kind !== 'group') throw new UsageError('--include-direct only applies to a group change.');
  const spec: ChangeSpec = { principal: opts.principal, to: tos[0]!.trim() };
  if (tos.length > 1) spec.alsoTo = tos.slice(1).map((x) => x.trim());
  if (froms.length) spec.from = froms[0]!.trim();
  if (froms.length > 1) spec.alsoFrom = froms.slice(1).map((x) => x.trim());
  if (v['include-direct']) spec.includeDirectCopies = true;
  if (v['set-usage-location'] !== undefined) {
    const raw = v['set-usage-location'].trim();
    const code = countryCode(raw);
    if (!code) throw new UsageError(`--set-usage-location takes a two-letter ISO 3166 country code such as BE or NL (GB for the United Kingdom), not '${raw}'.`);
    spec.setUsageLocation = { country: code };
  }
  if (v.enable?.length || v.disable?.length) spec.planOverrides = { ...(v.enable?.length ? { enable: v.enable } : {}), ...(v.disable?.length ? { disable: v.disable } : {}) };
  opts.spec = spec;
  if (v.pilot !== undefined || v['wave-size'] !== undefined) {
    // A users list in waves (swap): a pilot, then waves of this size, each checked before the next.
    if (opts.principal.kind !== 'users') throw new UsageError('--pilot and --wave-size apply to a list of users (--users-file).');
    const pilot = positiveNumber('pilot', v.pilot);
    const size = positiveNumber('wave-size', v['wave-size']);
    if (pilot === 0 || size === 0) throw new UsageError(`--${pilot === 0 ? 'pilot' : 'wave-size'} must be at least 1.`);
    opts.waves = { ...(pilot !== undefined ? { pilot: Math.floor(pilot) } : {}), ...(size !== undefined ? { size: Math.floor(size) } : {}) };
  }
  const timeout = positiveNumber('timeout', v.timeout);
  if (timeout !== undefined) opts.timeoutMs = timeout * 1000;
  const poll = positiveNumber('poll-ms', v['poll-ms']);
  if (poll !== undefined) opts.pollMs = Math.max(1, poll);
  return opts;
}

export const HELP = `plan-switch: move Microsoft 365 users and groups from one license plan to another in one
combined assignLicense call (add the new plan and remove the old one at the same moment).

Usage:
  plan-switch preflight (--group NAME|ID | --user UPN|ID | --users-file FILE) [--from PLAN]... --to PLAN...
                        [--include-direct] [--enable SERVICE]... [--disable SERVICE]...
                        [--set-usage-location COUNTRY] [--json]
  plan-switch swap      ... same as preflight ... [--yes] [--no-wait] [--timeout SECONDS] [--json]
                        [--pilot N] [--wave-size N]
  plan-switch adopt     --group NAME|ID [--plan PLAN] [--accept-loss UPN|ID]... [--dry-run] [--yes]
                        [--pilot N] [--wave-size N] [--timeout SECONDS] [--json]
  plan-switch split-teams (--group NAME|ID | --user UPN|ID) [--json]
  plan-switch join-teams  (--group NAME|ID | --user UPN|ID) [--json]
  plan-switch swap      (--group NAME|ID | --user UPN|ID) --split-teams|--join-teams [--yes] ...
  plan-switch status    (--group NAME|ID | --user UPN|ID) [--json]
  plan-switch plans     [--json]
  plan-switch doctor    [--group NAME|ID] [--user UPN|ID] [--json]
  plan-switch reprocess (--group NAME|ID | --user UPN|ID) [--yes] [--json]
  plan-switch pause|resume|cancel ID --as UPN [--json]

Commands:
  preflight  Check a change and show what it would do. Writes nothing.
  swap       Preflight, then run the change. Refuses when the preflight blocks. Asks y/N on a
             terminal; without a terminal it needs --yes. A group change is followed until Entra
             has processed the members (--no-wait to skip, --timeout to bound; default 600 s).
             A users file longer than the pilot runs in waves: a pilot (WAVE_PILOT, default 5;
             --pilot), then waves of WAVE_SIZE (default 100; --wave-size), each read back before
             the next; it stops when more than WAVE_PAUSE_AT (10%) of a wave fails, says why per
             person, and sends nothing more (exit 1).
  adopt      The group takes over the plan its members hold directly (Microsoft's "migrate users
             with individual licenses to groups"): the group gets the plan (one write, no extra
             seats), Entra processes it, then the members' own copies are removed in waves (a pilot
             of 5, then 100 at a time), each member checked first: only those whose copy from the
             group is Active and covers their own lose it. --accept-loss names members whose own copy
             has services the group's turns off, to remove it anyway. --dry-run: the check only.
  split-teams  Teams unbundling: for each suite the user or group holds, propose its "(no Teams)"
             version plus the Teams licence the tenant has (Microsoft Teams Enterprise, or Teams EEA
             beside an EEA version), as one change, and preflight it. Writes nothing. Only plans
             the tenant subscribes to are proposed; otherwise it says which to buy (exit 2).
             Run it with: swap --group NAME --split-teams [--yes].
  join-teams   The reverse: the "(no Teams)" version and the Teams licence back into the suite.
  status     A user's licenses (with where each comes from) or a group's licenses and processing state.
  plans      The tenant's plans with seats enabled, consumed and available.
  doctor     Read-only check of the tenant: sign-in, the app's permissions (the token's roles)
             against docs/deploy.md, and each kind of Graph read once, on --group and --user
             or the first licensed ones; says per read what is missing and the fix. Exit 0 when
             everything Plan Switch needs works, 1 otherwise.
  reprocess  The members of a group (or one user) whose group licenses are in error, with why
             and the fix; then Entra evaluates them again (reprocessLicenseAssignment, after the
             cause was fixed) and it says who is now licensed and who is still in error. Asks y/N
             on a terminal, else needs --yes. Refused when REPROCESS_APPROVAL=required (ask in
             Teams, where a second administrator approves). Exit 1 when someone is still in error.
  pause, resume, cancel
             A change request of the bot running in waves (STATE_DB as the bot's): pause stops it
             before its next wave, resume checks the remaining people again and carries on from
             there (a running bot instance takes it over within a minute; if something blocks,
             e.g. too few licenses left, it stays paused, nothing is sent, and each finding is
             printed with what to do), cancel stops it for good (the waves not yet run are not sent;
             a request still waiting for approval is withdrawn). --as names who acts: the person
             who asked for the change or an approver, as in Teams; audited. Exit 1 when refused.

Options:
  --from PLAN         Source plan ("E1", "STANDARDPACK", "Office 365 E1" or a skuId). Optional when
                      the user or group holds exactly one candidate. Repeat it to remove several
                      plans in the same change.
  --to PLAN           Target plan. Repeat it to add several plans in one change, e.g.
                      --from E3 --to "E3 (no Teams)" --to "Teams Enterprise": one assignLicense
                      call per user or group adds every target and removes every source.
  --users-file FILE   One UPN or object id per line; # starts a comment.
  --include-direct    Group change: also swap members' direct copies of the source plan.
  --set-usage-location COUNTRY
                      Set this usage location (ISO code: BE, NL...) first for the people of the
                      change who have none (PATCH /users/{id} before the license calls). Needs the
                      app permission User.ReadWrite.All (doctor shows it); never changes one set.
  --enable/--disable  Force a service of the target plan on or off (plan name or id); repeatable.
  --json              Machine-readable output: { change, findings, counts } (swap adds result, tracking).
  --lang en|nl        Language of the findings (default en): the same sentences as the bot's cards.
  -y, --yes           Do not ask for confirmation.
  -h, --help          This help.

Exit codes: 0 done (or nothing blocks), 2 blocked by the preflight, 1 error (bad input, unknown
plan or principal, Graph refused or failed; nothing is written for bad input).

Graph: without GRAPH_BASE_URL the bundled sandbox tenant is started on 127.0.0.1:SANDBOX_PORT
(default 3979) from SANDBOX_TENANT (default data/demo-tenant.json). GRAPH_BASE_URL on loopback
uses a sandbox started apart. Real Graph: GRAPH_BASE_URL=https://graph.microsoft.com/v1.0 with
AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, or
GRAPH_AUTH=managed-identity.
`;

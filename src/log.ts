// The one logger of Plan Switch: one line per event.
//
//   json    {"ts":"…","level":"info","event":"request.created","requestId":"…","changeId":"3",…}
//           (the default when MicrosoftAppId is set, i.e. in production)
//   pretty  12:00:01.123 INFO  request.created changeId=3 … [req f00]   (local mode by default)
//
// LOG_FORMAT=json|pretty chooses explicitly. `requestId` (the activity id, else the HTTP request's
// id) and `changeId` come from the async context set by withLogContext(): the HTTP server sets
// the request's id, the bot the activity's, so every line logged while serving it carries them,
// background work it started included. Secrets never reach the output: fields named like one
// (password, secret, token, authorization, …) are dropped, and the values of the secrets known
// at start-up (MicrosoftAppPassword, AZURE_CLIENT_SECRET, …), bearer tokens and JWTs are masked
// wherever they appear. Stack traces are never logged.
import { AsyncLocalStorage } from 'node:async_hooks';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'pretty';

export interface Logger {
  info(event: string, meta?: Record<string, unknown>): void;
  warn(event: string, meta?: Record<string, unknown>): void;
  error(event: string, meta?: Record<string, unknown>): void;
}

export interface LogContext {
  /** The activity's id, else the HTTP request's id. */
  requestId?: string;
  /** The change request's id, when the work is about one. */
  changeId?: string;
  [field: string]: unknown;
}

const context = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with these fields added to every line it (and the work it starts) logs. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  const parent = context.getStore();
  const merged: LogContext = { ...parent };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null && v !== '') merged[k] = v;
  return context.run(merged, fn);
}

const REDACTED = '[redacted]';
/** Field names whose values are never written. */
const SECRET_KEY = /(pass(word|phrase)?|secret|token|authori[sz]ation|assertion|credential|cookie|api[-_]?key|private[-_]?key|signature|connection[-_]?string)$/i;
/** Environment variables whose values are secrets (masked wherever they appear in a line). */
const SECRET_ENV = /(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|CONNECTION_STRING|API_KEY)$/i;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const QUERY_SECRET = /\b(client_secret|client_assertion|password|access_token|refresh_token|id_token|code)=[^&\s"']+/gi;

/** The secret values in an environment: MicrosoftAppPassword, AZURE_CLIENT_SECRET and anything named like a secret. */
export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.trim().length < 4) continue;
    if (name === 'MicrosoftAppPassword' || name === 'AZURE_CLIENT_SECRET' || SECRET_ENV.test(name)) out.add(value.trim());
  }
  return [...out];
}

export class Redactor {
  private secrets: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string | undefined): void {
    const s = secret?.trim();
    if (!s || s.length < 4 || this.secrets.includes(s)) return;
    this.secrets.push(s);
    // Longest first, so a secret containing another is masked whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  text(s: string): string {
    let out = s;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out.replace(BEARER, `$1 ${REDACTED}`).replace(JWT, REDACTED).replace(QUERY_SECRET, `$1=${REDACTED}`);
  }

  /** A copy safe to write: secret-named fields dropped, strings masked, errors as "Name: message". */
  value(v: unknown, depth = 0): unknown {
    if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return v;
    if (typeof v === 'string') return this.text(v);
    if (typeof v === 'bigint') return String(v);
    if (v instanceof Error) return this.text(`${v.name}: ${v.message}`);
    if (v instanceof Date) return v.toISOString();
    if (depth > 6) return '[…]';
    if (Array.isArray(v)) return v.slice(0, 50).map((x) => this.value(x, depth + 1));
    if (typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k === 'stack') continue;
        out[k] = SECRET_KEY.test(k) && x !== null && x !== undefined && typeof x !== 'boolean' ? REDACTED : this.value(x, depth + 1);
      }
      return out;
    }
    return this.text(String(v));
  }
}

export interface LoggerOptions {
  format?: LogFormat;
  /** Lowest level written (default info). */
  level?: LogLevel;
  /** Secret values to mask (see secretsFromEnv). */
  secrets?: Iterable<string>;
  /** Where lines go (default: info to stdout, warn and error to stderr). */
  write?: (line: string, level: LogLevel) => void;
  /** Fields on every line. */
  base?: Record<string, unknown>;
  now?: () => Date;
}

export interface AppLogger extends Logger {
  debug(event: string, meta?: Record<string, unknown>): void;
  readonly format: LogFormat;
  readonly redactor: Redactor;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const RESERVED = new Set(['ts', 'level', 'event']);

function defaultWrite(line: string, level: LogLevel): void {
  (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}

function prettyValue(v: unknown): string {
  if (typeof v === 'string') return /[\s="]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

export function createLogger(opts: LoggerOptions = {}): AppLogger {
  const format = opts.format ?? 'json';
  const min = RANK[opts.level ?? 'info'];
  const redactor = new Redactor(opts.secrets);
  const write = opts.write ?? defaultWrite;
  const now = opts.now ?? (() => new Date());
  const base = opts.base ?? {};

  const emit = (level: LogLevel, event: string, meta?: Record<string, unknown>) => {
    if (RANK[level] < min) return;
    try {
      const ctx = context.getStore() ?? {};
      const fields = redactor.value({ ...base, ...ctx, ...(meta ?? {}) }) as Record<string, unknown>;
      for (const k of RESERVED) delete fields[k];
      const ts = now().toISOString();
      const name = redactor.text(String(event));
      let line: string;
      if (format === 'json') {
        line = JSON.stringify({ ts, level, event: name, ...fields });
      } else {
        // A line with a human message shows just that (and the change it is about); others show
        // the event and its fields.
        const { requestId, msg, ...rest } = fields;
        const human = typeof msg === 'string';
        const parts = [ts.slice(11, 23), level.toUpperCase().padEnd(5), human ? msg : name];
        for (const [k, v] of Object.entries(rest)) if (v !== undefined && (!human || k === 'changeId')) parts.push(`${k}=${prettyValue(v)}`);
        if (requestId) parts.push(`[req ${String(requestId)}]`);
        line = parts.join(' ').replace(/[\r\n]+/g, ' ');
      }
      write(line, level);
    } catch {
      // Logging never breaks the caller.
    }
  };
  return {
    format,
    redactor,
    debug: (e, m) => emit('debug', e, m),
    info: (e, m) => emit('info', e, m),
    warn: (e, m) => emit('warn', e, m),
    error: (e, m) => emit('error', e, m),
  };
}

/** LOG_FORMAT, else json with MicrosoftAppId set (production) and pretty without (local mode). */
export function logFormatFrom(env: NodeJS.ProcessEnv): LogFormat {
  const f = env.LOG_FORMAT?.trim().toLowerCase();
  if (f === 'json' || f === 'pretty') return f;
  return env.MicrosoftAppId?.trim() ? 'json' : 'pretty';
}

/** LOG_LEVEL (debug, info, warn, error); info by default. */
export function logLevelFrom(env: NodeJS.ProcessEnv): LogLevel {
  const l = env.LOG_LEVEL?.trim().toLowerCase();
  return l === 'debug' || l === 'info' || l === 'warn' || l === 'error' ? l : 'info';
}

/** The application's logger as the environment asks for it. */
export function loggerFromEnv(env: NodeJS.ProcessEnv, opts: Omit<LoggerOptions, 'format' | 'level' | 'secrets'> = {}): AppLogger {
  return createLogger({ ...opts, format: logFormatFrom(env), level: logLevelFrom(env), secrets: secretsFromEnv(env) });
}

/**
 * Routes console.* (libraries print there: the Bot Framework SDK writes refused tokens, key
 * material and stack traces with console.error) through `log`: one redacted line, no stack.
 * Returns a function that puts the console back.
 */
export function captureConsole(log: Logger): () => void {
  const original = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  const text = (args: unknown[]) =>
    args
      .map((a) => (a instanceof Error ? errorText(a) : typeof a === 'string' ? a : safeJson(a)))
      .join(' ')
      .split('\n')[0]!
      .slice(0, 500);
  console.log = (...a: unknown[]) => log.info('console', { text: text(a) });
  console.info = console.log;
  console.debug = (...a: unknown[]) => (log as Partial<AppLogger>).debug?.('console', { text: text(a) });
  console.warn = (...a: unknown[]) => log.warn('console', { text: text(a) });
  console.error = (...a: unknown[]) => log.error('console', { text: text(a) });
  return () => Object.assign(console, original);
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Error text for a log field: "Name: message", first line only, never a stack. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${String(err.message).split('\n')[0]}`;
  return String(err).split('\n')[0];
}

// Chat commands, English and Dutch, parsed without side effects. Forgiving of case, of mention
// markup, of trailing punctuation and of the order of the clauses in a move
// ("move group Sales to E3" = "move to E3 group Sales" = "move Sales group from E1 to E3").
// Quotes keep a multi-word name together when it contains a keyword ("move group 'Move to Cloud' to E3").

import type { Lang } from '../i18n';

export type { Lang };

export type PrincipalTarget =
  | { kind: 'user'; name: string }
  | { kind: 'group'; name: string }
  | { kind: 'users'; names: string[] }
  /** Neither "user" nor "group" was said: look the name up. */
  | { kind: 'any'; name: string };

/** "in waves of 50", "with a pilot of 10" (Dutch: "in golven van 50", "met een pilot van 10"). */
export interface WaveWish {
  size?: number;
  pilot?: number;
}

export type Command =
  /**
   * setUsageLocation: "... with usage location BE" / "... met gebruikslocatie BE" (the code as typed; checked later).
   * alsoTo / alsoFrom: the further plans of "to A and B" / "from C and D" (absent for one plan).
   * waves: "in waves of 50", "with a pilot of 10".
   */
  | { kind: 'move'; principal: PrincipalTarget; from?: string; to: string; alsoTo?: string[]; alsoFrom?: string[]; setUsageLocation?: string; waves?: WaveWish }
  /** A group takes over the plan its members hold directly ("move the members of Marketing onto the group"). */
  | { kind: 'adopt'; group: string; plan?: string }
  /** A move with a piece missing: the reply says which. */
  | { kind: 'move-incomplete'; missing: 'principal' | 'target'; principal?: PrincipalTarget; from?: string; to?: string }
  /** Teams unbundling: "split teams for group Sales" (suite -> "(no Teams)" + Teams), or 'join' back. */
  | { kind: 'split-teams'; direction: 'split' | 'join'; principal?: PrincipalTarget }
  | { kind: 'plans' }
  | { kind: 'status'; target?: string }
  | { kind: 'history'; limit?: number }
  | { kind: 'undo'; change?: string }
  /** A change running in waves: pause it, resume it; cancel also withdraws a pending request. */
  | { kind: 'pause' | 'resume' | 'cancel'; change?: string }
  | { kind: 'pending' }
  /** Read-only check of the tenant (plan-switch doctor), optionally on a named group. */
  | { kind: 'doctor'; group?: string }
  /** Reprocess the members in error of a group (or one user): "reprocess Sales", "verwerk Verkoop opnieuw". */
  | { kind: 'reprocess'; principal?: PrincipalTarget }
  | { kind: 'help' }
  | { kind: 'new' }
  | { kind: 'unknown'; text: string };

export interface Parsed {
  command: Command;
  /** Set when the words used were language-specific (Dutch words imply Dutch replies). */
  lang?: Lang;
}

type Token = { text: string; quoted: boolean };

/** Removes Teams mention markup (<at>Plan Switch</at>), other tags and HTML entities. */
export function cleanText(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/[\u00a0\u200b]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /"([^"]*)"|“([^”]*)”|‘([^’]*)’|'([^']*)'(?=\s|$|[,.?!])|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const q = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (q !== undefined) out.push({ text: q.trim(), quoted: true });
    else out.push({ text: m[5]!, quoted: false });
  }
  return out;
}

const POLITE = new Set(['please', 'pls', 'plz', 'graag', 'alsjeblieft', 'alstublieft', 'aub', 'a.u.b.', 'svp']);

/** Trailing punctuation off the last unquoted token; "please"/"graag" dropped anywhere. */
function normalize(tokens: Token[]): Token[] {
  const t = tokens.filter((x) => x.quoted || !POLITE.has(x.text.toLowerCase().replace(/[.,!?]+$/, '')));
  if (t.length) {
    const last = t[t.length - 1]!;
    if (!last.quoted) {
      const stripped = last.text.replace(/[.!?]+$/, '');
      if (stripped) t[t.length - 1] = { text: stripped, quoted: false };
      else t.pop();
    }
  }
  if (t.length && !t[0]!.quoted) {
    const first = t[0]!.text.replace(/^[/!]+/, '');
    if (first) t[0] = { text: first, quoted: false };
    else t.shift();
  }
  return t;
}

const lower = (t: Token | undefined) => (t && !t.quoted ? t.text.toLowerCase() : undefined);

const MOVE_EN = new Set(['move', 'switch', 'change', 'migrate', 'swap', 'upgrade', 'downgrade']);
const MOVE_NL = new Set(['verplaats', 'verplaatsen', 'wissel', 'wijzig', 'migreer', 'zet']);

type Clause = 'to' | 'from' | 'user' | 'users' | 'group';
const CLAUSE_WORDS: Record<string, { clause: Clause; lang?: Lang }> = {
  to: { clause: 'to', lang: 'en' },
  into: { clause: 'to', lang: 'en' },
  '->': { clause: 'to' },
  '→': { clause: 'to' },
  '=>': { clause: 'to' },
  naar: { clause: 'to', lang: 'nl' },
  from: { clause: 'from', lang: 'en' },
  van: { clause: 'from', lang: 'nl' },
  vanaf: { clause: 'from', lang: 'nl' },
  user: { clause: 'user', lang: 'en' },
  gebruiker: { clause: 'user', lang: 'nl' },
  users: { clause: 'users', lang: 'en' },
  gebruikers: { clause: 'users', lang: 'nl' },
  group: { clause: 'group', lang: 'en' },
  groep: { clause: 'group', lang: 'nl' },
};

/** Words that only glue a sentence together: "move the group Sales over to the E3 plan". */
const LEADING_FILLER = new Set(['the', 'de', 'het', 'for', 'voor']);
const TRAILING_FILLER = new Set(['over', 'plan', 'license', 'licence', 'licentie', 'licentieplan']);
/**
 * Dutch articles that also start surnames ("de Vries", "het Hart"): in a name they are part of
 * it, so a principal keeps them unless they stand alone ("verplaats de groep Verkoop").
 */
const NAME_ARTICLES = new Set(['de', 'het']);

/**
 * Unquoted filler words at either end of a clause; inside a name ("Friends of the Earth", "Project
 * Plan 3") they stay. A name keeps a leading Dutch article followed by more words ("de Vries").
 */
function trimFiller(tokens: Token[], isName = false): Token[] {
  let a = 0;
  let b = tokens.length;
  while (a < b && LEADING_FILLER.has(lower(tokens[a]) ?? '') && !(isName && NAME_ARTICLES.has(lower(tokens[a])!) && b - a > 1)) a++;
  while (b > a && TRAILING_FILLER.has(lower(tokens[b - 1]) ?? '')) b--;
  return tokens.slice(a, b);
}

/** Surname particles ("van der Meer", "van den Berg", "ter Horst", "'t Hart"), lower case. */
const PARTICLES = new Set(['van', 'de', 'der', 'den', 'het', "'t", 't', 'ter', 'ten', 'te', 'in', 'op', "'s", 'vander', 'vanden', 'la', 'le', 'du', 'von', 'zu', 'el', 'al']);
/** Words that start license plan names, never surnames: "van Office 365 E1", "van Business Basic". */
const PLAN_WORDS = new Set([
  'office',
  'microsoft',
  'm365',
  'o365',
  'business',
  'enterprise',
  'exchange',
  'project',
  'visio',
  'teams',
  'power',
  'dynamics',
  'windows',
  'standard',
  'basic',
  'premium',
  'apps',
  'plan',
]);

/** Looks like a plan, not a surname: a digit (E1, Office 365 E3), a SKU part number (STANDARDPACK) or a plan word. */
function looksLikePlan(tokens: Token[]): boolean {
  const words = tokens.filter((t) => !PARTICLES.has(lower(t) ?? ''));
  if (!words.length) return false;
  return (
    words.some((t) => t.quoted || /\d/.test(t.text) || t.text.includes('_') || (t.text.length > 1 && t.text === t.text.toUpperCase() && /[A-Z]/.test(t.text))) ||
    PLAN_WORDS.has(words[0]!.text.toLowerCase())
  );
}

/**
 * "van" starts a surname ("Jeroen van Dijk", "van der Meer") rather than the source plan ("van E1")
 * when it follows a name (or starts one) and what comes after it up to the next clause word does
 * not look like a plan, or when the source is named later anyway ("… van Dijk van E1 naar E3").
 */
function vanIsParticle(rest: Token[], i: number, current: Clause | 'bare', phrase: Token[] | undefined): boolean {
  if (current !== 'bare' && current !== 'user' && current !== 'users' && current !== 'group') return false;
  const after: Token[] = [];
  let laterFrom = false;
  for (let j = i + 1; j < rest.length; j++) {
    const w = lower(rest[j]);
    const cw = w !== undefined ? CLAUSE_WORDS[w] : undefined;
    if (cw) {
      laterFrom = cw.clause === 'from';
      break;
    }
    after.push(rest[j]!);
  }
  if (!after.length) return false;
  if (laterFrom) return true;
  if (current !== 'bare' && !phrase?.length) return false;
  return !looksLikePlan(after);
}

function joinPhrase(tokens: Token[]): string {
  return tokens
    .map((t) => t.text)
    .join(' ')
    .trim();
}

function splitUsers(text: string): string[] {
  return text
    .split(/\s*(?:[,;&]|\band\b|\ben\b)\s*/i)
    .flatMap((piece) => {
      const words = piece.trim().split(/\s+/);
      return words.length > 1 && words.every((w) => w.includes('@')) ? words : [piece.trim()];
    })
    .filter(Boolean);
}

/** Words that join plans in a list: "to E3 (no Teams) and Teams Enterprise", "naar A en B". */
const PLAN_JOINERS = new Set(['and', 'en', 'plus']);

/**
 * A plan clause split into its plans at unquoted "and" / "en" / "plus" and commas, except inside
 * parentheses ("Microsoft 365 E5 Developer (without Windows and Audio Conferencing)"). A quoted
 * name is never split. Empty pieces ("E3 and and E5") are dropped.
 */
function splitPlans(tokens: Token[]): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  const cut = () => {
    if (cur.length) out.push(cur);
    cur = [];
  };
  for (const tok of tokens) {
    if (tok.quoted) {
      cur.push(tok);
      continue;
    }
    const w = tok.text.toLowerCase();
    if (depth === 0 && PLAN_JOINERS.has(w)) {
      cut();
      continue;
    }
    for (const ch of tok.text) depth = Math.max(0, depth + (ch === '(' ? 1 : ch === ')' ? -1 : 0));
    if (depth === 0 && tok.text.endsWith(',')) {
      const text = tok.text.replace(/,+$/, '');
      if (text) cur.push({ text, quoted: false });
      cut();
      continue;
    }
    cur.push(tok);
  }
  cut();
  return out;
}

const WAVE_WORDS: Record<string, Lang> = { waves: 'en', wave: 'en', golven: 'nl', golf: 'nl', rondes: 'nl' };
const PILOT_WORDS: Record<string, Lang | undefined> = { pilot: undefined, proefgroep: 'nl', proef: 'nl' };
const OF_WORDS = new Set(['of', 'van']);

/**
 * Takes "in waves of 50" / "in golven van 50" and "with a pilot of 10" / "met een pilot van 10"
 * (in any order, at the end or in between) out of a move; the rest is parsed as usual.
 */
function takeWaveWish(tokens: Token[]): { rest: Token[]; waves?: WaveWish; lang?: Lang } {
  const out: Token[] = [];
  const waves: WaveWish = {};
  let lang: Lang | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const w = lower(tokens[i]);
    const number = (j: number) => (lower(tokens[j]) !== undefined && /^\d{1,6}$/.test(tokens[j]!.text) ? Number(tokens[j]!.text) : undefined);
    const isWave = w !== undefined && Object.hasOwn(WAVE_WORDS, w);
    const isPilot = w !== undefined && Object.hasOwn(PILOT_WORDS, w);
    if ((isWave || isPilot) && OF_WORDS.has(lower(tokens[i + 1]) ?? '') && number(i + 2) !== undefined) {
      // Drop the glue before it: "in", "with a", "met een", "and" / "en".
      while (out.length && ['in', 'with', 'a', 'met', 'een', 'and', 'en', ','].includes(lower(out[out.length - 1]) ?? '')) out.pop();
      if (isWave) waves.size = number(i + 2)!;
      else waves.pilot = number(i + 2)!;
      lang ??= isWave ? WAVE_WORDS[w!] : PILOT_WORDS[w!];
      lang ??= lower(tokens[i + 1]) === 'van' ? 'nl' : 'en';
      i += 2;
      continue;
    }
    out.push(tokens[i]!);
  }
  return waves.size !== undefined || waves.pilot !== undefined ? { rest: out, waves, ...(lang ? { lang } : {}) } : { rest: tokens };
}

function parseMove(tokens: Token[], verbLang: Lang | undefined): Parsed {
  const wish = takeWaveWish(tokens);
  const parsed = parseMoveAndLocation(wish.rest, verbLang);
  if (wish.waves && parsed.command.kind === 'move') parsed.command.waves = wish.waves;
  if (wish.lang && !parsed.lang) parsed.lang = wish.lang;
  return parsed;
}

/**
 * A trailing usage location clause (issue 13 part 6): "with usage location BE", "and set usage
 * location to BE", "usage location BE"; Dutch "met gebruikslocatie BE", "en gebruikslocatie op BE".
 * The tokens before it and the code as typed, or undefined when there is none.
 */
export function usageLocationClause(rest: Token[]): { rest: Token[]; code: string; lang?: Lang } | undefined {
  const w = (i: number) => lower(rest[i]);
  const last = rest.length - 1;
  if (last < 1 || rest[last]!.quoted) return undefined;
  const code = rest[last]!.text;
  let i = last - 1;
  if (['to', 'op', 'naar'].includes(w(i) ?? '')) i--;
  let lang: Lang | undefined;
  if (w(i) === 'gebruikslocatie') lang = 'nl';
  else if (w(i) === 'location' && w(i - 1) === 'usage') {
    lang = 'en';
    i--;
  } else return undefined;
  i--;
  while (i >= 0 && ['with', 'set', 'setting', 'and', 'met', 'en', 'zet', ','].includes(w(i) ?? '')) i--;
  const before = rest.slice(0, i + 1);
  // "to E3, usage location DE": the comma belongs to the sentence, not to the plan.
  const tail = before[before.length - 1];
  if (tail && !tail.quoted && /,$/.test(tail.text)) before[before.length - 1] = { text: tail.text.replace(/,+$/, ''), quoted: false };
  return { rest: before.filter((t) => t.quoted || t.text), code, lang };
}

function parseMoveAndLocation(all: Token[], verbLang: Lang | undefined): Parsed {
  const clause = usageLocationClause(all);
  const rest = clause ? clause.rest : all;
  const phrases: Partial<Record<Clause | 'bare', Token[]>> = {};
  let current: Clause | 'bare' = 'bare';
  let lang: Lang | undefined = verbLang ?? clause?.lang;
  for (let i = 0; i < rest.length; i++) {
    const tok = rest[i]!;
    const w = lower(tok);
    let cw = w !== undefined ? CLAUSE_WORDS[w] : undefined;
    if (cw?.clause === 'from' && w === 'van' && vanIsParticle(rest, i, current, phrases[current])) {
      cw = undefined;
      lang ??= 'nl';
    }
    if (cw) {
      // "move Sales group to E3": a kind word right after a bare name labels that name.
      if ((cw.clause === 'group' || cw.clause === 'user' || cw.clause === 'users') && current === 'bare' && phrases.bare?.length) {
        const next = lower(rest[i + 1]);
        if (next === undefined || CLAUSE_WORDS[next]) {
          // "de Verkoop groep": here the article belongs to the sentence, not to the name.
          phrases[cw.clause] = phrases.bare.length > 1 && NAME_ARTICLES.has(lower(phrases.bare[0]) ?? '') ? phrases.bare.slice(1) : phrases.bare;
          delete phrases.bare;
          lang ??= cw.lang;
          current = cw.clause;
          continue;
        }
      }
      current = cw.clause;
      phrases[current] ??= [];
      lang ??= cw.lang;
      continue;
    }
    (phrases[current] ??= []).push(tok);
  }

  const text = (c: Clause | 'bare') => {
    const p = trimFiller(phrases[c] ?? [], c !== 'to' && c !== 'from');
    return p.length ? joinPhrase(p) : undefined;
  };
  const plans = (c: 'to' | 'from') =>
    splitPlans(phrases[c] ?? [])
      .map((piece) => trimFiller(piece))
      .filter((piece) => piece.length)
      .map(joinPhrase);
  const [to, ...alsoTo] = plans('to');
  const [from, ...alsoFrom] = plans('from');
  let principal: PrincipalTarget | undefined;
  const userText = text('user');
  const usersText = text('users');
  const groupText = text('group');
  const bare = text('bare');
  if (groupText) principal = { kind: 'group', name: groupText };
  else if (usersText) {
    const names = splitUsers(usersText);
    principal = names.length === 1 ? { kind: 'user', name: names[0]! } : { kind: 'users', names };
  } else if (userText) {
    const names = splitUsers(userText);
    principal = names.length > 1 && names.every((n) => n.includes('@')) ? { kind: 'users', names } : { kind: 'user', name: userText };
  } else if (bare) principal = { kind: 'any', name: bare };

  if (!principal) return { command: { kind: 'move-incomplete', missing: 'principal', from, to }, lang };
  if (!to) return { command: { kind: 'move-incomplete', missing: 'target', principal, from }, lang };
  return {
    command: {
      kind: 'move',
      principal,
      ...(from ? { from } : {}),
      to,
      ...(alsoTo.length ? { alsoTo } : {}),
      ...(from && alsoFrom.length ? { alsoFrom } : {}),
      ...(clause ? { setUsageLocation: clause.code } : {}),
    },
    lang,
  };
}

// Adopt: "move the members of Marketing onto the group (for E1)", "adopt Marketing";
// "zet de leden van Marketing over op de groep (voor E1)", "verplaats de leden van Marketing naar de groep".
const ADOPT_EN =
  /^(?:move|migrate|switch|put)\s+(?:all\s+)?(?:the\s+)?members\s+of\s+(?:(?:the\s+)?group\s+)?(.+?)\s+(?:onto|on\s+to|to|into|over\s+to)\s+(?:the|their|its|that)\s+group(?:'s)?(?:\s+(?:license|licence|licensing|plan))?(?:\s+(?:for|with)\s+(.+))?$/i;
const ADOPT_NL =
  /^(?:(?:zet|verplaats|migreer)\s+(?:alle\s+)?(?:de\s+)?leden\s+van\s+(?:(?:de\s+)?groep\s+)?(.+?)\s+(?:over\s+)?(?:op|naar)\s+(?:de|hun|die)\s+(?:groep|groepslicentie)(?:\s+over)?)(?:\s+(?:voor|met)\s+(.+?))?(?:\s+over)?$/i;
const ADOPT_VERB = /^adopt\s+(?:(?:the\s+)?group\s+)?(.+?)(?:\s+(?:for|with)\s+(.+))?$/i;

function parseAdopt(text: string): Parsed | undefined {
  const m = ADOPT_EN.exec(text) ?? ADOPT_VERB.exec(text);
  const nl = m ? undefined : ADOPT_NL.exec(text);
  const hit = m ?? nl;
  if (!hit) return undefined;
  const unquote = (x: string | undefined) =>
    x
      ?.trim()
      .replace(/^["“‘']|["”’']$/g, '')
      .trim();
  const group = unquote(hit[1]);
  if (!group) return undefined;
  const plan = unquote(hit[2]);
  return { command: { kind: 'adopt', group, ...(plan ? { plan } : {}) }, lang: nl ? 'nl' : 'en' };
}

/** "group Sales", "groep Verkoop", "user x@y", "Sales": who a reprocess is for. */
function reprocessTarget(tokens: Token[]): PrincipalTarget | undefined {
  const t = trimFiller(tokens, true);
  const w = lower(t[0]);
  const kind = w === 'group' || w === 'groep' ? 'group' : w === 'user' || w === 'gebruiker' ? 'user' : undefined;
  const name = joinPhrase(kind ? t.slice(1) : t);
  if (!name) return undefined;
  return { kind: kind ?? 'any', name };
}

function reprocessCommand(tokens: Token[], lang: Lang): Parsed {
  const principal = reprocessTarget(tokens);
  return { command: { kind: 'reprocess', ...(principal ? { principal } : {}) }, lang };
}

/**
 * The ways to say "split Teams off" and "put it back", longest first. The words after them name
 * the user or group ("for group Sales", "voor gebruiker anna@contoso.nl", or a bare name).
 */
const TEAMS_PHRASES: { words: string[]; direction: 'split' | 'join'; lang?: Lang }[] = [
  { words: ['split', 'teams', 'off'], direction: 'split', lang: 'en' },
  { words: ['split', 'off', 'teams'], direction: 'split', lang: 'en' },
  { words: ['split', 'teams', 'af'], direction: 'split', lang: 'nl' },
  { words: ['splits', 'teams', 'af'], direction: 'split', lang: 'nl' },
  { words: ['splits', 'af', 'teams'], direction: 'split', lang: 'nl' },
  { words: ['split', 'teams'], direction: 'split', lang: 'en' },
  { words: ['splits', 'teams'], direction: 'split', lang: 'nl' },
  { words: ['unbundle', 'teams'], direction: 'split', lang: 'en' },
  { words: ['teams', 'afsplitsen'], direction: 'split', lang: 'nl' },
  { words: ['ontbundel', 'teams'], direction: 'split', lang: 'nl' },
  { words: ['join', 'teams', 'back'], direction: 'join', lang: 'en' },
  { words: ['join', 'teams'], direction: 'join', lang: 'en' },
  { words: ['rebundle', 'teams'], direction: 'join', lang: 'en' },
  { words: ['unsplit', 'teams'], direction: 'join', lang: 'en' },
  { words: ['voeg', 'teams', 'weer', 'samen'], direction: 'join', lang: 'nl' },
  { words: ['voeg', 'teams', 'samen'], direction: 'join', lang: 'nl' },
  { words: ['teams', 'weer', 'samenvoegen'], direction: 'join', lang: 'nl' },
  { words: ['teams', 'samenvoegen'], direction: 'join', lang: 'nl' },
];

function parseTeamsSplit(tokens: Token[]): Parsed | undefined {
  const phrase = TEAMS_PHRASES.find((p) => p.words.every((w, i) => lower(tokens[i]) === w));
  if (!phrase) return undefined;
  let rest = tokens.slice(phrase.words.length);
  let lang = phrase.lang;
  // "split teams for group Sales" / "splits Teams af voor groep Verkoop": "for"/"voor" then who.
  const lead = lower(rest[0]);
  if (lead === 'for' || lead === 'of') lang ??= 'en';
  if (lead === 'voor' || lead === 'van') lang ??= 'nl';
  if (lead === 'for' || lead === 'of' || lead === 'voor' || lead === 'van') rest = rest.slice(1);
  const kindWord = lower(rest[0]);
  const kind = kindWord !== undefined ? CLAUSE_WORDS[kindWord] : undefined;
  let principal: PrincipalTarget | undefined;
  if (kind && (kind.clause === 'group' || kind.clause === 'user' || kind.clause === 'users')) {
    const name = joinPhrase(trimFiller(rest.slice(1), true));
    if (name) {
      if (kind.clause === 'group') principal = { kind: 'group', name };
      else {
        const names = splitUsers(name);
        principal =
          names.length > 1 && names.every((n) => n.includes('@'))
            ? { kind: 'users', names }
            : { kind: 'user', name: kind.clause === 'users' && names.length === 1 ? names[0]! : name };
      }
    }
  } else {
    const name = joinPhrase(trimFiller(rest, true));
    if (name) principal = { kind: 'any', name };
  }
  return { command: { kind: 'split-teams', direction: phrase.direction, ...(principal ? { principal } : {}) }, ...(lang ? { lang } : {}) };
}

export function parseCommand(input: string): Parsed {
  const text = cleanText(input ?? '');
  const tokens = normalize(tokenize(text));
  if (!tokens.length) return { command: { kind: 'help' } };
  const w0 = lower(tokens[0]);
  const w1 = lower(tokens[1]);
  const rest = tokens.slice(1);
  const restText = joinPhrase(rest);
  const arg = restText || undefined;

  if (w0 === undefined) return { command: { kind: 'unknown', text } };

  const adopt = /\b(members|leden|adopt)\b/i.test(text) ? parseAdopt(joinPhrase(tokens)) : undefined;
  if (adopt) return adopt;
  const teams = parseTeamsSplit(tokens);
  if (teams) return teams;

  if (MOVE_EN.has(w0)) return parseMove(rest, 'en');
  if (MOVE_NL.has(w0)) return parseMove(rest, 'nl');

  // Reprocess: "reprocess X"; Dutch "verwerk X opnieuw", "verwerk opnieuw X", "opnieuw verwerken X", "herverwerk X".
  if (w0 === 'reprocess' || w0 === 're-process') return reprocessCommand(rest, 'en');
  if (w0 === 'herverwerk' || w0 === 'herverwerken') return reprocessCommand(rest, 'nl');
  if (w0 === 'opnieuw' && (w1 === 'verwerken' || w1 === 'verwerk')) return reprocessCommand(tokens.slice(2), 'nl');
  if (w0 === 'verwerk' || w0 === 'verwerken') {
    const again = rest.findIndex((x) => lower(x) === 'opnieuw');
    if (again >= 0) return reprocessCommand([...rest.slice(0, again), ...rest.slice(again + 1)], 'nl');
  }

  switch (w0) {
    case 'help':
    case '?':
    case 'commands':
      return { command: { kind: 'help' }, lang: w0 === 'help' ? undefined : 'en' };
    case 'hulp':
    case 'commando':
    case "commando's":
    case 'opdrachten':
      return { command: { kind: 'help' }, lang: 'nl' };
    case 'new':
    case 'start':
      return { command: { kind: 'new' }, lang: w0 === 'new' ? 'en' : undefined };
    case 'nieuw':
    case 'nieuwe':
      return { command: { kind: 'new' }, lang: 'nl' };
    case 'plans':
    case 'licenses':
    case 'licences':
    case 'seats':
    case 'skus':
      return { command: { kind: 'plans' }, lang: 'en' };
    case 'licenties':
    case 'licentieplannen':
    case 'plannen':
    case 'abonnementen':
      return { command: { kind: 'plans' }, lang: 'nl' };
    case 'status':
      return { command: { kind: 'status', target: arg } };
    case 'doctor':
    case 'diagnose':
      return { command: { kind: 'doctor', ...(arg ? { group: arg } : {}) } };
    case 'history':
    case 'log':
    case 'geschiedenis': {
      const n = arg && /^\d{1,3}$/.test(arg) ? Number(arg) : undefined;
      return { command: { kind: 'history', ...(n ? { limit: n } : {}) }, lang: w0 === 'geschiedenis' ? 'nl' : w0 === 'history' ? 'en' : undefined };
    }
    case 'pending':
    case 'open':
    case 'approvals':
      return { command: { kind: 'pending' }, lang: w0 === 'open' ? undefined : 'en' };
    case 'openstaand':
    case 'openstaande':
    case 'goedkeuringen':
      return { command: { kind: 'pending' }, lang: 'nl' };
    case 'undo':
    case 'revert':
    case 'rollback':
      return { command: { kind: 'undo', ...(arg ? { change: stripHash(arg) } : {}) }, lang: 'en' };
    case 'herstel':
    case 'terugdraaien':
      return { command: { kind: 'undo', ...(arg ? { change: stripHash(arg) } : {}) }, lang: 'nl' };
    case 'pause':
    case 'resume':
    case 'cancel':
      return { command: { kind: w0, ...(arg ? { change: stripHash(arg) } : {}) }, lang: 'en' };
    case 'pauzeer':
    case 'pauzeren':
      return { command: { kind: 'pause', ...(arg ? { change: stripHash(arg) } : {}) }, lang: 'nl' };
    case 'hervat':
    case 'hervatten':
      return { command: { kind: 'resume', ...(arg ? { change: stripHash(arg) } : {}) }, lang: 'nl' };
    case 'annuleer':
    case 'annuleren':
      return { command: { kind: 'cancel', ...(arg ? { change: stripHash(arg) } : {}) }, lang: 'nl' };
    case 'ongedaan':
      // "ongedaan maken 12"
      if (w1 === 'maken') {
        const a = joinPhrase(tokens.slice(2));
        return { command: { kind: 'undo', ...(a ? { change: stripHash(a) } : {}) }, lang: 'nl' };
      }
      return { command: { kind: 'undo', ...(arg ? { change: stripHash(arg) } : {}) }, lang: 'nl' };
    case 'maak': {
      // "maak 12 ongedaan"
      const idx = tokens.findIndex((t, i) => i > 0 && lower(t) === 'ongedaan');
      if (idx > 0) {
        const a = joinPhrase(tokens.slice(1, idx));
        return { command: { kind: 'undo', ...(a ? { change: stripHash(a) } : {}) }, lang: 'nl' };
      }
      break;
    }
  }
  // A few word orders that put the verb last: "Sales naar E3 verplaatsen", "12 ongedaan maken".
  const lastIdx = tokens.length - 1;
  const wl = lower(tokens[lastIdx]);
  if (wl && (MOVE_NL.has(wl) || MOVE_EN.has(wl)) && lastIdx > 0) return parseMove(tokens.slice(0, lastIdx), MOVE_NL.has(wl) ? 'nl' : 'en');
  if (wl === 'maken' && lower(tokens[lastIdx - 1]) === 'ongedaan' && lastIdx > 1)
    return { command: { kind: 'undo', change: stripHash(joinPhrase(tokens.slice(0, lastIdx - 1))) }, lang: 'nl' };
  if (wl === 'verwerken' && lower(tokens[lastIdx - 1]) === 'opnieuw' && lastIdx > 1) return reprocessCommand(tokens.slice(0, lastIdx - 1), 'nl');
  if (wl === 'status' && lastIdx > 0) return { command: { kind: 'status', target: joinPhrase(tokens.slice(0, lastIdx)) } };
  return { command: { kind: 'unknown', text } };
}

function stripHash(s: string): string {
  return s.replace(/^#/, '').trim();
}

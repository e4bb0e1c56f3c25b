// Every sentence the command line shows comes from the message tables (src/i18n/en.ts and nl.ts),
// so --lang nl is Dutch throughout: a scan of src/cli/*.ts that fails on an English sentence written
// as a string literal there. Comments and regular expressions are skipped; format-only strings
// (punctuation, "plan-switch: ", option names) pass.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', '..', 'src', 'cli');

interface Literal {
  file: string;
  line: number;
  /** The literal's text; a template's ${...} parts as '…'. */
  text: string;
  start: number;
  end: number;
}

/**
 * The string literals of a TypeScript source, comments and regular expressions skipped. Small on
 * purpose: enough for src/cli (templates nest inside ${...}; a '/' after an operator or an opening
 * bracket starts a regular expression).
 */
export function literals(file: string, src: string): Literal[] {
  const out: Literal[] = [];
  const lineAt = (i: number) => src.slice(0, i).split('\n').length;
  let i = 0;
  let lastSignificant = '';
  const skipString = (quote: string): number => {
    let j = i + 1;
    while (j < src.length && src[j] !== quote) j += src[j] === '\\' ? 2 : 1;
    return j + 1;
  };
  /** A template from its backtick; returns the index after it and pushes it (and nested ones). */
  const template = (from: number): number => {
    let j = from + 1;
    let text = '';
    while (j < src.length && src[j] !== '`') {
      if (src[j] === '\\') {
        text += src.slice(j, j + 2);
        j += 2;
      } else if (src[j] === '$' && src[j + 1] === '{') {
        text += '…';
        j = expression(j + 2);
      } else text += src[j++];
    }
    out.push({ file, line: lineAt(from), text, start: from, end: j + 1 });
    return j + 1;
  };
  /** A ${...} expression up to its closing brace (strings and templates inside it included). */
  const expression = (from: number): number => {
    let depth = 1;
    let j = from;
    while (j < src.length && depth > 0) {
      const c = src[j]!;
      if (c === '`') j = template(j);
      else if (c === "'" || c === '"') {
        const save = i;
        i = j;
        const end = skipString(c);
        out.push({ file, line: lineAt(j), text: src.slice(j + 1, end - 1), start: j, end });
        i = save;
        j = end;
      } else {
        if (c === '{') depth++;
        if (c === '}') depth--;
        j++;
      }
    }
    return j;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '/') i = src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i);
    else if (c === '/' && src[i + 1] === '*') i = src.indexOf('*/', i + 2) + 2;
    else if (c === '/' && (lastSignificant === '' || '(,=:[!&|?{};+'.includes(lastSignificant) || /\b(return|typeof|case)\s*$/.test(src.slice(Math.max(0, i - 12), i)))) {
      // A regular expression: to its closing slash, outside a character class.
      let j = i + 1;
      let inClass = false;
      while (j < src.length && (inClass || src[j] !== '/')) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') inClass = true;
        else if (src[j] === ']') inClass = false;
        j++;
      }
      i = j + 1;
      lastSignificant = '/';
    } else if (c === "'" || c === '"') {
      const end = skipString(c);
      out.push({ file, line: lineAt(i), text: src.slice(i + 1, end - 1), start: i, end });
      i = end;
      lastSignificant = c;
    } else if (c === '`') {
      i = template(i);
      lastSignificant = '`';
    } else {
      if (!/\s/.test(c)) lastSignificant = c;
      i++;
    }
  }
  return out;
}

/** Two words in a row: the start of a sentence a person reads (not a code, a key or an option name). */
const SENTENCE = /\b[A-Za-z]{2,}[,;:]? +[A-Za-z]{2,}\b/;
/** Text not read as words: the program's name, options, an ellipsis placeholder. */
const NOT_WORDS = /plan-switch|--?[a-z][\w-]*|…/g;

/** A key or a code compared with, not printed ('join', 'other', 'SOURCE_AMBIGUOUS'). */
const KEY = /^[A-Za-z_][\w-]*$/;

/** Literals that are not shown to a person, by file. */
const ALLOWED: Record<string, string[]> = {
  // The notifier the CLI hands the workflow: its error is logged by the workflow, never printed.
  'control.ts': ['the CLI leaves notices to the bot'],
};

/** The arguments of each io.stdout / io.stderr / io.ask call, as [start, end) offsets. */
function ioCalls(src: string, strings: Literal[]): [number, number][] {
  const calls: [number, number][] = [];
  for (const m of src.matchAll(/\bio\.(stdout|stderr|ask)\(/g)) {
    let depth = 1;
    let j = m.index! + m[0].length;
    while (j < src.length && depth > 0) {
      const lit = strings.find((s) => s.start === j);
      if (lit) {
        j = lit.end;
        continue;
      }
      if (src[j] === '(') depth++;
      if (src[j] === ')') depth--;
      j++;
    }
    calls.push([m.index!, j]);
  }
  return calls;
}

const files = readdirSync(CLI).filter((f) => f.endsWith('.ts'));

describe('src/cli says nothing in English of its own: every sentence comes from the message tables', () => {
  it('the scan finds literals and io calls, and catches an English sentence (the check can fail)', () => {
    const sample = "io.stderr('plan-switch: cancelled; nothing was changed.'); const re = /don't/; // it's fine\nio.stdout(`${t.x}: ${n} users`);";
    const found = literals('sample.ts', sample);
    assert.deepEqual(
      found.map((l) => l.text),
      ['plan-switch: cancelled; nothing was changed.', '…: … users'],
    );
    assert.ok(SENTENCE.test(found[0]!.text.replace(NOT_WORDS, ' ')));
    assert.equal(ioCalls(sample, found).length, 2);
    assert.ok(KEY.test('join') && !KEY.test('cancelled; nothing was changed.'));
    const all = files.flatMap((f) => literals(f, readFileSync(join(CLI, f), 'utf8')));
    assert.ok(all.length > 100, `only ${all.length} literals in src/cli`);
    assert.ok(files.includes('run.ts') && files.includes('format.ts'));
  });

  it('no string literal in src/cli is an English sentence', () => {
    const bad = files.flatMap((f) =>
      literals(f, readFileSync(join(CLI, f), 'utf8'))
        .filter((l) => SENTENCE.test(l.text.replace(NOT_WORDS, ' ')) && !(ALLOWED[f] ?? []).includes(l.text))
        .map((l) => `${l.file}:${l.line}: ${JSON.stringify(l.text)}`),
    );
    assert.deepEqual(bad, []);
  });

  it('what is passed to io.stdout, io.stderr and io.ask has no word of its own (only the program name and punctuation)', () => {
    let calls = 0;
    const bad = files.flatMap((f) => {
      const src = readFileSync(join(CLI, f), 'utf8');
      const strings = literals(f, src);
      return ioCalls(src, strings).flatMap(([from, to]) => {
        calls++;
        return strings
          .filter((l) => l.start >= from && l.end <= to && !KEY.test(l.text) && /[A-Za-z]{3,}/.test(l.text.replace(NOT_WORDS, ' ')))
          .map((l) => `${f}:${l.line}: ${JSON.stringify(l.text)}`);
      });
    });
    assert.ok(calls > 30, `only ${calls} io calls found`);
    assert.deepEqual(bad, []);
  });
});

// A small OData $filter parser and evaluator: enough of the grammar Graph accepts on directory
// objects (eq/ne/startswith/endswith, and/or/not, parentheses, `in`, lambda `any`), with string
// literals in single quotes where a doubled quote is a quote ('O''Brien'). Anything else is a 400
// in Graph's shape, never an exception that escapes.
import { errors } from './graph-errors';
import { GUID_RE } from './ids';

export type Literal = string | number | boolean | null;
export type FilterExpr =
  | { op: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { op: 'not'; expr: FilterExpr }
  | { op: 'cmp'; cmp: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; path: string[]; value: Literal }
  | { op: 'in'; path: string[]; values: Literal[] }
  | { op: 'fn'; fn: 'startswith' | 'endswith' | 'contains'; path: string[]; value: string }
  | { op: 'any'; path: string[]; variable: string; body: FilterExpr | null };

type Token =
  | { t: 'str'; v: string; at: number }
  | { t: 'guid'; v: string; at: number }
  | { t: 'num'; v: number; at: number }
  | { t: 'id'; v: string; at: number }
  | { t: 'punc'; v: '(' | ')' | ',' | ':' | '/'; at: number };

const GUID_PREFIX = new RegExp(GUID_RE.source.replace('$', ''), 'i');

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (at: number): never => {
    throw errors.filterSyntax(`Syntax error at position ${at} in '${text}'.`);
  };
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let v = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) fail(i);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            v += "'";
            j += 2;
            continue;
          }
          break;
        }
        v += text[j++];
      }
      out.push({ t: 'str', v, at: i });
      i = j + 1;
    } else if ('(),:/'.includes(c)) {
      out.push({ t: 'punc', v: c as '(' | ')' | ',' | ':' | '/', at: i });
      i++;
    } else {
      const rest = text.slice(i);
      const g = GUID_PREFIX.exec(rest);
      if (g && g.index === 0 && !/[\w-]/.test(rest[36] ?? '')) {
        out.push({ t: 'guid', v: g[0].toLowerCase(), at: i });
        i += 36;
        continue;
      }
      const n = /^-?\d+(\.\d+)?(?![\w])/.exec(rest);
      if (n) {
        out.push({ t: 'num', v: Number(n[0]), at: i });
        i += n[0].length;
        continue;
      }
      const id = /^[A-Za-z_$@][\w$.@]*/.exec(rest);
      if (!id) fail(i);
      out.push({ t: 'id', v: id![0], at: i });
      i += id![0].length;
    }
  }
  return out;
}

/** Parses a $filter expression; throws a Graph 400 (GraphError) when it is not valid. */
export function parseFilter(text: string): FilterExpr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (tok?: Token): never => {
    throw errors.filterSyntax(tok ? `Syntax error at position ${tok.at} in '${text}'.` : `Syntax error: unexpected end of expression in '${text}'.`);
  };
  const isWord = (tok: Token | undefined, w: string) => tok?.t === 'id' && tok.v.toLowerCase() === w;
  const expectPunc = (v: string) => {
    const tok = tokens[pos];
    if (tok?.t !== 'punc' || tok.v !== v) fail(tok);
    pos++;
  };

  const path = (): string[] => {
    const tok = tokens[pos];
    if (tok?.t !== 'id') fail(tok);
    const parts = [(tok as { v: string }).v];
    pos++;
    while (peek()?.t === 'punc' && peek().v === '/' && tokens[pos + 1]?.t === 'id' && !isLambda(pos + 1)) {
      parts.push((tokens[pos + 1] as { v: string }).v);
      pos += 2;
    }
    return parts;
  };
  // `any(` after a slash starts a lambda rather than a property segment.
  const isLambda = (at: number) => (isWord(tokens[at], 'any') || isWord(tokens[at], 'all') ? tokens[at + 1]?.t === 'punc' && tokens[at + 1].v === '(' : false);

  const literal = (): Literal => {
    const tok = tokens[pos++];
    if (!tok) fail();
    if (tok.t === 'str' || tok.t === 'guid' || tok.t === 'num') return tok.v;
    if (isWord(tok, 'true')) return true;
    if (isWord(tok, 'false')) return false;
    if (isWord(tok, 'null')) return null;
    return fail(tok);
  };

  const primary = (): FilterExpr => {
    const tok = peek();
    if (!tok) fail();
    if (tok.t === 'punc' && tok.v === '(') {
      pos++;
      const e = or();
      expectPunc(')');
      return e;
    }
    if (isWord(tok, 'not')) {
      pos++;
      return { op: 'not', expr: primary() };
    }
    if (tok.t === 'id' && ['startswith', 'endswith', 'contains'].includes(tok.v.toLowerCase()) && tokens[pos + 1]?.t === 'punc' && tokens[pos + 1].v === '(') {
      pos += 2;
      const p = path();
      expectPunc(',');
      const v = literal();
      if (typeof v !== 'string') fail(tokens[pos - 1]);
      expectPunc(')');
      return { op: 'fn', fn: tok.v.toLowerCase() as 'startswith' | 'endswith' | 'contains', path: p, value: v as string };
    }
    const p = path();
    if (peek()?.t === 'punc' && peek().v === '/' && isLambda(pos + 1)) {
      const kind = (tokens[pos + 1] as { v: string }).v.toLowerCase();
      if (kind !== 'any') throw errors.unsupportedQuery(`Lambda '${kind}' is not supported.`);
      pos += 3; // "/", "any", "("
      if (peek()?.t === 'punc' && peek().v === ')') {
        pos++;
        return { op: 'any', path: p, variable: '', body: null };
      }
      const v = tokens[pos];
      if (v?.t !== 'id') fail(v);
      pos++;
      expectPunc(':');
      const body = or();
      expectPunc(')');
      return { op: 'any', path: p, variable: (v as { v: string }).v, body };
    }
    const opTok = tokens[pos++];
    if (opTok?.t !== 'id') fail(opTok);
    const op = (opTok as { v: string }).v.toLowerCase();
    if (op === 'in') {
      expectPunc('(');
      const values: Literal[] = [literal()];
      while (peek()?.t === 'punc' && peek().v === ',') {
        pos++;
        values.push(literal());
      }
      expectPunc(')');
      return { op: 'in', path: p, values };
    }
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) fail(opTok);
    return { op: 'cmp', cmp: op as 'eq', path: p, value: literal() };
  };
  const and = (): FilterExpr => {
    let left = primary();
    while (isWord(peek(), 'and')) {
      pos++;
      left = { op: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): FilterExpr => {
    let left = and();
    while (isWord(peek(), 'or')) {
      pos++;
      left = { op: 'or', left, right: and() };
    }
    return left;
  };

  if (!tokens.length) fail();
  const e = or();
  if (pos < tokens.length) fail(tokens[pos]);
  return e;
}

/** Reads a property of an object for filtering (undefined = the type has no such property). */
export type PropertyReader<T> = (obj: T, name: string) => unknown;

/**
 * Checks the properties an expression names against what the resource supports, so an unknown
 * property is Graph's 400 rather than a silent "no match".
 */
export function checkFilterProperties(expr: FilterExpr, supported: Set<string>, collections: Set<string>, resource: string): void {
  const visit = (e: FilterExpr, lambdaVar?: string) => {
    switch (e.op) {
      case 'and':
      case 'or':
        visit(e.left, lambdaVar);
        visit(e.right, lambdaVar);
        return;
      case 'not':
        visit(e.expr, lambdaVar);
        return;
      case 'any': {
        const name = e.path.join('/');
        if (!collections.has(name.toLowerCase())) throw errors.filterUnsupported(name, resource);
        if (e.body) visit(e.body, e.variable.toLowerCase());
        return;
      }
      default: {
        if (lambdaVar !== undefined && e.path[0].toLowerCase() === lambdaVar) return;
        const name = e.path.join('/');
        if (!supported.has(name.toLowerCase())) throw errors.filterUnsupported(name, resource);
      }
    }
  };
  visit(expr);
}

const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

/** Evaluates a parsed filter on one object. Directory string comparisons ignore case, as Graph. */
export function evaluateFilter<T>(expr: FilterExpr, obj: T, read: PropertyReader<T>, scope: Record<string, unknown> = {}): boolean {
  const value = (path: string[]): unknown => {
    const head = path[0].toLowerCase();
    let v: unknown = head in scope ? scope[head] : read(obj, path[0]);
    for (const seg of path.slice(1)) {
      if (v === null || v === undefined || typeof v !== 'object') return undefined;
      const key = Object.keys(v as object).find((k) => k.toLowerCase() === seg.toLowerCase());
      v = key ? (v as Record<string, unknown>)[key] : undefined;
    }
    return v;
  };
  switch (expr.op) {
    case 'and':
      return evaluateFilter(expr.left, obj, read, scope) && evaluateFilter(expr.right, obj, read, scope);
    case 'or':
      return evaluateFilter(expr.left, obj, read, scope) || evaluateFilter(expr.right, obj, read, scope);
    case 'not':
      return !evaluateFilter(expr.expr, obj, read, scope);
    case 'fn': {
      const v = value(expr.path);
      if (typeof v !== 'string') return false;
      const a = v.toLowerCase();
      const b = expr.value.toLowerCase();
      return expr.fn === 'startswith' ? a.startsWith(b) : expr.fn === 'endswith' ? a.endsWith(b) : a.includes(b);
    }
    case 'in': {
      const v = norm(value(expr.path) ?? null);
      return expr.values.some((x) => norm(x) === v);
    }
    case 'cmp': {
      const v = norm(value(expr.path) ?? null);
      const x = norm(expr.value);
      switch (expr.cmp) {
        case 'eq':
          return v === x;
        case 'ne':
          return v !== x;
        default: {
          if (v === null || x === null || typeof v !== typeof x) return false;
          const a = v as string | number;
          const b = x as string | number;
          return expr.cmp === 'gt' ? a > b : expr.cmp === 'ge' ? a >= b : expr.cmp === 'lt' ? a < b : a <= b;
        }
      }
    }
    case 'any': {
      const list = value(expr.path);
      if (!Array.isArray(list)) return false;
      if (!expr.body) return list.length > 0;
      const body = expr.body;
      return list.some((item) => evaluateFilter(body, obj, read, { ...scope, [expr.variable.toLowerCase()]: item }));
    }
  }
}

// Which folder may import which (docs/architecture.md), checked on the TypeScript sources: a spec
// that fails when an import breaks the house's rules, before a reviewer has to notice.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const SRC = join(ROOT, 'src');

interface Source {
  /** Path under src/, e.g. 'bot/bot.ts'. */
  file: string;
  text: string;
  /** What it imports: 'pkg:botbuilder' for packages, else the path under src/ ('graph/config.ts'). */
  imports: string[];
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string {
  if (!spec.startsWith('.')) return `pkg:${spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]}`;
  const base = normalize(join(dirname(from), spec));
  const target = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p)) ?? base;
  return relative(SRC, target).split('\\').join('/');
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|require\(\s*'([^']+)'\s*\)/g;

const sources: Source[] = walk(SRC).map((path) => {
  const text = readFileSync(path, 'utf8');
  const imports = [...text.matchAll(IMPORT)].map((m) => resolveImport(path, (m[1] ?? m[2] ?? m[3])!));
  return { file: relative(SRC, path).split('\\').join('/'), text, imports };
});

const inFolder = (folder: string) => (p: string) => p === folder || p.startsWith(`${folder}/`);
/** Every import of files in `folder` that `bad` matches, as "file -> import". */
function offending(folder: string | ((file: string) => boolean), bad: (imp: string) => boolean): string[] {
  const mine = typeof folder === 'string' ? inFolder(folder) : folder;
  return sources.filter((s) => mine(s.file)).flatMap((s) => s.imports.filter(bad).map((i) => `${s.file} -> ${i}`));
}
const any =
  (...folders: string[]) =>
  (imp: string) =>
    folders.some((f) => (f.startsWith('pkg:') ? imp === f || imp.startsWith(`${f}/`) : inFolder(f)(imp)));

/** The entry points: the only readers of the environment, and the only users of the composition root. */
const ENTRY_POINTS = ['index.ts', 'cli/main.ts', 'cli/run.ts', 'sandbox/main.ts'];
const BOT_FRAMEWORK = ['pkg:botbuilder', 'pkg:botframework-connector', 'pkg:botbuilder-core', 'pkg:botframework-schema'];

describe('architecture: which folder may import which (docs/architecture.md)', () => {
  it('finds the sources and their imports (the check itself can fail)', () => {
    assert.ok(sources.length > 50, `only ${sources.length} sources found under ${SRC}`);
    assert.ok(sources.find((s) => s.file === 'index.ts')?.imports.includes('config.ts'), 'index.ts imports config.ts');
    assert.ok(sources.find((s) => s.file === 'bot/sdk.ts')?.imports.includes('pkg:botbuilder'), 'sdk.ts re-exports botbuilder');
  });

  it('src/licensing is plain TypeScript: no Bot Framework, no bot, server, workflow, store, sandbox or CLI', () => {
    assert.deepEqual(offending('licensing', any(...BOT_FRAMEWORK, 'bot', 'server', 'requests', 'state', 'sandbox', 'cli', 'compose.ts', 'config.ts', 'config')), []);
  });

  it('src/graph talks to Graph and depends on nothing of the app (never its test double, the sandbox)', () => {
    assert.deepEqual(
      offending('graph', (i) => !i.startsWith('pkg:') && !inFolder('graph')(i) && i !== 'guid.ts'),
      [],
    );
  });

  it('src/requests sees its stores through ports: never src/state, nor the bot, server, Graph or sandbox', () => {
    assert.deepEqual(offending('requests', any(...BOT_FRAMEWORK, 'state', 'bot', 'server', 'graph', 'sandbox', 'compose.ts', 'config.ts')), []);
  });

  it('src/state implements the ports; it never reaches the bot, server, Graph or sandbox', () => {
    assert.deepEqual(offending('state', any(...BOT_FRAMEWORK, 'bot', 'server', 'graph', 'sandbox', 'compose.ts')), []);
  });

  it('src/bot never calls Graph and never opens a store: the license service and the workflow only', () => {
    assert.deepEqual(offending('bot', any('graph', 'state', 'sandbox', 'server', 'compose.ts', 'config.ts', 'config')), []);
  });

  it('src/sandbox reads only the reference data (and the GUID pattern); its entry point also reads the configuration', () => {
    assert.deepEqual(
      offending(
        (f) => inFolder('sandbox')(f) && f !== 'sandbox/main.ts',
        (i) => !i.startsWith('pkg:') && !inFolder('sandbox')(i) && !inFolder('reference')(i) && i !== 'guid.ts',
      ),
      [],
    );
  });

  it("the leaves import nothing of the app: src/reference, src/guid.ts, src/i18n (only the finding codes' types)", () => {
    assert.deepEqual(
      offending('reference', (i) => !i.startsWith('pkg:') && !inFolder('reference')(i) && i !== 'guid.ts'),
      [],
    );
    assert.deepEqual(
      offending('guid.ts', (i) => !i.startsWith('pkg:')),
      [],
    );
    assert.deepEqual(
      offending('i18n', (i) => !i.startsWith('pkg:') && !inFolder('i18n')(i) && i !== 'licensing/model.ts'),
      [],
    );
  });

  it('the configuration depends on no server or bot code (the entry point passes the certificate reader)', () => {
    assert.deepEqual(
      offending((f) => f === 'config.ts' || inFolder('config')(f), any('server', 'bot', 'compose.ts', ...BOT_FRAMEWORK)),
      [],
    );
  });

  it('the CLI never loads the bot (nor botbuilder)', () => {
    assert.deepEqual(offending('cli', any('bot', 'server', ...BOT_FRAMEWORK)), []);
  });

  it('only the entry points (the bot, the CLI and its commands) use the composition root (src/compose.ts)', () => {
    assert.deepEqual(
      offending(
        (f) => !ENTRY_POINTS.includes(f) && !inFolder('cli')(f),
        (i) => i === 'compose.ts',
      ),
      [],
    );
  });

  it('Bot Framework is imported only in src/server and src/bot/sdk.ts (the edge that moves to the Agents SDK)', () => {
    assert.deepEqual(
      offending((f) => !inFolder('server')(f) && f !== 'bot/sdk.ts', any(...BOT_FRAMEWORK)),
      [],
    );
  });

  it('nothing but the entry points reads process.env', () => {
    const readers = sources.filter((s) => !ENTRY_POINTS.includes(s.file) && /\bprocess\.env\b/.test(s.text.replace(/\/\/.*$/gm, ''))).map((s) => s.file);
    assert.deepEqual(readers, []);
  });
});

// npm run package: builds the Teams app package build/plan-switch.zip (flat: manifest.json,
// color.png, outline.png, nl-nl.json) with the bot's MicrosoftAppId put into the manifest.
//
//   MicrosoftAppId=<guid> npm run package        or        npm run package -- --app-id <guid>
//
// Before zipping, the manifest and every localization file are validated offline against the
// JSON schemas that @microsoft/app-manifest bundles for the manifest's version; a problem fails
// the build with the schema's own messages. The icons are the designed PNGs committed in
// manifest/ (sources: manifest/*.svg, rendered by `npm run icons`), checked for Teams' sizes.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { ZipFile } from 'yazl';

/** Repository root: dist/scripts -> ../.. */
export const ROOT = join(__dirname, '..', '..');
export const MANIFEST_DIR = join(ROOT, 'manifest');
export const PACKAGE_PATH = join(ROOT, 'build', 'plan-switch.zip');
const PLACEHOLDER = '{{MicrosoftAppId}}';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Teams' icon sizes: color 192x192, outline 32x32. */
const ICON_SIZE = { color: 192, outline: 32 } as const;

export interface PackageEntry {
  name: string;
  data: Buffer;
}

/** The manifest or a localization file did not pass the schema; `problems` are the schema's own messages. */
export class ManifestInvalid extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} does not match its Teams schema:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ManifestInvalid';
  }
}

type Json = Record<string, unknown>;

/** The schema bundled with @microsoft/app-manifest that a `$schema` URL names (…/teams/v1.19/MicrosoftTeams.schema.json). */
export function bundledSchema(schemaUrl: unknown): Json {
  const m = typeof schemaUrl === 'string' ? /\/teams\/(v[\w.]+)\/(MicrosoftTeams(?:\.Localization)?\.schema\.json)$/.exec(schemaUrl) : null;
  if (!m) throw new Error(`"$schema" must name a Teams schema (…/teams/v1.x/MicrosoftTeams.schema.json), got ${JSON.stringify(schemaUrl)}`);
  const root = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = join(root, 'build', 'json-schemas', 'teams', m[1]!, m[2]!);
  if (!existsSync(file)) throw new Error(`@microsoft/app-manifest bundles no schema ${m[1]}/${m[2]}: use a manifest version it knows`);
  return JSON.parse(readFileSync(file, 'utf8')) as Json;
}

/**
 * The schema's own messages for `doc`, offline (empty when it is valid). The manifest goes through
 * the package's own validator. A localization schema names its keys with patterns written for
 * JavaScript's plain (non-unicode) regular expressions ("commands\[\b(…)\b]"), which that
 * validator compiles in unicode mode and rejects; those files get the same validator (ajv,
 * draft-04, the same formats, every error) with plain regular expressions, and messages in the
 * package's format.
 */
export async function schemaProblems(doc: Json): Promise<string[]> {
  const schema = bundledSchema(doc.$schema);
  if (!/Localization\.schema\.json$/.test(String(doc.$schema))) return AppManifestUtils.validateAgainstSchema(doc as never, schema as never);
  const ajv = new AjvDraft04({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(schema);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message || ''}. Details: ${e.params ? JSON.stringify(e.params) : ''}`);
}

/** Width and height from a PNG's IHDR chunk; throws when the file is not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('ascii', 12, 16) !== 'IHDR') throw new Error('not a PNG file');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Validates everything and returns the package's files, manifest first. Throws ManifestInvalid with the schema's messages. */
export async function packageEntries(appId: string, manifestDir = MANIFEST_DIR): Promise<PackageEntry[]> {
  if (!GUID.test(appId)) throw new Error(`MicrosoftAppId must be the bot's Entra application id (a GUID), got "${appId}"`);
  const manifestText = readFileSync(join(manifestDir, 'manifest.json'), 'utf8');
  if (!manifestText.includes(PLACEHOLDER)) throw new Error(`manifest/manifest.json has no ${PLACEHOLDER} placeholder for the bot id`);
  const manifest = JSON.parse(manifestText.split(PLACEHOLDER).join(appId)) as Json & {
    icons: { color: string; outline: string };
    localizationInfo?: { additionalLanguages?: { file: string }[] };
  };
  const problems = await schemaProblems(manifest);
  if (problems.length) throw new ManifestInvalid('manifest.json', problems);

  const entries: PackageEntry[] = [{ name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8') }];
  for (const kind of ['color', 'outline'] as const) {
    const name = manifest.icons[kind];
    const data = readFileSync(join(manifestDir, name));
    const { width, height } = pngSize(data);
    if (width !== ICON_SIZE[kind] || height !== ICON_SIZE[kind]) {
      throw new Error(`manifest/${name}: the ${kind} icon must be ${ICON_SIZE[kind]}x${ICON_SIZE[kind]}, it is ${width}x${height}`);
    }
    entries.push({ name, data });
  }
  for (const lang of manifest.localizationInfo?.additionalLanguages ?? []) {
    const data = readFileSync(join(manifestDir, lang.file));
    const langProblems = await schemaProblems(JSON.parse(data.toString('utf8')) as Json);
    if (langProblems.length) throw new ManifestInvalid(lang.file, langProblems);
    entries.push({ name: lang.file, data });
  }
  return entries;
}

/** A flat zip of `entries` (yazl: deflate, CRCs, a fixed date so the same input gives the same bytes). */
export function zipEntries(entries: PackageEntry[]): Promise<Buffer> {
  const zip = new ZipFile();
  const mtime = new Date('2026-01-01T00:00:00Z');
  for (const e of entries) {
    if (e.name.includes('/') || e.name.includes('\\')) throw new Error(`the Teams package is flat: "${e.name}" has a folder`);
    zip.addBuffer(e.data, e.name, { mtime, mode: 0o100644 });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

export async function buildPackage(appId: string, out = PACKAGE_PATH): Promise<{ path: string; entries: string[]; bytes: number }> {
  const entries = await packageEntries(appId);
  const data = await zipEntries(entries);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, data);
  return { path: out, entries: entries.map((e) => e.name), bytes: data.length };
}

async function main(argv: string[]): Promise<number> {
  const i = argv.indexOf('--app-id');
  const appId = (i >= 0 ? argv[i + 1] : undefined) ?? process.env.MicrosoftAppId ?? '';
  if (!appId.trim()) {
    console.error("npm run package needs the bot's Entra application id: set MicrosoftAppId or pass --app-id <guid>.");
    return 1;
  }
  try {
    const r = await buildPackage(appId.trim());
    console.log(
      `Teams app package: ${relative(process.cwd(), r.path) || r.path} (${r.bytes} bytes: ${r.entries.join(', ')}); manifest and localization valid against the bundled schema.`,
    );
    return 0;
  } catch (err) {
    console.error(`npm run package failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

// npm run package: builds the Teams app package build/plan-switch.zip (flat: manifest.json,
// color.png, outline.png, nl-nl.json) with the bot's MicrosoftAppId put into the manifest.
//
//   MicrosoftAppId=<guid> npm run package        or        npm run package -- --app-id <guid>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { colorIcon, outlineIcon } from './png';
import { zip, type ZipEntry } from './zip';

/** Repository root: dist/scripts -> ../.. */
export const ROOT = join(__dirname, '..', '..');
export const MANIFEST_DIR = join(ROOT, 'manifest');
export const PACKAGE_PATH = join(ROOT, 'build', 'plan-switch.zip');
const PLACEHOLDER = '{{MicrosoftAppId}}';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function packageEntries(appId: string, manifestDir = MANIFEST_DIR): ZipEntry[] {
  if (!GUID.test(appId)) throw new Error(`MicrosoftAppId must be the bot's Entra application id (a GUID), got "${appId}"`);
  const manifestText = readFileSync(join(manifestDir, 'manifest.json'), 'utf8');
  if (!manifestText.includes(PLACEHOLDER)) throw new Error(`manifest/manifest.json has no ${PLACEHOLDER} placeholder for the bot id`);
  const manifest = JSON.parse(manifestText.split(PLACEHOLDER).join(appId)) as {
    icons: { color: string; outline: string };
    localizationInfo?: { additionalLanguages?: { file: string }[] };
  };
  const entries: ZipEntry[] = [
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8') },
    { name: manifest.icons.color, data: colorIcon(192) },
    { name: manifest.icons.outline, data: outlineIcon(32) },
  ];
  for (const lang of manifest.localizationInfo?.additionalLanguages ?? []) {
    entries.push({ name: lang.file, data: readFileSync(join(manifestDir, lang.file)) });
  }
  return entries;
}

export function buildPackage(appId: string, out = PACKAGE_PATH): { path: string; entries: string[]; bytes: number } {
  const entries = packageEntries(appId);
  const data = zip(entries);
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, data);
  return { path: out, entries: entries.map((e) => e.name), bytes: data.length };
}

function main(argv: string[]): number {
  const i = argv.indexOf('--app-id');
  const appId = (i >= 0 ? argv[i + 1] : undefined) ?? process.env.MicrosoftAppId ?? '';
  if (!appId.trim()) {
    console.error('npm run package needs the bot\'s Entra application id: set MicrosoftAppId or pass --app-id <guid>.');
    return 1;
  }
  try {
    const r = buildPackage(appId.trim());
    console.log(`Teams app package: ${relative(process.cwd(), r.path) || r.path} (${r.bytes} bytes: ${r.entries.join(', ')})`);
    return 0;
  } catch (err) {
    console.error(`npm run package failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

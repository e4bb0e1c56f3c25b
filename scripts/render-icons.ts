// npm run icons: renders the Teams app icons from their SVG sources in manifest/ with Debian
// chromium (playwright-core), once, by hand, when the design changes:
//   manifest/color.svg   -> manifest/color.png    192x192
//   manifest/outline.svg -> manifest/outline.png  32x32, white on transparent
// The PNGs are committed; `npm run package` only copies them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { MANIFEST_DIR } from './package-manifest';

const ICONS = [
  { svg: 'color.svg', png: 'color.png', size: 192 },
  { svg: 'outline.svg', png: 'outline.png', size: 32 },
];

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const icon of ICONS) {
      const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size }, deviceScaleFactor: 1 });
      const svg = readFileSync(join(MANIFEST_DIR, icon.svg), 'utf8');
      await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
      const png = await page.locator('svg').screenshot({ omitBackground: true });
      writeFileSync(join(MANIFEST_DIR, icon.png), png);
      console.log(`manifest/${icon.png}: ${icon.size}x${icon.size}, ${png.length} bytes`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(`npm run icons failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});

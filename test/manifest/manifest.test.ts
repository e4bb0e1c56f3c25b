import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync, inflateSync } from 'node:zlib';
import { buildPackage, MANIFEST_DIR, packageEntries } from '../../scripts/package-manifest';
import { colorIcon, crc32, outlineIcon, readPngHeader } from '../../scripts/png';
import { zip } from '../../scripts/zip';
import { parseCommand } from '../../src/bot/parser';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const manifest = JSON.parse(readFileSync(join(MANIFEST_DIR, 'manifest.json'), 'utf8'));
const dutch = JSON.parse(readFileSync(join(MANIFEST_DIR, 'nl-nl.json'), 'utf8'));

/** Reads a ZIP (central directory, then each local entry), checking CRCs. */
function unzip(buf: Buffer): { name: string; data: Buffer }[] {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory header');
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nlen = buf.readUInt16LE(p + 28);
    const elen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nlen);
    assert.equal(buf.readUInt32LE(local), 0x04034b50, 'local header');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    assert.equal(data.length, size, `${name}: size`);
    assert.equal(crc32(data), crc, `${name}: crc`);
    out.push({ name, data });
    p += 46 + nlen + elen + clen;
  }
  return out;
}

/** RGBA pixels of a PNG written by scripts/png.ts (filter 0 rows). */
function pixels(png: Buffer): { width: number; height: number; rgba: Buffer } {
  const { width, height } = readPngHeader(png);
  const idat: Buffer[] = [];
  for (let p = 8; p < png.length; ) {
    const len = png.readUInt32BE(p);
    const type = png.toString('ascii', p + 4, p + 8);
    if (type === 'IDAT') idat.push(png.subarray(p + 8, p + 8 + len));
    p += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width * 4 + 1)], 0, 'filter type');
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba };
}

describe('manifest: the Teams app package', () => {
  it('uses a current manifest schema (1.19 or later) and says so in $schema', () => {
    const m = /teams\/v(\d+)\.(\d+)\/MicrosoftTeams\.schema\.json$/.exec(manifest.$schema);
    assert.ok(m, manifest.$schema);
    assert.ok(Number(m[1]) === 1 && Number(m[2]) >= 19);
    assert.equal(manifest.manifestVersion, `${m[1]}.${m[2]}`);
  });

  it('has the required fields, in bounds', () => {
    assert.match(manifest.id, GUID);
    assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
    for (const k of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) assert.match(manifest.developer[k], /^https:\/\//, k);
    assert.ok(manifest.developer.name);
    assert.ok(manifest.name.short.length <= 30);
    assert.ok(manifest.name.full.length <= 100);
    assert.ok(manifest.description.short.length <= 80);
    assert.ok(manifest.description.full.length <= 4000);
    assert.match(manifest.accentColor, /^#[0-9a-f]{6}$/i);
    assert.deepEqual(manifest.icons, { color: 'color.png', outline: 'outline.png' });
    assert.ok(Array.isArray(manifest.validDomains));
  });

  it('declares the bot with a placeholder for MicrosoftAppId and command lists of at most 10', () => {
    assert.equal(manifest.bots.length, 1);
    const bot = manifest.bots[0];
    assert.equal(bot.botId, '{{MicrosoftAppId}}');
    assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
    for (const list of bot.commandLists) {
      assert.ok(list.commands.length >= 1 && list.commands.length <= 10, `${list.commands.length} commands`);
      for (const s of list.scopes) assert.ok(bot.scopes.includes(s));
      const titles = list.commands.map((c: { title: string }) => c.title);
      assert.equal(new Set(titles).size, titles.length, 'unique titles');
      for (const c of list.commands) {
        assert.ok(c.title.length <= 32 && c.description.length <= 128, c.title);
      }
    }
    const titles = bot.commandLists.flatMap((l: { commands: { title: string }[] }) => l.commands.map((c) => c.title));
    for (const needed of ['help', 'new', 'plans', 'status', 'history', 'pending', 'move']) assert.ok(titles.includes(needed), needed);
  });

  it('every command in the menu (English and Dutch) is one the bot understands', () => {
    const commands = manifest.bots[0].commandLists[0].commands as { title: string }[];
    const nlTitles = commands.map((_, i) => dutch[`bots[0].commandLists[0].commands[${i}].title`] as string);
    for (const title of [...commands.map((c) => c.title), ...nlTitles]) {
      assert.ok(title, 'every command has a Dutch title');
      assert.notEqual(parseCommand(title).command.kind, 'unknown', title);
    }
    for (const t of nlTitles) assert.equal(parseCommand(t).lang ?? 'nl', 'nl', `${t} answers in Dutch`);
  });

  it('the Dutch localization file covers the names, descriptions and every command', () => {
    assert.deepEqual(manifest.localizationInfo.additionalLanguages, [{ languageTag: 'nl-nl', file: 'nl-nl.json' }]);
    assert.match(dutch.$schema, /MicrosoftTeams\.Localization\.schema\.json$/);
    for (const k of ['name.short', 'name.full', 'description.short', 'description.full']) assert.ok(dutch[k], k);
    assert.ok(dutch['name.short'].length <= 30 && dutch['description.short'].length <= 80);
    const n = manifest.bots[0].commandLists[0].commands.length;
    for (let i = 0; i < n; i++) {
      assert.ok(dutch[`bots[0].commandLists[0].commands[${i}].title`].length <= 32);
      assert.ok(dutch[`bots[0].commandLists[0].commands[${i}].description`].length <= 128);
    }
    for (const key of Object.keys(dutch).filter((k) => k.startsWith('bots['))) {
      const m = /commands\[(\d+)\]/.exec(key);
      assert.ok(m && Number(m[1]) < n, `${key} names an existing command`);
    }
  });

  describe('icons', () => {
    it('color: 192x192 RGBA', () => {
      assert.deepEqual(readPngHeader(colorIcon()), { width: 192, height: 192, bitDepth: 8, colorType: 6 });
      const { rgba } = pixels(colorIcon());
      const center = (96 * 192 + 96) * 4;
      assert.equal(rgba[center + 3], 255, 'opaque in the middle');
    });

    it('outline: 32x32, white on transparent only', () => {
      const png = outlineIcon();
      assert.deepEqual(readPngHeader(png), { width: 32, height: 32, bitDepth: 8, colorType: 6 });
      const { rgba } = pixels(png);
      let opaque = 0;
      let transparent = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i + 3] === 0) transparent++;
        else {
          opaque++;
          assert.deepEqual([rgba[i], rgba[i + 1], rgba[i + 2]], [255, 255, 255], 'only white');
        }
      }
      assert.ok(opaque > 50 && transparent > 400, `${opaque} drawn, ${transparent} transparent`);
    });
  });

  describe('package', () => {
    it('is a flat zip of manifest.json, the icons and nl-nl.json, with MicrosoftAppId put in', () => {
      const dir = mkdtempSync(join(tmpdir(), 'plan-switch-pkg-'));
      try {
        const out = join(dir, 'plan-switch.zip');
        const r = buildPackage(APP_ID, out);
        assert.equal(r.path, out);
        const entries = unzip(readFileSync(out));
        assert.deepEqual(entries.map((e) => e.name), ['manifest.json', 'color.png', 'outline.png', 'nl-nl.json']);
        for (const e of entries) assert.ok(!e.name.includes('/'), 'flat');
        const m = JSON.parse(entries[0]!.data.toString('utf8'));
        assert.equal(m.bots[0].botId, APP_ID);
        assert.ok(!entries[0]!.data.toString('utf8').includes('{{'), 'no placeholder left');
        assert.deepEqual(readPngHeader(entries[1]!.data), { width: 192, height: 192, bitDepth: 8, colorType: 6 });
        assert.deepEqual(readPngHeader(entries[2]!.data), { width: 32, height: 32, bitDepth: 8, colorType: 6 });
        assert.deepEqual(JSON.parse(entries[3]!.data.toString('utf8')), dutch);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses an app id that is not a GUID', () => {
      assert.throws(() => packageEntries('not-a-guid'), /must be the bot's Entra application id/);
    });

    it('the zip writer round-trips arbitrary content and refuses folders', () => {
      const data = Buffer.from('héllo '.repeat(1000));
      const entries = unzip(zip([{ name: 'a.txt', data }, { name: 'empty', data: Buffer.alloc(0) }]));
      assert.deepEqual(entries[0]!.data, data);
      assert.equal(entries[1]!.data.length, 0);
      assert.throws(() => zip([{ name: 'dir/a.txt', data }]), /flat/);
    });
  });
});

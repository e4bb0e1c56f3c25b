import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { buildPackage, bundledSchema, ManifestInvalid, MANIFEST_DIR, packageEntries, pngSize, schemaProblems, zipEntries } from '../../scripts/package-manifest';
import { parseCommand } from '../../src/bot/parser';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const manifest = JSON.parse(readFileSync(join(MANIFEST_DIR, 'manifest.json'), 'utf8'));
const dutch = JSON.parse(readFileSync(join(MANIFEST_DIR, 'nl-nl.json'), 'utf8'));

/** Reads a ZIP the way an unzipper does (central directory, then each local entry), checking CRCs: independent of the zip library. */
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
    assert.equal(crc32(data) >>> 0, crc, `${name}: crc`);
    out.push({ name, data });
    p += 46 + nlen + elen + clen;
  }
  return out;
}

const icon = (name: string) => PNG.sync.read(readFileSync(join(MANIFEST_DIR, name)));

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

  describe('icons: designed PNGs committed in manifest/', () => {
    it('color: 192x192, opaque in the middle, more than a flat fill', () => {
      const png = icon('color.png');
      assert.deepEqual([png.width, png.height], [192, 192]);
      const at = (x: number, y: number) => png.data.readUInt32BE((y * png.width + x) * 4);
      assert.equal(png.data[(96 * 192 + 96) * 4 + 3], 255, 'opaque in the middle');
      const colours = new Set<number>();
      for (let y = 0; y < 192; y += 4) for (let x = 0; x < 192; x += 4) colours.add(at(x, y));
      assert.ok(colours.size > 20, `${colours.size} colours: a design, not a placeholder`);
    });

    it('outline: 32x32, white on transparent only', () => {
      const png = icon('outline.png');
      assert.deepEqual([png.width, png.height], [32, 32]);
      let opaque = 0;
      let transparent = 0;
      for (let i = 0; i < png.data.length; i += 4) {
        if (png.data[i + 3] === 0) transparent++;
        else {
          opaque++;
          assert.deepEqual([png.data[i], png.data[i + 1], png.data[i + 2]], [255, 255, 255], `only white (pixel ${i / 4})`);
        }
      }
      assert.ok(opaque > 50 && transparent > 400, `${opaque} drawn, ${transparent} transparent`);
    });

    it('pngSize reads the header and refuses what is not a PNG', () => {
      assert.deepEqual(pngSize(readFileSync(join(MANIFEST_DIR, 'outline.png'))), { width: 32, height: 32 });
      assert.throws(() => pngSize(Buffer.from('GIF89a............................')), /not a PNG/);
    });
  });

  describe('schema validation (offline, the schemas @microsoft/app-manifest bundles)', () => {
    it('the manifest and its Dutch localization pass their schemas', async () => {
      assert.deepEqual(await schemaProblems({ ...manifest, bots: [{ ...manifest.bots[0], botId: APP_ID }] }), []);
      assert.deepEqual(await schemaProblems(dutch), []);
      assert.equal((bundledSchema(manifest.$schema) as { properties: { manifestVersion: { const: string } } }).properties.manifestVersion.const, manifest.manifestVersion);
    });

    it("a broken manifest fails the package with the schema's own messages", async () => {
      const broken = { ...manifest, name: { short: 'x'.repeat(40) }, accentColor: 'blue', bots: [{ ...manifest.bots[0], botId: APP_ID, scopes: ['everywhere'] }] };
      const problems = await schemaProblems(broken);
      assert.ok(
        problems.some((p) => p.startsWith('/name/short must NOT have more than 30 characters')),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) => p.startsWith("/name must have required property 'full'")),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) => p.startsWith('/accentColor must match pattern')),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((p) => p.startsWith('/bots/0/scopes/0 must be equal to one of the allowed values')),
        problems.join('\n'),
      );
      const dir = mkdtempSync(join(tmpdir(), 'plan-switch-manifest-'));
      try {
        const { writeFileSync, copyFileSync } = await import('node:fs');
        for (const f of ['color.png', 'outline.png', 'nl-nl.json']) copyFileSync(join(MANIFEST_DIR, f), join(dir, f));
        writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...broken, bots: [{ ...broken.bots[0], botId: '{{MicrosoftAppId}}' }] }));
        await assert.rejects(
          packageEntries(APP_ID, dir),
          (err: unknown) => err instanceof ManifestInvalid && err.file === 'manifest.json' && /\/name\/short must NOT have more than 30 characters/.test(err.message),
        );
        // A localization value too long for its field: the localization schema says so.
        writeFileSync(join(dir, 'manifest.json'), readFileSync(join(MANIFEST_DIR, 'manifest.json')));
        writeFileSync(join(dir, 'nl-nl.json'), JSON.stringify({ ...dutch, 'name.short': 'x'.repeat(31) }));
        await assert.rejects(packageEntries(APP_ID, dir), (err: unknown) => err instanceof ManifestInvalid && err.file === 'nl-nl.json' && /name\.short/.test(err.message));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a $schema the package has no copy of is refused, not fetched', () => {
      assert.throws(() => bundledSchema('https://developer.microsoft.com/json-schemas/teams/v9.99/MicrosoftTeams.schema.json'), /bundles no schema v9\.99/);
      assert.throws(() => bundledSchema('https://example.com/schema.json'), /must name a Teams schema/);
    });
  });

  describe('package', () => {
    it('is a flat zip of manifest.json, the icons and nl-nl.json, with MicrosoftAppId put in', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'plan-switch-pkg-'));
      try {
        const out = join(dir, 'plan-switch.zip');
        const r = await buildPackage(APP_ID, out);
        assert.equal(r.path, out);
        const entries = unzip(readFileSync(out));
        assert.deepEqual(
          entries.map((e) => e.name),
          ['manifest.json', 'color.png', 'outline.png', 'nl-nl.json'],
        );
        for (const e of entries) assert.ok(!e.name.includes('/'), 'flat');
        const m = JSON.parse(entries[0]!.data.toString('utf8'));
        assert.equal(m.bots[0].botId, APP_ID);
        assert.ok(!entries[0]!.data.toString('utf8').includes('{{'), 'no placeholder left');
        assert.deepEqual(entries[1]!.data, readFileSync(join(MANIFEST_DIR, 'color.png')), 'the committed icon, as it is');
        assert.deepEqual(entries[2]!.data, readFileSync(join(MANIFEST_DIR, 'outline.png')));
        assert.deepEqual(JSON.parse(entries[3]!.data.toString('utf8')), dutch);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses an app id that is not a GUID', async () => {
      await assert.rejects(packageEntries('not-a-guid'), /must be the bot's Entra application id/);
    });

    it('the zip round-trips arbitrary content, is the same for the same input, and refuses folders', async () => {
      const data = Buffer.from('héllo '.repeat(1000));
      const zipped = await zipEntries([
        { name: 'a.txt', data },
        { name: 'empty', data: Buffer.alloc(0) },
      ]);
      const entries = unzip(zipped);
      assert.deepEqual(entries[0]!.data, data);
      assert.equal(entries[1]!.data.length, 0);
      assert.deepEqual(
        await zipEntries([
          { name: 'a.txt', data },
          { name: 'empty', data: Buffer.alloc(0) },
        ]),
        zipped,
        'reproducible',
      );
      assert.throws(() => zipEntries([{ name: 'dir/a.txt', data }]), /flat/);
    });
  });
});

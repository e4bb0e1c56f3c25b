import assert from 'node:assert/strict';
import { PageParser, PageParseError } from '../../src/graph/page-parser';

// The page parser must give exactly what JSON.parse of the whole body gives, however the bytes are
// cut into chunks, and fail wherever JSON.parse fails.
function parseInChunks(text: string, cuts: number[], runTarget?: number): unknown {
  const bytes = Buffer.from(text, 'utf8');
  const p = new PageParser(runTarget);
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    if (cut > at) p.push(bytes.subarray(at, cut));
    at = cut;
  }
  return p.end();
}

function same(text: string, cuts: number[], runTarget?: number): void {
  let expected: unknown;
  let expectedError = false;
  try {
    // As bytes, then decoded: what the gateway did before (a lone surrogate becomes U+FFFD).
    expected = JSON.parse(Buffer.from(text, 'utf8').toString('utf8'));
  } catch {
    expectedError = true;
  }
  if (expectedError) {
    assert.throws(() => parseInChunks(text, cuts, runTarget), PageParseError, `should fail: ${JSON.stringify(text).slice(0, 200)} cuts ${cuts}`);
  } else {
    assert.deepStrictEqual(parseInChunks(text, cuts, runTarget), expected, `${JSON.stringify(text).slice(0, 300)} cuts ${cuts}`);
  }
}

/** A small random generator (seeded) so failures can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NASTY = ['value', '"', '\\', '\\"', '},{', '],[', '"value":[', 'é', '€', '😀', '\u2028', '\n', ':', ',', '{', '[', ']', '}', 'x'];

function randomString(r: () => number): string {
  let out = '';
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) out += NASTY[Math.floor(r() * NASTY.length)];
  return out;
}

function randomValue(r: () => number, depth: number): unknown {
  const k = r();
  if (depth > 3 || k < 0.3) return [null, true, false, 0, -1.5e3, 42, randomString(r)][Math.floor(r() * 7)];
  if (k < 0.6) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0, n = Math.floor(r() * 4); i < n; i++) o[r() < 0.2 ? 'value' : randomString(r)] = randomValue(r, depth + 1);
  return o;
}

function randomPage(r: () => number): Record<string, unknown> {
  const page: Record<string, unknown> = {};
  if (r() < 0.8) page['@odata.context'] = 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects';
  if (r() < 0.5) page['@odata.nextLink'] = `https://graph.microsoft.com/v1.0/groups/x/members?$skiptoken=${randomString(r)}`;
  if (r() < 0.9) page.value = Array.from({ length: Math.floor(r() * 40) }, () => randomValue(r, 1));
  if (r() < 0.3) page.after = randomValue(r, 1);
  return page;
}

function randomCuts(r: () => number, length: number): number[] {
  return Array.from({ length: Math.floor(r() * 8) }, () => Math.floor(r() * length));
}

describe('page parser (graph pages in chunks)', () => {
  it('Graph-shaped pages, cut anywhere, in runs of any size', () => {
    const users = Array.from({ length: 50 }, (_, i) => ({
      '@odata.type': '#microsoft.graph.user',
      id: `id-${i}`,
      displayName: i % 7 ? `User ${i}` : 'Zoë "Z" \\ O\'Brien },{"value":[',
      assignedLicenses: [{ skuId: 's', disabledPlans: i % 3 ? [] : ['a', 'b'] }],
      licenseAssignmentStates: [
        { assignedByGroup: null, state: 'Active', error: 'None' },
        { assignedByGroup: 'g', state: 'Error', error: 'CountViolation' },
      ],
    }));
    const text = JSON.stringify({ '@odata.context': 'ctx', '@odata.nextLink': 'https://x/?$skiptoken=a', value: users });
    const bytes = Buffer.byteLength(text);
    const p = new PageParser(1000);
    p.push(Buffer.from(text));
    assert.equal((p.end() as { value: unknown[] }).value.length, 50);
    assert.equal(p.inPieces, true, 'a Graph page is parsed in pieces, not as a whole');
    for (const target of [1, 100, 1000, 1 << 20]) {
      same(text, [], target);
      for (let cut = 1; cut < bytes; cut += 37) same(text, [cut], target);
      for (let cut = 1; cut < bytes; cut += 211) same(text, [cut, cut + 1, cut + 2, cut + 5], target);
    }
  });

  it('random documents (and random damage) give what JSON.parse gives', () => {
    const r = rng(20261126);
    for (let n = 0; n < Number(process.env.FUZZ_N ?? 3000); n++) {
      let text = JSON.stringify(randomPage(r), null, r() < 0.3 ? 1 : undefined);
      if (r() < 0.25) {
        // Damage: drop, repeat or insert a byte somewhere.
        const at = Math.floor(r() * text.length);
        const what = r();
        text =
          what < 0.33
            ? text.slice(0, at) + text.slice(at + 1)
            : what < 0.66
              ? text.slice(0, at) + text[at] + text.slice(at)
              : text.slice(0, at) + ',]}"\\'[Math.floor(r() * 5)] + text.slice(at);
      }
      same(text, randomCuts(r, Buffer.byteLength(text)), 1 + Math.floor(r() * 200));
    }
  });

  it('cuts between items found by their first key: nested objects with that key, strings holding it, damage', () => {
    // Items start with "@odata.type", as members do; some nested objects start with it too, and
    // some strings hold the cut pattern itself: such candidate cuts must be refused.
    const r = rng(7);
    const item = (i: number) => ({
      '@odata.type': i % 5 ? '#microsoft.graph.user' : '#microsoft.graph.group',
      id: `id-${i}`,
      displayName: i % 4 ? `User ${i}` : `,{"@odata.type":"#x"},{"@odata.type":`,
      nested: i % 3 ? [] : [{ '@odata.type': '#microsoft.graph.x', n: i }, { '@odata.type': '#y' }],
      licenseAssignmentStates: [{ skuId: 's', state: 'Active' }],
    });
    for (let n = 0; n < 300; n++) {
      const value = Array.from({ length: Math.floor(r() * 60) }, (_, i) => item(i + n));
      let text = JSON.stringify({ '@odata.context': 'ctx', '@odata.nextLink': 'https://x/?$skiptoken=a', value, ...(r() < 0.3 ? { after: [item(1)] } : {}) });
      if (r() < 0.3) {
        const at = Math.floor(r() * text.length);
        text = text.slice(0, at) + ',]}"{'[Math.floor(r() * 5)] + text.slice(at + (r() < 0.5 ? 1 : 0));
      }
      same(text, randomCuts(r, Buffer.byteLength(text)), 1 + Math.floor(r() * 600));
    }
    // A clean members page in small runs comes out in several pieces, found without a full scan.
    const value = Array.from({ length: 40 }, (_, i) => item(i));
    const pieces: number[] = [];
    const p = new PageParser(300, (items) => pieces.push(items.length));
    p.push(Buffer.from(JSON.stringify({ '@odata.nextLink': 'n', value })));
    assert.deepStrictEqual((p.end() as { value: unknown[] }).value, value);
    assert.ok(pieces.length >= 5, `pieces: ${pieces}`);
    assert.equal(
      pieces.reduce((a, b) => a + b, 0),
      40,
    );
  });

  it('onItems sees each run as soon as it is parsed, in order, and its failures change nothing', () => {
    const value = Array.from({ length: 30 }, (_, i) => ({ id: i, pad: 'x'.repeat(50) }));
    const bytes = Buffer.from(JSON.stringify({ '@odata.nextLink': 'n', value }));
    const seen: unknown[][] = [];
    const p = new PageParser(200, (items) => {
      seen.push(items);
      throw new Error('a hint that fails');
    });
    p.push(bytes.subarray(0, 400));
    assert.ok(seen.length >= 1, 'a run came out before the end of the page');
    p.push(bytes.subarray(400));
    const page = p.end() as { value: unknown[] };
    assert.deepStrictEqual(seen.flat(), page.value);
    assert.deepStrictEqual(page.value, value);
  });

  it('shapes it leaves to JSON.parse: not an object, "value" not an array or given twice, escaped keys, trailing bytes', () => {
    for (const text of [
      '[1,2]',
      'null',
      '{"value":3}',
      '{"value":[1],"value":[2]}',
      '{"v\\u0061lue":[1,2]}',
      '{"value":[1,2]} ',
      '{"value":[1,2]} x',
      '{"value":[1,2,]}',
      '{"value":[,1]}',
      '{"value":[]}',
      '{"value":[ ]}',
      '{}',
      '\ufeff{"value":[]}',
      '{"value":[1,2]',
      '',
    ]) {
      for (const target of [1, 64 * 1024]) {
        same(text, [], target);
        same(text, [1, 3, 8], target);
      }
    }
  });
});

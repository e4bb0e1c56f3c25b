import assert from 'node:assert/strict';
import { pageBytes, parseListQuery, type ResourceQuerySupport } from '../../src/sandbox/odata';

// Pages of collections are written item by item into reused buffers (src/sandbox/odata.ts): the
// bytes must be exactly those of JSON.stringify of the page object Graph's shape describes.
describe('sandbox page bodies (pageBytes)', () => {
  const support: ResourceQuerySupport<Record<string, unknown>> = {
    typeName: 'User',
    filterable: new Set(),
    filterCollections: new Set(),
    searchable: new Set(),
    sortable: new Set(),
    read: (o, name) => o[name],
  };
  const page = (items: Record<string, unknown>[], query: string, headers: Record<string, string> = {}) => {
    const url = new URL(`http://127.0.0.1:1/v1.0/users?${query}`);
    const q = parseListQuery(url.searchParams, headers, support);
    return { q, url, out: pageBytes(items, q, url, 'http://127.0.0.1:1/v1.0/$metadata#users', (x) => JSON.stringify(x)) };
  };
  const expected = (items: Record<string, unknown>[], q: { offset: number; top: number; count: boolean }, next?: string) => {
    const body: Record<string, unknown> = { '@odata.context': 'http://127.0.0.1:1/v1.0/$metadata#users' };
    if (q.count) body['@odata.count'] = items.length;
    if (next) body['@odata.nextLink'] = next;
    body.value = items.slice(q.offset, q.offset + q.top);
    return JSON.stringify(body);
  };

  it('writes what JSON.stringify writes: context, count, nextLink, value; escapes and non-ASCII text', () => {
    const items = Array.from({ length: 7 }, (_, i) => ({
      id: `u${i}`,
      displayName: i % 2 ? 'Zoë "Z" Postma\n' : "Seán O'Brien \u2028",
      licenses: [{ skuId: 'x', disabledPlans: [] }],
      n: i,
      on: i > 3,
      none: null,
    }));
    const { q, out } = page(items, '$top=3&$count=true', { consistencylevel: 'eventual' });
    const text = out.bytes.toString('utf8');
    const parsed = JSON.parse(text);
    assert.match(parsed['@odata.nextLink'], /\$top=3&\$count=true&\$skiptoken=/);
    assert.equal(text, expected(items, q, parsed['@odata.nextLink']));
    out.release();
    const last = page(items, `$top=3&$skiptoken=${encodeURIComponent(new URL(parsed['@odata.nextLink']).searchParams.get('$skiptoken')!)}`);
    assert.equal(JSON.parse(last.out.bytes.toString()).value.length, 3);
    last.out.release();
  });

  it('an empty page, and a page bigger than the first buffer (it grows)', () => {
    const none = page([], '$top=5');
    assert.equal(none.out.bytes.toString(), expected([], none.q));
    none.out.release();
    const big = Array.from({ length: 999 }, (_, i) => ({ id: `user-${i}`, blob: 'é'.repeat(900) + String(i) }));
    const { q, out } = page(big, '$top=999');
    assert.ok(out.bytes.length > 1 << 20, `page of ${out.bytes.length} bytes`);
    assert.equal(out.bytes.toString('utf8'), expected(big, q));
    out.release();
  });

  it('buffers are reused once released, and a released page is never written into twice', () => {
    const items = [{ id: 'a' }, { id: 'b' }];
    // Sandboxes of earlier specs in this process may have left spare buffers (up to four): hold
    // them, so what follows starts from an empty pool.
    const held = Array.from({ length: 4 }, () => page(items, '$top=1'));
    const first = page(items, '$top=1');
    const keep = first.out.bytes.toString();
    const second = page(items, '$top=2'); // first not released yet: a different buffer
    assert.equal(first.out.bytes.toString(), keep);
    assert.notEqual(second.out.bytes.buffer, first.out.bytes.buffer);
    first.out.release();
    first.out.release(); // twice is harmless
    const third = page(items, '$top=2');
    assert.equal(third.out.bytes.buffer, first.out.bytes.buffer, 'the released buffer is taken again');
    second.out.release();
    third.out.release();
    for (const h of held) h.out.release();
  });
});

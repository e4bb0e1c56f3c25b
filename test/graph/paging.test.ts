import assert from 'node:assert/strict';
import { tenantFixture, withSandbox } from '../helpers/sandbox';
import { testGateway } from './support';

// Paged reads ask for the next page as soon as the first bytes of the current one are in (the
// nextLink comes before "value"), and stop asking when their caller gives up on them.
describe('gateway paging', () => {
  const sb = withSandbox(
    tenantFixture('Contoso')
      .sku('STANDARDPACK', 3000)
      .generate('All Staff', 2100, { groupLicenses: ['STANDARDPACK'] })
      .build(),
  );
  const groupId = async () => (await sb.get(`/groups?$filter=${encodeURIComponent("displayName eq 'All Staff'")}`)).body.value[0].id as string;

  it('every member once, in order, one request per page, big pages and small', async () => {
    const id = await groupId();
    const order = (await sb.get(`/groups/${id}/members/microsoft.graph.user?$select=id&$top=999`)).body;
    for (const select of [undefined, 'id']) {
      const { gateway, stats } = testGateway(sb);
      await sb.clearRequests();
      const seen: number[] = [];
      const m = await gateway.listGroupMembers(id, { ...(select ? { select } : {}), onPage: (users, page) => seen.push(page * 10_000 + users.length) });
      assert.equal(m.pages, 3);
      assert.deepEqual(seen, [10_999, 20_999, 30_102]);
      assert.equal(m.users.length, 2100);
      assert.equal(new Set(m.users.map((u) => u.id)).size, 2100);
      assert.deepEqual(
        m.users.slice(0, 999).map((u) => u.id),
        order.value.map((u: { id: string }) => u.id),
      );
      assert.equal(stats.httpRequests, 4, 'three pages of users, one of nested groups');
      assert.equal((await sb.requests()).filter((r) => r.path.endsWith('/microsoft.graph.user')).length, 3);
    }
  });

  it('an aborted listing asks for no further page and rejects', async () => {
    const id = await groupId();
    const { gateway } = testGateway(sb);
    await sb.behavior({ latencyMs: 150 }); // pages come one at a time: the abort lands between them
    await sb.clearRequests();
    const ac = new AbortController();
    const p = gateway.listGroupMembers(id, { onPage: () => ac.abort(), signal: ac.signal });
    await assert.rejects(p);
    await sb.behavior({ latencyMs: 0 });
    // The second page may already have been asked for when the first one's head came in; never the third.
    assert.ok((await sb.requests()).filter((r) => r.path.endsWith('/microsoft.graph.user')).length <= 2);
    const before = new AbortController();
    before.abort();
    await assert.rejects(gateway.listGroupMembers(id, { signal: before.signal }), /abandoned/);
  });

  it("an error page is still Graph's error, status and code", async () => {
    const { gateway } = testGateway(sb);
    await assert.rejects(
      gateway.listGroupMembers('00000000-0000-4000-8000-0000000000ff'),
      (e: { status: number; code: string }) => e.status === 404 && e.code === 'Request_ResourceNotFound',
    );
  });
});

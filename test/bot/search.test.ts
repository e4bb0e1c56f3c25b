import assert from 'node:assert/strict';
import { harness, ids, OTHER_TENANT } from './fakes';

const SEARCH = 'application/vnd.microsoft.search.searchResponse';

describe('bot/search: type-ahead for the principal picker', () => {
  it('answers with users and groups as choice values kind:id', async () => {
    const h = harness();
    const res = await h.invoke('application/search', { queryText: 'sal', dataset: 'principals', queryOptions: { skip: 0, top: 15 } });
    assert.equal(res.status, 200);
    assert.equal(res.body.type, SEARCH);
    assert.deepEqual(res.body.value.results, [
      { title: 'Sales — group', value: `group:${ids.sales}` },
      { title: 'Sales Interns — group', value: `group:${ids.sales2}` },
    ]);
    assert.equal(h.licenses.findPrincipals.firstCall.args[0], 'sal');
  });

  it('users show their UPN', async () => {
    const h = harness();
    const res = await h.invoke('application/search', { queryText: 'alice', dataset: 'principals' });
    assert.deepEqual(res.body.value.results, [{ title: 'Alice de Vries (alice@contoso.example)', value: `user:${ids.alice}` }]);
  });

  it('honours skip and top', async () => {
    const h = harness();
    const res = await h.invoke('application/search', { queryText: 'sal', dataset: 'principals', queryOptions: { skip: 1, top: 1 } });
    assert.deepEqual(
      res.body.value.results.map((r: any) => r.value),
      [`group:${ids.sales2}`],
    );
  });

  it('an empty query gives no results without a lookup', async () => {
    const h = harness();
    const res = await h.invoke('application/search', { queryText: '', dataset: 'principals' });
    assert.deepEqual(res.body.value.results, []);
    assert.equal(h.licenses.findPrincipals.callCount, 0);
  });

  it('an unknown dataset or a malformed value gets an error answer', async () => {
    const h = harness();
    const r1 = await h.invoke('application/search', { queryText: 'a', dataset: 'secrets' });
    assert.equal(r1.status, 400);
    assert.equal(r1.body.type, 'application/vnd.microsoft.error');
    const r2 = await h.invoke('application/search', { queryText: { $gt: '' } });
    assert.equal(r2.status, 400);
  });

  it('another tenant is refused', async () => {
    const h = harness();
    const res = await h.invoke('application/search', { queryText: 'a', dataset: 'principals' }, { tenantId: OTHER_TENANT });
    assert.equal(res.status, 403);
    assert.equal(h.licenses.findPrincipals.callCount, 0);
  });
});

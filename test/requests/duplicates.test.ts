// A repeated "Request approval" (no replyToId to tie the clicks together) returns the request
// already waiting for the same change: one pending request, approvers asked once.
import assert from 'node:assert/strict';
import { ApproverPolicy } from '../../src/requests/approvers';
import type { WorkflowResult } from '../../src/requests/types';
import { ChangeRequests } from '../../src/requests/workflow';
import { openStore, type SqliteRequestStore } from '../../src/state/sqlite-store';
import { alice, APPROVERS, bob, Clock, E1, E3, fakeLicenses, groupChange, groupSpec, preflight, RecordingNotifier, TENANT, user, usersChange } from './fakes';

const HOUR = 3_600_000;

describe('requests: a repeated request for the same change', () => {
  let clock: Clock;
  let store: SqliteRequestStore;
  let notifier: RecordingNotifier;
  let wf: ChangeRequests;

  beforeEach(() => {
    clock = new Clock();
    store = openStore(':memory:', { now: clock.now });
    notifier = new RecordingNotifier();
    const licenses = fakeLicenses();
    wf = new ChangeRequests({
      store,
      licenses,
      approvers: new ApproverPolicy({ approvers: APPROVERS, tenantId: TENANT, licenses, now: clock.now }),
      notifier,
      tenantId: TENANT,
      ttlMs: HOUR,
      now: clock.now,
      recheckBudgetMs: 0,
    });
  });
  afterEach(async () => {
    await wf.whenIdle();
    store.close();
  });

  const id = (r: WorkflowResult) => (r.ok ? r.request.id : assert.fail(`${r.reason}: ${r.message}`));

  it('same requester, same change, within the approval time: the same pending request, approvers asked once', async () => {
    const first = id(await wf.request(alice, groupSpec, preflight(), 'conv-1'));
    clock.advance(HOUR / 2);
    const again = id(await wf.request(alice, groupSpec, preflight(), 'conv-1'));
    assert.equal(again, first);
    assert.equal((await store.list({ states: ['pending'] })).length, 1);
    await wf.whenIdle();
    assert.deepEqual(notifier.events(), ['requested']);
  });

  it('another change, another requester, or after the approval time: a new request', async () => {
    const first = id(await wf.request(alice, groupSpec, preflight(), 'conv-1'));
    const toE1 = groupChange({ from: E3, to: E1 });
    assert.notEqual(id(await wf.request(alice, groupSpec, preflight(toE1))), first, 'other direction');
    assert.notEqual(id(await wf.request(alice, groupSpec, preflight(groupChange({ includeDirectCopies: true })))), first, 'with direct copies');
    const two = usersChange([user(1), user(2)]);
    const twoId = id(await wf.request(alice, groupSpec, preflight(two)));
    assert.notEqual(id(await wf.request(alice, groupSpec, preflight(usersChange([user(1), user(3)])))), twoId, 'other users');
    assert.equal(id(await wf.request(alice, groupSpec, preflight(usersChange([user(2), user(1)])))), twoId, 'same users in another order');
    assert.notEqual(id(await wf.request(bob, groupSpec, preflight())), first, 'another requester');
    clock.advance(HOUR + 1);
    assert.notEqual(id(await wf.request(alice, groupSpec, preflight())), first, 'the first one expired');
  });

  it('a request that was decided no longer counts', async () => {
    const first = id(await wf.request(alice, groupSpec, preflight()));
    assert.ok((await wf.cancel(alice, first)).ok);
    assert.notEqual(id(await wf.request(alice, groupSpec, preflight())), first);
  });
});

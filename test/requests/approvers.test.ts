import assert from 'node:assert/strict';
import { ApproverPolicy, parseApprovers } from '../../src/requests/approvers';
import { DEFAULT_APPROVAL_TTL_MS } from '../../src/requests/config';
import { loadRequestConfig, parseDuration } from '../../src/config/requests';
import { loadConfig } from '../../src/config';
import { alice, APPROVERS, bob, carol, Clock, dave, fakeLicenses, ids, OTHER_TENANT, TENANT } from './fakes';

describe('requests: approvers policy', () => {
  describe('parseApprovers', () => {
    it('reads UPNs, object ids and prefixed entries, comma/semicolon/space separated, without duplicates', () => {
      assert.deepEqual(parseApprovers(` Bob@Contoso.example ; ${ids.approversGroup.toUpperCase()},group:${ids.sales} user:${ids.carol}, bob@contoso.example`), [
        { kind: 'upn', value: 'bob@contoso.example' },
        { kind: 'id', value: ids.approversGroup },
        { kind: 'group', value: ids.sales },
        { kind: 'user', value: ids.carol },
      ]);
      assert.deepEqual(parseApprovers(''), []);
      assert.deepEqual(parseApprovers(undefined), []);
      assert.deepEqual(parseApprovers(['bob@contoso.example']), [{ kind: 'upn', value: 'bob@contoso.example' }]);
    });

    it('names every entry that is neither a UPN nor an object id', () => {
      assert.throws(() => parseApprovers('bob@contoso.example, Sales Admins, group:bob@x'), /"Sales".*"Admins".*"group:bob@x"/);
    });
  });

  describe('canApprove', () => {
    const request = { id: '1', requester: alice };
    const make = (over: Partial<ConstructorParameters<typeof ApproverPolicy>[0]> = {}) => {
      const licenses = fakeLicenses();
      const clock = new Clock();
      const policy = new ApproverPolicy({ approvers: APPROVERS, tenantId: TENANT, licenses, now: clock.now, ...over });
      return { policy, licenses, clock };
    };

    it('allows a user listed by UPN and a member of a listed group', async () => {
      const { policy } = make();
      assert.deepEqual(await policy.canApprove(bob, request), { ok: true });
      assert.deepEqual(await policy.canApprove(dave, request), { ok: true });
    });

    it('refuses anyone else as not_approver', async () => {
      const { policy } = make();
      const r = await policy.canApprove(carol, request);
      assert.equal(r.ok ? '' : r.reason, 'not_approver');
    });

    it('refuses an actor from another tenant, even a listed approver', async () => {
      const { policy } = make();
      const r = await policy.canApprove({ ...bob, tenantId: OTHER_TENANT }, request);
      assert.equal(r.ok ? '' : r.reason, 'wrong_tenant');
      assert.equal(await policy.isApprover({ ...bob, tenantId: OTHER_TENANT }), false);
    });

    it('refuses the requester on their own request unless self-approval is allowed', async () => {
      const { policy } = make({ approvers: `${APPROVERS}, alice@contoso.example` });
      const r = await policy.canApprove(alice, request);
      assert.equal(r.ok ? '' : r.reason, 'own_request');
      assert.deepEqual(await policy.canApprove(alice, { id: '2', requester: bob }), { ok: true });
      const self = make({ approvers: `${APPROVERS}, alice@contoso.example`, allowSelfApproval: true });
      assert.deepEqual(await self.policy.canApprove(alice, request), { ok: true });
    });

    it('a bare object id that is not a group still names a user', async () => {
      const { policy } = make({ approvers: ids.carol });
      assert.deepEqual(await policy.canApprove(carol, request), { ok: true });
    });

    it('a listed group counts by its members, not as a user itself; a Graph 404 means "not a group"', async () => {
      const { policy, licenses } = make({ approvers: `${ids.approversGroup}, ${ids.carol}` });
      licenses.groupMemberIds
        .withArgs(ids.carol)
        .rejects(Object.assign(new Error('Microsoft Graph: not found'), { name: 'LicensingError', code: 'GRAPH_ERROR', data: { status: 404 } }));
      assert.deepEqual([...(await policy.approverIds())].sort(), [ids.carol, ids.dave].sort());
      assert.deepEqual(await policy.canApprove(carol, request), { ok: true });
    });

    it('with no approvers configured nobody approves, and the message says why', async () => {
      const { policy } = make({ approvers: '' });
      const r = await policy.canApprove(bob, request);
      assert.ok(!r.ok && r.reason === 'not_approver' && /APPROVERS is empty/.test(r.message));
      assert.ok(!r.ok && r.noApproversConfigured === true);
    });

    it('someone who is simply not on the list is told so, not that nobody can approve', async () => {
      const { policy } = make({ approvers: ids.carol });
      const r = await policy.canApprove(bob, request);
      assert.ok(!r.ok && r.reason === 'not_approver' && !r.noApproversConfigured);
    });

    it('caches resolved membership for a while, then resolves again', async () => {
      const { policy, licenses, clock } = make({ cacheTtlMs: 60_000 });
      await Promise.all([policy.canApprove(bob, request), policy.canApprove(dave, request), policy.canApprove(carol, request)]);
      await policy.canApprove(bob, request);
      assert.equal(licenses.resolveUser.callCount, 1);
      assert.equal(licenses.groupMemberIds.callCount, 1);
      clock.advance(61_000);
      await policy.canApprove(bob, request);
      assert.equal(licenses.resolveUser.callCount, 2);
    });

    it('a Graph failure while resolving keeps what it could and retries soon', async () => {
      const { policy, licenses, clock } = make({ cacheTtlMs: 60_000 });
      licenses.groupMemberIds.onFirstCall().rejects(Object.assign(new Error('503'), { code: 'GRAPH_ERROR' }));
      assert.deepEqual(await policy.canApprove(bob, request), { ok: true });
      assert.equal((await policy.canApprove(dave, request)).ok, false);
      clock.advance(6_000);
      assert.deepEqual(await policy.canApprove(dave, request), { ok: true });
    });
  });
});

describe('requests: configuration', () => {
  it('parses APPROVAL_TTL durations', () => {
    assert.equal(parseDuration('24h'), DEFAULT_APPROVAL_TTL_MS);
    assert.equal(parseDuration('90m'), 90 * 60_000);
    assert.equal(parseDuration('30'), 30_000);
    assert.equal(parseDuration('1500ms'), 1500);
    assert.equal(parseDuration('2d'), 2 * DEFAULT_APPROVAL_TTL_MS);
    assert.throws(() => parseDuration('soon', 'APPROVAL_TTL'), /APPROVAL_TTL/);
    assert.throws(() => parseDuration('0h'), /more than zero/);
  });

  it('reads the environment with defaults', () => {
    const c = loadRequestConfig({});
    assert.equal(loadConfig({ SANDBOX_TENANT: 'data/demo-tenant.json' }).stateDb, './var/plan-switch.db');
    assert.equal(c.approvalTtlMs, DEFAULT_APPROVAL_TTL_MS);
    assert.equal(c.allowSelfApproval, false);
    assert.deepEqual(c.approvers, []);
    const d = loadRequestConfig({ STATE_DB: '/tmp/x.db', APPROVAL_TTL: '2h', ALLOW_SELF_APPROVAL: 'true', APPROVERS: 'bob@contoso.example' });
    assert.equal(loadConfig({ STATE_DB: '/tmp/x.db' }).stateDb, '/tmp/x.db');
    assert.equal(d.approvalTtlMs, 2 * 3_600_000);
    assert.equal(d.allowSelfApproval, true);
    assert.equal(d.approvers.length, 1);
    assert.throws(() => loadRequestConfig({ ALLOW_SELF_APPROVAL: 'maybe' }), /ALLOW_SELF_APPROVAL/);
  });
});

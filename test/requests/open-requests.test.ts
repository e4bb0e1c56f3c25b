import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRequests } from '../../src/requests';
import { loadConfig } from '../../src/config';
import { openStateStore } from '../../src/compose';
import type { LicensePort } from '../../src/licensing/model';
import { alice, bob, fakeLicenses, groupSpec, preflight, RecordingNotifier, TENANT } from './fakes';

/** What the composition root does: the configuration from `env`, the store it names, the workflow on it. */
async function openFromEnv(env: NodeJS.ProcessEnv, licenses: LicensePort) {
  const config = loadConfig({ SANDBOX_TENANT: 'data/demo-tenant.json', ...env });
  const store = await openStateStore(config);
  const opened = openRequests({ store, config: config.requests, licenses, notifier: new RecordingNotifier(), tenantId: TENANT });
  return { ...opened, close: () => opened.close().finally(() => store.close()) };
}

describe('requests: openRequests (start-up wiring from the environment)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plan-switch-open-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens STATE_DB, reads APPROVERS / ALLOW_SELF_APPROVAL / APPROVAL_TTL, and runs a request end to end', async () => {
    const licenses = fakeLicenses();
    const db = join(dir, 'var', 'state.db');
    const env = {
      STATE_DB: db,
      APPROVERS: 'bob@contoso.example, group:e0000000-0000-4000-8000-00000000000e',
      REQUESTERS: `user:${alice.id}`,
      APPROVAL_TTL: '2h',
      ALLOW_SELF_APPROVAL: 'false',
    };
    const opened = await openFromEnv(env, licenses);
    try {
      assert.ok(existsSync(db));
      assert.equal(opened.config.approvalTtlMs, 2 * 3_600_000);
      assert.deepEqual(await opened.workflow.start({ everyMs: 60_000 }), []);
      const r = await opened.workflow.request(alice, groupSpec, preflight());
      assert.ok(r.ok);
      assert.equal(Date.parse(r.request.expiresAt) - Date.parse(r.request.createdAt), 2 * 3_600_000);
      assert.ok((await opened.workflow.approve(bob, r.request.id, 1)).ok);
      await opened.workflow.whenIdle();
      assert.equal((await opened.workflow.status(r.request.id)).ok && (await opened.store.get(r.request.id))!.state, 'completed');
    } finally {
      await opened.close();
    }
  });

  it('REQUESTERS unset: the approvers may ask; anyone else is refused (not_requester) and nothing is stored', async () => {
    const licenses = fakeLicenses();
    const env = { STATE_DB: join(dir, 'r.db'), APPROVERS: `user:${bob.id}` };
    const opened = await openFromEnv(env, licenses);
    try {
      assert.equal(opened.requesters.fromApprovers, true);
      const refused = await opened.workflow.request(alice, groupSpec, preflight());
      assert.equal(refused.ok, false);
      assert.equal(!refused.ok && refused.reason, 'not_requester');
      assert.deepEqual(await opened.store.list({}), []);
      const asked = await opened.workflow.request(bob, groupSpec, preflight());
      assert.ok(asked.ok);
    } finally {
      await opened.close();
    }
  });

  it('REQUESTERS set: only they may ask; approvers are not requesters unless listed', async () => {
    const env = { STATE_DB: join(dir, 'r2.db'), APPROVERS: `user:${bob.id}`, REQUESTERS: `user:${alice.id}` };
    const opened = await openFromEnv(env, fakeLicenses());
    try {
      assert.ok((await opened.workflow.request(alice, groupSpec, preflight())).ok);
      const byBob = await opened.workflow.request(bob, groupSpec, preflight());
      assert.equal(!byBob.ok && byBob.reason, 'not_requester');
    } finally {
      await opened.close();
    }
  });

  it('refuses a bad REQUESTERS entry at start-up, naming REQUESTERS, before any store is opened', async () => {
    await assert.rejects(openFromEnv({ STATE_DB: join(dir, 's.db'), REQUESTERS: 'Helpdesk' }, fakeLicenses()), /REQUESTERS: "Helpdesk"/);
    assert.equal(existsSync(join(dir, 's.db')), false);
  });

  it('refuses a bad APPROVERS entry at start-up', async () => {
    await assert.rejects(openFromEnv({ STATE_DB: join(dir, 's.db'), APPROVERS: 'Sales Team' }, fakeLicenses()), /APPROVERS/);
  });
});

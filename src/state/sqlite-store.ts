// The durable store behind RequestStore: one SQLite file (better-sqlite3), WAL mode, shared
// safely by several bot processes. Every state change is a compare-and-set on (state, version)
// inside one IMMEDIATE transaction that also appends the audit entry, so a second click, a Teams
// retry or another process finds the state already moved. The audit table has no update or
// delete path here, and triggers refuse both at the database level.
// better-sqlite3 is synchronous: each port method does its work at once and answers a settled
// Promise, so a transaction never spans an await and stays atomic.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ChangeSpec, PreflightResult } from '../licensing/model';
import type { Actor, AuditEntry, ChangeRequest, RequestLease, RequestResult, RequestState, RequestFilter, RequestStore, TransitionResult } from '../requests/types';
import { normalizeRequestId } from '../requests/request-id';
import type { ConversationStore } from '../requests/conversation-store';
import { conversationRecords } from './conversation-records';
import { runMigrations } from './migrations';
import type { StoreProbe } from './probe';

/** The notices table's request id for the error watch's notices (request ids are digits). */
const WATCH_NOTICES = 'watch';
export interface StoreOptions {
  /** Clock for createdAt/updatedAt/expiresAt and audit times (tests inject one). */
  now?: () => Date;
  /** How long a writer waits for another process's lock before failing, ms (default 10 s). */
  busyTimeoutMs?: number;
}

/** The request store and the bot's conversation state, in one SQLite file. */
export interface SqliteRequestStore extends RequestStore, ConversationStore {
  /** The underlying connection, for tests and maintenance only. */
  readonly db: Database.Database;
  readonly path: string;
  readonly kind: 'sqlite';
  /** The file, for logs. */
  readonly description: string;
  /** One read: the database answers (for /healthz and /readyz). */
  ping(): Promise<StoreProbe>;
  close(): void;
}

interface RequestRow {
  id: number;
  version: number;
  state: RequestState;
  spec: string;
  preflight: string;
  requester: string;
  requester_id: string;
  approver: string | null;
  created_at: string;
  updated_at: string;
  expires_at: string;
  undo_of: string | null;
  conversation_key: string | null;
  result: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  notified_version: number;
}

interface AuditRow {
  seq: number;
  request_id: string;
  at: string;
  actor: string | null;
  action: string;
  from_state: RequestState | null;
  to_state: RequestState | null;
  detail: string;
}

function toRequest(row: RequestRow): ChangeRequest {
  const r: ChangeRequest = {
    id: String(row.id),
    version: row.version,
    state: row.state,
    spec: JSON.parse(row.spec) as ChangeSpec,
    preflight: JSON.parse(row.preflight) as PreflightResult,
    requester: JSON.parse(row.requester) as Actor,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
  };
  if (row.approver) r.approver = JSON.parse(row.approver) as Actor;
  if (row.undo_of) r.undoOf = row.undo_of;
  if (row.conversation_key) r.conversationKey = row.conversation_key;
  if (row.result) r.result = JSON.parse(row.result) as RequestResult;
  if (row.lease_owner && row.lease_until) r.lease = { owner: row.lease_owner, until: row.lease_until };
  r.notifiedVersion = row.notified_version;
  return r;
}

function toAudit(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    requestId: row.request_id,
    at: row.at,
    actor: row.actor ? (JSON.parse(row.actor) as Actor) : null,
    action: row.action,
    fromState: row.from_state,
    toState: row.to_state,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}

function actorJson(actor: Actor | null | undefined): string | null {
  if (!actor) return null;
  const a: Actor = { id: actor.id, tenantId: actor.tenantId };
  if (actor.name !== undefined) a.name = actor.name;
  return JSON.stringify(a);
}

/**
 * Opens (and creates, with its directory) the state database at `path` and runs the schema
 * migrations. `:memory:` works for tests that need no second connection.
 */
export function openStore(path: string, options: StoreOptions = {}): SqliteRequestStore {
  const now = options.now ?? (() => new Date());
  const memory = path === ':memory:' || path === '';
  const fullPath = memory ? ':memory:' : resolve(path);
  if (!memory) mkdirSync(dirname(fullPath), { recursive: true });

  const db = new Database(fullPath);
  // busy_timeout first: switching to WAL and migrating may meet another process's lock.
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 10_000))}`);
  if (!memory) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  runMigrations(db, undefined, now);

  const q = {
    insert: db.prepare(`INSERT INTO requests
      (version, state, spec, preflight, requester, requester_id, created_at, updated_at, expires_at, undo_of, conversation_key)
      VALUES (1, 'pending', @spec, @preflight, @requester, @requester_id, @at, @at, @expires_at, @undo_of, @conversation_key)`),
    get: db.prepare('SELECT * FROM requests WHERE id = ?'),
    audit: db.prepare(`INSERT INTO audit (request_id, at, actor, action, from_state, to_state, detail)
      VALUES (?, ?, ?, ?, ?, ?, ?)`),
    auditOf: db.prepare('SELECT * FROM audit WHERE request_id = ? ORDER BY seq'),
    renew: db.prepare(`UPDATE requests SET lease_until = ? WHERE id = ? AND state = 'running' AND lease_owner = ?`),
    notified: db.prepare('UPDATE requests SET notified_version = ? WHERE id = ? AND notified_version < ?'),
    saveRef: db.prepare(`INSERT INTO conversation_refs (key, ref, updated_at) VALUES (?, ?, ?)
      ON CONFLICT(key) DO UPDATE SET ref = excluded.ref, updated_at = excluded.updated_at`),
    getRef: db.prepare('SELECT ref FROM conversation_refs WHERE key = ?'),
    claimNew: db.prepare(`INSERT INTO notices (request_id, kind, owner, claim_until) VALUES (?, ?, ?, ?)
      ON CONFLICT(request_id, kind) DO UPDATE SET owner = excluded.owner, claim_until = excluded.claim_until
      WHERE notices.sent_at IS NULL AND notices.claim_until < ?`),
    noticeSent: db.prepare('UPDATE notices SET sent_at = ? WHERE request_id = ? AND kind = ? AND sent_at IS NULL'),
    noticeReleased: db.prepare(`UPDATE notices SET claim_until = '1970-01-01T00:00:00.000Z' WHERE request_id = ? AND kind = ? AND owner = ? AND sent_at IS NULL`),
    // ISO times of one format compare as text.
    saveChoice: db.prepare('INSERT INTO card_choices (id, users, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    getChoice: db.prepare('SELECT users FROM card_choices WHERE id = ? AND expires_at > ?'),
    sweepChoices: db.prepare('DELETE FROM card_choices WHERE expires_at <= ?'),
  };

  const getRow = (id: string): RequestRow | undefined => {
    const n = normalizeRequestId(id);
    return n === undefined ? undefined : (q.get.get(Number(n)) as RequestRow | undefined);
  };

  const create = db.transaction((input: Parameters<RequestStore['create']>[0]): ChangeRequest => {
    const at = now();
    const info = q.insert.run({
      spec: JSON.stringify(input.spec),
      preflight: JSON.stringify(input.preflight),
      requester: actorJson(input.requester),
      requester_id: input.requester.id,
      at: at.toISOString(),
      expires_at: new Date(at.getTime() + input.ttlMs).toISOString(),
      undo_of: input.undoOf ?? null,
      conversation_key: input.conversationKey ?? null,
    });
    const id = String(info.lastInsertRowid);
    q.audit.run(
      id,
      at.toISOString(),
      actorJson(input.requester),
      'requested',
      null,
      'pending',
      JSON.stringify({ spec: input.spec, undoOf: input.undoOf ?? null, ttlMs: input.ttlMs }),
    );
    return toRequest(q.get.get(Number(id)) as RequestRow);
  });

  const transition = db.transaction(
    (
      id: string,
      expect: { from: readonly RequestState[]; version?: number },
      to: RequestState,
      actor: Actor | null,
      patch: { approver?: Actor; result?: RequestResult; preflight?: PreflightResult; lease?: RequestLease | null } = {},
      detail: Record<string, unknown> = {},
      action?: string,
    ): TransitionResult => {
      const row = getRow(id);
      if (!row) return { ok: false, reason: 'unknown' };
      const current = toRequest(row);
      if (!expect.from.includes(row.state)) return { ok: false, reason: 'state', request: current };
      if (expect.version !== undefined && expect.version !== row.version) return { ok: false, reason: 'version', request: current };

      const at = now().toISOString();
      const sets = ['state = @to', 'version = version + 1', 'updated_at = @at'];
      const params: Record<string, unknown> = { to, at, id: row.id, version: row.version };
      if (patch.approver !== undefined) {
        sets.push('approver = @approver');
        params.approver = actorJson(patch.approver);
      }
      if (patch.result !== undefined) {
        sets.push('result = @result');
        params.result = JSON.stringify(patch.result);
      }
      if (patch.preflight !== undefined) {
        sets.push('preflight = @preflight');
        params.preflight = JSON.stringify(patch.preflight);
      }
      if (patch.lease !== undefined || to !== 'running') {
        // A lease only means something while running: leaving 'running' always drops it.
        const lease = to === 'running' ? (patch.lease ?? null) : null;
        sets.push('lease_owner = @lease_owner', 'lease_until = @lease_until');
        params.lease_owner = lease?.owner ?? null;
        params.lease_until = lease?.until ?? null;
      }
      const info = db.prepare(`UPDATE requests SET ${sets.join(', ')} WHERE id = @id AND version = @version`).run(params);
      if (info.changes !== 1) return { ok: false, reason: 'version', request: current }; // cannot happen inside IMMEDIATE
      q.audit.run(String(row.id), at, actorJson(actor), action ?? to, row.state, to, JSON.stringify(detail));
      return { ok: true, request: toRequest(q.get.get(row.id) as RequestRow) };
    },
  );

  const list = (filter: RequestFilter = {}): ChangeRequest[] => {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.states) {
      if (filter.states.length === 0) return [];
      where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
      params.push(...filter.states);
    }
    if (filter.requesterId !== undefined) {
      where.push('requester_id = ?');
      params.push(filter.requesterId);
    }
    if (filter.undoOf !== undefined) {
      where.push('undo_of = ?');
      params.push(filter.undoOf);
    }
    if (filter.unnotified) where.push('notified_version < version');
    if (filter.updatedSince !== undefined) {
      where.push('updated_at >= ?');
      params.push(filter.updatedSince);
    }
    let sql = 'SELECT * FROM requests';
    if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
    sql += ' ORDER BY id DESC';
    if (filter.limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(Math.max(0, Math.floor(filter.limit)));
    }
    return (db.prepare(sql).all(...params) as RequestRow[]).map(toRequest);
  };

  const store: SqliteRequestStore = {
    db,
    path: fullPath,
    kind: 'sqlite',
    description: fullPath,
    ping: async () => {
      const started = performance.now();
      const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
      return { kind: 'sqlite', database: fullPath, schemaVersion: row.v ?? 0, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    },
    create: async (input) => create.immediate(input),
    get: async (id) => {
      const row = getRow(id);
      return row ? toRequest(row) : undefined;
    },
    transition: async (id, expect, to, actor, patch, detail, action) => transition.immediate(id, expect, to, actor, patch, detail, action),
    list: async (filter) => list(filter),
    markNotified: async (id, version) => {
      const n = normalizeRequestId(id);
      if (n !== undefined) q.notified.run(version, Number(n), version);
    },
    renewLease: async (id, owner, until) => {
      const n = normalizeRequestId(id);
      return n !== undefined && q.renew.run(until, Number(n), owner).changes === 1;
    },
    claimNotice: async (id, kind, claim) => {
      const n = normalizeRequestId(id);
      return n !== undefined && q.claimNew.run(n, kind, claim.owner, claim.until, now().toISOString()).changes === 1;
    },
    markNoticeSent: async (id, kind) => {
      const n = normalizeRequestId(id);
      if (n !== undefined) q.noticeSent.run(now().toISOString(), n, kind);
    },
    releaseNotice: async (id, kind, owner) => {
      const n = normalizeRequestId(id);
      if (n !== undefined) q.noticeReleased.run(n, kind, owner);
    },
    // The error watch's notices share the table under a request id no request can have.
    claimWatchNotice: async (key, claim) => q.claimNew.run(WATCH_NOTICES, key, claim.owner, claim.until, now().toISOString()).changes === 1,
    markWatchNoticeSent: async (key) => {
      q.noticeSent.run(now().toISOString(), WATCH_NOTICES, key);
    },
    releaseWatchNotice: async (key, owner) => {
      q.noticeReleased.run(WATCH_NOTICES, key, owner);
    },
    audit: async (requestId) => {
      const n = normalizeRequestId(requestId);
      return n === undefined ? [] : (q.auditOf.all(n) as AuditRow[]).map(toAudit);
    },
    appendAudit: async (requestId, actor, action, detail) => {
      const n = normalizeRequestId(requestId) ?? requestId;
      q.audit.run(n, now().toISOString(), actorJson(actor), action, null, null, JSON.stringify(detail ?? {}));
    },
    ...conversationRecords(
      {
        put: (key, value) => {
          q.saveRef.run(key, JSON.stringify(value), now().toISOString());
        },
        get: (key) => {
          const row = q.getRef.get(key) as { ref: string } | undefined;
          return row ? (JSON.parse(row.ref) as unknown) : undefined;
        },
      },
      {
        insert: (id, usersJson, ttlMs) => {
          const at = now();
          q.saveChoice.run(id, usersJson, at.toISOString(), new Date(at.getTime() + ttlMs).toISOString());
        },
        get: (id) => (q.getChoice.get(id, now().toISOString()) as { users: string } | undefined)?.users,
        deleteExpired: () => q.sweepChoices.run(now().toISOString()).changes,
      },
    ),
    close: () => {
      if (db.open) db.close();
    },
  };
  return store;
}

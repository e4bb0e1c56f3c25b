// The store port on PostgreSQL (node-postgres, one pool per process), for two or more bot
// instances on one database. Same rules as the SQLite store: every state change is a
// compare-and-set on (state, version) that appends its audit row in the same transaction. Here the
// row is locked (SELECT ... FOR UPDATE) for the length of that transaction, so of fifty approve
// clicks spread over several instances one moves the request and the others find it moved.
// Timestamps are timestamptz, JSON is text; ids are a bigint identity ("1", "2", ... as in SQLite).
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { ChangeSpec, PreflightResult } from '../../licensing/model';
import type { Actor, AuditEntry, ChangeRequest, RequestFilter, RequestLease, RequestResult, RequestState, RequestStore, TransitionResult } from '../../requests/types';
import { normalizeRequestId } from '../../requests/request-id';
import { runPgMigrations } from './migrations';
import type { StoreProbe } from '../probe';
import type { ConversationStore } from '../../requests/conversation-store';
import { conversationRecords } from '../conversation-records';

/** The notices table's request id for the error watch's notices (request ids are digits). */
const WATCH_NOTICES = 'watch';
export interface PostgresStoreOptions {
  /** Clock for createdAt/updatedAt/expiresAt, audit times and notice claims (tests inject one). */
  now?: () => Date;
}

/** The request store and the bot's conversation state, in one PostgreSQL database. */
export interface PostgresRequestStore extends RequestStore, ConversationStore {
  readonly kind: 'postgres';
  /** The pool, for tests, the health probe and maintenance only. */
  readonly pool: Pool;
  /** Where it points, without the password: postgres://user@host:port/database */
  readonly description: string;
  /** One round trip: the database answers (for /healthz and /readyz). */
  ping(): Promise<StoreProbe>;
  close(): Promise<void>;
}

interface RequestRow {
  id: string;
  version: number;
  state: RequestState;
  spec: string;
  preflight: string;
  requester: string;
  requester_id: string;
  approver: string | null;
  created_at: Date;
  updated_at: Date;
  expires_at: Date;
  undo_of: string | null;
  conversation_key: string | null;
  result: string | null;
  lease_owner: string | null;
  lease_until: Date | null;
  notified_version: number;
}

interface AuditRow {
  seq: string;
  request_id: string;
  at: Date;
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
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  };
  if (row.approver) r.approver = JSON.parse(row.approver) as Actor;
  if (row.undo_of) r.undoOf = row.undo_of;
  if (row.conversation_key) r.conversationKey = row.conversation_key;
  if (row.result) r.result = JSON.parse(row.result) as RequestResult;
  if (row.lease_owner && row.lease_until) r.lease = { owner: row.lease_owner, until: row.lease_until.toISOString() };
  r.notifiedVersion = row.notified_version;
  return r;
}

function toAudit(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    requestId: row.request_id,
    at: row.at.toISOString(),
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

/** A lease's time as PostgreSQL reads it; a value that is not a time never matches (as in SQLite, where it is text). */
function timeOrNull(iso: string): string | null {
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/** postgres://user@host:port/db, never the password. */
export function describePg(config: PoolConfig): string {
  if (config.connectionString) {
    try {
      const u = new URL(config.connectionString);
      return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
    } catch {
      return 'postgres (unparsable connection string)';
    }
  }
  return `postgres://${config.user ? `${config.user}@` : ''}${config.host ?? 'localhost'}:${config.port ?? 5432}/${config.database ?? ''}`;
}

const AUDIT_INSERT = `INSERT INTO audit (request_id, at, actor, action, from_state, to_state, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`;

/**
 * Connects a pool to the database, runs the schema migrations (once across instances) and
 * answers the store port. `config` is pg's PoolConfig: a connectionString, and for Entra a
 * `password` function (see entra.ts).
 */
export async function openPostgresStore(config: PoolConfig, options: PostgresStoreOptions = {}): Promise<PostgresRequestStore> {
  const now = options.now ?? (() => new Date());
  const pool = new Pool({
    max: 10,
    // Idle connections close after 30 s; a new one logs in again (with a fresh token under Entra).
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: 'plan-switch',
    ...config,
  });
  // A connection dropped while idle (failover, network) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  try {
    await runPgMigrations(pool, undefined, now);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  const description = describePg(config);

  /** Runs `fn` in one transaction on one connection; ROLLBACK on any error. */
  async function tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      try {
        const out = await fn(c);
        await c.query('COMMIT');
        return out;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      c.release();
    }
  }

  const store: PostgresRequestStore = {
    kind: 'postgres',
    pool,
    description,

    async create(input) {
      return tx(async (c) => {
        const at = now();
        const { rows } = await c.query<RequestRow>(
          `INSERT INTO requests (version, state, spec, preflight, requester, requester_id, created_at, updated_at, expires_at, undo_of, conversation_key)
           VALUES (1, 'pending', $1, $2, $3, $4, $5, $5, $6, $7, $8) RETURNING *`,
          [
            JSON.stringify(input.spec),
            JSON.stringify(input.preflight),
            actorJson(input.requester),
            input.requester.id,
            at.toISOString(),
            new Date(at.getTime() + input.ttlMs).toISOString(),
            input.undoOf ?? null,
            input.conversationKey ?? null,
          ],
        );
        const row = rows[0]!;
        await c.query(AUDIT_INSERT, [
          String(row.id),
          at.toISOString(),
          actorJson(input.requester),
          'requested',
          null,
          'pending',
          JSON.stringify({ spec: input.spec, undoOf: input.undoOf ?? null, ttlMs: input.ttlMs }),
        ]);
        return toRequest(row);
      });
    },

    async get(id) {
      const n = normalizeRequestId(id);
      if (n === undefined) return undefined;
      const { rows } = await pool.query<RequestRow>('SELECT * FROM requests WHERE id = $1', [n]);
      return rows[0] ? toRequest(rows[0]) : undefined;
    },

    async transition(id, expect, to, actor, patch = {}, detail = {}, action): Promise<TransitionResult> {
      const n = normalizeRequestId(id);
      if (n === undefined) return { ok: false, reason: 'unknown' };
      return tx(async (c) => {
        // The row stays locked until COMMIT: a racing transition waits here, then reads what this one wrote.
        const { rows } = await c.query<RequestRow>('SELECT * FROM requests WHERE id = $1 FOR UPDATE', [n]);
        const row = rows[0];
        if (!row) return { ok: false, reason: 'unknown' };
        const current = toRequest(row);
        if (!expect.from.includes(row.state)) return { ok: false, reason: 'state', request: current };
        if (expect.version !== undefined && expect.version !== row.version) return { ok: false, reason: 'version', request: current };

        const at = now().toISOString();
        const sets = ['state = $2', 'version = version + 1', 'updated_at = $3'];
        const params: unknown[] = [n, to, at];
        const set = (column: string, value: unknown) => {
          params.push(value);
          sets.push(`${column} = $${params.length}`);
        };
        if (patch.approver !== undefined) set('approver', actorJson(patch.approver));
        if (patch.result !== undefined) set('result', JSON.stringify(patch.result));
        if (patch.preflight !== undefined) set('preflight', JSON.stringify(patch.preflight));
        if (patch.lease !== undefined || to !== 'running') {
          // A lease only means something while running: leaving 'running' always drops it.
          const lease: RequestLease | null = to === 'running' ? (patch.lease ?? null) : null;
          set('lease_owner', lease?.owner ?? null);
          set('lease_until', lease ? timeOrNull(lease.until) : null);
        }
        const updated = await c.query<RequestRow>(`UPDATE requests SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, params);
        await c.query(AUDIT_INSERT, [n, at, actorJson(actor), action ?? to, row.state, to, JSON.stringify(detail)]);
        return { ok: true, request: toRequest(updated.rows[0]!) };
      });
    },

    async list(filter: RequestFilter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      const p = (v: unknown) => {
        params.push(v);
        return `$${params.length}`;
      };
      if (filter.states) {
        if (filter.states.length === 0) return [];
        where.push(`state = ANY(${p([...filter.states])}::text[])`);
      }
      if (filter.requesterId !== undefined) where.push(`requester_id = ${p(filter.requesterId)}`);
      if (filter.undoOf !== undefined) where.push(`undo_of = ${p(filter.undoOf)}`);
      if (filter.unnotified) where.push('notified_version < version');
      if (filter.updatedSince !== undefined) where.push(`updated_at >= ${p(filter.updatedSince)}`);
      let sql = 'SELECT * FROM requests';
      if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
      sql += ' ORDER BY id DESC';
      if (filter.limit !== undefined) sql += ` LIMIT ${p(Math.max(0, Math.floor(filter.limit)))}`;
      const { rows } = await pool.query<RequestRow>(sql, params);
      return rows.map(toRequest);
    },

    async markNotified(id, version) {
      const n = normalizeRequestId(id);
      if (n !== undefined) await pool.query('UPDATE requests SET notified_version = $1 WHERE id = $2 AND notified_version < $1', [version, n]);
    },

    async renewLease(id, owner, until) {
      const n = normalizeRequestId(id);
      const t = timeOrNull(until);
      if (n === undefined || t === null) return false;
      const r = await pool.query(`UPDATE requests SET lease_until = $1 WHERE id = $2 AND state = 'running' AND lease_owner = $3`, [t, n, owner]);
      return r.rowCount === 1;
    },

    async claimNotice(id, kind, claim) {
      const n = normalizeRequestId(id);
      const until = timeOrNull(claim.until);
      if (n === undefined || until === null) return false;
      // One statement: a new claim, or taking over one whose sender let it lapse unsent. Two
      // instances racing on the same (id, kind) serialise on the row; one gets rowCount 1.
      const r = await pool.query(
        `INSERT INTO notices (request_id, kind, owner, claim_until) VALUES ($1, $2, $3, $4)
         ON CONFLICT (request_id, kind) DO UPDATE SET owner = EXCLUDED.owner, claim_until = EXCLUDED.claim_until
         WHERE notices.sent_at IS NULL AND notices.claim_until < $5`,
        [n, kind, claim.owner, until, now().toISOString()],
      );
      return r.rowCount === 1;
    },

    async markNoticeSent(id, kind) {
      const n = normalizeRequestId(id);
      if (n !== undefined) await pool.query('UPDATE notices SET sent_at = $1 WHERE request_id = $2 AND kind = $3 AND sent_at IS NULL', [now().toISOString(), n, kind]);
    },

    async releaseNotice(id, kind, owner) {
      const n = normalizeRequestId(id);
      if (n !== undefined)
        await pool.query(`UPDATE notices SET claim_until = '-infinity' WHERE request_id = $1 AND kind = $2 AND owner = $3 AND sent_at IS NULL`, [n, kind, owner]);
    },

    // The error watch's notices share the table under a request id no request can have.
    async claimWatchNotice(key, claim) {
      const until = timeOrNull(claim.until);
      if (until === null) return false;
      const r = await pool.query(
        `INSERT INTO notices (request_id, kind, owner, claim_until) VALUES ($1, $2, $3, $4)
         ON CONFLICT (request_id, kind) DO UPDATE SET owner = EXCLUDED.owner, claim_until = EXCLUDED.claim_until
         WHERE notices.sent_at IS NULL AND notices.claim_until < $5`,
        [WATCH_NOTICES, key, claim.owner, until, now().toISOString()],
      );
      return r.rowCount === 1;
    },

    async markWatchNoticeSent(key) {
      await pool.query('UPDATE notices SET sent_at = $1 WHERE request_id = $2 AND kind = $3 AND sent_at IS NULL', [now().toISOString(), WATCH_NOTICES, key]);
    },

    async releaseWatchNotice(key, owner) {
      await pool.query(`UPDATE notices SET claim_until = '-infinity' WHERE request_id = $1 AND kind = $2 AND owner = $3 AND sent_at IS NULL`, [WATCH_NOTICES, key, owner]);
    },

    async audit(requestId) {
      const n = normalizeRequestId(requestId);
      if (n === undefined) return [];
      const { rows } = await pool.query<AuditRow>('SELECT * FROM audit WHERE request_id = $1 ORDER BY seq', [n]);
      return rows.map(toAudit);
    },

    async appendAudit(requestId, actor, action, detail) {
      const n = normalizeRequestId(requestId) ?? requestId;
      await pool.query(AUDIT_INSERT, [n, now().toISOString(), actorJson(actor), action, null, null, JSON.stringify(detail ?? {})]);
    },

    ...conversationRecords(
      {
        async put(key, value) {
          await pool.query(
            `INSERT INTO conversation_refs (key, ref, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET ref = EXCLUDED.ref, updated_at = EXCLUDED.updated_at`,
            [key, JSON.stringify(value), now().toISOString()],
          );
        },
        async get(key) {
          const { rows } = await pool.query<{ ref: string }>('SELECT ref FROM conversation_refs WHERE key = $1', [key]);
          return rows[0] ? (JSON.parse(rows[0].ref) as unknown) : undefined;
        },
      },
      {
        async insert(id, usersJson, ttlMs) {
          const at = now();
          await pool.query('INSERT INTO card_choices (id, users, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
            id,
            usersJson,
            at.toISOString(),
            new Date(at.getTime() + ttlMs).toISOString(),
          ]);
        },
        async get(id) {
          const { rows } = await pool.query<{ users: string }>('SELECT users FROM card_choices WHERE id = $1 AND expires_at > $2', [id, now().toISOString()]);
          return rows[0]?.users;
        },
        async deleteExpired() {
          const r = await pool.query('DELETE FROM card_choices WHERE expires_at <= $1', [now().toISOString()]);
          return r.rowCount ?? 0;
        },
      },
    ),

    async ping() {
      const started = performance.now();
      const { rows } = await pool.query<{ db: string; v: number | null }>('SELECT current_database() AS db, (SELECT MAX(version) FROM schema_version) AS v');
      return { kind: 'postgres', database: rows[0]!.db, schemaVersion: rows[0]!.v ?? 0, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    },

    async close() {
      await pool.end();
    },
  };
  return store;
}

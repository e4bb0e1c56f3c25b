// Numbered schema migrations for the state database. Each runs once, in order, inside one
// IMMEDIATE transaction together with its row in schema_version, so two processes opening the
// same file at the same moment apply each migration exactly once. Never edit a migration that
// has shipped: add a new one.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'requests, audit trail, conversation references',
    sql: `
      CREATE TABLE requests (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        version          INTEGER NOT NULL DEFAULT 1,
        state            TEXT    NOT NULL,
        spec             TEXT    NOT NULL,  -- JSON ChangeSpec
        preflight        TEXT    NOT NULL,  -- JSON PreflightResult
        requester        TEXT    NOT NULL,  -- JSON Actor
        requester_id     TEXT    NOT NULL,
        approver         TEXT,              -- JSON Actor
        created_at       TEXT    NOT NULL,
        updated_at       TEXT    NOT NULL,
        expires_at       TEXT    NOT NULL,
        undo_of          TEXT,
        conversation_key TEXT,
        result           TEXT,              -- JSON RequestResult
        lease_owner      TEXT,
        lease_until      TEXT
      );
      CREATE INDEX requests_state ON requests(state);
      CREATE INDEX requests_requester ON requests(requester_id);
      CREATE INDEX requests_undo_of ON requests(undo_of);

      CREATE TABLE audit (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id TEXT    NOT NULL,
        at         TEXT    NOT NULL,
        actor      TEXT,                    -- JSON Actor or NULL for the system
        action     TEXT    NOT NULL,
        from_state TEXT,
        to_state   TEXT,
        detail     TEXT    NOT NULL         -- JSON object
      );
      CREATE INDEX audit_request ON audit(request_id, seq);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;

      CREATE TABLE conversation_refs (
        key        TEXT PRIMARY KEY,
        ref        TEXT NOT NULL,           -- JSON ConversationReference
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'the last version whose notice went out, per request',
    // Requests already in the file count as notified: an upgrade must not re-send old notices.
    sql: `
      ALTER TABLE requests ADD COLUMN notified_version INTEGER NOT NULL DEFAULT 0;
      UPDATE requests SET notified_version = version;
    `,
  },
  {
    version: 3,
    name: 'one-off notices (approval reminders): claimed by one sender, recorded once sent',
    sql: `
      CREATE TABLE notices (
        request_id  TEXT NOT NULL,
        kind        TEXT NOT NULL,
        owner       TEXT NOT NULL,
        claim_until TEXT NOT NULL,
        sent_at     TEXT,
        PRIMARY KEY (request_id, kind)
      );
    `,
  },
  {
    version: 4,
    name: 'card choices: the long user lists behind card buttons, until they expire',
    sql: `
      CREATE TABLE card_choices (
        id         TEXT PRIMARY KEY,        -- random, src/bot/choices.ts
        users      TEXT NOT NULL,           -- JSON string[]
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX card_choices_expires ON card_choices(expires_at);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Applies the migrations not yet recorded; returns the versions applied by this call. */
export function runMigrations(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS, now = () => new Date()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const latestKnown = migrations.length ? migrations[migrations.length - 1].version : 0;
  const apply = db.transaction(() => {
    const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
    const current = row.v ?? 0;
    if (current > latestKnown) {
      throw new Error(
        `The state database is at schema version ${current}, newer than this build knows (${latestKnown}). ` + 'Run a newer Plan Switch or point STATE_DB at another file.',
      );
    }
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now().toISOString());
      applied.push(m.version);
    }
    return applied;
  });
  return apply.immediate();
}

export function schemaVersions(db: Database.Database): { version: number; name: string; appliedAt: string }[] {
  return db.prepare('SELECT version, name, applied_at AS appliedAt FROM schema_version ORDER BY version').all() as {
    version: number;
    name: string;
    appliedAt: string;
  }[];
}

// What a store's ping() answers: /healthz and /readyz show it, so an operator sees which database
// each instance uses and that it answers.
export interface StoreProbe {
  kind: 'sqlite' | 'postgres';
  /** The SQLite file, or the PostgreSQL database's name. */
  database: string;
  /** The last schema migration applied. */
  schemaVersion: number;
  /** The round trip of the probe's query. */
  latencyMs: number;
}

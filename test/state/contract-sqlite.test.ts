// The shared store contract (test/state/contract.ts) on the SQLite store, one file per test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type SqliteRequestStore } from '../../src/state/sqlite-store';
import { storeContract, type ContractStore } from './contract';

const dirs: string[] = [];
storeContract('SQLite', {
  async open(clock) {
    const dir = mkdtempSync(join(tmpdir(), 'plan-switch-contract-'));
    dirs.push(dir);
    return openStore(join(dir, 'state.db'), { now: clock.now }) as unknown as ContractStore;
  },
  async reopen(store, clock) {
    return openStore((store as unknown as SqliteRequestStore).path, { now: clock.now }) as unknown as ContractStore;
  },
  async raw(store, sql) {
    return (store as unknown as SqliteRequestStore).db.prepare(sql).run();
  },
  async cleanup() {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  },
});

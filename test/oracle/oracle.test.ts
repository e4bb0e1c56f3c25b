// The outcome oracle on every `npm test`: a few hundred generated tenants and changes, each
// preflight checked against what applying the change actually did (test/oracle/check.ts).
// A failure prints its seed; re-run one case with ORACLE_SEED=<seed> ORACLE_CASES=1 npm test, or
// npm run test:oracle -- --seed <seed> --cases 1 --verbose. Longer runs: npm run test:oracle -- --cases 5000.
import assert from 'node:assert/strict';
import { describeFailure, runMany } from './run-many';

/** Fixed by default so CI is repeatable; the long run starts from a fresh seed each time. */
const BASE = Number(process.env.ORACLE_SEED ?? 20261204);
const CASES = Number(process.env.ORACLE_CASES ?? 500);

describe('outcome oracle: every claim of the preflight checked against the outcome', function () {
  this.timeout(120_000);

  it(`${CASES} generated changes from seed ${BASE}: the cards tell the truth`, async () => {
    const s = await runMany(BASE, CASES);
    const shown = s.failures.slice(0, 10).map(describeFailure).join('\n  ');
    assert.equal(s.failures.length, 0, `${s.failures.length} of ${s.cases} cases disagree with their card (base seed ${BASE}):\n  ${shown}`);
    // The generator must reach every kind of outcome, or the oracle proves little.
    for (const v of ['refused', 'blocked', 'applied']) assert.ok((s.verdicts[v] ?? 0) > 0, `no ${v} case: ${JSON.stringify(s.verdicts)}`);
  });
});

// Runs many oracle cases from one base seed: case i uses seed base + i, so any case is re-run alone
// with its own seed (ORACLE_SEED=<seed> ORACLE_CASES=1, or npm run test:oracle -- --seed <seed> --cases 1).
import { runCase, type CaseResult } from './check';
import { generateCase } from './generate';

export interface Summary {
  base: number;
  cases: number;
  ms: number;
  verdicts: Record<string, number>;
  /** How often each finding code appeared (coverage of the generator). */
  codes: Record<string, number>;
  failures: CaseResult[];
}

export async function runMany(base: number, cases: number, onCase?: (r: CaseResult) => void): Promise<Summary> {
  const t0 = Date.now();
  const s: Summary = { base, cases, ms: 0, verdicts: {}, codes: {}, failures: [] };
  for (let i = 0; i < cases; i++) {
    const seed = (base + i) >>> 0;
    let r: CaseResult;
    try {
      r = await runCase(generateCase(seed));
    } catch (e) {
      r = { seed, verdict: 'refused', codes: [], problems: [`crashed: ${(e as Error).stack ?? String(e)}`] };
    }
    s.verdicts[r.verdict] = (s.verdicts[r.verdict] ?? 0) + 1;
    for (const c of new Set(r.codes)) s.codes[c] = (s.codes[c] ?? 0) + 1;
    if (r.problems.length) s.failures.push(r);
    onCase?.(r);
  }
  s.ms = Date.now() - t0;
  return s;
}

export function describeFailure(r: CaseResult): string {
  return `seed ${r.seed} (${r.verdict}; ${r.codes.join(' ') || 'no findings'}):\n    - ${r.problems.join('\n    - ')}`;
}

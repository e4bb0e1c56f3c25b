// npm run test:oracle -- [--cases N] [--seed S] [--verbose]: the outcome oracle on many more cases
// than npm test runs (kept out of CI time). Prints a summary and every disagreement with its seed.
import { describeFailure, runMany } from './run-many';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const cases = Number(arg('cases') ?? 1000);
  const base = Number(arg('seed') ?? Math.floor(Math.random() * 2 ** 31));
  const verbose = process.argv.includes('--verbose');
  console.log(`outcome oracle: ${cases} cases from seed ${base}`);
  let done = 0;
  const s = await runMany(base, cases, (r) => {
    done++;
    if (verbose) console.log(`seed ${r.seed}: ${r.verdict} ${r.codes.join(' ')}${r.problems.length ? `\n  - ${r.problems.join('\n  - ')}` : ''}`);
    else if (done % 500 === 0) console.log(`  ${done} cases...`);
  });
  console.log(`${s.cases} cases in ${(s.ms / 1000).toFixed(1)} s (${(s.ms / s.cases).toFixed(1)} ms each): ${JSON.stringify(s.verdicts)}`);
  console.log(
    `findings seen: ${Object.entries(s.codes)
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')}`,
  );
  if (s.failures.length) {
    console.log(`\n${s.failures.length} case(s) disagree with their card:`);
    for (const f of s.failures) console.log(`  ${describeFailure(f)}`);
    process.exitCode = 1;
  } else console.log('every card told the truth.');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});

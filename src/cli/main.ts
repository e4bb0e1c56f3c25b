#!/usr/bin/env node
// plan-switch command line (package bin). See `plan-switch --help`.
import { createInterface } from 'node:readline/promises';
import { runCli } from './run';

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  stderr: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
  ask,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // runCli catches everything; this is the last guard against a stack trace.
    process.stderr.write(`plan-switch: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    process.exitCode = 1;
  },
);

#!/usr/bin/env node
import { readFileSync } from 'node:fs';

// `--version` alone needs none of the linter: answer before loading it (pre-commit hooks and editor
// integrations ask for it; the full module graph takes ≈ 150 ms to load).
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const { main } = await import('../dist/main.js');
  try {
    process.exitCode = await main(argv, {
      stdout: process.stdout,
      stderr: process.stderr,
      // Touched only when - is given: creating process.stdin can hold a pipe open.
      stdin: { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() },
      cwd: process.cwd(),
      env: process.env,
    });
  } catch (error) {
    // main has said that this is a bug; show the stack trace, and exit 2: the run did not complete.
    console.error(error);
    process.exitCode = 2;
  }
}

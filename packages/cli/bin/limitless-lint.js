#!/usr/bin/env node
import { main } from '../dist/main.js';

try {
  process.exitCode = await main(process.argv.slice(2), {
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

#!/usr/bin/env node
import { readFileSync, statSync } from 'node:fs';

// `--version` alone needs none of the linter: answer before loading it (pre-commit hooks and editor
// integrations ask for it; the full module graph takes ≈ 150 ms to load).
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const { main } = await import(bundleIsCurrent() ? '../dist/limitless-lint.bundle.mjs' : '../dist/main.js');
  let code;
  try {
    code = await main(argv, {
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
    code = 2;
  }
  // Exit once the output is written, without waiting for V8 to finish optimising code in the
  // background (the parser's WebAssembly above all): ≈ 30–50 ms of every run.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

/**
 * Whether dist/limitless-lint.bundle.mjs (scripts/bundle.mjs) holds the code last compiled: in a
 * working tree, a `tsc -b` after the last bundling leaves it stale, and then the modules are loaded
 * one by one instead. An installed package has no build info, and its bundle is current.
 */
function bundleIsCurrent() {
  try {
    const bundled = statSync(new URL('../dist/limitless-lint.bundle.mjs', import.meta.url)).mtimeMs;
    for (const info of ['../tsconfig.tsbuildinfo', '../../core/tsconfig.tsbuildinfo']) {
      let built = 0;
      try {
        built = statSync(new URL(info, import.meta.url)).mtimeMs;
      } catch {
        // No build info: an installed package, or a package not built from its sources here.
      }
      if (built > bundled) return false;
    }
    return true;
  } catch {
    return false;
  }
}

#!/usr/bin/env node
// Bundles the compiled CLI (dist/main.js and everything it imports, the core included) into one
// module, dist/limitless-lint.bundle.mjs, which bin/limitless-lint.js loads when it is up to date.
// Loading one file instead of ≈ 150 ES modules takes ≈ 60 ms off every start (docs/performance.md).
//
// Kept outside the bundle: libpg-query (its WebAssembly file is found next to its own module),
// and what the CLI loads only on demand: pg (live-database commands) and oxc-parser (a native
// module, for TS/JS files). The worker threads run dist/lint-worker.js.
//
//   node scripts/bundle.mjs        (run by the root `build`, `prepare`, `test`, `demo` and `bench` scripts, after tsc -b)
import { build } from 'esbuild';

const started = performance.now();
const result = await build({
  entryPoints: [new URL('../dist/main.js', import.meta.url).pathname],
  outfile: new URL('../dist/limitless-lint.bundle.mjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['libpg-query', 'pg', 'oxc-parser', '@electric-sql/pglite'],
  // CommonJS dependencies inside an ES module bundle call require() for node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: 'inline',
  logLevel: 'warning',
  metafile: true,
});
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`bundled ${inputs} modules into dist/limitless-lint.bundle.mjs in ${Math.round(performance.now() - started)} ms`);

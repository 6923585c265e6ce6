#!/usr/bin/env node
// The planner oracle (docs/verify-local.md) over fixtures/demo, or the paths given: `verify --local` with
// the built CLI. Exit 0 when no verdict is unsafe. Run `pnpm build` (or `tsc -b`) first; `pnpm oracle` does.
import { main } from '../packages/cli/dist/main.js';

const paths = process.argv.slice(2);
const code = await main(['verify', '--local', ...(paths.length > 0 ? paths : ['fixtures/demo'])], {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
process.exitCode = code;

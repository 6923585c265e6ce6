// Runs the linter on the bundled demo project. The demo plants problems on purpose, so the
// linter's exit code 1 ("findings") is the expected outcome here; 2 ("could not run") is not.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../packages/cli/bin/limitless-lint.js', import.meta.url));
const demo = fileURLToPath(new URL('../fixtures/demo', import.meta.url));
const { status } = spawnSync(process.execPath, [bin, demo, ...process.argv.slice(2)], { stdio: 'inherit' });
if (status === 1) console.log('\n(exit code 1: the demo plants these problems on purpose)');
process.exitCode = status === 0 || status === 1 ? 0 : (status ?? 2);

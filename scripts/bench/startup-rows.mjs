// Startup rows: `limitless-lint --version` and linting one small file, as child processes (wall time
// from spawn to exit), with `node -e 0` for reference, and the small-file run split into phases by
// scripts/bench/startup-phases.mjs.

import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_BIN, DEMO_MANIFEST, median, progress, ROOT, summary } from './util.mjs';

const SMALL_FILE = join(ROOT, 'fixtures/demo/queries/good.sql');
const PHASES_SCRIPT = fileURLToPath(new URL('./startup-phases.mjs', import.meta.url));

function timeChild(args) {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (child.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${child.status}: ${(child.stderr ?? '').trim().split('\n')[0]}`);
  }
  return { wallMs, stdout: child.stdout };
}

function measure(label, args, runs, warmups) {
  const walls = [];
  for (let run = -warmups; run < runs; run++) {
    const { wallMs } = timeChild(args);
    if (run >= 0) walls.push(wallMs);
  }
  progress(`startup: ${label}: median ${Math.round(median(walls))} ms`);
  return summary(walls);
}

/**
 * @returns `{ smallFile, nodeBoot, version, oneFile, phases }`: wall-time summaries, and for
 *   phases the median of each phase (ms) plus `wall`, the whole child's median wall time.
 */
export function measureStartup({ runs, warmups = 1 }) {
  const fileArg = relative(ROOT, SMALL_FILE);
  const configArg = relative(ROOT, DEMO_MANIFEST);
  const bin = relative(ROOT, CLI_BIN);
  const nodeBoot = measure('node -e 0', ['-e', '0'], runs, warmups);
  const version = measure('--version', [bin, '--version'], runs, warmups);
  const oneFile = measure('one small file', [bin, fileArg, '--config', configArg], runs, warmups);

  const samples = [];
  const walls = [];
  for (let run = -warmups; run < runs; run++) {
    const { wallMs, stdout } = timeChild([PHASES_SCRIPT, fileArg, configArg]);
    if (run >= 0) {
      samples.push(JSON.parse(stdout));
      walls.push(wallMs);
    }
  }
  const phases = {};
  for (const key of Object.keys(samples[0])) phases[key] = median(samples.map((s) => s[key]));
  phases.wall = median(walls);
  progress(`startup: phases: ${Object.entries(phases).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')}`);
  return {
    smallFile: { path: fileArg, statements: phases.statements },
    commands: { version: `node ${bin} --version`, oneFile: `node ${bin} ${fileArg} --config ${configArg}` },
    nodeBoot,
    version,
    oneFile,
    phases,
  };
}

// The side-by-side row: squawk (the `squawk-cli` npm package, a native binary) and limitless-lint on
// the same .sql files, in the same run, each over the whole set in one process. squawk panics on a
// few PostgreSQL regression files; those are found by running it on each file once and are left out
// of both tools' input, so the two figures are paired (the row says how many were left out).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { measureOne } from './cli-rows.mjs';
import { progress, ROOT, runProgram, summary } from './util.mjs';

/** The squawk binary of the installed `squawk-cli` (its platform package), or undefined. */
export function squawkBinary() {
  try {
    const require = createRequire(join(ROOT, 'package.json'));
    const cliDir = dirname(require.resolve('squawk-cli/package.json'));
    const platformPackage = `@squawk-cli/${process.platform}-${process.arch}/package.json`;
    const binary = join(dirname(createRequire(join(cliDir, 'package.json')).resolve(platformPackage)), 'bin', 'squawk');
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** `squawk --version`'s answer, e.g. `squawk 2.66.0`. */
function squawkVersion(binary) {
  return spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

/** Files squawk lints without panicking (exit 0: clean, 1: findings; a panic also exits 1, so read stderr). */
function filesSquawkLints(binary, files) {
  const kept = [];
  const crashed = [];
  for (const file of files) {
    const run = spawnSync(binary, ['--reporter', 'json', file], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const panicked = run.status === null || run.status > 1 || /panicked at/.test(run.stderr);
    (panicked ? crashed : kept).push(file);
  }
  return { kept, crashed };
}

async function measureSquawk(binary, files, { runs, warmups }) {
  const walls = [];
  const rss = [];
  const cpu = [];
  for (let run = -warmups; run < runs; run++) {
    const measured = await runProgram(binary, ['--reporter', 'json', ...files], { rss: true });
    if (measured.code === null || measured.code > 1) throw new Error(`squawk exited ${measured.code}: ${measured.stderr.trim().split('\n').slice(0, 2).join(' / ')}`);
    if (run >= 0) {
      walls.push(measured.wallMs);
      if (measured.maxRssKb !== undefined) rss.push(measured.maxRssKb);
      if (measured.cpuMs !== undefined) cpu.push(measured.cpuMs);
    }
    progress(`squawk: ${run < 0 ? 'warm-up' : `run ${run + 1}/${runs}`}: ${Math.round(measured.wallMs)} ms`);
  }
  return { wallMs: summary(walls), maxRssKb: rss.length > 0 ? summary(rss) : undefined, cpuMs: cpu.length > 0 ? summary(cpu) : undefined };
}

/**
 * @returns `{ version, files, crashed, squawk, clis }`, or `{ missing }` when squawk-cli is not
 * installed. `clis`: limitless-lint with `--jobs 1` and (on a machine with more) `--jobs <cores>`,
 * each with `ratio` (its median wall time over squawk's), `rssRatio` (peak RSS) and `cpuRatio`
 * (CPU time, with GNU time only).
 */
export async function measureSquawkSideBySide(files, { runs, warmups = 1 }) {
  const binary = squawkBinary();
  if (!binary) return { missing: 'squawk-cli is not installed (pnpm install)' };
  progress(`squawk: probing ${files.length} files for panics`);
  const { kept, crashed } = filesSquawkLints(binary, files);
  const squawk = await measureSquawk(binary, kept, { runs, warmups });
  const clis = [];
  for (const jobs of [...new Set([1, availableParallelism()])]) {
    const cli = await measureOne(kept, { jobs, runs, warmups });
    const rssRatio = cli.maxRssKb && squawk.maxRssKb ? cli.maxRssKb.median / squawk.maxRssKb.median : undefined;
    const cpuRatio = cli.cpuMs && squawk.cpuMs ? cli.cpuMs.median / squawk.cpuMs.median : undefined;
    clis.push({ ...cli, ratio: cli.wallMs.median / squawk.wallMs.median, rssRatio, cpuRatio });
  }
  return { version: squawkVersion(binary), files: kept.length, crashed: crashed.length, squawk, clis };
}

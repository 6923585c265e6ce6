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

/** One squawk run over `files`: `{ wallMs, maxRssKb?, cpuMs? }`. */
async function runSquawk(binary, files) {
  const measured = await runProgram(binary, ['--reporter', 'json', ...files], { rss: true });
  if (measured.code === null || measured.code > 1) throw new Error(`squawk exited ${measured.code}: ${measured.stderr.trim().split('\n').slice(0, 2).join(' / ')}`);
  return measured;
}

/**
 * @returns `{ version, files, crashed, squawk, clis }`, or `{ missing }` when squawk-cli is not
 * installed. `clis`: limitless-lint with `--jobs 1` and (on a machine with more) `--jobs <cores>`,
 * each with `ratio` (wall time over squawk's), `cpuRatio` (CPU time, with GNU time only) and
 * `rssRatio` (peak RSS): medians of the per-run ratios. Each run measures squawk and then every CLI
 * variant, so that a busy moment of the machine hits both sides of a ratio.
 */
export async function measureSquawkSideBySide(files, { runs, warmups = 1 }) {
  const binary = squawkBinary();
  if (!binary) return { missing: 'squawk-cli is not installed (pnpm install)' };
  progress(`squawk: probing ${files.length} files for panics`);
  const { kept, crashed } = filesSquawkLints(binary, files);
  const variants = [...new Set([1, availableParallelism()])];
  const sq = { wall: [], cpu: [], rss: [] };
  const per = variants.map(() => ({ wall: [], cpu: [], rss: [], ratio: [], cpuRatio: [], rssRatio: [], report: undefined }));
  for (let run = -warmups; run < runs; run++) {
    const s = await runSquawk(binary, kept);
    const line = [`squawk ${Math.round(s.wallMs)} ms`];
    for (const [k, jobs] of variants.entries()) {
      const c = await measureOne(kept, { jobs, runs: 1, warmups: 0 });
      const p = per[k];
      p.report ??= c;
      line.push(`--jobs ${jobs} ${Math.round(c.wallMs.median)} ms`);
      if (run < 0) continue;
      p.wall.push(c.wallMs.median);
      p.ratio.push(c.wallMs.median / s.wallMs);
      if (c.cpuMs && s.cpuMs) {
        p.cpu.push(c.cpuMs.median);
        p.cpuRatio.push(c.cpuMs.median / s.cpuMs);
      }
      if (c.maxRssKb && s.maxRssKb) {
        p.rss.push(c.maxRssKb.median);
        p.rssRatio.push(c.maxRssKb.median / s.maxRssKb);
      }
    }
    if (run >= 0) {
      sq.wall.push(s.wallMs);
      if (s.cpuMs !== undefined) sq.cpu.push(s.cpuMs);
      if (s.maxRssKb !== undefined) sq.rss.push(s.maxRssKb);
    }
    progress(`squawk side by side: ${run < 0 ? 'warm-up' : `run ${run + 1}/${runs}`}: ${line.join(', ')}`);
  }
  const opt = (values) => (values.length > 0 ? summary(values) : undefined);
  const squawk = { wallMs: summary(sq.wall), cpuMs: opt(sq.cpu), maxRssKb: opt(sq.rss) };
  const clis = variants.map((jobs, k) => {
    const p = per[k];
    const { wallMs: _w, cpuMs: _c, maxRssKb: _r, ...report } = p.report;
    return { ...report, jobs, wallMs: summary(p.wall), cpuMs: opt(p.cpu), maxRssKb: opt(p.rss), ratio: summary(p.ratio).median, cpuRatio: opt(p.cpuRatio)?.median, rssRatio: opt(p.rssRatio)?.median };
  });
  return { version: squawkVersion(binary), files: kept.length, crashed: crashed.length, squawk, clis };
}

// CLI rows: `limitless-lint <dir> --format json --config fixtures/demo/limitless.yaml` end to end, as a
// child process: wall time and peak RSS, with one worker and with all cores (when the CLI has a
// flag for that; `--no-gitignore` too when it has it, as the generated corpus is git-ignored).

import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { BENCH_DIR, CLI_BIN, DEMO_MANIFEST, progress, ROOT, runNode, summary } from './util.mjs';

/**
 * What the CLI's --help offers that the benchmark uses: `jobs`, its option for parallel linting
 * (`--jobs`, `--workers`, `--threads` or `--concurrency`; undefined when it has none yet), and
 * `noGitignore`, whether it has `--no-gitignore` (the generated corpus lies below the git-ignored
 * .bench/, which a .gitignore-aware CLI would skip).
 */
export function detectCliOptions() {
  const help = spawnSync(process.execPath, [CLI_BIN, '--help'], { encoding: 'utf8' });
  const text = `${help.stdout}\n${help.stderr}`;
  return {
    jobs: /(--(?:jobs|workers|threads|concurrency))\b/.exec(text)?.[1],
    noGitignore: /--no-gitignore\b/.test(text),
  };
}

/** What a JSON report says: statements and files linted (.sql and others), diagnostics, skipped paths. */
function readReport(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let statements = 0;
  let sqlStatements = 0;
  let sqlFiles = 0;
  let diagnostics = 0;
  for (const f of report.files) {
    statements += f.statements;
    diagnostics += f.diagnostics.length;
    if (f.path.toLowerCase().endsWith('.sql')) {
      sqlFiles++;
      sqlStatements += f.statements;
    }
  }
  return { files: report.files.length, sqlFiles, statements, sqlStatements, diagnostics, skipped: report.skipped.length };
}

/**
 * Measures one CLI configuration. `jobs` is the value for the jobs flag (omitted when `flag` is
 * undefined). Exit codes 0 and 1 are normal (1: findings); 2 is accepted only with a complete
 * JSON report (some file skipped), and reported.
 */
async function measureOne(dir, { flag, jobs, noGitignore, runs, warmups }) {
  const output = join(BENCH_DIR, 'cli-report.json');
  const args = [CLI_BIN, relative(ROOT, dir) || '.', '--format', 'json', '--config', relative(ROOT, DEMO_MANIFEST)];
  if (noGitignore) args.push('--no-gitignore');
  if (flag) args.push(flag, String(jobs));
  const walls = [];
  const rss = [];
  let report;
  for (let run = -warmups; run < runs; run++) {
    const fd = openSync(output, 'w');
    let measured;
    try {
      measured = await runNode(args, { stdout: fd, rss: true });
    } finally {
      closeSync(fd);
    }
    let parsed;
    try {
      parsed = readReport(output);
    } catch {
      parsed = undefined;
    }
    if (measured.code === null || measured.code > 2 || !parsed) {
      throw new Error(`limitless-lint exited ${measured.code} without a JSON report: ${measured.stderr.trim().split('\n').slice(0, 3).join(' / ')}`);
    }
    report ??= parsed;
    if (run >= 0) {
      walls.push(measured.wallMs);
      if (measured.maxRssKb !== undefined) rss.push(measured.maxRssKb);
    }
    progress(`cli${flag ? ` ${flag} ${jobs}` : ''}: ${run < 0 ? 'warm-up' : `run ${run + 1}/${runs}`}: ${Math.round(measured.wallMs)} ms, exit ${measured.code}`);
  }
  return {
    command: `node ${args.map((a) => (a === CLI_BIN ? relative(ROOT, CLI_BIN) : a)).join(' ')}`,
    ...report,
    wallMs: summary(walls),
    maxRssKb: rss.length > 0 ? summary(rss) : undefined,
  };
}

/**
 * @returns `{ flag, cores, one, all }`: `all` is undefined when the CLI has no jobs flag. With a
 *   flag, `one` runs with `<flag> 1` and `all` with `<flag> <cores>`.
 */
export async function measureCli(dir, { runs, warmups = 1 }) {
  const { jobs: flag, noGitignore } = detectCliOptions();
  const cores = availableParallelism();
  progress(flag ? `cli: parallel flag ${flag} found in --help` : 'cli: no --jobs flag in --help: the all-cores row is n/a');
  const one = await measureOne(dir, { flag, jobs: 1, noGitignore, runs, warmups });
  const all = flag ? await measureOne(dir, { flag, jobs: cores, noGitignore, runs, warmups }) : undefined;
  return { flag, cores, one, all };
}

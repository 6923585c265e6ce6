// CLI rows: `limitless-lint <dir> --format json --config fixtures/demo/limitless.yaml` end to end, as a
// child process: wall time and peak RSS, with one worker and with all cores (`--jobs`), and with
// `--no-gitignore`, as the generated corpus lies below the git-ignored .bench/.

import { closeSync, openSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { BENCH_DIR, CLI_BIN, DEMO_MANIFEST, progress, ROOT, runNode, summary } from './util.mjs';

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
 * Measures the CLI with `--jobs <jobs>`. Exit codes 0 and 1 are normal (1: findings); 2 is accepted
 * only with a complete JSON report (some file skipped), and reported.
 */
export async function measureOne(inputs, { jobs, runs, warmups }) {
  const output = join(BENCH_DIR, 'cli-report.json');
  const args = [CLI_BIN, ...inputs.map((input) => relative(ROOT, input) || '.'), '--format', 'json', '--config', relative(ROOT, DEMO_MANIFEST), '--no-gitignore', '--jobs', String(jobs)];
  const walls = [];
  const rss = [];
  const cpu = [];
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
      if (measured.cpuMs !== undefined) cpu.push(measured.cpuMs);
    }
    progress(`cli --jobs ${jobs}: ${run < 0 ? 'warm-up' : `run ${run + 1}/${runs}`}: ${Math.round(measured.wallMs)} ms, exit ${measured.code}`);
  }
  const shown = inputs.length > 3 ? [...args.slice(0, 2), `<${inputs.length} files>`, ...args.slice(1 + inputs.length)] : args;
  return {
    command: `node ${shown.map((a) => (a === CLI_BIN ? relative(ROOT, CLI_BIN) : a)).join(' ')}`,
    jobs,
    ...report,
    wallMs: summary(walls),
    maxRssKb: rss.length > 0 ? summary(rss) : undefined,
    cpuMs: cpu.length > 0 ? summary(cpu) : undefined,
  };
}

/** @returns `{ cores, one, all }`: `--jobs 1` and `--jobs <cores>`. */
export async function measureCli(dir, { runs, warmups = 1 }) {
  const cores = availableParallelism();
  const one = await measureOne([dir], { jobs: 1, runs, warmups });
  const all = await measureOne([dir], { jobs: cores, runs, warmups });
  return { cores, one, all };
}


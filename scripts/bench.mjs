#!/usr/bin/env node
// The benchmark: prints one table of throughput, wall time, memory and startup figures, each the
// median of several runs after a warm-up, all measured in this one run. A script, not a timed test:
// the figures are for people (docs/performance.md), and nothing fails when a target is missed.
//
// Usage:
//   pnpm bench                                  # builds first (tsc -b), then runs this script
//   pnpm bench --corpus <dir>                   # any folder of .sql files, e.g. PostgreSQL's regression
//                                               # SQL (src/test/regress/sql of the postgres sources)
//   node scripts/bench.mjs [options]            # uses the already built packages/*/dist
//
// Options:
//   --runs N          measured runs per figure (default 5; startup figures take at least 5)
//   --quick           a smoke check: a 5,000-statement corpus and 3 runs
//   --only ROWS       comma-separated: parse, core, cli, squawk, eslint, startup (default: all);
//                     parse includes the read + split context row, core the core-without-rules one;
//                     squawk runs squawk-cli and the CLI side by side on the same .sql files
//   --corpus DIR      any folder of .sql files for the parse, core, CLI and squawk rows (default:
//                     the generated corpus; the ESLint rows always use the generated TypeScript files)
//   --seed N          seed of the generated corpus (default 42)
//   --statements N    size of the generated corpus (default 100000)
//   --json FILE       also write every measurement as JSON
//
// The generated corpus is written by scripts/gen-corpus.mjs to .bench/corpus-<seed>-<statements>
// and reused while the generator is unchanged. Progress goes to stderr, the report to stdout.
// Exit 2: bad usage or a row could not be measured at all (the error is printed).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { relative, resolve } from 'node:path';
import { measureCli } from './bench/cli-rows.mjs';
import { measureSquawkSideBySide } from './bench/squawk-rows.mjs';
import { ensureGeneratedCorpus, loadSqlCorpus } from './bench/corpus.mjs';
import { measureEslint } from './bench/eslint-rows.mjs';
import { measureSqlRows } from './bench/sql-rows.mjs';
import { measureStartup } from './bench/startup-rows.mjs';
import {
  BENCH_DIR,
  CLI_BIN,
  CORE_DIST,
  fmtInt,
  fmtMb,
  fmtMs,
  fmtPercent,
  fmtRate,
  GNU_TIME,
  machine,
  ROOT,
} from './bench/util.mjs';

const ROWS = ['parse', 'core', 'cli', 'squawk', 'eslint', 'startup'];
const TARGETS = { squawkRatio: 2, rssMb: 300, coreRatio: 0.6, cliMs: 5000, cliStatements: 100_000, eslintOverhead: 0.1, versionMs: 200, oneFileMs: 300 };

const USAGE = `usage: node scripts/bench.mjs [--runs N] [--quick] [--only ${ROWS.join(',')}] [--corpus DIR] [--seed N] [--statements N] [--json FILE]\n`;

function parseArgs(argv) {
  const options = { runs: undefined, quick: false, only: ROWS, corpus: undefined, seed: 42, statements: undefined, json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const count = (min) => {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < min) throw new Error(`${arg} needs a whole number of at least ${min}, got ${v}`);
      return Number(v);
    };
    if (arg === '--runs') options.runs = count(1);
    else if (arg === '--quick') options.quick = true;
    else if (arg === '--only') {
      options.only = value().split(',').map((r) => r.trim()).filter(Boolean);
      const unknown = options.only.filter((r) => !ROWS.includes(r));
      if (unknown.length > 0 || options.only.length === 0) throw new Error(`--only takes ${ROWS.join(', ')}; got ${unknown.join(', ') || 'nothing'}`);
    } else if (arg === '--corpus') options.corpus = value();
    else if (arg === '--seed') options.seed = count(0);
    else if (arg === '--statements') options.statements = count(1);
    else if (arg === '--json') options.json = value();
    else if (arg === '--help' || arg === '-h') options.help = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  options.runs ??= options.quick ? 3 : 5;
  options.statements ??= options.quick ? 5000 : 100_000;
  return options;
}

function gitDescription() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return `${commit}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

const check = (ok) => (ok ? '✓' : '✗');
const spreadRate = (s) => `${fmtRate(s.min)} – ${fmtRate(s.max)}`;
const spreadMs = (s) => `${fmtMs(s.min)} – ${fmtMs(s.max)}`;

/** The figures as Markdown table rows: [figure, input, median, spread (min – max), target, met]. */
function figureRows(results) {
  const rows = [];
  const { sql, cli, squawk, eslint, startup, sqlInput } = results;
  const input = sqlInput && `${fmtInt(sql?.parse?.statements ?? sql?.core?.statements ?? cli?.one.statements ?? 0)} statements, ${fmtInt(sqlInput.files)} .sql files (${(sqlInput.bytes / 1e6).toFixed(1)} MB)`;
  if (sql?.split) {
    rows.push(['Read + split (context)', input, fmtRate(sql.split.perSecond.median), spreadRate(sql.split.perSecond), '— (issue: ≈ 690,000/s)', '']);
  }
  if (sql?.parse) {
    rows.push(['Parse floor: split + parse', input, fmtRate(sql.parse.perSecond.median), spreadRate(sql.parse.perSecond), '— (issue: libpg-query alone ≈ 87,000/s on regression DML, ≈ 26,000/s on application DML)', '']);
  }
  if (sql?.core) {
    const ratio = sql.ratio ? ` = ${fmtPercent(sql.ratio.median)} of parse floor` : '';
    const spread = sql.ratio ? `${fmtPercent(sql.ratio.min)} – ${fmtPercent(sql.ratio.max)}` : spreadRate(sql.core.perSecond);
    rows.push([
      'Core: `analyzeSql` (split, parse, DDL replay, route, all rules, suppressions), one pass from an empty statement cache',
      sql.distinct ? `${input}; ${fmtInt(sql.distinct)} distinct statement texts (${fmtPercent(sql.distinct / sql.core.statements)})` : input,
      `${fmtRate(sql.core.perSecond.median)}${ratio}`,
      spread,
      `≥ ${fmtPercent(TARGETS.coreRatio)} of parse floor`,
      sql.ratio ? check(sql.ratio.median >= TARGETS.coreRatio) : 'n/a',
    ]);
  }
  // Context rows: a core variant, with its ratio to the parse floor.
  const contextRow = (label, row, r) => [
    label,
    input,
    `${fmtRate(row.perSecond.median)}${r ? ` = ${fmtPercent(r.median)} of parse floor` : ''}`,
    r ? `${fmtPercent(r.min)} – ${fmtPercent(r.max)}` : spreadRate(row.perSecond),
    '—',
    '',
  ];
  if (sql?.coreNoCache) rows.push(contextRow('Core, every statement new (context): `analyzeSql` with `cache: false`', sql.coreNoCache, sql.noCacheRatio));
  if (sql?.coreNoRules) rows.push(contextRow('Core without rules (context): `analyzeSql` with `rules: []`, `cache: false`', sql.coreNoRules, sql.noRulesRatio));
  if (cli) {
    const cliTarget = `< ${fmtMs(TARGETS.cliMs)} for ${fmtInt(TARGETS.cliStatements)} statements on 2 cores`;
    const verdict = (run) => {
      if (run.statements >= TARGETS.cliStatements) return check(run.wallMs.median < TARGETS.cliMs);
      // Below a quarter of the target size, startup dominates and a linear projection says nothing.
      if (run.statements < TARGETS.cliStatements / 4) return 'n/a (input too small to project)';
      const projected = (run.wallMs.median * TARGETS.cliStatements) / run.statements;
      return `${check(projected < TARGETS.cliMs)} (≈ ${fmtMs(projected)} projected for ${fmtInt(TARGETS.cliStatements)})`;
    };
    const cliRow = (label, run) => [
      label,
      run.sqlStatements === run.statements
        ? `${fmtInt(run.statements)} statements, ${fmtInt(run.files)} .sql files${run.skipped ? `, ${run.skipped} skipped` : ''}`
        : `${fmtInt(run.statements)} statements (${fmtInt(run.sqlStatements)} in ${fmtInt(run.sqlFiles)} .sql files, ${fmtInt(run.statements - run.sqlStatements)} embedded in ${fmtInt(run.files - run.sqlFiles)} TS files)${run.skipped ? `, ${run.skipped} skipped` : ''}`,
      `${fmtMs(run.wallMs.median)}, peak RSS ${run.maxRssKb ? fmtMb(run.maxRssKb.median) : 'n/a'} (${fmtRate((run.statements / run.wallMs.median) * 1000)})`,
      `${spreadMs(run.wallMs)}${run.maxRssKb ? `; ${fmtMb(run.maxRssKb.min)} – ${fmtMb(run.maxRssKb.max)}` : ''}`,
      cliTarget,
      verdict(run),
    ];
    rows.push(cliRow('CLI end to end, 1 worker (`--jobs 1`)', cli.one));
    rows.push(cliRow(`CLI end to end, all cores (\`--jobs ${cli.cores}\`)`, cli.all));
  }
  if (squawk?.missing) rows.push(['squawk side by side', '', `n/a (${squawk.missing})`, '', `≤ ${TARGETS.squawkRatio}× squawk`, 'n/a']);
  else if (squawk) {
    const input = `the same ${fmtInt(squawk.files)} .sql files${squawk.crashed ? ` (${squawk.crashed} left out of both: squawk panics on them)` : ''}`;
    const rss = (run) => `${run.cpuMs ? `, CPU ${fmtMs(run.cpuMs.median)}` : ''}${run.maxRssKb ? `, peak RSS ${fmtMb(run.maxRssKb.median)}` : ''}`;
    const rssSpread = (run) => (run.maxRssKb ? `; ${fmtMb(run.maxRssKb.min)} – ${fmtMb(run.maxRssKb.max)}` : '');
    rows.push([`${squawk.version} \`--reporter json\` (side by side, context)`, input, `${fmtMs(squawk.squawk.wallMs.median)}${rss(squawk.squawk)}`, `${spreadMs(squawk.squawk.wallMs)}${rssSpread(squawk.squawk)}`, '—', '']);
    for (const cli of squawk.clis) {
      rows.push([
        `limitless-lint on the same files (\`--jobs ${cli.jobs}\`, \`--format json\`)`,
        `${input}; ${fmtInt(cli.statements)} statements`,
        `${fmtMs(cli.wallMs.median)}${rss(cli)} = ${cli.ratio.toFixed(1)}× squawk's wall time${cli.cpuRatio ? `, ${cli.cpuRatio.toFixed(1)}× its CPU` : ''}${cli.rssRatio ? `, ${cli.rssRatio.toFixed(1)}× its memory` : ''}`,
        `${spreadMs(cli.wallMs)}${rssSpread(cli)}`,
        `≤ ${TARGETS.squawkRatio}× squawk; peak RSS < ${TARGETS.rssMb} MB`,
        `${check(cli.ratio <= TARGETS.squawkRatio)} time, ${cli.maxRssKb ? check(cli.maxRssKb.median < TARGETS.rssMb * 1024) : 'n/a'} memory`,
      ]);
    }
  }
  if (eslint) {
    const tsInput = `${fmtInt(eslint.tsStatements)} embedded statements, ${fmtInt(eslint.files)} .ts files`;
    rows.push(['ESLint without the plugin (js + typescript-eslint recommended)', tsInput, fmtMs(eslint.without.ms.median), spreadMs(eslint.without.ms), '—', '']);
    if (eslint.with) {
      const o = eslint.overhead;
      rows.push([
        'ESLint with @limitless-lint/eslint-plugin (recommended)',
        `${tsInput}; ${fmtInt(eslint.with.plugin)} plugin findings`,
        `${fmtMs(eslint.with.ms.median)} = +${fmtPercent(o.median)}`,
        `${fmtMs(eslint.with.ms.min)} – ${fmtMs(eslint.with.ms.max)}; +${fmtPercent(o.min)} – +${fmtPercent(o.max)}`,
        `≤ +${fmtPercent(TARGETS.eslintOverhead)}`,
        check(o.median <= TARGETS.eslintOverhead),
      ]);
    } else {
      rows.push(['ESLint with @limitless-lint/eslint-plugin (recommended)', tsInput, `n/a (${eslint.missing})`, '', `≤ +${fmtPercent(TARGETS.eslintOverhead)}`, 'n/a']);
    }
  }
  if (startup) {
    rows.push(['Startup: `node -e 0` (reference)', '', fmtMs(startup.nodeBoot.median), spreadMs(startup.nodeBoot), '— (issue: ≈ 115 ms)', '']);
    rows.push(['Startup: `limitless-lint --version`', '', fmtMs(startup.version.median), spreadMs(startup.version), `< ${fmtMs(TARGETS.versionMs)}`, check(startup.version.median < TARGETS.versionMs)]);
    rows.push([
      'Startup: lint one small file',
      `${startup.smallFile.path} (${startup.smallFile.statements} statements)`,
      fmtMs(startup.oneFile.median),
      spreadMs(startup.oneFile),
      `< ${fmtMs(TARGETS.oneFileMs)}`,
      check(startup.oneFile.median < TARGETS.oneFileMs),
    ]);
  }
  return rows;
}

function phaseRows(p) {
  const inProcess = p.boot + p.importCore + p.wasm + p.firstParse + p.importCli + p.manifest + p.lint;
  return [
    ['node boot (process start → first line of the script)', fmtMs(p.boot)],
    ['module imports: core (its modules and yaml; not libpg-query yet)', fmtMs(p.importCore)],
    ['parser load: `await loadParser()` (read, compile and instantiate libpg-query\'s WebAssembly, start its JS glue)', fmtMs(p.wasm)],
    ['first parse (`SELECT 1`)', fmtMs(p.firstParse)],
    ['module imports: the rest of the CLI\'s module graph (commander, chalk, the CLI\'s modules and their dependencies)', fmtMs(p.importCli)],
    ['manifest load (demo limitless.yaml: read, YAML, schema validation)', fmtMs(p.manifest)],
    [`lint (read + \`analyzeSql\`, ${p.statements} statements)`, fmtMs(p.lint)],
    ['process spawn and exit (child wall time − the above)', fmtMs(p.wall - inProcess)],
    ['**total (child wall time)**', `**${fmtMs(p.wall)}**`],
  ];
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function render(results, options, context) {
  const m = context.machine;
  const out = [];
  out.push(`## limitless-lint benchmark — ${context.date}`);
  out.push('');
  out.push(`- machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.platform}; Node ${m.node}`);
  out.push(`- commit: ${context.commit}`);
  const busy = context.load.start > m.cores / 2;
  out.push(
    `- load average (1 min) at start / end: ${context.load.start.toFixed(1)} / ${context.load.end.toFixed(1)} (the benchmark itself adds about 1)` +
      (busy ? ' — other processes were competing for the cores at the start: expect slower, noisier figures' : ''),
  );
  if (context.corpus) out.push(`- SQL corpus: ${context.corpus}`);
  if (context.generated) out.push(`- generated corpus: ${context.generated}`);
  out.push(`- each figure: median of ${options.runs} runs after 1 warm-up${results.startup ? ` (startup: ${Math.max(options.runs, 5)} runs)` : ''}; spread is min – max`);
  if (results.cli) out.push(`- peak RSS: ${GNU_TIME ? '`/usr/bin/time -v` (the child\'s ru_maxrss)' : '`process.resourceUsage().maxRSS` written at exit by a preload (scripts/bench/maxrss-preload.mjs)'}`);
  out.push('');
  out.push(table(['Figure', 'Input', 'Median', 'Spread (min – max)', 'Target', 'Met'], figureRows(results)));
  if (results.startup) {
    const p = results.startup.phases;
    out.push('');
    out.push(`Startup of \`limitless-lint ${results.startup.smallFile.path}\`, phase by phase (scripts/bench/startup-phases.mjs, medians):`);
    out.push('');
    out.push(table(['Phase', 'Median'], phaseRows(p)));
    out.push('');
    out.push(`\`await loadParser()\` alone: ${fmtMs(p.wasm)}; import core + \`loadParser()\` + one parse: ${fmtMs(p.importCore + p.wasm + p.firstParse)} (issue: WASM load + one parse ≈ 700 ms).`);
  }
  return `${out.join('\n')}\n`;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  for (const dist of [CORE_DIST, CLI_BIN.replace(/bin\/limitless-lint\.js$/, 'dist/main.js')]) {
    if (!existsSync(dist)) {
      process.stderr.write(`bench: ${relative(ROOT, dist)} is missing: build first (npx tsc -b, or run pnpm bench)\n`);
      return 2;
    }
  }
  mkdirSync(BENCH_DIR, { recursive: true });
  const only = new Set(options.only);
  const needsSql = only.has('parse') || only.has('core') || only.has('cli') || only.has('squawk');
  const needsGenerated = only.has('eslint') || (needsSql && !options.corpus);
  const context = { date: new Date().toISOString().slice(0, 10), machine: machine(), commit: gitDescription(), load: { start: loadavg()[0] } };
  const results = {};

  let generated;
  if (needsGenerated) {
    generated = ensureGeneratedCorpus(options.seed, options.statements);
    context.generated = `${relative(ROOT, generated.dir)} (seed ${generated.seed}: ${fmtInt(generated.statements)} statements, ${fmtInt(generated.sqlStatements)} in ${generated.sqlFiles} .sql files, ${fmtInt(generated.tsStatements)} in ${generated.tsFiles} .ts files)`;
  }
  const sqlDir = options.corpus ? resolve(options.corpus) : generated?.dir;

  const failures = [];
  const attempt = async (name, body) => {
    try {
      await body();
    } catch (error) {
      failures.push(`${name}: ${error.message}`);
      process.stderr.write(`bench: ${name} could not be measured: ${error.stack ?? error.message}\n`);
    }
  };

  // Child-process rows first, while this process is still small and idle.
  if (only.has('startup')) await attempt('startup', () => (results.startup = measureStartup({ runs: Math.max(options.runs, 5) })));
  if (needsSql) {
    const corpus = loadSqlCorpus(sqlDir);
    results.sqlInput = { files: corpus.files.length, bytes: corpus.bytes };
    context.corpus = options.corpus ? `${options.corpus} (${corpus.files.length} .sql files)` : undefined;
    const sqlRows = [...(only.has('parse') ? ['split', 'parse'] : []), ...(only.has('core') ? ['core', 'coreNoCache', 'coreNoRules'] : [])];
    if (sqlRows.length > 0) await attempt('parse/core', async () => (results.sql = await measureSqlRows(corpus, { rows: sqlRows, runs: options.runs })));
    const paths = corpus.files.map((f) => f.path);
    corpus.files.length = 0; // let the texts go before the other rows
    if (only.has('cli')) await attempt('cli', async () => (results.cli = await measureCli(sqlDir, { runs: options.runs })));
    if (only.has('squawk')) await attempt('squawk', async () => (results.squawk = await measureSquawkSideBySide(paths, { runs: options.runs })));
  }
  if (only.has('eslint')) await attempt('eslint', async () => (results.eslint = await measureEslint(generated.dir, generated.tsStatements, { runs: options.runs })));

  context.load.end = loadavg()[0];
  process.stdout.write(render(results, options, context));
  if (failures.length > 0) process.stdout.write(`\nNot measured: ${failures.join('; ')}\n`);
  if (options.json) writeFileSync(options.json, `${JSON.stringify({ context, options, results, failures }, null, 2)}\n`);
  return failures.length > 0 ? 2 : 0;
}

process.exitCode = await main();

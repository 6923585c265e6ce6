/**
 * `limitless-lint verify --local`: every statement's static route against PostgreSQL's own partition
 * pruning, in an embedded PostgreSQL (docs/verify-local.md). Exit 1 when a verdict is unsafe (one
 * shard claimed, several planned), 0 otherwise, 2 when it could not run.
 */
import { resolve } from 'node:path';
import type { LearnedTable, Manifest } from '@limitless-lint/core';
import { findManifest, learnTables, loadParser } from '@limitless-lint/core';
import { CliError } from '../util/errors.js';
import { ExitCode } from '../util/exit-codes.js';
import type { ExplainedStatement } from '../commands/explain.js';
import { explainResult, explainScript } from '../commands/explain.js';
import { analyzeSql } from '@limitless-lint/core';
import { expandPaths, languageOf } from '../input/files.js';
import { displayPath } from '../input/display-path.js';
import type { CliIo } from '../util/io.js';
import { readSqlFile } from '../input/read-file.js';
import { ManifestLoader, resolveManifests } from '../input/resolve-manifests.js';
import type { OracleResult } from './oracle.js';
import { runOracle } from './oracle.js';

export interface VerifyLocalOptions {
  readonly config?: string;
  readonly format: 'text' | 'json';
  /** Show agreements too, not only disagreements. */
  readonly all: boolean;
  readonly maxPartitions?: number;
}

export async function runVerifyLocal(paths: readonly string[], options: VerifyLocalOptions, io: CliIo): Promise<ExitCode> {
  if (paths.length === 0) throw new CliError('verify --local needs files or directories; see limitless-lint verify --help');
  const loader = new ManifestLoader(io.cwd);
  const expanded = await expandPaths(paths, io.cwd, { ...(options.config !== undefined && { config: options.config }), manifests: loader, onNote: (note) => io.stderr.write(`limitless-lint: ${note}\n`) });
  const manifestFor = resolveManifests(expanded.files, options.config, io.cwd, loader);
  let skipped = expanded.problems.length > 0;
  for (const p of expanded.problems) io.stderr.write(`limitless-lint: ${displayPath(p.path, io.cwd)}: ${p.reason}\n`);
  await loadParser();
  // One embedded database per manifest: statements and the DDL of the files that use it.
  const groups = new Map<Manifest, { statements: ExplainedStatement[]; learned: ReadonlyMap<string, LearnedTable> }>();
  for (const file of expanded.files) {
    const shown = displayPath(file, io.cwd);
    const read = await readSqlFile(file);
    if (!read.ok) {
      io.stderr.write(`limitless-lint: ${shown}: ${read.reason}\n`);
      skipped = true;
      continue;
    }
    const manifest = manifestFor(file) ?? (options.config === undefined ? manifestAt(io.cwd, loader) : undefined);
    if (!manifest) {
      io.stderr.write(`limitless-lint: ${shown}: no manifest (limitless.yaml) applies; skipped\n`);
      skipped = true;
      continue;
    }
    const group = groups.get(manifest) ?? { statements: [] as ExplainedStatement[], learned: new Map<string, LearnedTable>() as ReadonlyMap<string, LearnedTable> };
    if (languageOf(file) === 'ts') {
      const statements = explainScript(shown, read.text, file, manifest);
      if ('error' in statements) {
        io.stderr.write(`limitless-lint: ${shown}: ${statements.error}\n`);
        skipped = true;
      } else group.statements.push(...statements);
    } else {
      group.learned = learnTables(read.text, { searchPath: manifest.searchPath, knownTables: group.learned });
      group.statements.push(...explainResult(shown, read.text, analyzeSql(read.text, { manifest }), manifest));
    }
    groups.set(manifest, group);
  }

  const reported: { statement: ExplainedStatement; result: OracleResult }[] = [];
  const totals = { statements: 0, compared: 0, agree: 0, unsafe: 0, conservative: 0, notCompared: 0 };
  let modulus = 0;
  for (const [manifest, group] of groups) {
    const run = await runOracle(manifest, group.statements, { learned: group.learned, ...(options.maxPartitions !== undefined && { maxPartitions: options.maxPartitions }) });
    modulus = Math.max(modulus, run.modulus);
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += run.figures[k];
    run.results.forEach((result, i) => reported.push({ statement: group.statements[i] as ExplainedStatement, result }));
  }

  if (options.format === 'json') {
    const out = reported.map(({ statement, result }) => ({
      file: statement.file,
      line: statement.line,
      column: statement.column,
      sql: statement.sql,
      route: statement.route,
      fanout: statement.fanout,
      agreement: result.comparison.agreement,
      note: result.comparison.note,
      ...(result.plan?.ok && { plan: { shards: result.comparison.plannerShards, runtimePruning: result.plan.runtimePruning, parameters: result.plan.parameters, lines: result.plan.lines } }),
    }));
    io.stdout.write(`${JSON.stringify({ partitions: modulus, figures: totals, statements: out }, null, 2)}\n`);
  } else {
    const lines: string[] = [];
    for (const { statement, result } of reported) {
      const { agreement, note } = result.comparison;
      // Statements the planner cannot judge (BEGIN, reference-only reads) are listed with --all only.
      if (!options.all && (agreement === 'agree' || (agreement === 'not-compared' && !note.startsWith('PostgreSQL did not plan')))) continue;
      const level = agreement === 'unsafe' ? 'error' : 'info';
      lines.push(`${statement.file}:${statement.line}:${statement.column}: ${level}: ${note}`);
      lines.push(`  ${oneLine(statement.sql)}`);
      if (agreement === 'unsafe' && result.plan?.ok) lines.push(...result.plan.lines.map((l) => `    ${l}`));
    }
    lines.push(
      `${totals.statements} statements, ${totals.compared} compared with PostgreSQL's plan (${modulus} partitions per sharded table): ` +
        `${totals.agree} agree, ${totals.unsafe} unsafe, ${totals.conservative} conservative; ${totals.notCompared} not compared`,
    );
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  if (skipped) return ExitCode.CouldNotRun;
  return totals.unsafe > 0 ? ExitCode.Problems : ExitCode.Clean;
}

function manifestAt(cwd: string, loader: ManifestLoader): Manifest | undefined {
  const found = findManifest(cwd);
  return found === undefined ? undefined : loader.config(resolve(cwd, found));
}

function oneLine(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

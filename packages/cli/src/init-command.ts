import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { LearnedTable } from '@limitless-lint/core';
import { analyzeSql, loadParser, manifestFromDdl, parseManifest } from '@limitless-lint/core';
import { runAdvise } from './advise-command.js';
import { CliError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { displayPath, expandPaths } from './files.js';
import type { CliIo } from './io.js';
import { readSqlFile } from './read-file.js';

export interface InitOptions {
  /** Where to write the manifest (default `limitless.yaml` in the working directory); `-` for stdout. */
  readonly output: string;
  readonly force: boolean;
  readonly shards?: number;
  /** Propose shard keys from the DDL and the project's statements (`advise`) instead of replaying the modes. */
  readonly advise?: boolean;
}

/**
 * `init --from-ddl`: replays migrations in path order — Limitless create-table settings, CREATE
 * TABLE, the conversion procedures, renames and drops — and writes the manifest they imply.
 * Refuses to overwrite an existing file without `force`.
 */
export async function runInit(paths: readonly string[], options: InitOptions, io: CliIo): Promise<ExitCode> {
  if (paths.length === 0) throw new CliError('init --from-ddl needs migration files or directories');
  if (options.advise) {
    return runAdvise({ paths: ['.'], ddl: paths, output: options.output, force: options.force, format: 'text', color: false, ...(options.shards !== undefined && { shards: options.shards }) }, io);
  }
  const target = options.output === '-' ? undefined : resolve(io.cwd, options.output);
  if (target && existsSync(target) && !options.force) {
    throw new CliError(`${displayPath(target, io.cwd)} exists; use --force to overwrite it, or --output - to print the manifest`);
  }
  const expanded = await expandPaths(paths, io.cwd, { languages: ['sql'], manifestGlobs: false });
  await loadParser();
  let tables: ReadonlyMap<string, LearnedTable> = new Map();
  let problems = 0;
  const sources: string[] = [];
  for (const p of expanded.problems) {
    io.stderr.write(`limitless-lint: ${displayPath(p.path, io.cwd)}: ${p.reason}\n`);
    problems++;
  }
  for (const file of expanded.files) {
    const shown = displayPath(file, io.cwd);
    const read = await readSqlFile(file);
    if (!read.ok) {
      io.stderr.write(`limitless-lint: ${shown}: ${read.reason}\n`);
      problems++;
      continue;
    }
    const result = analyzeSql(read.text, { knownTables: tables, rules: [] });
    if (result.stats.parseErrors > 0) {
      io.stderr.write(`limitless-lint: ${shown}: ${result.stats.parseErrors} statement(s) did not parse and were not replayed\n`);
      problems++;
    }
    tables = result.learnedTables;
    sources.push(shown);
  }
  if (tables.size === 0) throw new CliError('the DDL creates no table; nothing to write');
  const yaml = manifestFromDdl(tables, { sources, ...(options.shards !== undefined && { shards: options.shards }) });
  // The generated text must be a valid manifest; a failure here is a bug, not bad input.
  const check = parseManifest(yaml);
  if (!check.ok) throw new Error(`generated manifest is invalid: ${check.problems.map((p) => p.message).join('; ')}`);

  if (!target) io.stdout.write(yaml);
  else {
    // Written next to the target and renamed, so an interrupted run never leaves half a manifest.
    const temp = resolve(dirname(target), `.limitless.yaml.${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(temp, yaml);
    await rename(temp, target);
    io.stderr.write(`limitless-lint: wrote ${displayPath(target, io.cwd)} (${tables.size} tables from ${sources.length} files)\n`);
  }
  if (![...tables.values()].some((t) => t.mode === 'sharded')) {
    io.stderr.write('limitless-lint: no table is sharded yet: `limitless-lint init --from-ddl … --advise` proposes shard keys, collocation groups and reference tables from your statements (docs/advise.md)\n');
  }
  return problems > 0 ? ExitCode.CouldNotRun : ExitCode.Clean;
}

import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { LearnedTable } from '@limitless-lint/core';
import { analyzeSql, loadParser, manifestFromDdl, parseManifest } from '@limitless-lint/core';
import { runAdvise } from './advise.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { CliError } from '../util/errors.js';
import { ExitCode } from '../util/exit-codes.js';
import { expandPaths } from '../input/files.js';
import { displayPath } from '../input/display-path.js';
import type { CliIo } from '../util/io.js';
import { readSqlFile } from '../input/read-file.js';
import { plural } from '../util/text.js';

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
 * TABLE, the conversion procedures, renames and drops — and writes the manifest they imply, with a
 * `yaml-language-server` schema line for editors. Says on stderr what it decided for each table and
 * why, and warns when no table is sharded (the lint could then check no shard key). Refuses to
 * overwrite an existing file without `force`.
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
  /** The file that last created or changed each table. */
  const decidedIn = new Map<string, string>();
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
    // Replay keeps the entries it does not change: a new entry is a table this file created or changed.
    for (const [key, table] of result.learnedTables) if (tables.get(key) !== table) decidedIn.set(key, shown);
    tables = result.learnedTables;
    sources.push(shown);
  }
  if (tables.size === 0) throw new CliError('the DDL creates no table; nothing to write');
  const yaml = `# yaml-language-server: $schema=${schemaReference(target ? dirname(target) : io.cwd, io.cwd)}\n${manifestFromDdl(tables, {
    sources,
    ...(options.shards !== undefined && { shards: options.shards }),
  })}`;
  // The generated text must be a valid manifest; a failure here is a bug, not bad input.
  const check = parseManifest(yaml);
  if (!check.ok) throw new Error(`generated manifest is invalid: ${check.problems.map((p) => p.message).join('; ')}`);

  for (const line of decisions(tables, decidedIn)) io.stderr.write(`limitless-lint: ${line}\n`);
  if (![...tables.values()].some((t) => t.mode === 'sharded')) {
    io.stderr.write(
      'limitless-lint: warning: no table is sharded, so the lint can check no shard key. Plain CREATE TABLE makes standard ' +
        "tables; if yours are to be sharded, set each one's mode and shard_key in the manifest (`init --from-ddl … --advise` or " +
        '`limitless-lint advise` propose shard keys, collocation groups and reference tables from your queries: see docs/advise.md).\n',
    );
  }
  if (!target) io.stdout.write(yaml);
  else {
    // Written next to the target and renamed, so an interrupted run never leaves half a manifest.
    await writeFileAtomic(target, [yaml], 'the manifest');
    io.stderr.write(`limitless-lint: wrote ${displayPath(target, io.cwd)} (${plural(tables.size, 'table')} from ${plural(sources.length, 'file')})\n`);
  }
  return problems > 0 ? ExitCode.CouldNotRun : ExitCode.Clean;
}

/** Where the manifest's JSON schema is once `@limitless-lint/core` is installed (by `limitless-lint`). */
const SCHEMA_IN_PACKAGE = 'node_modules/@limitless-lint/core/schema/limitless.schema.json';

/**
 * The schema's path relative to the manifest's directory, as yaml-language-server resolves it: the
 * installed core's schema in the nearest `node_modules` at or above that directory; when none is
 * installed yet, the one the nearest project (a `package.json`) will have, else the working directory's.
 */
export function schemaReference(manifestDir: string, cwd: string): string {
  let project: string | undefined;
  for (let dir = manifestDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, SCHEMA_IN_PACKAGE))) return relativeReference(manifestDir, join(dir, SCHEMA_IN_PACKAGE));
    if (project === undefined && existsSync(join(dir, 'package.json'))) project = dir;
    if (dirname(dir) === dir) break;
  }
  return relativeReference(manifestDir, join(project ?? cwd, SCHEMA_IN_PACKAGE));
}

function relativeReference(from: string, to: string): string {
  const rel = relative(from, to).split(sep).join('/');
  return rel.startsWith('../') ? rel : `./${rel}`;
}

/** One line per table: what `init` declared, and why, in the order the manifest lists them. */
function decisions(tables: ReadonlyMap<string, LearnedTable>, decidedIn: ReadonlyMap<string, string>): string[] {
  const order: Record<string, number> = { reference: 0, sharded: 1, standard: 2 };
  const sorted = [...tables.values()].sort((a, b) => (order[a.mode] ?? 3) - (order[b.mode] ?? 3) || a.key.localeCompare(b.key));
  return sorted.map((t) => {
    const file = decidedIn.get(t.key) ?? 'the DDL';
    const name = t.schema === 'public' ? t.name : `${t.schema}.${t.name}`;
    switch (t.mode) {
      case 'reference':
        return `${name}: reference — ${file} makes it a reference table (create-table mode or conversion procedure)`;
      case 'sharded': {
        if (t.shardKey.length === 0) return `${name}: sharded without a shard key — ${file} sets no shard key; written as a comment: declare its shard_key`;
        const with_ = t.collocateWith === undefined ? '' : `, collocated with ${t.collocateWith.replace(/^public\./, '')}`;
        return `${name}: sharded on (${t.shardKey.join(', ')})${with_} — ${file} makes it sharded (create-table settings or conversion procedure)`;
      }
      default:
        return `${name}: standard — ${file} creates it without a Limitless create-table mode (standard is the default)`;
    }
  });
}

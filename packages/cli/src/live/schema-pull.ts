import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseManifest } from '@limitless-lint/core';
import { CliError } from '../util/errors.js';
import { ExitCode } from '../util/exit-codes.js';
import { displayPath } from '../input/display-path.js';
import { printable } from '../reporters/printable.js';
import type { CliIo } from '../util/io.js';
import type { CatalogSnapshot } from './catalog.js';
import { readCatalog } from './catalog.js';
import type { ConnectionRequest } from './connection.js';
import { resolveConnection, withConnection } from './connection.js';
import { diffManifests, keepHandWrittenSections, renderManifest } from './manifest-text.js';

export interface SchemaPullOptions extends ConnectionRequest {
  /** Where to write (or, with `check`, what to compare with); `-` prints the manifest. */
  readonly output: string;
  readonly check: boolean;
  readonly force: boolean;
  readonly assumeStandard: boolean;
  /** Shard count to write instead of the one the catalog gives. */
  readonly shards?: number;
}

/**
 * `schema pull`: reads a Limitless cluster's catalog and writes `limitless.yaml`, keeping the
 * hand-written sections (`rules:` …) of the file it replaces. With `check`, writes nothing: prints how
 * the file differs from the database and returns 1 when it does (for CI).
 */
export async function runSchemaPull(options: SchemaPullOptions, io: CliIo): Promise<ExitCode> {
  const target = options.output === '-' ? undefined : resolve(io.cwd, options.output);
  if (options.check && !target) throw new CliError('--check compares with a file: give it with --output (default limitless.yaml)');
  const existing = target ? await readFile(target, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error))) : undefined;
  if (target && existing !== undefined && !options.force && !options.check) {
    throw new CliError(`${displayPath(target, io.cwd)} exists; use --force to replace it (its rules:, embedded_sql:, include: and exclude: sections are kept), --check to compare, or --output - to print the manifest`);
  }
  if (options.check && existing === undefined) throw new CliError(`${displayPath(target as string, io.cwd)} does not exist: run limitless-lint schema pull to write it`);

  const connection = resolveConnection(options, io.env, io.cwd);
  const snapshot = await withConnection(connection, (c) => readCatalog(c, { assumeStandard: options.assumeStandard }));
  const withShards: CatalogSnapshot = options.shards !== undefined ? { ...snapshot, shards: { count: options.shards, source: 'the --shards option' } } : snapshot;
  // Notes name catalog objects, whose names may hold any character: never raw on a terminal.
  for (const note of snapshot.notes) io.stderr.write(`limitless-lint: ${printable(note)}\n`);
  if (!snapshot.limitless) io.stderr.write(`limitless-lint: ${connection.display} has no rds_aurora.limitless_tables; writing every table as standard (--assume-standard)\n`);
  if (snapshot.tables.size === 0) io.stderr.write(`limitless-lint: database ${printable(JSON.stringify(snapshot.database))} has no tables${snapshot.limitless ? ' in rds_aurora.limitless_tables' : ''}\n`);

  const generated = renderManifest(withShards);
  const parsed = parseManifest(generated);
  // The generated text must be a valid manifest; a failure here is a bug, not bad input.
  if (!parsed.ok) throw new Error(`generated manifest is invalid: ${parsed.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('; ')}`);

  if (options.check) {
    const shown = printable(displayPath(target as string, io.cwd));
    const current = parseManifest(existing as string, target);
    if (!current.ok) throw new CliError(`invalid manifest ${shown}:`, current.problems.map((p) => `  ${shown}:${p.line}:${p.column}: ${p.message}`));
    const differences = diffManifests(current.manifest, parsed.manifest, { compareShards: withShards.shards !== undefined });
    if (differences.length === 0) {
      io.stdout.write(`${shown} matches ${connection.display} (${summary(withShards)})\n`);
      return ExitCode.Clean;
    }
    io.stdout.write(`${shown} differs from ${connection.display} (${differences.length} difference${differences.length === 1 ? '' : 's'}):\n`);
    for (const d of differences) io.stdout.write(`  ${d.sign} ${printable(d.path)}: ${printable(d.text)}\n`);
    io.stdout.write(`Run limitless-lint schema pull --force${options.output === 'limitless.yaml' ? '' : ` --output ${options.output}`} to update it.\n`);
    return ExitCode.Problems;
  }

  if (!target) {
    io.stdout.write(generated);
    return ExitCode.Clean;
  }
  const { text, kept } = existing === undefined ? { text: generated, kept: [] } : keepHandWrittenSections(generated, existing);
  // Written next to the target and renamed, so an interrupted run never leaves half a manifest.
  const temp = resolve(dirname(target), `.limitless.yaml.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(temp, text);
  await rename(temp, target);
  const keptText = kept.length > 0 ? `; kept ${kept.join(', ')} from the old file` : '';
  io.stderr.write(`limitless-lint: wrote ${printable(displayPath(target, io.cwd))} from ${connection.display} (${summary(withShards)}${keptText})\n`);
  return ExitCode.Clean;
}

/** `9 tables (6 sharded in 2 collocation groups, 2 reference, 1 standard), 4 shards, 2 immutable functions, 1 distributed function`. */
function summary(snapshot: CatalogSnapshot): string {
  const tables = [...snapshot.tables.values()];
  const sharded = tables.filter((t) => t.mode === 'sharded');
  const groups = new Set(sharded.map((t) => t.collocateWith ?? t.key)).size;
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [
    `${count(tables.length, 'table')} (${sharded.length} sharded in ${count(groups, 'collocation group')}, ${tables.filter((t) => t.mode === 'reference').length} reference, ${tables.filter((t) => t.mode === 'standard').length} standard)`,
  ];
  if (snapshot.shards) parts.push(count(snapshot.shards.count, 'shard'));
  parts.push(count(snapshot.immutable.length, 'immutable function'), count(snapshot.distributed.length, 'distributed function'));
  if (snapshot.distributedSequences !== undefined) parts.push(count(snapshot.distributedSequences, 'distributed sequence'));
  return parts.join(', ');
}

import { resolve } from 'node:path';
import { findManifest, loadParser } from '@limitless-lint/core';
import { CliError } from '../../util/errors.js';
import { ExitCode } from '../../util/exit-codes.js';
import { displayPath } from '../../input/display-path.js';
import { printable } from '../../reporters/printable.js';
import type { CliIo } from '../../util/io.js';
import { ManifestLoader } from '../../input/resolve-manifests.js';
import type { ConnectionRequest } from '../connection.js';
import { resolveConnection, withConnection } from '../connection.js';
import type { AuditSort, AuditSource } from './aggregate.js';
import { WorkloadAggregator } from './aggregate.js';
import type { DatabaseSource } from './database.js';
import { readStatementStatistics } from './database.js';
import type { InputFormat, WorkloadFileRead } from './inputs.js';
import { fileSize, readWorkloadFile } from './inputs.js';
import { ProgressBar } from './progress.js';
import type { AuditFormat } from './render.js';
import { renderAudit } from './render.js';

export interface AuditOptions extends ConnectionRequest {
  /** Export or log files. */
  readonly inputs: readonly string[];
  readonly inputFormat: InputFormat;
  /** Which statistics view to read with `--database-url`. */
  readonly source: DatabaseSource;
  readonly allDatabases: boolean;
  readonly config?: string;
  readonly format: AuditFormat;
  readonly sort: AuditSort;
  readonly top: number;
  readonly color: boolean;
  /** Keep one execution's bind parameter values (from logs) in the JSON report: they may be personal data. */
  readonly withParameters: boolean;
}

/**
 * `audit`: ranks a real workload — pg_stat_statements / limitless_stat_statements exports or views,
 * or PostgreSQL logs — by estimated shard work (calls × fan-out), with each statement's route from
 * the manifest. Writes the report to stdout; exit code 0, or 2 when it could not run.
 */
export async function runAudit(options: AuditOptions, io: CliIo): Promise<ExitCode> {
  if (options.inputs.length === 0 && options.databaseUrl === undefined) {
    throw new CliError('audit needs workload files (a pg_stat_statements export or PostgreSQL logs) or --database-url; see limitless-lint audit --help');
  }
  const manifestPath = options.config ?? findManifest(io.cwd);
  if (manifestPath === undefined) {
    throw new CliError('audit needs a manifest to route statements: give --config, or write limitless.yaml with limitless-lint schema pull (or init --from-ddl)');
  }
  const absoluteManifest = resolve(io.cwd, manifestPath);
  const manifest = new ManifestLoader(io.cwd).config(absoluteManifest);
  await loadParser();

  const aggregator = new WorkloadAggregator();
  const sources: AuditSource[] = [];
  for (const input of options.inputs) {
    const path = resolve(io.cwd, input);
    // File names are shown on a terminal and in the report: never with raw control characters.
    const shown = printable(displayPath(path, io.cwd));
    const size = await fileSize(path).catch(() => 0);
    const bar = new ProgressBar(io.stderr, shown, size);
    const before = aggregator.entries;
    let read: WorkloadFileRead;
    try {
      read = await readWorkloadFile(path, shown, options.inputFormat, aggregator, (bytes) => bar.update(bytes));
    } finally {
      bar.done();
    }
    const kind = read.format;
    sources.push({ kind, name: shown, ...(read.truncated !== undefined && { truncated: read.truncated }) });
    if (read.truncated !== undefined) io.stderr.write(`limitless-lint: ${shown}: ${read.truncated}\n`);
    if (aggregator.entries === before) io.stderr.write(`limitless-lint: ${shown}: ${emptyHint(kind)}\n`);
  }
  if (options.databaseUrl !== undefined) {
    const target = resolveConnection(options, io.env, io.cwd);
    const before = aggregator.entries;
    const kind = await withConnection(target, (connection) => readStatementStatistics(connection, options.source, options.allDatabases, aggregator));
    sources.push({ kind, name: target.display });
    if (aggregator.entries === before) io.stderr.write(`limitless-lint: ${kind} of ${target.display} has no statements for this database yet\n`);
  }

  const full = aggregator.report(manifest, sources, options.sort, printable(displayPath(absoluteManifest, io.cwd)));
  // Bind parameter values from a production log may be personal data: only on request.
  const report = options.withParameters ? full : { ...full, statements: full.statements.map(({ sampleParameters: _, ...s }) => s) };
  io.stdout.write(renderAudit(report, options.format, { color: options.color, top: options.top }));
  return ExitCode.Clean;
}

function emptyHint(kind: string): string {
  switch (kind) {
    case 'log':
    case 'csvlog':
    case 'jsonlog':
      return 'no executed statement in this log: log them with log_min_duration_statement = 0 (or log_statement = all), in English (lc_messages)';
    default:
      return 'no statement rows';
  }
}
